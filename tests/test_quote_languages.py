"""A quote's languages (docs/languages.md): the language its words are in, the one they were said in, and words the
source itself gives translated, shown alike on the console and in the chats."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from bot.core.pack import pack_mapping, parse_pack
from bot.core.service import BriefingCore
from bot.errors import PackError
from bot.store import Store
from bot.store.packfile import dump_pack, read_pack
from tests.cli_support import briefbot
from tests.conftest import BRIEFING_ID, PACK, ask
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
    del quote["translated_from"]  # his own words now
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


async def test_discord_words_in_the_readers_language_are_not_marked_and_their_language_is_beside_them(fake: FakeDiscord, store: Store) -> None:
    spanish = await discord_quotes(fake, store, with_spanish_words(), "es-ES")
    assert f"{SPANISH_READS}\n**Gustavo Petro**" in spanish and "sin traducir" not in spanish
    english = await discord_quotes(fake, store, with_spanish_words(), "en-US")
    assert f"{ENGLISH_READS.format(indent='')}\n**Gustavo Petro**" in english


def source_translated() -> dict[str, Any]:
    """The shipped pack, whose "undignified treatment" is the source's translation of Petro's Spanish words."""
    data = shipped()
    assert data["quotes"][0]["translated_from"] == "es"
    return data


# The source's English words, labelled as its translation; a Spanish reader's translation of them, labelled too.
ENGLISH_TRANSLATED = "“undignified treatment” — the source's wording, presumably translated from Spanish: not the speaker's own words\n"
SPANISH_TRANSLATED = (
    "«undignified treatment» — palabras de la fuente, presumiblemente traducidas del español: no son sus palabras textuales\n"
    "{indent}Traducción, no son sus palabras textuales: «trato indigno»\n"
)


@pytest.mark.parametrize(
    ("pack", "locale", "reads", "absent"),
    [
        # Words in the reader's language are not marked, and the language they were said in is beside them.
        (with_spanish_words, "es", SPANISH_READS, "sin traducir"),
        (with_spanish_words, "en", ENGLISH_READS, None),
        # Words the source translated are labelled its translation, never the speaker's.
        (source_translated, "en", ENGLISH_TRANSLATED, None),
        (source_translated, "es", SPANISH_TRANSLATED, None),
    ],
)
def test_console_quotes_label_the_words_language_and_who_translated_them(
    tmp_path: Path, pack: Callable[[], dict[str, Any]], locale: str, reads: str, absent: str | None,
) -> None:
    shown = console_quotes(tmp_path, pack(), locale)
    # The console wraps a long label: compared word for word, and a translation on its own line.
    assert f"{' '.join(reads.format(indent='').split())} 2. Gustavo Petro" in " ".join(shown.split())
    assert all(f"\n   {line}\n" in shown for line in reads.format(indent="").splitlines()[1:])
    assert absent is None or absent not in shown


async def test_discord_words_the_source_translated_are_labelled_its_translation_on_every_answer(fake: FakeDiscord, store: Store) -> None:
    english = await discord_quotes(fake, store, source_translated(), "en-US")
    assert f"{ENGLISH_TRANSLATED}\n**Gustavo Petro**" in english
    spanish = await discord_quotes(fake, store, source_translated(), "es-ES")
    assert f"{SPANISH_TRANSLATED.format(indent='')}\n**Gustavo Petro**" in spanish
    async with connected(fake, BriefingCore(store.repository)):
        person = (await fake.interact(fake.command("person", {"name": "gustavo petro", "public": True}, locale="en-US")))["data"]["embeds"][0]
        found = (await fake.interact(fake.command("search", {"text": "undignified", "public": True}, locale="es-ES")))["data"]["embeds"][0]
    quotes = next(f["value"] for f in person["fields"] if f["name"] == "Quotes")
    assert f"• {ENGLISH_TRANSLATED}" in quotes
    assert SPANISH_TRANSLATED.format(indent="").rstrip("\n") in json.dumps(found, ensure_ascii=False).replace("\\n", "\n")


def test_translated_from_is_the_language_the_speaker_used_never_the_words_own() -> None:
    data = source_translated()
    data["quotes"][0]["language"] = "es"  # Spanish words translated from Spanish: no translation at all
    with pytest.raises(PackError) as caught:
        parse_pack(data, "pack.yaml")
    assert [(p.path, p.key) for p in caught.value.problems] == [("quotes[0].translated_from", "pack.translated_from_own")]
    data["quotes"][0]["language"] = "en"
    parsed = parse_pack(data, "pack.yaml")
    assert (parsed.quotes[0].language, parsed.quotes[0].translated_from) == ("en", "es")
    assert parse_pack(pack_mapping(parsed), "pack.yaml") == parsed  # exported and read back alike


async def test_an_admin_marks_a_quote_translated_by_the_source_and_readers_see_it(store: Store) -> None:
    core = BriefingCore(store.repository)
    done = await ask(core, "set kind:quote id:petro-taking-up-arms translated_from:es", platform="cli", user_id="operator")
    assert done.kind == "answer", done.text
    stored = await store.repository.briefing(BRIEFING_ID)
    assert next(q for q in stored.quotes if q.id == "petro-taking-up-arms").translated_from == "es"
    shown = {item.ref: item.text for item in (await ask(core, "quotes", locale="en")).items}
    assert shown["quote/petro-taking-up-arms"] == "“taking up arms” — the source's wording, presumably translated from Spanish: not the speaker's own words"


async def test_every_language_field_reads_a_typed_variant_as_its_language(store: Store) -> None:
    """`set kind:briefing language:es-MX` was taken and `translated_from:es-MX` refused: one reading for every language field."""
    core = BriefingCore(store.repository)
    for line in ("set kind:quote id:trump-appreciate-call translated_from:es-MX", "set kind:quote id:trump-appreciate-call language:EN_gb"):
        done = await ask(core, line, platform="cli", user_id="operator", locale="es")
        assert done.kind == "answer", done.text
    quote = next(q for q in (await store.repository.briefing(BRIEFING_ID)).quotes if q.id == "trump-appreciate-call")
    assert (quote.translated_from, quote.language) == ("es", "en")
    refused = await ask(core, "set kind:quote id:trump-appreciate-call translated_from:klingon", platform="cli", user_id="operator", locale="es")
    assert refused.kind == "error" and "se esperaba un código de idioma como es o en; se encontró «klingon»" in refused.text, refused.text


def test_the_shipped_pack_gives_petros_words_as_the_sources_translation_and_trumps_as_his_own() -> None:
    """The article gives Petro's words in English without naming his language: the pack must not show them as his (its note)."""
    spoken = {quote.id: (quote.speaker, quote.translated_from) for quote in _SHIPPED.quotes}
    assert {qid: lang for qid, (speaker, lang) in spoken.items() if speaker == "gustavo-petro"} == dict.fromkeys(
        ("petro-undignified-treatment", "petro-taking-up-arms", "petro-falsely-branding", "petro-communication-journey", "petro-plaza-bolivar"), "es"
    )
    assert {lang for speaker, lang in spoken.values() if speaker == "donald-trump"} == {None}


