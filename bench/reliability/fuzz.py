"""Schemathesis against a live uvicorn server: every operation of the OpenAPI document, writes
included, N examples per operation (plus schemathesis's coverage cases), through
tests/reliability/test_live_fuzz.py.

    python -m bench.reliability.fuzz --examples 40

Prints and saves the number of cases by operation and status; exit status is pytest's."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time

from bench.reliability.common import ROOT, save, workdir


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=40, help="generated examples per operation")
    parser.add_argument("--seed", type=int, default=None, help="hypothesis seed (default: random)")
    args = parser.parse_args(argv)

    folder = workdir("fuzz")
    report_file = folder / "cases.json"
    env = {**os.environ, "TRADEGRAPH_LIVE_FUZZ_EXAMPLES": str(args.examples), "TRADEGRAPH_LIVE_FUZZ_REPORT": str(report_file)}
    command = [sys.executable, "-m", "pytest", "tests/reliability/test_live_fuzz.py", "-q", "-p", "no:cacheprovider"]
    if args.seed is not None:
        command.append(f"--hypothesis-seed={args.seed}")
    started = time.monotonic()
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=6 * 3600)
    seconds = round(time.monotonic() - started, 1)
    summary = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""
    cases = json.loads(report_file.read_text()) if report_file.exists() else {"cases": 0, "operations": {}}
    statuses: dict[str, int] = {}
    for by_status in cases["operations"].values():
        for status, n in by_status.items():
            statuses[status] = statuses.get(status, 0) + n
    payload = {
        "examples_per_operation": args.examples,
        "cases": cases["cases"],
        "operations": len(cases["operations"]),
        "statuses": dict(sorted(statuses.items())),
        "server_errors": sum(n for s, n in statuses.items() if s.startswith("5")),
        "pytest": summary,
        "pytest_exit": done.returncode,
        "seconds": seconds,
        "by_operation": cases["operations"],
        "command": "python -m bench.reliability.fuzz " + " ".join(argv if argv is not None else sys.argv[1:]),
    }
    out = save("fuzz", payload)
    print(f"cases {payload['cases']} over {payload['operations']} method/path pairs in {seconds} s")
    print(f"statuses {payload['statuses']}")
    print(f"pytest: {summary}")
    if done.returncode:
        print(done.stdout[-5000:])
    print(f"written to {out}")
    return done.returncode


if __name__ == "__main__":
    sys.exit(main())
