# SIKAP — developer commands. `make help` lists them.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
FLASK := SIKAP_ENV=development $(VENV)/bin/flask --app wsgi
STAMP := $(VENV)/.installed
# Medium severity and confidence and above; a reviewed false positive carries `# nosec` with its reason.
BANDIT := $(VENV)/bin/bandit -q -r app config.py wsgi.py --severity-level medium \
	--confidence-level medium
HOST ?= 127.0.0.1
PORT ?= 5000
# Links in mails (the demo's and the server's) point where `make run` serves, unless set.
BASE_URL ?= http://$(HOST):$(PORT)
export BASE_URL
CATALOGUES := $(patsubst %.po,%.mo,$(wildcard app/translations/*/LC_MESSAGES/*.po))

.DEFAULT_GOAL := help
.PHONY: help run test lint audit format migrate demo translations extract worker bench bench-scale clean browser axe

help: ## List the commands
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-13s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	test -d $(VENV) || python3 -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e '.[dev]'
	touch $(STAMP)

%.mo: %.po $(STAMP)
	$(VENV)/bin/pybabel compile --use-fuzzy -i $< -o $@ 2>/dev/null

translations: $(CATALOGUES) ## Compile the message catalogues

migrate: $(STAMP) ## Apply the migrations to the development database
	mkdir -p instance
	$(FLASK) db upgrade

demo: migrate ## Load the demo organisation (idempotent)
	$(FLASK) seed-demo --history-years 2

run: $(STAMP) translations demo ## Set up and serve (PORT=5000 HOST=127.0.0.1 by default) with one queue worker
	@echo "SIKAP on http://$(HOST):$(PORT) (Ctrl-C stops the server and the worker)"
	@trap 'kill 0' INT TERM EXIT; \
	$(FLASK) worker & \
	$(FLASK) run --host $(HOST) --port $(PORT) --no-reload

worker: $(STAMP) ## Run the task queue's worker alone (period openings, mail, reminders, digests)
	$(FLASK) worker

# HarfBuzz-Subset: WeasyPrint (the SKP PDF) warns without it from version 70 on, and the
# suite turns warnings into errors.
browser: ## Install Debian's Chromium, PgBouncer and HarfBuzz-Subset for the tests (when missing and possible)
	@command -v chromium >/dev/null && command -v chromedriver >/dev/null && [ -x /usr/sbin/pgbouncer ] && \
	  /sbin/ldconfig -p | grep -q libharfbuzz-subset.so.0 || \
	{ command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ] && \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver \
	  pgbouncer libharfbuzz-subset0 >/dev/null; } || \
	echo "Chromium, PgBouncer or HarfBuzz-Subset could not be installed: their tests will fail or be skipped"

AXE := tests/vendor/node_modules/axe-core/axe.min.js

# Test-only: the browser tests inject it into pages; it is never served by the app.
$(AXE): tests/vendor/package.json
	@command -v npm >/dev/null || { echo "npm is missing: the accessibility test will be skipped"; exit 0; }; \
	cd tests/vendor && npm ci --no-audit --no-fund --silent && touch node_modules/axe-core/axe.min.js

axe: $(AXE) ## Install axe-core (npm, test-only) for the accessibility test

test: $(STAMP) translations browser $(AXE) ## Run the whole test suite (SQLite, PostgreSQL, Chromium, axe-core)
	$(VENV)/bin/pytest -n 2 --durations=25

bench: $(STAMP) translations ## Every benchmark (25,000 employees, PostgreSQL): one table, bench/results.json
	$(PY) bench/run.py

bench-scale: $(STAMP) translations ## National rehearsal: pages and opening at 25,000 and 1,000,000 employees (20-40 min)
	$(PY) bench/scale.py

lint: $(STAMP) ## ruff check and format check, bandit
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(BANDIT)

audit: $(STAMP) ## pip-audit of the installed dependencies (needs its vulnerability service)
	@# Fails when the vulnerability service cannot be reached: an audit that audited nothing is no pass.
	$(VENV)/bin/pip-audit --strict --skip-editable --progress-spinner off

format: $(STAMP) ## Format the code with ruff
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

extract: $(STAMP) ## Extract messages and update the catalogues
	$(VENV)/bin/pybabel extract -F babel.cfg -k _l -k lazy_gettext -o app/translations/messages.pot .
	$(VENV)/bin/pybabel update -i app/translations/messages.pot -d app/translations --no-fuzzy-matching

clean: ## Remove the virtualenv, caches and the development database
	rm -rf $(VENV) instance .pytest_cache .ruff_cache .hypothesis
