#!/usr/bin/env bash
# Test command for cosmic-ray: runs only the tests of the package whose module is mutated right now
# (cosmic-ray mutates one file in the work tree; git names it). Exit code 0 = mutant survived.
set -u
cd "$(dirname "$0")/.."
changed=$(git diff --name-only -- kompass/)
if [ "$(printf '%s\n' "$changed" | grep -c .)" -gt 1 ]; then
  # A run stopped mid-mutation left a mutated file behind: refuse to guess (exit 0 counts as "survived",
  # so such a state can only lower the score, never raise it).
  echo "run_tests.sh: more than one changed module: $changed" >&2; exit 0
fi
PY=${KOMPASS_PYTHON:-.venv/bin/python}
FAST="env KOMPASS_FAST_PROPERTIES=1 HYPOTHESIS_PROFILE=kompass"
case "$changed" in
  kompass/algorithms/progress/*)
    exec $FAST $PY -m pytest -p no:django -p no:cacheprovider -x -q --no-header tests/algorithms/test_progress_edges.py \
      tests/algorithms/test_progress_api.py tests/algorithms/test_progress_open_sdg.py \
      tests/algorithms/test_progress_other_methods.py tests/algorithms/test_progress_reference.py \
      tests/algorithms/test_progress_properties.py ;;
  kompass/algorithms/opinions/*)
    exec $FAST $PY -m pytest -p no:django -p no:cacheprovider -x -q --no-header tests/algorithms/test_opinions_statistics.py \
      tests/algorithms/test_opinions_core.py tests/algorithms/test_opinions_properties.py ;;
  kompass/monitoring/rules.py|kompass/monitoring/services/chains.py|kompass/monitoring/services/targets.py)
    exec env KOMPASS_TESTING=1 DATABASE_URL= $PY -m pytest -p no:cacheprovider -x -q --no-header \
      tests/monitoring/test_decisions.py tests/monitoring/test_permissions.py tests/monitoring/test_status.py ;;
  kompass/monitoring/services/cycles.py)
    exec env KOMPASS_TESTING=1 DATABASE_URL= $PY -m pytest -p no:cacheprovider -x -q --no-header \
      tests/monitoring/test_decisions.py tests/monitoring/test_cycles.py ;;
  kompass/monitoring/services/statuses.py)
    exec env KOMPASS_TESTING=1 DATABASE_URL= $PY -m pytest -p no:cacheprovider -x -q --no-header \
      tests/monitoring/test_status.py tests/monitoring/test_seed.py tests/monitoring/test_cycles.py ;;
  kompass/monitoring/*)  # measurements, uploads, values, _common
    exec env KOMPASS_TESTING=1 DATABASE_URL= $PY -m pytest -p no:cacheprovider -x -q --no-header \
      tests/monitoring/test_import.py tests/monitoring/test_permissions.py tests/monitoring/test_decisions.py ;;
  *)
    echo "run_tests.sh: no mutated module found (git diff is empty)" >&2; exit 3 ;;
esac
