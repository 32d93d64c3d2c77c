"""An item's passages come from its own sources: an answer credits the item's `sources`, so a passage from another
source would stand behind it uncredited. Packs, imports, adds and edits are refused alike; `uses` lists what quotes a
source either way, so it agrees with `remove`."""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from typing import Any

import msgspec.structs
import pytest

from bot.adapters.console import render_text
from bot.core.admin.policy import AdminPolicy
from bot.core.catalogue import catalogue_for
from bot.core.model import Source
from bot.core.pack import pack_mapping, parse_pack, problem_message
from bot.core.requests import Request
from bot.core.service import BriefingCore
from bot.errors import PackError
from bot.store import Store
from bot.store.packfile import dump_pack, read_pack, read_pack_text
from tests.conftest import BRIEFING_ID, PACK

SOURCE = "cubaheadlines-2026-02-03"
OTHER = {"id": "other", "publisher": "Other Paper", "title": "Other story", "published": "2026-02-04"}
OPERATOR = Request(command="", now=datetime(2026, 2, 3, 18, 0, tzinfo=UTC), platform="cli", operator=True, user_id="operator")


def with_other(data: dict[str, Any]) -> dict[str, Any]:
    """The pack with a second source, `other`, that no item cites yet."""
    data = copy.deepcopy(data)
    data["sources"].append(dict(OTHER))
    return data


def problems(data: Any, plain: bool) -> list[tuple[str, str, dict[str, Any]]]:
    with pytest.raises(PackError) as caught:
        parse_pack(data, "edited.yaml", plain=plain)
    return [(p.path, p.key, dict(p.params)) for p in caught.value.problems]


@pytest.mark.parametrize("plain", [False, True], ids=["item by item", "by columns"])
@pytest.mark.parametrize("section", ["sessions", "timeline", "people", "agenda", "quotes", "faq", "context"])
def test_a_passage_from_a_source_the_item_does_not_cite_is_refused_in_a_pack(section: str, plain: bool) -> None:
    data = with_other(pack_mapping(read_pack(PACK)))
    item = data[section][0]
    item["evidence"][0]["source"] = "other"  # `sources` still names only the article
    assert problems(data, plain) == [(
        f"{section}[0].evidence[0].source", "pack.evidence_not_cited", {"source": "other", "item": item["id"], "sources": SOURCE},
    )]
    item["sources"].append("other")  # citing it too: the answer credits both
    assert parse_pack(data, "edited.yaml", plain=plain)


def test_the_refusal_names_the_item_the_passages_source_and_the_fix_in_both_languages() -> None:
    data = with_other(pack_mapping(read_pack(PACK)))
    data["faq"][0]["evidence"][0]["source"] = "other"
    with pytest.raises(PackError) as caught:
        parse_pack(data, "edited.yaml")
    (problem,) = caught.value.problems
    faq = data["faq"][0]["id"]
    assert problem_message(problem, catalogue_for("en")) == (
        f"this passage is from source “other”, which “{faq}” does not cite (its sources: {SOURCE}), so the answer would "
        "credit another source for it. Add other to its sources, or give a passage from one of them"
    )
    assert problem_message(problem, catalogue_for("es")) == (
        f"este pasaje es de la fuente «other», que «{faq}» no cita (sus fuentes: {SOURCE}), así que la respuesta "
        "atribuiría el pasaje a otra fuente. Añade other a sus fuentes o da un pasaje de una de ellas"
    )


def test_an_unknown_source_is_reported_as_unknown_not_as_uncited() -> None:
    """A typo is the problem to fix: that the item's sources lack the id follows from it and is not said twice."""
    data = pack_mapping(read_pack(PACK))
    data["faq"][0]["evidence"][0]["source"] = "nowhere"
    data["faq"][1]["sources"] = ["nowhere"]
    assert [(path, key) for path, key, _ in problems(data, plain=False)] == [
        ("faq[0].evidence[0].source", "pack.unknown_ref_among"), ("faq[1].sources[0]", "pack.unknown_ref_among"),
    ]


