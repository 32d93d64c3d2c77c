"""Issue #19 on the command line: the general options, --now, invite-url, manifest and validate, as subprocesses."""

from __future__ import annotations

import subprocess
from pathlib import Path

import yaml

from tests.cli_support import briefbot
from tests.conftest import PACK, ROOT

NOW = ("--now", "2026-02-01T12:00:00Z")


def test_briefing_is_accepted_after_the_subcommand(tmp_path: Path) -> None:
    db = tmp_path / "db.sqlite3"
    before = briefbot("--db", db, "--briefing", "nope", "ask", "/brief", *NOW)
    after = briefbot("ask", "/brief", "--db", db, "--briefing", "nope", *NOW)
    assert (before.returncode, after.returncode) == (1, 1)
    assert "There is no briefing “nope”" in before.stdout and "There is no briefing “nope”" in after.stdout
    first_wins = briefbot("--briefing", "nope", "ask", "/brief", "--db", db, *NOW)
    assert "There is no briefing “nope”" in first_wins.stdout  # a later --db does not reset --briefing


def test_now_without_a_zone_is_refused_with_the_fix(tmp_path: Path) -> None:
    result = briefbot("--db", tmp_path / "db.sqlite3", "ask", "/meeting", "--now", "2026-02-03T11:00:00")
    assert result.returncode == 2
    assert "has no time zone; add Z for UTC (2026-02-03T11:00:00Z) or the offset" in result.stderr


def test_subscribe_accepts_a_zone_in_any_case(tmp_path: Path) -> None:
    result = briefbot("--db", tmp_path / "db.sqlite3", "admin", "subscribe", "tz:america/bogota", "platform:slack", "channel:C1")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "(Bogotá)" in result.stdout  # the subscriber reads the city; the operator's listing shows the id as stored
    listed = briefbot("--db", tmp_path / "db.sqlite3", "admin", "subscriptions")
    assert "(Bogotá, America/Bogota)" in listed.stdout, listed.stdout + listed.stderr


def test_invite_url_without_a_token_says_the_id_can_be_given() -> None:
    result = briefbot("discord", "invite-url", env={"DISCORD_TOKEN": ""})
    assert result.returncode == 2
    assert "briefbot discord invite-url APPLICATION_ID" in result.stderr
    given = briefbot("discord", "invite-url", "123456789012345678", env={"DISCORD_TOKEN": ""})
    assert given.returncode == 0 and "client_id=123456789012345678" in given.stdout


def test_manifest_refuses_an_unknown_command_to_leave_out() -> None:
    result = briefbot("slack", "manifest", "--without", "nonsense")
    assert result.returncode == 2 and result.stdout == ""
    assert "--without nonsense: the manifest has no such slash command" in result.stderr
    dropped = briefbot("slack", "manifest", "--without", "/faq")
    assert dropped.returncode == 0 and '"/faq"' not in dropped.stdout and '"/agenda"' in dropped.stdout


def test_validate_a_folder_checks_its_packs(tmp_path: Path) -> None:
    result = briefbot("validate", PACK.parent)
    assert result.returncode == 0, result.stderr
    assert ": ok: petro-trump-2026 (1 session, 14 timeline events, 9 people" in result.stdout
    empty = briefbot("validate", tmp_path)
    assert empty.returncode == 1 and "a folder with no pack files" in empty.stderr
    assert "UTF-8" not in empty.stderr


def test_validate_counts_in_the_singular(tmp_path: Path) -> None:
    pack = yaml.safe_load(PACK.read_text(encoding="utf-8"))
    for section in ("timeline", "quotes", "faq", "context"):
        pack[section] = pack[section][:1]
    path = tmp_path / "one.yaml"
    path.write_text(yaml.safe_dump(pack, allow_unicode=True), encoding="utf-8")
    result = briefbot("validate", path)
    assert result.returncode == 0, result.stderr
    assert "(1 session, 1 timeline event, 9 people, 8 agenda items, 1 quote, 1 FAQ, 1 context entry)" in result.stdout


def test_make_run_installs_only_what_running_needs(tmp_path: Path) -> None:
    def plan(target: str) -> str:
        result = subprocess.run(["make", "-n", target, f"VENV={tmp_path / 'venv'}"], cwd=ROOT, capture_output=True, text=True, timeout=30)
        assert result.returncode == 0, result.stderr
        return result.stdout

    run = plan("run")
    assert "pip install -q -e .\n" in run and "[dev]" not in run
    assert "pip install -q -e '.[dev]'" in plan("test")
