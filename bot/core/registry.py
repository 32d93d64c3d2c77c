"""Command specifications: the one description of every command, its options and how they bind.

Adapters read the same specs to build native commands (Discord slash commands, Slack `/brief`), so
adding an option here adds it everywhere.
"""

from __future__ import annotations

import contextlib
import difflib
import re
from collections.abc import Awaitable, Callable, Collection, Mapping
from datetime import date
from functools import cached_property, lru_cache, partial
from typing import TYPE_CHECKING, Literal

import msgspec
from msgspec.structs import replace

from bot.core.args import ParsedLine
from bot.core.catalogue import Catalogue, catalogue_for
from bot.core.dates import FIRST_YEAR, LAST_YEAR, DateOutOfRange, FuzzyDate
from bot.core.i18n import CLDR_LOCALES
from bot.core.names_es import COMMANDS_ES, FIELDS_ES, OPTIONS_ES
from bot.core.replies import Page, quote_word
from bot.core.suggest import closest
from bot.core.text import fold
from bot.errors import UserError

if TYPE_CHECKING:
    from bot.core.context import Context
    from bot.core.replies import Reply

OptionKind = Literal["text", "date", "page", "number", "choice"]
Completion = Literal["people", "speakers", "topics", "faq", "commands", "sides", "roles", "items", "fields", "briefings", "sessions"]
MAX_TEXT = 200
# The options whose value names something by its words (a person, a speaker, a role, a side, a topic, a question, a
# session), matched as `fold` folds them: a value it folds to nothing ("-", a lone accent, U+202E) names nothing, and is
# read as not given, as `name:""` is, rather than as the empty prefix that every name starts with.
_NAMING: frozenset[Completion] = frozenset({"people", "speakers", "roles", "sides", "topics", "faq", "sessions"})
# Page numbers are bounded by the data, not here: a page past the last gets "There are only N pages".
# This is only the largest integer a Discord option may declare (2**53 - 1), so every page stays reachable.
MAX_PAGE = 2**53 - 1
MAX_EXTRA = 4000  # a field value in an admin edit (a summary, a detail) may be long
# Each language's words for commands and options (English names are the identities, so not listed).
LOCAL_NAMES: dict[str, tuple[Mapping[str, str], Mapping[str, str]]] = {"es": (COMMANDS_ES, OPTIONS_ES)}
# Any language's option word, folded, → the names of the options it is the word of, so `pagina:` works as well as
# `página:`; one word may name an option of each of two commands (`zona:`, subscribe's `tz:` and a new briefing's `zone:`).
_WORDS = [(fold(word), name) for _, options in LOCAL_NAMES.values() for name, word in options.items()]
_OPTION_WORDS = {word: tuple(name for other, name in _WORDS if other == word) for word, _ in _WORDS}


# Each language's words for an item's fields, and any language's word, folded, → the field's pack key.
LOCAL_FIELDS: dict[str, Mapping[str, str]] = {"es": FIELDS_ES}
_FIELD_WORDS = {fold(word): name for fields in LOCAL_FIELDS.values() for name, word in fields.items()}


def local_field(name: str, language: str) -> str:
    """An item's field as a reader of a language types and reads it ("respuesta"), or its pack key where there is none."""
    return LOCAL_FIELDS.get(language, {}).get(name, name)


def field_named(word: str) -> str:
    """The field's pack key for its word in any language (`respuesta`, `Respuesta` → `answer`); any other word as typed,
    so an English key, or a word no field has, is named back as it was written."""
    return _FIELD_WORDS.get(fold(word), word)


def local_path(path: str, language: str) -> str:
    """A path inside an item with its fields in a language's words: the field it starts with, and the one a translation
    names (`translations.es.aims[1]` → `traducciones.es.objetivos[1]`); what lies within a field stays the pack's keys
    (a stake's `text`, a passage's `source`)."""
    parts = path.split(".")
    for n in (0, 2) if parts[0] == "translations" else (0,):
        if n < len(parts):
            name, bracket, rest = parts[n].partition("[")
            parts[n] = local_field(name, language) + bracket + rest
    return ".".join(parts)


def local_command(name: str, language: str) -> str:
    """The command's word in a language ("cronología"), or its English name where there is none."""
    return LOCAL_NAMES.get(language, ({}, {}))[0].get(name, name)


def choice_key(value: str, cat: Catalogue) -> str | None:
    """The catalogue key of an option's fixed value's words: a kind's name (`kind.person`), else `value.<value>`;
    None for a name, the same in every language (`slack`). Typed (`local_choice`) and shown by Discord alike."""
    return next((key for key in (f"kind.{value}", f"value.{value}") if cat.has(key)), None)


