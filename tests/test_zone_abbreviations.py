"""A clock abbreviation given as a briefing's zone (EST, which the tz database has as Panama's clock, UTC−5 all year, and
New York's is not from March) is refused where a zone is given — a pack's validate, load and import, `briefing new zone:`,
`set … zone:` — naming the places it may mean, as `subscribe tz:` refuses it. A store that holds one an earlier release
took keeps answering, its other fields stay editable and an undo puts it back; a start seeds such a pack, warning of it."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.adapters.console import render_text
from bot.core.catalogue import Catalogue
from bot.core.pack import problem_lines
from bot.core.requests import Request
from bot.core.service import BriefingCore
from bot.errors import PackError
from bot.store import Store, open_store
from bot.store.packfile import read_pack_text
from tests.cli_support import briefbot
from tests.conftest import BRIEFING_ID, PACK
from tests.test_admin import OPERATOR, POLICY, run

SHIPPED = PACK.read_text(encoding="utf-8")
# Bogotá keeps UTC−5 all year, as EST does: an author may well have written EST for it. Its one agenda item has it too.
HOME_EST = SHIPPED.replace("America/Bogota", "EST")
VENUE_EST = SHIPPED.replace("America/New_York", "EST")
EN_REFUSAL = "“EST” is an abbreviation, not a place, and a briefing keeps a place's clock, summer time included; use the zone of the place you mean, such as America/New_York"
ES_REFUSAL = "«EST» es una abreviatura, no un lugar, y el informe sigue la hora de un lugar, con su horario de verano; usa la zona del lugar al que te refieres, como America/New_York"
SPANISH = Request(command="", now=OPERATOR.now, platform="cli", user_id="operator", locale="es", operator=True)


def problems(text: str, locale: str = "en") -> list[str]:
    """The lines a pack's problems are said in, in `locale`."""
    with pytest.raises(PackError) as caught:
        read_pack_text(text, "x.yaml")
    return problem_lines(caught.value, Catalogue(locale))


@pytest.mark.parametrize(("locale", "refusal"), [("en", EN_REFUSAL), ("es", ES_REFUSAL)])
def test_a_pack_giving_a_zone_as_an_abbreviation_is_refused_naming_the_places_it_may_mean(locale: str, refusal: str) -> None:
    assert problems(VENUE_EST, locale) == [f"x.yaml: briefing.zones.venue.zone: {refusal}", f"x.yaml: meeting.zone: {refusal}"]
    # In any case, and where the tz database has no such zone at all; UTC and GMT are clocks meant as themselves.
    assert problems(SHIPPED.replace("America/New_York", "est"))[0].endswith("“est” is an abbreviation, not a place, and a briefing"
                                                                             " keeps a place's clock, summer time included; use the zone of"
                                                                             " the place you mean, such as America/New_York")
    assert problems(SHIPPED.replace("America/Bogota", "CET"))[0].endswith("such as Europe/Berlin, Europe/Paris")
    assert "such as America/Los_Angeles" in problems(SHIPPED.replace("America/Bogota", "PST"))[0]
    for clock in ("UTC", "GMT"):
        assert read_pack_text(SHIPPED.replace("America/Bogota", clock), "x.yaml").zones[1].zone == clock


