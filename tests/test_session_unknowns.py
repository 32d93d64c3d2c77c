"""What the sources leave out of a session, and how sure they are of its time: a pack need invent nothing.

A session's parties, venue and format may be left out (an author once had to invent "Summit organisers (not named by
the source)", which then titled every alert), and its `note` carries the sources' hedge ("moved from 5 March", "expected
to start around 15:00"). Every answer that shows a session says what is not announced, in the reader's language:
`/meeting`, `/brief`, the other sessions, `/briefings`, digests and alerts, the calendar, search, `why`, exports and
admin edits; the fictional three-session pack under tests/packs/, changed so.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any

import icalendar
import pytest
import yaml

from bot.core.digest.ledger import NewSubscription
from bot.core.digest.preview import preview_digest, preview_subscription
from bot.core.digest.runner import DigestRunner
from bot.core.digest.sending import Pace
from bot.core.kinds import KINDS, decode
from bot.core.pack import pack_mapping, parse_pack
from bot.core.replies import Reply
from bot.core.requests import Request
from bot.core.service import BriefingCore, PackFile
from bot.errors import PackError
from bot.store import Store
from bot.store.packfile import dump_pack, read_pack, read_pack_text
from tests.conftest import ask
from tests.digest_support import FakeClock, RecordingPlatform

SUMMIT = Path(__file__).parent / "packs" / "fictional-summit.yaml"
SHIPPED = Path(__file__).parent.parent / "data" / "petro-trump-2026.yaml"
SUMMIT_ID = "fictional-summit"
NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
MOVED = "Moved from 5 March, according to the Fictional Test Wire"
MOVED_ES = "Trasladada desde el 5 de marzo, según Fictional Test Wire"
AROUND = "Expected to start around 15:00 Lakeside time"
OPERATOR = {"platform": "cli", "operator": True, "user_id": "operator"}


def without(session: dict[str, Any], *keys: str) -> None:
    """A session's data with these fields left out, and their translations (a translation needs its original)."""
    for key in keys:
        del session[key]
        for translated in session.get("translations", {}).values():
            translated.pop(key, None)


def unknown_summit() -> dict[str, Any]:
    """The summit as its sources might give it: the opening's principals, venue and format unknown and its date moved,
    the ministers' session on a day whose time is only expected."""
    data = pack_mapping(read_pack(SUMMIT))
    opening, ministers, _ = data["sessions"]
    without(opening, "parties", "venue", "format")
    opening.update(note=MOVED, translations={"es": {"note": MOVED_ES}})
    del ministers["start"]
    ministers.update(date="2026-04-02", note=AROUND)
    return data


@pytest.fixture
async def summit(store: Store) -> Store:
    """The seeded store with the summit as `unknown_summit` gives it."""
    await store.repository.save(parse_pack(unknown_summit(), "fictional-summit.yaml"))
    return store


def fields(reply: Reply) -> dict[str, str]:
    assert reply.kind == "answer", reply.text
    return {field.name: field.value for field in reply.fields}


def test_a_session_may_leave_out_its_parties_venue_and_format_in_either_form() -> None:
    briefing = parse_pack(unknown_summit(), "fictional-summit.yaml")
    opening = briefing.sessions[0]
    assert (opening.parties, opening.venue, opening.format, opening.note) == ((), "", "", MOVED)
    # The older one-`meeting:` form too, as the shipped pack is written (its stakes name its parties).
    older = yaml.safe_load(SHIPPED.read_text(encoding="utf-8"))
    without(older["meeting"], "parties", "venue", "format", "stakes")
    older["meeting"]["stakes"] = []
    meeting = parse_pack(older, SHIPPED.name).sessions[0]
    assert (meeting.id, meeting.parties, meeting.venue, meeting.format) == ("meeting", (), "", "")
    # Written empty, the problem says to leave it out (an empty venue would read as a venue).
    empty = unknown_summit()
    empty["sessions"][1]["venue"] = ""
    with pytest.raises(PackError) as caught:
        parse_pack(empty, "x.yaml")
    assert [(p.path, p.key) for p in caught.value.problems] == [("sessions[1].venue", "pack.empty_optional")]


