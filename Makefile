# Two commands for a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEMO_DB ?= sqlite+aiosqlite:///rapport.db
DEMO_AS ?= bob@example.com

.PHONY: demo test install install-test lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

demo: install
	RAPPORT_DATABASE_URL=$(DEMO_DB) $(BIN)/rapport migrate
	RAPPORT_DATABASE_URL=$(DEMO_DB) $(BIN)/rapport demo-org
	RAPPORT_DATABASE_URL=$(DEMO_DB) $(BIN)/rapport shell --as $(DEMO_AS)

test: install-test
	test -d tests/payloads/node_modules || npm ci --prefix tests/payloads --no-audit --no-fund
	$(BIN)/python -m pytest

lint: install-test
	$(BIN)/ruff check .

bench: install-test
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) rapport.db rapport.db-wal rapport.db-shm .pytest_cache
