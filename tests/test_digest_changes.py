"""What a digest tells of the edits since a channel's last one: only real changes, in words its reader reads."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import msgspec

from bot.core.digest.preview import preview_digest, preview_subscription
from bot.core.kinds import KINDS, item_data
from bot.core.replies import Reply
from bot.core.repository import Change
from bot.core.service import BriefingCore
from bot.store import Store
from tests.conftest import BEFORE, BRIEFING_ID, ask
from tests.digest_support import FakeClock, RecordingPlatform
from tests.test_digest_runner import runner_for, subscribe

SLOT_BOGOTA = datetime(2026, 2, 2, 12, 30, tzinfo=UTC)  # 07:30 in Bogotá on 2 February
CUBA = "CubaHeadlines (Joseph Morales), “Gustavo Petro Arrives in Washington for High-Stakes Meeting with Trump: What's at Stake?”, 3 February 2026"


async def edit(core: BriefingCore, *lines: str, now: datetime = BEFORE) -> None:
    """Admin edits from the console, each of which must be accepted."""
    for line in lines:
        reply = await ask(core, line, now=now)
        assert reply.kind == "answer", (line, reply.text)


async def digest(core: BriefingCore, locale: str = "en") -> Reply:
    """The digest of a channel subscribed before the edits, as of BEFORE, in `locale`."""
    return await preview_digest(core, preview_subscription(core.settings.digest, await core.repository.briefing(BRIEFING_ID)), BEFORE, locale)


async def test_an_edit_and_its_undo_are_no_news_and_a_quiet_channel_gets_nothing(core: BriefingCore, store: Store) -> None:
    clock = FakeClock(SLOT_BOGOTA - timedelta(days=1))
    platform = RecordingPlatform(clock)
    await subscribe(core, "loud", clock.now(), "alerts:none")
    await subscribe(core, "quiet", clock.now(), "alerts:none quiet:yes")
    await edit(core, 'set kind:meeting venue:"Oval Office"', "undo", "set kind:person id:pedro-sanchez delegation:no", "undo", now=clock.now())
    runner = runner_for(core, store, platform, clock)
    clock.set(SLOT_BOGOTA)
    await runner.tick()
    assert [(post.channel, post.reply.text.split(".")[0]) for post in platform.posted] == [("loud", "Nothing new since this channel subscribed")]
    await edit(core, 'set kind:meeting venue:"Oval Office"', now=clock.now())
    clock.set(SLOT_BOGOTA + timedelta(days=1))
    await runner.tick()
    # The taken-back edits were reported (as nothing) once: the next digest starts after them, a quiet day's too.
    assert sorted((post.channel, post.reply.text) for post in platform.posted[1:]) == [  # the two channels' order is the runner's
        ("loud", "1 change since the last digest:"), ("quiet", "1 change since this channel subscribed:"),  # it was sent none
    ]


async def test_the_count_and_the_list_leave_out_an_item_whose_edits_were_taken_back(core: BriefingCore) -> None:
    await edit(core, "set kind:person id:pedro-sanchez delegation:no source:https://example.org/kept",
               'set kind:meeting venue:"Oval Office" source:https://example.org/taken-back', 'set kind:meeting venue:"The White House, Washington"', 'set kind:agenda id:white-house date:2026-02-04', "undo", "redo")
    told = await digest(core)
    assert told.text == "4 changes since this channel subscribed:"  # the redone date (3 revisions) and the delegation
    assert [(item.title, item.text, item.meta) for item in told.items] == [
        ("Agenda: Private meeting with Donald Trump", "Date: now 4 February 2026; it was 3 February 2026.", "3 edits"),
        ("Person: Pedro Sánchez", "Delegation: now no; it was yes.", ""),
    ]
    assert [source.label for source in told.sources] == [CUBA, "https://example.org/kept"]  # what the taken-back edit cited is not shown


async def test_a_translation_is_neither_told_nor_counted(core: BriefingCore) -> None:
    # A Spanish title beside an English format edit read "2 edits" over the format alone, and a translation that was an
    # item's only change was not counted: a digest does not tell a translation, so it counts none.
    await edit(core, 'set kind:meeting lang:es title:"Reunión en la Casa Blanca"', 'set kind:meeting format:"Closed-door, no press"',
               'set kind:faq id:significance lang:es answer:"Otra respuesta."', 'set kind:briefing lang:es title:"Petro en Washington"')
    for locale, count, field in (("en", "1 change since this channel subscribed:", "Format"), ("es", "1 cambio desde", "Formato")):
        told = await digest(core, locale)
        assert told.text.startswith(count), told.text
        assert [(item.text.split(":")[0], item.meta) for item in told.items] == [(field, "")], told.items  # the format alone


async def test_an_edit_logged_before_no_op_edits_were_refused_is_no_news(core: BriefingCore, repository) -> None:
    """Stores written by earlier versions hold edits that only turned an outcome's "" into no outcome."""
    def cleared(briefing):
        session = briefing.sessions[0]
        before = item_data(KINDS["session"], session)
        after = {key: value for key, value in before.items() if key != "outcome"}
        assert before["outcome"] == "" and after != before
        return Change(briefing=briefing, kind="session", item_id=session.id, action="edit", before=before, after=after, item=session,
                      actor="local", platform="console", at=BEFORE)

    await repository.apply(BRIEFING_ID, cleared)
    assert (await digest(core)).text.startswith("Nothing new since this channel subscribed.")


