"""A cold `briefbot ask "/brief"` skips start-up work it does not need (issue #18 §4; figures in docs/benchmarks.md)."""

from __future__ import annotations

import inspect
import os
import subprocess
import sys
from pathlib import Path

from bot.cli.serving import SERVING_THRESHOLDS

ROOT = Path(__file__).resolve().parent.parent

def test_a_start_does_not_import_importlib_resources():
    # The migrations are listed as plain files; importlib.resources costs a cold start and only a pending migration needs them read.
    code = "import sys, bot.cli; print('importlib.resources' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "False"


def collector_after(tmp_path: Path, *words: str) -> str:
    """`status collections enabled thresholds…` after `bot.__main__.run()` with these arguments, counted in a new process."""
    code = (
        "import gc, sys\n"
        "runs = []\n"
        "gc.callbacks.append(lambda phase, info: runs.append(1) if phase == 'start' else None)\n"
        f"sys.argv = ['briefbot', '--db', {str(tmp_path / 'b.sqlite3')!r}, '--locale', 'en', *{words!r}]\n"
        "import bot.__main__\n"
        "runs.clear()  # only the collections of the run itself\n"
        "status = bot.__main__.run()\n"
        "print(status, len(runs), gc.isenabled(), *gc.get_threshold(), file=sys.stderr)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    return out.stderr.strip().splitlines()[-1]


def test_an_ask_starts_and_answers_without_collections(tmp_path):
    assert collector_after(tmp_path, "ask", "/brief") == "0 0 False 700 10 10"  # Python's thresholds, untouched


def test_every_other_command_runs_with_the_collector_on(tmp_path):
    # `briefbot run`, `console` and the platform bots live long: they must collect their garbage, with short pauses:
    # a middle collection walks what survived two young ones (~0.4 ms), not ten (1–1.5 ms inside one request),
    # and full collections stay as rare as a Discord burst needs (one per ~2 million objects kept).
    young, middle, full = SERVING_THRESHOLDS
    assert young * middle <= 2_000 and young * middle * full >= 2_000_000
    assert collector_after(tmp_path, "briefings", "list").endswith(f" True {young} {middle} {full}")


def modules_after(tmp_path: Path, *words: str) -> tuple[str, set[str]]:
    """The answer and the modules loaded once `bot.__main__.run()` has answered these arguments, in a new process."""
    code = (
        "import sys\n"
        f"sys.argv = ['briefbot', '--db', {str(tmp_path / 'b.sqlite3')!r}, '--locale', 'en', *{words!r}]\n"
        "import bot.__main__\n"
        "status = bot.__main__.run()\n"
        "print(status, *sorted(sys.modules), file=sys.stderr)\n"
    )
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT, env=env)
    status, *modules = out.stderr.strip().splitlines()[-1].split()
    assert status == "0"
    return out.stdout, set(modules)


def test_an_ask_with_unchanged_settings_does_not_import_yaml(tmp_path):
    # PyYAML's import is ~99 M instructions (12 % of a cold ask): the settings come from their cache instead.
    first, loaded = modules_after(tmp_path, "ask", "/brief")
    assert "yaml" in loaded  # the first start parses config/briefbot.yaml (and seeds the store)
    again, loaded = modules_after(tmp_path, "ask", "/brief")
    assert "bot.core.commands.overview" in loaded  # the check sees the modules the answer used
    assert not {name for name in loaded if name.split(".")[0] == "yaml"}
    assert again == first and "Petro" in again


def test_a_read_loads_neither_the_calendar_nor_forms_nor_evidence_checks(tmp_path):
    # Each is imported where its one command uses it: /calendar, an admin's form, `validate` (~9 M instructions together).
    _, loaded = modules_after(tmp_path, "ask", "/brief")
    assert "bot.core.commands.overview" in loaded
    assert loaded.isdisjoint({"bot.core.calendar", "bot.core.admin.forms", "bot.core.evidence"})


def test_an_ask_loads_only_its_own_subcommand_module(tmp_path):
    # The command line's other subcommands (serving, loading, admin, digests…) are imported when they run (`bot.cli.action`).
    _, loaded = modules_after(tmp_path, "ask", "/brief")
    assert "bot.cli.answers" in loaded
    others = {f"bot.cli.{name}" for name in ("serving", "prompt", "admin", "briefings", "digest", "exporting", "loading", "maintenance", "packs")}
    assert loaded.isdisjoint(others), sorted(loaded & others)


def test_every_subcommand_names_its_coroutine():
    from bot.cli import ACTIONS, action

    assert all(inspect.iscoroutinefunction(action(name)) for name in ACTIONS)


def test_an_ask_from_a_sqlite_file_never_imports_asyncio(tmp_path):
    # Its coroutines are driven without an event loop (bot/core/offload.py): asyncio with ssl, socket, subprocess and
    # aiosqlite were ~78 M instructions of a cold `ask "/brief"` (docs/benchmarks-log.md, "Round 8"). Every command: test_one_shot.py.
    _, loaded = modules_after(tmp_path, "ask", "/brief")
    assert "bot.core.commands.overview" in loaded
    assert loaded.isdisjoint({"asyncio", "aiosqlite", "ssl", "socket", "subprocess", "selectors", "concurrent.futures"})


def test_help_is_as_wide_as_the_terminal_without_shutil(tmp_path):
    # argparse sizes a formatter for every option added with shutil (bz2, lzma: ~6 M instructions of a start);
    # bot/cli/arguments.py's `_Help` finds the same width: $COLUMNS, else the terminal's, else 80.
    _, loaded = modules_after(tmp_path, "ask", "/brief")
    assert "shutil" not in loaded
    widths = {}
    for columns in ("50", "200", ""):
        env = {**os.environ, "COLUMNS": columns}
        out = subprocess.run([sys.executable, "-m", "bot", "ask", "--help"], capture_output=True, text=True, check=True, cwd=ROOT, env=env)
        widths[columns] = max(len(line) for line in out.stdout.splitlines())
    assert widths["50"] <= 48 < widths[""] <= 78 < widths["200"]


def test_an_ask_whose_words_are_remembered_does_not_load_babel(tmp_path):
    # Babel, its formatting modules and the locale's CLDR data are ~90 M instructions: the last ask's words serve instead.
    first, loaded = modules_after(tmp_path, "ask", "/brief")
    assert "babel.dates" in loaded  # the first ask asks Babel, and writes its words down
    again, loaded = modules_after(tmp_path, "ask", "/brief")
    assert "bot.core.commands.overview" in loaded and "bot.core.fields" in loaded and "bot.core.commands.help" in loaded
    assert not {name for name in loaded if name.split(".")[0] == "babel"}
    assert again == first and "Petro" in again


def test_an_ask_does_not_load_openssls_hashes(tmp_path):
    # hashlib loads OpenSSL (~11 M instructions): the settings cache is keyed by the file's text, and a hash is
    # taken only by a pack's load and a digest's send, which import it then.
    modules_after(tmp_path, "ask", "/brief")
    _, loaded = modules_after(tmp_path, "ask", "/brief")
    assert "bot.store.rows" in loaded and "bot.core.digest.model" in loaded
    assert loaded.isdisjoint({"hashlib", "_hashlib"})
