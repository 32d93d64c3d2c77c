"""A session added with a start and no zone is stored on the venue's clock: its revision logs it so, and a log written
before it did (the add's typed fields only) still reads back so, in the calendar, undo, history and digests."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar

from bot.core.admin.edits import edit_pack
from bot.core.catalogue import catalogue_for
from bot.core.kinds import KINDS
from bot.core.model import Briefing
from bot.core.repository import Change
from bot.core.requests import Request
from bot.core.service import BriefingCore, PackFile
from bot.store import Store
from tests.cli_support import briefbot
from tests.conftest import BEFORE, BRIEFING_ID, PACK, ask
from tests.test_digest_changes import digest

SESSION = KINDS["session"]
# The tester's add: a start, and no zone (the shipped pack's venue is Washington's).
TYPED = {
    "title": "Gala", "parties": "gustavo-petro", "start": "2026-02-05T18:00", "venue": "MLK library", "format": "Meeting",
    "aims": "Meet the diaspora", "topics": "diaspora", "sources": "cubaheadlines-2026-02-03",
    "evidence": "He will meet with the Colombian diaspora at the Martin Luther King library",
}
ADD = ["kind:session", "id:gala", *(f"{name}:{value}" for name, value in TYPED.items())]
GALA_UID = f"meeting-gala@{BRIEFING_ID}.briefbot"
AT_18_IN_WASHINGTON = datetime(2026, 2, 5, 18, 0, tzinfo=ZoneInfo("America/New_York"))
READER = Request(command="calendar", now=BEFORE, platform="discord", user_id="999", briefing_id=BRIEFING_ID)


def gala_event(ics: str) -> icalendar.Event:
    """The gala's event in an .ics text."""
    return next(e for e in icalendar.Calendar.from_ical(ics).walk("VEVENT") if str(e["uid"]) == GALA_UID)


def test_briefbot_admin_add_without_a_zone_then_export_history_and_undo(store_target: str | Path, tmp_path: Path) -> None:
    """The tester's sequence on the command line: each step answers, and the calendar places the gala at 18:00 in Washington."""
    assert briefbot("--db", store_target, "load", PACK).returncode == 0
    added = briefbot("--db", store_target, "admin", "add", *ADD)
    assert added.returncode == 0 and "session/gala added" in added.stdout, added.stdout + added.stderr
    ics = tmp_path / "briefing.ics"
    exported = briefbot("--db", store_target, "export", "--ics", "-o", ics)
    assert exported.returncode == 0, exported.stdout + exported.stderr
    assert gala_event(ics.read_text(encoding="utf-8")).decoded("dtstart") == AT_18_IN_WASHINGTON
    history = briefbot("--db", store_target, "admin", "history", "kind:session", "id:gala")
    # What the add gave the gala, as well as what was typed: the clock its 18:00 is on.
    assert history.returncode == 0 and "zone: was empty, now “America/New_York”" in history.stdout, history.stdout + history.stderr
    undone = briefbot("--db", store_target, "admin", "undo")
    assert undone.returncode == 0 and "session/gala back as it was before revision" in undone.stdout, undone.stdout + undone.stderr
    again = briefbot("--db", store_target, "export", "--ics", "-o", ics)
    assert again.returncode == 0, again.stdout + again.stderr
    withdrawn = gala_event(ics.read_text(encoding="utf-8"))  # a calendar that imported it cancels it, at its time
    assert (str(withdrawn["status"]), withdrawn.decoded("dtstart")) == ("CANCELLED", AT_18_IN_WASHINGTON)


async def test_an_add_or_a_set_logs_the_item_as_stored_with_the_venues_zone(core: BriefingCore, store: Store) -> None:
    """An added session, one whose zone is cleared, and an agenda item added with a time: each logged with the zone it got."""
    agenda = ("add kind:agenda id:dinner title:Dinner detail:\"A dinner\" date:2026-02-05 time:20:00 sources:cubaheadlines-2026-02-03"
              f' evidence:"{TYPED["evidence"]}"')
    lines = ("add kind:session id:gala " + " ".join(f'{name}:"{value}"' for name, value in TYPED.items()),
             "set kind:session id:gala zone:Europe/Madrid", 'set kind:session id:gala zone:""', agenda)
    for line, (kind, item_id) in zip(lines, [("session", "gala")] * 3 + [("agenda", "dinner")], strict=True):
        reply = await ask(core, line, platform="console")
        assert reply.kind == "answer", (line, reply.text)
        logged = (await store.repository.revisions(BRIEFING_ID, kind, item_id, limit=1))[0]
        stored = next(i for i in getattr(await store.repository.briefing(BRIEFING_ID), KINDS[kind].section) if i.id == item_id)
        assert logged.after is not None and logged.after["item"]["zone"] == stored.zone, line
    assert stored.zone == "America/New_York"  # the venue's, as the cleared session's is


