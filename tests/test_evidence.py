"""Evidence (issue #15 §1): every item carries verbatim passages, and `validate` finds each one in its
source's text — the shipped pack against the article kept outside the repository."""

from __future__ import annotations

import copy
import os
import unicodedata
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.core.admin.policy import AdminPolicy
from bot.core.evidence import contains, misses, unfound
from bot.core.model import Evidence
from bot.core.pack import pack_mapping, parse_pack
from bot.core.passages import normalise
from bot.core.requests import Request
from bot.core.service import BriefingCore
from bot.errors import PackError
from bot.store import Store
from bot.store.packfile import read_pack, read_pack_text, source_texts
from bot.store.texts import read_text
from tests.cli_support import briefbot
from tests.conftest import BRIEFING_ID, PACK, ROOT, SEED
from tests.process_support import read_without_a_writer
from tests.schema009_rows import old_pack_mapping

SHIPPED = read_pack(PACK)
BASE: dict[str, Any] = old_pack_mapping(SHIPPED)  # as the shipped file writes it: one `meeting:`
SOURCE = "cubaheadlines-2026-02-03"
RELATIVE_PACK = str(PACK.relative_to(ROOT))
# One passage and the one-word change that must make validate fail (the delegation's size).
PASSAGE = "Accompanied by a delegation of over ten high-ranking officials"
CHANGED = "Accompanied by a delegation of over nine high-ranking officials"


def problems(data: Any) -> set[tuple[str, str]]:
    with pytest.raises(PackError) as caught:
        parse_pack(data, "edited.yaml")
    return {(p.path, p.key) for p in caught.value.problems}


@pytest.mark.article
def test_every_passage_of_the_shipped_pack_is_in_the_article() -> None:
    texts, missing = source_texts(SHIPPED, PACK, SEED)
    assert set(texts) == {SOURCE} and not missing
    assert unfound(SHIPPED, texts, str(PACK)) == []


@pytest.mark.article
def test_one_changed_word_in_one_passage_fails_validate(tmp_path: Path) -> None:
    text = PACK.read_text(encoding="utf-8")
    changed = tmp_path / "changed.yaml"
    changed.write_text(text.replace(PASSAGE, CHANGED, 1), encoding="utf-8")  # the first is the meeting's
    result = briefbot("validate", changed, "--sources", SEED)
    assert result.returncode == 1
    assert result.stderr == f"{changed}: meeting.evidence[2].passage: this passage is not in the text of source “{SOURCE}”\n"
    assert "ok:" not in result.stdout


@pytest.mark.article
def test_a_passage_validate_cannot_find_in_an_item_names_the_items_id_beside_its_position(tmp_path: Path) -> None:
    changed = tmp_path / "changed.yaml"
    changed.write_text(PACK.read_text(encoding="utf-8").replace("Tensions escalated in January", "Tensions escalated in June", 1), encoding="utf-8")
    result = briefbot("validate", changed, "--sources", SEED)
    assert (result.returncode, result.stderr) == (
        1, f"{changed}: timeline[0] (id deportation-flights-blocked).evidence[0].passage: this passage is not in the text of source “{SOURCE}”\n",
    )


@pytest.mark.article
def test_passages_are_looked_up_once_the_rest_of_the_pack_is_valid(tmp_path: Path) -> None:
    """As docs/data-pack.md says: the passages are found in a pack that validates, so they follow its other problems."""
    changed = tmp_path / "changed.yaml"
    changed.write_text(PACK.read_text(encoding="utf-8").replace(PASSAGE, CHANGED, 1) + "extras: true\n", encoding="utf-8")
    first = briefbot("validate", changed, "--sources", SEED)
    assert first.returncode == 1 and first.stderr.startswith(f"{changed}: extras: unknown key") and "not in the text" not in first.stderr
    changed.write_text(changed.read_text(encoding="utf-8").removesuffix("extras: true\n"), encoding="utf-8")
    assert "meeting.evidence[2].passage: this passage is not in the text" in briefbot("validate", changed, "--sources", SEED).stderr


@pytest.mark.article
def test_validate_finds_the_text_beside_the_pack(tmp_path: Path) -> None:
    # The pack's `text:` is relative to the pack: a copy two folders below a `shared/seed` finds it.
    packs = tmp_path / "checkout" / "data"
    packs.mkdir(parents=True)
    (tmp_path / "shared").symlink_to(SEED.parent, target_is_directory=True)
    (packs / PACK.name).write_text(PACK.read_text(encoding="utf-8"), encoding="utf-8")
    result = briefbot("validate", packs / PACK.name)
    assert result.returncode == 0, result.stderr
    assert "evidence: 86 passages found in the texts of cubaheadlines-2026-02-03" in result.stdout