async def test_changed_values_read_as_history_shows_them_not_as_stored(core: BriefingCore) -> None:
    await edit(core, "set kind:person id:pedro-sanchez delegation:no", "set kind:timeline id:visa-revoked people:gustavo-petro tags:",
               'set kind:faq id:main-topics evidence:"y"')
    texts = {item.title: item.text for item in (await digest(core)).items}
    assert texts == {
        "FAQ: What are the main topics of discussion expected in the…": "Passages from the sources: rewritten.",
        "Timeline: Trump revokes Petro's visa": "Topics: cleared. People: now “Gustavo Petro”; it was “Donald Trump, Gustavo Petro”.",
        "Person: Pedro Sánchez": "Delegation: now no; it was yes.",
    }


async def test_a_spanish_digest_names_items_and_fields_in_spanish_and_marks_what_is_untranslated(core: BriefingCore) -> None:
    await edit(core, 'set kind:person id:gustavo-petro role:"Former President"', "set kind:person id:pedro-sanchez delegation:no",
               "set kind:agenda id:white-house date:2026-02-04", 'set kind:faq id:main-topics question:"What next?"')
    told = await digest(core, "es")
    assert [(item.title, item.text) for item in told.items] == [
        ("Pregunta frecuente: What next? (sin traducir)", "Pregunta: se ha reescrito."),  # the Spanish question was long
        ("Agenda: Reunión privada con Donald Trump", "Fecha: ahora es 4 de febrero de 2026; antes era 3 de febrero de 2026."),
        ("Persona: Pedro Sánchez", "Delegación: ahora es no; antes era sí."),
        ("Persona: Gustavo Petro", "Cargo: ahora es «Former President» (sin traducir); antes era «Presidente de Colombia»."),
    ]
    assert told.footer.endswith("Traducido del inglés; las citas y los pasajes de la fuente conservan las palabras originales.")


async def test_an_untranslated_title_shortened_in_a_spanish_digest_keeps_its_marker(core: BriefingCore) -> None:
    """The cut took the end of the title and the "(sin traducir)" after it, which the fields beside it kept."""
    await edit(core, 'set kind:meeting title:"White House meeting on migration, anti-drug cooperation, trade and regional security"')
    [item] = (await digest(core, "es")).items
    assert item.title == "Sesión: White House meeting on migration, anti-drug cooperation… (sin traducir)"


async def test_an_item_is_named_as_readers_find_it_now_though_a_load_renamed_it_after_its_edit(store: Store) -> None:
    from bot.core.requests import Request
    from bot.store.packfile import read_pack_text
    from tests.conftest import PACK

    core = BriefingCore(store.repository, pack_reader=read_pack_text, digests=store.digests)
    await edit(core, "set kind:agenda id:white-house date:2026-02-04")
    held = 'title: Private meeting with Donald Trump\n    detail: Closed-door meeting without media presence; the visit\'s most pivotal moment.\n    date: "2026-02-03"'
    text = PACK.read_text(encoding="utf-8")
    assert held in text
    renamed = text.replace(held, held.replace("Private meeting with Donald Trump", "Meeting in the Oval Office").replace("02-03", "02-04"))
    operator = Request(command="", now=BEFORE, platform="console", operator=True)
    dry = await core.import_text(operator, renamed, "update.yaml", apply=False)
    assert (await core.import_text(operator, renamed, "update.yaml", apply=True, approval=dry.approval)).kind == "answer"
    titles = [item.title for item in (await digest(core)).items]
    assert titles == ["The whole briefing", "Agenda: Meeting in the Oval Office"]


