"""`briefbot new ID --title …`: a commented skeleton that `validate` accepts and `load` loads (subprocesses)."""

from __future__ import annotations

from pathlib import Path

from tests.cli_support import briefbot
from tests.conftest import PACK

TITLE = 'Talks in Geneva: "round two"'


def test_the_skeleton_validates_loads_and_answers(tmp_path: Path) -> None:
    pack = tmp_path / "geneva.yaml"
    written = briefbot("new", "geneva-talks", "--title", TITLE, "--zone", "Europe/Zurich", "-o", pack)
    assert written.returncode == 0, written.stderr
    text = pack.read_text(encoding="utf-8")
    assert text.startswith(f"# Briefing pack: {TITLE}\n") and "\n# The sittings of the story" in text
    checked = briefbot("validate", pack)
    assert checked.returncode == 0 and "ok: geneva-talks" in checked.stdout, checked.stderr
    db = tmp_path / "b.sqlite3"
    assert briefbot("--db", db, "load", PACK, pack).returncode == 0  # beside the configured default
    answer = briefbot("--db", db, "ask", "/brief briefing:geneva-talks")
    assert answer.returncode == 0 and answer.stdout.startswith(TITLE), answer.stdout + answer.stderr


def test_an_existing_file_is_never_overwritten(tmp_path: Path) -> None:
    pack = tmp_path / "mine.yaml"
    pack.write_text("my own work\n", encoding="utf-8")
    refused = briefbot("new", "geneva-talks", "--title", TITLE, "-o", pack)
    assert refused.returncode == 1 and "already exists; nothing was written" in refused.stderr
    assert pack.read_text(encoding="utf-8") == "my own work\n"


def test_a_bad_id_or_zone_writes_nothing(tmp_path: Path) -> None:
    for args in (["Bad Id", "--title", TITLE], ["fine-id", "--title", TITLE, "--zone", "Mars/Olympus"]):
        pack = tmp_path / "x.yaml"
        refused = briefbot("new", *args, "-o", pack)
        assert refused.returncode == 1, refused.stdout
        assert "briefing." in refused.stderr and not pack.exists()


def test_a_title_cannot_escape_the_header_comment(tmp_path: Path) -> None:
    pack = tmp_path / "x.yaml"
    assert briefbot("new", "sly", "--title", "Sly\nformat: 2", "-o", pack).returncode == 0
    checked = briefbot("validate", pack)
    assert checked.returncode == 0, checked.stdout + checked.stderr
