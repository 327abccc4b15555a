"""Exit 0 when the PostgreSQL server of a database URL answers (the database itself need not exist)."""

import sys

import dj_database_url
import psycopg

cfg = dj_database_url.parse(sys.argv[1])
try:
    psycopg.connect(host=cfg["HOST"] or None, port=cfg["PORT"] or None, user=cfg["USER"] or None,
                    password=cfg["PASSWORD"] or None, dbname="postgres", connect_timeout=3).close()
except Exception as exc:  # noqa: BLE001 - any failure means "not reachable"
    print(f"not reachable: {exc}", file=sys.stderr)
    sys.exit(1)
