# Two commands on a fresh machine: `make run` and `make test` (see README).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: install lock run test check lint bench browser-deps clean

install: $(VENV)/.installed

# The exact versions of requirements.lock (hashes checked), then the project itself without resolving again.
$(VENV)/.installed: pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --require-hashes -r requirements.lock
	$(BIN)/pip install -q --no-deps --no-build-isolation -e .
	touch $@

# After changing a dependency in pyproject.toml (or requirements.in): pin every version again, with hashes.
# tests/test_lock.py fails until the lock matches pyproject.toml.
LOCK_INPUTS := pyproject.toml requirements.in
lock:
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q pip-tools
	$(BIN)/pip-compile -q --generate-hashes --allow-unsafe --strip-extras --extra test --no-emit-index-url --no-emit-find-links \
	  -o requirements.lock $(LOCK_INPUTS)

# `tambon serve` also starts the ticket printer's worker process (`tambon printer run`) and restarts it if it dies.
run: install
	$(BIN)/tambon db upgrade
	$(BIN)/tambon demo
	$(BIN)/tambon serve --host $(HOST) --port $(PORT)

# System packages the tests use, from Debian (never a downloaded browser build): Chromium for the browser
# tests, poppler-utils (pdftotext) to read back the generated PDF reports, espeak-ng and sox to regenerate
# the voice clips (`tambon display voice-clips`; the service runs on the bundled ones without them), lame
# to make an MP3 for the voice-pack upload test. Needs root and apt.
SYSTEM_PACKAGES := chromium:chromium pdftotext:poppler-utils espeak-ng:espeak-ng sox:sox lame:lame
browser-deps:
	@missing=""; for pair in $(SYSTEM_PACKAGES); do \
	  command -v "$${pair%%:*}" >/dev/null 2>&1 || missing="$$missing $${pair#*:}"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "installing:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else echo "missing system packages:$$missing (browser and PDF tests need them; run as root)"; fi; fi

lint: install
	$(BIN)/ruff check .
	$(BIN)/mypy

check: lint

test: install browser-deps lint
	$(BIN)/python -m pytest -n 2 --dist loadfile

# All figures into BENCHMARKS.md (each benchmark replaces its own section); about 30 minutes.
bench: install
	$(BIN)/python -m bench.run
	$(BIN)/python -m bench.display_latency --clients 50 --calls 30 --write BENCHMARKS.md
	$(BIN)/python -m bench.scale_law --write BENCHMARKS.md
	$(BIN)/python -m bench.busy_day
	$(BIN)/python -m bench.print_render --n 100 --width 576
	$(BIN)/python -m bench.real_path --write BENCHMARKS.md
	$(BIN)/python -m bench.report_scale --tickets 100000,1000000 --db sqlite,postgresql --write BENCHMARKS.md

clean:
	rm -rf $(VENV) instance .pytest_cache
