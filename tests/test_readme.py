"""The README's example answers are real: each `$ briefbot ask …` block matches what the bot says."""

from __future__ import annotations

import re
import shlex
from datetime import datetime
from pathlib import Path

import pytest

from bot.adapters.console import render_text
from bot.core.commands import COMMANDS
from tests.conftest import BEFORE, ask

README = Path(__file__).resolve().parent.parent / "README.md"
# Pages whose `$ briefbot ask` examples are checked like the README's.
EXAMPLE_PAGES = (README, README.parent / "docs" / "briefings.md")
BLOCK = re.compile(r"```\n\$ briefbot ask (.+?)\n(.*?)```", re.DOTALL)
# When the test's store loaded its pack (`/briefings` shows it): the one part of an answer no page can know.
LOADED_AT = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC")


def examples() -> list[tuple[str, datetime, str]]:
    """(command line, --now, expected output) for every example block in the README."""
    found = []
    for arguments, output in (found for page in EXAMPLE_PAGES for found in BLOCK.findall(page.read_text(encoding="utf-8"))):
        words = shlex.split(arguments)
        now = datetime.fromisoformat(words[words.index("--now") + 1]) if "--now" in words else BEFORE
        found.append((words[0], now, output))
    return found


def test_every_command_has_an_example_answer():
    shown = {line.split()[0].lstrip("/") for line, _, _ in examples()}
    assert shown >= {spec.name for spec in COMMANDS.public()}


@pytest.mark.parametrize(("line", "now", "expected"), examples(), ids=lambda v: v if isinstance(v, str) and v.startswith("/") else "")
async def test_readme_example_matches_the_bot(core, line, now, expected):
    assert LOADED_AT.sub("…", render_text(await ask(core, line, now=now))) == LOADED_AT.sub("…", expected)
