"""Helpers shared by the page benchmarks: a scratch database and a timed, query-counted GET."""

from __future__ import annotations

import statistics
import time


def recreate_database(url: str) -> None:
    """Drop and create the database named in `url` (a scratch database for one benchmark run)."""
    import dj_database_url
    import psycopg

    cfg = dj_database_url.parse(url)
    with psycopg.connect(host=cfg["HOST"], port=cfg["PORT"] or 5432, user=cfg["USER"], password=cfg["PASSWORD"],
                         dbname="postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{cfg["NAME"]}"')
        conn.execute(f'CREATE DATABASE "{cfg["NAME"]}"')


def timed_get(client, url: str, warmup: int, repeat: int) -> tuple[float, int]:
    """Median wall time in ms of `repeat` requests after `warmup` ones, and the SQL query count of one more."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(warmup):
        assert client.get(url).status_code == 200, url
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - start)
        assert response.status_code == 200, url
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    return statistics.median(times) * 1000, len(ctx.captured_queries)


def short_commit() -> str:
    """The checked-out commit, for the header of a benchmark's results."""
    import subprocess
    from pathlib import Path

    return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=Path(__file__).resolve().parent.parent,
                          capture_output=True, text=True).stdout.strip()
