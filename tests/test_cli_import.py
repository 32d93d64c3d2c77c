"""`briefbot admin import` as an editor uses it: an export changed by hand, with chat edits and file edits in between."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import pytest

from bot.cli.exits import EXIT_NOTHING_TO_IMPORT
from tests.cli_support import briefbot, printed_apply
from tests.conftest import BRIEFING_ID
from tests.test_cli_loading import WHEN, ok, revisions
from tests.test_cli_pack import dump

OAS = "  title: Meeting with the Secretary-General of the OAS\n"


def exported(tmp_path: Path, name: str = "a.yaml") -> tuple[Path, Path]:
    """A seeded store and the briefing exported from it: (store, file)."""
    db, pack = tmp_path / "b.sqlite3", tmp_path / name
    ok("--db", db, "ask", "/sources")
    ok("--db", db, "export", "-o", pack)
    return db, pack


def replaced(path: Path, old: str, new: str) -> None:
    """The file with one text replaced, exactly once."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def words(text: str) -> str:
    """Text with its wrapping undone."""
    return " ".join(text.split())


def test_an_import_names_the_chat_edits_it_would_take_back_and_takes_them_back_only_when_told(tmp_path: Path) -> None:
    db, pack = exported(tmp_path)
    # A console edit and an added entry after the export, then the export retitled elsewhere and imported.
    console = briefbot("--db", db, "console", stdin='set kind:session id:meeting status:concluded outcome:"Both sides met."\n')
    assert console.returncode == 0, console.stderr
    ok("--db", db, "admin", "add", "kind:context", "id:rally-note", "title:Rally", "body:Supporters met in Bogotá.",
       "sources:cubaheadlines-2026-02-03", "evidence:Since then, the bilateral relationship has deteriorated")
    replaced(pack, OAS, "  title: OAS talks\n")
    edited = dump(db)

    dry = briefbot("--db", db, "admin", "import", pack)
    assert dry.returncode == 0, dry.stderr
    assert f"“{BRIEFING_ID}” has 2 changes since its last load which importing {pack} would take back:" in words(dry.stdout)
    lines = dry.stdout.splitlines()
    taken = [line for line in lines if line.startswith("  Revision ")]
    assert [line.split(" · ")[:2] for line in taken] == [["  Revision 3", "context/rally-note added"], ["  Revision 2", "session/meeting changed"]]
    assert re.search(WHEN + " · cli · operator$", taken[0]) and re.search(WHEN + " · console · local$", taken[1]), taken
    assert "Edited since the last load and changed by the file: context/rally-note, session/meeting" in lines
    assert {"meeting: changed: outcome, status", "agenda: changed: oas-secretary-general (title)", "context: removed: rally-note"} <= set(lines)
    apply = printed_apply(dry.stdout)
    assert apply[-1] == "--discard-edits"

    # The apply the dry run would have printed without those edits takes nothing back: refused, with the same list.
    kept = briefbot("--db", db, "admin", "import", pack, *apply[:-1])
    assert kept.returncode == 1
    assert "Nothing was imported: it would take back the edits listed below, made since the last load" in words(kept.stderr)
    assert "Edited since the last load and changed by the file: context/rally-note, session/meeting" in kept.stderr
    assert dump(db) == edited

    applied = briefbot("--db", db, "admin", "import", pack, *apply)
    assert applied.returncode == 0 and "Revision 4: the pack was imported" in applied.stdout, applied.stdout
    after = ok("--db", db, "admin", "export")
    assert "status: scheduled" in after and "Both sides met." not in after and "rally-note" not in after and "OAS talks" in after
    ok("--db", db, "admin", "undo")  # one revision, which undo reverts
    back = ok("--db", db, "admin", "export")
    assert "status: concluded" in back and "rally-note" in back and "OAS talks" not in back


def test_an_import_that_takes_back_nothing_needs_no_word_for_it(tmp_path: Path) -> None:
    """An edit the file holds as it is stays: the dry run names nothing and its apply has no --discard-edits."""
    db, pack = exported(tmp_path)
    ok("--db", db, "admin", "set", "kind:meeting", "status:concluded")
    replaced(pack, "  status: scheduled\n", "  status: concluded\n")  # as the edit left it
    replaced(pack, OAS, "  title: OAS talks\n")
    dry = briefbot("--db", db, "admin", "import", pack)
    assert "would take back" not in dry.stdout and "agenda: changed: oas-secretary-general (title)" in dry.stdout, dry.stdout
    assert printed_apply(dry.stdout)[-1] != "--discard-edits"
    assert briefbot("--db", db, "admin", "import", pack, *printed_apply(dry.stdout)).returncode == 0


