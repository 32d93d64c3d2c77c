"""`help [command]`: what each command does, its options and an example drawn from the briefing in use."""

from __future__ import annotations

from functools import lru_cache

import msgspec
from msgspec.structs import replace

from bot.core.catalogue import Catalogue
from bot.core.cldr import babel_locale
from bot.core.commands.hints import PARAMETERS, example_values, hint_values, value_source
from bot.core.context import Context
from bot.core.index import BriefingIndex
from bot.core.registry import LOCAL_NAMES, Args, CommandSpec, in_readers_words, local_command, local_option, readers_text
from bot.core.replies import Field, Item, Reply
from bot.core.text import fold
from bot.errors import UserError


# The list shows every command's: written once per command and language, as the code never changes them.
@lru_cache(maxsize=256)
def usage(spec: CommandSpec, language: str = "en") -> str:
    """"timeline [from:…] [to:…] …" built from the spec in the reader's words, so help never drifts from the code."""
    parts = [local_command(spec.name, language)]
    for option in spec.options:
        word = local_option(option.name, language)
        shown = f"<{word}>" if option.name == spec.positional else f"{word}:…"
        parts.append(shown if option.required else f"[{shown}]")
    return " ".join(parts)


class _Fixed(msgspec.Struct, frozen=True, gc=False):
    """What help shows of a command that the code and the catalogue alone say; a briefing's values fill in the rest."""

    title: str  # the command's page's
    text: str  # its description, without what only an example shows (`more`)
    more: str  # the key of that example's sentence, "" when it has none
    entry: Item  # its entry in the list, its text without `more`
    fields: tuple[Field, ...]  # its usage, then each option with its plain description
    sourced: tuple[tuple[int, str, str, str], ...]  # (place in `fields`, word, key, values' source) of each option that can show values


# Every page and list shows the same words, whatever the briefing and its version: each command's written once per
# language, so a page of a new version only fills in its values (the options' hints, the example).
@lru_cache(maxsize=256)
def _fixed(spec: CommandSpec, cat: Catalogue, naming: tuple[str, str], in_fields: bool) -> _Fixed:
    """The command's title, description, list entry, usage and option fields in the catalogue's language, naming
    commands as they are typed where help is read (`naming`: Request.command_naming; `in_fields`: Request.options_in_fields)."""
    language = cat.locale
    name = local_command(spec.name, language)
    shown = usage(spec, language)
    text = cat(f"help.{spec.name}", **in_readers_words(f"help.{spec.name}", {}, language, naming, in_fields))
    more = _variant(cat, f"help.more.{spec.name}", spec, in_fields)
    more = more if cat.has(more) else ""
    fields = [Field(cat("field.usage"), shown)]
    sourced = []
    for option in spec.options:
        word, key, source = local_option(option.name, language), f"option.{spec.name}.{option.name}", value_source(option)
        if source is not None:
            sourced.append((len(fields), word, key, source))
        fields.append(Field(word, cat(key, **in_readers_words(key, option.words, language, naming, in_fields))))
    entry = Item(title=name, text=text, meta=shown if spec.options else "")
    return _Fixed(cat("help.one_title", command=name), text, more, entry, tuple(fields), tuple(sourced))


# A briefing's version after version shows the same few values (its first names, months, top topics): each hint is
# written once per language, option and values (Babel's list alone is more work than the rest of a hint).
@lru_cache(maxsize=1024)
def _hint(cat: Catalogue, key: str, values: tuple[str, ...]) -> str:
    """The option's description followed by "such as X or Y" in the catalogue's language."""
    from babel.lists import format_list  # here: most cold `ask`s show no hint, and Babel's import weighs on them

    return cat("help.option_hint", text=cat(key), values=format_list(list(values), style="or", locale=babel_locale(cat.cldr)))


async def help_command(ctx: Context, args: Args) -> Reply:
    """The command list, or one command's options and an example."""
    cat = ctx.cat
    try:
        # In the reader's language, so an example's words find what that reader's answers show: the one the core found
        # for this place, else looked up (not `localized`, whose note that content is translated help does not show).
        index: BriefingIndex | None = ctx.shown or await ctx.indexes.get(ctx.repository, ctx.request.briefing_id, cat)
    except UserError:  # no briefing to read yet: help still answers, with placeholders
        index = None
    wanted = args.get("command")
    own, admin = ctx.request.own_commands, ctx.administers
    if wanted and own and (name := _own(wanted, own)):  # a command of this surface's own (Slack's edit), which no spec describes
        return Reply(title=cat("help.one_title", command=local_command(name, cat.locale)), text=_own_text(cat, name, ctx.request.command_naming))
    spec = ctx.registry.resolve(wanted, admin, own if admin else ()) if wanted else None
    if index is None:
        return _help(ctx, spec, index)
    # The same for every reader of this version in this language (admins see more): built once. The index
    # is the version in the reader's language (see IndexCache), so the key need not name it.
    key = ("help", admin, spec.name if spec else "", ctx.request.command_naming, ctx.request.options_in_fields, own)
    return index.memo(key, lambda: _help(ctx, spec, index))


