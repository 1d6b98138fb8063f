"""What every benchmark shares: the machine it ran on, generated stores cached by size, timing,
percentiles, resident memory, and results written as JSON under bench/results/."""

from __future__ import annotations

import json
import os
import platform
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / "data"
RESULTS = ROOT / "bench" / "results"
PY = sys.executable

SIZES = {"10k": 10_000, "100k": 100_000, "1m": 1_000_000, "5m": 5_000_000}

# The load when the run began (this module is imported before anything is timed): the load at
# its end is partly the run's own.
_STARTED = {"load_1m": round(os.getloadavg()[0], 2), "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}


def size_of(text: str) -> int:
    return SIZES.get(text.lower()) or int(text.replace("_", ""))


def label(n: int) -> str:
    for name, value in SIZES.items():
        if value == n:
            return name
    return str(n)


def machine() -> dict:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        mem_kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f"{mem_kb / 1024 / 1024:.1f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory": mem,
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "load_1m_at_start": _STARTED["load_1m"],
        "started": _STARTED["when"],
        "load_1m_at_end": round(os.getloadavg()[0], 2),
        "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
    }


def rss_bytes(pid: int | str = "self") -> int:
    """Resident set size now (VmRSS)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0


def percentiles(samples_s: list[float]) -> dict:
    """p50/p90/p95/p99/max in milliseconds."""
    ordered = sorted(samples_s)
    n = len(ordered)

    def at(q: float) -> float:
        return round(ordered[min(n - 1, int(q * n))] * 1000, 3)

    return {"n": n, "p50_ms": at(0.50), "p90_ms": at(0.90), "p95_ms": at(0.95), "p99_ms": at(0.99), "max_ms": round(ordered[-1] * 1000, 3),
            "mean_ms": round(statistics.fmean(ordered) * 1000, 3)}


def timed(fn, *args, **kwargs) -> tuple[float, object]:
    t = time.perf_counter()
    result = fn(*args, **kwargs)
    return time.perf_counter() - t, result


def db_path(n: int, seed: int = 7) -> Path:
    return DATA / f"g{label(n)}-s{seed}.db"


def ensure_db(n: int, seed: int = 7) -> Path:
    """A generated store of ``n`` relations, built once (in a child process) and reused."""
    path = db_path(n, seed)
    if path.exists() and path.with_name(path.name + ".ok").exists():
        return path
    DATA.mkdir(parents=True, exist_ok=True)
    for leftover in path.parent.glob(path.name + "*"):
        leftover.unlink()
    print(f"generating {n:,} relations into {path} ...", file=sys.stderr, flush=True)
    subprocess.run([PY, "-m", "bench.generate", "--relations", str(n), "--seed", str(seed), "--db", str(path)],
                   check=True, cwd=ROOT)
    path.with_name(path.name + ".ok").write_text("ok\n")
    return path


def save(name: str, payload: dict) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"{name}.json"
    payload = {"machine": machine(), **payload}
    out.write_text(json.dumps(payload, indent=2, ensure_ascii=False, default=str) + "\n")
    return out


def reproduce(command: str) -> None:
    print(f"\nreproduce: {command}")
