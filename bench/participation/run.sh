#!/usr/bin/env bash
# One-command participation benchmark: bash bench/participation/run.sh
# Needs PostgreSQL (BENCH_PG, default postgres://postgres@127.0.0.1:5432); drops and recreates the scratch database
# kompass_participation_bench. Knobs: BENCH_CLIENTS (50), BENCH_REQUESTS (1000 per URL), BENCH_SECONDS (60 per URL),
# BENCH_WORKERS (3 gunicorn workers), BENCH_SUPPORT_PROCESSES (4), BENCH_SUPPORT_THREADS (8), BENCH_SUPPORTS_SPREAD (20000), BENCH_SUPPORTS_HOT (5000).
# Writes bench/participation/RESULTS.md and results.json.
set -euo pipefail
cd "$(dirname "$0")/../.."
echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')" >&2
exec .venv/bin/python bench/participation/bench.py "$@"
