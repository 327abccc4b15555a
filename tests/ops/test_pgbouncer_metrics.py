"""The pool's gauges behind PgBouncer (issue 12: "Prometheus metrics … DB pool"): the metrics page reads PgBouncer's
admin console (KOMPASS_PGBOUNCER_ADMIN_URL) at scrape time; without the setting nothing is read, and a pooler that
does not answer is reported as down without failing the scrape."""

import os
import re

import pytest
from django.test import override_settings

from tests.ops.tools import free_port, running_pgbouncer


def scrape(client) -> str:
    response = client.get("/metrics", REMOTE_ADDR="127.0.0.1")
    assert response.status_code == 200
    return response.content.decode()


def gauge(text: str, name: str, labels: str) -> float:
    match = re.search(rf"^{name}\{{{re.escape(labels)}\}} (\S+)$", text, re.M)
    assert match, f"{name}{{{labels}}} missing:\n{text}"
    return float(match.group(1))


@pytest.mark.django_db
def test_without_the_setting_no_pooler_gauges_are_reported(client):
    with override_settings(KOMPASS_PGBOUNCER_ADMIN_URL=""):
        text = scrape(client)
    assert "kompass_pgbouncer" not in text and "kompass_state_up 1.0" in text


@pytest.mark.django_db
def test_a_pooler_that_does_not_answer_is_reported_down_and_the_scrape_goes_on(client):
    with override_settings(KOMPASS_PGBOUNCER_ADMIN_URL=f"postgresql://postgres@127.0.0.1:{free_port(18700)}/pgbouncer"):
        text = scrape(client)
    assert "kompass_pgbouncer_up 0.0" in text and "kompass_pgbouncer_clients" not in text
    assert 'kompass_jobs{status="queued"}' in text and "kompass_state_up 1.0" in text


@pytest.mark.skipif(not os.environ.get("DATABASE_URL", "").startswith("postgres"),
                    reason="PgBouncer needs the PostgreSQL server")
@pytest.mark.django_db
def test_the_pool_behind_pgbouncer_is_reported_with_its_configured_size(client):
    import psycopg

    with running_pgbouncer() as (port, ini), override_settings(
            KOMPASS_PGBOUNCER_ADMIN_URL=f"postgresql://postgres@127.0.0.1:{port}/pgbouncer"):
        idle = scrape(client)
        with psycopg.connect(f"postgresql://postgres@127.0.0.1:{port}/kompass", prepare_threshold=None) as conn:
            conn.execute("SELECT 1")
            after = scrape(client)
    size = float(ini["pgbouncer"]["default_pool_size"])
    assert "kompass_pgbouncer_up 1.0" in idle
    assert gauge(idle, "kompass_pgbouncer_pool_size", 'database="kompass"') == size == 20
    assert gauge(idle, "kompass_pgbouncer_clients", 'database="kompass",state="waiting"') == 0
    assert gauge(after, "kompass_pgbouncer_max_wait_seconds", 'database="kompass"') >= 0
    # the query ran through the pool: it holds a server connection now (idle or used, transaction mode)
    servers = sum(gauge(after, "kompass_pgbouncer_servers", f'database="kompass",state="{s}"')
                  for s in ("active", "idle", "used", "tested", "login"))
    assert servers >= 1


@pytest.mark.django_db
def test_pools_of_several_users_are_summed_per_database(client, monkeypatch):
    """SHOW POOLS has a row per database and user; Prometheus allows one series per label set."""
    from kompass.ops import metrics

    def pool(user, active, waiting, maxwait):
        return {"database": "kompass", "user": user, "cl_active": active, "cl_waiting": waiting, "sv_active": 1,
                "sv_idle": 2, "sv_used": 0, "sv_tested": 0, "sv_login": 0, "maxwait": maxwait, "maxwait_us": 500000}

    pools = [pool("kompass", 3, 1, 0), pool("report", 2, 4, 2), {"database": "pgbouncer", "user": "pgbouncer"}]
    monkeypatch.setattr(metrics, "_pgbouncer_show", lambda url: (pools, [{"name": "kompass", "pool_size": 20}]))
    with override_settings(KOMPASS_PGBOUNCER_ADMIN_URL="postgresql://stats@127.0.0.1:6432/pgbouncer"):
        text = scrape(client)
    assert gauge(text, "kompass_pgbouncer_clients", 'database="kompass",state="active"') == 5
    assert gauge(text, "kompass_pgbouncer_clients", 'database="kompass",state="waiting"') == 5
    assert gauge(text, "kompass_pgbouncer_servers", 'database="kompass",state="idle"') == 4
    assert gauge(text, "kompass_pgbouncer_max_wait_seconds", 'database="kompass"') == 2.5
    assert text.count('kompass_pgbouncer_clients{database="kompass",state="active"}') == 1
    assert 'database="pgbouncer"' not in text
