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
    assert f"Replace each “Not written yet”, then: briefbot validate {pack}" in written.stdout
    assert 'Replace every "Not written yet"' in text and "label: Venue" in text and "main: Main side" in text
    assert "\nNot written yet\n" in answer.stdout and "(untranslated)" not in answer.stdout


def test_a_spanish_skeleton_says_its_placeholders_in_spanish_and_is_still_unwritten(tmp_path: Path) -> None:
    """`new --language es` wrote English placeholders that Spanish readers saw unmarked, and English readers saw marked
    untranslated; in Spanish they still leave the skeleton out of a first fill's default."""
    packs = tmp_path / "data"
    packs.mkdir()
    (packs / PACK.name).write_text(PACK.read_text(encoding="utf-8"), encoding="utf-8")
    pack = packs / "cumbre.yaml"  # sorts before the shipped pack
    written = briefbot("new", "cumbre", "--title", "Cumbre 2", "--zone", "America/Bogota", "--language", "es", "-o", pack)
    assert written.returncode == 0 and f"Replace each “Sin redactar todavía”, then: briefbot validate {pack}" in written.stdout, written.stderr
    text = pack.read_text(encoding="utf-8")
    assert "Not written yet" not in text and "Main side" not in text and "Venue" not in text, text
    assert 'Replace every "Sin redactar todavía"' in text and "label: Sede" in text and "main: Parte principal" in text, text
    config = tmp_path / "briefbot.yaml"
    config.write_text(f"store: {{packs: {packs}}}\nlog_level: INFO\n", encoding="utf-8")
    db = tmp_path / "b.sqlite3"
    meeting = briefbot("--config", config, "--db", db, "--locale", "es", "ask", "/reunión informe:cumbre")
    assert meeting.stdout.startswith("Reunión: Sin redactar todavía\n") and "Dónde: Sin redactar todavía\n" in meeting.stdout, meeting.stdout
    assert "Not written yet" not in meeting.stdout and "(petro-trump-2026 (the first pack in" not in meeting.stderr
    assert f"default briefing: petro-trump-2026 (the first pack in {packs} whose summary is written)" in meeting.stderr
    sides = briefbot("--config", config, "--db", db, "--locale", "es", "ask", "/delegación informe:cumbre parte:x")
    assert "No hay ninguna parte «x». Partes: Parte principal." in sides.stdout, sides.stdout
    english = briefbot("--config", config, "--db", db, "ask", "/meeting briefing:cumbre").stdout
    assert "Where: Sin redactar todavía (untranslated)\n" in english and "Not written yet" not in english, english


def test_an_existing_file_is_never_overwritten(tmp_path: Path) -> None:
    pack = tmp_path / "mine.yaml"
    pack.write_text("my own work\n", encoding="utf-8")
    refused = briefbot("new", "geneva-talks", "--title", TITLE, "-o", pack)
    assert refused.returncode == 1 and "already exists; nothing was written" in refused.stderr
    assert pack.read_text(encoding="utf-8") == "my own work\n"


def test_a_json_name_is_refused_as_its_comments_cannot_be_json(tmp_path: Path) -> None:
    """It wrote the commented YAML into x.json, which the validate it then suggested refused as "not valid JSON"."""
    refused = briefbot("new", "geneva-talks", "--title", TITLE, "-o", tmp_path / "x.json")
    assert refused.returncode == 1 and "new writes a YAML file" in refused.stderr, refused.stderr
    assert not (tmp_path / "x.json").exists()


def test_a_bad_id_title_or_zone_is_named_as_typed_and_writes_nothing(tmp_path: Path) -> None:
    pack = tmp_path / "e2.yaml"
    for args, said in (
        (["Bad Id", "--title", TITLE], "ID: expected an id of lower-case letters"),
        (["my-ev2", "--title", ""], "--title: must not be empty"),
        (["my-ev2", "--title", TITLE, "--zone", "Mars"], "--zone: expected an IANA time zone"),
        (["my-ev2", "--title", TITLE, "--zone", "localtime"], "--zone: expected an IANA time zone"),
        (["my-ev2", "--title", TITLE, "--zone", "america/lima"], "--zone: expected an IANA time zone spelled as the tz database "
                                                                 "spells it: did you mean America/Lima?"),
        (["my-ev2", "--title", TITLE, "--zone", "Europe/Brusels"], "--zone: expected an IANA time zone spelled as the tz database "
                                                                   "spells it: did you mean Europe/Brussels?"),
    ):
        refused = briefbot("new", *args, "-o", pack)
        assert (refused.returncode, refused.stdout) == (1, ""), refused.stderr
        problem, summary = refused.stderr.splitlines()
        assert problem.startswith(f"briefbot: {said}") and summary == "briefbot: 1 problem; nothing was written.", refused.stderr
        assert "briefing." not in refused.stderr and "loaded" not in refused.stderr and not pack.exists()
    every = briefbot("new", "Bad Id", "--title", "", "--zone", "Mars", "-o", pack)
    assert [line.split(":")[1].strip() for line in every.stderr.splitlines()] == ["ID", "--title", "--zone", "3 problems; nothing was written."]