def test_the_printed_apply_repeats_the_options_given_so_it_applies_to_the_same_store(tmp_path: Path) -> None:
    """A dry run given --config, --db, --briefing and --locale prints an apply naming them all: pasted as printed, it imports
    into the same store and briefing, and answers in the same language (without them it would open the configured store);
    a file name with spaces is quoted, as load's hint quotes it."""
    db, pack = exported(tmp_path, "my pack.yaml")
    config = tmp_path / "my settings.yaml"
    config.write_text("page_size: 7\n", encoding="utf-8")
    replaced(pack, OAS, "  title: OAS talks\n")
    given = ["--config", str(config), "--db", str(db), "--briefing", BRIEFING_ID, "--locale", "es"]
    dry = briefbot(*given, "admin", "import", pack)
    assert dry.returncode == 0, dry.stderr
    found = re.search(r"(briefbot .*? --changes [0-9a-f]+)", words(dry.stdout))
    assert found, dry.stdout
    command = shlex.split(found[1])
    assert command[: len(given) + 4] == ["briefbot", *given, "admin", "import", str(pack)], command
    applied = briefbot(*command[1:])
    assert applied.returncode == 0 and "se importó el paquete" in applied.stdout, applied.stdout + applied.stderr
    assert "OAS talks" in ok("--db", db, "ask", "/agenda")


@pytest.mark.parametrize("locale", ["en", "es"])
def test_the_import_help_names_every_option_an_apply_needs(tmp_path: Path, locale: str) -> None:
    """`admin import --help` gives the apply as a dry run prints it, taking back an edit: nothing it needs is left out."""
    db, pack = exported(tmp_path)
    ok("--db", db, "admin", "set", "kind:meeting", "status:concluded")  # an edit the file takes back
    replaced(pack, OAS, "  title: OAS talks\n")
    dry = briefbot("--db", db, "--locale", locale, "admin", "import", pack)
    needed = [word for word in printed_apply(dry.stdout) if word.startswith("--")]
    assert needed == ["--apply", "--version", "--changes", "--discard-edits"], needed
    usage = ok("--db", db, "--locale", locale, "admin", "import", "--help").splitlines()[0]
    assert [flag for flag in needed if flag not in usage.split("[", 1)[1]] == [], usage


def test_an_apply_after_the_file_changed_is_refused_and_shows_the_new_diff(tmp_path: Path) -> None:
    """docs/loading.md: an import only ever applies the diff somebody saw, the file's changes included."""
    db, pack = exported(tmp_path, "g.yaml")
    replaced(pack, OAS, "  title: OAS talks\n")
    dry = briefbot("--db", db, "admin", "import", pack)
    assert [line for line in dry.stdout.splitlines() if ": changed: " in line] == ["agenda: changed: oas-secretary-general (title)"]
    apply = printed_apply(dry.stdout)
    text = pack.read_text(encoding="utf-8")
    faq = text.index("\nfaq:\n") + len("\nfaq:\n")
    pack.write_text(text[:faq] + text[text.index("\n- id: ", faq) + 1 :], encoding="utf-8")  # its first question deleted after the dry run
    before = dump(db)

    refused = briefbot("--db", db, "admin", "import", pack, *apply)
    assert refused.returncode == 1
    assert words(refused.stderr).startswith("Dry run: 2 parts would change.")  # a refusal, on standard error
    assert "Nothing was imported: the file no longer holds what its dry run showed" in words(refused.stderr)
    assert "faq: removed: " in refused.stderr and dump(db) == before
    again = printed_apply(refused.stderr)
    assert again[:3] == apply[:3] and again[4] != apply[4]  # the same version, other changes
    assert briefbot("--db", db, "admin", "import", pack, *again).returncode == 0
    assert revisions(db)[-1] == (2, "import", "cli", f"briefing/{BRIEFING_ID}")


