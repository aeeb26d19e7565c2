# goldendome: every target bootstraps .venv on a fresh machine.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install browser web demo lint test bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

# The demo run and report, and what `goldendome serve` then needs to show them (CesiumJS: `make web`).
demo: $(STAMP) web
	$(BIN)/goldendome demo
	@echo "make demo: goldendome-demo/report.html; '$(BIN)/goldendome serve' plays the run at http://127.0.0.1:8765"

# Browser tests drive Debian's chromium (playwright from pip downloads no browser): install it
# when missing, as root or through sudo.
browser:
	@command -v chromium >/dev/null || test -x /usr/bin/chromium || { \
	  if [ "$$(id -u)" = 0 ]; then S=; elif command -v sudo >/dev/null; then S=sudo; \
	  else echo "make browser: chromium is missing and installing it needs root or sudo" >&2; exit 1; fi; \
	  $$S apt-get update && $$S env DEBIAN_FRONTEND=noninteractive apt-get install -y chromium; }

# The globe's CesiumJS (npm, pinned in web/package-lock.json; its NaturalEarthII imagery ships inside).
WEB_STAMP := web/node_modules/cesium/package.json
$(WEB_STAMP): web/package.json web/package-lock.json
	@command -v npm >/dev/null || { echo "make web: npm is missing (CesiumJS for the globe comes from npm): install Node.js and npm" >&2; exit 1; }
	npm ci --prefix web --no-audit --no-fund --loglevel=error
	touch $(WEB_STAMP)

web: $(WEB_STAMP)

# The one-way import rule (import-linter layers contract, pyproject.toml) and ruff; a violation fails the build.
lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks docs
	$(BIN)/lint-imports

# GOLDENDOME_REQUIRE_BROWSER: browser tests fail rather than skip when chromium is missing.
test: lint browser web
	GOLDENDOME_REQUIRE_BROWSER=1 $(BIN)/python -m pytest -n 2 tests

bench: $(STAMP)
	$(BIN)/python -m pip install -q -e '.[test,bench]'
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) build src/*.egg-info
