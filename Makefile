# Two commands do everything: `make demo` and `make test`. Both bootstrap .venv from requirements.lock.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
UV_VERSION := 0.13.9

.PHONY: demo test lock bench bench-e2e clean help

help:
	@echo "make demo   - 180 days of demo data: a voc_history load, then voc_nightly for the last 7 dates (embedded warehouse)"
	@echo "make test   - run the test suite (unit, DAG, integration, dbt)"
	@echo "make bench  - benchmark the tagger on 1M utterances (bench/bench_tagger.py)"
	@echo "make bench-e2e - one business date at 100k, 1M and 3M utterances through voc_nightly (~25 min)"
	@echo "make lock   - re-resolve requirements.in into requirements.lock"
	@echo "make clean  - stop the embedded warehouse and delete .voc/ (venv kept)"

# Bytecode is compiled once at install: otherwise every Airflow task, dbt and GX start-up recompiles thousands of
# modules wherever PYTHONDONTWRITEBYTECODE is set (CI, containers): `import airflow` 5.5 s -> 1.5 s here.
$(STAMP): requirements.lock pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "python3 >= 3.11 is required, found " + sys.version.split()[0])'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"
	$(BIN)/uv pip sync --quiet --compile-bytecode --python $(BIN)/python requirements.lock
	$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps -e .
	$(BIN)/python -m voc.tagging.native build
	@touch $@

demo: $(STAMP)
	$(BIN)/voc demo

test: $(STAMP)
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python bench/bench_tagger.py --n 1000000 --processes 2

bench-e2e: $(STAMP)
	$(BIN)/python bench/bench_e2e.py --scales 100000,1000000,3000000 --json .voc/bench-e2e.json

lock: $(STAMP)
	$(BIN)/uv pip compile --quiet requirements.in -o requirements.lock --python-version 3.11 --generate-hashes

clean:
	-$(BIN)/voc warehouse stop
	rm -rf .voc
