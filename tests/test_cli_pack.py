"""`briefbot validate / load / export` end to end, as a subprocess on a temporary database file."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import Any

import msgspec
import pytest

from bot.core.catalogue import Catalogue
from bot.core.model import Briefing
from bot.core.pack import problem_lines
from bot.errors import PackError
from bot.store.packfile import read_pack, read_pack_text
from tests.cli_support import briefbot, printed_apply
from tests.conftest import BRIEFING_ID, PACK, ROOT, SEED

SHIPPED = read_pack(PACK)
RELATIVE_PACK = str(PACK.relative_to(ROOT))


def dump(path: Path) -> dict[str, Any]:
    """user_version and every row of every table (with rowids where there are)."""
    conn = sqlite3.connect(path)
    try:
        state: dict[str, Any] = {"user_version": conn.execute("PRAGMA user_version").fetchone()[0]}
        for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").fetchall():
            try:
                state[name] = conn.execute(f'SELECT rowid, * FROM "{name}" ORDER BY rowid').fetchall()
            except sqlite3.OperationalError:  # WITHOUT ROWID
                state[name] = sorted(conn.execute(f'SELECT * FROM "{name}"').fetchall(), key=repr)
        return state
    finally:
        conn.close()


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    """A copy of the shipped pack with a changed title and four problems in different places."""
    text = PACK.read_text(encoding="utf-8")
    edits = [
        ("Petro in Washington: the White House meeting", "CHANGED TITLE"),
        ('date: "2025-10"', 'date: "2025-13"'),  # timeline[5].date
        ("  status: scheduled", "  status: done"),  # meeting.status
        ("    side: other\n", "    side: venezuela\n"),  # people[7].side
        ('    time: "11:00"', '    time: "25:00"'),  # agenda[1].time
    ]
    for old, new in edits:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    path = tmp_path / "broken.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def expected_lines(path: Path) -> list[str]:
    with pytest.raises(PackError) as caught:
        read_pack(path)
    return problem_lines(caught.value, Catalogue())


@pytest.mark.article
def test_validate_good_pack(tmp_path: Path) -> None:
    db = tmp_path / "db.sqlite3"
    result = briefbot("--db", db, "validate", RELATIVE_PACK, "--sources", SEED)
    assert result.returncode == 0, result.stderr
    assert result.stdout == (
        f"{RELATIVE_PACK}: evidence: 86 passages found in the texts of cubaheadlines-2026-02-03\n"
        f"{RELATIVE_PACK}: ok: {BRIEFING_ID} (1 session, 14 timeline events, 9 people, 8 agenda items, 7 quotes, 8 FAQ, 4 context entries)\n"
    )
    assert not db.exists()  # validating never opens the store


def test_validate_broken_pack_prints_every_problem(tmp_path: Path, broken: Path) -> None:
    result = briefbot("--db", tmp_path / "db.sqlite3", "validate", RELATIVE_PACK, broken, "--sources", SEED)
    assert result.returncode == 1
    # The good file is still reported as good; every problem of the broken one is on stderr.
    assert f"{RELATIVE_PACK}: ok: {BRIEFING_ID}" in result.stdout
    lines = expected_lines(broken)
    assert len(lines) == 4
    assert f"{broken}: timeline[5] (id treasury-sanctions).date: expected YYYY, YYYY-MM or YYYY-MM-DD, or a range START/END of those" in lines
    assert {line.split(": ")[1] for line in lines} == {
        "timeline[5] (id treasury-sanctions).date", "meeting.status", "people[7] (id nicolas-maduro).side", "agenda[1] (id white-house).time",
    }
    assert [line for line in result.stderr.splitlines() if line.startswith(str(broken))] == lines
    assert "Traceback" not in result.stderr


def test_validate_invalid_yaml(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("format: 1\nbriefing: [unclosed\n", encoding="utf-8")
    result = briefbot("validate", path)
    assert result.returncode == 1
    assert result.stderr.startswith(f"{path}: line ")
    assert "not valid YAML" in result.stderr and "Traceback" not in result.stderr


FIFO_EN = "is not a regular file (a pipe, device or socket), and a folder's packs are read only from regular files"
FIFO_ES = "no es un archivo normal (una tubería, un dispositivo o un socket), y los paquetes de una carpeta solo se leen de archivos normales"


def test_a_fifo_in_a_packs_folder_is_refused_at_once_and_a_pipe_named_alone_is_still_read(tmp_path: Path) -> None:
    """A FIFO named like a pack in a folder held `validate` and `load` of the folder, and the start seeding from it, for
    ever (no one writes it): each now names it at once (20 s, or the run fails). `validate <(…)` names its pipe itself."""
    packs, db = tmp_path / "packs", tmp_path / "db.sqlite3"
    packs.mkdir()
    (packs / PACK.name).write_text(PACK.read_text(encoding="utf-8"), encoding="utf-8")
    fifo = packs / "waiting.yaml"
    os.mkfifo(fifo)
    config = tmp_path / "briefbot.yaml"
    config.write_text(f"store: {{packs: {packs}}}\nlog_level: WARNING\n", encoding="utf-8")
    for locale, refusal in (("en", f"{fifo}: (top): {FIFO_EN}"), ("es", f"{fifo}: (nivel superior): {FIFO_ES}")):
        checked = briefbot("--config", config, "--locale", locale, "validate", packs, timeout=20)
        assert checked.returncode == 1 and checked.stderr.startswith(refusal), checked.stderr
        assert f"{packs / PACK.name}: " in checked.stdout and BRIEFING_ID in checked.stdout  # the folder's other pack is checked as ever
    for command in (("load",), ("ask", "/brief")):  # the folder's packs: loaded by hand, or seeding an empty store at start
        refused = briefbot("--config", config, "--db", db, *command, timeout=20)
        assert refused.returncode == 1 and f"{fifo}: (top): {FIFO_EN}" in refused.stderr, refused.stderr
    assert dump(db)["briefings"] == []
    piped = briefbot("validate", "/dev/stdin", stdin=PACK.read_text(encoding="utf-8"), timeout=20)  # a pipe, as <(…) is
    assert piped.returncode == 0 and f"/dev/stdin: ok: {BRIEFING_ID}" in piped.stdout, piped.stderr


def test_load_of_a_broken_pack_changes_nothing(tmp_path: Path, broken: Path) -> None:
    db = tmp_path / "db.sqlite3"
    first = briefbot("--db", db, "load", RELATIVE_PACK)
    assert (first.returncode, first.stdout) == (0, f"loaded: {BRIEFING_ID}\n"), first.stderr
    before = dump(db)
    assert before["briefings"], "the good pack was loaded"

    result = briefbot("--db", db, "load", broken)
    assert result.returncode == 1
    for line in expected_lines(broken):
        assert line in result.stderr
    assert "The pack has 4 problems; nothing was loaded." in result.stderr
    assert dump(db) == before

    # A valid changed pack listed before the broken one is not loaded either: all files validate first.
    changed = tmp_path / "changed.yaml"
    changed.write_text(PACK.read_text(encoding="utf-8").replace("status: scheduled", "status: concluded"), encoding="utf-8")
    result = briefbot("--db", db, "load", changed, broken)
    assert result.returncode == 1
    assert result.stdout == ""
    assert dump(db) == before

    again = briefbot("--db", db, "load", RELATIVE_PACK)
    assert (again.returncode, again.stdout) == (0, f"unchanged: {BRIEFING_ID}\n")
    assert dump(db) == before


def test_export_writes_a_pack_that_validates_and_loads_back(tmp_path: Path) -> None:
    db = tmp_path / "db.sqlite3"
    assert briefbot("--db", db, "load", RELATIVE_PACK).returncode == 0
    out = tmp_path / "exported.yaml"
    result = briefbot("--db", db, "export", "--output", out)
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    text = out.read_text(encoding="utf-8")
    assert read_pack_text(text, str(out)) == texts_from(tmp_path)

    validated = briefbot("validate", out)
    assert validated.returncode == 0, validated.stderr
    assert f"{out}: ok: {BRIEFING_ID}" in validated.stdout

    # To standard output, the same but for the text's path, which leads from the current folder.
    to_stdout = briefbot("--db", db, "--briefing", BRIEFING_ID, "export")
    assert to_stdout.returncode == 0 and read_pack_text(to_stdout.stdout, "-") == texts_from(ROOT)
    # Loaded back from its own folder, the export is no change: its text's path is read as leading from there.
    reloaded = briefbot("--db", db, "load", out)
    assert (reloaded.returncode, reloaded.stdout) == (0, f"unchanged: {BRIEFING_ID}\n")


def test_an_export_named_json_is_json_and_loads_back(tmp_path: Path) -> None:
    """The loader reads a `.json` pack as JSON (docs/data-pack.md), so an export given that name is written as JSON."""
    db = tmp_path / "db.sqlite3"
    assert briefbot("--db", db, "load", RELATIVE_PACK).returncode == 0
    out = tmp_path / "exported.json"
    assert briefbot("--db", db, "export", "-o", out).returncode == 0
    assert out.read_text(encoding="utf-8").startswith("{\n")
    assert read_pack(out) == texts_from(tmp_path)
    validated = briefbot("validate", out)
    assert validated.returncode == 0 and f"{out}: ok: {BRIEFING_ID}" in validated.stdout, validated.stderr
    reloaded = briefbot("--db", db, "load", out)
    assert (reloaded.returncode, reloaded.stdout) == (0, f"unchanged: {BRIEFING_ID}\n"), reloaded.stderr


def texts_from(folder: Path) -> Briefing:
    """The shipped briefing as an export to `folder` gives it: its source's text path leads from there."""
    source = SHIPPED.sources[0]
    assert source.text is not None
    moved = os.path.relpath(os.path.normpath(PACK.parent / source.text), folder)
    return msgspec.structs.replace(SHIPPED, sources=(msgspec.structs.replace(source, text=moved), *SHIPPED.sources[1:]))


