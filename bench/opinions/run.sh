#!/usr/bin/env bash
# Opinion-mapping benchmark: Kompass vs. red-dwarf 0.4.0 on the same planted data.
#   bash bench/opinions/run.sh                 # full run, writes bench/opinions/RESULTS.md
#   SKIP_REDDWARF=1 bash bench/opinions/run.sh # Kompass only
# Env: PARTICIPANTS (50000), STATEMENTS (3000), N_GROUPS (4), DENSITY (0.05), KOMPASS_REPEATS (3).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT="$PWD"
PY="$ROOT/.venv/bin/python"
RD_VENV="$ROOT/bench/.venv-reddwarf"
OUT="$ROOT/bench/out/opinions"
P="${PARTICIPANTS:-50000}"; S="${STATEMENTS:-3000}"; G="${N_GROUPS:-4}"; D="${DENSITY:-0.05}"
DATA="$OUT/votes_${P}x${S}_g${G}_d${D}.npz"
mkdir -p "$OUT"

if [ -z "${SKIP_REDDWARF:-}" ]; then
  if [ ! -x "$RD_VENV/bin/python" ] || ! "$RD_VENV/bin/python" -c "import reddwarf" 2>/dev/null; then
    echo "== creating $RD_VENV with red-dwarf 0.4.0"
    python3 -m venv "$RD_VENV"
    "$RD_VENV/bin/pip" install --quiet --disable-pip-version-check "red-dwarf==0.4.0"
  fi
fi

if [ ! -f "$DATA" ]; then
  echo "== generating $DATA"
  PYTHONPATH="$ROOT" "$PY" bench/opinions/generate.py --out "$DATA" \
    --participants "$P" --statements "$S" --groups "$G" --density "$D"
fi

echo "== running (load average: $(cut -d' ' -f1-3 /proc/loadavg))"
ARGS=(--data "$DATA" --out-dir "$OUT" --reddwarf-python "$RD_VENV/bin/python"
      --kompass-repeats "${KOMPASS_REPEATS:-3}")
[ -n "${SKIP_REDDWARF:-}" ] && ARGS+=(--skip-reddwarf)
PYTHONPATH="$ROOT" "$PY" bench/opinions/bench.py "${ARGS[@]}"

if [ -z "${SKIP_REDDWARF:-}" ]; then
  echo "== representative statements / consensus vs. red-dwarf on the same groups"
  PYTHONPATH="$ROOT" "$RD_VENV/bin/python" bench/opinions/compare_statistics.py --results bench/opinions/RESULTS.md
fi

echo "== 2-D vs. 4-D clustering on noisier data"
PYTHONPATH="$ROOT" "$PY" bench/opinions/cluster_dims.py --results bench/opinions/RESULTS.md