def test_without_the_text_validate_says_the_evidence_was_not_checked(tmp_path: Path) -> None:
    alone = tmp_path / "alone.yaml"
    alone.write_text(PACK.read_text(encoding="utf-8").replace(PASSAGE, CHANGED), encoding="utf-8")
    result = briefbot("validate", alone)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"{alone}: evidence not checked for {SOURCE}: its text ")
    assert lines[1].startswith(f"{alone}: ok: {BRIEFING_ID}")
    without = tmp_path / "no-text.yaml"
    without.write_text(PACK.read_text(encoding="utf-8").replace("    text: ../../shared/seed/", "    # text: "), encoding="utf-8")
    assert briefbot("validate", without).stdout.splitlines()[0] == f"{without}: evidence not checked: no text file for {SOURCE}"


def test_a_text_that_is_a_pipe_or_a_device_is_no_text(tmp_path: Path) -> None:
    """A FIFO no one writes made `validate` and `load` wait for ever at its open; /dev/zero was read as a megabyte of NULs."""
    fifo = tmp_path / "article.txt"
    os.mkfifo(fifo)
    pack = tmp_path / "piped.yaml"
    pack.write_text(PACK.read_text(encoding="utf-8").replace("    text: ../../shared/seed/000_f34434b4f058b5a7.txt", "    text: article.txt"), encoding="utf-8")
    briefing = read_pack(pack)
    found: list[tuple[dict[str, str], dict[str, Path]]] = []
    read_without_a_writer(fifo, lambda: found.append(source_texts(briefing, pack)), "reading a source's text")
    assert found == [({}, {SOURCE: fifo})]
    assert read_text(Path("/dev/zero")) is None


# "á" composed and decomposed (a letter, then U+0301): finding "a" in a decomposed "á" is no finding.
COPIED = st.text(alphabet=st.sampled_from(list("ab. \t\n\u00a0\u2003\"'-\u201c\u2019\u2014\u00e1\u0301")), max_size=12)


@given(haystack=COPIED, needle=COPIED, start=st.integers(0, 12), end=st.integers(0, 12))
def test_a_passage_is_contained_exactly_when_its_normalised_text_is(haystack: str, needle: str, start: int, end: int) -> None:
    # Any text, and any part of the haystack itself (found as it is, before anything is normalised);
    # `validate`'s and an admin edit's check (`misses`) agree with it.
    for wanted in (needle, haystack[start:end]):
        held = normalise(wanted) in normalise(haystack)
        assert contains(haystack, wanted) == held
        assert (misses([("p", Evidence("s", wanted))], {"s": haystack}) == []) == held


def test_a_letter_without_the_accent_a_decomposed_text_gives_it_is_a_miss() -> None:
    # Found as it is ("Bogota" + U+0301 holds "Bogota"), yet a changed letter: `validate`'s check and the quote check alike.
    text = unicodedata.normalize("NFD", "Petro flew back to Bogotá.")
    assert not contains(text, "Petro flew back to Bogota")
    assert misses([("p", Evidence("s", "Petro flew back to Bogota"))], {"s": text}) != []
    assert contains(text, "Petro flew back to Bogotá") and misses([("p", Evidence("s", "flew back to Bogotá"))], {"s": text}) == []


@pytest.mark.parametrize(
    ("copy_from", "copy_to"),
    [
        ("Petro warns he will defend sovereignty", "Petro   warns he\nwill defend sovereignty"),  # whitespace
        ('even "taking up arms."', "even \u201ctaking up arms.\u201d"),  # typographic quotes
        ("Petro's visa", "Petro\u2019s visa"),
        ("December 2025 - January 2026", "December 2025 \u2013 January 2026"),  # dashes
    ],
)
@pytest.mark.article
def test_only_spacing_quote_marks_and_dashes_are_forgiven(copy_from: str, copy_to: str) -> None:
    article = (SEED / "000_f34434b4f058b5a7.txt").read_text(encoding="utf-8")
    assert copy_from in article
    assert contains(article, copy_to)
    assert not contains(article, copy_to.replace("e", "a", 1))  # one letter changed is a miss


@pytest.mark.parametrize("section", ["timeline", "people", "agenda", "quotes", "faq"])
def test_an_item_without_evidence_is_named(section: str) -> None:
    data = copy.deepcopy(BASE)
    del data[section][0]["evidence"]
    data[section][1]["evidence"] = []
    data[section][2]["evidence"][0]["source"] = "nowhere"
    assert problems(data) == {
        (f"{section}[0].evidence", "pack.missing"),
        (f"{section}[1].evidence", "pack.no_evidence"),
        (f"{section}[2].evidence[0].source", "pack.unknown_ref_among"),
    }


def test_the_summary_and_the_meeting_need_evidence_too() -> None:
    data = copy.deepcopy(BASE)
    del data["briefing"]["evidence"]
    data["meeting"]["evidence"] = []
    assert problems(data) == {("briefing.evidence", "pack.missing"), ("meeting.evidence", "pack.no_evidence")}


