# nengtan — two commands on a fresh machine: `make demo` and `make test`. Each installs what it needs.
SHELL := /bin/bash
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.nengtan-installed
PYTEST_ARGS ?=

.PHONY: demo test lint typecheck unit bench browser clean

$(STAMP): requirements.lock pyproject.toml
	@command -v uv >/dev/null 2>&1 || python3 -m pip install --quiet uv
	uv venv --quiet --allow-existing --python python3 $(VENV)
	VIRTUAL_ENV=$(VENV) uv pip install --quiet -r requirements.lock
	VIRTUAL_ENV=$(VENV) uv pip install --quiet --no-deps -e .
	@touch $@

demo: $(STAMP)
	$(BIN)/nengtan demo

browser:
	@if [ -x scripts/install-browser.sh ]; then scripts/install-browser.sh; fi

lint: $(STAMP)
	$(BIN)/ruff check nengtan tests bench

typecheck: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP)
	$(BIN)/pytest $(PYTEST_ARGS)

test: $(STAMP) browser lint typecheck unit

bench: $(STAMP)
	$(BIN)/python bench/bench_inventory.py
	@for b in bench/bench_ingest.py bench/bench_targets.py bench/bench_api.py; do \
		if [ -f $$b ]; then $(BIN)/python $$b || exit 1; fi; done

clean:
	rm -rf $(VENV) nengtan-data .pytest_cache .mypy_cache .ruff_cache
