"""A process that serves runs the cyclic collector with short pauses (issue #14; figures in docs/benchmarks.md)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from bot.cli import SERVING_THRESHOLDS

ROOT = Path(__file__).resolve().parent.parent


def collector_after(tmp_path: Path, *words: str) -> str:
    """`enabled thresholds` once `bot.__main__.run()` has run these arguments, in a new process."""
    code = (
        "import gc, sys\n"
        f"sys.argv = ['briefbot', '--db', {str(tmp_path / 'b.sqlite3')!r}, '--locale', 'en', *{words!r}]\n"
        "import bot.__main__\n"
        "bot.__main__.run()\n"
        "print(gc.isenabled(), *gc.get_threshold(), file=sys.stderr)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    return out.stderr.strip().splitlines()[-1]


def test_a_served_command_collects_young_objects_often_and_every_generation_seldom(tmp_path):
    # A middle collection walks what survived two young ones (~0.3 ms), not ten (1–1.5 ms in one request).
    assert SERVING_THRESHOLDS[0] * SERVING_THRESHOLDS[1] <= 2_000
    # Full collections stay as rare as a Discord burst needs: one per ~2 million objects kept.
    assert SERVING_THRESHOLDS[0] * SERVING_THRESHOLDS[1] * SERVING_THRESHOLDS[2] >= 2_000_000
    assert collector_after(tmp_path, "briefings", "list") == "True " + " ".join(map(str, SERVING_THRESHOLDS))


def test_a_one_shot_ask_leaves_the_collector_off_and_untouched(tmp_path):
    assert collector_after(tmp_path, "ask", "/brief") == "False 700 10 10"
