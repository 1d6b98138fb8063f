"""A process that keeps one core busy and writes nothing: the control for a benchmark that reads
while another process ingests, to tell the cost of the ingest's CPU from the cost of its writes."""

from __future__ import annotations

import signal
import subprocess
import sys


class CpuHog:
    """A busy loop in its own process, started stopped; :meth:`resume` and :meth:`pause` run and
    stop it (SIGCONT, SIGSTOP), :meth:`stop` ends it."""

    def __init__(self) -> None:
        self._proc = subprocess.Popen([sys.executable, "-c", "while True: pass"])
        self._proc.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        self._proc.send_signal(signal.SIGCONT)

    def pause(self) -> None:
        self._proc.send_signal(signal.SIGSTOP)

    def stop(self) -> None:
        self._proc.send_signal(signal.SIGCONT)
        self._proc.terminate()
        self._proc.wait(30)