def test_an_export_of_such_a_session_loads_back_to_the_same_bytes() -> None:
    briefing = parse_pack(unknown_summit(), "fictional-summit.yaml")
    for name in ("x.yaml", "x.json"):
        once = dump_pack(briefing, as_json=name.endswith(".json"))
        loaded = read_pack_text(once, name)
        assert dump_pack(loaded, as_json=name.endswith(".json")) == once
        assert {"venue", "format"}.isdisjoint(pack_mapping(loaded)["sessions"][0])  # left out, as the pack left them


def test_stored_rows_from_before_and_after_read_back() -> None:
    """Items are stored as their pack data (JSON): a row written before `note` existed, and one without a venue."""
    session = KINDS["session"]
    before = {"id": "meeting", "title": "T", "parties": ["p"], "start": "2026-02-03T11:00", "zone": "America/New_York",
              "venue": "The White House", "format": "Private", "aims": [], "topics": [], "stakes": [], "status": "scheduled",
              "outcome": "", "sources": ["s"], "evidence": [{"source": "s", "passage": "x"}]}
    old = decode(session, before)
    assert (old.venue, old.format, old.parties, old.note) == ("The White House", "Private", ("p",), "")
    now = decode(session, {k: v for k, v in before.items() if k not in ("venue", "format", "parties")})
    assert (now.venue, now.format, now.parties) == ("", "", ())


async def test_meeting_and_brief_say_what_is_not_announced_and_show_the_note_beside_the_time(core: BriefingCore, summit: Store) -> None:
    meeting = fields(await ask(core, f"/meeting briefing:{SUMMIT_ID}", now=NOW))
    assert (meeting["Where"], meeting["Format"], meeting["Parties"]) == ("Not announced",) * 3
    assert meeting["When"].split("\n")[0] == "Fri 6 March 2026, 10:00 CET (Lakeside)"
    assert meeting["When"].endswith(f"\nNote: {MOVED}")
    assert meeting["Other sessions"].startswith("• Ministers' session — 2 April 2026 · Scheduled (session:ministers)")
    spanish = fields(await ask(core, f"/meeting briefing:{SUMMIT_ID}", now=NOW, locale="es"))
    assert (spanish["Dónde"], spanish["Formato"], spanish["Partes"]) == ("Sin anunciar",) * 3
    assert spanish["Cuándo"].endswith(f"\nNota: {MOVED_ES}")  # the pack's translation
    brief = fields(await ask(core, f"/brief briefing:{SUMMIT_ID}", now=NOW))
    assert brief["Where"] == "Not announced" and brief["When"].endswith(f"\nNote: {MOVED}")
    assert brief["Who"] == "Parties not announced; 1 named member of the delegation"
    assert fields(await ask(core, f"/brief briefing:{SUMMIT_ID}", now=NOW, locale="es"))["Quiénes"].startswith("Partes sin anunciar; 1 ")
    # An approximate time is a day and a note, never a made-up start; a reader of another language sees it marked.
    ministers = fields(await ask(core, f"/meeting briefing:{SUMMIT_ID} session:ministers", now=NOW))
    assert ministers["When"] == f"2 April 2026\nNote: {AROUND}" and ministers["Parties"] == "Mara Velde & Tomas Ricard"
    assert ministers["Other sessions"].startswith("• Opening session — Fri 6 March 2026, 10:00 CET (Lakeside) · Scheduled")
    marked = fields(await ask(core, f"/meeting briefing:{SUMMIT_ID} session:ministers", now=NOW, locale="es"))
    assert marked["Cuándo"] == f"2 de abril de 2026\nNota: {AROUND} (sin traducir)"


