"""Command specifications: the one description of every command, its options and how they bind.

Adapters read the same specs to build native commands (Discord slash commands, Slack `/brief`), so
adding an option here adds it everywhere.
"""

from __future__ import annotations

import difflib
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from bot.core.dates import FIRST_YEAR, LAST_YEAR, DateOutOfRange, FuzzyDate
from bot.core.text import fold
from bot.errors import UserError

if TYPE_CHECKING:
    from bot.core.context import Context
    from bot.core.replies import Reply

OptionKind = Literal["text", "date", "page", "number", "choice"]
Completion = Literal["people", "speakers", "topics", "faq", "commands", "sides", "roles", "items", "fields"]
MAX_TEXT = 200
MAX_PAGE = 10_000
MAX_EXTRA = 4000  # a field value in an admin edit (a summary, a detail) may be long


@dataclass(frozen=True, slots=True)
class Option:
    """One named argument; its description lives in the catalogue as `option.<command>.<name>`."""

    name: str
    kind: OptionKind = "text"
    required: bool = False
    choices: tuple[str, ...] = ()
    complete: Completion | None = None
    limit: int = MAX_TEXT


@dataclass(frozen=True, slots=True)
class Args:
    """Validated arguments: dates parsed, pages numbered, choices canonical."""

    values: Mapping[str, str] = field(default_factory=dict)
    dates: Mapping[str, FuzzyDate] = field(default_factory=dict)
    page: int = 1

    def get(self, name: str) -> str:
        """The option's text, or "" when it was not given."""
        return self.values.get(name, "")


Handler = Callable[["Context", Args], Awaitable["Reply"]]


@dataclass(frozen=True, slots=True)
class CommandSpec:
    """A command: its handler, options, and which option takes the bare words after the name."""

    name: str
    handler: Handler
    options: tuple[Option, ...] = ()
    positional: str | None = None
    aliases: tuple[str, ...] = ()
    admin: bool = False
    # Also accept `field:value` options not declared here (admin edits; the handler checks them).
    extra_options: bool = False

    def option(self, name: str) -> Option | None:
        """The option called `name`, if the command has one."""
        return next((opt for opt in self.options if opt.name == name), None)

    def bind(self, options: Mapping[str, str], text: str) -> Args:
        """Check every given option against the spec; raise a user error naming the first bad one."""
        values: dict[str, str] = {}
        for key, raw in options.items():
            spec = self.option(key)
            if spec is None and not self.extra_options:
                raise UserError(
                    "args.unknown_option",
                    command=self.name,
                    option=key,
                    known=", ".join(f"{o.name}:" for o in self.options) or "-",
                )
            if spec is None and len(raw) > MAX_EXTRA:
                raise UserError("args.too_long_option", option=key, limit=MAX_EXTRA)
            values[key] = raw.strip()
        if text.strip():
            if self.positional is None:
                raise UserError("args.unexpected_text", command=self.name)
            if self.positional in values:
                raise UserError("args.duplicate_option", option=self.positional)
            values[self.positional] = text.strip()
        dates: dict[str, FuzzyDate] = {}
        page = 1
        for spec in self.options:
            value = values.get(spec.name, "")
            if not value:
                values.pop(spec.name, None)
                if spec.required:
                    raise UserError("args.missing", command=self.name, option=spec.name)
                continue
            if len(value) > spec.limit:
                raise UserError("args.too_long_option", option=spec.name, limit=spec.limit)
            if spec.kind == "date":
                dates[spec.name] = _parse_date(spec.name, value)
            elif spec.kind == "page":
                page = _parse_page(spec.name, value)
            elif spec.kind == "number":
                _parse_number(spec.name, value)
            elif spec.kind == "choice":
                values[spec.name] = _pick_choice(spec, value)
        return Args(values=values, dates=dates, page=page)


class Registry:
    """All commands by name and alias, with "did you mean" for the rest."""

    def __init__(self, specs: tuple[CommandSpec, ...]) -> None:
        self.specs = specs
        self._by_name: dict[str, CommandSpec] = {}
        for spec in specs:
            for name in (spec.name, *spec.aliases):
                if name in self._by_name:
                    raise ValueError(f"command name {name!r} registered twice")
                self._by_name[name] = spec

    def resolve(self, name: str) -> CommandSpec:
        """The command called `name`; a user error with close suggestions otherwise."""
        key = name.strip().lstrip("/").lower()
        spec = self._by_name.get(key)
        if spec is not None:
            return spec
        close = difflib.get_close_matches(key, list(self._by_name), n=3, cutoff=0.6)
        if close:
            raise UserError("command.unknown_suggest", command=key[:40], suggestions=", ".join(close))
        raise UserError("command.unknown", command=key[:40])

    def public(self) -> tuple[CommandSpec, ...]:
        """Commands anyone may run, in registry order."""
        return tuple(spec for spec in self.specs if not spec.admin)


def _parse_date(name: str, value: str) -> FuzzyDate:
    try:
        return FuzzyDate.parse(value)
    except DateOutOfRange:
        raise UserError("args.date_out_of_range", option=name, value=value[:40], first=FIRST_YEAR, last=LAST_YEAR) from None
    except ValueError:
        raise UserError("args.bad_date", option=name, value=value[:40]) from None


def _parse_page(name: str, value: str) -> int:
    if not (value.isascii() and value.isdigit()) or not 1 <= int(value) <= MAX_PAGE:
        raise UserError("args.bad_page", option=name, value=value[:40])
    return int(value)


def _parse_number(name: str, value: str) -> int:
    if not (value.isascii() and value.isdigit()) or len(value) > 12:
        raise UserError("args.bad_number", option=name, value=value[:40])
    return int(value)


def _pick_choice(spec: Option, value: str) -> str:
    wanted = fold(value)
    for choice in spec.choices:
        if fold(choice) == wanted:
            return choice
    raise UserError("args.bad_choice", option=spec.name, value=value[:40], choices=", ".join(spec.choices))
