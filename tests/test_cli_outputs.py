"""Files the CLI writes where the operator says (`export -o`, `export --ics -o`, `new -o`, `migrate-pack --write`):
a path that cannot be written is one line naming it and why, exit status 1, and no file half written (subprocesses)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.cli_support import briefbot
from tests.conftest import PACK


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """A store holding the shipped briefing."""
    path = tmp_path / "b.sqlite3"
    assert briefbot("--db", path, "load", PACK).returncode == 0
    return path


@pytest.mark.parametrize("ics", [False, True], ids=["pack", "ics"])
def test_export_to_a_path_that_cannot_be_written_says_which_and_why(db: Path, tmp_path: Path, ics: bool) -> None:
    for target, reason in ((tmp_path / "missing" / "x.out", "No such file or directory"), (tmp_path, "Is a directory"),
                           (Path("/dev/full"), "No space left on device")):
        refused = briefbot("--db", db, "export", *(["--ics"] if ics else []), "-o", target)
        assert (refused.returncode, refused.stdout) == (1, ""), refused.stderr
        assert refused.stderr == f"briefbot: cannot write {target}: {reason}\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b.sqlite3"]  # nothing beside the store


def test_a_write_that_fails_midway_leaves_the_old_file_and_no_partial_one(tmp_path: Path) -> None:
    pack = tmp_path / "mine.yaml"
    pack.write_bytes(PACK.read_bytes())
    failed = briefbot("migrate-pack", pack, "--write", file_limit=4096)  # the new text is ~50 kB: like a full disk
    assert failed.returncode == 1 and failed.stderr == f"briefbot: cannot write {pack}: File too large\n"
    assert pack.read_bytes() == PACK.read_bytes()
    assert [p.name for p in tmp_path.iterdir()] == ["mine.yaml"]


def test_new_into_a_missing_folder_or_a_full_disk_leaves_nothing(tmp_path: Path) -> None:
    missing = tmp_path / "missing" / "x.yaml"
    refused = briefbot("new", "x", "--title", "X", "-o", missing)
    assert refused.returncode == 1 and refused.stderr == f"briefbot: cannot write {missing}: No such file or directory\n"
    full = briefbot("new", "x", "--title", "X", "-o", tmp_path / "x.yaml", file_limit=512)
    assert full.returncode == 1 and full.stderr == f"briefbot: cannot write {tmp_path / 'x.yaml'}: File too large\n"
    assert list(tmp_path.iterdir()) == []


def test_export_through_a_link_replaces_the_file_it_names(db: Path, tmp_path: Path) -> None:
    real, link = tmp_path / "real.yaml", tmp_path / "link.yaml"
    real.write_text("old\n", encoding="utf-8")
    link.symlink_to(real)
    assert briefbot("--db", db, "export", "-o", link).returncode == 0
    assert link.is_symlink() and real.read_text(encoding="utf-8").startswith("# Briefing pack exported by briefbot")


def test_export_never_writes_through_a_link_planted_beside_it_nor_stops_at_a_partial_file_a_crash_left(db: Path, tmp_path: Path) -> None:
    """`export -o` once wrote `.NAME.partial` as it found it: a link planted there had the export written over the file it
    names; its name now is a new one each time, created by the export or not at all."""
    victim, out = tmp_path / "victim.txt", tmp_path / "pack.yaml"
    victim.write_text("keep me\n", encoding="utf-8")
    (tmp_path / ".pack.yaml.partial").symlink_to(victim)
    assert briefbot("--db", db, "export", "-o", out).returncode == 0
    assert victim.read_text(encoding="utf-8") == "keep me\n"
    assert out.read_text(encoding="utf-8").startswith("# Briefing pack exported by briefbot") and not out.is_symlink()
    (tmp_path / ".pack.yaml.partial").unlink()
    (tmp_path / ".pack.yaml.partial").write_text("half a pack", encoding="utf-8")  # as a crash left it
    out.unlink()
    assert briefbot("--db", db, "export", "-o", out).returncode == 0
    assert out.read_text(encoding="utf-8").startswith("# Briefing pack exported by briefbot")
    assert sorted(p.name for p in tmp_path.iterdir()) == [".pack.yaml.partial", "b.sqlite3", "pack.yaml", "victim.txt"]
    assert out.stat().st_mode & 0o777 == 0o666 & ~_umask()  # the file's usual permissions, as any the user writes


def _umask() -> int:
    """This process's umask, which the briefbot it starts inherits."""
    mask = os.umask(0)
    os.umask(mask)
    return mask


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full here: no standard output that is always full")
def test_a_failure_no_command_expects_is_logged_with_its_traceback_and_said_in_one_line(db: Path) -> None:
    """`briefbot export > file-on-a-full-disk`: no command handles its standard output failing, so `main`'s last catch does."""
    with open("/dev/full", "w", encoding="utf-8") as full:
        failed = briefbot("--db", db, "export", stdout=full)
    lines = failed.stderr.splitlines()
    assert failed.returncode == 1, failed.stderr
    assert lines[-1] == "briefbot: the command failed unexpectedly; the log has the details."
    assert lines[0].endswith("ERROR briefbot: briefbot export failed") and lines[1] == "Traceback (most recent call last):"
    assert lines[-2] == "OSError: [Errno 28] No space left on device" and failed.stderr.count("Traceback") == 1  # in the log, once


def test_output_read_by_a_program_that_stops_reading_ends_quietly(db: Path) -> None:
    """`briefbot export | head -1`: the reader went away; no traceback, no "failed unexpectedly", exit status 1."""
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before anything is written: the first write breaks the pipe
    with open(write_end, "w", encoding="utf-8") as broken:
        ended = briefbot("--db", db, "export", stdout=broken)
    assert (ended.returncode, ended.stderr) == (1, "")