async def test_a_briefing_of_one_such_session_is_headed_by_its_title(core: BriefingCore, store: Store) -> None:
    """An old pack's one meeting is headed by its parties (its title is the briefing's): with none named, by its title."""
    data = pack_mapping(read_pack(SHIPPED))
    without(data["sessions"][0], "parties", "stakes")
    data["sessions"][0]["stakes"] = []
    data["briefing"]["id"] = "no-parties"
    await store.repository.save(parse_pack(data, "x.yaml"))
    reply = await ask(core, "/meeting briefing:no-parties", now=NOW)
    assert reply.title == f"Meeting: {data['briefing']['title']}" and fields(reply)["Parties"] == "Not announced"


async def test_briefings_search_and_why_show_such_a_session(core: BriefingCore, summit: Store) -> None:
    listed = await ask(core, "/briefings", now=NOW)
    assert listed.kind == "answer" and any(
        item.title.startswith("Fictional Lakeside") and "next session: Fri 6 March 2026, 10:00 CET (Lakeside)" in item.text for item in listed.items
    ), listed.items
    found = await ask(core, f"/search briefing:{SUMMIT_ID} moved", now=NOW)
    assert [(item.title, item.text) for item in found.items] == [("Opening session", f"Note: {MOVED}")]
    # Found by its title, a session is shown by its first field that holds something: never an empty "Where: ".
    titled = await ask(core, f"/search briefing:{SUMMIT_ID} opening", now=NOW)
    assert [item.text for item in titled.items if item.title == "Opening session"] == [f"Note: {MOVED}"]
    lakeside = await ask(core, f"/search briefing:{SUMMIT_ID} harbour", now=NOW)
    assert "Opening session" not in [item.title for item in lakeside.items]  # no venue given, none found
    why = await ask(core, f"/why briefing:{SUMMIT_ID} session/opening", now=NOW)
    assert why.kind == "answer" and why.title == "Why: Opening session" and "10:00 Lakeside time" in why.items[0].text


async def test_an_alert_names_a_session_without_parties_by_its_title_alone(core: BriefingCore, summit: Store) -> None:
    clock = FakeClock(NOW)
    platform = RecordingPlatform(clock)
    for channel, language in (("en", "en"), ("es", "es")):
        await summit.digests.subscribe(NewSubscription(
            platform="discord", channel_id=channel, team_id="T1", briefing_id=SUMMIT_ID, time=time(23, 59), zone="UTC",
            quiet=False, alerts=("24h", "status"), created_by="operator", now=NOW, seen_revision=0, language=language))
    runner = DigestRunner(core, summit.digests, platform, clock, owner="a", pace=Pace(clock, None))
    clock.set(datetime(2026, 3, 5, 9, 0, 30, tzinfo=UTC))  # a day before the opening (10:00 in Lakeside)
    assert (await runner.tick()).sent == 2
    postponed = await ask(core, f"set briefing:{SUMMIT_ID} kind:session id:opening status:postponed", now=clock.now(), **OPERATOR)
    assert postponed.kind == "answer", postponed.text
    clock.set(clock.now() + timedelta(minutes=1))
    assert (await runner.tick()).sent == 2
    english = [post.reply for post in platform.posted if post.channel == "en"]
    assert [reply.title for reply in english] == ["In 24 hours: Opening session", "Status changed to Postponed (was Scheduled): Opening session"]
    assert fields(english[0])["Where"] == "Not announced" and fields(english[0])["When"].endswith(f"\nNote: {MOVED}")
    spanish = [post.reply for post in platform.posted if post.channel == "es"]
    assert [reply.title for reply in spanish] == [
        "Dentro de 24 horas: Opening session (sin traducir)", "El estado ahora es Aplazada (antes era Programada): Opening session (sin traducir)",
    ]
    assert fields(spanish[0])["Dónde"] == "Sin anunciar" and fields(spanish[0])["Cuándo"].endswith(f"\nNota: {MOVED_ES}")


async def test_a_digest_shows_the_note_beside_the_time(core: BriefingCore, summit: Store) -> None:
    edited = await ask(core, f"set briefing:{SUMMIT_ID} kind:session id:closing-vote status:postponed", now=NOW, **OPERATOR)
    assert edited.kind == "answer", edited.text
    subscription = preview_subscription(core.settings.digest, await core.repository.briefing(SUMMIT_ID))
    told = await preview_digest(core, subscription, NOW, "en")
    assert fields(told)["When · Opening session"].endswith(f"\nNote: {MOVED}")