async def test_more_edits_than_one_page_of_the_log_are_told_right(core: BriefingCore) -> None:
    """Two hundred edits since the last digest and more: the taken-back venue is no news, the place was what it was."""
    from bot.core.digest.compose import CHANGES_PAGE

    lines = ['set kind:meeting venue:"Oval Office"']
    lines += [f'set kind:agenda id:white-house place:"Room {n % 2}"' for n in range(CHANGES_PAGE + 1)]
    await edit(core, *lines, 'set kind:meeting venue:"The White House, Washington"')
    told = await digest(core)
    assert told.text == f"{CHANGES_PAGE + 1} changes since this channel subscribed:"
    assert [(item.title, item.text, item.meta) for item in told.items] == [
        ("Agenda: Private meeting with Donald Trump", "Place: now “Room 0”; it was “The White House, Washington”.", f"{CHANGES_PAGE + 1} edits"),
    ]


async def test_the_shipped_meeting_is_in_the_next_24_hours_once(core: BriefingCore) -> None:
    """The pack lists the White House meeting as its session and again as an agenda item at the same start and venue
    ("Private meeting with Donald Trump"): the evening before, "Next 24 hours" named it twice, as the calendar does not."""
    from msgspec.structs import replace

    await edit(core, "set kind:person id:pedro-sanchez delegation:no")  # news: a digest with its fields
    evening = replace(preview_subscription(core.settings.digest, await core.repository.briefing(BRIEFING_ID)), time=time(18, 0))
    the_day_before = datetime(2026, 2, 2, 22, 0, tzinfo=UTC)  # 17:00 in Washington: its 18:00 slot ahead, 17 hours before

    async def next_24_hours(locale: str) -> list[str]:
        told = await preview_digest(core, evening, the_day_before, locale)
        return next(field.value for field in told.fields if field.name in ("Next 24 hours", "Próximas 24 horas")).splitlines()

    assert await next_24_hours("en") == [
        "• Petro in Washington: the White House meeting with Trump — Tue 3 February 2026, 11:00 EST (New York) · The White House, Washington",
        "• Rally in Bogotá's Plaza de Bolívar — 3 February 2026 · time not announced · Plaza de Bolívar, Bogotá",
    ]
    # Told apart in the pack's words, as the calendar tells them: a Spanish place of its own does not make it another engagement.
    await edit(core, 'set kind:agenda id:white-house lang:es place:"Casa Blanca"')
    assert [line.split(" — ")[0] for line in await next_24_hours("es")] == [
        "• Petro en Washington: la reunión con Trump en la Casa Blanca", "• Concentración en la plaza de Bolívar de Bogotá",
    ]
    # An engagement at another start is another engagement, listed as one.
    await edit(core, "set kind:agenda id:white-house time:12:00")
    assert "• Private meeting with Donald Trump — 3 February 2026 · 12:00 Washington time · The White House, Washington" in await next_24_hours("en")


async def test_an_engagement_over_a_range_of_days_is_in_the_next_24_hours_when_one_of_its_days_is(core: BriefingCore) -> None:
    def next_day(reply: Reply) -> str:
        return next(field.value for field in reply.fields if field.name == "Next 24 hours")

    await edit(core, "set kind:agenda id:white-house date:2026-01-31/2026-02-02 time:")  # BEFORE is noon on 1 February
    assert "• Private meeting with Donald Trump — " in next_day(await digest(core))
    await edit(core, "set kind:agenda id:white-house date:2026-02-03/2026-02-04")
    assert "Private meeting with Donald Trump" not in next_day(await digest(core))
    for months_or_years in ("2026-01/2026-03", "2025/2027"):  # a range of months or years says too little, as one does
        await edit(core, f"set kind:agenda id:white-house date:{months_or_years}")
        assert "Private meeting with Donald Trump" not in next_day(await digest(core)), months_or_years


async def test_a_value_that_ends_its_own_sentence_gets_no_second_full_stop(core: BriefingCore) -> None:
    await edit(core, 'set kind:agenda id:mcnamara-meeting place:"To be confirmed."')
    texts = {item.title: item.text for item in (await digest(core)).items}
    assert texts["Agenda: Meeting with U.S. diplomat John McNamara"] == "Place: now “To be confirmed.”"  # it read “To be confirmed.”.