def test_words_naming_no_language_are_in_the_packs_and_cannot_be_translated_from_it() -> None:
    """A quote without `language:` has its words in the pack's language: `translated_from` that language is refused too."""
    data = source_translated()
    assert "language" not in data["quotes"][0] and data.get("language", "en") == "en"
    data["quotes"][0]["translated_from"] = "en"  # English words translated from English
    with pytest.raises(PackError) as caught:
        parse_pack(data, "pack.yaml")
    assert [(p.path, p.key) for p in caught.value.problems] == [("quotes[0].translated_from", "pack.translated_from_own")]
    data["language"] = "es"  # the same words in a Spanish pack would be a translation from English
    for quote in data["quotes"][1:]:
        quote.pop("translated_from", None)  # Petro's other words, in a Spanish pack, would be his own
    assert parse_pack(data, "pack.yaml").quotes[0].translated_from == "en"


async def test_an_admin_cannot_mark_words_in_the_packs_language_translated_from_it(store: Store) -> None:
    core = BriefingCore(store.repository)
    refused = await ask(core, "set kind:quote id:petro-taking-up-arms translated_from:en", platform="cli", user_id="operator")
    assert refused.kind == "error" and "the words are in that language already" in refused.text
    added = await ask(
        core, 'add kind:quote id:petro-again speaker:gustavo-petro words:"taking up arms" context:"On the march" source:cubaheadlines-2026-02-03 '
        'evidence:"Petro warns he will defend sovereignty, even taking up arms" translated_from:en',
        platform="cli", user_id="operator",
    )
    assert added.kind == "error" and "the words are in that language already" in added.text
    stored = await store.repository.briefing(BRIEFING_ID)
    assert next(q for q in stored.quotes if q.id == "petro-taking-up-arms").translated_from == "es"
    assert all(q.id != "petro-again" for q in stored.quotes)


