"""Long reliability runs: kill -9 trials, concurrent reads during ingest, live fuzzing, query
costs on a dense graph. Each writes bench/reliability/results/<name>.json and prints its figures;
docs/reliability.md quotes them. The short versions run in ``make test`` (tests/reliability/)."""
