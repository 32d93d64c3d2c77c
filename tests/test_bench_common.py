"""Every benchmark starts as docs/benchmarks.md runs it, and the percentiles bench/common.py gives are times observed."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from bench.common import ROOT, cut, nearest

PROGRAMS = sorted(p.name for p in (ROOT / "bench").glob("*.py") if '__name__ == "__main__"' in p.read_text(encoding="utf-8"))


@pytest.mark.parametrize("program", PROGRAMS)
def test_a_benchmark_starts_from_the_checkout_as_the_docs_run_it(program: str) -> None:
    # `python bench/NAME.py` puts bench/, not the checkout, on the path: the benchmark must find `bench.common` itself.
    environment = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    done = subprocess.run([sys.executable, f"bench/{program}", "--help"], cwd=ROOT, env=environment, capture_output=True,
                          text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("usage:")


def test_the_percentiles_are_values_that_were_measured() -> None:
    values = [float(n) for n in range(100, 0, -1)]
    assert nearest(values, 0.9) == 90.0
    assert nearest(values, 0.99) == 99.0
    assert cut(values) == (50.5, 99.0)  # p50 is the median, as every benchmark printed it
    assert cut([3.0]) == (3.0, 3.0)
