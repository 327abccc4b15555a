"""Benchmark: lifecycle pages at 100 and 3,000 measures, and the spreadsheet import of 1,000 rows.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kompass .venv/bin/python bench/lifecycle/bench.py

Uses a scratch database `<name>_lifecycle_bench` (dropped and recreated). Each URL is requested WARMUP times, then
REPEAT times; the median wall time and the SQL query count are reported. The import is timed once as a dry run,
once for real and once as an unchanged re-import. Results go to stdout and to bench/lifecycle/RESULTS.md.
"""

from __future__ import annotations

import io
import os
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("KOMPASS_TESTING", "1")
URL = os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/kompass"
os.environ["DATABASE_URL"] = URL.rsplit("/", 1)[0] + "/" + URL.rsplit("/", 1)[1].split("?")[0] + "_lifecycle_bench"

import django  # noqa: E402

SIZES = (100, 3_000)
IMPORT_ROWS = 1_000
WARMUP, REPEAT = 2, 15


def recreate_database() -> None:
    import dj_database_url
    import psycopg

    cfg = dj_database_url.parse(os.environ["DATABASE_URL"])
    with psycopg.connect(host=cfg["HOST"], port=cfg["PORT"] or 5432, user=cfg["USER"], password=cfg["PASSWORD"],
                         dbname="postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{cfg["NAME"]}"')
        conn.execute(f'CREATE DATABASE "{cfg["NAME"]}"')


def cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return "unknown CPU"


def timed(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(WARMUP):
        assert client.get(url).status_code == 200, url
    times = []
    for _ in range(REPEAT):
        start = time.perf_counter()
        client.get(url)
        times.append(time.perf_counter() - start)
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    return statistics.median(times) * 1000, len(ctx.captured_queries)


def main() -> int:
    recreate_database()
    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from openpyxl import Workbook

    from bench.generate import generate_measures, generate_organisations
    from kompass.accounts.models import User
    from kompass.lifecycle.services import measures_import as import_measures
    from kompass.lifecycle.spreadsheets import COLUMNS
    from kompass.measures.models import Measure
    from kompass.strategy.models import Strategy
    from kompass.strategy.services import STRATEGY_LOADER, strategy_load

    call_command("migrate", verbosity=0)
    strategy_load(actor=STRATEGY_LOADER, path=ROOT / "data" / "strategies" / "berlin-gdb.yaml")
    strategy = Strategy.objects.get(is_current=True)
    generate_organisations(strategy, 200)
    office = User.objects.create_user(email="bench@example.org", password="x", is_strategy_office=True)
    client = Client()
    client.force_login(office)
    pilot = Measure.objects.filter(strategy=strategy, is_pilot=True).order_by("slug").first().slug
    urls = {"measure page (with process section)": f"/measures/{pilot}/",
            "catalogue ?phase=": "/measures/?phase=vorprozess",
            "collaboration": "/collaboration/", "office overview": "/office/process/",
            "workspace": f"/measures/{pilot}/process/", "GET /api/v1/phases": "/api/v1/phases"}
    results = {name: {} for name in urls}
    for size in SIZES:
        missing = size - Measure.objects.filter(strategy=strategy).count()
        if missing > 0:
            generate_measures(strategy, missing, organisations=0, seed=size)
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        for name, url in urls.items():
            results[name][size] = timed(client, url)
    book = Workbook()
    sheet = book.active
    sheet.append(COLUMNS)
    for i in range(IMPORT_ROWS):
        row = {"external_id": f"B-{i}", "title": f"Importierte Maßnahme {i}", "type": "decentral",
               "status": "planned", "responsible_organisation": "skzl", "districts": "mitte;pankow",
               "action_fields": "", "start": "2025", "pilot": "no", "summary": "Kurzbeschreibung"}
        sheet.append([row.get(c, "") for c in COLUMNS])
    out = io.BytesIO()
    book.save(out)
    content = out.getvalue()
    imports = {}
    for label, dry in (("dry run", True), ("first import", False), ("unchanged re-import", False)):
        start = time.perf_counter()
        report = import_measures(actor=office, strategy=strategy, name="b.xlsx", content=content, dry_run=dry)
        imports[label] = (time.perf_counter() - start, report)
        assert report.ok
    small, large = SIZES
    lines = [f"Machine: {platform.node()} · {os.cpu_count()} cores · {cpu_model()} · Python "
             f"{platform.python_version()} · PostgreSQL {connection.pg_version // 10000}; shared with other "
             f"engineers' test runs while measured. Median of {REPEAT} requests after {WARMUP} warm-ups, Django test "
             f"client in-process, logged in as the strategy office.", "",
             f"| request | queries at {small} | queries at {large:,} | median ms at {small} | median ms at {large:,} |",
             "|---|---:|---:|---:|---:|"]
    for name, by in results.items():
        (t1, q1), (t2, q2) = by[small], by[large]
        lines.append(f"| {name} | {q1} | {q2} | {t1:.1f} | {t2:.1f} |")
    lines += ["", f"Spreadsheet import of {IMPORT_ROWS:,} rows (XLSX):", "", "| run | seconds | created | updated | "
              "unchanged |", "|---|---:|---:|---:|---:|"]
    for label, (secs, rep) in imports.items():
        lines.append(f"| {label} | {secs:.1f} | {rep.created} | {rep.updated} | {rep.unchanged} |")
    table = "\n".join(lines)
    print(table)
    (Path(__file__).parent / "RESULTS.md").write_text("# Lifecycle benchmark\n\nCommand: `DATABASE_URL=postgres://"
                                                      "postgres@127.0.0.1:5432/kompass .venv/bin/python "
                                                      "bench/lifecycle/bench.py`\n\n" + table + "\n",
                                                      encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
