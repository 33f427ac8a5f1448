# Two commands for a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEMO_DB ?= sqlite+aiosqlite:///rapport.db
DEMO_AS ?= bob@example.com

.PHONY: demo test test-deps install install-test lint bench clean

# What the tests need beyond Python, from Debian's packages: the dashboard's browser tests drive
# chromium (Playwright never downloads a browser here); the card checks run node.
CHROMIUM ?= /usr/bin/chromium
APT_GET ?= apt-get
USER_ID ?= $(shell id -u)

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

# Installs what is missing when it can (as root, with apt-get); otherwise says what the tests that
# need it will miss, and they fail saying so too.
test-deps:
	@missing=""; \
	[ -x "$(CHROMIUM)" ] || missing="$$missing chromium"; \
	command -v node >/dev/null || missing="$$missing nodejs"; \
	command -v npm >/dev/null || missing="$$missing npm"; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$(USER_ID)" = 0 ] && command -v $(APT_GET) >/dev/null; then \
		echo "Installing Debian's$$missing for the browser and card tests"; \
		$(APT_GET) update -qq >/dev/null && \
		DEBIAN_FRONTEND=noninteractive $(APT_GET) install -y -qq $$missing >/dev/null || \
		echo "Could not install$$missing: the tests that need them will fail."; \
	else \
		echo "Missing Debian's$$missing, which only root can install (sudo apt-get install$$missing):"; \
		echo "the dashboard's browser tests and the card checks will fail until then."; \
	fi

test: install-test test-deps
	test -d tests/payloads/node_modules || npm ci --prefix tests/payloads --no-audit --no-fund
	PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 $(BIN)/python -m pytest

lint: install-test
	$(BIN)/ruff check .

bench: install-test
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) rapport.db rapport.db-wal rapport.db-shm .pytest_cache
