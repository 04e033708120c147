# Skills4Cities platform — developer entry points. See README.md.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8000
export DEBUG ?= 1
export SITE_URL ?= http://127.0.0.1:$(PORT)

.PHONY: demo test lint fmt install install-dev migrate serve openapi openapi-check messages compilemessages clean

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is needed (set PYTHON=/path/to/python3.11)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install --quiet -e .

install-dev: $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'

## compilemessages: rebuild the committed .mo files from the .po files (needs GNU gettext's msgfmt)
compilemessages: install
	@if command -v msgfmt >/dev/null; then \
	  cd src/skills4cities && ../../$(BIN)/skills4cities compilemessages --ignore=.venv >/dev/null; \
	else echo "msgfmt not found: using the committed .mo files"; fi

migrate: install compilemessages
	$(BIN)/skills4cities migrate --no-input

## demo: install, migrate SQLite, load the reference content and demo data, serve on 127.0.0.1:$(PORT)
demo: migrate
	$(BIN)/skills4cities load_reference
	$(BIN)/skills4cities seed_demo
	$(BIN)/skills4cities collectstatic --no-input -v 0
	$(BIN)/skills4cities fail_stale_imports --older-than 0 -v 0
	$(BIN)/skills4cities build_matching_index --enqueue --fail-running  # the worker below builds them (minutes)
	@echo "Serving on http://127.0.0.1:$(PORT)/ with a background worker for imports and matching indexes (Ctrl+C to stop)"
	$(BIN)/skills4cities db_worker --no-reload -v 0 & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null; sleep 1; kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	  $(BIN)/skills4cities runserver 127.0.0.1:$(PORT)

## test: install and run the whole suite (browser tests run where /usr/bin/chromium exists)
test: install-dev compilemessages
	-npm ci --prefix interop/verify-vc --no-audit --no-fund --silent  # the credential interop test's JS verifier
	$(BIN)/pytest -n 2 --dist loadfile

lint: install-dev
	$(BIN)/ruff check src tests tools bench
	$(BIN)/ruff format --check src tests tools bench
	$(BIN)/lint-imports
	$(BIN)/mypy

fmt: install-dev
	$(BIN)/ruff check --fix src tests tools bench
	$(BIN)/ruff format src tests tools bench

## openapi: regenerate the committed OpenAPI file; openapi-check: fail when it drifted
openapi: install
	$(BIN)/skills4cities spectacular --file docs/openapi.yaml --validate

openapi-check: install
	$(BIN)/skills4cities spectacular --file var/openapi.generated.yaml --validate
	diff -u docs/openapi.yaml var/openapi.generated.yaml && echo "OpenAPI file is up to date."

## messages: extract UI strings into the .po files of every language
messages: install
	cd src/skills4cities && ../../$(BIN)/skills4cities makemessages -l en -l bg -l ro -l el -l es -l de --no-obsolete --ignore=static/vendor/*

clean:
	rm -rf var/ .pytest_cache .mypy_cache .ruff_cache
