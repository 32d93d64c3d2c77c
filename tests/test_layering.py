"""Imports point inward: adapters → core ← store. The AST of bot/ keeps it true."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

BOT = Path(__file__).resolve().parent.parent / "bot"
PLATFORM_SDKS = {"discord", "slack_bolt", "slack_sdk"}
STORE_ONLY = {"aiosqlite", "sqlite3", "yaml"}
# The libraries of the field the core may use (docs/architecture.md): CLDR, RFC 5545 calendars, and msgspec's Structs
# for its values (issue #14 §6's one validation library). Anything else is the standard library or the core itself.
CORE_LIBRARIES = {"babel", "icalendar", "msgspec"}


def imported_roots(path: Path) -> set[str]:
    """Top-level package names a module imports, including `from x.y import z`."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    roots = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module)
    return roots


def modules(package: str) -> list[Path]:
    return sorted((BOT / package).rglob("*.py"))


@pytest.mark.parametrize("path", modules("core"), ids=lambda p: str(p.relative_to(BOT)))
def test_core_imports_only_the_standard_library_and_itself(path):
    for name in imported_roots(path):
        root = name.split(".")[0]
        assert root not in PLATFORM_SDKS | STORE_ONLY, f"{path.name} imports {name}"
        assert root in sys.stdlib_module_names | CORE_LIBRARIES | {"bot"}, f"{path.name} imports {name}"
        if root == "bot":
            assert name.startswith(("bot.core", "bot.errors")), f"{path.name} imports {name}"


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


def test_sql_lives_only_in_the_store():
    for path in BOT.rglob("*.py"):
        if "store" in path.relative_to(BOT).parts:
            continue
        text = path.read_text(encoding="utf-8")
        for keyword in ("SELECT ", "INSERT INTO", "CREATE TABLE", "DELETE FROM"):
            assert keyword not in text, f"{path} contains SQL ({keyword.strip()})"


def test_the_console_path_does_not_import_platform_sdks():
    import subprocess

    code = "import sys, bot.cli; print(sorted(m for m in {'discord','slack_bolt','slack_sdk'} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=BOT.parent)
    assert out.stdout.strip() == "[]"
