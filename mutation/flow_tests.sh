#!/usr/bin/env bash
# Test command for cosmic-ray (mutation/flow.toml): runs only the tests that cover the module mutated right now
# (cosmic-ray changes one file of the work tree; git names it). Exit code 0 = the mutant survived.
# SQLite with a reused test database in its own directory, so a run costs seconds, not a migration.
set -u
cd "$(dirname "$0")/.."
changed=$(git diff --name-only -- 'kompass/lifecycle/*.py' 'kompass/participation/*.py' | head -1)
L=tests/lifecycle
P=tests/participation
case "$changed" in
  kompass/lifecycle/rules.py) tests="$L/test_rules.py $L/test_roles.py" ;;
  kompass/participation/rules.py) tests="$P/test_rules.py $P/test_roles_and_moderation.py" ;;
  kompass/lifecycle/services/phases.py|kompass/lifecycle/services/process.py)
    tests="$L/test_process.py $L/test_properties.py $L/test_api.py" ;;
  kompass/lifecycle/services/imports.py) tests="$L/test_spreadsheets.py" ;;
  kompass/lifecycle/services/selection.py) tests="$L/test_selection.py $L/test_roles.py $P/test_idea_to_measure.py" ;;
  kompass/lifecycle/services/lessons.py) tests="$L/test_collaboration.py $L/test_records.py $L/test_api.py" ;;
  kompass/lifecycle/services/_common.py)
    tests="$L/test_selection.py $L/test_spreadsheets.py $L/test_records.py $L/test_process.py" ;;
  kompass/lifecycle/services/*) tests="$L/test_records.py $L/test_roles.py $L/test_process.py" ;;
  kompass/participation/services/ideas.py) tests="$P/test_ideas.py $P/test_idea_to_measure.py $P/test_api.py" ;;
  kompass/participation/services/moderation.py|kompass/participation/services/ratelimit.py)
    tests="$P/test_roles_and_moderation.py $P/test_api.py" ;;
  kompass/participation/services/consultations.py) tests="$P/test_consultations.py $P/test_api.py" ;;
  kompass/participation/services/notifications.py) tests="$P/test_notifications.py $P/test_ideas.py" ;;
  kompass/participation/services/privacy.py) tests="$P/test_citizen_accounts.py $P/test_idea_to_measure.py" ;;
  kompass/participation/services/*) tests="$P/test_ideas.py $P/test_api.py $P/test_roles_and_moderation.py" ;;
  # No mutated module found: report "survived" (exit 0), so a broken setup lowers the score instead of raising it.
  *) echo "flow_tests.sh: no mutated module found (git diff is empty)" >&2; exit 0 ;;
esac
export KOMPASS_TESTING=1 DATABASE_URL= KOMPASS_VAR_DIR=${KOMPASS_MUTATION_VAR:-/tmp/kompass-archflow-mutation}
mkdir -p "$KOMPASS_VAR_DIR"
# shellcheck disable=SC2086
exec "${KOMPASS_PYTHON:-.venv/bin/python}" -m pytest -p no:cacheprovider --reuse-db -x -q --no-header $tests
