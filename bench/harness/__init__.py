"""The reliability harness, shared by ``bench/`` and ``tests/``: real processes on real files.

The tests under tests/reliability call it with small numbers (they run in ``make test``);
``bench/reliability/*.py`` call the same functions with large ones and print the figures that
docs/reliability.md quotes. Everything runs on loopback and in temporary folders, and every loop is
bounded by a count or a deadline. Its parts:

- ``paths``: where the project, its seeds, its eval texts and its installed commands are;
- ``hostile``: values that must be inert in every parameter;
- ``fingerprint``: the content of a store (a SQLite file's rows, or any store's export);
- ``corpus`` and ``articles``: synthetic facts corpora and generated news articles;
- ``dense``: a dependency web dense enough to hit every result cap;
- ``server``: a real uvicorn process on a store (``tradegraph serve``);
- ``crash`` and ``large_store``: kill -9 trials against ``tradegraph ingest``;
- ``concurrency``, ``readers`` and ``writer``: reading clients against the server while another
  process writes the same file;
- ``ingest_load`` and ``mixed_reads``: a dashboard's reads while ``tradegraph ingest`` writes;
- ``traced_ingest`` and ``writer`` are run as programs (``python -m bench.harness.<name>``).

Nothing here imports from ``tests/`` (tests/reliability/test_bench_imports.py checks it).
"""