def local_choice(value: str, language: str) -> str:
    """An option's fixed value as a reader of a language types it ("canal", "nuevo", "cronología")."""
    cat = catalogue_for(language)
    key = choice_key(value, cat)
    return cat(key).lower() if key else value


def local_option(name: str, language: str) -> str:
    """The option's word in a language ("desde"), or its English name where there is none."""
    return LOCAL_NAMES.get(language, ({}, {}))[1].get(name, name)


def page_line(page: Page, number: int, language: str) -> str:
    """The line a reader is told to type for page `number`, in their words ("cronología tema:visa página:2")."""
    return page.lines_for(
        number, pinned=False, command_word=lambda name: local_command(name, language), option_word=lambda name: local_option(name, language),
        choice_word=lambda value: local_choice(value, language),
    )[0]


class _Named:
    """A template's `{cmd:use}`, `{opt:kind}` or `{choice:session}`: the command, option or fixed value it names, written
    as the reader types it ("/usar", "tipo:sesión"), so a catalogue never spells another language's words, nor its own twice."""

    __slots__ = ("language", "word")

    def __init__(self, word: Callable[[str, str], str], language: str) -> None:
        self.word, self.language = word, language

    def __format__(self, name: str) -> str:
        return self.word(name, self.language)


def slashed(name: str, language: str, naming: tuple[str, str] = ("", "")) -> str:
    """A command as a reader types it where they read (`naming`: Request.command_naming): "/usar" where each command is
    a slash command of its own, "/brief usar" where one slash command takes them all (Slack)."""
    command_words, slash_command = naming
    word = local_command(name, command_words or language)
    return f"/{slash_command} {word}" if slash_command else f"/{word}"


@lru_cache(maxsize=64)
def _names(language: str, naming: tuple[str, str] = ("", ""), in_fields: bool = False) -> dict[str, _Named]:
    """The objects that write a template's named commands, options and values (`{cmd:use}`, `{opt:source}`,
    `{choice:session}`) as typed where it is read: in the language of the reader's menu where `naming`
    (Request.command_naming) names one, else in `language`; `{slash:use}`, a command with its slash (`slashed`); a
    value as picked from a list where `in_fields` (Request.options_in_fields), else as a line reads it back (`_choice_as`).

    A Discord client lists the commands, their options and their choices in its own language (the Translator localises
    each per client locale), whatever language a channel fixed for answers: an English reader there is told `/set
    source:ID`, as their menu shows it, inside a Spanish sentence."""
    typed = naming[0] or language
    return {"cmd": _Named(local_command, typed), "opt": _Named(local_option, typed), "choice": _Named(_choice_as(in_fields), typed),
            "slash": _Named(partial(_slashed_in, naming), language)}


def _slashed_in(naming: tuple[str, str], name: str, language: str) -> str:
    return slashed(name, language, naming)


class _Command:
    """A message's `command` parameter: the command's word in the reader's language (`{command}`: "persona"), or the
    command as they type it where they read (`{command:slash}`: "/persona", "/brief persona" on Slack), so a hint to type
    it works as written."""

    __slots__ = ("language", "name", "naming")

    def __init__(self, name: str, language: str, naming: tuple[str, str]) -> None:
        self.name, self.language, self.naming = name, language, naming

    def __format__(self, spec: str) -> str:
        return slashed(self.name, self.language, self.naming) if spec == "slash" else format(local_command(self.name, self.language), spec)


def _typed_choice(value: str, language: str) -> str:
    """A fixed value as a reader types it in a line: `sesión`, `"pregunta frecuente"` quoted."""
    return quote_word(local_choice(value, language))


def _choice_as(in_fields: bool) -> Callable[[str, str], str]:
    """How a fixed value is written for a reader: as picked from an option's list where each option is a field of its own
    (Discord's choices: `pregunta frecuente`, whose quotes would be console syntax there), else as a line types it."""
    return local_choice if in_fields else _typed_choice


def readers_text(cat: Catalogue, key: str, naming: tuple[str, str] = ("", ""), in_fields: bool = False, /, **params: object) -> str:
    """A message in the catalogue's language with the commands, options and values it names in the reader's words, and
    each `{slash:…}` as typed where it is read (`naming`: Request.command_naming; a Discord client's menu may be in another
    language than a channel's answers; `in_fields`: Request.options_in_fields, values as picked from a list)."""
    return cat(key, **in_readers_words(key, params, cat.locale, naming, in_fields))


