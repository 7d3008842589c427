# Entry points for newcomers, maintainers and CI. Everything runs inside .venv, created on demand.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export NO_MKDOCS_2_WARNING := 1
export PYTHONDONTWRITEBYTECODE := 1

comma := ,
space := $(subst ,, )

.PHONY: install install-dev serve build publish check schema test-content bench-explorer bench-check bench-search lighthouse report translations translations-export translations-import export import bundle zim links cldr bench test lint format browser kiwix hugo clean

# apt-get as root, or through sudo, for the few system packages the tests need on a fresh Debian
APT_INSTALL = if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	$$SUDO apt-get update -qq && $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq

$(BIN)/mkdocs: requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --disable-pip-version-check -q -r requirements.txt
	$(BIN)/pip install --disable-pip-version-check -q --no-deps -e .
	@touch $@

$(VENV)/.dev-installed: requirements-dev.txt requirements.txt $(BIN)/mkdocs
	$(BIN)/pip install --disable-pip-version-check -q -r requirements-dev.txt
	@touch $@

install: $(BIN)/mkdocs  ## install the site's pinned dependencies

node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null || { $(APT_INSTALL) nodejs npm >/dev/null; }
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

install-dev: $(VENV)/.dev-installed node_modules/.installed  ## install the test and lint tools too

JOBS ?= $(shell nproc 2>/dev/null || echo 2)

# --dirty: after an edit only the pages it changes are rendered again (see hooks/pages.py).
# The languages are shared by JOBS processes that rebuild together (spmlib/serve/serveparts.py).
# LANGS="fr": build only these languages while editing a large catalogue.
serve: install  ## build and serve the site at http://127.0.0.1:8000, rebuilding on edits
	$(if $(LANGS),SPM_ONLY_LANGUAGES=$(subst $(space),$(comma),$(strip $(LANGS))) )SPM_SERVE_JOBS=$(JOBS) $(BIN)/mkdocs serve --dirty --dev-addr 127.0.0.1:8000

build: install  ## build site/ (all languages, JOBS processes in parallel), failing on any warning
	$(BIN)/python -m spmlib build --jobs $(JOBS)

# What deploy.yml runs. LANGS="fr": only these languages' files (the page still lists every language).
publish: install  ## build site/ with a zip and a Kiwix ZIM per language in site/offline/, listed on its "Take it offline" page
	$(BIN)/python -m spmlib publish --jobs $(JOBS) $(foreach v,$(LANGS),--lang $(v))

check: install  ## validate resources.yaml without building; STRICT=1 fails on warnings too
	$(BIN)/python -m spmlib check $(if $(STRICT),--strict)

schema: install  ## regenerate schema/resources.schema.json from the validator's schema
	$(BIN)/python -m spmlib schema

report: install  ## where the library is thin: standards x languages, translation progress, entries to complete (FORMAT=markdown, LIST=1)
	$(BIN)/python -m spmlib report $(if $(FORMAT),--format $(FORMAT)) $(if $(LIST),--list)

translations: install  ## translation coverage per language, and what is missing
	$(BIN)/python -m spmlib translations report

translations-export: install  ## write the missing titles and summaries to CSV (LANGS="fr pt" to choose)
	$(BIN)/python -m spmlib translations export -o $(or $(CSV),translations.csv) $(foreach l,$(LANGS),--lang $(l))

translations-import: install  ## add the filled translations of CSV=file to resources.yaml, if it validates
	@test -n "$(CSV)" || { echo "usage: make translations-import CSV=translations.csv"; exit 2; }
	$(BIN)/python -m spmlib translations import "$(CSV)"

export: install  ## write the catalogue as CSV=file (default resources.csv), the open data's columns, to edit in a spreadsheet
	$(BIN)/python -m spmlib export -o $(or $(CSV),resources.csv)

# DRY_RUN=1: show what would change, write nothing
import: install  ## add and update entries from CSV=file (the open data's columns, as a spreadsheet saves them), if all rows validate
	@test -n "$(CSV)" || { echo "usage: make import CSV=resources.csv [DRY_RUN=1]"; exit 2; }
	$(BIN)/python -m spmlib import "$(CSV)" $(if $(filter 1 yes true,$(DRY_RUN)),--dry-run)

# Downloads (DOCUMENTS=1, make links) go only to public addresses, checked after DNS and at every
# redirect; ALLOW_LOCAL=1 also allows loopback, private and link-local ones, for a local mirror.
allow_local = $(if $(filter 1 yes true,$(ALLOW_LOCAL)),--allow-private-addresses)

# make bundle LANGS="fr" DIMENSIONS="4" [STANDARDS="4A 4C"] [TYPES=tool] [TOPICS=...] [DOCUMENTS=1 [REFRESH=1]] [NAME=...] [ALLOW_LOCAL=1]
bundle: install  ## offline zip in dist/ for trainings (default: whole library, all languages)
	$(BIN)/python -m spmlib bundle \
	  $(foreach v,$(LANGS),--lang $(v)) $(foreach v,$(DIMENSIONS),--dimension $(v)) \
	  $(foreach v,$(STANDARDS),--standard $(v)) $(foreach v,$(TYPES),--type $(v)) \
	  $(foreach v,$(TOPICS),--topic $(v)) $(if $(NAME),--name $(NAME)) $(if $(filter 1 yes true,$(DOCUMENTS)),--documents) \
	  $(if $(filter 1 yes true,$(REFRESH)),--refresh) $(allow_local)

