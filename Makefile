# Two commands for a newcomer: `make run` and `make test`. Everything else is set up by them.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
RUNTIME_STAMP := $(VENV)/.runtime-installed
TEST_STAMP := $(VENV)/.test-installed

.PHONY: run test install install-test chromium lint lock communes crash-full bench nlu-report nlu-model nlu-cv

run: install
	$(PY) main.py

test: install-test chromium
	$(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check . && $(VENV)/bin/mypy
	$(PY) -m pytest

install: $(RUNTIME_STAMP)
install-test: $(TEST_STAMP)

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(RUNTIME_STAMP): pyproject.toml requirements.lock | $(VENV)/bin/python
	$(PY) -m pip install --quiet -c requirements.lock -e .
	touch $@

$(TEST_STAMP): pyproject.toml requirements.lock | $(VENV)/bin/python
	$(PY) -m pip install --quiet -c requirements.lock -e '.[test]'
	touch $(RUNTIME_STAMP) $@

# Debian's own Chromium for the browser tests (never a downloaded browser).
chromium:
	@command -v chromium >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }

lint: install-test
	$(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check . && $(VENV)/bin/mypy

# Re-pin every dependency after changing pyproject.toml.
lock: install-test
	$(PY) -m pip freeze --exclude-editable --exclude milomouv-bot > requirements.lock

# Regenerate the commune data from the official npm package.
communes: install
	cd /tmp && npm pack @etalab/decoupage-administratif@6.0.0 && tar xzf etalab-decoupage-administratif-6.0.0.tgz
	$(PY) scripts/build_communes.py /tmp/package/data

# How well messages are read: per-signal precision/recall/F1, confusion, slots, floors.
nlu-report: install-test
	$(PY) -m bot.nlu.report

# Retrain the intent classifier after changing bot/nlu/data or tests/nlu/dev (build time only).
nlu-model: install-test
	$(PY) -m pip install --quiet -c requirements.lock -e '.[train]'
	$(PY) scripts/train_intents.py
# Cross-validate the reading (5 folds over tests/nlu/dev, a file never split); choose thresholds on it.
nlu-cv: install-test
	$(PY) -m pip install --quiet -c requirements.lock -e '.[train]'
	$(PY) scripts/cv_intents.py $(CV_ARGS)
# The throughput benchmark (fakes, bare ceiling, bot, load generator); writes BENCHMARKS.md.
# BENCH_ARGS passes options, e.g. BENCH_ARGS="--store-url mongodb://127.0.0.1:27017".
bench: install-test
	$(PY) -m pip install --quiet -c requirements.lock -e '.[test,bench]'
	$(PY) -m bench all $(BENCH_ARGS)
