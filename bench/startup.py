"""Cold start: the real `briefbot ask "/brief"` started as a new process N times, on the shipped pack.

    python bench/startup.py [--runs N] [--line "/brief"] [--language es]

Each run is `python -m bot --db <store> ask <line>` on a store seeded once beforehand, as a user's
second command finds it. Prints p50/p90 of the wall time and of the process's CPU time (user + system,
which the other processes on a shared machine disturb far less than wall time), and checks the answer.
Run `python -X importtime -m bot ask /brief` to see where the imports' share goes.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_MS = 150.0  # issue #18 §4


def child_cpu() -> float:
    """CPU seconds (user + system) used so far by this process's finished children."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def one_run(command: list[str]) -> tuple[float, float]:
    """Wall and CPU milliseconds of one run; the run must answer (exit 0)."""
    cpu, start = child_cpu(), time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    wall = (time.perf_counter() - start) * 1000
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} exited {done.returncode}: {done.stderr.strip()[-500:]}")
    return wall, (child_cpu() - cpu) * 1000


def quantiles(values: list[float]) -> str:
    """"p50 X ms, p90 Y ms" (nearest rank)."""
    ordered = sorted(values)
    return f"p50 {statistics.median(ordered):6.1f} ms, p90 {ordered[max(0, round(0.9 * len(ordered)) - 1)]:6.1f} ms"


def main(runs: int, line: str, language: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        store = Path(tmp) / "startup.sqlite3"
        command = [sys.executable, "-m", "bot", "--db", str(store), "--locale", language, "ask", line]
        one_run(command)  # seeds the store: the runs below time a start, not the first load of the pack
        walls, cpus = zip(*(one_run(command) for _ in range(runs)), strict=True)
    bytecode = "not written (PYTHONDONTWRITEBYTECODE)" if os.environ.get("PYTHONDONTWRITEBYTECODE") else "written"
    print(f"`briefbot --locale {language} ask {line!r}`, {runs} cold starts; python {sys.version.split()[0]}, bytecode {bytecode}")
    print(f"  wall {quantiles(list(walls))}")
    print(f"  CPU  {quantiles(list(cpus))}   (target ≤ {TARGET_MS:.0f} ms)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--line", default="/brief")
    parser.add_argument("--language", choices=["en", "es"], default="en")
    args = parser.parse_args()
    main(args.runs, args.line, args.language)
