# The explorer page (app/static, served at /). Nothing here is needed by `make run`: the page is
# plain ES modules and its libraries are vendored into app/static/vendor and committed.
# `make test` needs Node (unit tests), explorer/node_modules (playwright-core, axe-core: npm ci,
# pinned by explorer/package-lock.json) and Debian's chromium with a CJK font (apt-get, as root).
# Without them the browser tests are skipped with the reason; under CI=true they fail instead.

EXPLORER_APT := chromium fonts-wqy-microhei

.PHONY: explorer-chromium explorer-vendor explorer-screenshots explorer-clean

explorer/node_modules/.installed: explorer/package-lock.json
ifeq ($(HAVE_NPM),yes)
	cd explorer && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@
else
	@echo "npm not found: the explorer's browser tests will be skipped"
endif

# Debian's chromium (never a browser downloaded by a test tool) and a font with Chinese glyphs.
explorer-chromium:
	@if command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1; then \
	  fc-list :lang=zh 2>/dev/null | grep -q . || echo "no font with Chinese glyphs: screenshots will show boxes (apt-get install fonts-wqy-microhei)"; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "installing Debian's chromium for the explorer's browser tests: apt-get install $(EXPLORER_APT)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(EXPLORER_APT); \
	elif [ "$(CI)" = "true" ]; then \
	  echo "CI=true: chromium is missing and cannot be installed here (needs root and apt-get)"; exit 1; \
	else \
	  echo "chromium is missing and cannot be installed here (needs root and apt-get): the explorer's browser tests will be skipped"; \
	fi

TEST_DEPS += explorer/node_modules/.installed explorer-chromium

# After changing a library version in explorer/package.json: refresh the lockfile and the copies.
explorer-vendor:
	cd explorer && npm install --ignore-scripts --no-audit --no-fund --loglevel=error && npm run vendor

# Re-take docs/screenshots/*.png from the browser tests on the seed graph.
explorer-screenshots: $(VENV)/.dev-installed explorer/node_modules/.installed explorer-chromium
	TRADEGRAPH_UPDATE_SCREENSHOTS=1 $(BIN)/python -m pytest tests/app/browser/test_explorer_e2e.py -q

explorer-clean:
	rm -rf explorer/node_modules
