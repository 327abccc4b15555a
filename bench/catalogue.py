"""Benchmark: catalogue page, measure page and GET /api/v1/measures at 100 and at 10,000 measures.

    make bench-catalogue            (DATABASE_URL=postgres://… to choose the server; default postgres@127.0.0.1)

Creates a scratch database `<name>_bench`, loads the Berlin framework, seeds organisations up to 500 and measures
up to 100, measures every URL, grows the data to 10,000 measures and measures again — all in one run. Each URL
is requested WARMUP times, then REPEAT times; the median wall time and the SQL query count are reported.
Results go to stdout and into docs/benchmarks.md between the catalogue markers.
"""

from __future__ import annotations

import os
import platform
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("KOMPASS_TESTING", "1")  # test-friendly settings (no HTTPS redirect, fast hashing)
URL = os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/kompass"
BENCH_URL = URL.rsplit("/", 1)[0] + "/" + URL.rsplit("/", 1)[1].split("?")[0] + "_bench"
os.environ["DATABASE_URL"] = BENCH_URL

import django  # noqa: E402

from bench import common  # noqa: E402

SIZES = (100, 10_000)
ORGANISATIONS = 500
WARMUP, REPEAT = 3, 25
DOC = ROOT / "docs" / "benchmarks.md"
START, END = "<!-- bench:catalogue:start -->", "<!-- bench:catalogue:end -->"


def recreate_database() -> None:
    common.recreate_database(BENCH_URL)


def measure(client, url: str) -> tuple[float, int]:
    return common.timed_get(client, url, WARMUP, REPEAT)


def main() -> int:
    recreate_database()
    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from rich.progress import Progress

    from bench.generate import generate_measures, generate_organisations
    from kompass.measures.models import Measure
    from kompass.organisations.models import Organisation
    from kompass.strategy.services import STRATEGY_LOADER, strategy_load

    call_command("migrate", verbosity=0)
    strategy = None
    strategy_load(actor=STRATEGY_LOADER, path=ROOT / "data" / "strategies" / "berlin-gdb.yaml")
    from kompass.strategy.models import Strategy

    strategy = Strategy.objects.get(is_current=True)
    generate_organisations(strategy, ORGANISATIONS - Organisation.objects.filter(strategy=strategy).count())
    client = Client()
    pilot = Measure.objects.filter(strategy=strategy, is_pilot=True).order_by("slug").first().slug
    urls = {
        "catalogue page": "/measures/",
        "catalogue, filtered + search": "/measures/?district=mitte&q=daten&sort=relevance",
        "catalogue, page 3": "/measures/?status=running&page=3",
        "measure page": f"/measures/{pilot}/",
        "GET /api/v1/measures": "/api/v1/measures?limit=20",
        "GET /api/v1/measures?q=…": "/api/v1/measures?q=wasser&limit=20",
    }
    results: dict[str, dict[int, tuple[float, int]]] = {name: {} for name in urls}
    with Progress(transient=True) as progress:
        task = progress.add_task("benchmark", total=len(SIZES) * len(urls))
        for size in SIZES:
            missing = size - Measure.objects.filter(strategy=strategy).count()
            if missing > 0:
                progress.update(task, description=f"seeding to {size} measures")
                generate_measures(strategy, missing, seed=size)
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE")
            for name, url in urls.items():
                progress.update(task, description=f"{size}: {name}")
                results[name][size] = measure(client, url)
                progress.advance(task)
    small, large = SIZES
    lines = [
        f"Machine: {platform.node()} · {os.cpu_count()} cores · {cpu_model()} · Python {platform.python_version()} · "
        f"PostgreSQL {connection.pg_version // 10000}. Command: `make bench-catalogue`. "
        f"Median of {REPEAT} requests after {WARMUP} warm-up requests, Django test client in-process "
        f"(full middleware and template rendering), {ORGANISATIONS} organisations.",
        "",
        f"| request | queries at {small} | queries at {large:,} | median ms at {small} | median ms at {large:,} "
        f"| ratio | goal met |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    ok = True
    for name, by_size in results.items():
        (t1, q1), (t2, q2) = by_size[small], by_size[large]
        ratio = t2 / t1
        met = q1 == q2 and ratio <= 1.5
        ok &= met
        lines.append(f"| {name} | {q1} | {q2} | {t1:.1f} | {t2:.1f} | {ratio:.2f} | {'yes' if met else 'NO'} |")
    lines += ["", f"Goals: identical query counts, median at {large:,} ≤ 1.5× median at {small}. "
                  f"All met: {'yes' if ok else 'no'}."]
    table = "\n".join(lines)
    print(table)
    write_section(table)
    return 0 if ok else 1


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def write_section(body: str) -> None:
    text = DOC.read_text(encoding="utf-8") if DOC.exists() else "# Benchmarks\n"
    block = f"{START}\n{body}\n{END}"
    if START in text:
        head, rest = text.split(START, 1)
        text = head + block + rest.split(END, 1)[1]
    else:
        text += f"\n## Catalogue, measure page and API (issue: foundation)\n\n{block}\n"
    DOC.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