def test_a_quotes_words_must_lie_inside_its_evidence() -> None:
    data = copy.deepcopy(BASE)
    n = next(n for n, q in enumerate(data["quotes"]) if q["id"] == "petro-taking-up-arms")
    data["quotes"][n]["words"] = "taking up weapons"
    assert problems(data) == {(f"quotes[{n}].words", "pack.words_not_in_evidence")}


def test_a_quotes_words_decomposed_lie_inside_a_composed_passage() -> None:
    """Words typed on macOS (NFD) in a passage copied from a page (NFC) are the same words; the letter without its accent is not."""
    data = copy.deepcopy(BASE)
    n = next(n for n, q in enumerate(data["quotes"]) if q["id"] == "petro-plaza-bolivar")
    data["quotes"][n]["words"] = unicodedata.normalize("NFD", "fill the Plaza de Bolívar")
    assert parse_pack(data, "edited.yaml").quotes[n].words == data["quotes"][n]["words"]  # kept as written
    data["quotes"][n]["words"] = "fill the Plaza de Bolivar"
    assert problems(data) == {(f"quotes[{n}].words", "pack.words_not_in_evidence")}


def test_the_store_keeps_evidence_and_source_texts() -> None:
    # Export, parse back: the evidence and the text path survive (the store round trip is test_store's).
    again = parse_pack(pack_mapping(SHIPPED), "again.yaml")
    assert again == SHIPPED and again.sources[0].text == "../../shared/seed/000_f34434b4f058b5a7.txt"
    assert again.timeline[0].evidence[0].passage.startswith("Tensions escalated in January 2025")


async def test_the_stored_briefing_has_the_evidence(store: Store) -> None:
    stored = await store.repository.briefing(BRIEFING_ID)
    assert stored.summary_evidence == SHIPPED.summary_evidence
    assert [e.evidence for e in stored.timeline] == [e.evidence for e in SHIPPED.timeline]


OPERATOR = Request(command="", now=datetime(2026, 2, 3, 18, 0, tzinfo=UTC), platform="cli", operator=True, user_id="operator")


async def test_admin_edits_carry_evidence_and_the_revision_keeps_it(store: Store) -> None:
    admin = BriefingCore(store.repository, policy=AdminPolicy(), pack_reader=read_pack_text)
    added = await admin.dispatch_line(
        f'add kind:faq id:truce question:"Is it a truce?" answer:"A kind of forced truce, says the author." '
        f'source:{SOURCE} evidence:"making this meeting a kind of forced truce."', OPERATOR)
    assert added.kind == "answer", added.text
    (revision,) = await store.repository.revisions(BRIEFING_ID, "faq", "truce", limit=5)
    assert revision.after["item"]["evidence"] == [{"source": SOURCE, "passage": "making this meeting a kind of forced truce."}]
    # Changing another field keeps the passage and its source; the revision shows it unchanged.
    await admin.dispatch_line('set kind:faq id:truce answer:"A forced truce."', OPERATOR)
    truce = next(f for f in (await store.repository.briefing(BRIEFING_ID)).faq if f.id == "truce")
    assert [(e.source, e.passage) for e in truce.evidence] == [(SOURCE, "making this meeting a kind of forced truce.")]
    # A passage from a bare URL is refused: readers could not look up where it comes from.
    refused = await admin.dispatch_line(
        'set kind:faq id:truce evidence:"Some words." source:https://example.org/report', OPERATOR)
    assert refused.kind == "error" and "add https://example.org/report as a source first" in refused.text
    # Without any evidence the item is refused, naming the field.
    empty = await admin.dispatch_line('set kind:faq id:truce evidence:""', OPERATOR)
    assert empty.kind == "error" and "evidence: missing — give the source's own words" in empty.text


async def test_a_form_sent_back_unchanged_keeps_each_passage_source(store: Store) -> None:
    admin = BriefingCore(store.repository, policy=AdminPolicy(), pack_reader=read_pack_text)
    await admin.dispatch_line('add kind:source id:wire publisher:"A wire service" title:Report url:https://example.org/r', OPERATOR)
    first = await admin.dispatch_line('set kind:faq id:significance evidence:"A wire passage." source:wire', OPERATOR)
    assert first.kind == "answer", first.text
    # A form shows the passages one a paragraph and sends them back as they are, with no source given.
    again = await admin.dispatch_line('set kind:faq id:significance evidence:"A wire passage." answer:Changed.', OPERATOR)
    assert again.kind == "answer", again.text
    faq = next(f for f in (await store.repository.briefing(BRIEFING_ID)).faq if f.id == "significance")
    assert [(e.source, e.passage) for e in faq.evidence] == [("wire", "A wire passage.")]
