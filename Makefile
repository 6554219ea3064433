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

# Creates or migrates the database, loads the demo municipality into an empty one, prints the
# demo log-ins and serves the app on http://127.0.0.1:5000 (stop with Ctrl+C).
run: $(STAMP)
	$(BIN)/finans serve --demo --host 127.0.0.1 --port 5000

lint: $(STAMP)
	$(BIN)/ruff check finans tests benchmarks
	$(BIN)/mypy finans/allocation

test: lint
	$(BIN)/python -m pytest

spreadsheets: $(STAMP)
	$(BIN)/python -m finans.excel.shipped spreadsheets

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_allocation.py
	$(BIN)/python benchmarks/bench_excel.py
	$(BIN)/python benchmarks/bench_web.py
	$(BIN)/python benchmarks/bench_postings.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
