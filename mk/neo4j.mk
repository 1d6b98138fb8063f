# Neo4j deployment: the Browser check's npm packages, and the compose file's schema check.
# Included by the Makefile (include $(wildcard mk/*.mk)). Chromium itself comes from Debian
# (mk/explorer.mk installs it for the browser tests); without it the Browser test is skipped,
# and under CI=true it fails.

NEO4J_BROWSER_CHECK := tests/graph/neo4j/browser

# playwright-core only: it drives /usr/bin/chromium and never downloads a browser of its own.
$(NEO4J_BROWSER_CHECK)/node_modules/.installed: $(NEO4J_BROWSER_CHECK)/package-lock.json
ifeq ($(HAVE_NPM),yes)
	cd $(NEO4J_BROWSER_CHECK) && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error
	touch $@
else
	@echo "npm not found: the Neo4j Browser test will be skipped"
endif

# `make test-neo4j` runs the Browser test too (it is marked neo4j): it takes all of TEST_DEPS.
TEST_DEPS += $(NEO4J_BROWSER_CHECK)/node_modules/.installed

.PHONY: neo4j-compose-check
# docker-compose.yml against the Compose specification's JSON schema (no Docker needed).
neo4j-compose-check: $(VENV)/.dev-installed
	$(BIN)/python -m check_jsonschema --builtin-schema vendor.compose-spec docker-compose.yml

.PHONY: neo4j-screenshots
# Re-take docs/screenshots/neo4j-browser*.png (Browser on the seed graph, the project style).
neo4j-screenshots: $(VENV)/.dev-installed $(NEO4J_BROWSER_CHECK)/node_modules/.installed explorer-chromium
	TRADEGRAPH_UPDATE_SCREENSHOTS=1 $(BIN)/python -m pytest tests/graph/neo4j/test_browser.py -q
