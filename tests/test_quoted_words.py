"""A quote's words must be inside quotation marks in one of its passages: outside them a passage holds the writer's
narration or someone else's words, which readers would take for the speaker's."""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from typing import Any

import pytest

from bot.core.admin.policy import AdminPolicy
from bot.core.catalogue import catalogue_for
from bot.core.pack import pack_mapping, parse_pack, problem_message
from bot.core.passages import quoted
from bot.core.requests import Request
from bot.core.service import BriefingCore
from bot.errors import PackError
from bot.store import Store
from bot.store.packfile import read_pack, read_pack_text
from tests.conftest import BRIEFING_ID, PACK

SHIPPED = read_pack(PACK)
SOURCE = "cubaheadlines-2026-02-03"
OPERATOR = Request(command="", now=datetime(2026, 2, 3, 18, 0, tzinfo=UTC), platform="cli", operator=True, user_id="operator")
# The article's narration about Petro, with a name in quotation marks: none of it is anyone's words but "Clinton List".
NARRATION = ('Adding to the tension, Petro was included in the "Clinton List," accused of allowing massive cocaine '
             "production, and even alleged ties to the Aragua Train.")
REFUSED = (
    "a quote's words must lie inside quotation marks (\"…\", “…”, «…» or ‘…’) in one of its evidence passages: outside "
    "them a passage gives the writer's narration or someone else's words. Copy the passage with the source's quotation "
    "marks, or give words the source quotes the speaker saying"
)


@pytest.mark.parametrize(
    ("passage", "spans"),
    [
        ('Petro warns he will defend sovereignty, even "taking up arms."', ["taking up arms."]),
        ('"Let it fill the Plaza," he wrote on X.', ["Let it fill the Plaza,"]),
        ("“He said ‘no’ to the country’s plan” and left.", ["no", "He said ‘no’ to the country’s plan"]),
        ("Según Petro, la medida es «un ataque» a la soberanía.", ["un ataque"]),
        ("Colombians’ rights, he wrote, are ‘not for sale’.", ["not for sale"]),
        # Cut before the quote closed: it runs to the passage's end; cut after it opened: from the passage's start.
        ('aims to "reestablish direct dialogue channels and', ["reestablish direct dialogue channels and"]),
        ('reestablish direct dialogue channels" and address', ["reestablish direct dialogue channels"]),
        ("Petro's visit follows a year of tensions.", []),
    ],
)
def test_the_quoted_spans_of_a_passage(passage: str, spans: list[str]) -> None:
    assert quoted(passage) == spans


def shipped_with_quote(**fields: Any) -> tuple[dict[str, Any], int]:
    """The shipped pack as data with one quote's fields set, and that quote's position."""
    data = copy.deepcopy(pack_mapping(SHIPPED))
    n = next(n for n, q in enumerate(data["quotes"]) if q["id"] == "petro-plaza-bolivar")
    data["quotes"][n].update(fields)
    return data, n


def problems(data: Any, plain: bool) -> list[tuple[str, str]]:
    with pytest.raises(PackError) as caught:
        parse_pack(data, "edited.yaml", plain=plain)
    return [(p.path, p.key) for p in caught.value.problems]


@pytest.mark.parametrize("plain", [False, True], ids=["item by item", "by columns"])
@pytest.mark.parametrize(
    "fields",
    [
        {"words": "he wrote on X"},  # the passage's own words, after the quotation closed
        {"words": "accused of allowing massive cocaine production", "evidence": [{"source": SOURCE, "passage": NARRATION}]},
        {"evidence": [{"source": SOURCE, "passage": "Let Tuesday, if it doesn't rain, fill the Plaza de Bolívar to defend democracy, "
                       "vital wages, and Colombia's peace while I meet with Trump"}]},  # copied without its quotation marks
    ],
    ids=["after the quote", "narration", "marks left out"],
)
def test_words_outside_quotation_marks_are_refused(fields: dict[str, Any], plain: bool) -> None:
    data, n = shipped_with_quote(**fields)
    assert problems(data, plain) == [(f"quotes[{n}].words", "pack.words_not_quoted")]


@pytest.mark.parametrize("plain", [False, True], ids=["item by item", "by columns"])
@pytest.mark.parametrize(
    "fields",
    [
        {"words": "fill the Plaza de Bolívar"},  # an excerpt of the quoted span
        {"evidence": [{"source": SOURCE, "passage": '"Let Tuesday, if it doesn\'t rain, fill the Plaza de Bolívar to defend '
                       "democracy, vital wages, and Colombia's peace while I meet with Trump"}]},  # cut before it closes
        {"words": "Clinton List", "evidence": [{"source": SOURCE, "passage": NARRATION}]},
    ],
    ids=["excerpt", "cut before it closes", "the quoted name"],
)
def test_words_inside_quotation_marks_are_accepted(fields: dict[str, Any], plain: bool) -> None:
    data, n = shipped_with_quote(**fields)
    assert parse_pack(data, "edited.yaml", plain=plain).quotes[n].words == data["quotes"][n]["words"]


def test_every_shipped_quote_is_inside_quotation_marks() -> None:
    assert SHIPPED.quotes and all(any(q.words.rstrip(".,;:") in span for e in q.evidence for span in quoted(e.passage)) for q in SHIPPED.quotes)


def test_the_refusal_says_why_in_both_languages() -> None:
    data, _ = shipped_with_quote(words="he wrote on X")
    with pytest.raises(PackError) as caught:
        parse_pack(data, "edited.yaml")
    (problem,) = caught.value.problems
    assert problem_message(problem, catalogue_for("en")) == REFUSED
    assert problem_message(problem, catalogue_for("es")).startswith("las palabras de una cita deben estar entre comillas")


async def test_an_admin_cannot_give_narration_or_the_words_around_a_quote_as_the_quote(store: Store) -> None:
    admin = BriefingCore(store.repository, policy=AdminPolicy(), pack_reader=read_pack_text)
    before = await store.repository.briefing(BRIEFING_ID)
    added = await admin.dispatch_line(
        "add kind:quote id:trump-cocaine speaker:donald-trump words:\"accused of allowing massive cocaine production\" "
        f"context:\"On Petro\" sources:{SOURCE} evidence:'{NARRATION}'", OPERATOR)
    assert added.kind == "error" and added.text == f"Nothing was changed: words: {REFUSED}"
    edited = await admin.dispatch_line('set kind:quote id:petro-plaza-bolivar words:"he wrote on X"', OPERATOR)
    assert edited.kind == "error" and edited.text == f"Nothing was changed: words: {REFUSED}"
    assert await store.repository.briefing(BRIEFING_ID) == before
    # Words the passage quotes are the speaker's: an excerpt of them is taken.
    excerpt = await admin.dispatch_line('set kind:quote id:petro-plaza-bolivar words:"fill the Plaza de Bolívar"', OPERATOR)
    assert excerpt.kind == "answer", excerpt.text