# make zim LANGS="fr" DIMENSIONS="4" [...the options of make bundle...]; serve it: kiwix-serve --port 8080 dist/<name>.zim
zim: install  ## a Kiwix ZIM file in dist/ (same choices as make bundle), for the Kiwix apps, kiwix-serve and Kiwix Hotspot
	$(BIN)/python -m spmlib zim \
	  $(foreach v,$(LANGS),--lang $(v)) $(foreach v,$(DIMENSIONS),--dimension $(v)) \
	  $(foreach v,$(STANDARDS),--standard $(v)) $(foreach v,$(TYPES),--type $(v)) \
	  $(foreach v,$(TOPICS),--topic $(v)) $(if $(NAME),--name $(NAME)) $(if $(filter 1 yes true,$(DOCUMENTS)),--documents) \
	  $(allow_local)

# Results are cached in .cache/links.json; MAX_AGE=days they stay fresh (default 3). Report in dist/links.md and .json.
links: install  ## check every external address of resources.yaml and docs/; fails only on 404/410/DNS failures that persist
	$(BIN)/python -m spmlib links $(if $(MAX_AGE),--max-age-days $(MAX_AGE)) $(allow_local)

cldr:  ## refresh spmlib/data/cldr/ (the regions' territory containment) from npm's cldr-core, at the version pinned in spmlib/model/regions.py
	version=$$(sed -n 's/^CLDR_CORE_VERSION = "\([0-9.]*\)".*/\1/p' spmlib/model/regions.py); tmp=$$(mktemp -d); \
	npm pack --silent --pack-destination "$$tmp" "cldr-core@$$version" >/dev/null && \
	tar -xzf "$$tmp/cldr-core-$$version.tgz" -C "$$tmp" package/LICENSE package/supplemental/territoryContainment.json && \
	cp "$$tmp/package/LICENSE" spmlib/data/cldr/LICENSE && \
	cp "$$tmp/package/supplemental/territoryContainment.json" spmlib/data/cldr/ && rm -rf "$$tmp" && \
	$(PYTHON) -c 'import sys; sys.path.insert(0, "."); from spmlib.model.regions import read_containment; print(len(read_containment()), "regions")'

browser:  ## Debian's Chromium for the browser tests (Playwright cannot download one here)
	@command -v chromium >/dev/null || { $(APT_INSTALL) chromium >/dev/null; }

# kiwix-serve serves the ZIM to Chromium in tests/test_zim.py; zimcheck checks it
kiwix:  ## Debian's kiwix-serve and zimcheck for the ZIM tests
	@command -v kiwix-serve >/dev/null && command -v zimcheck >/dev/null || { $(APT_INSTALL) kiwix-tools zim-tools >/dev/null; }

# Hugo builds the benchmark's second reference (benchmarks/hugo.py) and is tested in tests/test_bench_hugo.py
hugo:  ## Debian's Hugo for the benchmark's Hugo reference
	@command -v hugo >/dev/null || { $(APT_INSTALL) hugo >/dev/null; }

test: install-dev browser kiwix hugo  ## run the whole test suite
	$(BIN)/python -m pytest

# What a pull request changing only resources.yaml, taxonomy/ or docs/ must keep true: the shipped
# catalogue (strict build and check, translations, links), its schemas, CONTRIBUTING.md's example,
# the search evaluation set. Python only: .github/workflows/content.yml runs it in minutes.
CONTENT_TESTS := tests/test_shipped.py tests/test_schema.py tests/test_contributing.py tests/test_search_eval_set.py

test-content: $(VENV)/.dev-installed  ## only the tests of the content (no Chromium, no Node): what content pull requests run
	$(BIN)/python -m pytest -m "not browser" $(CONTENT_TESTS)

bench: install-dev hugo  ## build benchmark at 500, 2,000 and 10,000 entries against plain MkDocs and Hugo (about an hour)
	$(BIN)/python -m benchmarks.bench

bench-check: install-dev  ## time and peak memory of make check at 10,000 and 100,000 entries, numbered and unnumbered titles (about 15 minutes)
	$(BIN)/python -m benchmarks.check
	$(BIN)/python -m benchmarks.check --unnumbered

benchmarks/lighthouse/node_modules/.installed: benchmarks/lighthouse/package.json benchmarks/lighthouse/package-lock.json
	@command -v npm >/dev/null || { $(APT_INSTALL) nodejs npm >/dev/null; }
	npm ci --prefix benchmarks/lighthouse --no-audit --no-fund --loglevel=error
	@touch $@

lighthouse: build browser benchmarks/lighthouse/node_modules/.installed  ## Lighthouse (mobile) scores of one page of every kind in each language (about 15 minutes)
	$(BIN)/python -m benchmarks.lighthouse

bench-explorer: install-dev browser  ## explorer data size per 1,000 entries and keystroke latency at 10,000 (about 2 minutes)
	$(BIN)/python -m benchmarks.explorer --json benchmarks/results-explorer.json

bench-search: install-dev browser  ## search relevance on the shipped catalogue, index size and keystroke latency at 10,000 entries (about 6 minutes on 2 quiet cores, 20 on a busy machine)
	$(BIN)/python -m benchmarks.search

lint: install-dev
	$(BIN)/ruff check spmlib hooks tests benchmarks
	$(BIN)/ruff format --check spmlib hooks tests benchmarks

format: install-dev
	$(BIN)/ruff format spmlib hooks tests benchmarks
	$(BIN)/ruff check --fix spmlib hooks tests benchmarks

clean:
	rm -rf site dist .pytest_cache translations.csv
