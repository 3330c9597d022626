# Sunlight: `make run` starts the whole system locally; `make test` runs every test.
# Setup steps are stamped, so a second run skips what has not changed.
SHELL := /bin/bash
# Two jobs (CI has two cores): independent steps run side by side (the installs, the gates, the
# synth, the web unit tests); prerequisites say what must come first. No --output-sync: it would
# hold back a command's output (`make run`'s, pytest's progress) until the command ends.
MAKEFLAGS += --jobs=2
# jsii prints a banner on every run under Node 20; the pinned CDK supports it.
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION := 20
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY_STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.installed
DEPS_LAYER_STAMP := build/deps-layer/.built
# The cloud assembly: one template per stack (infra/stack.py) and the manifest that orders them.
ASSEMBLY := cdk.out/manifest.json
WEB_NODE_STAMP := web/node_modules/.installed
# The built SPA: served by the local runner, deployed by the stack (infra/constructs/web.py).
WEB_DIST := web/dist/index.html
WEB_SOURCES := $(shell find web/src web/public -type f 2>/dev/null) web/index.html web/vite.config.ts web/tsconfig.json
CHROMIUM := /usr/bin/chromium
# The SPA's API types, generated from the API's OpenAPI document (written offline from the handler).
WEB_API_TYPES := web/src/api/schema.d.ts
API_SOURCES := $(shell find functions/http_api functions/api_* layers/sunlight/python/sunlight -name '*.py' 2>/dev/null) infra/tools/openapi_export.py
WEB_CONTRACT_STAMP := build/.web-contract-checked
# vue-tsc over web/ (sources and unit tests), run once for both the gates and the build.
WEB_TYPES_STAMP := build/.web-types-checked
WEB_TYPED_SOURCES := $(shell find web/src web/tests -type f 2>/dev/null) web/tsconfig.json
STACK_SOURCES := $(shell find infra statemachines layers functions -name '*.py' -o -name '*.json' 2>/dev/null | grep -v __pycache__)

.PHONY: setup run test lint fix synth bench clean web web-types web-test browser openapi flowcharts schemas \
	lint-ruff lint-mypy lint-flowcharts lint-imports lint-eslint test-unit-integration test-local-system

setup: $(PY_STAMP) $(NODE_STAMP) $(DEPS_LAYER_STAMP) $(WEB_NODE_STAMP)

