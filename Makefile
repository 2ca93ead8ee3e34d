# Frontier Atlas — `make run` serves the app, `make test` runs every test.
# Both set up what they need (venv, pinned packages, Debian chromium for browser tests).
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
# One stamp per requirement set, named by the hash of its files: an edited pin reinstalls.
STAMP := $(VENV)/.installed-run-$(shell cat requirements.txt | sha1sum | cut -c1-12)
DEV_STAMP := $(VENV)/.installed-dev-$(shell cat requirements.txt requirements-dev.txt | sha1sum | cut -c1-12)

.PHONY: run test venv dev-venv chromium libreoffice nginx gmt lint typecheck format validate build-base build-borders build-enclaves build-context screenshots bench loadtest clean

# Runtime pins only (what `make run` needs).
$(STAMP): requirements.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@rm -f $(VENV)/.installed-run-* && touch $@

# Runtime pins plus the test and lint tools.
$(DEV_STAMP): requirements.txt requirements-dev.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt -r requirements-dev.txt
	@rm -f $(VENV)/.installed-dev-* && touch $@

venv: $(STAMP)

dev-venv: $(DEV_STAMP)

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

# The briefing-pack test converts a PowerPoint deck with Debian's LibreOffice Impress, headless.
libreoffice:
	@if ! command -v soffice >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing Debian libreoffice-impress for the briefing-pack test"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends libreoffice-impress >/dev/null; \
	  else \
	    echo "soffice is missing: run 'sudo apt-get install libreoffice-impress' (pack test needs it)"; exit 1; \
	  fi; \
	fi

# The portal recipe (deploy/nginx/) is tested behind Debian's nginx; install it like chromium.
nginx:
	@if ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing Debian nginx for the portal test"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null; \
	  else \
	    echo "nginx is missing: run 'sudo apt-get install nginx' (the portal test needs it)"; exit 1; \
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

test: lint chromium libreoffice nginx gmt
	$(BIN)/python -m geo validate data/
	$(BIN)/python -m pytest -q

# ruff (lint + format check) and mypy (strict on geo/ and layers/, see pyproject.toml).
lint: dev-venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m mypy

typecheck: dev-venv
	$(BIN)/python -m mypy

format: dev-venv
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

validate: venv
	$(BIN)/python -m geo validate data/

build-base: venv
	$(BIN)/python -m geo build-base

build-borders: venv
	$(BIN)/python -m geo build-borders

build-enclaves: venv
	$(BIN)/python -m geo build-enclaves

bench: dev-venv chromium
	$(BIN)/python -m bench
	$(BIN)/python -m bench.readme

loadtest: dev-venv chromium
	$(BIN)/python -m bench.loadtest

clean:
	rm -rf $(VENV) build .pytest_cache .ruff_cache .mypy_cache