async def test_an_edit_that_drops_the_source_of_a_passage_is_refused(store: Store) -> None:
    admin = BriefingCore(store.repository, policy=AdminPolicy(), pack_reader=read_pack_text)
    await admin.dispatch_line('add kind:source id:other publisher:"Other Paper" title:"Other story" published:2026-02-04', OPERATOR)
    added = await admin.dispatch_line(
        'add kind:faq id:newq question:"Did Petro meet the Pope?" answer:"Yes." sources:other evidence:"Petro met the Pope."', OPERATOR)
    assert added.kind == "answer", added.text
    before = await store.repository.briefing(BRIEFING_ID)
    refused = await admin.dispatch_line(f"set kind:faq id:newq sources:{SOURCE}", OPERATOR)
    assert refused.kind == "error"
    assert refused.text == (
        f"Nothing was changed: evidence[0].source: this passage is from source “other”, which “newq” does not cite (its "
        f"sources: {SOURCE}), so the answer would credit another source for it. Add other to its sources, or give a "
        "passage from one of them"
    )
    assert await store.repository.briefing(BRIEFING_ID) == before
    # An add is checked alike: a passage given from a source (source:) the sources it lists leave out.
    refused = await admin.dispatch_line(
        f'add kind:faq id:newer question:"Q?" answer:"A." sources:{SOURCE} evidence:"Petro met the Pope." source:other', OPERATOR)
    assert refused.kind == "error" and "evidence[0].source: this passage is from source “other”, which “newer” does not cite" in refused.text
    # Citing both is what the answer then credits: the edit goes through, and each source counts it.
    both = await admin.dispatch_line(f"set kind:faq id:newq sources:{SOURCE},other", OPERATOR)
    assert both.kind == "answer", both.text
    assert "id other · cited by 1 entry" in render_text(await admin.dispatch_line("/sources", OPERATOR))


async def test_an_import_whose_passage_its_item_does_not_cite_is_refused(store: Store) -> None:
    admin = BriefingCore(store.repository, policy=AdminPolicy(), pack_reader=read_pack_text)
    briefing = await store.repository.briefing(BRIEFING_ID)
    faq = briefing.faq[0]
    other = Source(id="other", publisher="Other Paper", title="Other story")
    edited = msgspec.structs.replace(
        briefing,
        sources=(*briefing.sources, other),
        faq=(msgspec.structs.replace(faq, evidence=(msgspec.structs.replace(faq.evidence[0], source="other"),)), *briefing.faq[1:]),
    )
    reply = await admin.import_text(OPERATOR, dump_pack(edited), "new.yaml", apply=True)
    assert reply.kind == "error"
    assert f"new.yaml: faq[0] (id {faq.id}).evidence[0].source: this passage is from source “other”, which “{faq.id}” does not cite" in reply.text
    assert await store.repository.briefing(BRIEFING_ID) == briefing


async def test_uses_lists_an_item_stored_before_the_rule_whose_passage_quotes_the_source(store: Store) -> None:
    """A store may hold an item whose passage another source gave: `uses` names it, as `remove` refuses for it."""
    admin = BriefingCore(store.repository, policy=AdminPolicy(), pack_reader=read_pack_text)
    briefing = await store.repository.briefing(BRIEFING_ID)
    faq = briefing.faq[0]
    held = msgspec.structs.replace(
        briefing,
        sources=(*briefing.sources, Source(id="other", publisher="Other Paper", title="Other story")),
        faq=(msgspec.structs.replace(faq, evidence=(msgspec.structs.replace(faq.evidence[0], source="other"),)), *briefing.faq[1:]),
    )
    await store.repository.save(held)  # as the store held it: a load checks nothing it reads back
    uses = await admin.dispatch_line("uses kind:source id:other", OPERATOR)
    assert uses.kind == "answer" and [(i.title, i.text) for i in uses.items] == [(f"faq/{faq.id}", "evidence")]
    removed = await admin.dispatch_line("remove kind:source id:other", OPERATOR)
    assert removed.kind == "error" and f"faq/{faq.id}" in removed.text
