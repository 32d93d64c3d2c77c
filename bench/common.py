"""What the benchmarks share: the checkout they run from, the percentiles they report, a child's and a process's cost.

`python bench/NAME.py` puts bench/, not the checkout, first on the path, so each benchmark inserts the checkout
(`sys.path.insert(0, str(Path(__file__).resolve().parent.parent))`) before it imports this module or `bot`. Only the
standard library is imported here: bench/slack_burst.py reads its own process's memory as the server's.
"""

from __future__ import annotations

import resource
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"


def nearest(values: list[float], share: float) -> float:
    """The value at `share` of the sorted values by nearest rank: a time some request took, never one between two."""
    ordered = sorted(values)
    return ordered[max(0, round(share * len(ordered)) - 1)]


def cut(values: list[float]) -> tuple[float, float]:
    """p50 (the median) and p99 (nearest rank), the pair the latency targets name."""
    import statistics  # here, not above: a server's memory read in bench/slack_burst.py's process should not carry it

    return statistics.median(values), nearest(values, 0.99)


def children_cpu() -> float:
    """CPU seconds (user + system) of this process's finished children: what a child used, which others' load barely moves."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def memory_mb(pid: int | str = "self") -> tuple[float, float]:
    """Resident and peak resident MB of a process (this one unless `pid`), from /proc (Linux): what memory targets name."""
    status = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in line)
    return int(status["VmRSS"].split()[0]) / 1024, int(status["VmHWM"].split()[0]) / 1024


def cold_run(command: list[str], cwd: Path = ROOT, env: dict[str, str] | None = None) -> tuple[subprocess.CompletedProcess[str], float, float]:
    """`command` in a fresh process, and its wall and CPU milliseconds: a one-shot user waits for a cold start."""
    cpu, start = children_cpu(), time.perf_counter()
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    return done, (time.perf_counter() - start) * 1000, (children_cpu() - cpu) * 1000
