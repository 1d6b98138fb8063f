# Reliability runs (bench/reliability/): the long versions of tests/reliability/. Each prints its
# figures and writes bench/reliability/results/<name>.json, which docs/reliability.md quotes.
# `make soak` runs them all (about 17 minutes on a 2-core machine); everything stays on 127.0.0.1.

SOAK_SECONDS ?= 120
CRASH_TRIALS ?= 20
CRASH_IN_TRANSACTION ?= 10
CRASH_LARGE ?= 10
FUZZ_EXAMPLES ?= 40
READS_SECONDS ?= 60

.PHONY: soak reliability-test reliability-crash reliability-concurrency reliability-fuzz reliability-caps reliability-reads

# The short versions alone (they are part of `make test` too).
reliability-test: $(VENV)/.dev-installed
	$(BIN)/python -m pytest tests/reliability -q

reliability-crash: $(VENV)/.dev-installed
	$(BIN)/python -m bench.reliability.crash --trials $(CRASH_TRIALS) --in-transaction $(CRASH_IN_TRANSACTION) --large $(CRASH_LARGE)

reliability-concurrency: $(VENV)/.dev-installed
	$(BIN)/python -m bench.reliability.concurrency --seconds $(SOAK_SECONDS)

reliability-fuzz: $(VENV)/.dev-installed
	$(BIN)/python -m bench.reliability.fuzz --examples $(FUZZ_EXAMPLES)

reliability-caps: $(VENV)/.dev-installed
	$(BIN)/python -m bench.reliability.caps

# A dashboard's reads without and then during `tradegraph ingest` (issue 18's must-show); exit
# status 1 while the goal (0 failed, 0 torn, p99 ratio <= 3, >= 8 commits/s) is missed.
reliability-reads: $(VENV)/.dev-installed
	$(BIN)/python -m bench.reliability.reads_during_ingest --seconds $(READS_SECONDS)

soak: reliability-crash reliability-concurrency reliability-fuzz reliability-caps reliability-reads
