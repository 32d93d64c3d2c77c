"""`briefbot export --ics` as a subprocess on a real SQLite file: the file, its line ends, a moved session."""

from __future__ import annotations

from pathlib import Path

import icalendar

from tests.cli_support import briefbot
from tests.conftest import BRIEFING_ID

MEETING_UID = f"meeting-meeting@{BRIEFING_ID}.briefbot"


def exported(db: Path, out: Path) -> icalendar.Event:
    """Run `export --ics -o OUT` and return the session's event, checking the file's RFC 5545 line ends."""
    done = briefbot("--db", db, "export", "--ics", "-o", out)
    assert done.returncode == 0, done.stderr
    data = out.read_bytes()
    assert data.startswith(b"BEGIN:VCALENDAR\r\n") and b"\n" not in data.replace(b"\r\n", b"")
    return next(e for e in icalendar.Calendar.from_ical(data).walk("VEVENT") if str(e["uid"]) == MEETING_UID)


def test_export_ics_writes_the_calendar_and_a_move_keeps_its_uid(tmp_path):
    db, out = tmp_path / "briefbot.sqlite3", tmp_path / "briefing.ics"
    before = exported(db, out)
    moved = briefbot("--db", db, "admin", "set", "kind:meeting", "start:2026-03-09T11:00")
    assert moved.returncode == 0, moved.stdout + moved.stderr
    after = exported(db, out)
    assert int(after["sequence"]) > int(before["sequence"])
    assert after.decoded("dtstart").isoformat() == "2026-03-09T11:00:00-04:00"


def test_export_ics_to_standard_output_and_an_unknown_briefing_fails_by_name(tmp_path):
    db = tmp_path / "briefbot.sqlite3"
    shown = briefbot("--db", db, "export", "--ics")
    assert shown.returncode == 0 and MEETING_UID in shown.stdout, shown.stderr
    missing = briefbot("--db", db, "--briefing", "no-such-briefing", "export", "--ics")
    assert missing.returncode == 1 and "no-such-briefing" in missing.stderr + missing.stdout and "BEGIN:VCALENDAR" not in missing.stdout