# Messages whose `kind` is an item kind's id (`faq`), named as the reader types it after `tipo:` ("pregunta frecuente").
_KIND_NAMED = frozenset({"admin.no_fields", "admin.no_fields_fields", "admin.unknown_field", "admin.not_translatable", "admin.exists", "admin.no_item", "admin.no_item_suggest",
                         "slack.pick", "slack.pick_more", "slack.pick_none"})

# Messages whose `field` and `fields` (a tuple) are an item's fields, named as the reader types them ("respuesta"). An
# unknown field is named back as the reader typed it, or, typed as another language's word for a field, in theirs.
_FIELD_NAMED = frozenset({"admin.no_fields", "admin.no_fields_fields", "admin.unknown_field", "admin.not_translatable", "admin.lang_no_fields",
                          "admin.lang_no_fields_fields", "admin.bad_bool"})

# Refusals of a fixed value, which list a language by its code and name (`es (Spanish)`); an option's description names
# it as Discord's list shows it ("Spanish"), within Discord's 100 characters.
_CODES_NAMED = frozenset({"args.bad_choice", "args.blank_choice"})

# Errors whose `option` is what the reader typed and no option of the command: shown as typed, never as another word.
_TYPED_OPTION = frozenset({"args.unknown_option", "args.unknown_option_suggest", "args.no_options"})


def in_readers_words(
    key: str, params: Mapping[str, object], language: str, naming: tuple[str, str] = ("", ""), in_fields: bool = False,
) -> dict[str, object]:
    """A message's parameters (an error's, an option's description) with the commands, options and fixed values it
    names in the reader's words ("why" → "origen", "person" → "persona"), and what its template names (`{cmd:use}`;
    `{slash:use}`, and the `command` parameter as `{command:slash}`, as typed where `naming`, Request.command_naming, says;
    a fixed value quoted as a line reads it back, or, `in_fields` (Request.options_in_fields), as its list shows it).

    A parameter that is no name (a whole command line, a word the reader typed) is left as it is.
    """
    found: dict[str, object] = {**_names(language, naming, in_fields), **params}
    choice = _choice_as(in_fields)
    if isinstance(found.get("command"), str):
        found["command"] = _Command(str(found["command"]), language, naming)
    if isinstance(found.get("option"), str) and key not in _TYPED_OPTION:
        found["option"] = local_option(str(found["option"]), language)
    if isinstance(found.get("kind"), str) and key in _KIND_NAMED:
        found["kind"] = choice(str(found["kind"]), language)
    if key in _FIELD_NAMED:
        typed = naming[0] or language
        if isinstance(found.get("field"), str):
            found["field"] = local_field(str(found["field"]), typed)
        fields = found.get("fields")
        if isinstance(fields, tuple):
            found["fields"] = ", ".join(local_field(str(name), typed) for name in fields)
    choices = found.get("choices")
    if isinstance(choices, tuple):  # an option's fixed values, as the reader may type them ("pregunta frecuente" quoted)
        coded = key in _CODES_NAMED
        found["choices"] = ", ".join(_coded(value, language) if coded and value in CLDR_LOCALES else choice(value, language) for value in choices)
    commands = found.get("commands")
    if isinstance(commands, tuple):  # commands offered ("did you mean"), by their names
        found["commands"] = ", ".join(local_command(name, language) for name in commands)
    if key in _TYPED_OPTION and "known" in found:  # the command's options (`CommandSpec._unknown_option`) and the one meant
        found["known"] = ", ".join(f"{local_option(name, language)}:" for name in str(found["known"]).split())
        if "suggestion" in found:
            found["suggestion"] = local_option(str(found["suggestion"]), language)
    return found


def _coded(code: str, language: str) -> str:
    """A language as a refusal lists it: its code, as the docs and every example type `lang:es`, and its name, typed too."""
    return f"{code} ({catalogue_for(language)(f'value.{code}')})"


class Option(msgspec.Struct, frozen=True):
    """One named argument; its description lives in the catalogue as `option.<command>.<name>`."""

    name: str
    kind: OptionKind = "text"
    required: bool = False
    choices: tuple[str, ...] = ()
    complete: Completion | None = None
    limit: int = MAX_TEXT
    # The choices its description names, when not all of them are meant (default: every choice).
    named: tuple[str, ...] = ()

    @property
    def words(self) -> dict[str, tuple[str, ...]]:
        """What the option's description names (`{choices}`), from the option itself: a hand-written list falls behind.
        Its values as ids: `in_readers_words` writes them as the reader types them (`persona`, `"pregunta frecuente"`)."""
        shown = self.named or self.choices
        return {"choices": shown} if shown else {}


