# smokewatch — developer entry points. `make demo` and `make test` work on a fresh clone:
# they bootstrap uv (pinned) into .tools/, create .venv from uv.lock, then do their job.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
UV_VERSION := 0.13.8
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
BIN := $(VENV)/bin
DEMO_DIR ?= demo
PORT ?= 8000
# pytest-xdist workers: `auto` = one per core (CI has 2); PYTEST_WORKERS=0 runs in one process.
PYTEST_WORKERS ?= auto
PYTEST_XDIST = -n $(PYTEST_WORKERS) --dist worksteal
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)
# Byte-compile at install: some machines set PYTHONDONTWRITEBYTECODE, and then every process
# (CLI runs, Python-step workers, Spark's Python workers) would recompile every module.
export UV_COMPILE_BYTECODE := 1

.PHONY: help
help: ## list targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-16s %s\n", $$1, $$2}'

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

$(BIN)/smokewatch: $(UV) pyproject.toml uv.lock
	$(UV) sync --frozen --all-extras --python $(PYTHON)
	$(BIN)/python -m compileall -q src
	@touch $@

.PHONY: install
install: $(BIN)/smokewatch ## create .venv from the lock file (all extras)

.PHONY: lock
lock: $(UV) ## re-resolve uv.lock after changing dependencies
	$(UV) lock --python $(PYTHON)

.PHONY: lint
lint: install ## ruff lint + format check
	$(BIN)/ruff check src tests contrib
	$(BIN)/ruff format --check src tests contrib

.PHONY: typecheck
typecheck: install ## mypy --strict on src/
	$(BIN)/mypy

.PHONY: contracts
contracts: install ## import-linter layer contracts
	$(BIN)/lint-imports

.PHONY: pytest
pytest: install ## the test suite (Spark/PostgreSQL tests need SMOKEWATCH_TEST_* set)
	$(BIN)/pytest $(PYTEST_XDIST) $(PYTEST_ARGS)

.PHONY: test
test: lint typecheck contracts pytest ## everything CI checks

.PHONY: check
check: test

WHEEL_VENV := .tools/wheel-venv
.PHONY: wheel-check
wheel-check: install ## build the wheel; run it without extras, then the offline tests against it
	rm -rf dist $(WHEEL_VENV)
	$(UV) build --wheel --quiet --out-dir dist
	$(UV) venv --quiet --python $(PYTHON) $(WHEEL_VENV)
	$(UV) pip install --quiet --python $(WHEEL_VENV)/bin/python dist/*.whl
	cd /tmp && $(CURDIR)/$(WHEEL_VENV)/bin/python $(CURDIR)/contrib/wheel_smoke.py
	$(UV) pip install --quiet --python $(WHEEL_VENV)/bin/python "$$(ls dist/*.whl)[dev,ml]"
	env -u SMOKEWATCH_TEST_POSTGRES_URL SMOKEWATCH_TEST_SPARK=0 \
		$(WHEEL_VENV)/bin/python -m pytest -q -p no:cacheprovider --import-mode=append $(PYTEST_XDIST) \
		tests/model tests/text tests/detect tests/rulepacks tests/cli tests/docs

.PHONY: openapi
openapi: install ## regenerate docs/openapi.json from the app (a test fails when it is stale)
	$(BIN)/python -c 'import sys; from smokewatch.api.app import openapi_json; sys.stdout.write(openapi_json())' > docs/openapi.json

.PHONY: messages
messages: install ## extract UI strings into the zh-CN/en catalogs (then translate the new zh-CN ones)
	$(BIN)/pybabel -q extract -F babel.cfg --no-location --sort-output -o $(TOOLS)/messages.pot .
	$(BIN)/pybabel -q update -i $(TOOLS)/messages.pot -d src/smokewatch/webkit/locale -D messages -w 100 \
		--no-fuzzy-matching --ignore-obsolete

.PHONY: format
format: install ## apply ruff formatting and safe fixes
	$(BIN)/ruff check --fix src tests contrib
	$(BIN)/ruff format src tests contrib

.PHONY: demo
demo: install ## generate the demo workspace, run the pipeline, serve the API on :8000
	$(BIN)/smokewatch demo init $(DEMO_DIR) --force
	$(BIN)/smokewatch serve --workspace $(DEMO_DIR) --host 127.0.0.1 --port $(PORT)

.PHONY: bench-registry
bench-registry: install ## 1M-enterprise ingest + name/scope detector benchmark (DuckDB, Spark)
	$(BIN)/python contrib/bench/registry.py --rows 1000000 --out bench-out/registry

.PHONY: bench-graph
bench-graph: install ## 1M-enterprise resolution (DuckDB) + company families (DuckDB, Spark local[2])
	$(BIN)/python contrib/bench/graph.py --rows 1000000 --out bench-out/graph

.PHONY: bench-text
bench-text: install ## text analyze throughput next to jieba.lcut (trains the models on first run)
	$(BIN)/python contrib/bench/text.py --out bench-out/text

.PHONY: bench-enterprise-cv
bench-enterprise-cv: install ## enterprise-risk F1 over 5 CV seeds, before/after, plus a fully nested tuning check
	$(BIN)/python contrib/bench/enterprise_cv.py --nested-seeds 1 --out bench-out/enterprise-cv

.PHONY: bench-patrol
bench-patrol: install ## patrol 1,000 synthetic pages on 4 loopback hosts: pages/s with evidence fixation
	$(BIN)/python contrib/bench/patrol.py --pages 1000 --sites 4 --workers 4 --out bench-out/patrol

.PHONY: bench-loans
bench-loans: install ## cost 5,000,000 synthetic loans against the legal cap on DuckDB
	$(BIN)/python contrib/bench/loans.py --loans 5000000 --out bench-out/loans

PEER_PYTHON ?=
.PHONY: bench-tx
bench-tx: install ## tx score on AMLSim ews62k in transfers/s next to snapml GFP (PEER_PYTHON=/tmp/snapvenv/bin/python)
	$(BIN)/python contrib/bench/tx.py --out bench-out/tx --spark $(if $(PEER_PYTHON),--peer-python $(PEER_PYTHON))

.PHONY: bench-api
bench-api: install ## 50 concurrent clients against entity profile and alert list of the demo workspace
	$(BIN)/python contrib/bench/api.py --out bench-out/api

.PHONY: bench-portal
bench-portal: install ## tips/s the public portal sustains with 50 concurrent clients on loopback
	$(BIN)/python contrib/bench/portal.py --out bench-out/portal

.PHONY: clean
clean: ## remove build artefacts and caches (keeps .venv)
	rm -rf build dist .mypy_cache .ruff_cache .pytest_cache .hypothesis