async def _add_as_the_old_code_logged_it(store: Store) -> None:
    """The gala added through the store's own `apply`, logged as adds were before they logged the item stored: the
    fields typed (and the status an add starts with), no zone."""
    typed = {"id": "gala", "status": "scheduled", "outcome": "", "stakes": [], **TYPED}

    def build(briefing: Briefing) -> Change:
        edited = edit_pack(briefing, SESSION, "gala", "add", TYPED, catalogue_for("en"))
        assert edited.after is not None
        after = {name: value for name, value in edited.after.items() if name in typed}
        assert "zone" not in after and after["start"] == "2026-02-05T18:00"
        return Change(briefing=edited.briefing, kind="session", item_id="gala", action="add", before=None, after=after,
                      item=edited.item(SESSION, "gala"), actor="operator", platform="cli", at=BEFORE - timedelta(minutes=5))

    await store.repository.apply(BRIEFING_ID, build)


async def test_a_session_logged_without_its_zone_reads_back_on_the_venues_clock(core: BriefingCore, store: Store) -> None:
    await _add_as_the_old_code_logged_it(store)
    calendar = await core.calendar_file(READER)
    assert isinstance(calendar, PackFile), calendar.text
    assert gala_event(calendar.text).decoded("dtstart") == AT_18_IN_WASHINGTON
    told = await digest(core, "es")  # a reader of another language reads the logged state translated
    assert any("Gala" in item.title for item in told.items), told
    retitled = await ask(core, 'set kind:session id:gala title:"Diaspora gala"', platform="console")
    assert retitled.kind == "answer", retitled.text
    added = (await store.repository.revisions(BRIEFING_ID, "session", "gala", limit=2))[-1].id
    stale = await ask(core, f"set kind:session id:gala venue:Elsewhere base:{added}", platform="console")
    assert stale.kind == "error" and "Diaspora gala" in stale.text, stale.text  # the stale edit's refusal, not a crash
    history = await ask(core, "history kind:session id:gala", platform="console")
    assert history.kind == "answer" and len(history.items) == 2, history.text
    for _ in range(2):  # the retitle, then the add: the item holds what the add left, read with its zone
        undone = await ask(core, "undo", platform="console")
        assert undone.kind == "answer", undone.text
    assert all(session.id != "gala" for session in (await store.repository.briefing(BRIEFING_ID)).sessions)
    redone = await ask(core, "redo", platform="console")
    assert redone.kind == "answer", redone.text
    assert (await store.repository.briefing(BRIEFING_ID)).sessions[-1].zone == "America/New_York"
    calendar = await core.calendar_file(READER)
    assert isinstance(calendar, PackFile), calendar.text
    assert gala_event(calendar.text).decoded("dtstart") == AT_18_IN_WASHINGTON


async def test_an_add_logged_without_its_zone_is_undone_after_the_briefings_zone_moved(core: BriefingCore, store: Store) -> None:
    """The zone an add did not log is the one the item got then, not the venue's now: after the briefing moved to Madrid,
    the gala still holding what its add left is undone, not refused as changed since."""
    await _add_as_the_old_code_logged_it(store)
    added = (await store.repository.revisions(BRIEFING_ID, "session", "gala", limit=1))[0].id
    assert (await ask(core, "set kind:briefing zone:Europe/Madrid label:Madrid", platform="console")).kind == "answer"
    assert (await ask(core, 'set kind:session id:gala title:"Diaspora gala"', platform="console")).kind == "answer"
    assert (await ask(core, "undo", platform="console")).kind == "answer"  # the title back
    undone = await ask(core, f"undo {added}", platform="console")
    assert undone.kind == "answer", undone.text
    assert all(session.id != "gala" for session in (await store.repository.briefing(BRIEFING_ID)).sessions)

