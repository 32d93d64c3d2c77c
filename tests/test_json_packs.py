"""Packs written as JSON (issue #18 §2): read about 20× faster than YAML, with the same rules and errors."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from bot.core.pack import pack_mapping
from bot.errors import PackError
from bot.store.packfile import MAX_FILE_BYTES, MAX_NUMBER, read_pack
from tests.cli_support import briefbot
from tests.conftest import PACK


def twins(folder: Path) -> tuple[Path, Path]:
    """The shipped pack as YAML and as JSON, side by side (their evidence texts are found the same way, or not)."""
    yaml_file, json_file = folder / "pack.yaml", folder / "pack.json"
    yaml_file.write_text(PACK.read_text(encoding="utf-8"), encoding="utf-8")
    json_file.write_text(json.dumps(pack_mapping(read_pack(PACK)), ensure_ascii=False, indent=1), encoding="utf-8")
    return yaml_file, json_file


def stored(db: Path) -> list[list[tuple[object, ...]]]:
    """What a load wrote: the briefing's head, sides and item rows."""
    with sqlite3.connect(db) as conn:
        return [
            conn.execute("SELECT id, title, summary, zones, content_hash, evidence, language, translations FROM briefings").fetchall(),
            conn.execute("SELECT * FROM sides ORDER BY briefing_id, position").fetchall(),
            conn.execute("SELECT briefing_id, kind, id, position, data, search_title, search_body FROM items ORDER BY kind, position").fetchall(),
        ]


def test_a_json_pack_validates_and_loads_to_what_its_yaml_twin_does(tmp_path: Path) -> None:
    yaml_file, json_file = twins(tmp_path)
    assert read_pack(json_file) == read_pack(yaml_file)
    checked = [briefbot("validate", path) for path in (yaml_file, json_file)]
    assert [result.returncode for result in checked] == [0, 0]
    assert checked[1].stdout.replace("pack.json", "pack.yaml") == checked[0].stdout
    for path in (yaml_file, json_file):
        loaded = briefbot("--db", tmp_path / f"{path.suffix[1:]}.sqlite3", "load", path)
        assert loaded.returncode == 0 and "loaded: petro-trump-2026" in loaded.stdout, loaded.stderr
    assert stored(tmp_path / "json.sqlite3") == stored(tmp_path / "yaml.sqlite3")


def test_a_json_pack_with_a_byte_order_mark_validates_and_loads_as_its_yaml_twin_does(tmp_path: Path) -> None:
    """Windows editors start UTF-8 files with a BOM: YAML's reader skips it, and so does the JSON one."""
    yaml_file, json_file = twins(tmp_path)
    for path in (yaml_file, json_file):
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    checked = [briefbot("validate", path) for path in (yaml_file, json_file)]
    assert [result.returncode for result in checked] == [0, 0], checked[1].stdout + checked[1].stderr
    for path in (yaml_file, json_file):
        loaded = briefbot("--db", tmp_path / f"{path.suffix[1:]}.sqlite3", "load", path)
        assert loaded.returncode == 0 and "loaded: petro-trump-2026" in loaded.stdout, loaded.stderr
    assert stored(tmp_path / "json.sqlite3") == stored(tmp_path / "yaml.sqlite3")


def test_a_packs_folder_holds_json_packs_too(tmp_path: Path) -> None:
    _, json_file = twins(tmp_path)
    (tmp_path / "pack.yaml").unlink()
    checked = briefbot("validate", tmp_path)
    assert checked.returncode == 0 and f"{json_file}: ok: petro-trump-2026" in checked.stdout, checked.stderr


@pytest.mark.parametrize(("text", "where", "message"), [
    ('{"briefing": {"id": "one", "id": "two"}}', "line 1, column 28", "not valid JSON: duplicate key 'id'"),  # the second
    ('{"briefing": {"id": "one",\n "x": {"k": 1, "k": 2}, "id": 3}}', "line 2, column 16", "not valid JSON: duplicate key 'k'"),
    ('{"briefing": {"id": "one",}}', "line 1, column 27", "not valid JSON: Expecting property name enclosed in double quotes"),
    ('{"format": "NaN: {",\n "briefing": [1, -Infinity]}', "line 2, column 18", "not valid JSON: -Infinity is not a JSON value"),
    (f'{{"format": {"7" * (MAX_NUMBER + 1)}}}', "line 1, column 12", f"a number longer than {MAX_NUMBER} characters; quote it if it is meant as text"),
    ("[" * 5000 + "]" * 5000, "(top)", "nested more than 1000 levels deep; a pack needs about five"),
])
def test_a_json_pack_breaking_a_rule_is_a_clear_error_and_loads_nothing(tmp_path: Path, text: str, where: str, message: str) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(PackError):
        read_pack(bad)
    checked = briefbot("validate", bad)
    assert checked.returncode == 1 and f"{bad}: {where}: {message}" in checked.stderr.splitlines(), checked.stderr
    db = tmp_path / "b.sqlite3"
    loaded = briefbot("--db", db, "load", bad)
    assert loaded.returncode == 1 and message in loaded.stderr and "Traceback" not in loaded.stderr
    assert not db.exists()  # validated before the store is opened


@pytest.mark.parametrize("name", ["bad.json", "bad.yaml"])
def test_a_byte_that_is_not_utf_8_is_named_by_its_line_and_column(tmp_path: Path, name: str) -> None:
    bad = tmp_path / name
    bad.write_bytes('{"format": 1,\n "briefing": {"title": "Bogotá'.encode() + "é".encode("latin-1") + b'"}}')
    checked = briefbot("validate", bad)
    assert checked.returncode == 1
    assert checked.stderr == f"{bad}: line 2, column 31: cannot be read as UTF-8 text: byte 0xe9 is not UTF-8 (save the file as UTF-8)\n"


def test_a_json_pack_over_the_file_cap_is_refused_before_reading(tmp_path: Path) -> None:
    over = tmp_path / "over.json"
    with over.open("wb") as file:
        file.truncate(MAX_FILE_BYTES + 1)  # sparse: nothing written
    with pytest.raises(PackError) as caught:
        read_pack(over)
    assert [p.key for p in caught.value.problems] == ["pack.too_large"] and caught.value.problems[0].params == (("limit", "100 MB"),)
    loaded = briefbot("--db", tmp_path / "b.sqlite3", "load", over)
    assert loaded.returncode == 1 and "is larger than 100 MB, the most a pack may be" in loaded.stderr
    assert not (tmp_path / "b.sqlite3").exists()


def test_half_of_an_encoded_character_is_a_clear_error_and_loads_nothing(tmp_path: Path) -> None:
    # JSON may write a lone surrogate ("\ud800"): Python reads it as a str no UTF-8 text can hold, and the
    # load crashed hashing the pack. It is refused with its place, as a control character is.
    data = pack_mapping(read_pack(PACK))
    data["faq"][0]["answer"] = "Half of a pair: \ud800."
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data), encoding="utf-8")  # ensure_ascii: the file holds the escape, as such files do
    message = f"{bad}: faq[0] (id main-topics).answer: contains half of an encoded character (such as \\ud800 in JSON); write the character itself"
    checked = briefbot("validate", bad)
    assert checked.returncode == 1 and message in checked.stderr.splitlines(), checked.stderr
    db = tmp_path / "b.sqlite3"
    assert briefbot("--db", db, "load", PACK).returncode == 0
    before = stored(db)
    loaded = briefbot("--db", db, "load", bad)
    assert loaded.returncode == 1 and message in loaded.stderr.splitlines() and "Traceback" not in loaded.stderr
    assert stored(db) == before