def _own(word: str, own: tuple[str, ...]) -> str | None:
    """The surface's own command a word names in any language (`editar` is edit), else None."""
    typed = fold(word.strip().lstrip("/"))
    return next((name for name in own for language in ("en", *LOCAL_NAMES) if typed == fold(local_command(name, language))), None)


@lru_cache(maxsize=64)
def _own_text(cat: Catalogue, name: str, naming: tuple[str, str]) -> str:
    """A surface's own command's description (`help.<name>`), naming commands as they are typed where help is read."""
    return readers_text(cat, f"help.{name}", naming)


def _examples(cat: Catalogue, index: BriefingIndex) -> tuple[dict[str, str], dict[str, tuple[str, ...]]]:
    """This briefing's example fills and hint values, worked out once per version and language: help's pages and errors share them."""
    return index.memo(("example values", cat.locale), lambda: (_fills(cat, example_values(index)), hint_values(index)))


def example_line(cat: Catalogue, spec: CommandSpec, index: BriefingIndex) -> str | None:
    """The command's help example with this briefing's values (`person Gustavo Petro`); None where it has none to fill it."""
    line = readers_text(cat, f"example.{spec.name}", **_examples(cat, index)[0])  # `{cmd:remove}` and the like filled in too
    placeholders = (cat(f"placeholder.{name}") for name in PARAMETERS)
    return None if any(placeholder in line for placeholder in placeholders) else line


def _fills(cat: Catalogue, found: dict[str, str]) -> dict[str, str]:
    """Every parameter an example may name: the briefing's value, else the catalogue's placeholder."""
    return {name: found.get(name) or cat(f"placeholder.{name}") for name in PARAMETERS}


def _readers_fills(
    cat: Catalogue, index: BriefingIndex | None, naming: tuple[str, str], in_fields: bool
) -> tuple[dict[str, object], dict[str, tuple[str, ...]]]:
    """The example fills with the words `readers_text` gives the commands, options and values help's examples and
    `help.more` sentences name, as typed where help is read (`naming`, `in_fields`), and the hint values: once per version, language
    and naming, not through `readers_text` on each page (two calls of some twenty keywords, more than the rest of a page)."""
    # Help's examples and sentences are in neither set of keys whose parameters `in_readers_words` treats apart
    # (`_TYPED_OPTION`, `_KIND_NAMED`): the same words suit each of them.
    if index is None:
        return in_readers_words("", _fills(cat, {}), cat.locale, naming, in_fields), {}
    fills, values = _examples(cat, index)
    key = ("example words", cat.locale, naming, in_fields)
    return index.memo(key, lambda: in_readers_words("", fills, cat.locale, naming, in_fields)), values


def _help(ctx: Context, spec: CommandSpec | None, index: BriefingIndex | None) -> Reply:
    """The list (`spec` None) or one command's help, with examples and hints from `index` when there is a briefing."""
    cat, naming, in_fields = ctx.cat, ctx.request.command_naming, ctx.request.options_in_fields
    words, values = _readers_fills(cat, index, naming, in_fields)
    if spec is None:
        shown = ctx.registry.specs if ctx.administers else ctx.registry.public()
        items = tuple(_entry(each, cat, words, naming, in_fields) for each in shown)
        if ctx.administers:  # the surface's own admin commands (Slack's edit and import), after the core's
            items += tuple(Item(title=local_command(name, cat.locale), text=_own_text(cat, name, naming)) for name in ctx.request.own_commands)
        return Reply(title=cat("help.title"), text=cat("help.intro"), items=items, footer=readers_text(cat, "help.footer", naming))
    fixed = _fixed(spec, cat, naming, in_fields)
    fields = list(fixed.fields)
    for place, word, key, source in fixed.sourced:
        if source in values:
            fields[place] = Field(word, _hint(cat, key, values[source]))
    example = _variant(cat, f"example.{spec.name}", spec, in_fields)
    fields.append(Field(cat("field.example"), cat(example, **words)))
    return Reply(title=fixed.title, text=_text(fixed, cat, words), fields=tuple(fields))


def _variant(cat: Catalogue, key: str, spec: CommandSpec, in_fields: bool) -> str:
    """`key_fields` where each option has a field of its own (Discord): a command's extra `summary:…` options cannot be
    typed there, only `field:` and `value:` or the form; else `key`."""
    fields = f"{key}_fields"
    return fields if spec.extra_options and in_fields and cat.has(fields) else key


def _entry(spec: CommandSpec, cat: Catalogue, words: dict[str, object], naming: tuple[str, str], in_fields: bool) -> Item:
    """The command's entry in the list: the same object for every version, unless an example of this briefing shows in it."""
    fixed = _fixed(spec, cat, naming, in_fields)
    return replace(fixed.entry, text=_text(fixed, cat, words)) if fixed.more else fixed.entry


def _text(fixed: _Fixed, cat: Catalogue, words: dict[str, object]) -> str:
    """The command's one-line description, then (`help.more.<name>`) what only an example of this briefing shows, naming
    commands as they are typed where help is read (`_readers_fills`)."""
    return f"{fixed.text} {cat(fixed.more, **words)}" if fixed.more else fixed.text
