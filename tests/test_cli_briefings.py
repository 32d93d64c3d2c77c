"""`briefbot briefings archive | remove` as subprocesses on a real SQLite file."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tests.cli_support import briefbot
from tests.conftest import BRIEFING_ID, PACK

OTHER_ID = "zeta-2026"


def two_briefings(tmp_path: Path) -> Path:
    """A store holding the shipped briefing (the default) and another."""
    other = tmp_path / "zeta.yaml"
    other.write_text(PACK.read_text(encoding="utf-8").replace(f"id: {BRIEFING_ID}", f"id: {OTHER_ID}", 1), encoding="utf-8")
    db = tmp_path / "b.sqlite3"
    assert briefbot("--db", db, "load", PACK).returncode == 0
    loaded = briefbot("--db", db, "load", other)
    assert loaded.returncode == 0, loaded.stderr
    return db


def stored(db: Path) -> list[tuple[str, int]]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT id, archived FROM briefings ORDER BY id").fetchall()
    finally:
        conn.close()


def test_archive_marks_the_listing_and_undo_brings_it_back(tmp_path: Path) -> None:
    db = two_briefings(tmp_path)
    done = briefbot("--db", db, "briefings", "archive", OTHER_ID)
    assert done.returncode == 0 and "sends no digest or alert" in done.stdout
    assert f"{OTHER_ID} — " in (listed := briefbot("--db", db, "briefings", "list").stdout) and "(archived)" in listed
    assert stored(db) == [(BRIEFING_ID, 0), (OTHER_ID, 1)]
    assert briefbot("--db", db, "briefings", "archive", OTHER_ID, "--undo").returncode == 0
    assert stored(db) == [(BRIEFING_ID, 0), (OTHER_ID, 0)]
    unknown = briefbot("--db", db, "briefings", "archive", "nope")
    assert unknown.returncode == 1 and "no briefing “nope”" in unknown.stderr


def test_remove_refuses_while_a_subscription_uses_it_and_says_which(tmp_path: Path) -> None:
    db = two_briefings(tmp_path)
    subscribed = briefbot("--db", db, "admin", "subscribe", "platform:slack", "channel:C42", f"briefing:{OTHER_ID}")
    assert subscribed.returncode == 0, subscribed.stderr
    refused = briefbot("--db", db, "briefings", "remove", OTHER_ID)
    # Each user named as what it is, by the platform's name: the operator knows where to unsubscribe.
    assert refused.returncode == 1 and "still in use" in refused.stderr and ": Slack channel C42 (subscribed to its digest)." in refused.stderr
    spanish = briefbot("--db", db, "--locale", "es", "briefings", "remove", OTHER_ID)
    assert spanish.returncode == 1 and ": canal C42 de Slack (suscrito a su boletín). " in spanish.stderr, spanish.stderr
    assert len(stored(db)) == 2
    assert briefbot("--db", db, "admin", "unsubscribe", "platform:slack", "channel:C42", f"briefing:{OTHER_ID}").returncode == 0
    removed = briefbot("--db", db, "briefings", "remove", OTHER_ID)
    assert removed.returncode == 0, removed.stderr
    assert stored(db) == [(BRIEFING_ID, 0)]


def test_remove_refuses_the_default_and_the_configured_default(tmp_path: Path) -> None:
    db = two_briefings(tmp_path)
    pinned = tmp_path / "pinned.yaml"
    pinned.write_text(f"default_briefing: {BRIEFING_ID}\n", encoding="utf-8")
    refused = briefbot("--config", pinned, "--db", db, "briefings", "remove", BRIEFING_ID)  # the settings name it
    assert refused.returncode == 1 and "default_briefing in the settings" in refused.stderr
    refused = briefbot("--db", db, "briefings", "remove", BRIEFING_ID)  # the shipped settings name none
    assert refused.returncode == 1 and "is the default briefing" in refused.stderr, refused.stderr
    assert len(stored(db)) == 2


def test_admin_briefings_names_briefing_as_the_command_line_takes_it(tmp_path: Path) -> None:
    """`briefbot admin briefings` ended "an admin sets this channel's with /use": the command line has no channel, but --briefing."""
    db = tmp_path / "b.sqlite3"
    assert briefbot("--db", db, "load", PACK).returncode == 0
    listed = briefbot("--db", db, "admin", "briefings")
    assert listed.returncode == 0 and "or give --briefing ID to read another in all of them: briefbot console --briefing ID" in listed.stdout, listed.stdout
    assert "/use" not in listed.stdout
