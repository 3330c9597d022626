# Sunlight: `make run` starts the whole system locally; `make test` runs every test.
# Setup steps are stamped, so a second run skips what has not changed.
SHELL := /bin/bash
# jsii prints a banner on every run under Node 20; the pinned CDK supports it.
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION := 20
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY_STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.installed
DEPS_LAYER_STAMP := build/deps-layer/.built
TEMPLATE := cdk.out/Sunlight.template.json
STACK_SOURCES := $(shell find infra statemachines layers functions -name '*.py' -o -name '*.json' 2>/dev/null | grep -v __pycache__)

.PHONY: setup run test synth bench clean

setup: $(PY_STAMP) $(NODE_STAMP) $(DEPS_LAYER_STAMP)

$(PY_STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check -e '.[dev]'
	@touch $@

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# Third-party packages of the Lambda layer, built for the Lambda platform without Docker.
$(DEPS_LAYER_STAMP): pyproject.toml infra/build_deps_layer.py $(PY_STAMP)
	$(BIN)/python infra/build_deps_layer.py
	@touch $@

$(TEMPLATE): $(PY_STAMP) $(NODE_STAMP) $(DEPS_LAYER_STAMP) $(STACK_SOURCES) cdk.json
	PATH="$(CURDIR)/$(BIN):$$PATH" npx cdk synth --quiet
	@touch $@

synth: $(TEMPLATE)

run: $(TEMPLATE)
	$(BIN)/python -m infra.local

# Two pytest runs: everything else in parallel, then the tests on the running local system,
# which is process-wide (see tests/conftest.py).
test: $(TEMPLATE)
	$(BIN)/python -m pytest -n 2 --dist loadgroup -m "not local_system"
	$(BIN)/python -m pytest -m local_system

bench: $(TEMPLATE)
	$(BIN)/python -m bench

clean:
	rm -rf cdk.out build $(VENV) node_modules
