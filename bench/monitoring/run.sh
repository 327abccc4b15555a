#!/usr/bin/env bash
# Monitoring benchmark on PostgreSQL (scratch database kompass_monitoring_bench). Results: bench/monitoring/RESULTS.md
set -euo pipefail
cd "$(dirname "$0")/../.."
exec .venv/bin/python bench/monitoring/bench.py "$@"
