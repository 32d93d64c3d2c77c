"""Every pack problem is a clear PackError, however hostile the file: size, nesting, numbers, tags.

Before these limits, 500 levels of nesting raised RecursionError, a 5,000-digit integer ValueError,
and `validate /dev/zero` read until memory ran out.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.admin.policy import AdminPolicy, Admins
from bot.core.catalogue import Catalogue
from bot.core.pack import MAX_PACK_BYTES, problem_lines
from bot.core.requests import Request
from bot.core.service import BriefingCore
from bot.errors import MAX_PROBLEMS, PackError
from bot.store import Store, packfile
from bot.store.packfile import MAX_DEPTH, MAX_FILE_BYTES, MAX_NUMBER, pack_text, read_pack, read_pack_text
from tests.cli_support import briefbot
from tests.conftest import BEFORE, PACK

TOO_LARGE = Catalogue()("pack.too_large", limit="1 MB")  # a pack sent in chat
FILE_TOO_LARGE = Catalogue()("pack.too_large", limit="100 MB")  # a pack file the operator loads or imports


def keys(error: PackError) -> list[str]:
    """The catalogue keys of a PackError's problems, in order."""
    return [problem.key for problem in error.problems]


def refused(text: str) -> PackError:
    """The PackError reading `text` raises (it must raise one)."""
    with pytest.raises(PackError) as caught:
        read_pack_text(text, "x.yaml")
    return caught.value


def nested(levels: int, block: bool) -> str:
    """A value nested `levels` deep, as flow (`[[[…]]]`) or block (indented mappings) YAML."""
    if block:
        return "".join(f"{'  ' * n}k{n}:\n" for n in range(levels)) + f"{'  ' * levels}v\n"
    return "a: " + "[" * levels + "]" * levels + "\n"


@pytest.mark.parametrize("block", [False, True])
def test_deep_nesting_is_refused_at_its_position(block: bool) -> None:
    error = refused(nested(500, block))
    assert keys(error) == ["pack.too_deep"]
    assert error.problems[0].path.startswith("line ")
    assert f"more than {MAX_DEPTH} levels" in problem_lines(error, Catalogue())[0]


def test_nesting_up_to_the_limit_is_only_a_schema_problem() -> None:
    # The root mapping is one level and the scalar at the bottom another.
    assert "pack.too_deep" not in keys(refused(nested(MAX_DEPTH - 1, block=True)))
    assert "pack.too_deep" in keys(refused(nested(MAX_DEPTH, block=True)))


def test_a_deep_operator_file_past_the_chat_cap_is_refused_as_a_chat_upload_is(tmp_path: Path) -> None:
    """libyaml parses every pack, and the pack composer over its events keeps MAX_DEPTH (libyaml's own limit is 1,000)."""
    deep = tmp_path / "deep.yaml"
    deep.write_text(nested(500, block=False) + "# " + "x" * (2 * MAX_PACK_BYTES) + "\n", encoding="utf-8")
    with pytest.raises(PackError) as caught:
        read_pack(deep)
    assert problem_lines(caught.value, Catalogue()) == [f"{deep}: line 1, column 23: nested more than {MAX_DEPTH} levels deep; a pack needs about five"]


# The shipped pack with its first event anchored, and a second event that is an alias of it.
TIMELINE = "\ntimeline:\n"
FIRST_EVENT = f"{TIMELINE}  - id: deportation-flights-blocked\n"
ANCHORED = "\ntimeline:\n  - &first\n    id: deportation-flights-blocked\n"
ALIASED = "\ntimeline:\n  - *first\n  - id: deportation-flights-blocked\n"


