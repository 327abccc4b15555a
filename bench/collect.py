"""Assemble docs/benchmarks.md from the benchmarks' own result files.

    .venv/bin/python bench/collect.py

Keeps the catalogue section (written by bench/catalogue.py between its markers) and appends every
result file in SECTIONS (bench/<name>/RESULTS.md, bench/load/AUTH_*.md) with its headings moved one level down."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "benchmarks.md"
SECTIONS = [  # (result file under bench/, section title, command)
    ("lifecycle/RESULTS.md", "Measure lifecycle pages and spreadsheet import (issue 3)", "make bench-lifecycle"),
    ("monitoring/RESULTS.md", "Monitoring: dashboard, indicator pages, status recomputation, cycle report (issue 4)",
     "make bench-monitoring"),
    ("participation/RESULTS.md", "Participation under load, supports per second (issue 5)", "make bench-participation"),
    ("opinions/RESULTS.md", "Opinion mapping against red-dwarf 0.4.0 (issue 5)", "make bench-opinions"),
    ("lottery/RESULTS.md", "Citizens' panel lottery against sortition-algorithms 0.12.15 (issue 6)",
     "make bench-lottery"),
    ("load/RESULTS.md", "Production topology under load: page cache, static reference, scaling (issue 12)",
     "make bench-load"),
    ("load/EXPIRY.md", "Entry expiry under load: one page across the expiry of its cache entries (issue 12, ADR 0088)",
     "python bench/load/expiry.py"),
    ("load/SCALING.md", "Two app servers against one when CPU allows (issue 12)", "make bench-scaling"),
    ("load/AUTH_RESULTS.md", "Logged-in pages and token API under load (issue 12)", "make bench-auth"),
    ("load/AUTH_CPU.md", "Logged-in pages and token API: CPU per request, in-process (issue 12)", "make bench-auth"),
    ("cluster/RESULTS.md", "Cluster test: failures under load, acknowledged writes checked (issue 12)",
     "make cluster-test"),
]
START, END = "<!-- bench:catalogue:start -->", "<!-- bench:catalogue:end -->"


def demote(text: str) -> str:
    lines = text.strip().splitlines()
    if lines and lines[0].startswith("# "):
        lines = lines[1:]  # the section heading replaces the file's title
    return "\n".join("#" + line if line.startswith("#") else line for line in lines).strip()


def main() -> None:
    current = DOC.read_text(encoding="utf-8") if DOC.exists() else ""
    catalogue = current.split(START, 1)[1].split(END, 1)[0].strip() if START in current else "(not yet run)"
    parts = [
        "# Benchmarks",
        "",
        "Speed is measured, not asserted in timed tests: each benchmark runs with one command (`make bench` runs "
        "them all) and records the machine and the command with its numbers. Query counts per page are "
        "additionally asserted in the test suite (they must not grow with the data). All runs so far were on "
        "this project's 2-core machine kind (AMD EPYC, 24 GiB), often shared with other work at the time; "
        "each section says so where it mattered. This file is assembled by `bench/collect.py`.",
        "",
        "## Catalogue, measure page and API (issue 2, `make bench-catalogue`)",
        "",
        START,
        catalogue,
        END,
    ]
    for name, title, command in SECTIONS:
        results = ROOT / "bench" / name
        if results.exists():
            parts += ["", f"## {title} (`{command}`)", "", demote(results.read_text(encoding="utf-8"))]
    DOC.write_text("\n".join(parts) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
