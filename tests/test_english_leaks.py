"""No English word reaches a Spanish reader from the code: every command, its help and its completions, run in Spanish.

Why a run and not a scan of the source: a hard-coded word is rarely a whole English sentence in a literal. It is an id
passed where a word is shown (`kind=kind.name`, a revision's `action`), or a command line built in code ("use " +
option): only the rendered answer shows that it is English. So every command runs in Spanish on the shipped pack, as
an admin and as a reader refused, with what help offers as its example, plus the lines that reach the refusals; every
string of every answer and completion is read. A word in it fails when the English catalogue writes it and neither the
Spanish catalogue nor the pack's data (any language: a Spanish reader sees an untranslated passage as written) holds
it. The same goes for what the adapters build themselves, run through the loopback Slack and Discord: forms, their
labels and hints, and Slack's item selects. The list of English words is the catalogue's, so it grows with it and
needs no upkeep; the allowance below is the few names a Spanish reader types or reads as stored, which have no Spanish
words.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable, Iterator
from typing import Any
from urllib.parse import urlencode

import msgspec

from bot.adapters.slack_app.forms import PICK_ACTION
from bot.core.admin.policy import AdminPolicy, Admins
from bot.core.catalogue_en import EN
from bot.core.catalogue_es import ES
from bot.core.commands import COMMANDS
from bot.core.kinds import HEAD, HEAD_FIELDS, KINDS
from bot.core.registry import in_readers_words
from bot.core.replies import Reply
from bot.core.requests import Request
from bot.core.service import BriefingCore
from bot.store import Store
from bot.store.packfile import read_pack_data
from tests.conftest import BEFORE, BRIEFING_ID, DATA, ask
from tests.discord_fake import USER_ID, FakeDiscord
from tests.discord_support import connected
from tests.slack_fake import CHANNEL, TEAM, slash_payload
from tests.test_slack_admin import ADMIN, interact, submission
from tests.test_slack_http import Harness, serving_bot

WORD = re.compile(r"[^\W\d_]{3,}")
NAMED = {"cmd", "opt", "choice", "slash"}
CLI = re.compile(r"briefbot(?: --?[a-z][-a-z]*| [a-z][-a-z]*){1,3}|--[a-z][-a-z]*")
# An item's ref, `faq/next-steps`: its ids, as `origen` takes it in any language.
REF = re.compile(rf"\b(?:{'|'.join(sorted({*KINDS, HEAD}))})/[\w.-]*")
MODAL = 9  # Discord's interaction response that opens a modal

# Names shown as the pack and the log store them: the fields of an item and of the briefing's head as an edit form
# labels its inputs (answers name them in the reader's words, `estado`, which `cambiar` takes beside `status`), their
# fixed values (`status:concluded`), and the revision log's surface and actor ids (`console`, `load`, `operator`).
FIELDS = {field.name for kind in KINDS.values() for field in kind.fields_all} | {field.name for field in HEAD_FIELDS}
VALUES = {word for kind in KINDS.values() for field in kind.fields_all for value in field.choices for word in value.split("_")}
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
    return words(rendered(EN, "en")) - words(spanish) - words(shown(data)) - words(rendered(examples, "en")) - FIELDS - VALUES - LOGGED


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
    """The English words of a text, less a CLI line it names (`briefbot export`), which is English in every language, and
    an item's ref (`faq/next-steps`), its ids."""
    return sorted(words([REF.sub("", CLI.sub("", text))]) & english)


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
                request = Request(command=spec.name, now=BEFORE, platform="console", operator=True, locale="es")
                if offered := leaks(await core.complete(request, option.name, ""), english):
                    found[f"{spec.name} {option.name}: (completion)"] = offered
    marked = [f"{line}: {text!r} ← {english_in(text, english)}" for line, texts in found.items() for text in texts]
    assert not marked, "English words the code wrote reach a Spanish reader; say each with a catalogue key in both languages:\n" + "\n".join(marked)


# What a chat's payload carries for the bot and the platform, no reader: ids, callbacks, command lines, stored values.
PROTOCOL = UNREAD | {"block_id", "action_id", "callback_id", "private_metadata", "type", "value", "custom_id", "trigger_id",
                     "response_url", "response_type", "response_action", "channel", "user", "user_id", "view_id", "style",
                     "initial_value"}


def payload_leaks(payloads: Iterable[object], english: set[str]) -> list[str]:
    """The texts of chat payloads (Slack's blocks and views, Discord's modals and embeds) that hold English words."""
    return [text for payload in payloads for text in shown(_read(payload)) if english_in(text, english)]


