"""A quote's languages (docs/languages.md): the language its words are in, the one they were said in, and words the
source itself gives translated, shown alike on the console and in the chats."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from bot.core.pack import pack_mapping, parse_pack
from bot.core.service import BriefingCore
from bot.store import Store
from bot.store.packfile import dump_pack, read_pack
from tests.cli_support import briefbot
from tests.conftest import PACK
from tests.discord_fake import FakeDiscord
from tests.discord_support import connected

_SHIPPED = read_pack(PACK)
SPANISH_WORDS = "No vamos a negociar la soberanía de Colombia"


def shipped() -> dict[str, Any]:
    """The shipped pack's data, a fresh copy."""
    return copy.deepcopy(pack_mapping(_SHIPPED))


def with_spanish_words() -> dict[str, Any]:
    """The shipped (English) pack with its first quote's words in Spanish, as a source quoting Petro in Spanish gives them,
    translated into English by the pack and not into Spanish (whose readers need none)."""
    data = shipped()
    quote = data["quotes"][0]
    quote.update(words=SPANISH_WORDS, language="es")
    quote["evidence"] = [{**quote["evidence"][0], "passage": f"«{SPANISH_WORDS}», afirmó Petro."}]
    del quote["translations"]["es"]["words"]
    quote["translations"]["en"] = {"words": "We are not going to negotiate Colombia's sovereignty"}
    return data


def console_quotes(tmp_path: Path, data: dict[str, Any], locale: str) -> str:
    """`briefbot ask /quotes` in `locale` over the pack `data`, as the console prints it."""
    pack, db = tmp_path / "pack.yaml", tmp_path / "b.sqlite3"
    if not pack.exists():
        pack.write_text(dump_pack(parse_pack(data, "pack.yaml")), encoding="utf-8")
        assert briefbot("--db", db, "load", pack).returncode == 0
    done = briefbot("--db", db, "--locale", locale, "ask", "/quotes gustavo petro", "--now", "2026-02-03T12:00:00Z")
    assert done.returncode == 0, done.stderr
    return done.stdout


async def discord_quotes(fake: FakeDiscord, store: Store, data: dict[str, Any], locale: str) -> str:
    """Discord's `/quotes` in `locale` over the pack `data`: its embed's text."""
    await store.repository.save(parse_pack(data, "pack.yaml"))
    async with connected(fake, BriefingCore(store.repository)):
        embed = (await fake.interact(fake.command("quotes", {"speaker": "gustavo petro", "public": True}, locale=locale)))["data"]["embeds"][0]
    return "\n".join([embed.get("description", ""), *(f"{f['name']}\n{f['value']}" for f in embed.get("fields", ()))])


# What the first quote shows a Spanish and an English reader: no "(sin traducir)" on Spanish words for a Spanish reader
# (the pack's own language is English), and the language they were said in beside the words, before any translation.
SPANISH_READS = "«No vamos a negociar la soberanía de Colombia» (dicho en español)\n"
ENGLISH_READS = (
    "“No vamos a negociar la soberanía de Colombia” (said in Spanish)\n"
    "{indent}Translation, not the speaker's own words: “We are not going to negotiate Colombia's sovereignty”\n"
)


def test_console_words_in_the_readers_language_are_not_marked_and_their_language_is_beside_them(tmp_path: Path) -> None:
    spanish = console_quotes(tmp_path, with_spanish_words(), "es")
    assert f"   {SPANISH_READS}2. Gustavo Petro" in spanish and "sin traducir" not in spanish
    english = console_quotes(tmp_path, with_spanish_words(), "en")
    assert f"   {ENGLISH_READS.format(indent='   ')}2. Gustavo Petro" in english


async def test_discord_words_in_the_readers_language_are_not_marked_and_their_language_is_beside_them(fake: FakeDiscord, store: Store) -> None:
    spanish = await discord_quotes(fake, store, with_spanish_words(), "es-ES")
    assert f"{SPANISH_READS}\n**Gustavo Petro**" in spanish and "sin traducir" not in spanish
    english = await discord_quotes(fake, store, with_spanish_words(), "en-US")
    assert f"{ENGLISH_READS.format(indent='')}\n**Gustavo Petro**" in english
