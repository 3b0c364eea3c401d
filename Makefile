# The digest: `make build` publishes site/, `make test` runs every check. Both set themselves up,
# installing the exact versions locked in requirements/*.txt (with their hashes; see README).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
TOOLS := .venv-tools
UV := $(TOOLS)/bin/uv
PORT ?= 8000
CONTENT ?= content
OUT ?= site
INSTALL = pip install --quiet --require-hashes -r
COMPILE = $(UV) pip compile --quiet pyproject.toml --universal --python-version 3.11 --generate-hashes $(UPGRADE)

.PHONY: help build serve check test test-fast test-latest test-oldest lint bench lock upgrade clean system-deps screenshots

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# One stamp per lock: a changed lock (or pyproject.toml) installs again; the extras add to the runtime.
$(VENV)/.build: requirements/build.txt pyproject.toml | $(BIN)/python
	$(BIN)/$(INSTALL) requirements/build.txt
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

$(VENV)/.test: requirements/test.txt $(VENV)/.build
	$(BIN)/$(INSTALL) requirements/test.txt
	touch $@

$(VENV)/.bench: requirements/bench.txt $(VENV)/.build
	$(BIN)/$(INSTALL) requirements/bench.txt
	touch $@

build: $(VENV)/.build  ## build the site into site/
	$(BIN)/digest build --content $(CONTENT) --out $(OUT)

serve: $(VENV)/.build  ## preview with live reload on http://127.0.0.1:$(PORT)/
	$(BIN)/digest serve --content $(CONTENT) --port $(PORT)

check: $(VENV)/.build  ## validate content without writing anything
	$(BIN)/digest check --content $(CONTENT)

system-deps:  ## install the browser and Java runtime the tests use (apt-get, as root)
	@sh scripts/system-deps.sh

test: $(VENV)/.test system-deps  ## run every test
	$(BIN)/python -m pytest

test-fast: $(VENV)/.test  ## the tests that need no browser, no Java and no long run (the edit-test loop)
	$(BIN)/python -m pytest -n 2 -m "not browser and not java and not slow"

test-latest: system-deps  ## every test against the newest versions pyproject.toml allows (weekly CI), in .venv-latest
	rm -rf .venv-latest && $(PYTHON) -m venv .venv-latest
	.venv-latest/bin/pip install --quiet --no-cache-dir -e '.[test]'
	.venv-latest/bin/python -m pytest -p no:cacheprovider

test-oldest: system-deps $(TOOLS)/.installed  ## every test against the oldest versions pyproject.toml allows, in .venv-oldest
	rm -rf .venv-oldest && $(PYTHON) -m venv .venv-oldest
	$(UV) pip compile --quiet pyproject.toml --extra test --resolution lowest-direct --python-version 3.11 \
	  --generate-hashes -o .venv-oldest/requirements.txt
	.venv-oldest/bin/$(INSTALL) .venv-oldest/requirements.txt
	.venv-oldest/bin/pip install --quiet --no-deps -e .
	.venv-oldest/bin/python -m pytest -p no:cacheprovider

screenshots: $(VENV)/.test system-deps  ## save pages as Chromium shows them into screenshots/ (1280 and 390 px, light and dark)
	$(BIN)/python -m pytest -m screenshots tests/test_look.py

lint: $(VENV)/.test  ## ruff and mypy
	$(BIN)/ruff check .
	$(BIN)/mypy

bench: $(VENV)/.bench  ## benchmark builds, rebuilds and the preview, beside Hugo (see README)
	$(BIN)/python -m bench $(BENCH)

$(TOOLS)/.installed: requirements/tools.txt
	rm -rf $(TOOLS) && $(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/$(INSTALL) requirements/tools.txt
	touch $@

lock: $(TOOLS)/.installed  ## lock pyproject.toml's dependencies into requirements/ (after editing them)
	$(COMPILE) --extra test -o requirements/test.txt
	$(COMPILE) -c requirements/test.txt -o requirements/build.txt
	$(COMPILE) -c requirements/test.txt --extra bench -o requirements/bench.txt
	$(UV) pip compile --quiet requirements/tools.in --universal --python-version 3.11 --generate-hashes $(UPGRADE) \
	  -o requirements/tools.txt

upgrade:  ## lock the newest versions pyproject.toml allows (then run make test and commit)
	$(MAKE) lock UPGRADE=--upgrade

clean:  ## remove the build output and the virtual environments
	rm -rf $(OUT) $(VENV) $(TOOLS) screenshots .venv-latest .venv-oldest .pytest_cache .mypy_cache .ruff_cache
