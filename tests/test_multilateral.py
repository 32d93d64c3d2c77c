"""An event with many sides and no visiting delegation: what its answers say of its size, its people and their sessions,
with the sources of what each shows; the fictional two-city pack under tests/packs/, in English and Spanish."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.core.digest.preview import preview_digest, preview_subscription
from bot.core.pack import pack_mapping, parse_pack
from bot.core.replies import Reply
from bot.core.service import BriefingCore
from bot.errors import PackError
from bot.store import Store
from bot.store.packfile import read_pack
from tests.conftest import ask
from tests.test_digest_changes import edit
from tests.test_slack_http import Harness, serving_bot, texts

PACK = Path(__file__).parent / "packs" / "multilateral-talks.yaml"
TALKS = "multilateral-talks"
NOW = datetime(2026, 3, 9, 12, 0, tzinfo=UTC)  # the day before the opening plenary


@pytest.fixture
async def talks(store: Store) -> BriefingCore:
    """The core over the seeded store with the talks beside the shipped briefing."""
    await store.repository.save(read_pack(PACK))
    return BriefingCore(store.repository, digests=store.digests)


def fields(reply: Reply) -> dict[str, str]:
    assert reply.kind == "answer", reply.text
    return {field.name: field.value for field in reply.fields}


@pytest.mark.parametrize(
    ("locale", "who", "expected"),
    [
        ("en", "Who", "Ana Quispe; about 40 delegations, according to officials"),
        # The size is the source's words, untranslated as the pack gives no Spanish for them.
        ("es", "Quiénes", "Ana Quispe; about 40 delegations, according to officials (sin traducir)"),
    ],
)
async def test_a_summits_size_is_the_sources_words_with_no_delegation_or_count_made_up(talks: BriefingCore, locale: str, who: str, expected: str) -> None:
    """It read "a delegation of about 40 delegations, according to officials, 0 of them named": one visiting delegation
    assumed, and a count of named members no person's data gives, while /delegation said none is visiting."""
    brief = fields(await ask(talks, f"/brief briefing:{TALKS}", now=NOW, locale=locale))
    assert brief[who] == expected


def cited(reply: Reply) -> list[str]:
    return [source.id for source in reply.sources]


async def test_a_brief_cites_the_sources_of_what_it_shows_not_every_source_of_the_briefing(talks: BriefingCore) -> None:
    """It cited all of them, the weekly that nothing on it rests on too: the summary's, the session's and the latest
    event's sources are cited, and a session known by its day is cited on the day it is shown as "Also today"."""
    before = await ask(talks, f"/brief briefing:{TALKS}", now=NOW)
    # The summary and the opening plenary rest on the wire; the latest event on the wire and the programme.
    assert "Finance ministers' session moved" in fields(before)["Latest"]
    assert cited(before) == ["lake-wire", "programme"]
    spanish = await ask(talks, f"/brief briefing:{TALKS}", now=NOW, locale="es")
    assert cited(spanish) == ["lake-wire", "programme"]
    # On 11 March the Indigenous session, known only by its day, stands under the finance session's countdown: its
    # source, the weekly, is cited with it.
    day = await ask(talks, f"/brief briefing:{TALKS}", now=datetime(2026, 3, 11, 12, 0, tzinfo=UTC))
    assert fields(day)["Also today"] == "Session led by Indigenous delegations, time not announced"
    assert cited(day) == ["lake-wire", "programme", "weekly"]


@pytest.mark.parametrize(
    ("locale", "name", "field", "delegation", "expected"),
    [
        ("en", "quispe", "Sessions", "In the delegation", "• Opening plenary — Tue 10 March 2026, 09:00 UTC-5 (Lima) · Scheduled"),
        ("es", "quispe", "Sesiones", "En la delegación", "• Opening plenary (sin traducir) — martes, 10 de marzo de 2026, 09:00 hora estándar de Perú (Lima) · Programada"),
        # Named in the opening's stakes, not among its parties: said so.
        ("en", "cardenas", "Sessions", "In the delegation", "• Opening plenary — Tue 10 March 2026, 09:00 UTC-5 (Lima) · Scheduled · named in its stakes"),
        ("es", "cardenas", "Sesiones", "En la delegación",
         "• Opening plenary (sin traducir) — martes, 10 de marzo de 2026, 09:00 hora estándar de Perú (Lima) · Programada · figura en lo que está en juego"),
        ("en", "yaku", "Sessions", "In the delegation", "• Session led by Indigenous delegations — 11 March 2026 · Scheduled"),
    ],
)
async def test_a_person_card_lists_their_sessions_and_says_nothing_of_a_delegation_nobody_is_in(
    talks: BriefingCore, locale: str, name: str, field: str, delegation: str, expected: str,
) -> None:
    """The card left out the sessions a person chairs or is named in, and said "In the delegation: No" of everyone at a
    summit that has no visiting delegation."""
    card = fields(await ask(talks, f"/person briefing:{TALKS} {name}", now=NOW, locale=locale))
    assert card[field] == expected
    assert delegation not in card


