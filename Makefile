# nengtan — two commands on a fresh machine: `make demo` and `make test`. Each installs what it needs.
SHELL := /bin/bash
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.nengtan-installed
PYTEST_ARGS ?= -n 2
UV := python3 -m uv

.PHONY: demo test lint typecheck unit bench system fonts clean

$(STAMP): requirements.lock requirements-pandapower.lock requirements-spark.lock pyproject.toml
	@$(UV) --version >/dev/null 2>&1 || python3 -m pip install --quiet uv \
		|| python3 -m pip install --quiet --user --break-system-packages uv
	$(UV) venv --quiet --allow-existing --python python3 $(VENV)
	$(UV) pip install --quiet --compile-bytecode --python $(BIN)/python -r requirements.lock
	$(UV) pip install --quiet --compile-bytecode --python $(BIN)/python --no-deps -r requirements-pandapower.lock
	$(UV) pip install --quiet --python $(BIN)/python --no-deps -r requirements-spark.lock
	$(UV) pip install --quiet --python $(BIN)/python --no-deps -e .
	@# bytecode up front: where PYTHONDONTWRITEBYTECODE is set, every command would compile ~1 400 modules (2-3 s)
	$(BIN)/python -m compileall -q -j 0 nengtan >/dev/null
	@touch $@

demo: $(STAMP) fonts
	$(BIN)/nengtan demo

fonts:
	@scripts/install-fonts.sh

system: fonts
	@scripts/install-browser.sh
	@scripts/install-java.sh
	@scripts/install-services.sh

lint: $(STAMP)
	$(BIN)/ruff check nengtan tests bench

typecheck: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP)
	$(BIN)/pytest $(PYTEST_ARGS)

test: $(STAMP) system lint typecheck unit

bench: $(STAMP) system
	$(BIN)/python bench/bench_inventory.py
	$(BIN)/python bench/bench_spark.py
	$(BIN)/python bench/bench_province.py --spark
	$(BIN)/python bench/bench_ingest.py --rows 50000000 --intervals 60
	$(BIN)/python bench/bench_imports.py
	$(BIN)/python bench/bench_footprint.py
	$(BIN)/python bench/bench_tracing.py
	$(BIN)/python bench/bench_ledger.py
	$(BIN)/python bench/bench_targets.py
	$(BIN)/python bench/bench_api.py

clean:
	rm -rf $(VENV) nengtan-data .pytest_cache .mypy_cache .ruff_cache
