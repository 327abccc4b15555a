"""Renders the shipped deploy/ configuration for the loopback cluster, changing only addresses, ports and paths."""

from __future__ import annotations

import configparser
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Loopback ports of `make cluster-test` and `make bench-load`.
NGINX, APPS, PGB, REDIS, MEMCACHED = 8200, [8201, 8202], 8210, 8220, 11290
BASE = f"http://127.0.0.1:{NGINX}"
DEPLOY = ROOT / "deploy"


def pgbouncer_ini(source: Path, workdir: Path, *, port: int, dbname: str, pg_host: str = "127.0.0.1",
                  pg_port: int = 5432) -> Path:
    """deploy/pgbouncer/pgbouncer.ini with loopback addresses, trust auth (as the machine's PostgreSQL) and
    files in `workdir`; every pool and timeout setting is kept."""
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str
    parser.read(source)
    parser["databases"] = {"kompass": f"host={pg_host} port={pg_port} dbname={dbname}"}
    bouncer = parser["pgbouncer"]
    bouncer["listen_addr"] = "127.0.0.1"
    bouncer["listen_port"] = str(port)
    bouncer["auth_type"] = "trust"
    bouncer["auth_file"] = str(workdir / "userlist.txt")
    bouncer["logfile"] = str(workdir / "pgbouncer.log")
    bouncer["pidfile"] = str(workdir / "pgbouncer.pid")
    bouncer["unix_socket_dir"] = ""
    (workdir / "userlist.txt").write_text('"postgres" ""\n')
    target = workdir / "pgbouncer.ini"
    with target.open("w") as fh:
        parser.write(fh)
    return target


def nginx_conf(workdir: Path, *, listen: int, upstreams: list[int], static_root: Path, private_root: Path,
               media_root: Path, memcached: int, edge_conf: Path) -> Path:
    """A complete nginx.conf: the upstreams and server of deploy/nginx/kompass.conf on loopback ports, including
    deploy/nginx/kompass-locations.conf unchanged and `edge_conf` (written by `kompass edge_cache_nginx` with the
    cluster's settings, as deploy/nginx/kompass-edge-cache.conf is with the production defaults)."""
    servers = "\n".join(f"        server 127.0.0.1:{port} max_fails=3 fail_timeout=10s;" for port in upstreams)
    text = f"""
worker_processes 1;
pid {workdir}/nginx.pid;
error_log {workdir}/nginx-error.log warn;
events {{ worker_connections 2048; }}
http {{
    include /etc/nginx/mime.types;
    access_log off;
    sendfile on;  # as Debian's /etc/nginx/nginx.conf, which deploy/nginx/kompass.conf is included from
    tcp_nopush on;
    client_body_temp_path {workdir}/body;
    proxy_temp_path {workdir}/proxy;
    fastcgi_temp_path {workdir}/fastcgi;
    uwsgi_temp_path {workdir}/uwsgi;
    scgi_temp_path {workdir}/scgi;
    upstream kompass_app {{
{servers}
        keepalive 32;
    }}
    upstream kompass_edge_cache {{
        server 127.0.0.1:{memcached};
        keepalive 128;
    }}
    include {edge_conf};
    server {{
        listen 127.0.0.1:{listen};
        server_name 127.0.0.1;
        set $kompass_scheme $scheme;
        set $kompass_static {static_root};
        set $kompass_private {private_root};
        set $kompass_media {media_root};
        include {DEPLOY / "nginx/kompass-locations.conf"};
    }}
}}
"""
    target = workdir / "nginx.conf"
    target.write_text(text)
    return target
