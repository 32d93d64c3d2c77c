"""A channel's fixed language (issue #16 §2): `/use language:`, its precedence, and digests in their subscription's language."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.core.admin.policy import AdminPolicy, Admins
from bot.core.catalogue_en import EN
from bot.core.catalogue_es import ES
from bot.core.choosing import Choice
from bot.core.replies import Reply
from tests.briefings_support import OTHER_ID, add_other, chooser_core
from tests.conftest import BRIEFING_ID, ask
from tests.digest_support import FakeClock, RecordingPlatform
from tests.test_digest_runner import SLOT_BOGOTA, runner_for

POLICY = AdminPolicy({"discord": Admins(users=frozenset({"admin"})), "slack": Admins(users=frozenset({"U_ADMIN"}))})


@pytest.fixture
async def core(store):
    await add_other(store)
    return chooser_core(store, POLICY)


def where(channel: str = "C1", user: str = "admin", locale: str = "en-US", platform: str = "discord") -> dict[str, object]:
    return {"platform": platform, "team_id": "G1", "channel_id": channel, "user_id": user, "locale": locale}


def spanish_only(reply: Reply) -> None:
    """Every heading the reply takes from the catalogue is Spanish, none English."""
    names = [reply.footer or "", *(f.name for f in reply.fields)]
    es, en = set(ES.values()), {v for v in EN.values() if v not in ES.values()}
    assert all(name not in en for name in names), names
    assert any(name in es for name in names[1:]) or not reply.fields, names


async def test_an_admin_fixes_the_channel_language_and_it_beats_the_reader_s_own(core):
    fixed = await ask(core, "/use language:es-MX", **where())
    assert fixed.kind == "answer" and fixed.title == ES["use.set_language"].format(language="español")
    for locale in ("en-US", "en-GB", "fr"):  # whatever the reader's app says
        reply = await ask(core, "/brief", **where(user="reader", locale=locale))
        assert reply.title == (await ask(core, "/brief", **where(channel="C9", locale="es"))).title
    other_channel = await ask(core, "/use", **where(channel="C2", user="reader", locale="en-US"))
    assert other_channel.fields[0].value.startswith("English: your own")  # only that channel was fixed
    # The fixed language applies to a request naming its briefing too, and to errors.
    named = await ask(core, f"/brief briefing:{OTHER_ID}", **where(user="reader"))
    assert named.title == (await ask(core, f"/brief briefing:{OTHER_ID}", **where(channel="C9", locale="es"))).title
    assert (await ask(core, "/timeline from:nonsense", **where(user="reader"))).text.startswith(
        (await ask(core, "/timeline from:nonsense", **where(channel="C9", locale="es"))).text[:20]
    )


async def test_use_alone_says_which_language_and_why(core):
    yours = await ask(core, "/use", **where(user="reader", locale="es-419"))
    assert yours.fields[0].name == "Idioma" and yours.fields[0].value.startswith("español: el tuyo")
    fixed_at = datetime(2026, 1, 5, 9, 30, tzinfo=UTC)
    await ask(core, "/use language:es", **where(), now=fixed_at)
    why = await ask(core, "/use", **where(user="reader", locale="en"))
    # When, in the reader's words (not "2026-01-05 09:30 UTC") and, for the platforms, as an instant to show in each one's clock.
    assert str(why.fields[0].value) == "español: fijado para este canal por admin, 5 de enero de 2026, 09:30 UTC; prevalece sobre el idioma de cada lector."
    assert why.fields[0].moment == fixed_at


async def test_a_language_alone_keeps_the_briefing_and_a_briefing_alone_keeps_the_language(core, store):
    await ask(core, f"/use briefing:{OTHER_ID}", **where())
    await ask(core, "/use language:es", **where())
    [choice] = await store.choices.chosen("discord", "G1", "C1")
    assert (choice.briefing_id, choice.language) == (OTHER_ID, "es")
    await ask(core, f"/use briefing:{BRIEFING_ID}", **where())
    [choice] = await store.choices.chosen("discord", "G1", "C1")
    assert (choice.briefing_id, choice.language) == (BRIEFING_ID, "es")
    await ask(core, "/use language:en", **where())
    [choice] = await store.choices.chosen("discord", "G1", "C1")
    assert (choice.briefing_id, choice.language) == (BRIEFING_ID, "en")


async def test_a_language_only_choice_leaves_the_space_s_briefing_answering(core):
    await ask(core, f"/use briefing:{OTHER_ID} for:space", **where())
    await ask(core, "/use language:es", **where())
    why = await ask(core, "/use", **where(user="reader"))
    assert why.title.endswith(f"({OTHER_ID})") and why.text.startswith(ES["use.why_space"])


@pytest.mark.parametrize("variant", ["es", "ES", "es-ES", "es-419", "es_CO", "es-LA", "es-mx"])
async def test_spanish_variants_are_accepted_as_spanish(core, store, variant):
    assert (await ask(core, f"/use language:{variant}", **where())).kind == "answer"
    [choice] = await store.choices.chosen("discord", "G1", "C1")
    assert choice.language == "es"


@pytest.mark.parametrize("value", ["fr", "spanish", "pt-BR", "xx"])
async def test_an_unknown_language_is_refused_naming_the_choices_and_nothing_changes(core, store, value):
    reply = await ask(core, f"/use language:{value}", **where())
    assert reply.kind == "error" and f"“{value}”" in reply.text and "en, es" in reply.text
    assert await store.choices.chosen("discord", "G1", "C1") == []


async def test_a_non_admin_cannot_fix_a_language_and_nothing_changes(core, store):
    reply = await ask(core, "/use language:es", **where(user="mallory"))
    assert reply.kind == "error" and "admins only" in reply.text and "use language:" in reply.text
    assert await store.choices.chosen("discord", "G1", "C1") == []
    assert (await ask(core, "/use", **where(user="mallory"))).fields[0].value.startswith("English: your own")


async def test_a_space_wide_language_is_refused_since_the_reader_s_own_beats_a_space_s(core, store):
    reply = await ask(core, "/use language:es for:space", **where())
    assert reply.kind == "error" and "for:channel" in reply.text
    assert await store.choices.chosen("discord", "G1", "") == []


async def test_a_briefing_and_a_language_together_refused_whole_when_the_language_is_unknown(core, store):
    reply = await ask(core, f"/use briefing:{OTHER_ID} language:fr", **where())
    assert reply.kind == "error"
    assert await store.choices.chosen("discord", "G1", "C1") == []


async def test_spanish_option_name_idioma_works(core, store):
    assert (await ask(core, "/usar idioma:es-MX", **where())).kind == "answer"
    assert [c.language for c in await store.choices.chosen("discord", "G1", "C1")] == ["es"]


async def test_a_subscription_records_its_language_and_its_digest_and_alerts_are_written_in_it(core, store):
    clock = FakeClock(datetime(2026, 2, 1, 12, 0, tzinfo=UTC))
    platform = RecordingPlatform(clock)
    await ask(core, "/use language:es", **where(channel="FIXED"), now=clock.now())
    for channel, locale in (("FIXED", "en-US"), ("READER", "es-419"), ("PLAIN", "en-GB")):
        reply = await ask(core, "subscribe alerts:24h", **where(channel=channel, locale=locale), now=clock.now())
        assert reply.kind == "answer", reply.text
        assert ("Idioma", "español") in [(f.name, f.value) for f in reply.fields] or locale == "en-GB"
    languages = {s.channel_id: s.language for s in await store.digests.subscriptions()}
    assert languages == {"FIXED": "es", "READER": "es", "PLAIN": "en"}  # the channel's fixed one beats the subscriber's

    clock.set(SLOT_BOGOTA + timedelta(seconds=5))
    await runner_for(core, store, platform, clock).tick()
    clock.set(datetime(2026, 2, 2, 16, 0, 5, tzinfo=UTC))  # 24 hours before the meeting
    await runner_for(core, store, platform, clock).tick()
    posts = {(p.channel, p.key.split(":")[0]): p.reply for p in platform.posted}
    assert sorted(posts) == [(c, k) for c in ("FIXED", "PLAIN", "READER") for k in ("alert", "digest")]
    for channel in ("FIXED", "READER"):
        digest, alert = posts[(channel, "digest")], posts[(channel, "alert")]
        assert "2 de febrero de 2026" in digest.title and digest.footer and digest.footer.startswith(ES["digest.footer"][:12])
        assert alert.title.startswith("Dentro de 24 horas: Petro en Washington: la reunión con Trump en la Casa Blanca — ") and alert.footer and alert.footer.startswith(ES["alert.footer"][:12])
        spanish_only(digest)
        spanish_only(alert)
        # The content too (issue #16 §4): the pack's Spanish, said to be translated.
        assert digest.title.endswith(" · Petro en Washington: la reunión con Trump en la Casa Blanca")
        assert digest.footer.endswith(ES["content.translated"].format(language="inglés"))
    assert "2 February 2026" in posts[("PLAIN", "digest")].title
    assert posts[("PLAIN", "digest")].title.endswith("Petro in Washington: the White House meeting with Trump") and "Translated" not in (posts[("PLAIN", "digest")].footer or "")
    assert posts[("PLAIN", "alert")].title.startswith("In 24 hours: Petro in Washington: the White House meeting with Trump — ")


async def test_a_language_stored_for_a_whole_space_does_not_override_the_reader(core, store):
    """Only a channel fixes a language: a space row holding one (written by another tool) is not obeyed."""
    await store.choices.choose(Choice("discord", "G1", "", None, "operator", datetime(2026, 1, 1, tzinfo=UTC), "es"))
    assert (await ask(core, "/use", **where(user="reader"))).fields[0].value.startswith("English: your own")


async def test_a_briefing_chosen_is_named_in_the_reader_s_language_and_with_a_language_all_in_the_new_one(core):
    """`/usar informe:` named the stored English title in a Spanish sentence; with `idioma:` the answer was in two languages."""
    spanish_title = "Petro en Washington: la reunión con Trump en la Casa Blanca"
    chose = await ask(core, f"/usar informe:{BRIEFING_ID}", **where(locale="es-ES"))
    assert chose.title == ES["use.set_channel"].format(title=spanish_title, briefing=BRIEFING_ID)
    both = await ask(core, f"/use briefing:{BRIEFING_ID} language:en", **where(locale="es-ES"))
    english_title = "Petro in Washington: the White House meeting with Trump"
    assert both.title == " ".join((EN["use.set_channel"].format(title=english_title, briefing=BRIEFING_ID), EN["use.set_language"].format(language="English")))
    back = await ask(core, f"/use briefing:{BRIEFING_ID} language:es", **where(channel="C2"))
    assert back.title == " ".join((ES["use.set_channel"].format(title=spanish_title, briefing=BRIEFING_ID), ES["use.set_language"].format(language="español")))