def test_an_order_change_is_listed_and_applied_as_listed(tmp_path: Path) -> None:
    db, pack = exported(tmp_path)
    text = pack.read_text(encoding="utf-8")
    first = text.index("\ncontext:\n- id: ") + len("\ncontext:\n")  # its entries start at the margin, their fields indented
    second = text.index("\n- id: ", first) + 1
    third = text.index("\n- id: ", second) + 1
    pack.write_text(text[:first] + text[second:third] + text[first:second] + text[third:], encoding="utf-8")
    ids = [entry[len("- id: "):].split("\n")[0] for entry in (text[first:second], text[second:third])]

    alone = briefbot("--db", db, "admin", "import", pack)  # was "nothing to import", yet its apply (or a load) reordered
    assert f"context: moved: {ids[1]}" in alone.stdout.splitlines(), alone.stdout
    replaced(pack, OAS, "  title: OAS talks\n")
    dry = briefbot("--db", db, "admin", "import", pack)
    assert {"agenda: changed: oas-secretary-general (title)", f"context: moved: {ids[1]}"} <= set(dry.stdout.splitlines()), dry.stdout
    assert briefbot("--db", db, "admin", "import", pack, *printed_apply(dry.stdout)).returncode == 0
    stored = ok("--db", db, "admin", "export").split("\ncontext:\n")[1]
    assert stored.index(f"- id: {ids[1]}\n") < stored.index(f"- id: {ids[0]}\n")
    assert nothing_to_import(db, pack)
    assert f"context: moved: {ids[1]}" in ok("--db", db, "admin", "history")


def nothing_to_import(db: Path, pack: Path) -> bool:
    """Whether importing `pack` finds nothing to change, as a script reads it: exit status 3, and the words of it."""
    same = briefbot("--db", db, "admin", "import", pack)
    return same.returncode == EXIT_NOTHING_TO_IMPORT and same.stdout.startswith("The pack holds exactly what the briefing holds")


def test_a_dropped_translation_is_named_by_its_language_and_field(tmp_path: Path) -> None:
    db, pack = exported(tmp_path)
    text = pack.read_text(encoding="utf-8")
    start = text.index("- id: tariff-threat\n")
    block = text.index("  translations:\n", start)
    end = text.index("\n- id: ", block) + 1
    pack.write_text(text[:block] + text[end:], encoding="utf-8")
    dry = briefbot("--db", db, "admin", "import", pack)
    line = next(line for line in dry.stdout.splitlines() if line.startswith("timeline: "))
    assert line.startswith("timeline: changed: tariff-threat (the Spanish translation of title was removed"), line
    assert ", translations" not in line and "(translations" not in line


def test_a_json_pack_is_read_as_load_reads_it(tmp_path: Path) -> None:
    db, pack = exported(tmp_path, "x.json")
    assert nothing_to_import(db, pack)
    data = json.loads(pack.read_text(encoding="utf-8"))
    quoted = tmp_path / "quoted.json"  # single quotes: YAML, not JSON
    quoted.write_text(pack.read_text(encoding="utf-8").replace('"format": 1', "'format': 1", 1), encoding="utf-8")
    nan = tmp_path / "nan.json"
    data["sessions"][0]["title"] = float("nan")
    nan.write_text(json.dumps(data), encoding="utf-8")
    for bad in (quoted, nan):
        imported, loaded = (briefbot("--db", db, *command, bad) for command in (("admin", "import"), ("load",)))
        assert imported.returncode == 1 and "not valid JSON" in imported.stderr, imported.stdout + imported.stderr
        assert imported.stderr.splitlines()[0] == loaded.stderr.splitlines()[0]
    assert "NaN is not a JSON value" in briefbot("--db", db, "admin", "import", nan).stderr


def test_a_pack_whose_id_is_no_stored_briefing_may_be_a_typo(tmp_path: Path) -> None:
    db, pack = exported(tmp_path, "my pack.yaml")
    replaced(pack, f"  id: {BRIEFING_ID}\n", "  id: petro-trump-2027\n")
    refused = briefbot("--db", db, "admin", "import", pack)
    said = words(refused.stderr)
    assert refused.returncode == 1
    assert "If its briefing.id is a typo, correct it and import the file again." in said, said
    assert said.endswith(f"To store it as a new briefing beside “{BRIEFING_ID}”, load it: briefbot load {shlex.quote(str(pack))}"), said