@pytest.mark.parametrize(("written", "mark"), [(ANCHORED, "&first"), (ALIASED, "*first")])
def test_an_anchor_or_alias_is_refused_at_its_line_in_both_languages(written: str, mark: str) -> None:
    """One event written once and used 130,000 times fits in 1 MB: its checks and problems would come 130,000 times."""
    text = PACK.read_text(encoding="utf-8")
    line = text[: text.index(FIRST_EVENT)].count("\n") + 3  # the event's line: after the blank line and `timeline:`
    error = refused(text.replace(FIRST_EVENT, written, 1))
    assert problem_lines(error, Catalogue()) == [
        f"x.yaml: line {line}, column 5: a YAML anchor or alias ({mark}), which a pack does not take; write the item out in full at each place it is used"
    ]
    assert problem_lines(error, Catalogue("es")) == [
        f"x.yaml: line {line}, column 5: un ancla o alias de YAML ({mark}), que un paquete no admite; escribe el elemento completo en cada lugar donde aparezca"
    ]


@pytest.mark.parametrize("text", ["a: &x 1\nb: *x\n", "a: [1, *x]\n", nested(500, block=True), "a:\n  <<: {b: 1}\n"])
def test_the_python_parser_refuses_as_libyaml_does(text: str) -> None:
    """Without libyaml (a PyYAML built without it), the Python parser reads packs under the same composer."""
    def refusal(loader: type[yaml.SafeLoader] | type[yaml.CSafeLoader]) -> tuple[str, int, int]:
        with pytest.raises(yaml.YAMLError) as caught:
            yaml.load(text, Loader=loader)  # safe: both are the pack reader's SafeLoaders
        mark = caught.value.problem_mark  # type: ignore[attr-defined]
        return caught.value.key, mark.line, mark.column  # type: ignore[attr-defined]

    assert refusal(packfile._PackLoader) == refusal(packfile._Reader)
    assert refusal(packfile._PackLoader)[0] in ("pack.anchor", "pack.too_deep", "pack.merge_key")


def test_a_merge_key_is_refused_at_its_line_in_both_languages() -> None:
    """`<<:` merges in what an anchor names; PyYAML's own words were "could not determine a constructor for the tag …"."""
    error = refused(PACK.read_text(encoding="utf-8").replace("\nbriefing:\n", "\nbriefing:\n  <<: {id: other}\n", 1))
    line = PACK.read_text(encoding="utf-8").split("\nbriefing:\n")[0].count("\n") + 3
    assert problem_lines(error, Catalogue()) == [
        f"x.yaml: line {line}, column 3: a YAML merge key (<<), which a pack does not take; write each key out in the mapping itself"
    ]
    assert problem_lines(error, Catalogue("es")) == [
        f"x.yaml: line {line}, column 3: una clave de fusión de YAML (<<), que un paquete no admite; escribe cada clave en la propia tabla"
    ]


@pytest.mark.parametrize("character", ["\x00", "\x07", "\x1b", "\x7f", "\ufffe"])
def test_a_control_character_yaml_refuses_is_named_at_its_line_and_column_in_both_languages(character: str) -> None:
    """A raw NUL or BEL was "unknown position: not valid YAML: invalid YAML". libyaml counts the place in UTF-8 bytes: the
    accented letters before it must not move the column."""
    text = PACK.read_text(encoding="utf-8")
    at = text.index("Petro en Washington")  # in the Spanish title, after "ó" and "é" elsewhere in the file
    error = refused(text[:at] + character + text[at:])
    line, column = text[:at].count("\n") + 1, at - text.rfind("\n", 0, at)
    code = f"U+{ord(character):04X}"
    assert problem_lines(error, Catalogue()) == [
        f"x.yaml: line {line}, column {column}: the control character {code} is not allowed in YAML; delete it (retype the text around it if your editor does not show it)"
    ]
    assert problem_lines(error, Catalogue("es")) == [
        f"x.yaml: line {line}, column {column}: el carácter de control {code} no se admite en YAML; bórralo (vuelve a escribir el texto de alrededor si tu editor no lo muestra)"
    ]


