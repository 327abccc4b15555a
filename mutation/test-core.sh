#!/usr/bin/env bash
# One mutant's test run: the tests of measures/strategy services, sections and rules on SQLite, on a fresh copy
# of the migrated test database that mutation/run-core.sh prepared ($KOMPASS_MUTATION_BASE).
set -u
var=$(mktemp -d /tmp/kompass-mutant.XXXXXX)
cp "$KOMPASS_MUTATION_BASE/test-kompass.sqlite3" "$var/"
cp "$KOMPASS_MUTATION_BASE/secret_key" "$var/" 2>/dev/null || true
KOMPASS_VAR_DIR="$var" KOMPASS_TESTING=1 DATABASE_URL= "$KOMPASS_MUTATION_PYTHON" -m pytest -x -q -p no:cacheprovider \
  --reuse-db -o addopts="" \
  tests/measures/test_services.py tests/measures/test_wiring.py tests/strategy/test_services.py \
  tests/strategy/test_loader.py tests/accounts/test_permissions.py >"$var/pytest.log" 2>&1
rc=$?
rm -rf "$var"
exit $rc
