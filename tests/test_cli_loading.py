"""`briefbot load`, `admin import` and `briefings` against edits: subprocesses on a real SQLite file."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest

from bot.cli.exits import EXIT_NOTHING_TO_IMPORT
from tests.cli_support import briefbot, printed_apply
from tests.conftest import BRIEFING_ID, PACK, ROOT
from tests.test_cli_pack import dump

RELATIVE_PACK = str(PACK.relative_to(ROOT))
OTHER_ID = "zeta-2026"  # sorts after the shipped pack, so seeding alone would never make it the default
# When a revision was made, as history says it ("7 December 2026, 06:18 UTC"), not an ISO stamp read as digits and dashes.
WHEN = r" · \d{1,2} [A-Z][a-z]+ \d{4}, \d{2}:\d{2} UTC"


def revisions(db: Path) -> list[tuple[int, str, str, str]]:
    """Every revision's number, action, platform and item, oldest first."""
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT id, action, platform, kind || '/' || item_id FROM revisions ORDER BY id").fetchall()
    finally:
        conn.close()


def stored_default(db: Path) -> list[str]:
    conn = sqlite3.connect(db)
    try:
        return [row[0] for row in conn.execute("SELECT id FROM briefings WHERE is_default = 1")]
    finally:
        conn.close()


def changed_pack(path: Path, old: str, new: str) -> Path:
    """The shipped pack with one text replaced (exactly once)."""
    text = PACK.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


def ok(*args: str | Path) -> str:
    """Run briefbot and insist it succeeds; its standard output."""
    result = briefbot(*args)
    assert result.returncode == 0, (args, result.stdout, result.stderr)
    return result.stdout


def test_load_over_edits_is_refused_then_discards_them_as_one_revision_that_undo_reverts(tmp_path: Path) -> None:
    db = tmp_path / "b.sqlite3"
    ok("--db", db, "admin", "set", "kind:meeting", "status:concluded")  # seeds the store first
    ok("--db", db, "admin", "set", "kind:meeting", "outcome:Both sides agreed to talk again.")
    edited = dump(db)

    for extra in ([], [RELATIVE_PACK], [RELATIVE_PACK, "--default"]):  # with or without a path or --default
        refused = briefbot("--db", db, "load", *extra)
        assert refused.returncode == 1, refused.stderr
        lines = refused.stdout.splitlines()
        assert lines[0] == f"refused: {BRIEFING_ID}"
        assert lines[1].startswith(f"“{BRIEFING_ID}” has 2 changes since its last load, which loading {RELATIVE_PACK} would overwrite.")
        assert lines[2].startswith("  Revision 3 · session/meeting changed · ") and re.search(WHEN + " · cli · operator$", lines[2]), lines[2]
        assert lines[3].startswith("  Revision 2 · session/meeting changed · ")
        assert lines[4:7] == ["What loading it would change:", "  meeting: changed: outcome, status",
                              "Edited since the last load and changed by the file: session/meeting"]
        # The options given are kept (round 40: --db and --default were dropped, so the hint loaded elsewhere, as no default).
        assert f"briefbot load {RELATIVE_PACK} --db {db}{' --default' if '--default' in extra else ''} --discard-edits" in lines[7]
        assert dump(db) == edited  # nothing written, not even the default

    loaded = briefbot("--db", db, "load", "--discard-edits")
    assert (loaded.returncode, loaded.stdout) == (0, f"loaded: {BRIEFING_ID}\n"), loaded.stderr
    assert revisions(db)[-1] == (4, "import", "load", f"briefing/{BRIEFING_ID}")  # one revision
    assert "status: scheduled" in ok("--db", db, "export")

    undone = ok("--db", db, "admin", "undo")
    assert undone.startswith("Revision 5: the pack as it was before revision 4")
    exported = ok("--db", db, "export")
    assert "status: concluded" in exported and "Both sides agreed to talk again." in exported
    # The undo brought edits back that the pack does not hold: a load is refused again.
    again = briefbot("--db", db, "load")
    assert again.returncode == 1 and "has 1 change since its last load" in again.stdout
    assert "  Revision 5 · petro-trump-2026 as before revision 4 (undo) · " in again.stdout

    # Right after a load nothing was edited, so another pack loads without the flag.
    ok("--db", db, "load", "--discard-edits")
    postponed = changed_pack(tmp_path / "p.yaml", "  status: scheduled", "  status: postponed")
    assert ok("--db", db, "load", postponed) == f"loaded: {BRIEFING_ID}\n"