async def test_a_chat_import_with_a_control_character_is_refused_with_its_line(store: Store) -> None:
    core = BriefingCore(store.repository, policy=AdminPolicy({"discord": Admins(users=frozenset({"7"}))}), pack_reader=read_pack_text)
    request = Request(command="import", now=BEFORE, platform="discord", user_id="7")
    reply = await core.import_text(request, "format: 1\nbriefing:\n  title: \"a\x07b\"\n", "up.yaml", apply=False)
    assert reply.kind == "error" and "up.yaml: line 3, column 12: the control character U+0007 is not allowed in YAML" in reply.text


async def test_a_chat_import_with_an_alias_is_refused_with_its_line(store: Store) -> None:
    core = BriefingCore(store.repository, policy=AdminPolicy({"discord": Admins(users=frozenset({"7"}))}), pack_reader=read_pack_text)
    request = Request(command="import", now=BEFORE, platform="discord", user_id="7")
    text = PACK.read_text(encoding="utf-8").replace(FIRST_EVENT, ALIASED, 1)
    reply = await core.import_text(request, text, "up.yaml", apply=False)
    assert reply.kind == "error" and "up.yaml: line " in reply.text and "a YAML anchor or alias (*first)" in reply.text


@pytest.mark.parametrize("number", ["1" * 5000, "-" + "9" * 4301, "1" * (MAX_NUMBER + 1), "!!int " + ":".join(["59"] * 20000)])
def test_a_number_longer_than_any_a_pack_holds_is_refused(number: str) -> None:
    error = refused(f"format: {number}\n")
    assert keys(error) == ["pack.number_too_long"]
    assert error.problems[0].path == "line 1, column 9"


def test_a_number_at_the_limit_is_read_as_a_number() -> None:
    error = refused(f"format: {'1' * MAX_NUMBER}\n")
    assert "pack.bad_format" in keys(error) and "pack.number_too_long" not in keys(error)


@pytest.mark.parametrize("value", ["!!int x", "!!bool maybe", "!!timestamp 2025-13-45", "!!timestamp 0000-01-01", "!!float x"])
def test_a_value_that_does_not_fit_its_tag_is_refused_at_it(value: str) -> None:
    error = refused(f"format: 1\nbriefing:\n  id: {value}\n")
    assert keys(error) == ["pack.bad_value"]
    assert error.problems[0].path == "line 3, column 7"


def test_text_with_half_a_character_is_refused_clearly() -> None:
    """libyaml is given the text as UTF-8, which holds no lone surrogate; the chat's import refuses one before, this says why."""
    error = refused("format: 1\nbriefing: \ud800\n")
    assert problem_lines(error, Catalogue()) == ["x.yaml: (top): contains half of an encoded character (such as \\ud800 in JSON); write the character itself"]