$(PY_STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check -e '.[dev]'
	@touch $@

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

$(WEB_NODE_STAMP): web/package.json web/package-lock.json
	cd web && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# Fails when the committed API types are not what the API's OpenAPI document generates now (a model
# or route changed without `make web-types`, or the generated file was edited by hand).
$(WEB_CONTRACT_STAMP): $(PY_STAMP) $(WEB_NODE_STAMP) $(API_SOURCES) $(WEB_API_TYPES) web/scripts/api-types.mjs
	@mkdir -p build
	$(BIN)/python -m infra.tools.openapi_export build/openapi.json
	cd web && node scripts/api-types.mjs --check ../build/openapi.json src/api/schema.d.ts
	@touch $@

$(WEB_TYPES_STAMP): $(WEB_NODE_STAMP) $(WEB_TYPED_SOURCES)
	@mkdir -p build
	cd web && npx vue-tsc --noEmit -p tsconfig.json
	@touch $@

# Type-checks (what `npm run build` does first), then builds web/dist; only when a web source or the
# API's contract changed.
$(WEB_DIST): $(WEB_CONTRACT_STAMP) $(WEB_TYPES_STAMP) $(WEB_NODE_STAMP) $(WEB_SOURCES)
	cd web && npx vite build --logLevel warn
	@touch $@

web: $(WEB_DIST)

# Rewrites the API types from the API as it is now (then commit web/src/api/schema.d.ts).
web-types: $(PY_STAMP) $(WEB_NODE_STAMP)
	@mkdir -p build
	$(BIN)/python -m infra.tools.openapi_export build/openapi.json
	cd web && node scripts/api-types.mjs ../build/openapi.json src/api/schema.d.ts

# Rewrites the whole API's OpenAPI document that ships with the functions (then commit it): the public
# function serves it, the inspector log reads route summaries from it; a unit test fails when stale.
openapi: $(PY_STAMP)
	$(BIN)/python -m infra.tools.openapi_export functions/http_api/openapi.json

# Rewrites each flow pattern's chart descriptor from statemachines/*.asl.json into the layer (then
# commit sunlight/models/flow_charts.py): the public item page's 办理流程 is drawn from it; a unit
# test fails when it is stale. A new ASL file needs nothing else.
flowcharts: $(PY_STAMP)
	$(BIN)/python -m infra.tools.flowchart_export

# Rewrites the outbound exchange's JSON Schemas (events/exchange/schemas/v1/) from the message models
# (sunlight/models/exchange.py; then commit them); a unit test fails when they are stale.
schemas: $(PY_STAMP)
	$(BIN)/python -m infra.tools.exchange_schemas

web-test: $(WEB_NODE_STAMP)
	cd web && npx vitest run

# The gates, run first by `make test` (and by .pre-commit-config.yaml): ruff (pyflakes, pycodestyle,
# isort, bugbear, pyupgrade), mypy with the pydantic plugin, the flow charts against the state
# machines (`make flowcharts`), the import contracts (pyproject.toml, [tool.importlinter]), ESLint and
# vue-tsc for web/. Settings are in pyproject.toml and web/. Each gate is a target of its own, so
# they run side by side (vue-tsc's stamp is shared with the web build, which needs it too).
lint: lint-ruff lint-mypy lint-flowcharts lint-imports lint-eslint $(WEB_TYPES_STAMP)

lint-ruff: $(PY_STAMP)
	$(BIN)/ruff check --no-fix .

lint-mypy: $(PY_STAMP)
	$(BIN)/mypy

lint-flowcharts: $(PY_STAMP)
	$(BIN)/python -m infra.tools.flowchart_export --check

lint-imports: $(PY_STAMP)
	PYTHONPATH=functions $(BIN)/lint-imports

lint-eslint: $(WEB_NODE_STAMP)
	cd web && npx eslint --max-warnings 0 .

# What the linters can fix by themselves (imports, pyupgrade, unused noqa; ESLint's fixable rules).
fix: $(PY_STAMP) $(WEB_NODE_STAMP)
	$(BIN)/ruff check --fix .
	cd web && npx eslint --fix .

# The browser tests drive Debian's Chromium (never a downloaded browser) and need CJK fonts;
# installed here when missing (as root, like CI).
browser:
	@if [ ! -x $(CHROMIUM) ] || ! fc-list :lang=zh 2>/dev/null | grep -q .; then \
		echo "Installing Debian's chromium and fonts-noto-cjk for the browser tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; \
	fi

# Third-party packages of the Lambda layer, built for the Lambda platform without Docker.
$(DEPS_LAYER_STAMP): pyproject.toml infra/build_deps_layer.py $(PY_STAMP)
	$(BIN)/python infra/build_deps_layer.py
	@touch $@

# The web stack's asset is web/dist, so the SPA is built first.
$(ASSEMBLY): $(PY_STAMP) $(NODE_STAMP) $(DEPS_LAYER_STAMP) $(STACK_SOURCES) cdk.json $(WEB_DIST)
	PATH="$(CURDIR)/$(BIN):$$PATH" npx cdk synth --quiet
	@touch $@

synth: $(ASSEMBLY)

# `make run RUN_ARGS=--no-demo` starts without the demo scenario (see README, Quick start).
run: $(ASSEMBLY)
	$(BIN)/python -m infra.local $(RUN_ARGS)

# The web unit tests (beside the gates and the synth), then two pytest runs: everything else in
# parallel, then the tests on the running local system (API and browser). That system runs in a
# child process of its own (`python -m infra.local`, tests/local_process.py); its log is
# test-artifacts/local-system/. Those tests mostly wait on the flows, so two workers, each with its
# own system, halve the wait (`make test LOCAL_SYSTEM_WORKERS=3` tries a third; the demo scenario's
# start-up then nears its 150 s limit on two cores); a module stays on one worker (--dist loadfile)
# since its tests share module fixtures, and the longest modules go first (tests/conftest.py, in
# collection order) so that none is left to run alone at the end. Only the folders that hold
# local-system tests are collected (tests/conftest.py fails a run that finds one elsewhere).
LOCAL_SYSTEM_TESTS := tests/e2e tests/integration tests/statemachines
LOCAL_SYSTEM_WORKERS ?= 2

test: test-local-system

test-unit-integration: lint $(ASSEMBLY) browser web-test
	$(BIN)/python -m pytest -n 2 --dist loadgroup -m "not local_system"

test-local-system: test-unit-integration
	$(BIN)/python -m pytest -n $(LOCAL_SYSTEM_WORKERS) --dist loadfile --no-loadscope-reorder -m local_system $(LOCAL_SYSTEM_TESTS)

bench: $(ASSEMBLY)
	$(BIN)/python -m bench

clean:
	rm -rf cdk.out build $(VENV) node_modules web/dist web/node_modules