def test_the_refusal_loading_md_shows_is_what_load_prints(tmp_path: Path) -> None:
    """docs/loading.md's refused load, after the edits it lists (a `briefbot admin set`, then a console `set`), line
    by line: the times are the doc's own, and its last line is cut short with "…"."""
    guide = (ROOT / "docs" / "loading.md").read_text(encoding="utf-8")
    shown = re.search(r"```\n\$ briefbot load\n(refused: .*?)```", guide, re.DOTALL)
    assert shown, "loading.md no longer shows a refused load"
    db = tmp_path / "b.sqlite3"
    ok("--db", db, "admin", "set", "kind:meeting", "status:concluded")
    console = briefbot("--db", db, "console", stdin='set kind:meeting outcome:"Both sides met."\n')
    assert console.returncode == 0, console.stderr
    refused = briefbot("load", env={"BRIEFBOT_DB": str(db)})  # as the guide types it: the store the settings name
    assert refused.returncode == 1, refused.stderr
    expected, printed = (re.sub(WHEN, " · …", text).splitlines() for text in (shown[1], refused.stdout))
    assert expected[-1].endswith(" …") and printed[-1].startswith(expected[-1][: -len(" …")]), (expected[-1], printed[-1])
    assert expected[:-1] == printed[:-1]


def test_an_unchanged_pack_is_a_no_op_even_after_edits(tmp_path: Path) -> None:
    db = tmp_path / "b.sqlite3"
    ok("--db", db, "admin", "set", "kind:meeting", "status:concluded")
    exported = tmp_path / "exported.yaml"
    ok("--db", db, "export", "-o", exported)
    before = dump(db)
    # The pack holds the edits, so loading it overwrites nothing: no refusal, no revision.
    assert ok("--db", db, "load", exported) == f"unchanged: {BRIEFING_ID}\n"
    assert dump(db) == before


def test_an_export_changed_elsewhere_loads_over_the_edits_it_holds(tmp_path: Path) -> None:
    """docs/loading.md, "Keep the edits": export, change that file, load it; refused only where it changes an edited item."""
    db = tmp_path / "b.sqlite3"
    ok("--db", db, "admin", "set", "kind:meeting", "status:concluded")
    exported = tmp_path / "work" / "briefing.yaml"  # another folder than the pack's: its text paths are written from there
    exported.parent.mkdir()
    ok("--db", db, "export", "-o", exported)
    held = exported.read_text(encoding="utf-8")
    question = "question: What are the main topics of discussion expected in the Petro-Trump meeting?"
    exported.write_text(held.replace(question, question.replace("?", " (today)?"), 1), encoding="utf-8")
    assert ok("--db", db, "load", exported) == f"loaded: {BRIEFING_ID}\n"
    assert "status: concluded" in ok("--db", db, "export") and "(today)?" in ok("--db", db, "export")

    ok("--db", db, "admin", "set", "kind:meeting", "status:postponed")  # an edit the file does not hold
    refused = briefbot("--db", db, "load", exported)
    assert refused.returncode == 1
    lines = refused.stdout.splitlines()
    # What the load would store is compared: the texts' paths, written from the export's folder, are the same files.
    assert lines[3:6] == ["What loading it would change:", "  meeting: changed: status",
                          "Edited since the last load and changed by the file: session/meeting"], refused.stdout
    assert "briefbot export -o FILE writes it as it is, edits included" in lines[6]


@pytest.mark.parametrize("first", [("ask", "/meeting"), ("export",), ("export", "--ics")], ids=" ".join)
def test_seeding_an_empty_store_stays_automatic(tmp_path: Path, first: tuple[str, ...]) -> None:
    db = tmp_path / "b.sqlite3"
    assert "Petro" in ok("--db", db, *first)  # an export on a fresh install too, as `ask` and `admin` answer there
    assert revisions(db) == [(1, "import", "load", f"briefing/{BRIEFING_ID}")]
    listed = ok("--db", db, "briefings", "list").splitlines()
    assert listed[0] == f"* {BRIEFING_ID} — Petro in Washington: the White House meeting with Trump"
    assert listed[1].startswith("    last change: Revision 1 · pack petro-trump-2026 loaded · ")
    assert re.search(WHEN + r" · load · operator \(version 1\)$", listed[1]), listed[1]