class Args(msgspec.Struct, frozen=True):
    """Validated arguments: dates parsed, pages numbered, choices canonical."""

    values: Mapping[str, str] = msgspec.field(default_factory=dict)
    dates: Mapping[str, FuzzyDate] = msgspec.field(default_factory=dict)
    page: int = 1

    def get(self, name: str) -> str:
        """The option's text, or "" when it was not given."""
        return self.values.get(name, "")


Handler = Callable[["Context", Args], Awaitable["Reply"]]


class CommandSpec(msgspec.Struct, frozen=True, dict=True):
    """A command: its handler, options, and which option takes the bare words after the name."""

    name: str
    handler: Handler
    options: tuple[Option, ...] = ()
    positional: str | None = None
    aliases: tuple[str, ...] = ()
    admin: bool = False
    # Also accept `field:value` options not declared here (admin edits; the handler checks them).
    extra_options: bool = False
    # The option naming a person, when bare words most likely meant one: offered with `person <words>` when the command
    # takes no free text (`delegation petro`).
    hint: str | None = None
    # The answer follows from the briefing's version, the reader's language, the options and how commands are typed
    # there alone (no clock, no reader; of the store only the briefing and its revisions, which every edit moves on
    # together): the core remembers it per version (see service.py).
    remembered: bool = False
    # The briefing's sections its answer reads (Briefing attributes; "latest": the events a brief may show as its
    # latest; "found": the items a search of its `text` finds; "named": the items its `item` option names by key;
    # "topics": an event of each tag, when a `topic` option is given), so a process answering only it reads only
    # those (`Part`), and what its answer shows once it knows (`Context.more`); None: every section.
    reads: tuple[str, ...] | None = None
    # What changes something when it runs (the briefing, a channel's choice, a subscription): True, every run; option
    # names, a run given any of them (`use briefing:` chooses, a bare `use` only says what applies). A surface never
    # runs such a line again by itself (Slack's Post to channel): it would make the change again, over any made since.
    writes: bool | tuple[str, ...] = False
    # Answered with a file that a chat attaches (`BriefingCore.file`: /calendar, /export), not a reply; its handler
    # answers only where no file can be attached (the console), saying how to get it there.
    file: bool = False
    # Its effect is messages the bot posts in the channel later (subscribe's digests): it is refused where the bot is known
    # unable to post (`Request.cannot_post`), and a surface that must ask its platform whether it can asks for it alone.
    posts: bool = False

    # Not a field, so equality and hashing stay those of the spec (`dict=True` gives it a place to be kept): every new
    # line's binding looks its options up by name, a dictionary's lookup rather than a walk of the options.
    @cached_property
    def options_by_name(self) -> dict[str, Option]:
        """Each option by its name."""
        return {opt.name: opt for opt in reversed(self.options)}  # a name given twice: its first, as a walk found

    def option(self, name: str) -> Option | None:
        """The option called `name`, if the command has one."""
        return self.options_by_name.get(name)

    def changes(self, args: Args) -> bool:
        """Whether running it with these arguments changes something (`writes`)."""
        if isinstance(self.writes, bool):
            return self.writes
        return any(args.get(name) for name in self.writes)

    def named(self, options: Mapping[str, str]) -> dict[str, str]:
        """The options as typed, each under its name (`tipo:` → kind) and a fixed value as the command takes it (`persona` →
        person), nothing else checked: what a surface reads of a line before it runs (the form `añadir tipo:persona` opens)."""
        found: dict[str, str] = {}
        for given, value in options.items():
            name = self._option_name(given)
            found[name] = self.choice(name, value)
        return found

    def choice(self, name: str, value: str) -> str:
        """An option's fixed value typed in any language, as the command takes it; any other value as typed (`bind` says
        what is wrong with it)."""
        spec = self.option(name)
        if spec is None or spec.kind != "choice":
            return value
        try:
            return _pick_choice(spec, value)
        except UserError:
            return value

    def bind(self, options: Mapping[str, str], text: str) -> Args:
        """Check every given option against the spec; raise a user error naming the first bad one."""
        by_name = self.options_by_name
        values: dict[str, str] = {}
        for given, raw in options.items():
            key = given if given in by_name else self._option_name(given)
            if key in values:  # `desde:` and `from:` are one option: given twice, not silently one of them
                raise UserError("args.duplicate_option", option=given)
            spec = by_name.get(key)
            if spec is None and not self.extra_options:
                raise self._unknown_option(key)
            if spec is None and len(raw) > MAX_EXTRA:
                raise UserError("args.too_long_option", option=key, limit=MAX_EXTRA)
            values[key] = raw.strip()
        text = text.strip()
        if text:
            if self.positional is None:
                raise self._unexpected_text(text, values)
            if self.positional in values:  # most likely the value's next words, typed without quotes
                value = f"{values[self.positional]} {text}"
                raise UserError("args.text_and_option", command=self.name, option=self.positional, text=text[:40], value=value[:80])
            values[self.positional] = text
        dates: dict[str, FuzzyDate] = {}
        page = 1
        for spec in self.options:
            value = values.get(spec.name, "")
            if not value and spec.kind == "choice" and spec.name in values and not spec.required:
                # A fixed value left blank is none of them, never the option left out: `lang:` alone would make the
                # Spanish words an edit of the English original, and take out the Spanish translation.
                raise UserError("args.blank_choice", option=spec.name, choices=spec.choices, n=len(spec.choices))
            if not value or (spec.complete in _NAMING and not fold(value)):
                values.pop(spec.name, None)
                if spec.required:
                    key = "args.missing_positional" if spec.name == self.positional else "args.missing"
                    raise UserError(key, command=self.name, option=spec.name)
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

    def _option_name(self, given: str) -> str:
        """The option's own name for a word in any language; other words pass through unchanged."""
        if self.option(given) is not None:
            return given
        return next((name for name in _OPTION_WORDS.get(fold(given), ()) if self.option(name) is not None), given)
    def _unknown_option(self, key: str) -> UserError:
        """Name the options there are, and the one most likely meant."""
        if not self.options:
            return UserError("args.no_options", command=self.name, option=key)
        known = " ".join(o.name for o in self.options)  # listed in the reader's words by `in_readers_words`
        # Near an option's name in any language ("tem" → tema → topic); the reader is offered it in their own words.
        words = {word: o.name for o in self.options for word in (o.name, *(local_option(o.name, lang) for lang in LOCAL_NAMES))}
        near = closest(key, words, n=1)
        if near:
            return UserError("args.unknown_option_suggest", command=self.name, option=key, known=known, suggestion=words[near[0]])
        return UserError("args.unknown_option", command=self.name, option=key, known=known)

    def _unexpected_text(self, text: str, values: dict[str, str]) -> UserError:
        """Words after an option are most likely the rest of its value; bare words, the hinted option."""
        last = next(reversed(values), None)
        if last is not None and (self.extra_options or self.option(last) is not None):
            value = f"{values[last]} {text}"
            return UserError("args.unquoted_value", command=self.name, option=last, value=value[:80], text=text[:40])
        if self.hint is not None:  # a person's name: `person` looks them up, the hinted option filters by it
            words = text[:40]
            return UserError("args.text_hint_person", command=self.name, option=self.hint, text=words, value=quote_word(words))
        return UserError("args.unexpected_text", command=self.name)