async def test_a_person_card_cites_the_sources_of_their_sessions(talks: BriefingCore) -> None:
    """Yaku's own source is the weekly; the session they lead rests on the programme too."""
    card = await ask(talks, f"/person briefing:{TALKS} yaku", now=NOW)
    assert cited(card) == ["programme", "weekly"]


async def test_a_visiting_delegations_members_are_said_to_be_in_it_and_nobody_else_is_said_not_to_be(core: BriefingCore) -> None:
    """The shipped visit marks four members: their cards say so; Trump's, and those of people the pack does not mark,
    say nothing either way."""
    assert fields(await ask(core, "/person garcia pena"))["In the delegation"] == "Yes"
    trump = fields(await ask(core, "/person trump"))
    assert "In the delegation" not in trump
    assert trump["Sessions"].startswith("• Petro in Washington: the White House meeting with Trump — Tue 3 February 2026, 11:00 EST (Washington)")


# An outcome as an agency might give it: three sentences, over the NEWS_VALUE (300 characters) a digest tells.
OUTCOME = ("The opening plenary ended with a common position on adaptation finance, officials said. Delegations are to meet "
           "again in Madrid in April to agree the figures, according to the Peruvian ministry. Observers said the text left "
           "out loss and damage, which several small island states and the Indigenous delegations had asked to include.")
SHORT_OUTCOME = "The plenary ended with a common position on adaptation finance, officials said."


async def told(talks: BriefingCore, locale: str) -> dict[str, str]:
    """The items of the talks' digest, by title, for a channel subscribed since the pack was loaded."""
    subscription = preview_subscription(talks.settings.digest, await talks.repository.briefing(TALKS))
    digest = await preview_digest(talks, subscription, datetime(2026, 3, 11, 12, 0, tzinfo=UTC), locale)
    assert "lake-wire" in cited(digest)  # the session's own source, which the outcome rests on
    return {item.title: item.text for item in digest.items}


@pytest.mark.parametrize(
    ("locale", "title", "expected"),
    [
        ("en", "Session: Opening plenary", f"Outcome: now “{SHORT_OUTCOME}”"),
        ("es", "Sesión: Opening plenary (sin traducir)", f"Resultado: ahora es «{SHORT_OUTCOME}» (sin traducir)."),
    ],
)
async def test_a_digest_tells_an_outcome_longer_than_a_line_not_that_it_was_rewritten(
    talks: BriefingCore, locale: str, title: str, expected: str,
) -> None:
    """It said "Outcome: rewritten." of any outcome over 60 characters, so the channel never learnt what happened."""
    await edit(talks, f'set briefing:{TALKS} kind:session id:opening-plenary status:concluded outcome:"{SHORT_OUTCOME}" '
                      'evidence:"The plenary ended with a common position on adaptation finance, officials said." source:lake-wire')
    assert expected in (await told(talks, locale))[title]


async def test_a_long_outcome_is_cut_where_a_sentence_ends_and_a_long_note_is_told_too(talks: BriefingCore) -> None:
    """Over 300 characters, the outcome stops after its last whole sentence within them, marked cut; a note, which says
    why a session moved, is news the same way, cut after a clause where no sentence ends."""
    # One sentence over 300 characters: cut after its last clause within them.
    note = ("Moved from 10 March because the Spanish finance minister was called to an emergency meeting of the Eurogroup in "
            "Brussels on the same day, the Spanish ministry said on Thursday, adding that the new date had been agreed with "
            "the Peruvian hosts, the secretariat and the delegations of the Andean Community and the European Union, which "
            "had asked for more time")
    await edit(talks, f'set briefing:{TALKS} kind:session id:opening-plenary outcome:"{OUTCOME}" evidence:"{OUTCOME}" source:lake-wire',
               f'set briefing:{TALKS} kind:session id:finance-ministers note:"{note}" evidence:"{note}." source:programme')
    items = await told(talks, "en")
    first_two = OUTCOME[: OUTCOME.index(" Observers")]
    assert items["Session: Opening plenary"].endswith(f"Outcome: now “{first_two} …”")
    assert items["Session: Finance ministers' session"].endswith(f"Note: now “{note[: note.index(', the secretariat')]}…”")