def test_an_import_applies_only_with_the_version_its_dry_run_showed(tmp_path: Path) -> None:
    db = tmp_path / "b.sqlite3"
    pack = tmp_path / "new.yaml"
    pack.write_text(ok("--db", db, "admin", "export").replace("status: scheduled", "status: postponed"), encoding="utf-8")
    ok("--db", db, "admin", "set", "kind:meeting", "venue:Blair House")  # an edit the pack does not hold
    before = dump(db)

    dry = briefbot("--db", db, "admin", "import", pack)
    # The edit dropped the venue's Spanish (it translated the old venue); the pack brings it back.
    assert dry.returncode == 0 and "meeting: changed: status, venue, the Spanish translation of venue" in dry.stdout, dry.stdout
    # The hint is this surface's own syntax, ready to paste; it takes back the edit, so it says so.
    apply = printed_apply(dry.stdout)
    assert apply[:3] == ["--apply", "--version", "2"] and apply[-1] == "--discard-edits"
    assert "Apply, or import" not in dry.stdout and "apply and version" not in dry.stdout

    unchecked = briefbot("--db", db, "admin", "import", pack, "--apply", "--version", "2")
    assert (unchecked.returncode, unchecked.stdout) == (1, "")  # a refusal is said on standard error, as validate's problems are
    assert "Nothing was imported: an apply must give the version and the changes its dry run showed" in " ".join(unchecked.stderr.split())
    assert "meeting: changed: status, venue, the Spanish translation of venue" in unchecked.stderr and " ".join(apply) in unchecked.stderr
    assert dump(db) == before

    applied = briefbot("--db", db, "admin", "import", pack, *apply)
    assert applied.returncode == 0 and "Revision 3: the pack was imported" in applied.stdout
    assert revisions(db)[-1] == (3, "import", "cli", f"briefing/{BRIEFING_ID}")
    # Imported, the pack is nothing to import: a script tells it from a dry run listing changes (0) by its status.
    same = briefbot("--db", db, "admin", "import", pack)
    assert (same.returncode, same.stdout.splitlines()[0]) == (EXIT_NOTHING_TO_IMPORT, "The pack holds exactly what the briefing holds; nothing to import.")
    # An import is an edit: loading the shipped pack over it is refused, naming it.
    refused = briefbot("--db", db, "load")
    assert refused.returncode == 1 and "has 2 changes since its last load" in refused.stdout
    assert "  Revision 3 · pack petro-trump-2026 imported · " in refused.stdout  # as its answer named it
    assert "Blair House" not in ok("--db", db, "admin", "export")
    # Undoing the import brings back the edit it overwrote.
    ok("--db", db, "admin", "undo")
    restored = ok("--db", db, "admin", "export")
    assert "venue: Blair House" in restored and "status: scheduled" in restored


def test_admin_import_help_is_the_command_lines_own_with_its_exit_statuses(tmp_path: Path) -> None:
    """Chat's import is an upload, so the admin help has no `import`: the command line's, which reads a file, answers."""
    for asked in (("import", "--help"), ("import", "pack.yaml", "-h"), ("help", "import")):
        helped = briefbot("--db", tmp_path / "b.sqlite3", "admin", *asked)
        assert helped.returncode == 0 and helped.stdout.startswith("Usage: briefbot admin import PATH [--apply --version N --changes D [--discard-edits]]\n"), helped
        assert f"{EXIT_NOTHING_TO_IMPORT} when the pack holds exactly what the briefing holds (nothing to import)" in helped.stdout
    assert ok("--db", tmp_path / "b.sqlite3", "admin", "set", "--help").startswith("Help: set\n")


@pytest.fixture
def two_packs(tmp_path: Path) -> Path:
    """A packs folder holding the shipped pack and a second briefing."""
    packs = tmp_path / "packs"
    packs.mkdir()
    (packs / PACK.name).write_text(PACK.read_text(encoding="utf-8"), encoding="utf-8")
    changed_pack(packs / f"{OTHER_ID}.yaml", f"  id: {BRIEFING_ID}\n", f"  id: {OTHER_ID}\n")
    return packs


def config(tmp_path: Path, packs: Path, default: str | None) -> Path:
    """A settings file over `packs`, naming `default` as default_briefing (or none)."""
    path = tmp_path / f"config-{default}.yaml"
    line = f"default_briefing: {default}\n" if default else ""
    path.write_text(f"store: {{packs: {packs}}}\n{line}log_level: WARNING\n", encoding="utf-8")
    return path


