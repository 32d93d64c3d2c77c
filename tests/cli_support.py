"""Running the `briefbot` command line as a subprocess, from the repository root, with a clean environment."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT


def briefbot(*args: str | Path, env: dict[str, str] | None = None, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run `python -m bot ARGS` from the repository root with a clean briefbot environment (`stdin`: what it reads)."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("BRIEFBOT_")}
    clean.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "bot", *map(str, args)],
        cwd=ROOT,
        env=clean,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
    )