def test_text_over_the_cap_is_refused_before_parsing() -> None:
    assert keys(refused("#" * MAX_PACK_BYTES + "\n")) == ["pack.too_large"]
    # Bytes, not characters: "é" is two bytes in UTF-8.
    assert keys(refused("# " + "é" * (MAX_PACK_BYTES // 2))) == ["pack.too_large"]
    assert "pack.too_large" not in keys(refused("#" * (MAX_PACK_BYTES - 1) + "\n"))


def test_a_file_over_the_cap_is_refused_and_one_at_the_cap_is_read(tmp_path: Path) -> None:
    over, at = tmp_path / "over.yaml", tmp_path / "at.yaml"
    over.write_bytes(b"#" * MAX_PACK_BYTES + b"\n")
    at.write_bytes(b"#" * (MAX_PACK_BYTES - 1) + b"\n")
    with pytest.raises(PackError) as caught:
        pack_text(over)
    assert keys(caught.value) == ["pack.too_large"]
    assert len(pack_text(at)) == MAX_PACK_BYTES


@pytest.mark.parametrize(("name", "key"), [(".", "pack.directory"), ("missing.yaml", "pack.not_found")])
def test_a_directory_or_missing_file_is_a_pack_error(tmp_path: Path, name: str, key: str) -> None:
    with pytest.raises(PackError) as caught:
        read_pack(tmp_path / name)
    assert keys(caught.value) == [key]


# Pieces of YAML syntax, tags included, joined at random.
YAMLISH = st.lists(
    st.sampled_from([*"[]{}:,-?!&*|>'\"#%@` \n\t0123456789abcxyz.+_", "!!int ", "!!bool ", "!!timestamp ", "!!float ", ": ", "- ", "\n  "]),
    max_size=80,
).map("".join)


@given(YAMLISH)
@settings(max_examples=300, database=None)
def test_any_text_is_a_pack_or_a_pack_error(text: str) -> None:
    try:
        read_pack_text(text, "x.yaml")
    except PackError as error:
        assert error.problems and all(line for line in problem_lines(error, Catalogue()))  # noqa: PT017 - raising is optional here


async def test_an_import_over_the_cap_is_refused_by_the_core(store: Store) -> None:
    core = BriefingCore(store.repository, pack_reader=read_pack_text)
    request = Request(command="import", now=BEFORE, platform="cli", operator=True, user_id="operator")
    reply = await core.import_text(request, PACK.read_text(encoding="utf-8") + "#" * MAX_PACK_BYTES, "big.yaml", apply=False)
    assert reply.kind == "error" and TOO_LARGE in reply.text


def test_validate_dev_zero_is_bounded_and_clear() -> None:
    result = briefbot("validate", "/dev/zero")
    assert result.returncode == 1
    assert f"/dev/zero: (top): {FILE_TOO_LARGE}" in result.stderr
    assert "Traceback" not in result.stderr


def test_validate_reports_each_hostile_file_clearly(tmp_path: Path) -> None:
    deep, huge = tmp_path / "deep.yaml", tmp_path / "huge.yaml"
    deep.write_text(nested(500, block=False), encoding="utf-8")
    huge.write_text(f"format: {'7' * 5000}\n", encoding="utf-8")
    result = briefbot("validate", deep, huge, PACK)
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert f"{deep}: line 1, column 23: nested more than {MAX_DEPTH} levels deep; a pack needs about five" in lines
    assert f"{huge}: line 1, column 9: a number longer than {MAX_NUMBER} characters; quote it if it is meant as text" in lines
    assert f"{PACK}: ok" in result.stdout  # the good file is still checked
    assert "Traceback" not in result.stderr


def test_load_and_admin_import_of_dev_zero_are_refused(tmp_path: Path) -> None:
    db = tmp_path / "b.sqlite3"
    loaded = briefbot("--db", db, "load", "/dev/zero")
    assert loaded.returncode == 1 and FILE_TOO_LARGE in loaded.stderr
    assert not db.exists()  # validated before the store is opened
    imported = briefbot("--db", db, "admin", "import", "/dev/zero")
    assert imported.returncode == 1 and FILE_TOO_LARGE in imported.stderr
    assert "Traceback" not in loaded.stderr + imported.stderr


def test_an_operator_file_past_the_chat_cap_is_read_and_past_its_own_cap_refused(tmp_path: Path) -> None:
    """A pack file of a few MB validates and loads from the command line (libyaml's parser, the same rules); chat keeps 1 MB."""
    text = PACK.read_text(encoding="utf-8")
    padding = "# " + "x" * 98 + "\n"
    big = tmp_path / "big.yaml"
    big.write_text(text + padding * (2 * MAX_PACK_BYTES // len(padding)), encoding="utf-8")
    assert read_pack(big) == read_pack(PACK)
    with pytest.raises(PackError) as caught:
        read_pack_text(big.read_text(encoding="utf-8"), "big.yaml")
    assert keys(caught.value) == ["pack.too_large"]
    twice = tmp_path / "twice.yaml"  # the large file's reader keeps the pack rules: a repeated key is refused at it
    twice.write_text(text.replace("\nbriefing:\n", "\nbriefing:\n  id: one\n", 1) + padding * (2 * MAX_PACK_BYTES // len(padding)), encoding="utf-8")
    with pytest.raises(PackError) as caught:
        read_pack(twice)
    assert keys(caught.value) == ["pack.yaml"] and "duplicate key 'id'" in str(caught.value.problems[0].params)
    over = tmp_path / "over.yaml"
    with over.open("wb") as file:
        file.truncate(MAX_FILE_BYTES + 1)  # sparse: nothing written
    with pytest.raises(PackError) as caught:
        read_pack(over)
    assert keys(caught.value) == ["pack.too_large"] and caught.value.problems[0].params == (("limit", "100 MB"),)
    loaded = briefbot("--db", tmp_path / "b.sqlite3", "load", big)
    assert loaded.returncode == 0 and "loaded: petro-trump-2026" in loaded.stdout, loaded.stderr
    # The operator's import reads the file as the load did: the same pack, so nothing to import (not "larger than 1 MB").
    imported = briefbot("--db", tmp_path / "b.sqlite3", "admin", "import", big)
    assert imported.stdout.startswith("The pack holds exactly what the briefing holds; nothing to import."), imported.stdout + imported.stderr


def with_events(*events: str) -> str:
    """The shipped pack with these events (flow mappings) first in its timeline."""
    return PACK.read_text(encoding="utf-8").replace(TIMELINE, TIMELINE + "".join(f"  - {e}\n" for e in events), 1)


def undated(n: int) -> list[str]:
    """`n` events each with one problem: a month that does not exist."""
    return [f'{{id: e{i}, title: T, detail: D, date: "2025-13", sources: [cubaheadlines-2026-02-03], evidence: []}}' for i in range(n)]


def test_a_pack_with_thousands_of_problems_lists_the_first_and_counts_the_rest() -> None:
    """130,000 problems were 130,000 lines; the first MAX_PROBLEMS are listed, then how many more there were."""
    error = refused(with_events(*undated(3000)))
    assert len(error.problems) == MAX_PROBLEMS and error.more == 6000 - MAX_PROBLEMS  # a bad date and no evidence each
    assert Catalogue()(error.key, **error.params) == "The pack has 6,000 problems; nothing was loaded."
    lines = problem_lines(error, Catalogue())
    assert len(lines) == MAX_PROBLEMS + 1 and lines[0] == "x.yaml: timeline[0] (id e0).date: expected YYYY, YYYY-MM or YYYY-MM-DD, or a range START/END of those"
    assert lines[-1] == "… and 5,800 more problems, not listed"
    assert problem_lines(error, Catalogue("es"))[-1] == "… y 5.800 problemas más, sin listar"


def test_problems_past_the_listed_ones_are_counted_as_the_first_are() -> None:
    """A translation of a field whose own problem is reported is not complained of, even past the problems listed."""
    untitled = '{id: untitled, title: "", date: "2025-01", sources: [cubaheadlines-2026-02-03], translations: {es: {title: Sin título}}}'
    first, last = refused(with_events(untitled, *undated(300))), refused(with_events(*undated(300), untitled))
    assert first.more == last.more > 0
    assert "pack.translation_without_original" not in keys(first)


async def test_validate_and_a_chat_import_say_how_many_problems_were_not_listed(store: Store, tmp_path: Path) -> None:
    text = with_events(*undated(1000))
    pack = tmp_path / "many.yaml"
    pack.write_text(text, encoding="utf-8")
    validated = briefbot("validate", pack)
    assert validated.returncode == 1 and validated.stderr.splitlines()[-1] == "… and 1,800 more problems, not listed"
    assert len(validated.stderr.splitlines()) == MAX_PROBLEMS + 1
    core = BriefingCore(store.repository, policy=AdminPolicy({"discord": Admins(users=frozenset({"7"}))}), pack_reader=read_pack_text)
    reply = await core.import_text(Request(command="import", now=BEFORE, platform="discord", user_id="7"), text, "up.yaml", apply=False)
    assert reply.text.startswith("The pack has 2,000 problems; nothing was loaded.\nup.yaml: timeline[0] (id e0).date: ")
    assert reply.text.endswith("\n… and 1,800 more problems, not listed")
