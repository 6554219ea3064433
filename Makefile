# Two entry points: `make run` (the app on SQLite with demo data) and `make test` (the whole suite).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint spreadsheets bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/finans calc examples/aflastning.json --from 2026-01-01 --to 2026-12-31 --format text

lint: $(STAMP)
	$(BIN)/ruff check finans tests benchmarks
	$(BIN)/mypy finans/allocation

test: lint
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_allocation.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
