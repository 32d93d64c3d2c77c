"""Running the `briefbot` command line as a subprocess, from the repository root, with a clean environment."""

from __future__ import annotations

import asyncio
import os
import re
import resource
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import IO
from urllib.parse import unquote

from tests.conftest import ROOT


def briefbot(
    *args: str | Path, env: dict[str, str] | None = None, stdin: str | None = None, file_limit: int | None = None,
    stdout: IO[str] | None = None, timeout: float = 60, as_typed: bool = False,
) -> subprocess.CompletedProcess[str]:
    """Run `python -m bot ARGS` from the repository root with a clean briefbot environment (`stdin`: what it reads).

    A postgresql:// URL's password (the test server's) goes in PGPASSWORD, as an operator gives it (`as_operator`), unless
    `as_typed`: the arguments as written, to see the command line refuse it.
    `file_limit`: no file it writes may grow past this many bytes (a write past it fails as on a full disk).
    `stdout`: where its standard output goes (`/dev/full`, say), instead of being captured.
    `timeout`: the seconds it may take before subprocess.TimeoutExpired fails the test (one that might wait for ever).
    """
    words, env = (list(map(str, args)), env) if as_typed else as_operator(args, env)
    return subprocess.run(
        [sys.executable, "-m", "bot", *words],
        cwd=ROOT,
        env=_clean(env),
        input=stdin,
        stdout=subprocess.PIPE if stdout is None else stdout,
        stderr=subprocess.PIPE,
        text=True,
        timeout=timeout,
        preexec_fn=None if file_limit is None else lambda: resource.setrlimit(resource.RLIMIT_FSIZE, (file_limit, file_limit)),
    )


def printed_apply(dry: str) -> list[str]:
    """The flags of the apply command an `admin import` dry run printed (`--apply --version N --changes D`, and
    `--discard-edits` where it takes back edits), as an editor pastes them after the path (the options the dry run was
    given, which the command repeats before `admin`, are the test's own)."""
    found = re.search(r"briefbot(?: \S+)*? admin import \S+ (--apply --version \d+ --changes [0-9a-f]+(?: --discard-edits)?)", dry)
    assert found, dry
    return found[1].split()


def as_operator(args: Sequence[str | Path], env: dict[str, str] | None) -> tuple[list[str], dict[str, str] | None]:
    """The arguments and environment as an operator gives a store URL: its `user:password@` written `user@`, the password
    in PGPASSWORD, since the command line refuses one (anyone on the machine could read it in `ps`)."""
    words, passwords = [], set()
    for word in map(str, args):
        found = _URL_PASSWORD.match(word)
        if found:
            passwords.add(unquote(found[2]))
            word = f"{found[1]}@{word[found.end():]}"
        words.append(word)
    assert len(passwords) <= 1, "one PGPASSWORD serves every URL of a command"
    return words, env if not passwords else {**(env or {}), "PGPASSWORD": passwords.pop()}


# A store URL's user and its password, percent-encoded where it must be (the test server's, or TEST_POSTGRES_URL's).
_URL_PASSWORD = re.compile(r"(postgres(?:ql)?://[^:@/?#\s]+):([^@/?#\s]+)@")


async def briefbot_started(*args: str | Path) -> asyncio.subprocess.Process:
    """`python -m bot ARGS` started as `briefbot` above, its output piped, for a test to run beside others and await."""
    words, env = as_operator(args, None)
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", *words, cwd=ROOT, env=_clean(env),
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )


# A process that opens the store (migrating it) at a given instant, logging at INFO as the bot does.
_OPEN_AT = """
import asyncio, logging, sys, time
from bot.store import open_store
logging.basicConfig(level=logging.INFO, format="%(message)s")
time.sleep(max(0.0, float(sys.argv[2]) - time.time()))  # a start line, so the processes really race
async def main():
    async with open_store(sys.argv[1]):
        pass
asyncio.run(main())
"""


def opened_together(store: str | Path, count: int = 4) -> list[tuple[int, str]]:
    """Open the store in `count` processes at the same instant, as after an upgrade; each one's (exit status, output)."""
    start = time.time() + 2.0  # once every process has imported briefbot
    processes = [
        subprocess.Popen([sys.executable, "-c", _OPEN_AT, str(store), str(start)], cwd=ROOT, env=_clean(None),
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        for _ in range(count)
    ]
    outputs = [process.communicate(timeout=60)[0] for process in processes]
    return [(process.returncode, output) for process, output in zip(processes, outputs, strict=True)]


def _clean(env: dict[str, str] | None) -> dict[str, str]:
    """This environment without its briefbot settings, plus `env`."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("BRIEFBOT_")}
    clean.update(env or {})
    return clean
