"""API throughput and latency under concurrent load, beside bare uvicorn in the same run.

    .venv/bin/python -m bench.api --size 100k [--duration 10] [--connections 32]

Servers (each a separate uvicorn process, 1 worker, loopback, access log off, same uvicorn build):
- ``raw``: a bare ASGI hello (bench/hello_app.py), the ceiling;
- ``fastapi async`` / ``fastapi sync``: FastAPI hello routes, the framework's floor;
- the project's app (app.main.create_app) on a generated store, for
  ``GET /v1/entities/{id}`` (entity lookup: evidence and relation counts) over 500 random entities
  and ``GET /v1/dependents?commodity={id}&max_depth=4`` over 300 random commodities, each with the
  answer cache as served and with it off (every request reads the store).
Load comes from a second process, ``wrk`` (Debian package) with one thread and N connections for a
fixed duration, rotating through the paths with a Lua script; loopback only, bounded in time.
Each server is stopped when its measurement ends.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from bench.common import PY, ROOT, ensure_db, label, reproduce, save, size_of


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, target: str, env: dict[str, str] | None = None, factory: bool = False) -> None:
        self.port = _free_port()
        args = [PY, "-m", "uvicorn", target, "--host", "127.0.0.1", "--port", str(self.port), "--workers", "1",
                "--log-level", "warning", "--no-access-log"]
        if factory:
            args.append("--factory")
        self.proc = subprocess.Popen(args, cwd=ROOT, env={**os.environ, **(env or {})}, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        self.url = f"http://127.0.0.1:{self.port}"

    def wait(self, path: str, timeout: float = 300) -> float:
        start = time.perf_counter()
        while time.perf_counter() - start < timeout:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited: {self.proc.stderr.read().decode()[-2000:]}")
            try:
                if httpx.get(self.url + path, timeout=5).status_code == 200:
                    return time.perf_counter() - start
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        raise TimeoutError(path)

    def stop(self) -> None:
        self.proc.send_signal(signal.SIGINT)
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1000.0}


def _ms(text: str) -> float:
    m = re.match(r"([\d.]+)(us|ms|s)", text)
    return round(float(m.group(1)) * _UNITS[m.group(2)], 3)


def wrk(url: str, paths: list[str], duration: int, connections: int) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        quoted = ",".join('"' + p.replace("\\", "\\\\").replace('"', '\\"') + '"' for p in paths)
        f.write(f"local paths = {{{quoted}}}\nlocal i = 0\n"
                "request = function()\n  i = i % #paths + 1\n  return wrk.format(\"GET\", paths[i])\nend\n")
        script = f.name
    try:
        out = subprocess.run(["wrk", "-t1", f"-c{connections}", f"-d{duration}s", "--latency", "-s", script, url],
                             capture_output=True, text=True, check=True, timeout=duration + 60).stdout
    finally:
        os.unlink(script)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    lat = {q: _ms(v) for q, v in re.findall(r"^\s+(50|90|99)%\s+(\S+)", out, re.M)}
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    errors = re.search(r"Socket errors:.*", out)
    return {"requests_per_s": round(rps), "p50_ms": lat.get("50"), "p90_ms": lat.get("90"), "p99_ms": lat.get("99"),
            "non_2xx": int(non2xx.group(1)) if non2xx else 0, "socket_errors": errors.group(0) if errors else None}


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", default="100k")
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    args = parser.parse_args(argv)
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: apt-get install -y wrk")
    n = size_of(args.size)
    db = ensure_db(n)
    rng = random.Random(5)
    results: dict[str, dict] = {}

    def measure(name: str, server: Server, paths: list[str], ready: str) -> None:
        try:
            server.wait(ready)
            wrk(server.url, paths[:50], 2, args.connections)  # warm-up
            results[name] = wrk(server.url, paths, args.duration, args.connections)
            r = results[name]
            print(f"  {name:<22} {r['requests_per_s']:>7,} req/s   p50 {r['p50_ms']:>8} ms   p99 {r['p99_ms']:>8} ms"
                  + (f"   non-2xx {r['non_2xx']}" if r["non_2xx"] else ""), flush=True)
        finally:
            server.stop()

    print(f"API at {n:,} relations, wrk -t1 -c{args.connections} -d{args.duration}s", flush=True)
    measure("raw ASGI hello", Server("bench.hello_app:raw"), ["/"], "/")
    hello = Server("bench.hello_app:fastapi_app")
    measure("fastapi async hello", hello, ["/async"], "/async")
    measure("fastapi sync hello", Server("bench.hello_app:fastapi_app"), ["/sync"], "/sync")

    env = {"TRADEGRAPH_DB_PATH": str(db), "TRADEGRAPH_BACKEND": "embedded"}
    # ids for the paths, read once from the store in this process
    from graph.embedded import EmbeddedStore
    from graph.model.enums import EntityType

    with EmbeddedStore(db) as store:
        everything = store.entity_ids()
        commodities = store.entity_ids(EntityType.COMMODITY)
    entity_paths = [f"/v1/entities/{rng.choice(everything)}" for _ in range(500)]
    dependents_paths = [f"/v1/dependents?commodity={rng.choice(commodities)}&max_depth=4" for _ in range(300)]
    # With the answer cache as served (repeated questions: 500 or 300 paths asked over and over)
    # and without it (TRADEGRAPH_ANSWER_CACHE_MB=0: every request reads the store).
    cases = (
        ("entity lookup", entity_paths, {}),
        ("entity lookup, cache off", entity_paths, {"TRADEGRAPH_ANSWER_CACHE_MB": "0"}),
        ("dependents depth 4", dependents_paths, {}),
        ("dependents depth 4, cache off", dependents_paths, {"TRADEGRAPH_ANSWER_CACHE_MB": "0"}),
    )
    for name, paths, extra in cases:
        app = Server("app.main:create_app", env={**env, **extra}, factory=True)
        started = time.perf_counter()
        measure(name, app, paths, "/readyz")
        results[name]["server_start_s"] = round(time.perf_counter() - started, 1)
    measure("raw ASGI hello (again)", Server("bench.hello_app:raw"), ["/"], "/")

    ceiling = max(results["raw ASGI hello"]["requests_per_s"], results["raw ASGI hello (again)"]["requests_per_s"])
    ratios = {}
    for name, *_ in cases:
        short = name.replace("entity lookup", "entity").replace("dependents depth 4", "dependents").replace(", cache off", "_cache_off")
        rate = results[name]["requests_per_s"]
        ratios[f"{short}_vs_raw_hello"] = round(rate / ceiling, 3)
        ratios[f"{short}_vs_fastapi_async_hello"] = round(rate / results["fastapi async hello"]["requests_per_s"], 3)
    print("  ratios:", ratios)
    command = f".venv/bin/python -m bench.api --size {args.size} --duration {args.duration} --connections {args.connections}"
    save(f"api-{label(n)}", {"size": n, "results": results, "ratios": ratios, "command": command})
    reproduce(command)
    return results


if __name__ == "__main__":
    sys.exit(main() and 0)