async def test_a_digest_cites_the_sources_of_what_it_shows_though_the_edit_cited_none(core: BriefingCore, store: Store) -> None:
    """A channel's digest named almost none of its sources: only what the edits cited, and a quiet day's nothing."""
    clock = FakeClock(SLOT_BOGOTA - timedelta(days=1))
    platform = RecordingPlatform(clock)
    await subscribe(core, "loud", clock.now(), "alerts:none")
    runner = runner_for(core, store, platform, clock)
    clock.set(SLOT_BOGOTA)
    await runner.tick()
    await edit(core, 'set kind:session id:meeting venue:"Oval Office"', now=clock.now())
    clock.set(SLOT_BOGOTA + timedelta(days=1))
    await runner.tick()
    quiet, edited = (post.reply for post in platform.posted)
    assert quiet.text.startswith("Nothing new since this channel subscribed.") and edited.text == "1 change since the last digest:"
    assert [source.label for source in quiet.sources] == [source.label for source in edited.sources] == [CUBA]
    await edit(core, 'set kind:session id:meeting venue:"The Oval Office" source:https://example.com/a_b')
    assert [source.label for source in (await digest(core)).sources] == [CUBA, "https://example.com/a_b"]


async def test_the_next_day_s_engagements_the_latest_events_and_the_changed_items_cite_their_own_sources_each_once(
    core: BriefingCore, repository
) -> None:
    from msgspec.structs import replace

    from bot.core.model import Source

    briefing = await repository.briefing()
    added = tuple(Source(id, f"The {id}", "Report") for id in ("wire", "agency", "desk"))
    cited = {"plaza-bolivar-rally": ("agency",), "historic-pact-call": ("wire",), "arrival-washington": ("wire", "cubaheadlines-2026-02-03")}
    await repository.save(replace(
        briefing, sources=(*briefing.sources, *added),
        agenda=tuple(replace(item, sources=cited.get(item.id, item.sources)) for item in briefing.agenda),
        timeline=tuple(replace(event, sources=cited.get(event.id, event.sources)) for event in briefing.timeline),
    ))
    # Changed items citing what nothing else in the digest does: a person who now cites the desk too, and a source added.
    await edit(core, "set kind:person id:pedro-sanchez sources:cubaheadlines-2026-02-03,desk", "add kind:source id:extra publisher:Extra title:Note")
    now = datetime(2026, 2, 2, 12, 30, tzinfo=UTC)  # the rally is in the next 24 hours; the arrival and the pact's call the latest
    told = await preview_digest(core, preview_subscription(core.settings.digest, await core.repository.briefing(BRIEFING_ID)), now, "en")
    assert "• Rally in Bogotá's Plaza de Bolívar" in next(field.value for field in told.fields if field.name == "Next 24 hours")
    assert [source.label for source in told.sources] == [  # in the pack's order, as answers list them
        CUBA, "The wire, “Report”", "The agency, “Report”", "The desk, “Report”", "Extra, “Note”",
    ]


async def test_the_other_sessions_a_digest_names_cite_their_own_sources(core: BriefingCore, store: Store) -> None:
    """A session told in the lead sentences, and one known only by its day on that day, are shown beside the one counted down."""
    from msgspec.structs import replace

    from bot.core.dates import FuzzyDate
    from bot.core.model import Source
    from bot.store.packfile import read_pack
    from tests.test_session_alerts import SUMMIT

    summit = read_pack(SUMMIT)
    cited = {"opening": ("fictional-wire", "desk"), "closing-vote": ("fictional-wire", "day")}
    sessions = tuple(replace(s, sources=cited.get(s.id, s.sources)) for s in summit.sessions)
    closing = replace(sessions[2], date=FuzzyDate.parse("2026-04-02"))  # the closing vote on the ministers' day
    await store.repository.save(replace(summit, sources=(*summit.sources, *(Source(id, f"The {id}", "Report") for id in ("desk", "day"))),
                                        sessions=(*sessions[:2], closing)))
    line = "set briefing:fictional-summit kind:session id:opening status:concluded"
    assert (await ask(core, line, now=BEFORE, platform="cli", user_id="operator")).kind == "answer"
    subscription = preview_subscription(core.settings.digest, await core.repository.briefing("fictional-summit"))
    wire = "Fictional Test Wire, “Invented report on the Lakeside Water Summit (fictional, for tests)”, 1 March 2026"
    day = datetime(2026, 4, 2, 8, tzinfo=UTC)
    told = await preview_digest(core, subscription, day, "en")
    assert [source.label for source in told.sources] == [wire, "The desk, “Report”", "The day, “Report”"]
    quiet = await preview_digest(core, msgspec.structs.replace(subscription, seen_revision=10**9, digested=True), day, "en")
    assert "“Closing vote”" in quiet.text and [source.label for source in quiet.sources] == [wire, "The day, “Report”"]
