#!/usr/bin/env bash
# Mutation testing of measures/strategy services, sections and measure rules with cosmic-ray (config
# mutation/core.toml). Usage: flock /tmp/kompass-heavy.lock mutation/run-core.sh [SAMPLE] [SEED] [BUDGET]
# SAMPLE (default 45) bounds the run on a shared machine; 0 runs every candidate mutant (about 2 h on 2 busy cores).
# BUDGET (seconds, default 480) stops the mutant runs after that long; mutants not reached count as "not run" and
# the score is over the mutants that ran (the sample is random, so the ones reached are a random subset too).
# The mutants are applied to a copy of the tree in a scratch directory, never to the working tree. The summary is
# written into docs/mutation/core.md between the RESULTS markers.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
sample=${1:-45}
seed=${2:-9}
budget=${3:-480}
python="$here/.venv/bin/python"
work=$(mktemp -d /tmp/kompass-mutation.XXXXXX)
trap 'rm -rf "$work"' EXIT
rsync -a --exclude .venv --exclude node_modules --exclude var --exclude .git --exclude __pycache__ "$here/" "$work/src/"
cd "$work/src"
export PYTHONPATH="$work/src" KOMPASS_MUTATION_PYTHON="$python" KOMPASS_MUTATION_BASE="$work/base"
mkdir -p "$work/base"
# A migrated SQLite test database; every mutant's test run starts from a fresh copy of it.
KOMPASS_VAR_DIR="$work/base" DATABASE_URL="sqlite:///$work/base/test-kompass.sqlite3" KOMPASS_TESTING=1 \
  "$python" manage.py migrate -v0
started=$(date -u +%s)
"$here/.venv/bin/cosmic-ray" init mutation/core.toml "$work/session.sqlite"
"$python" mutation/choose_mutants.py "$work/session.sqlite" --sample "$sample" --seed "$seed" | tee "$work/chosen.txt"
"$here/.venv/bin/cosmic-ray" baseline mutation/core.toml
timeout "$budget" "$here/.venv/bin/cosmic-ray" exec mutation/core.toml "$work/session.sqlite" || true
"$here/.venv/bin/cr-report" "$work/session.sqlite" --show-pending > "$work/report.txt" || true
"$python" "$here/mutation/summarise.py" "$work/session.sqlite" "$work/chosen.txt" "$sample" "$seed" \
  "$(( $(date -u +%s) - started ))" "$here/docs/mutation/core.md"
cp "$work/report.txt" "$here/mutation/last-core-report.txt"
