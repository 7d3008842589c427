# Entry points for newcomers, maintainers and CI. Everything runs inside .venv, created on demand.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export NO_MKDOCS_2_WARNING := 1
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: install install-dev serve build check test lint format browser clean

$(BIN)/mkdocs: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --disable-pip-version-check -q -r requirements.txt
	@touch $@

$(VENV)/.dev-installed: requirements-dev.txt requirements.txt $(BIN)/mkdocs
	$(BIN)/pip install --disable-pip-version-check -q -r requirements-dev.txt
	@touch $@

install: $(BIN)/mkdocs  ## install the site's pinned dependencies

install-dev: $(VENV)/.dev-installed  ## install the test and lint tools too

serve: install  ## build and serve the site at http://127.0.0.1:8000, rebuilding on edits
	$(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000

build: install  ## build site/ (all languages), failing on any warning
	$(BIN)/mkdocs build --strict

check: install  ## validate resources.yaml and the taxonomy without building
	PYTHONPATH=hooks $(BIN)/python -m spmlib check

browser:  ## Debian's Chromium for the browser tests (Playwright cannot download one here)
	@command -v chromium >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; fi; }

test: install-dev browser  ## run the whole test suite
	$(BIN)/python -m pytest

lint: install-dev
	$(BIN)/ruff check hooks tests
	$(BIN)/ruff format --check hooks tests

format: install-dev
	$(BIN)/ruff format hooks tests
	$(BIN)/ruff check --fix hooks tests

clean:
	rm -rf site dist .pytest_cache