def test_the_configured_default_wins_at_start_up(tmp_path: Path, two_packs: Path) -> None:
    db = tmp_path / "b.sqlite3"
    plain, other = config(tmp_path, two_packs, None), config(tmp_path, two_packs, OTHER_ID)
    ok("--config", plain, "--db", db, "ask", "/meeting")  # seeds both packs
    assert stored_default(db) == [BRIEFING_ID]

    ok("--config", other, "--db", db, "ask", "/meeting")  # a start with the config naming the other briefing
    assert stored_default(db) == [OTHER_ID]
    assert f"  id: {OTHER_ID}\n" in ok("--config", other, "--db", db, "export")
    listed = ok("--config", other, "--db", db, "briefings", "list")
    assert f"* {OTHER_ID} — " in listed and f"  {BRIEFING_ID} — " in listed
    assert f"default_briefing in the settings: {OTHER_ID}; it wins at every start" in listed


def test_a_configured_default_the_store_lacks_is_a_start_up_error(tmp_path: Path, two_packs: Path) -> None:
    """Named by its settings file, as docs/configuration.md says every problem of the settings is."""
    db = tmp_path / "b.sqlite3"
    settings = config(tmp_path, two_packs, "nope")
    result = briefbot("--config", settings, "--db", db, "ask", "/meeting")
    assert result.returncode == 2, result.stderr
    assert result.stdout == ""
    assert result.stderr.strip() == (
        f"briefbot: {settings}: default_briefing: “nope” is not in the store, which holds: {BRIEFING_ID}, {OTHER_ID}. "
        "Name one of those, or load its pack first (briefbot load PATH)."
    )
    listed = ok("--config", config(tmp_path, two_packs, "nope"), "--db", db, "briefings", "list")
    assert "default_briefing in the settings: nope; it wins at every start, but the store does not hold it" in listed


def test_briefings_default_changes_the_default_and_never_reloads_a_pack(tmp_path: Path, two_packs: Path) -> None:
    db = tmp_path / "b.sqlite3"
    plain = config(tmp_path, two_packs, None)
    ok("--config", plain, "--db", db, "admin", "set", "kind:meeting", "status:concluded")
    before = revisions(db)

    assert ok("--config", plain, "--db", db, "briefings", "default", OTHER_ID) == f"default: {OTHER_ID}\n"
    assert stored_default(db) == [OTHER_ID] and revisions(db) == before
    assert "status: concluded" in ok("--config", plain, "--db", db, "--briefing", BRIEFING_ID, "export")
    assert ok("--config", plain, "--db", db, "briefings", "list").startswith(f"  {BRIEFING_ID} — ")

    unknown = briefbot("--config", plain, "--db", db, "briefings", "default", "nope")
    assert unknown.returncode == 1
    assert unknown.stderr.strip() == f"briefbot: There is no briefing “nope”; the store holds: {BRIEFING_ID}, {OTHER_ID}."

    # While the settings name a default, they win at every start: changing it here would not last.
    pinned = config(tmp_path, two_packs, OTHER_ID)
    refused = briefbot("--config", pinned, "--db", db, "briefings", "default", BRIEFING_ID)
    assert refused.returncode == 1 and f"sets default_briefing: {OTHER_ID}, which wins at every start" in refused.stderr
    loaded = briefbot("--config", pinned, "--db", db, "load", RELATIVE_PACK, "--default")
    assert loaded.returncode == 1 and "which wins at every start" in loaded.stderr
    assert stored_default(db) == [OTHER_ID] and revisions(db) == before


def test_the_quick_starts_work_with_the_shipped_settings(tmp_path: Path, two_packs: Path) -> None:
    """README's and the admin guide's commands, as a newcomer types them: nothing in config/ stands in their way."""
    other = two_packs / f"{OTHER_ID}.yaml"
    db = tmp_path / "guide.sqlite3"  # the admin guide: load the shipped pack, then one's own as the default
    ok("--db", db, "load", RELATIVE_PACK)
    assert ok("--db", db, "load", other, "--default") == f"loaded: {OTHER_ID}\n"
    assert stored_default(db) == [OTHER_ID]
    assert f"  id: {OTHER_ID}\n" in ok("--db", db, "export")  # and it lasts: every start keeps it

    db = tmp_path / "readme.sqlite3"  # README: a first load is stored beside the shipped briefing
    assert ok("--db", db, "load", other).splitlines() == [
        f"loaded: {BRIEFING_ID} (the store held no briefing: a first load brings every pack in data too)",
        f"loaded: {OTHER_ID}",
    ]
    assert stored_default(db) == [BRIEFING_ID]
    assert "Petro" in ok("--db", db, "--briefing", OTHER_ID, "ask", "/brief")
    assert [line[2:].split(" — ")[0] for line in ok("--db", db, "briefings", "list").splitlines()[::2]] == [BRIEFING_ID, OTHER_ID]
    # A pack named in the first load replaces the folder's pack of its briefing: it is not loaded twice.
    postponed = changed_pack(tmp_path / "p.yaml", "  status: scheduled", "  status: postponed")
    db = tmp_path / "own.sqlite3"
    assert ok("--db", db, "load", postponed) == f"loaded: {BRIEFING_ID}\n"
    assert "status: postponed" in ok("--db", db, "export")