async def test_the_calendar_gives_no_location_where_no_venue_is_given_and_carries_the_note(core: BriefingCore, summit: Store) -> None:
    reader = Request(command="calendar", now=NOW, platform="discord", user_id="999", briefing_id=SUMMIT_ID)
    exported = await core.calendar_file(reader)
    assert isinstance(exported, PackFile), exported
    events = {str(e["uid"]).split("@")[0]: e for e in icalendar.Calendar.from_ical(exported.text).walk("VEVENT")}
    assert "location" not in events["meeting-opening"] and "LOCATION" not in exported.text.split("UID:meeting-opening")[1].split("END:VEVENT")[0]
    assert f"Note: {MOVED}" in str(events["meeting-opening"]["description"])
    assert str(events["meeting-closing-vote"]["location"]) == "Harbour Hall, Lakeside"


async def test_an_admin_may_clear_parties_venue_and_format_and_set_a_note(core: BriefingCore, summit: Store) -> None:
    cleared = await ask(core, f"set briefing:{SUMMIT_ID} kind:session id:closing-vote parties: venue: format:", now=NOW, **OPERATOR)
    assert cleared.kind == "answer", cleared.text
    vote = fields(await ask(core, f"/meeting briefing:{SUMMIT_ID} session:closing-vote", now=NOW))
    assert (vote["Where"], vote["Format"], vote["Parties"]) == ("Not announced",) * 3
    found = await ask(core, f"/search briefing:{SUMMIT_ID} closing vote", now=NOW)
    assert [item.text for item in found.items if item.title == "Closing vote"] == [""]  # no aims or topics: no empty "Topics: "
    # A note is a claim like any other: the passage kept behind it is recalled.
    noted = await ask(core, f'set briefing:{SUMMIT_ID} kind:session id:closing-vote note:"Moved from 9 April"', now=NOW, **OPERATOR)
    assert noted.kind == "answer" and "Check it still supports the new note" in noted.text, noted.text
    added = await ask(core, f'add briefing:{SUMMIT_ID} kind:session id:press title:"Press conference" aims: topics: '
                            f'sources:fictional-wire evidence:"A closing vote is planned for 10 April 2026"', now=NOW, **OPERATOR)
    assert added.kind == "answer", added.text
    form = await core.form(Request(command="set", now=NOW, briefing_id=SUMMIT_ID, **OPERATOR), "session", "press")
    assert not isinstance(form, Reply)
    required = {field.name for field in form.fields if field.required}
    assert {"parties", "venue", "format", "note"}.isdisjoint(required) and "title" in required



async def test_two_reports_that_disagree_are_both_told_cited_and_shown_by_why(core: BriefingCore, store: Store) -> None:
    """docs/data-pack.md's way: both reports in the note with their attribution, both sources, both passages."""
    data = unknown_summit()
    data["sources"].append({"id": "rival-wire", "publisher": "Rival Test Wire", "title": "Another invented report (fictional)"})
    ministers = data["sessions"][1]
    ministers.update(note="Fictional Test Wire expects it around 15:00; Rival Test Wire says 16:00", sources=["fictional-wire", "rival-wire"])
    ministers["evidence"].append({"source": "rival-wire", "passage": "The ministers sit down at 16:00 on 2 April."})
    await store.repository.save(parse_pack(data, "fictional-summit.yaml"))
    meeting = await ask(core, f"/meeting briefing:{SUMMIT_ID} session:ministers", now=NOW)
    assert fields(meeting)["When"].endswith("Note: Fictional Test Wire expects it around 15:00; Rival Test Wire says 16:00")
    assert [source.label.split(",")[0] for source in meeting.sources] == ["Fictional Test Wire", "Rival Test Wire"]
    why = await ask(core, f"/why briefing:{SUMMIT_ID} session/ministers", now=NOW)
    assert [item.title.split(",")[0] for item in why.items] == ["Fictional Test Wire", "Rival Test Wire"]
