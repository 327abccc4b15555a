#!/usr/bin/env bash
# One-command lottery benchmark: bash bench/lottery/run.sh
# Creates the peer venv (sortition-algorithms 0.12.15, GPL-3.0, never imported by Kompass) on first use,
# then runs bench/lottery/bench.py, which writes bench/lottery/RESULTS.md and results.json.
# Env: PEER_TIMEOUT_LARGE (default 600 s), REPEAT (default 3), LEGACY_RUNS (default 1000; 0 = skip LEGACY),
# SYNTHETIC_LIMIT (default 60 s per synthetic scaling instance).
export LEGACY_RUNS="${LEGACY_RUNS:-1000}"
set -euo pipefail
cd "$(dirname "$0")/../.."
PEER=bench/.venv-sortition-peer
if [ ! -x "$PEER/bin/python" ] || ! "$PEER/bin/python" -c "import sortition_algorithms" 2>/dev/null; then
  python3 -m venv "$PEER"
  "$PEER/bin/pip" install -q "sortition-algorithms==0.12.15" highspy
fi
echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')" >&2
exec .venv/bin/python bench/lottery/bench.py "$@"
