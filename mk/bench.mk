# Benchmarks (bench/). Each target prints its figures and the command that reproduces them, and
# writes bench/results/<name>.json; `make bench-report` turns those into the plot in bench/.
# Sizes: 10k, 100k, 1m, 5m relations; generated stores are cached in bench/data/ (git-ignored).
# The tools they need beyond the project (the `bench` extra: matplotlib for the plot, networkx for
# the baseline walk; wrk for HTTP load) are installed by bench-deps, not by `make test`.

BENCH_SIZE ?= 100k
BENCH_SIZES ?= 10k 100k 1m

.PHONY: bench bench-deps bench-generate bench-extract bench-upsert bench-queries bench-coldstart bench-api bench-neo4j bench-measures-view bench-report bench-clean

$(VENV)/.bench-installed: pyproject.toml $(VENV)/.dev-installed
	$(BIN)/python -m pip install -q -e ".[bench]"
	touch $@

bench-deps: $(VENV)/.bench-installed
	command -v wrk >/dev/null || (apt-get install -y -q wrk || echo "wrk not installed: bench-api will refuse to run")

bench-generate: $(VENV)/.run-installed
	$(BIN)/python -c "from bench.common import ensure_db, size_of; ensure_db(size_of('$(BENCH_SIZE)'))"

bench-extract: $(VENV)/.run-installed  # 10 s per group, as BENCHMARKS.md's figures
	$(BIN)/python -m bench.extraction --seconds 10

bench-upsert: $(VENV)/.run-installed
	$(BIN)/python -m bench.upsert --size $(BENCH_SIZE)

bench-queries: $(VENV)/.dev-installed  # networkx: the baseline walk
	$(BIN)/python -m bench.queries --size $(BENCH_SIZE)

bench-coldstart: $(VENV)/.run-installed
	$(BIN)/python -m bench.coldstart --size $(BENCH_SIZE)

bench-api: bench-deps  # wrk
	$(BIN)/python -m bench.api --size $(BENCH_SIZE)

bench-neo4j: $(VENV)/.dev-installed
	$(BIN)/python -m bench.neo4j --size $(BENCH_SIZE)

# The explorer's Measures view: its API calls at BENCH_SIZE, and the page in Chromium on the seeds
# (needs explorer/node_modules and Debian's chromium, which `make test` sets up).
bench-measures-view: $(VENV)/.run-installed
	$(BIN)/python -m bench.measures_view --size $(BENCH_SIZE)

bench-report: $(VENV)/.bench-installed  # matplotlib
	$(BIN)/python -m bench.report

# Everything at every size in BENCH_SIZES (the 1m size takes tens of minutes on a 2-core machine).
bench: bench-deps bench-extract
	for size in $(BENCH_SIZES); do \
	  $(BIN)/python -m bench.upsert --size $$size && \
	  $(BIN)/python -m bench.coldstart --size $$size && \
	  $(BIN)/python -m bench.queries --size $$size || exit 1; \
	done
	$(BIN)/python -m bench.api --size 100k
	$(BIN)/python -m bench.report

bench-clean:
	rm -rf bench/data
