# The digest: `make build` publishes site/, `make test` runs every check. Both set themselves up.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
CONTENT ?= content
OUT ?= site

.PHONY: help build serve check test lint bench clean system-deps

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

build: $(VENV)/.installed  ## build the site into site/
	$(BIN)/digest build --content $(CONTENT) --out $(OUT)

serve: $(VENV)/.installed  ## preview with live reload on http://127.0.0.1:$(PORT)/
	$(BIN)/digest serve --content $(CONTENT) --port $(PORT)

check: $(VENV)/.installed  ## validate content without writing anything
	$(BIN)/digest check --content $(CONTENT)

system-deps:  ## install the browser and Java runtime the tests use (apt-get, as root)
	@sh scripts/system-deps.sh

test: $(VENV)/.installed system-deps  ## run every test
	$(BIN)/python -m pytest

lint: $(VENV)/.installed  ## ruff and mypy
	$(BIN)/ruff check .
	$(BIN)/mypy

bench: $(VENV)/.installed  ## benchmark builds, rebuilds and the preview, beside Hugo (see README)
	$(BIN)/pip install --quiet -e '.[test,bench]'
	$(BIN)/python -m bench $(BENCH)

clean:  ## remove the build output and the virtual environment
	rm -rf $(OUT) $(VENV) .pytest_cache .mypy_cache .ruff_cache
