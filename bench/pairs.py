"""Two versions' end-to-end figures, run alternately so the host's drift from hour to hour falls on both alike.

    python bench/pairs.py BEFORE_DIR [--runs 20] [--passes 20]

BEFORE_DIR holds the other version (`git archive <commit> | tar -x -C BEFORE_DIR`); both run with this Python, each
as `bench/core.py --only end-to-end` from its own tree. On this shared host the same code reads 30 % apart from one
hour to the next (docs/benchmarks.md), so only runs taken in the same minutes compare. Prints, per command, the median
over the runs of each renderer's uncached p50, then the sums and how many row pairs went down or up.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent
ROW = re.compile(r"^([a-z]+)\s+\d+\s+\d+\s")
CELL = re.compile(r"(\d+)/\s*(\d+)")
RENDERERS = ("console", "discord", "slack")


def uncached_p50(output: str) -> dict[str, tuple[int, ...]]:
    """Each command's uncached wall p50 per renderer, from `bench/core.py --only end-to-end`'s first table."""
    rows: dict[str, tuple[int, ...]] = {}
    table = output.split("End to end, uncached", 1)[1].split("End to end, cached", 1)[0]
    for line in table.splitlines():
        found = ROW.match(line)
        if found:
            rows[found.group(1)] = tuple(int(p50) for p50, _ in CELL.findall(line)[: len(RENDERERS)])
    return rows


def run(tree: Path, passes: int) -> dict[str, tuple[int, ...]]:
    """One end-to-end run of the tree's own bench/core.py and code."""
    env = {**os.environ, "PYTHONPATH": str(tree)}
    done = subprocess.run([sys.executable, "bench/core.py", "--only", "end-to-end", "--passes", str(passes)],
                          cwd=tree, env=env, capture_output=True, text=True, check=True, timeout=600)
    return uncached_p50(done.stdout)


def medians(runs: list[dict[str, tuple[int, ...]]]) -> dict[str, list[float]]:
    """Per command, the median of each renderer's p50 over the runs."""
    return {command: [statistics.median(r[command][i] for r in runs) for i in range(len(RENDERERS))] for command in runs[0]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("before", type=Path, help="the other version's tree")
    parser.add_argument("--runs", type=int, default=20, help="runs of each version, alternately")
    parser.add_argument("--passes", type=int, default=20, help="bench/core.py's --passes")
    args = parser.parse_args()
    before: list[dict[str, tuple[int, ...]]] = []
    after: list[dict[str, tuple[int, ...]]] = []
    for n in range(args.runs):
        if n % 2:  # each version goes first in half the pairs: neither gains from what the other left warm or busy
            after.append(run(HERE, args.passes))
            before.append(run(args.before.resolve(), args.passes))
        else:
            before.append(run(args.before.resolve(), args.passes))
            after.append(run(HERE, args.passes))
        print(f"pair {n + 1} of {args.runs}, load {os.getloadavg()[0]:.2f}", file=sys.stderr)
    old, new = medians(before), medians(after)
    print(f"median uncached p50 over {args.runs} runs each, µs ({'/'.join(RENDERERS)}): before → this tree")
    for command in new:
        was = "/".join(f"{m:g}" for m in old[command]) if command in old else "(none)"
        print(f"  {command:11} {was:>18} → {'/'.join(f'{m:g}' for m in new[command])}")
    common = [c for c in new if c in old]
    print(f"summed over the {len(common)} commands both have: {sum(map(sum, (old[c] for c in common))):g} → "
          f"{sum(map(sum, (new[c] for c in common))):g} µs")
    pairs = [(b[c][i], a[c][i]) for b, a in zip(before, after, strict=True) for c in common for i in range(len(RENDERERS))]
    print(f"row pairs: {sum(a < b for b, a in pairs)} lower, {sum(a > b for b, a in pairs)} higher, of {len(pairs)}")


if __name__ == "__main__":
    main()