class Registry:
    """All commands by name and alias, with "did you mean" for the rest."""

    def __init__(self, specs: tuple[CommandSpec, ...]) -> None:
        self.specs = specs
        self._by_name: dict[str, CommandSpec] = {}
        for spec in specs:
            # Local words are kept folded ("cronologia") so accents never matter.
            local = {fold(local_command(spec.name, language)) for language in LOCAL_NAMES}
            for name in {spec.name, *spec.aliases, *local}:
                if name in self._by_name:
                    raise ValueError(f"command name {name!r} registered twice")
                self._by_name[name] = spec

    def resolve(self, name: str, admin: bool = False, also: Collection[str] = ()) -> CommandSpec:
        """The command called `name`, its words run together or not (`por qué` is `porqué`); a user error otherwise, with
        close names among the commands the reader may run (`admin`: the admin's too, else only the public ones) and
        `also` (a surface's own: Request.own_commands)."""
        spec = self._by_name.get(name)  # a parsed line's name is already bare and in lower case
        if spec is not None:
            return spec
        key = name.strip().lstrip("/").lower()
        spec = self._by_name.get(key) or self._by_name.get(fold(key)) or self._by_name.get("".join(fold(key).split()))
        if spec is not None:
            return spec
        offered = {word: named.name for word, named in self._by_name.items() if admin or not named.admin}
        offered.update({fold(local_command(own, language)): own for own in also for language in ("en", *LOCAL_NAMES)})
        close = difflib.get_close_matches(key, offered, n=3, cutoff=0.6)
        if close:
            # Matched among every language's words; offered in the reader's (`in_readers_words`), each command once.
            raise UserError("command.unknown_suggest", command=key[:40], commands=tuple(dict.fromkeys(offered[c] for c in close)))
        raise UserError("command.unknown", command=key[:40])

    def joined(self, parsed: ParsedLine) -> ParsedLine:
        """The line with a command's name typed as two words run together (`por qué visa`, as Spanish writes `porqué`:
        `porque visa`), where the first word names no command and the two do; else the line as parsed."""
        first, _, rest = parsed.text.partition(" ")
        if not first or parsed.command in self._by_name or fold(parsed.command) in self._by_name:
            return parsed
        name = fold(parsed.command + first)
        return replace(parsed, command=name, text=rest) if name in self._by_name else parsed

    def public(self) -> tuple[CommandSpec, ...]:
        """Commands anyone may run, in registry order."""
        return tuple(spec for spec in self.specs if not spec.admin)