# A quote the source gave translated, named by its words in a title: labelled as the source's translation there too.
WHY_TITLE = "Why: Gustavo Petro: “undignified treatment” — the source's wording, presumably translated from Spanish: not the speaker's own words"


def test_console_why_names_a_quote_the_source_translated_as_its_translation(tmp_path: Path) -> None:
    pack, db = tmp_path / "pack.yaml", tmp_path / "b.sqlite3"
    pack.write_text(dump_pack(parse_pack(source_translated(), "pack.yaml")), encoding="utf-8")
    assert briefbot("--db", db, "load", pack).returncode == 0
    done = briefbot("--db", db, "ask", "/why undignified", "--now", "2026-02-03T12:00:00Z")
    assert done.returncode == 0 and WHY_TITLE in done.stdout, done.stdout


async def test_discord_why_names_a_quote_the_source_translated_as_its_translation(fake: FakeDiscord, store: Store) -> None:
    await store.repository.save(parse_pack(source_translated(), "pack.yaml"))
    async with connected(fake, BriefingCore(store.repository)):
        embed = (await fake.interact(fake.command("why", {"item": "undignified", "public": True}, locale="en-US")))["data"]["embeds"][0]
        spanish = (await fake.interact(fake.command("why", {"item": "quote/petro-undignified-treatment", "public": True}, locale="es-ES")))
    assert embed["title"] == WHY_TITLE, embed["title"]
    title = spanish["data"]["embeds"][0]["title"]
    assert title.startswith("Origen: Gustavo Petro: «undignified treatment» — palabras de la fuente, presumiblemente traducidas del español"), title


async def test_a_digest_names_a_changed_quote_the_source_translated_as_its_translation(core: BriefingCore) -> None:
    from tests.test_digest_changes import digest, edit

    await edit(core, 'set kind:quote id:petro-undignified-treatment context:"On his treatment at the border"')
    titles = [item.title for item in (await digest(core)).items]
    assert titles == ["Quote: Gustavo Petro: “undignified treatment” — the source's wording, presumably translated from Spanish: not the speaker's own words"], titles
    spanish = [item.title for item in (await digest(core, "es")).items]
    assert spanish == ["Cita: Gustavo Petro: «undignified treatment» — palabras de la fuente, presumiblemente traducidas del español: no son sus palabras textuales"], spanish


# Trump's own English words, shortened to the title's 80 characters: quoted and his, never the bot's own statement.
SICK = "Colombia is also very sick, led by a man who likes to produce cocaine and sell…"


@pytest.mark.parametrize(("locale", "title"), [("en", f"Why: Donald Trump: “{SICK}”"), ("es", f"Origen: Donald Trump: «{SICK}»")])
def test_console_why_names_a_quote_by_its_speaker_and_quoted_words(tmp_path: Path, locale: str, title: str) -> None:
    """A one-shot `ask` reads the named quote alone, and its speaker for the title."""
    done = briefbot("--db", tmp_path / "b.sqlite3", "--locale", locale, "ask", "/why quote/trump-colombia-very-sick", "--now", "2026-02-03T12:00:00Z")
    assert done.returncode == 0 and done.stdout.splitlines()[0] == title, done.stdout


async def test_a_digest_names_a_changed_quote_by_its_speaker_and_quoted_words(core: BriefingCore) -> None:
    from tests.test_digest_changes import digest, edit

    await edit(core, 'set kind:quote id:trump-appreciate-call context:"After the call"')
    titles = [item.title for item in (await digest(core)).items]
    assert titles == ["Quote: Donald Trump: “I appreciate his call and tone, and look forward to meeting…”"], titles


async def test_why_lists_a_quote_the_source_translated_among_several_as_its_translation(core: BriefingCore) -> None:
    several = await ask(core, "why drug")
    assert several.kind == "error", several.text
    assert several.text.startswith(
        "“drug” matches 3 entries: “U.S. decertifies Colombia on drug trafficking”, “falsely branding me a drug trafficker” — the source's "
        "wording, presumably translated from Spanish: not the speaker's own words and “The drug-trafficking accusations”."
    ), several.text