def test_a_title_of_two_lines_is_refused_so_it_cannot_escape_the_header_comment(tmp_path: Path) -> None:
    """A title is one line: `new --title $'a\\nb'` wrote a pack that loaded and listed its title on two lines."""
    pack = tmp_path / "x.yaml"
    for title in ("Sly\nformat: 2", "a\u2028b"):
        refused = briefbot("new", "sly", "--title", title, "-o", pack)
        assert refused.returncode == 1 and refused.stderr.startswith("briefbot: --title: is one line, but holds a line break;"), refused.stderr
        assert not pack.exists()


def test_a_skeleton_left_in_the_packs_folder_is_never_the_default_a_first_run_makes(tmp_path: Path) -> None:
    """README's quick start writes the skeleton into data/, where it sorts before the shipped pack: readers keep that one."""
    packs = tmp_path / "data"
    packs.mkdir()
    (packs / PACK.name).write_text(PACK.read_text(encoding="utf-8"), encoding="utf-8")
    assert briefbot("new", "climate-talks", "--title", "Climate talks", "-o", packs / "climate-talks.yaml").returncode == 0
    config = tmp_path / "briefbot.yaml"
    config.write_text(f"store: {{packs: {packs}}}\nlog_level: INFO\n", encoding="utf-8")
    started = briefbot("--config", config, "--db", tmp_path / "started.sqlite3", "ask", "/brief")
    assert started.returncode == 0 and started.stdout.startswith("Petro in Washington"), started.stdout + started.stderr
    assert (f"default briefing: petro-trump-2026 (the first pack in {packs} whose summary is written); "
            "briefbot briefings default ID makes another one the default") in started.stderr
    loaded = briefbot("--config", config, "--db", tmp_path / "loaded.sqlite3", "load")  # every pack of the folder, named
    assert loaded.stdout.splitlines() == ["loaded: climate-talks", "loaded: petro-trump-2026"], loaded.stderr
    listed = briefbot("--config", config, "--db", tmp_path / "loaded.sqlite3", "briefings", "list").stdout
    assert "* petro-trump-2026 — " in listed and "  climate-talks — Climate talks" in listed
    alone = tmp_path / "alone"  # a skeleton with no other pack is the default: there is nothing else to answer with
    alone.mkdir()
    (packs / "climate-talks.yaml").rename(alone / "climate-talks.yaml")
    config.write_text(f"store: {{packs: {alone}}}\nlog_level: INFO\n", encoding="utf-8")
    only = briefbot("--config", config, "--db", tmp_path / "alone.sqlite3", "ask", "/brief")
    assert only.stdout.startswith("Climate talks") and f"default briefing: climate-talks (the first pack in {alone})\n" in only.stderr


def test_the_files_guidance_is_in_the_operators_language_its_placeholders_in_the_packs(tmp_path: Path) -> None:
    """A Spanish operator's skeleton was commented in English; an English pack they write keeps English placeholders."""
    pack = tmp_path / "summit.yaml"
    written = briefbot("--locale", "es", "new", "summit", "--title", "Summit", "--language", "en", "-o", pack)
    assert written.returncode == 0 and f"Sustituye cada «Not written yet» y después: briefbot validate {pack}" in written.stdout, written.stderr
    text = pack.read_text(encoding="utf-8")
    assert text.startswith("# Paquete de informe: Summit\n# Formato: docs/data-pack.md. Sustituye cada «Not written yet» por"), text
    assert "\n# Las sesiones de la historia" in text and "\n# The sittings" not in text and "\nlanguage: en\n" in text, text
    assert "\n  summary: Not written yet\n" in text and "Sin redactar" not in text, text
    assert briefbot("validate", pack).returncode == 0