@pytest.fixture
async def held(store_target: str | Path, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> AsyncIterator[Store]:
    """A store first started (seeded) from a packs folder whose pack gives its home zone, and an agenda item's, as EST:
    as a bot upgraded over a pack an earlier release took starts."""
    packs = tmp_path / "packs"
    packs.mkdir()
    (packs / PACK.name).write_text(HOME_EST, encoding="utf-8")
    caplog.set_level(logging.WARNING, logger="bot.store.packfile")
    async with open_store(store_target) as store:
        assert await store.seed(packs) == [BRIEFING_ID]
        yield store


async def test_a_start_seeds_a_pack_with_an_abbreviated_zone_and_warns_of_each(held: Store, caplog: pytest.LogCaptureFixture) -> None:
    warned = [record.getMessage() for record in caplog.get_records("setup") if record.name == "bot.store.packfile"]
    assert len(warned) == 2, warned
    assert warned[0].endswith(f"briefing.zones.home.zone: {EN_REFUSAL} (taken as before, one clock all year, so that the bot starts;"
                              " briefbot validate, load and import refuse it)")
    assert "agenda[" in warned[1] and "(id plaza-bolivar-rally).zone: " in warned[1]
    briefing = await held.repository.briefing()
    assert [zone.zone for zone in briefing.zones] == ["America/New_York", "EST"]


async def test_a_store_holding_an_abbreviated_zone_keeps_answering_and_editing_its_other_fields(held: Store) -> None:
    core = BriefingCore(held.repository, policy=POLICY, pack_reader=read_pack_text)
    meeting = await core.dispatch_line("/meeting", OPERATOR)
    assert meeting.kind == "answer" and "(Bogotá)" in render_text(meeting), render_text(meeting)
    # The venue's label (its zone's sibling), an item holding EST: each edit checks what it sets, not what the store held.
    for line in ('set kind:briefing label:"Washington, D.C."', 'set kind:agenda id:plaza-bolivar-rally title:"Rally in Bogotá"'):
        reply = await run(core, line)
        assert reply.kind == "answer", render_text(reply)
    assert (await run(core, "undo")).kind == "answer"  # the item as the store held it, EST and all
    rally = next(item for item in (await held.repository.briefing()).agenda if item.id == "plaza-bolivar-rally")
    assert (rally.title, rally.zone) == ("Rally in Bogotá's Plaza de Bolívar", "EST")
    assert (await run(core, "set kind:agenda id:plaza-bolivar-rally zone:America/Bogota")).kind == "answer"


@pytest.mark.parametrize(("line", "field"), [
    ("set kind:briefing zone:EST", "zone"),
    ("set kind:briefing zone:EST label:Panama", "zone"),
    ("set kind:meeting zone:EST", "zone"),
    ("set kind:agenda id:plaza-bolivar-rally zone:EST", "zone"),
    ("add kind:agenda id:late title:Late detail:Late. date:2026-02-04 zone:EST sources:cubaheadlines-2026-02-03"
     " evidence:'Petro has crafted a diverse agenda in Washington.'", "zone"),
])
async def test_a_zone_set_or_added_as_an_abbreviation_is_refused_in_either_language(held: Store, line: str, field: str) -> None:
    core = BriefingCore(held.repository, policy=POLICY, pack_reader=read_pack_text)
    before, revisions = await held.repository.briefing(), await held.repository.revisions(BRIEFING_ID, limit=1)
    for who, refusal, word in ((OPERATOR, EN_REFUSAL, field), (SPANISH, ES_REFUSAL, "zona")):
        reply = await run(core, line, who)
        assert reply.kind == "error" and f"{word}: {refusal}" in reply.text and dict(reply.field_errors)[field] == refusal, reply.text
    assert await held.repository.briefing() == before and await held.repository.revisions(BRIEFING_ID, limit=1) == revisions


@pytest.mark.parametrize(("who", "refusal"), [(OPERATOR, EN_REFUSAL), (SPANISH, ES_REFUSAL)])
async def test_briefing_new_and_an_import_refuse_an_abbreviated_zone(held: Store, who: Request, refusal: str) -> None:
    core = BriefingCore(held.repository, policy=POLICY, pack_reader=read_pack_text)
    made = await run(core, "/briefing new id:nyc-summit title:Summit zone:EST", who)
    assert made.kind == "error" and dict(made.field_errors) == {"zone": refusal}, made.text
    assert made.text.endswith(f"zona: {refusal}" if who is SPANISH else f"zone: {refusal}")
    imported = await core.import_text(who, VENUE_EST, "x.yaml", apply=False)
    assert imported.kind == "error" and f"x.yaml: briefing.zones.venue.zone: {refusal}" in imported.text, imported.text
    assert [summary.id for summary in await held.repository.briefings()] == [BRIEFING_ID]
    assert (await held.repository.briefing()).zones[0].zone == "America/New_York"


def test_validate_and_load_refuse_an_abbreviated_zone_and_the_store_keeps_answering(tmp_path: Path) -> None:
    packs, db = tmp_path / "packs", tmp_path / "b.sqlite3"
    packs.mkdir()
    pack = packs / PACK.name
    pack.write_text(VENUE_EST, encoding="utf-8")
    config = tmp_path / "briefbot.yaml"
    config.write_text(f"store: {{packs: {packs}}}\nlog_level: WARNING\n", encoding="utf-8")
    started = briefbot("--config", config, "--db", db, "ask", "/meeting", "--now", "2026-02-01T12:00:00Z")  # seeds the empty store
    assert started.returncode == 0 and "The White House" in started.stdout, started.stderr
    assert f"{pack}: briefing.zones.venue.zone: {EN_REFUSAL} (taken as before" in started.stderr
    for locale, refusal in (("en", EN_REFUSAL), ("es", ES_REFUSAL)):
        checked = briefbot("--config", config, "--locale", locale, "validate", pack)
        assert checked.returncode == 1 and checked.stderr.splitlines()[0] == f"{pack}: briefing.zones.venue.zone: {refusal}", checked.stderr
    pack.write_text(VENUE_EST.replace("Petro in Washington: the White House meeting", "Changed"), encoding="utf-8")
    loaded = briefbot("--config", config, "--db", db, "load", pack)
    assert loaded.returncode == 1 and f"{pack}: meeting.zone: {EN_REFUSAL}" in loaded.stderr, loaded.stderr
    kept = briefbot("--config", config, "--db", db, "ask", "/brief", "--now", "2026-02-01T12:00:00Z")
    assert kept.returncode == 0 and "Petro in Washington: the White House meeting" in kept.stdout and not kept.stderr, kept.stderr
    made = briefbot("--config", config, "new", "nyc-summit", "--title", "Summit", "--zone", "EST", "-o", tmp_path / "new.yaml")
    assert made.returncode == 1 and made.stderr.startswith(f"briefbot: --zone: {EN_REFUSAL}") and not (tmp_path / "new.yaml").exists(), made.stderr


async def test_a_subscription_without_tz_to_a_briefing_on_est_keeps_new_york_s_clock_and_says_so(core: BriefingCore, store: Store) -> None:
    """A briefing an earlier release took on EST (Panama's clock, UTC−5 all year) gave a new subscription without tz:
    that clock: from March its 07:30 digest came at 08:30 in New York. It gets the place EST is refused for,
    America/New_York, summer time included, and the answer says whose clock it keeps and how to choose another."""
    from msgspec.structs import replace

    from bot.core.digest.preview import preview_subscription
    from bot.core.model import Zone
    from tests.conftest import ask

    briefing = await store.repository.briefing()
    await store.repository.save(replace(briefing, zones=(Zone("EST", "Washington"), *briefing.zones[1:])))
    summer = OPERATOR.now.replace(month=7)
    english = await ask(core, "subscribe platform:discord channel:c1 alerts:none", now=summer)
    assert english.title == "This channel gets the digest daily at 07:30 (New York)", english.title
    assert english.text == ("The briefing gives its zone as “EST”, an abbreviation, not a place, so this digest keeps the clock of New York"
                            " (America/New_York), summer time included; run /subscribe with tz: to choose another.")
    assert "07:30 EDT" in render_text(english)  # the first digest on New York's summer clock, not 07:30 EST (08:30 there)
    spanish = await ask(core, "subscribe platform:discord channel:c2 alerts:none", now=summer, locale="es")
    assert spanish.text == ("El informe da su zona como «EST», una abreviatura, no un lugar, así que este boletín sigue la hora de Nueva York"
                            " (America/New_York), con su horario de verano; ejecuta /suscribir con zona: para elegir otra.")
    assert [s.zone for s in await store.digests.subscriptions()] == ["America/New_York", "America/New_York"]
    # A zone given is the one kept, said as ever; so is the zone of a briefing on a place's clock.
    chosen = await ask(core, "subscribe platform:discord channel:c3 alerts:none tz:America/Chicago", now=summer)
    assert (chosen.title, chosen.text) == ("This channel gets the digest daily at 07:30 (Chicago)", "")
    assert preview_subscription(core.settings.digest, await store.repository.briefing()).zone == "America/New_York"
    await store.repository.save(briefing)
    assert (await ask(core, "subscribe platform:discord channel:c4 alerts:none", now=summer)).text == ""
