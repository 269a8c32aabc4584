# Chuangfu — two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000
SCALE  ?= 200
# The fast suite runs on every core (pytest-xdist); PYTEST_WORKERS=0 runs it in one process.
PYTEST_WORKERS ?= auto

.PHONY: install demo serve worker test test-fast test-slow test-api lint bench messages clean

$(BIN)/uv:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet uv==0.13.8

$(VENV)/.installed: requirements.lock requirements-dev.lock pyproject.toml | $(BIN)/uv
	$(BIN)/uv pip sync --quiet --python $(BIN)/python --require-hashes requirements.lock requirements-dev.lock
	$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps -e .
	touch $@

install: $(VENV)/.installed  ## install everything from the lock files into .venv

demo: install  ## migrate, load demo data when empty (registry, policies, subsidy forms, activities, governance), start the worker and serve on http://127.0.0.1:8000
	$(BIN)/chuangfu migrate --no-input
	$(BIN)/chuangfu seed --scale $(SCALE) --if-empty
	$(BIN)/chuangfu seed-policies --match
	$(BIN)/chuangfu seed-subsidies
	$(BIN)/chuangfu seed-activities
	$(BIN)/chuangfu seed-governance
	$(BIN)/chuangfu seed-ecosystem
	$(BIN)/chuangfu seed-portal
	$(BIN)/chuangfu seed-indicators
	$(BIN)/chuangfu demo-logins
	$(BIN)/chuangfu serve --host $(HOST) --port $(PORT)

test: test-fast test-slow test-api  ## the whole suite: the fast tests, then the slow ones (browser tests need Debian's chromium; CI=true makes a missing browser fail)

test-fast: install  ## everything but the slow tests, on every core: the developer's loop
	$(BIN)/pytest -q -n $(PYTEST_WORKERS) -m "not slow and not fuzz"

test-slow: install  ## browser journeys, gunicorn bursts, subprocess contention
	$(BIN)/pytest -q -n $(PYTEST_WORKERS) --dist loadfile -m "slow and not fuzz"

test-api: install  ## schemathesis over the whole API, anonymous and as each role with a token (bounded: FUZZ_EXAMPLES per operation)
	$(BIN)/pytest -q -n $(PYTEST_WORKERS) -m fuzz

lint: install  ## house rules: ruff and the import contracts
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/lint-imports

bench: install  ## every benchmark at its default scale
	$(BIN)/chuangfu bench all

clean:
	rm -rf $(VENV) var
