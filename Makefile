# Two commands matter: `make run` (the API on the embedded store, seeds loaded) and `make test`.
# Both create .venv when it is missing and install into it. `make test` also fetches what the
# outer test layers need from the package registries: npm packages (Cypher linter, explorer),
# Maven artifacts (Neo4j 5.26, through tools/neo4j_server.py) and Debian's chromium. Without
# Java, Maven or Node those layers are skipped with the reason; under CI=true a skip is a failure.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
HAVE_NPM := $(shell command -v npm >/dev/null 2>&1 && echo yes)

# Feature makefiles add their set-up steps to these.
RUN_DEPS :=
TEST_DEPS :=

.PHONY: run test test-neo4j neo4j clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.run-installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e .
	touch $@

$(VENV)/.dev-installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e ".[dev]"
	touch $@ $(VENV)/.run-installed

tools/cypher-lint/node_modules/.installed: tools/cypher-lint/package-lock.json
ifeq ($(HAVE_NPM),yes)
	cd tools/cypher-lint && npm ci --no-audit --no-fund --loglevel=error
	touch $@
else
	@echo "npm not found: the Cypher lint tests will be skipped"
endif
TEST_DEPS += tools/cypher-lint/node_modules/.installed

include $(wildcard mk/*.mk)

run: $(VENV)/.run-installed $(RUN_DEPS)
	$(BIN)/tradegraph ingest seeds/
	$(BIN)/tradegraph serve --host $(HOST) --port $(PORT)

test: $(VENV)/.dev-installed $(TEST_DEPS)
	$(BIN)/python -m pytest

# Only the Neo4j half: the contract and API suites against a live Neo4j 5.26, and the browser tests
# on it (the explorer, Neo4j Browser), so it does the same set-up as `make test`.
test-neo4j: $(VENV)/.dev-installed $(TEST_DEPS)
	$(BIN)/python -m pytest -m neo4j

# A Neo4j 5.26 in the foreground for a person: prints the Bolt URI, Browser URL and password.
neo4j: $(VENV)/.dev-installed
	$(BIN)/python tools/neo4j_server.py

clean:
	rm -rf $(VENV) data .pytest_cache tools/cypher-lint/node_modules tools/api-clients/node_modules tools/neo4j-server/target explorer/node_modules