def test_a_command_naming_its_briefing_works_whatever_the_settings_default(tmp_path: Path, two_packs: Path) -> None:
    db = tmp_path / "b.sqlite3"
    empty = tmp_path / "empty"
    empty.mkdir()
    ok("--config", config(tmp_path, empty, None), "--db", db, "load", two_packs / f"{OTHER_ID}.yaml")  # no packs to seed
    pinned = config(tmp_path, two_packs, BRIEFING_ID)  # names a briefing this store lacks
    answered = briefbot("--config", pinned, "--db", db, "--briefing", OTHER_ID, "ask", "/brief")
    assert answered.returncode == 0 and "Petro" in answered.stdout, answered.stderr
    assert f"{pinned}: default_briefing: “{BRIEFING_ID}” is not in the store" in answered.stderr  # said, as a warning
    assert stored_default(db) == [OTHER_ID]
    unnamed = briefbot("--config", pinned, "--db", db, "ask", "/brief")  # this one needs the default
    assert unnamed.returncode == 2 and f"briefbot: {pinned}: default_briefing: “{BRIEFING_ID}” is not in the store" in unnamed.stderr


def test_two_files_of_one_briefing_id_are_refused_in_one_run_naming_both(tmp_path: Path, two_packs: Path) -> None:
    """Stored one after the other, the last would silently replace the first: load, validate and seeding refuse them all."""
    copy = changed_pack(two_packs / "copy.yaml", "  status: scheduled", "  status: postponed")  # the shipped id again
    shipped = two_packs / PACK.name
    problem = (f"{shipped}: briefing.id: “{BRIEFING_ID}” is also the briefing id of {copy}; "
               "one load stores a briefing once, so give each pack its own id")
    db = tmp_path / "b.sqlite3"
    for command in (["load", copy, shipped], ["--config", config(tmp_path, two_packs, None), "load"]):
        refused = briefbot("--db", db, *command)
        assert refused.returncode == 1 and refused.stdout == "", refused.stderr
        assert problem in refused.stderr.splitlines()
        assert not db.exists()  # checked before the store is opened
    started = briefbot("--config", config(tmp_path, two_packs, None), "--db", db, "ask", "/brief")  # seeding the folder
    assert started.returncode == 1 and problem in started.stderr.splitlines()
    assert stored_default(db) == []
    checked = briefbot("validate", two_packs)
    assert checked.returncode == 1 and problem in checked.stderr.splitlines()
    assert f"{copy}: ok: {BRIEFING_ID}" in checked.stdout and f"{two_packs / OTHER_ID}.yaml: ok: {OTHER_ID}" in checked.stdout
    assert ok("validate", shipped, shipped).count(f"{shipped}: ok: {BRIEFING_ID}") == 2  # one file named twice is no clash


def test_a_redo_is_named_as_a_redo_in_briefings_list_and_a_refused_load_as_in_history(tmp_path: Path) -> None:
    db = tmp_path / "b.sqlite3"
    ok("--db", db, "admin", "set", "kind:meeting", "status:concluded")
    ok("--db", db, "admin", "undo")
    ok("--db", db, "admin", "redo")
    redone = "Revision 4 · session/meeting redone (undo 3 taken back)"
    assert redone in ok("--db", db, "admin", "history")
    assert ok("--db", db, "briefings", "list").splitlines()[1].startswith(f"    last change: {redone} · ")
    refused = briefbot("--db", db, "load")
    assert refused.returncode == 1 and f"  {redone} · " in refused.stdout.splitlines()[2]
    assert "  Revision 3 · session/meeting as before revision 2 (undo) · " in refused.stdout  # the undo it took back
