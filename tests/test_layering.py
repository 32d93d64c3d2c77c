"""Imports point inward: adapters → core ← store. The AST of bot/ keeps it true."""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

import pytest

BOT = Path(__file__).resolve().parent.parent / "bot"
PLATFORM_SDKS = {"discord", "slack_bolt", "slack_sdk"}
STORE_ONLY = {"aiosqlite", "sqlite3", "yaml"}
# The libraries of the field the core may use (docs/architecture.md): CLDR, RFC 5545 calendars, and msgspec's Structs
# for its values (issue #14 §6's one validation library). Anything else is the standard library or the core itself.
CORE_LIBRARIES = {"babel", "icalendar", "msgspec"}


def imported_roots(path: Path, top: Path = BOT.parent) -> set[str]:
    """Absolute names of the modules a module imports: `from x.y import z` and relative imports resolved, and
    `importlib.import_module` / `__import__` of a constant name (an import no `import` line shows)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = path.relative_to(top).parts[:-1]  # bot/core/x.py and bot/core/__init__.py are both in bot.core

    def absolute(name: str, level: int) -> str:
        """`name` imported `level` packages up from this module (0: as written)."""
        if not level:
            return name
        base = package[: len(package) - level + 1]
        return ".".join((*base, name) if name else base)

    roots = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            roots.add(absolute(node.module, node.level))
        elif isinstance(node, ast.ImportFrom):  # `from . import rows`: each name may be a module of that package
            roots |= {absolute(alias.name, node.level) for alias in node.names}
        elif isinstance(node, ast.Call) and _dynamic_import(node.func) and node.args:
            named = node.args[0]
            if isinstance(named, ast.Constant) and isinstance(named.value, str):
                dots = len(named.value) - len(named.value.lstrip("."))
                roots.add(absolute(named.value[dots:], dots))
    return roots


def _dynamic_import(func: ast.expr) -> bool:
    """`importlib.import_module`, `import_module` or `__import__`: a call that imports the module it names."""
    name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
    return name in ("import_module", "__import__")


def modules(package: str) -> list[Path]:
    return sorted((BOT / package).rglob("*.py"))


def core_problems(path: Path, top: Path = BOT.parent) -> list[str]:
    """What a core module imports that the core may not: a platform SDK, the store's libraries, anything but the
    standard library and CORE_LIBRARIES, or a part of bot/ other than the core and bot/errors.py."""
    allowed = sys.stdlib_module_names | CORE_LIBRARIES
    return [
        f"{path.name} imports {name}" for name in sorted(imported_roots(path, top))
        if name.split(".")[0] in PLATFORM_SDKS | STORE_ONLY
        or (name.split(".")[0] not in allowed and not name.startswith(("bot.core", "bot.errors")))
    ]


@pytest.mark.parametrize("path", modules("core"), ids=lambda p: str(p.relative_to(BOT)))
def test_core_imports_only_the_standard_library_and_itself(path):
    assert not core_problems(path), "bot/core stays platform-neutral (docs/architecture.md): move this code to the store or an adapter"


def test_the_core_rule_sees_relative_and_dynamic_imports(tmp_path: Path) -> None:
    """An import the rule must see however it is written: relative (resolved from the module's package) or by name."""
    module = tmp_path / "bot" / "core" / "commands" / "sources.py"
    module.parent.mkdir(parents=True)
    cases = {
        "from ...store.rows import names": "bot.store.rows", "from ... import store": "bot.store", "from .. import admin": None,
        "from ..kinds import KINDS": None, "import importlib\nimportlib.import_module('sqlite3')": "sqlite3",
        "from importlib import import_module\nimport_module('discord.ext')": "discord.ext", "__import__('yaml')": "yaml",
        "import importlib\nimportlib.import_module('...store')": "bot.store", "import importlib\nimportlib.import_module('json')": None,
    }
    for line, forbidden in cases.items():
        module.write_text(line + "\n", encoding="utf-8")
        found = core_problems(module, tmp_path)
        assert found == ([f"sources.py imports {forbidden}"] if forbidden else []), line


@pytest.mark.parametrize("path", modules("store"), ids=lambda p: str(p.relative_to(BOT)))
def test_store_never_imports_adapters_or_sdks(path):
    for name in imported_roots(path):
        assert name.split(".")[0] not in PLATFORM_SDKS, f"{path.name} imports {name}"
        assert not name.startswith(("bot.adapters", "bot.cli", "bot.settings")), f"{path.name} imports {name}"


@pytest.mark.parametrize("path", modules("adapters"), ids=lambda p: str(p.relative_to(BOT)))
def test_adapters_use_at_most_one_sdk_and_never_the_store(path):
    names = imported_roots(path)
    assert not any(n.split(".")[0] in STORE_ONLY - {"yaml"} or n.startswith("bot.store") for n in names), path.name
    assert "yaml" not in {n.split(".")[0] for n in names}, path.name
    sdks = {n.split(".")[0] for n in names} & PLATFORM_SDKS
    assert sdks <= {"discord"} or sdks <= {"slack_bolt", "slack_sdk"}, f"{path.name} mixes {sdks}"


def test_only_the_command_line_wires_a_store_to_an_adapter():
    """bot/cli/ is the one place that opens a store and hands its core to an adapter; only `python -m bot` imports it."""
    wiring = []
    for path in sorted(BOT.rglob("*.py")):
        if path.is_relative_to(BOT / "cli"):
            continue
        names = imported_roots(path)
        if any(n.startswith("bot.store") for n in names) and any(n.startswith("bot.adapters") for n in names):
            wiring.append(str(path.relative_to(BOT)))
        if any(n == "bot.cli" or n.startswith("bot.cli.") for n in names) and path != BOT / "__main__.py":
            wiring.append(f"{path.relative_to(BOT)} imports bot.cli")
    assert not wiring, f"only bot/cli/ wires a store, a core and an adapter (docs/architecture.md): {wiring}"


# The chat platforms by name, which the core may carry as data but never branch on (docs/architecture.md: if the core
# branches on a platform, a request or a registry is missing a field). Their one place in the core is their registry,
# bot/core/platforms.py, and the catalogues' words for them ("platform.slack": "Slack"); anywhere else a literal name
# is a branch on it waiting to happen.
PLATFORM_NAMES = {"discord", "slack"}
NAMING_PLATFORMS = {BOT / "core" / name for name in ("platforms.py", "catalogue_en.py", "catalogue_es.py")}


def platform_literals(source: str) -> list[str]:
    """Each string literal of the source that is exactly a chat platform's name (in any case), with its line."""
    return [f"line {node.lineno}: {node.value!r}" for node in ast.walk(ast.parse(source))
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.lower() in PLATFORM_NAMES]


def test_the_core_names_the_chat_platforms_only_in_their_registry():
    found = {str(path.relative_to(BOT)): lines for path in modules("core") if path not in NAMING_PLATFORMS
             if (lines := platform_literals(path.read_text(encoding="utf-8")))}
    assert not found, f"bot/core names a chat platform outside bot/core/platforms.py (a Request field or the registry is missing): {found}"


@pytest.mark.parametrize(("source", "count"), [
    ("if request.platform == 'discord': pass", 1), ("PLATFORMS = ('discord', 'Slack')", 2), ("IDS = {'slack': 1}", 1),
    ("f(platform='discord')", 1), ("KEY = 'platform.discord'", 0), ('"""Discord\'s roles, Slack\'s workspace admins."""', 0),
])
def test_the_platform_rule_sees_a_comparison_a_list_and_a_key(source: str, count: int) -> None:
    """A name compared, listed, passed or used as a key is found; a catalogue key or a sentence naming one is not."""
    assert len(platform_literals(source)) == count, source


# SQL as the store writes it, in any case, words apart by any whitespace (a newline too); English that uses the same
# words ("select one from the list", "insert into the table") is not followed by what SQL puts next.
SQL = re.compile(
    r"""
      \bSELECT\s+(?:DISTINCT\s+)?(?:\*|COUNT\s*\(|[\w.]+(?:\s*,\s*[\w.]+)*\s+FROM\s+[\w.]+(?:\s+(?:WHERE|JOIN|ORDER|GROUP|LIMIT)\b|\s*[;)"']|\s*\Z))
    | \bINSERT\s+(?:OR\s+\w+\s+)?INTO\s+[\w.]+\s*(?:\(|VALUES\b|SELECT\b|DEFAULT\b)
    | \bUPDATE\s+[\w.]+\s+SET\s+\w+\s*=
    | \bDELETE\s+FROM\s+[\w.]+(?:\s+WHERE\b|\s*[;)"']|\s*\Z)
    | \b(?:CREATE|DROP|ALTER)\s+(?:UNIQUE\s+|VIRTUAL\s+|TEMP(?:ORARY)?\s+)?(?:TABLE|INDEX|TRIGGER|VIEW)\s+
        (?:IF\s+(?:NOT\s+)?EXISTS\s+)?[\w.]+\s*(?:\(|ON\b|USING\b|AS\b|BEFORE\b|AFTER\b|INSTEAD\b|ADD\b|RENAME\b|DROP\b|[;)"']|\Z)
    """,
    re.IGNORECASE | re.VERBOSE,
)


def test_sql_lives_only_in_the_store():
    found = [
        f"{path.relative_to(BOT.parent)}: {match.group(0)!r}"
        for path in sorted(BOT.rglob("*.py")) if "store" not in path.relative_to(BOT).parts
        for match in SQL.finditer(path.read_text(encoding="utf-8"))
    ]
    assert not found, f"SQL outside bot/store (docs/architecture.md: all SQL lives in the store; add a repository method there): {found}"


@pytest.mark.parametrize("sql", [
    "UPDATE items SET data = ? WHERE id = ?", "select count(*) from items", '"""DROP TABLE items"""', "SELECT\n    id, kind\nFROM items WHERE",
    "create index if not exists items_day on items(first_day)", "ALTER TABLE items ADD COLUMN x", "CREATE TRIGGER t AFTER INSERT ON items",
    "insert into items (id) values (?)", "INSERT OR REPLACE INTO settings VALUES (?)", "delete from items where id = ?",
    "DELETE FROM items\n", "CREATE VIRTUAL TABLE search USING fts5(title)", "SELECT * FROM items", '"SELECT id FROM briefings"',
    "drop   index\titems_day;", "CREATE UNIQUE INDEX one ON t (a)",
])
def test_the_sql_rule_sees_sql_in_any_case_and_spacing(sql: str) -> None:
    assert SQL.search(sql), sql


@pytest.mark.parametrize("english", [
    "Select one from the list.", "Pick an update: set the date", "update the set of topics", "insert into the rowid table, then index it",
    "Delete from the briefing the person you no longer need.", "create a table of contents", "Drop table talk for now",
    "Select the briefing from the menu", "select a kind: person, quote", "Alter the index to taste",
])
def test_the_sql_rule_leaves_english_alone(english: str) -> None:
    assert not SQL.search(english), english


def test_the_console_path_does_not_import_platform_sdks():
    import subprocess

    code = "import sys, bot.cli; print(sorted(m for m in {'discord','slack_bolt','slack_sdk'} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=BOT.parent)
    assert out.stdout.strip() == "[]"
