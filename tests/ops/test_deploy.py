"""Every shipped deployment file is checked by the validator that runs here (issue 12)."""

import os
import subprocess
from pathlib import Path

import pytest
import yaml

from tests.ops.tools import require_module, require_tool, running_pgbouncer

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"


_tool = require_tool


def _nginx_check(tmp_path: Path, site: str) -> subprocess.CompletedProcess:
    conf = tmp_path / "nginx.conf"
    conf.write_text(f"""
pid {tmp_path}/nginx.pid;
error_log {tmp_path}/error.log;
events {{}}
http {{
    include /etc/nginx/mime.types;
    access_log off;
    client_body_temp_path {tmp_path}/body;
    proxy_temp_path {tmp_path}/proxy;
    {site}
}}
""")
    return subprocess.run([_tool("nginx"), "-t", "-p", str(tmp_path), "-c", str(conf)], capture_output=True,
                          text=True, timeout=30)


def test_nginx_site_is_valid(tmp_path):
    _tool("openssl")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=test",
                    "-keyout", tmp_path / "privkey.pem", "-out", tmp_path / "fullchain.pem"],
                   check=True, capture_output=True, timeout=60)
    site = (DEPLOY / "nginx/kompass.conf").read_text()
    site = site.replace("/etc/ssl/kompass", str(tmp_path)).replace(
        "/etc/nginx/kompass-locations.conf", str(DEPLOY / "nginx/kompass-locations.conf")).replace(
        "/etc/nginx/kompass-edge-cache.conf", str(DEPLOY / "nginx/kompass-edge-cache.conf"))
    result = _nginx_check(tmp_path, site)
    assert result.returncode == 0, result.stderr
    assert "syntax is ok" in result.stderr
    broken = _nginx_check(tmp_path, site.replace("keepalive 32;", "keepalive thirty-two;"))
    assert broken.returncode != 0  # the check can fail


def test_kubernetes_edge_site_is_valid_nginx(tmp_path):
    """deploy/k8s/edge.yaml's server block with the shipped location and edge cache files."""
    docs = list(yaml.safe_load_all((DEPLOY / "k8s/edge.yaml").read_text()))
    site = next(d for d in docs if d["kind"] == "ConfigMap")["data"]["kompass.conf"]
    site = site.replace("/etc/nginx/kompass/", str(DEPLOY / "nginx") + "/").replace("kompass-web:80", "127.0.0.1:1")
    result = _nginx_check(tmp_path, site)
    assert result.returncode == 0, result.stderr


def test_gunicorn_config_loads():
    env = {**os.environ, "WEB_CONCURRENCY": "2", "GUNICORN_BIND": "127.0.0.1:18999"}
    result = subprocess.run([str(ROOT / ".venv/bin/gunicorn"), "--check-config", "--print-config", "-c",
                             str(DEPLOY / "gunicorn.conf.py"), "config.wsgi:application"],
                            capture_output=True, text=True, cwd=ROOT, env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    printed = {line.split("=", 1)[0].strip(): line.split("=", 1)[1].strip()
               for line in result.stdout.splitlines() if "=" in line}
    assert printed["workers"] == "2"
    assert printed["bind"] == "['127.0.0.1:18999']"
    assert printed["worker_class"] == "sync"


def test_systemd_units_verify(tmp_path):
    analyze = _tool("systemd-analyze")
    units = []
    for unit in sorted((DEPLOY / "systemd").iterdir()):
        text = unit.read_text().replace("/opt/kompass", str(ROOT)).replace("/etc/kompass/kompass.env", "-/dev/null")
        target = tmp_path / unit.name
        target.write_text(text)
        units.append(str(target))
    assert len(units) == 4
    result = subprocess.run([analyze, "verify", *units], capture_output=True, text=True, timeout=60)
    problems = [line for line in result.stderr.splitlines()
                if "kompass" in line and "User=" not in line and "Group=" not in line]
    assert result.returncode == 0 and not problems, result.stderr


def test_kubernetes_manifests_match_the_schema():
    kv = require_module("kubernetes_validate")
    count = 0
    for path in sorted((DEPLOY / "k8s").glob("*.yaml")):
        for doc in yaml.safe_load_all(path.read_text()):
            kv.validate(doc, "1.31", strict=True)
            count += 1
    assert count >= 9
    with pytest.raises(kv.ValidationError):
        kv.validate({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "x"},
                     "spec": {"replicas": "two"}}, "1.31", strict=True)


def test_compose_file_matches_the_compose_spec():
    compose_spec = require_module("compose_spec")
    data = yaml.safe_load((DEPLOY / "compose.yaml").read_text())  # resolves the YAML merge keys
    compose = compose_spec.PyCompose.from_yaml(yaml.safe_dump(data))
    compose.validate()
    services = set(compose.service_names())
    assert {"web1", "web2", "worker", "nginx", "pgbouncer", "postgres", "redis", "migrate"} <= services
    for name, service in data["services"].items():
        deps = service.get("depends_on", [])
        assert set(deps) <= services, name
    assert data["services"]["worker"]["deploy"]["replicas"] >= 2
    with pytest.raises(ValueError):
        compose_spec.PyCompose.from_yaml("services:\n  web:\n    imagee: x\n")


def test_containerfile_passes_hadolint():
    result = subprocess.run([_tool("hadolint"), str(DEPLOY / "Containerfile")], capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.skipif(os.environ.get("DATABASE_URL", "").startswith("postgres") is False,
                    reason="PgBouncer needs the PostgreSQL server")
def test_pgbouncer_config_runs_and_pools_transactions():
    import psycopg

    with running_pgbouncer() as (port, parsed):
        assert parsed["pgbouncer"]["pool_mode"] == "transaction"
        with psycopg.connect(f"postgresql://postgres@127.0.0.1:{port}/kompass", prepare_threshold=None,
                             connect_timeout=2) as conn:
            assert conn.execute("SELECT 40 + 2").fetchone()[0] == 42


def test_every_deployment_sets_a_public_site_url():
    """KOMPASS_SITE_URL is where every emailed link points (ADR 0076): the ConfigMap and the environment example
    set a public address that `check --deploy` accepts, and every systemd unit reads the environment file."""
    from kompass.core.checks import _site_url_problem

    configmap = yaml.safe_load((DEPLOY / "k8s/configmap.yaml").read_text())["data"]
    example = dict(line.split("=", 1) for line in (DEPLOY / "kompass.env.example").read_text().splitlines()
                   if line and not line.startswith("#"))
    for url in (configmap["KOMPASS_SITE_URL"], example["KOMPASS_SITE_URL"]):
        assert _site_url_problem(url) is None, url
    for unit in (DEPLOY / "systemd").glob("*.service"):
        assert "EnvironmentFile=/etc/kompass/kompass.env" in unit.read_text(), unit.name
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    for name in ("web1", "web2", "worker", "migrate"):
        service = compose["services"][name]
        assert service["env_file"] == ["kompass.env"] and "KOMPASS_SITE_URL" not in service["environment"]