@pytest.mark.parametrize(
    ("locale", "command", "expected"),
    [
        ("en", "quotes", "“The forest is not a bank account.” — the source's wording, translated; original language not stated: not the speaker's own words"),
        ("es", "citas", "«The forest is not a bank account.» (sin traducir) — palabras de la fuente, traducidas; no se indica el idioma original: "
                        "no son sus palabras textuales"),
    ],
)
async def test_words_translated_from_a_language_the_source_does_not_name_are_labelled_so(talks: BriefingCore, locale: str, command: str, expected: str) -> None:
    """`translated_from: und` (an interpreter, the language not given) was refused as "the words are in that language
    already": Babel reads `und` as US English. The words were then shown as Yaku's own English, unlabelled."""
    [quote] = (await ask(talks, f"/{command} briefing:{TALKS}", now=NOW, locale=locale)).items
    assert quote.text == expected
    card = fields(await ask(talks, f"/person briefing:{TALKS} yaku", now=NOW, locale=locale))
    assert expected in card["Quotes" if locale == "en" else "Citas"]


def test_und_is_refused_as_the_language_the_words_are_in() -> None:
    """The words shown are in a language the pack can name: "said in Unknown language" would tell a reader nothing."""
    data = pack_mapping(read_pack(PACK))
    data["quotes"][0]["language"] = "und"
    with pytest.raises(PackError) as refused:
        parse_pack(data, PACK.name)
    [problem] = refused.value.problems
    assert (problem.path, problem.key) == ("quotes[0].language", "pack.language_undetermined")


@pytest.mark.parametrize(
    ("name", "side"),
    [
        ("cardenas", "Colombia"),  # the same name in both languages: not "Colombia (sin traducir)"
        ("quispe", "Perú"),  # CLDR's Spanish name of the country the pack names in English
        ("zabal", "España"),  # the pack's own translation first
        ("yaku", "Observers (sin traducir)"),  # a label that names no country or region is text, left untranslated
    ],
)
async def test_a_side_named_as_a_country_reads_as_cldr_names_it_never_marked_untranslated(talks: BriefingCore, name: str, side: str) -> None:
    card = fields(await ask(talks, f"/persona briefing:{TALKS} {name}", now=NOW, locale="es"))
    assert card["Parte"] == side
    # Typed as the reader reads it, or as the pack writes it.
    for typed in ("Perú", "peru"):
        [found] = (await ask(talks, f"/delegación briefing:{TALKS} parte:{typed}", now=NOW, locale="es")).items
        assert (found.title, found.meta) == ("Ana Quispe", "Perú")


@pytest.fixture
async def slack(store: Store) -> AsyncIterator[Harness]:
    """The real bolt app over the store with the talks in it, on a loopback Slack."""
    await store.repository.save(read_pack(PACK))
    async with serving_bot(BriefingCore(store.repository, digests=store.digests), workspace_admins=False) as running:
        yield running


async def test_slack_shows_a_person_cards_sessions_and_only_the_sources_a_brief_rests_on(slack: Harness) -> None:
    """The same answers through Slack's renderer: the card's Sessions field with no delegation line, and a brief's
    sources without the weekly nothing on it rests on."""
    card = texts(await slack.slash("/brief", f"person briefing:{TALKS} quispe"))
    assert "*Sessions*" in card and "• Opening plenary — Tue 10 March 2026, 09:00 UTC-5 (Lima) · Scheduled" in card
    assert "In the delegation" not in card
    brief = texts(await slack.slash("/brief", f"brief briefing:{TALKS}", hook="r2"))
    assert "Fictional Lake Wire" in brief and "Fictional Climate Weekly" not in brief
