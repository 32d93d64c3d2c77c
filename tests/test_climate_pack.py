"""A pack author's own event beside the shipped one: multilateral talks in five sessions in Lima and Madrid, with a
paywalled source that has no text and a PDF programme (round 40's tester's pack, its texts beside it in tests/packs/climate).

What the shipped pack never shows: hints that must name a briefing that is not the default, validator messages that must
lead an author who does not know the ids by heart to the fix, and passages from texts other than a web article.
"""

from __future__ import annotations

import shlex
from pathlib import Path

import icalendar

from tests.cli_support import briefbot

CLIMATE = Path(__file__).parent / "packs" / "climate" / "climate-talks-2026.yaml"
CLIMATE_ID = "climate-talks-2026"


def loaded(tmp_path: Path) -> Path:
    """A store holding the shipped briefing (the default) and the climate talks."""
    db = tmp_path / "b.sqlite3"
    done = briefbot("--db", db, "load", CLIMATE)
    assert done.returncode == 0, done.stderr
    return db


def summaries(ics: Path) -> set[str]:
    """The SUMMARY of each event in a calendar file."""
    return {str(event["summary"]) for event in icalendar.Calendar.from_ical(ics.read_bytes()).walk("VEVENT")}


def test_the_consoles_calendar_hint_names_the_briefing_it_was_started_with(tmp_path: Path) -> None:
    """`console --briefing climate-talks-2026`, then /calendar: the hint wrote the default briefing's file (Petro's)."""
    db = loaded(tmp_path)
    for locale, lines, command in (("en", "/calendar\n/export\n", "briefbot export --ics -o calendar.ics"),
                                   ("es", "/calendario\n/exportar\n", "briefbot export --ics -o calendario.ics")):
        console = briefbot("--db", db, "--locale", locale, "--briefing", CLIMATE_ID, "console", stdin=lines)
        assert console.returncode == 0, console.stderr
        said = " ".join(console.stdout.split())
        assert f"{command} --briefing {CLIMATE_ID} " in said and said.count(f" --briefing {CLIMATE_ID} ") == 2, said  # /export's too
    # The hint as printed, but for the file it writes: here, not in the checkout the command runs in.
    written = briefbot("--db", db, *shlex.split(f"{command} --briefing {CLIMATE_ID}")[1:], "-o", tmp_path / "climate.ics")
    assert written.returncode == 0, written.stderr
    assert "Opening plenary" in summaries(tmp_path / "climate.ics") and not any("Petro" in s for s in summaries(tmp_path / "climate.ics"))
    # The default briefing's hint needs no --briefing: `export` writes that one.
    plain = briefbot("--db", db, "console", stdin="/calendar\n")
    assert "--briefing" not in plain.stdout and "briefbot export --ics -o calendar.ics writes it" in " ".join(plain.stdout.split())
