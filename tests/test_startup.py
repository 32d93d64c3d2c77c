"""A cold `briefbot ask "/brief"` loads only what it answers with (issue #18 §4; figures in docs/benchmarks.md)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Each costs start-up time and only other commands use it: other commands' handlers, admins' forms and
# edits, the pack skeleton, and importlib.resources (the migrations are listed as plain files).
NOT_AT_START = (
    "bot.core.admin.commands",
    "bot.core.admin.edits",
    "bot.core.admin.forms",
    "bot.core.commands.timeline",
    "bot.core.commands.why",
    "bot.core.commands.help",
    "importlib.resources",
)


def test_a_start_imports_no_other_commands_handlers():
    code = f"import sys, bot.cli; print([m for m in {NOT_AT_START!r} if m in sys.modules])"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "[]"


def test_the_brief_is_answered_without_them(tmp_path):
    code = (
        "import sys, bot.cli\n"
        f"status = bot.cli.main(['--db', {str(tmp_path / 'b.sqlite3')!r}, '--locale', 'en', 'ask', '/brief'])\n"
        f"print(status, [m for m in {NOT_AT_START!r} if m in sys.modules], file=sys.stderr)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert "Sources:" in out.stdout
    assert out.stderr.strip().splitlines()[-1] == "0 []"


def test_a_command_imported_later_answers(tmp_path):
    db = str(tmp_path / "b.sqlite3")
    for line, expected in (("/timeline topic:sanctions", "sanctions"), ("/help timeline", "timeline")):
        out = subprocess.run([sys.executable, "-m", "bot", "--db", db, "--locale", "en", "ask", line],
                             capture_output=True, text=True, check=False, cwd=ROOT)
        assert out.returncode == 0, out.stderr
        assert expected in out.stdout.lower()


def collector_after(tmp_path: Path, *words: str) -> str:
    """`status collections enabled` after `bot.__main__.run()` with these arguments, counted in a new process."""
    code = (
        "import gc, sys\n"
        "runs = []\n"
        "gc.callbacks.append(lambda phase, info: runs.append(1) if phase == 'start' else None)\n"
        f"sys.argv = ['briefbot', '--db', {str(tmp_path / 'b.sqlite3')!r}, '--locale', 'en', *{words!r}]\n"
        "import bot.__main__\n"
        "runs.clear()  # only the collections of the run itself\n"
        "status = bot.__main__.run()\n"
        "print(status, len(runs), gc.isenabled(), file=sys.stderr)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    return out.stderr.strip().splitlines()[-1]


def test_an_ask_starts_and_answers_without_collections(tmp_path):
    assert collector_after(tmp_path, "ask", "/brief") == "0 0 False"


def test_every_other_command_runs_with_the_collector_on(tmp_path):
    # `briefbot run`, `console` and the platform bots live long: they must collect their garbage.
    assert collector_after(tmp_path, "briefings", "list").endswith(" True")
