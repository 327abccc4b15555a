# Kompass — two commands: `make run` serves the portal, `make test` runs the whole suite.
SHELL := /bin/bash
PYTHON ?= python3
PORT ?= 8000
VENV := .venv
BIN := $(VENV)/bin
PG_URL ?= $(or $(DATABASE_URL),postgres://postgres@127.0.0.1:5432/kompass)
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: run test venv venv-dev messages migrate lint test-sqlite test-postgres bench bench-catalogue \
        bench-lottery bench-opinions vendor screenshots clean help cluster-test bench-load deploy-tools \
        bench-auth bench-scaling makemessages

help:
	@echo "make run     set up everything and serve the portal at http://127.0.0.1:$(PORT) (PORT=… to change)"
	@echo "make test    set up and run the whole test suite (SQLite, then PostgreSQL when reachable)"
	@echo "make bench   run the benchmarks (see docs/benchmarks.md)"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.stamp-runtime: requirements.lock pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e . 2>/dev/null || $(BIN)/pip install --quiet --no-deps -e .
	touch $@

$(VENV)/.stamp-dev: requirements-dev.lock $(VENV)/.stamp-runtime
	$(BIN)/pip install --quiet --require-hashes -r requirements-dev.lock
	touch $@

venv: $(VENV)/.stamp-runtime
venv-dev: $(VENV)/.stamp-dev

# Compiled translations (.mo) are build artefacts; GNU gettext's msgfmt compiles them.
MO_FILES := $(patsubst %.po,%.mo,$(wildcard kompass/locale/*/LC_MESSAGES/*.po))
kompass/locale/%.mo: kompass/locale/%.po
	@command -v msgfmt >/dev/null || (apt-get update -qq && apt-get install -y -qq gettext >/dev/null)
	msgfmt --check -o $@ $<
messages: $(MO_FILES)

# Message extraction (docs/translation.md): English msgids in the sources, German in kompass/locale/de. Rewrites the
# catalogue from the sources (no obsolete entries kept), then compiles it; new entries come untranslated and similar
# ones fuzzy: translate them, then `make messages` (tests/portal/test_catalogue_sync.py checks the catalogue is in sync).
MAKEMESSAGES_IGNORE := node_modules var tests bench docs mutation deploy data scripts
makemessages: venv
	@command -v xgettext >/dev/null || (apt-get update -qq && apt-get install -y -qq gettext >/dev/null)
	DEBUG=1 $(BIN)/python manage.py makemessages --locale de --no-obsolete $(addprefix --ignore=,$(MAKEMESSAGES_IGNORE))
	$(MAKE) messages
	@msgfmt --check --statistics -o /dev/null kompass/locale/de/LC_MESSAGES/django.po

migrate: venv messages
	DEBUG=1 $(BIN)/kompass migrate --noinput -v 0

run: migrate
	DEBUG=1 $(BIN)/kompass load-strategy data/strategies/berlin-gdb.yaml --if-empty
	DEBUG=1 $(BIN)/kompass load_monitoring data/monitoring/berlin-gdb-monitoring.yaml
	DEBUG=1 $(BIN)/kompass send_indicator_reminders --schedule
	@echo "Kompass serves the portal at http://127.0.0.1:$(PORT)/ (Ctrl-C stops it); a task worker runs beside it"
	@export KOMPASS_SITE_URL="$${KOMPASS_SITE_URL:-http://127.0.0.1:$(PORT)}"; \
	DEBUG=1 $(BIN)/kompass db_worker --interval 1 > var/worker.log 2>&1 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	DEBUG=1 $(BIN)/kompass runserver 127.0.0.1:$(PORT)

# Browser tests need Debian's chromium and axe-core from npm; both are installed here when missing.
/usr/bin/chromium:
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core >/dev/null

# The deployment files are validated by Debian's nginx, PgBouncer and memcached (tests/ops/test_deploy.py,
# tests/ops/test_edgecache.py, make cluster-test). Debian's `nginx` has the memcached module built in (ADR 0043).
/usr/sbin/nginx /usr/sbin/pgbouncer /usr/bin/memcached /usr/bin/systemd-analyze:
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx pgbouncer memcached openssl systemd >/dev/null
deploy-tools: /usr/sbin/nginx /usr/sbin/pgbouncer /usr/bin/memcached /usr/bin/systemd-analyze

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

lint: venv-dev
	$(BIN)/ruff check .
	$(BIN)/lint-imports

# The tools above are guaranteed here: a deploy validator that is missing fails instead of skipping.
test: export KOMPASS_STRICT_TOOLS = 1
test: venv-dev messages /usr/bin/chromium node_modules/.package-lock.json deploy-tools lint
	@set -e; ran="sqlite"; \
	echo "== Test suite on SQLite"; \
	KOMPASS_TESTING=1 DATABASE_URL= $(BIN)/pytest $(PYTEST_ARGS); \
	if $(BIN)/python scripts/db_reachable.py "$(PG_URL)"; then \
	  echo "== Test suite on PostgreSQL ($(PG_URL))"; \
	  KOMPASS_TESTING=1 DATABASE_URL="$(PG_URL)" $(BIN)/pytest $(PYTEST_ARGS); ran="$$ran postgresql"; \
	else echo "== PostgreSQL not reachable at $(PG_URL): skipped"; fi; \
	echo "== Databases tested: $$ran"

test-sqlite: venv-dev messages
	KOMPASS_TESTING=1 DATABASE_URL= $(BIN)/pytest $(PYTEST_ARGS)

test-postgres: venv-dev messages
	KOMPASS_TESTING=1 DATABASE_URL="$(PG_URL)" $(BIN)/pytest $(PYTEST_ARGS)

bench: bench-catalogue bench-lifecycle bench-monitoring bench-participation bench-lottery bench-opinions

bench-catalogue: venv-dev
	DATABASE_URL="$(PG_URL)" $(BIN)/python bench/catalogue.py

bench-lifecycle: venv-dev
	DATABASE_URL="$(PG_URL)" $(BIN)/python bench/lifecycle/bench.py

bench-monitoring: venv-dev
	bash bench/monitoring/run.sh

bench-participation: venv-dev
	bash bench/participation/run.sh

bench-lottery: venv-dev
	flock /tmp/kompass-heavy.lock bash bench/lottery/run.sh

bench-opinions: venv-dev
	bash bench/opinions/run.sh

# The production topology on loopback under load and failures (bench/cluster/run.py); not part of `make test`.
cluster-test: venv-dev messages deploy-tools
	flock /tmp/kompass-heavy.lock $(BIN)/python bench/cluster/run.py
	$(BIN)/python bench/collect.py

# Load benchmark of the same topology (bench/load/run.py, needs Debian's wrk); writes docs/benchmarks.md.
bench-load: venv-dev messages deploy-tools
	@command -v wrk >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null)
	flock /tmp/kompass-heavy.lock $(BIN)/python bench/load/run.py
	$(BIN)/python bench/collect.py

# Logged-in pages and token API calls under load (bench/load/auth_paths.py: one gunicorn, 2 sync workers, wrk;
# AUTH_DB, AUTH_PORT, AUTH_REDIS_PORT, AUTH_ARGS="--label=… --before=…json" to change), then the same paths'
# CPU per request in-process; both into docs/benchmarks.md.
# Two app servers against one when a second core is free (one sync worker per server; bench/load/scaling.py).
bench-scaling: venv-dev messages deploy-tools
	@command -v wrk >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null)
	flock /tmp/kompass-heavy.lock $(BIN)/python bench/load/scaling.py
	$(BIN)/python bench/collect.py

bench-auth: venv-dev messages deploy-tools
	@command -v wrk >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null)
	flock /tmp/kompass-heavy.lock $(BIN)/python bench/load/auth_paths.py $(AUTH_ARGS)
	flock /tmp/kompass-heavy.lock $(BIN)/python bench/load/auth_paths.py --queries --n=30 --write $(AUTH_CPU_ARGS)
	$(BIN)/python bench/collect.py

KERN := node_modules/@kern-ux/native
KERN_OUT := kompass/portal/static/vendor/kern
vendor: node_modules/.package-lock.json
	cp node_modules/htmx.org/dist/htmx.min.js kompass/portal/static/vendor/htmx/htmx.min.js
	rm -rf $(KERN_OUT) && mkdir -p $(KERN_OUT)/fonts/fira-sans
	cp $(KERN)/dist/kern.min.css $(KERN)/LICENSE.md $(KERN_OUT)/
	cp $(KERN)/dist/fonts/fira-sans.css $(KERN_OUT)/fonts/
	for f in $$(grep -o 'fira-sans/[A-Za-z-]*\.woff2' $(KERN)/dist/fonts/fira-sans.css); do cp $(KERN)/dist/fonts/$$f $(KERN_OUT)/fonts/$$f; done
	printf '%s\n' "KERN UX $$(node -p "require('./$(KERN)/package.json').version") (npm @kern-ux/native), EUPL-1.2: see LICENSE.md." \
	  "Fonts: Fira Sans (Mozilla, Carrois), SIL Open Font License 1.1, as shipped in @kern-ux/native." \
	  "Copied here by \`make vendor\` from node_modules; served by Kompass itself (no CDN)." > $(KERN_OUT)/NOTICE

# Screenshots of every page type at phone and desktop width (German UI) into docs/screenshots/.
screenshots: venv-dev messages /usr/bin/chromium node_modules/.package-lock.json
	KOMPASS_SCREENSHOTS=1 KOMPASS_TESTING=1 DATABASE_URL= $(BIN)/pytest tests/browser/test_screenshots.py -q -p no:randomly

clean:
	rm -rf $(VENV) node_modules var/static
