#!/usr/bin/env bash
# One-command lottery benchmark: make bench-lottery (or bash bench/lottery/run.sh)
# Creates the peer venv (sortition-algorithms 0.12.15, GPL-3.0, never imported by Kompass) on first use,
# then runs bench/lottery/bench.py, which writes bench/lottery/RESULTS.md, results.json and the lottery
# section of docs/benchmarks.md. Env: RUNS (default 1 cold run per tool and instance), KOMPASS_LIMIT (300 s),
# PEER_TIMEOUT (300 s), SORTITION_DATA (default ../shared/data/sortition next to the repository).
set -euo pipefail
cd "$(dirname "$0")/../.."
PEER=bench/.venv-sortition-peer
if [ ! -x "$PEER/bin/python" ] || ! "$PEER/bin/python" -c "import sortition_algorithms" 2>/dev/null; then
  python3 -m venv "$PEER"
  "$PEER/bin/pip" install -q "sortition-algorithms==0.12.15" highspy
fi
exec .venv/bin/python bench/lottery/bench.py "$@"
