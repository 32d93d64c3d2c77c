"""An admin's value is stored exactly as typed: each `briefbot admin` argument as the shell passed it, and a console or
Slack line's value between the quotes the admin guide names (docs/admin-guide.md, "Quoting a value")."""

from __future__ import annotations

import asyncio
import re
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from bot.cli import main
from bot.core.requests import Request
from bot.core.service import BriefingCore
from bot.store import open_store
from tests.conftest import BEFORE

SET_ROLE = ("admin", "set", "kind:person", "id:gustavo-petro")
# Any printable character (no control, invisible, private-use or unassigned one, no separator but the space), and the
# ones a line's reading could take for something else: every kind of quote mark, a backslash, a tab.
CHARACTERS = st.one_of(
    st.characters(blacklist_categories=("C", "Z")),
    st.sampled_from(list(" \t\\\"'“”«»‘’„‹›")),
)
WORDS = st.text(CHARACTERS, min_size=1, max_size=8)
# Words with spaces between them, some in quotes of any kind, nested: what an answer or a role quoting someone holds.
PHRASES = st.recursive(
    WORDS,
    lambda inner: st.one_of(
        st.tuples(st.sampled_from(["“”", "«»", '""', "''", "‘’"]), inner).map(lambda marked: marked[0][0] + marked[1] + marked[0][1]),
        st.lists(inner, min_size=2, max_size=4).map(" ".join),
    ),
    max_leaves=8,
)
# A role as a field keeps it: no space at either end (a value is trimmed), and not a link's `//` after the colon.
VALUES = st.one_of(st.text(CHARACTERS, min_size=1, max_size=60), PHRASES).filter(
    lambda value: value == value.strip() and not value.startswith("//") and len(value) <= 200,
)


@pytest.fixture
def db(tmp_path: Path, seeded_file: Path) -> Path:
    """A copy of the seeded SQLite store, which `briefbot --db` opens."""
    path = tmp_path / "briefbot.sqlite3"
    shutil.copyfile(seeded_file, path)
    return path


def role(db: Path) -> str:
    """Gustavo Petro's role as the store holds it."""

    async def read() -> str:
        async with open_store(db) as store:
            briefing = await store.repository.briefing()
        return next(person.role for person in briefing.people if person.id == "gustavo-petro")

    return asyncio.run(read())


@given(value=VALUES)
@example(value="Senator\\Colombia")
@example(value='12"')
@example(value="a\tb")
@example(value="Petro called it “a new chapter” for both countries.")
@example(value="Petro called it «a new chapter» for both countries.")
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_each_cli_argument_is_one_option_stored_as_typed(db: Path, capsys: pytest.CaptureFixture[str], value: str) -> None:
    assert main(["--db", str(db), *SET_ROLE, f"role:{value}"]) == 0, capsys.readouterr().err
    assert role(db) == value


def quoted(value: str) -> list[str]:
    """The value between each kind of quotes the admin guide names that can hold it: "…" (a `"` or backslash escaped)
    always; '…' when every apostrophe in it is between letters; “…” and «…» when it holds a space and its marks of that
    kind pair up."""
    ways = ['"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"']
    if "'" not in re.sub(r"(?<=[^\W\d_])'(?=[^\W\d_])", "", value):
        ways.append(f"'{value}'")
    for opening, closing in ("“”", "«»"):
        depths = [0]
        for mark in re.findall(f"[{opening}{closing}]", value):
            depths.append(depths[-1] + (1 if mark == opening else -1))
        if re.search(r"\s", value) and min(depths) == 0 == depths[-1]:
            ways.append(f"{opening}{value}{closing}")
    return ways


@given(value=VALUES)
@example(value="Petro called it “a new chapter” for both countries.")
@example(value="Why is «the meeting» important?")
@example(value="He said “no” today")
@example(value="Petro called it «a new chapter»")
@example(value='He said "no" and \\ left')
@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
async def test_a_lines_value_in_the_quotes_the_guide_names_is_stored_as_typed(core: BriefingCore, value: str) -> None:
    for way in quoted(value):
        line = f"/set kind:person id:gustavo-petro role:{way}"
        reply = await core.dispatch_line(line, Request(command="", now=BEFORE, platform="console", operator=True))
        assert reply.kind == "answer", (line, reply.text)
        stored = await core.repository.briefing()
        assert next(person.role for person in stored.people if person.id == "gustavo-petro") == value, line
