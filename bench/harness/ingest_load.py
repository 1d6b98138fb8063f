"""A steady ingest from another process: ``tradegraph ingest`` (the real CLI) writing folders of
small generated articles into a store, one commit per article, for as long as it is asked to.

Each round writes a fresh folder (its own label, so every article is a new document and every file
a commit), then runs the CLI on it; the next folder is written while the CLI runs. Commits are
counted from the store's data version, which every commit moves by one, whoever made it.

The load can be paused (the running CLI is stopped with SIGSTOP, and no new one starts until it is
resumed with SIGCONT), so that a benchmark can read the same store with and without writes in
turns: a stopped process commits nothing and takes no CPU, and a WAL reader never waits for it."""

from __future__ import annotations

import signal
import subprocess
import threading
import time
from pathlib import Path

from bench.harness.articles import write_articles
from bench.harness.crash import ingest_command, ingest_env
from bench.harness.fingerprint import stored_version


class IngestLoad:
    """Rounds of ``tradegraph ingest FOLDER`` on ``db`` in a background thread, from ``start()``
    until ``stop()``. A CLI run that is still going at ``stop()`` is terminated: each article is
    one transaction, so the store keeps whole documents."""

    def __init__(self, db: Path, workdir: Path, *, articles_per_round: int = 200, paragraphs: int = 1, seed: int = 11) -> None:
        self.db = db
        self.workdir = workdir
        self.articles_per_round = articles_per_round
        self.paragraphs = paragraphs
        self.seed = seed
        self.rounds = 0
        self.failures: list[str] = []  # CLI runs that exited with neither 0 (all added) nor 2 (some refused)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="ingest-load", daemon=True)
        self._proc: subprocess.Popen | None = None
        self._lock = threading.Lock()
        self._running = threading.Event()  # cleared while paused
        self._running.set()
        self._next = self._write_folder(0)

    def _write_folder(self, round_no: int) -> Path:
        folder = self.workdir / f"articles-{round_no:03d}"
        write_articles(folder, self.articles_per_round, seed=self.seed + round_no, paragraphs=self.paragraphs, label=f"r{round_no}")
        return folder

    def _run(self) -> None:
        round_no = 0
        while not self._stop.is_set():
            self._running.wait()
            log = (self.workdir / f"ingest-{round_no:03d}.log").open("w")
            with self._lock:
                if self._stop.is_set():
                    log.close()
                    break
                if not self._running.is_set():  # paused between waiting and here
                    log.close()
                    continue
                self._proc = subprocess.Popen(ingest_command(self._next), env=ingest_env(self.db), stdout=log, stderr=subprocess.STDOUT)
            round_no += 1
            self._next = self._write_folder(round_no)
            code = self._proc.wait()
            log.close()
            self.rounds += 1
            if code not in (0, 2) and not self._stop.is_set():
                self.failures.append(f"round {round_no - 1}: exit {code}, see {log.name}")
                break

    def start(self) -> None:
        self._thread.start()

    def wait_for_commit(self, after_version: int, budget_s: float = 600.0) -> int:
        """Block until the store's version passes ``after_version`` (the CLI has started and
        committed), within a budget for a loaded machine; return the version seen."""
        deadline = time.monotonic() + budget_s
        while time.monotonic() < deadline:
            version = stored_version(self.db)
            if version > after_version:
                return version
            if self.failures or not self._thread.is_alive():
                break
            time.sleep(0.05)
        raise RuntimeError(f"the ingest committed nothing: {self.failures or 'no commit within the budget'}")

    def pause(self) -> None:
        """Stop the running CLI where it is (SIGSTOP) and start no other until :meth:`resume`."""
        with self._lock:
            self._running.clear()
            self._signal(signal.SIGSTOP)

    def resume(self) -> None:
        with self._lock:
            self._signal(signal.SIGCONT)
            self._running.set()

    def _signal(self, signum: int) -> None:
        if self._proc is not None and self._proc.poll() is None:
            self._proc.send_signal(signum)

    def stop(self) -> None:
        self._stop.set()
        with self._lock:
            self._running.set()
            if self._proc is not None and self._proc.poll() is None:
                self._proc.send_signal(signal.SIGCONT)  # a stopped process does not act on SIGTERM
                self._proc.terminate()
        self._thread.join(timeout=120)