def _read(value: object) -> object:
    """A payload less what no reader reads (`PROTOCOL`), for `shown`."""
    if isinstance(value, dict):
        return {key: _read(part) for key, part in value.items() if key not in PROTOCOL}
    if isinstance(value, list):
        return [_read(part) for part in value]
    return value


async def test_a_spanish_admin_reads_no_english_word_in_slack_forms_and_picks(store: Store) -> None:
    """The forms and item selects Slack's adapter builds: they named a kind by its id ("Añadir faq", "¿Qué elemento
    timeline quieres editar?", "/brief editar meeting"), which no Spanish reader types."""
    english = english_words()
    core = BriefingCore(store.repository, policy=AdminPolicy({"slack": Admins(users=frozenset({ADMIN}))}), digests=store.digests)
    async with serving_bot(core, workspace_admins=False) as h:
        h.slack.users[ADMIN] = {"id": ADMIN, "locale": "es-LA"}
        acks: list[object] = []
        await slack_line(h, "editar", "usage")
        for n, kind in enumerate(KINDS):
            word = next(rendered({f"kind.{kind}": ES[f"kind.{kind}"]}, "es")).lower()
            pick = await slack_line(h, f'editar tipo:"{word}"', f"pick{n}")
            (section,) = [b for b in pick["blocks"] if b.get("accessory")] or [None]
            if section is not None:  # a kind with items: the first one picked opens its form
                await interact(h, picked(h, section, section["accessory"]["options"][0], f"picked{n}"))
            await slack_line(h, f'añadir tipo:"{word}"', f"add{n}")
            added = h.slack.calls("views.open")[-1].body["view"]
            acks.append(await interact(h, submission({**added, "id": "V1", "state": {"values": {}}}, ADMIN)))  # refused: empty
        await slack_line(h, "editar informe", "head")
        await h.bot.inflight.drain(5)
        sent = [r.body for r in h.slack.requests if r.api.startswith(("hook/", "views.", "chat."))]
    assert not (marked := payload_leaks([*sent, *acks], english)), "English words in Slack's forms and picks:\n" + "\n".join(marked)


async def slack_line(h: Harness, line: str, hook: str) -> dict[str, Any]:
    """`/brief <line>` as the admin; what it posted to its hook, else {} (a form opened instead)."""
    form = urlencode(slash_payload("/brief", line, h.slack.response_url(hook), user=ADMIN))
    assert (await h.send(form, "application/x-www-form-urlencoded")).status == 200
    await h.bot.inflight.drain(5)
    posted = h.slack.calls(f"hook/{hook}")
    return dict(posted[0].body) if posted else {}


def picked(h: Harness, section: dict[str, Any], option: dict[str, Any], hook: str) -> dict[str, Any]:
    """The admin choosing `option` in a pick message's select."""
    action = {"type": "static_select", "action_id": PICK_ACTION, "block_id": section["block_id"], "selected_option": option}
    return {"type": "block_actions", "team": {"id": TEAM}, "user": {"id": ADMIN, "team_id": TEAM}, "channel": {"id": CHANNEL},
            "container": {"type": "message", "channel_id": CHANNEL, "is_ephemeral": True},
            "response_url": h.slack.response_url(hook), "trigger_id": f"1.{hook}", "actions": [action]}


async def test_a_spanish_admin_reads_no_english_word_in_discord_forms(fake: FakeDiscord, store: Store) -> None:
    """Discord's modals, their labels and hints, and what a submission answers, in a Spanish client."""
    english = english_words()
    core = BriefingCore(store.repository, policy=AdminPolicy({"discord": Admins(users=frozenset({str(USER_ID)}))}), digests=store.digests)
    sent: list[object] = []
    async with connected(fake, core):
        for kind in KINDS:
            ids = await core.complete(Request(command="set", now=BEFORE, platform="console", operator=True, options={"kind": kind}), "id", "")
            asks = [("añadir", {"kind": kind, "id": "nuevo"}), *([("set", {"kind": kind, "id": ids[0].value})] if ids else [])]
            for command, options in asks:
                opened = await fake.interact(fake.command("add" if command == "añadir" else command, options, locale="es-ES"))
                sent.append(opened)
                if opened.get("type") == MODAL:  # answered, or refused with "Volver a editar"
                    # Each required input that opens empty given a word, as Discord sends no modal with one left empty.
                    asked = [c["component"] for c in opened["data"]["components"] if "component" in c]
                    typed = {c["custom_id"]: "x" for c in asked if c["required"] and not c.get("value")}
                    sent.append(await fake.interact(fake.submit(opened["data"], typed, locale="es-ES")))
        sent.append(await fake.interact(fake.command("set", {"kind": "briefing"}, locale="es-ES")))
    assert not (marked := payload_leaks(sent, english)), "English words in Discord's forms:\n" + "\n".join(marked)
