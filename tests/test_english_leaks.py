"""No English word reaches a Spanish reader from the code: every command, its help and its completions, run in Spanish.

Why a run and not a scan of the source: a hard-coded word is rarely a whole English sentence in a literal. It is an id
passed where a word is shown (`kind=kind.name`, a revision's `action`), or a command line built in code ("use " +
option): only the rendered answer shows that it is English. So every command runs in Spanish on the shipped pack, as
an admin and as a reader refused, with what help offers as its example, plus the lines that reach the refusals; every
string of every answer and completion is read. A word in it fails when the English catalogue writes it and neither the
Spanish catalogue nor the pack's data (any language: a Spanish reader sees an untranslated passage as written) holds
it. The list of English words is the catalogue's, so it grows with it and needs no upkeep; the allowance below is the
few names a Spanish reader types or reads as stored, which have no Spanish words.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable, Iterator

import msgspec

from bot.core.catalogue_en import EN
from bot.core.catalogue_es import ES
from bot.core.commands import COMMANDS
from bot.core.kinds import KINDS
from bot.core.registry import in_readers_words
from bot.core.replies import Reply
from bot.core.requests import Request
from bot.core.service import BriefingCore
from bot.store.packfile import read_pack_data
from tests.conftest import BEFORE, BRIEFING_ID, DATA, ask

WORD = re.compile(r"[^\W\d_]{3,}")
NAMED = {"cmd", "opt", "choice", "slash"}
CLI = re.compile(r"briefbot(?: --?[a-z][-a-z]*| [a-z][-a-z]*){1,3}|--[a-z][-a-z]*")

# Names with no Spanish word, shown as an admin types or the log stores them: an item's fields (`status:`, `venue`,
# as `cambiar` takes them), and the revision log's surface and actor ids (`console`, `load`, `operator`).
FIELDS = {field.name for kind in KINDS.values() for field in kind.fields_all}
LOGGED = {"console", "load", "operator"}
# Parts of an answer no reader reads as words: an item's `kind/id`, the command line a button sends.
UNREAD = {"ref", "briefing", "command", "options", "kind", "url", "id"}


def rendered(table: dict[str, str | tuple[str, str]], language: str) -> Iterator[str]:
    """Each message of a catalogue as a reader reads it, the commands and options it names in that language."""
    for key, value in table.items():
        for text in value if isinstance(value, tuple) else (value,):
            names = {name for _, name, _, _ in string.Formatter().parse(text) if name}
            yield text.format(**in_readers_words(key, dict.fromkeys(names - NAMED, ""), language))


def words(texts: Iterable[str]) -> set[str]:
    return {word.casefold() for text in texts for word in WORD.findall(text)}


def shown(value: object) -> Iterator[str]:
    """Every string of an answer a reader reads."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, part in value.items():
            if key not in UNREAD:
                yield from shown(part)
    elif isinstance(value, list | tuple):
        for part in value:
            yield from shown(part)


def english_words() -> set[str]:
    """The words only English writes: the English catalogue's, less the Spanish catalogue's and the pack's."""
    _, data = read_pack_data(DATA / f"{BRIEFING_ID}.yaml")
    # The example texts help fills in are written in the briefing's language, English here, on purpose.
    examples = {key: value for key, value in EN.items() if key.startswith("example.text.")}
    spanish = (CLI.sub("", text) for text in rendered(ES, "es"))  # the CLI's words are English in both: `briefbot admin undo`
    return words(rendered(EN, "en")) - words(spanish) - words(shown(data)) - words(rendered(examples, "en")) - FIELDS - LOGGED


def spanish_lines() -> list[str]:
    """Every command as help shows it in Spanish (its example, its help, alone), and the lines that reach its refusals."""
    lines = []
    for spec in COMMANDS.specs:
        example = next(rendered({f"example.{spec.name}": ES[f"example.{spec.name}"]}, "es"))
        word = example.split()[0]
        lines += [example, word, f"ayuda {word}", f"{word} zzzz"]
    for kind in KINDS.values():
        spanish = next(rendered({f"kind.{kind.name}": ES[f"kind.{kind.name}"]}, "es"))
        lines += [f"cambiar tipo:{kind.name} id:nadie status:x", f'quitar tipo:"{spanish.lower()}" id:nadie', f"añadir tipo:{kind.name}"]
    return [*lines, f"usar informe:{BRIEFING_ID} idioma:es", "origen reunión", "cambiar tipo:informe zzzz:1", "cambiar tipo:reunión"]


def leaks(reply: Reply | Iterable[object], english: set[str]) -> list[str]:
    return [text for text in shown(msgspec.to_builtins(reply)) if english_in(text, english)]


def english_in(text: str, english: set[str]) -> list[str]:
    """The English words of a text, less a CLI line it names (`briefbot export`), which is English in every language."""
    return sorted(words([CLI.sub("", text)]) & english)


async def test_a_spanish_reader_reads_no_english_word_the_code_wrote(core: BriefingCore) -> None:
    english = english_words()
    assert {"edit", "use", "faq", "timeline"} <= english, "the English words are read wrongly"
    found: dict[str, list[str]] = {}
    people = {"admin": {"platform": "console"}, "reader": {"platform": "discord", "user_id": "reader", "team_id": "t", "channel_id": "c"}}
    for _ in range(2):  # the second time round, `origen` and `historial` tell of the first round's changes
        for line in spanish_lines():
            for who, request in people.items():
                if texts := leaks(await ask(core, line, now=BEFORE, locale="es", **request), english):
                    found[f"{line} ({who})"] = texts
    for spec in COMMANDS.specs:
        for option in spec.options:
            if option.complete is not None:
                request = Request(command=spec.name, now=BEFORE, platform="console", locale="es")
                if offered := leaks(await core.complete(request, option.name, ""), english):
                    found[f"{spec.name} {option.name}: (completion)"] = offered
    marked = [f"{line}: {text!r} ← {english_in(text, english)}" for line, texts in found.items() for text in texts]
    assert not marked, "English words the code wrote reach a Spanish reader; say each with a catalogue key in both languages:\n" + "\n".join(marked)
