# Frontier Atlas — `make run` serves the app, `make test` runs every test.
# Both set up what they need (venv, pinned packages, Debian chromium for browser tests).
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell sha1sum requirements.txt | cut -c1-12)

.PHONY: gmt build-context screenshots
.PHONY: run test venv chromium lint format validate build-base build-borders bench loadtest clean

$(STAMP): requirements.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@rm -f $(VENV)/.installed-* && touch $@

venv: $(STAMP)

# Browser tests drive Debian's chromium; install it when missing and we are root.
chromium:
	@if ! command -v chromium >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing Debian chromium for the browser tests"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "chromium is missing: run 'sudo apt-get install chromium' (browser tests need it)"; exit 1; \
	  fi; \
	fi

# The context build (data/context/) and its test read GSHHG rivers and lakes through Debian's gmt.
gmt:
	@if ! command -v gmt >/dev/null 2>&1 || ! dpkg -s gmt-gshhg-high >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing Debian gmt and gmt-gshhg-high for the context build"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gmt gmt-gshhg-high >/dev/null; \
	  else \
	    echo "gmt is missing: run 'sudo apt-get install gmt gmt-gshhg-high' (context build needs it)"; exit 1; \
	  fi; \
	fi

build-context: venv gmt
	$(BIN)/python -m geo build-context

screenshots: venv chromium
	$(BIN)/python tools/screenshots.py

run: venv
	$(BIN)/streamlit run app.py

test: venv chromium gmt
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m geo validate data/
	$(BIN)/python -m pytest -q

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: venv
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

validate: venv
	$(BIN)/python -m geo validate data/

build-base: venv
	$(BIN)/python -m geo build-base

build-borders: venv
	$(BIN)/python -m geo build-borders

bench: venv chromium
	$(BIN)/python -m bench

loadtest: venv chromium
	$(BIN)/python -m bench.loadtest

clean:
	rm -rf $(VENV) build .pytest_cache .ruff_cache
