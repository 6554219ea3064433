# Two entry points: `make run` (the app on SQLite with demo data) and `make test` (the whole suite).
# Both set up what they need; `make check-setup` says what is missing without running anything.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

# The Debian packages the test suite needs; `make test` installs the missing ones (as root or
# through sudo, otherwise it prints the command to run). `make run` needs none of them.
# chromium-l10n lets the browser tests draw date fields the Danish way.
DEBIAN_PACKAGES := chromium chromium-l10n postgresql redis-server

.PHONY: run test lint check-setup debian-packages spreadsheets cli-messages bench clean

# Debian's python3 creates virtual environments only with python3-venv installed.
$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import ensurepip' 2>/dev/null || sh tools/install-debian-packages python3-venv
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

# Creates or migrates the database, loads the demo municipality into an empty one, prints the
# demo log-ins and serves the app on http://127.0.0.1:5000 (stop with Ctrl+C).
run: $(STAMP)
	$(BIN)/finans serve --demo --host 127.0.0.1 --port 5000

debian-packages:
	@sh tools/install-debian-packages $(DEBIAN_PACKAGES)

check-setup:
	@$(PYTHON) tools/check_setup.py --venv $(VENV) --debian-packages "$(DEBIAN_PACKAGES)"

lint: $(STAMP)
	$(BIN)/ruff check finans tests benchmarks tools
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache

test: debian-packages lint
	$(BIN)/python -m pytest

spreadsheets: $(STAMP)
	$(BIN)/python -m finans.excel.shipped spreadsheets

# click's messages in Danish: compiles the catalogue after an edit of its .po file.
cli-messages: $(STAMP)
	$(BIN)/pybabel compile -D click -d finans/cli/locale -l da

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_allocation.py
	$(BIN)/python benchmarks/bench_excel.py
	$(BIN)/python benchmarks/bench_web.py
	$(BIN)/python benchmarks/bench_postings.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
