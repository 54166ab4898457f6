# Amends — every command a developer or CI needs. `make help` lists them.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV        := .venv
PY          := $(VENV)/bin/python
MANAGE      := $(PY) manage.py
HOST        ?= 127.0.0.1
PORT        ?= 8000
DATABASE_URL_PG ?= postgres://postgres@127.0.0.1:5432/amends
# scripts/pytest turns pytest's exit 5 (collected nothing) into a failure.
PYTEST      := scripts/pytest

.PHONY: help run setup demo test test-pg test-browser lint format types worker \
        migrations-check deploy-check messages lock clean bench bench-data

help: ## List the commands
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sort | \
	  awk 'BEGIN {FS = ":.*## "}; {printf "  make %-18s %s\n", $$1, $$2}'

# --- environment -------------------------------------------------------------------------
# The stamps make re-runs fast: pip runs again only when a requirements file changes.
$(VENV)/.python:
	@python=$$(scripts/find-python) || exit 1; \
	  echo "Creating $(VENV) with $$python"; \
	  "$$python" -m venv $(VENV) && $(PY) -m pip install --quiet --upgrade pip && touch $@

$(VENV)/.base: $(VENV)/.python requirements/base.txt requirements/constraints.txt
	$(PY) -m pip install --quiet -r requirements/base.txt -c requirements/constraints.txt
	@touch $@

$(VENV)/.dev: $(VENV)/.base requirements/dev.txt requirements/bench.txt
	$(PY) -m pip install --quiet -r requirements/dev.txt -c requirements/constraints.txt
	@touch $@

locale/es/LC_MESSAGES/django.mo: locale/es/LC_MESSAGES/django.po $(VENV)/.base
	$(MANAGE) compilemessages --ignore=.venv --verbosity 0

setup: $(VENV)/.base locale/es/LC_MESSAGES/django.mo ## Install runtime dependencies

# --- running -----------------------------------------------------------------------------
run: setup ## Set up everything on first run, load demo data once, serve on 127.0.0.1:8000
	AMENDS_DEMO=1 $(MANAGE) migrate --no-input --verbosity 0
	AMENDS_DEMO=1 $(MANAGE) demo --once
	AMENDS_DEMO=1 $(MANAGE) runserver $(HOST):$(PORT)

worker: setup ## Run the background worker (database task queue)
	$(MANAGE) db_worker

demo: setup ## (Re)create the demo organisation, programmes and users
	AMENDS_DEMO=1 $(MANAGE) migrate --no-input --verbosity 0
	AMENDS_DEMO=1 $(MANAGE) demo

# --- quality -----------------------------------------------------------------------------
test: $(VENV)/.dev locale/es/LC_MESSAGES/django.mo ## Install dev dependencies and run the suite on SQLite
	$(PYTEST) -n auto -m "not browser"

test-pg: $(VENV)/.dev locale/es/LC_MESSAGES/django.mo ## Run the same suite on PostgreSQL (DATABASE_URL, default the local server)
	@[ -n "$${DATABASE_URL:-}" ] || scripts/ensure-postgres
	DATABASE_URL=$${DATABASE_URL:-$(DATABASE_URL_PG)} $(PYTEST) -n auto -m "not browser"

test-browser: $(VENV)/.dev locale/es/LC_MESSAGES/django.mo ## Browser tests in Debian's Chromium (installs it if missing)
	@command -v /usr/bin/chromium >/dev/null || scripts/install-chromium
	$(PYTEST) -m browser

lint: $(VENV)/.dev ## ruff: lint and formatting check
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.dev ## ruff: fix what can be fixed and format
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

types: $(VENV)/.dev ## mypy --strict with django-stubs
	$(VENV)/bin/mypy

$(VENV)/.bench: $(VENV)/.base requirements/bench.txt
	$(PY) -m pip install --quiet -r requirements/bench.txt -c requirements/constraints.txt
	@touch $@

SIZE ?= S
DB   ?= sqlite
bench: $(VENV)/.bench ## Benchmarks (SIZE=S|M|XL DB=sqlite|postgres); figures in var/bench/
	@[ "$(DB)" != postgres ] || scripts/ensure-postgres
	PY=$(PY) SIZE=$(SIZE) DB=$(DB) bench/run

bench-data: $(VENV)/.bench ## Only generate (or reuse) the benchmark dataset (SIZE, DB)
	@[ "$(DB)" != postgres ] || scripts/ensure-postgres
	$(PY) bench/web.py --size $(SIZE) --db $(DB) --dataset-only

migrations-check: $(VENV)/.base ## Fail when models and migrations disagree
	$(MANAGE) makemigrations --check --dry-run

deploy-check: $(VENV)/.base ## manage.py check --deploy under the production profile, with throwaway secrets
	@scripts/deploy-check

messages: $(VENV)/.dev ## Extract translatable strings into locale/es
	$(MANAGE) makemessages --locale es --ignore=.venv --ignore=var --no-obsolete

lock: $(VENV)/.dev ## Re-pin every transitive dependency into requirements/constraints.txt
	$(PY) -m pip freeze --exclude-editable | grep -v '^pip==' > requirements/constraints.txt

clean: ## Remove the virtual environment (keeps var/: data and keys)
	rm -rf $(VENV)
