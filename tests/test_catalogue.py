"""Every user-facing sentence comes from the catalogue, and every key the code asks for exists."""

from __future__ import annotations

import ast
import string
from pathlib import Path

import pytest

from bot.core.catalogue import Catalogue
from bot.core.catalogue_en import EN
from bot.core.commands import COMMANDS

BOT = Path(__file__).resolve().parent.parent / "bot"


def literal_keys() -> set[str]:
    """String literals passed as the first argument to cat(...) / UserError(...) anywhere in bot/."""
    keys = set()
    for path in BOT.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            position = {"cat": 0, "UserError": 0, "report": 1}.get(name or "")
            if position is None or len(node.args) <= position:
                continue
            key = node.args[position]
            if isinstance(key, ast.Constant) and isinstance(key.value, str):
                keys.add(key.value)
    return keys


def test_every_literal_key_exists():
    keys = literal_keys()
    assert {"pack.bad_date", "timeline.none", "countdown.in"} <= keys, "the scan is broken"
    assert sorted(k for k in keys if k not in EN) == []


def test_every_command_and_option_has_help_and_example():
    for spec in COMMANDS.specs:
        assert f"help.{spec.name}" in EN and f"example.{spec.name}" in EN
        for option in spec.options:
            assert f"option.{spec.name}.{option.name}" in EN


@pytest.mark.parametrize("key", sorted(EN))
def test_templates_are_well_formed(key):
    template = EN[key]
    for text in template if isinstance(template, tuple) else (template,):
        list(string.Formatter().parse(text))  # raises on a stray brace


def test_unknown_locale_falls_back_to_english():
    assert Catalogue("es-CO")("status.concluded") == "Concluded"
    assert Catalogue("xx").locale == "en"
    with pytest.raises(KeyError):
        Catalogue()("no.such.key")


def test_plural_forms_follow_n():
    cat = Catalogue()
    assert cat("unit.day", n=1) == "1 day" and cat("unit.day", n=3) == "3 days"