def test_export_errors_are_user_errors(tmp_path: Path) -> None:
    db = tmp_path / "db.sqlite3"
    (tmp_path / "packs").mkdir()  # nothing to fill the empty store with, as a first start would
    settings = tmp_path / "briefbot.yaml"
    settings.write_text(f"store: {{packs: {tmp_path / 'packs'}}}\n", encoding="utf-8")
    empty = briefbot("--config", settings, "--db", db, "export")
    assert empty.returncode == 1
    assert "The store holds no briefing yet; load a pack with: briefbot load" in empty.stderr
    assert briefbot("--db", db, "load", RELATIVE_PACK).returncode == 0
    unknown = briefbot("--db", db, "--briefing", "nope", "export")
    assert unknown.returncode == 1
    assert unknown.stderr.strip().endswith("There is no briefing “nope”.")
    assert "Traceback" not in empty.stderr + unknown.stderr


def test_missing_config_file_exits_2_naming_it(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere" / "briefbot.yaml"
    result = briefbot("--config", missing, "--db", tmp_path / "db.sqlite3", "validate", RELATIVE_PACK)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.strip() == f"briefbot: {missing}: no such config file"
    # The same through the environment.
    from_env = briefbot("validate", RELATIVE_PACK, env={"BRIEFBOT_CONFIG": str(missing)})
    assert from_env.returncode == 2
    assert f"{missing}: no such config file" in from_env.stderr


def test_a_folder_given_as_the_config_file_exits_2_in_one_line(tmp_path: Path) -> None:
    result = briefbot("--config", tmp_path, "validate", RELATIVE_PACK)
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr.strip() == f"briefbot: {tmp_path}: a folder, not a config file; name the file (such as {tmp_path / 'briefbot.yaml'})"


def test_broken_config_file_exits_2(tmp_path: Path) -> None:
    config = tmp_path / "briefbot.yaml"
    config.write_text("page_size: many\n", encoding="utf-8")
    result = briefbot("--config", config, "validate", RELATIVE_PACK)
    assert result.returncode == 2
    assert "page_size" in result.stderr and "Traceback" not in result.stderr


def test_admin_import_apply_with_a_stale_version_changes_nothing(tmp_path: Path):
    db, pack = tmp_path / "b.sqlite3", tmp_path / "new.yaml"
    exported = briefbot("--db", db, "admin", "export")
    pack.write_text(exported.stdout.replace("status: scheduled", "status: postponed"), encoding="utf-8")
    dry = briefbot("--db", db, "admin", "import", pack)
    apply = printed_apply(dry.stdout)
    assert briefbot("--db", db, "admin", "set", "kind:meeting", "venue:Blair House").returncode == 0
    stale = briefbot("--db", db, "admin", "import", pack, *apply)
    assert stale.returncode == 1 and "changed since the dry run" in stale.stderr
    assert "status: scheduled" in briefbot("--db", db, "admin", "export").stdout
    bad = briefbot("--db", db, "admin", "import", pack, "--apply", "--version", "x", "--changes", apply[-1])
    assert bad.returncode == 2 and "usage: briefbot admin import PATH [--apply --version N --changes DIGEST [--discard-edits]]" in bad.stderr


def _index_segments(db: Path) -> int:
    """How many segments FTS5's index holds: its structure record (rowid 10) is a 4-byte cookie, then varints nLevel, nSegment."""
    with sqlite3.connect(db) as conn:
        record = conn.execute("SELECT block FROM search_index_data WHERE id = 10").fetchone()[0]
        conn.execute("INSERT INTO search_index(search_index) VALUES ('integrity-check')")  # raises if FTS5 finds it unsound
    at = 4
    for _ in range(2):  # nLevel, then nSegment: each a varint (7 bits a byte, high bit set while more follow)
        value = 0
        while True:
            value, at = (value << 7) | (record[at] & 0x7F), at + 1
            if record[at - 1] < 0x80:
                break
    return value


def test_a_load_leaves_the_search_index_merged_whole(tmp_path: Path) -> None:
    """Loads one after another leave one segment (a search reads one b-tree), an index FTS5 finds sound, and the same answers."""
    db = tmp_path / "db.sqlite3"
    other = tmp_path / "other.yaml"
    other.write_text(PACK.read_text(encoding="utf-8").replace(f"id: {BRIEFING_ID}", "id: other-story", 1), encoding="utf-8")
    for pack in (RELATIVE_PACK, other):
        loaded = briefbot("--db", db, "load", pack)
        assert loaded.returncode == 0, loaded.stderr
    assert _index_segments(db) == 1
    for briefing in (BRIEFING_ID, "other-story"):
        found = briefbot("--db", db, "--briefing", briefing, "ask", "/search migration")
        assert found.returncode == 0 and "Search “migration”" in found.stdout, found.stdout


def test_a_page_past_sql_integers_is_a_page_that_does_not_exist(tmp_path: Path) -> None:
    """A one-shot `ask` pages `timeline query:` in SQL: a 21-digit page overflowed its integers (a logged error)."""
    result = briefbot("--db", tmp_path / "db.sqlite3", "ask", "/timeline query:visa page:999999999999999999999")
    assert result.returncode == 1 and "page 999999999999999999999 does not exist." in result.stdout, result.stdout
    assert "Traceback" not in result.stderr, result.stderr