# A day written another way: 03/02/2026 or 3.2.2026 (day first, as most of the world writes it), 2026/02/03.
_DAY_FIRST = re.compile(r"([0-9]{1,2})[./-]([0-9]{1,2})[./-]([0-9]{4})")
_YEAR_FIRST = re.compile(r"([0-9]{4})[./]([0-9]{1,2})[./]([0-9]{1,2})")
_ISO_DAY = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")


def _parse_date(name: str, value: str) -> FuzzyDate:
    try:
        return FuzzyDate.parse(value)
    except DateOutOfRange:
        raise UserError("args.date_out_of_range", option=name, value=value[:40], first=FIRST_YEAR, last=LAST_YEAR) from None
    except ValueError:
        raise _bad_date(name, value.strip()) from None


def _bad_date(name: str, value: str) -> UserError:
    """Say what is wrong with a date and show the form it takes, with the reader's own date in it where it has one."""
    iso = _ISO_DAY.fullmatch(value)
    if iso and 1 <= int(iso[2]) <= 12 and int(iso[3]) >= 1:  # the right form, a day the month has not (2026-02-30)
        return UserError("args.no_such_day", option=name, value=value[:40], day=int(iso[3]))
    meant = _other_form(value)
    if meant is None:
        return UserError("args.bad_date", option=name, value=value[:40])
    return UserError("args.bad_date_example", option=name, value=value[:40], day=meant.isoformat(), month=meant.isoformat()[:7])


def _other_form(value: str) -> date | None:
    """The day a date written another way most likely means (day first when both orders could be), or None."""
    found = _DAY_FIRST.fullmatch(value)
    orders = [(3, 2, 1), (3, 1, 2)] if found else [(1, 2, 3)]
    found = found or _YEAR_FIRST.fullmatch(value)
    if found is None:
        return None
    for year, month, day in orders:
        with contextlib.suppress(ValueError):
            if FIRST_YEAR <= int(found[year]) <= LAST_YEAR:
                return date(int(found[year]), int(found[month]), int(found[day]))
    return None


def _parse_page(name: str, value: str) -> int:
    if not (value.isascii() and value.isdigit()) or int(value) < 1:
        raise UserError("args.bad_page", option=name, value=value[:40])
    return int(value)  # past the last page, the command's window says how many there are


def _parse_number(name: str, value: str) -> int:
    if not (value.isascii() and value.isdigit()) or len(value) > 12:
        raise UserError("args.bad_number", option=name, value=value[:40])
    return int(value)


def _pick_choice(spec: Option, value: str) -> str:
    """The fixed value meant, typed in any language (`canal` is channel); a user error listing them otherwise."""
    choice = fixed_value(value, spec.choices)
    if choice is None:
        raise UserError("args.bad_choice", option=spec.name, value=value[:40], choices=spec.choices, n=len(spec.choices))
    return choice


def fixed_value(value: str, choices: tuple[str, ...]) -> str | None:
    """The fixed value meant by a word typed in any language (`canal` is channel, `todos` all), None when none is: one
    reading for a choice option and for a list of fixed values (`alerts:`)."""
    wanted = fold(value)
    for choice in choices:
        if wanted == fold(choice) or wanted in (fold(local_choice(choice, language)) for language in ("en", *LOCAL_NAMES)):
            return choice
    return None
