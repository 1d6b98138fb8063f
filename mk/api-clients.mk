# Generated API clients (tests/app/api/test_generated_clients.py): the npm tools that read
# /openapi.json as a dashboard developer would (openapi-typescript, openapi-fetch, tsc, Redocly's
# linter), pinned by tools/api-clients/package-lock.json. openapi-python-client comes with the
# dev extra. Without npm the TypeScript and lint tests are skipped with the reason; under CI=true
# they fail instead.

API_CLIENTS := tools/api-clients

$(API_CLIENTS)/node_modules/.installed: $(API_CLIENTS)/package-lock.json
ifeq ($(HAVE_NPM),yes)
	cd $(API_CLIENTS) && npm ci --no-audit --no-fund --loglevel=error
	touch $@
else
	@echo "npm not found: the generated TypeScript client and Redocly lint tests will be skipped"
endif

TEST_DEPS += $(API_CLIENTS)/node_modules/.installed

.PHONY: api-lint api-clients-clean

# The document of a running server (make run) against Redocly's recommended rules.
API_URL ?= http://$(HOST):$(PORT)
api-lint: $(API_CLIENTS)/node_modules/.installed
	cd $(API_CLIENTS) && REDOCLY_TELEMETRY=off npx redocly lint $(API_URL)/openapi.json --extends recommended

api-clients-clean:
	rm -rf $(API_CLIENTS)/node_modules
