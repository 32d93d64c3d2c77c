"""One definition per kind (issue #14 §6): what it drives, and a field made optional through it alone.

The timeline event's `date` became optional by changing its one `Field` (and the model's type): the
pack accepts an event without one, export leaves it out, both stores keep it, and the timeline shows it
last as "date not given by the source" (issue #15, correction 2).
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import msgspec.structs
import pytest

from bot.adapters.discord_app.forms import PER_MODAL
from bot.core.admin.policy import AdminPolicy
from bot.core.checker import ID_LIMIT
from bot.core.commands import COMMANDS
from bot.core.kinds import HEAD_FIELDS, KINDS, decode, item_data, items_of
from bot.core.model import Briefing
from bot.core.pack import pack_mapping, parse_pack
from bot.core.replies import Reply
from bot.core.requests import Request
from bot.core.service import BriefingCore
from bot.errors import PackError
from bot.store import Store
from bot.store.packfile import read_pack, read_pack_text
from bot.store.repository import _TIMELINE_COUNTED
from tests.conftest import BRIEFING_ID, PACK, ask

SHIPPED: Briefing = read_pack(PACK)
UNDATED = SHIPPED.timeline[1].id  # an event the test strips of its date
OPERATOR = Request(command="", now=datetime(2026, 2, 3, 18, 0, tzinfo=UTC), platform="cli", operator=True, user_id="operator")


def test_every_model_field_is_defined_once() -> None:
    for kind in KINDS.values():
        assert [f.name for f in msgspec.structs.fields(kind.model)] == sorted(
            (f.attr for f in kind.fields_all), key=[f.name for f in msgspec.structs.fields(kind.model)].index
        ), kind.name
        assert len({f.name for f in kind.fields_all}) == len(kind.fields_all), kind.name


def test_stored_data_decodes_to_the_item_it_was_written_from() -> None:
    for kind in KINDS.values():
        for item in items_of(SHIPPED, kind):
            assert decode(kind, item_data(kind, item)) == item, (kind.name, getattr(item, "id", ""))


def test_an_item_cannot_be_changed_in_place() -> None:
    # Snapshots, indexes and remembered answers share items across requests and threads: a change in place would leak.
    items = [SHIPPED, *SHIPPED.sources, *SHIPPED.zones, *SHIPPED.sides, SHIPPED.sessions[0].stakes[0], SHIPPED.sessions[0].evidence[0]]
    items += [item for kind in KINDS.values() for item in items_of(SHIPPED, kind)]
    for item in items:
        name = type(item).__struct_fields__[0]  # a field it has, so only being frozen can refuse the change
        with pytest.raises(AttributeError):
            setattr(item, name, getattr(item, name))
        assert hash(item) == hash(msgspec.structs.replace(item)), type(item).__name__


def test_a_briefing_equals_its_content_whatever_its_version() -> None:
    stored = msgspec.structs.replace(SHIPPED, version=SHIPPED.version + 7)
    assert stored == SHIPPED and hash(stored) == hash(SHIPPED)
    assert msgspec.structs.replace(SHIPPED, title="Another") != SHIPPED


def _undated_pack() -> dict[str, Any]:
    data = pack_mapping(SHIPPED)
    event = next(e for e in data["timeline"] if e["id"] == UNDATED)
    del event["date"]
    return data


def test_an_event_without_a_date_is_valid_and_exports_without_one() -> None:
    briefing = parse_pack(_undated_pack(), "undated.yaml")
    assert next(e for e in briefing.timeline if e.id == UNDATED).date is None
    exported = next(e for e in pack_mapping(briefing)["timeline"] if e["id"] == UNDATED)
    assert "date" not in exported
    assert parse_pack(pack_mapping(briefing), "again") == briefing


async def test_an_undated_event_is_stored_and_read_back(store: Store) -> None:
    briefing = parse_pack(_undated_pack(), "undated.yaml")
    assert await store.repository.save(briefing, discard_edits=True) is True
    assert await store.repository.briefing() == briefing


async def test_the_timeline_shows_an_undated_event_last_and_no_range_reaches_it(store: Store, core: BriefingCore) -> None:
    await store.repository.save(parse_pack(_undated_pack(), "undated.yaml"), discard_edits=True)
    everything = await ask(core, "timeline", page_size=500)
    # After every dated event, the undated ones in the pack's order: this one, then the three the source
    # itself gives no date (issue #15, corrections 2 and 5; the phone call, "amid this escalation").
    assert [item.ref for item in everything.items[-4:]] == [
        f"timeline/{UNDATED}", "timeline/clinton-list", "timeline/maduro-captured", "timeline/phone-call"]
    assert all(item.meta.startswith("date not given by the source") for item in everything.items[-4:])
    assert not everything.items[-5].meta.startswith("date not given by the source")
    spanish = await ask(core, "cronología", locale="es", page_size=500)
    assert spanish.items[-1].meta.startswith("fecha no indicada por la fuente")
    for line in ("timeline from:2020", "timeline to:2030", "timeline from:2020 to:2030"):
        reply = await ask(core, line, page_size=500)
        assert f"timeline/{UNDATED}" not in [item.ref for item in reply.items], line
    # Help's examples and hints take months from dated events only (an undated one has none to give).
    for line in ("help timeline", "help"):
        assert (await ask(core, line)).kind == "answer", line


async def test_search_finds_a_word_only_the_summary_has(core: BriefingCore) -> None:
    assert "centrepiece" in SHIPPED.summary
    assert not any("centrepiece" in str(v) for section in ("sessions", "timeline", "people", "agenda", "quotes", "faq", "sources")
                   for v in [pack_mapping(SHIPPED)[section]])
    reply = await ask(core, "search centrepiece")
    assert [item.ref for item in reply.items] == ["summary"]
    assert reply.items[0].title == SHIPPED.title and "centrepiece" in reply.items[0].text


async def test_a_renamed_person_is_found_with_their_quotes_under_the_new_name(store: Store) -> None:
    core = BriefingCore(store.repository, policy=AdminPolicy(), pack_reader=read_pack_text)
    speaker = SHIPPED.quotes[0].speaker
    reply = await core.dispatch_line(f'set kind:person id:{speaker} name:"Zoltan Quillfeather"', OPERATOR)
    assert reply.kind == "answer", reply.text
    hits = {(h.kind, h.item_id) for h in (await store.repository.search(BRIEFING_ID, "quillfeather"))[0]}
    quotes = {("quote", q.id) for q in SHIPPED.quotes if q.speaker == speaker}
    assert hits == {("person", speaker), *quotes}


def test_the_shipped_pack_file_still_parses(tmp_path: Path) -> None:
    assert read_pack_text(PACK.read_text(encoding="utf-8"), str(PACK)) == SHIPPED


async def test_the_meeting_delegation_is_text_in_an_edit_and_a_form(store: Store) -> None:
    """A field's type is its kind's: the meeting's `delegation` is words, a person's is yes or no."""
    core = BriefingCore(store.repository, policy=AdminPolicy(), pack_reader=read_pack_text)
    reply = await core.dispatch_line('set kind:meeting delegation:"over ten officials"', OPERATOR)
    assert reply.kind == "answer", reply.text
    assert (await store.repository.briefing()).sessions[0].delegation == "over ten officials"
    form = await core.form(OPERATOR, "meeting", None)
    assert not isinstance(form, Reply)
    assert {f.name: f.value for f in form.fields}["delegation"] == "over ten officials"
    person = SHIPPED.people[0].id
    refused = await core.dispatch_line(f"set kind:person id:{person} delegation:perhaps", OPERATOR)
    assert refused.kind == "error" and "yes or no" in refused.text


async def test_every_kinds_add_form_requires_no_more_fields_than_a_discord_modal_holds(store: Store) -> None:
    """Discord adds an item from the one window its required fields open in (`discord_app.forms.draft_for`), and a modal
    holds five inputs: a kind requiring a sixth could not be added there. Round 39 took out the "Next fields" windows
    that no kind reached; a kind that needs them must bring them back, with a test through the real modal."""
    core = BriefingCore(store.repository, policy=AdminPolicy(), pack_reader=read_pack_text)
    required = {}
    for kind in KINDS:
        form = await core.form(OPERATOR, kind, None)
        assert not isinstance(form, Reply), form
        required[kind] = [f.name for f in form.fields if f.required and f.name != "id"]  # the id comes with /add itself
    over = {kind: names for kind, names in required.items() if len(names) > PER_MODAL}
    assert not over, f"an add form requires more than the {PER_MODAL} inputs a Discord modal holds: {over}"
    assert len(required["person"]) == PER_MODAL  # the most any kind requires today, so the test is no formality


async def test_an_import_only_field_cannot_be_set(store: Store) -> None:
    core = BriefingCore(store.repository, policy=AdminPolicy(), pack_reader=read_pack_text)
    before = await store.repository.briefing()
    refused = await core.dispatch_line('set kind:meeting stakes:"Anything"', OPERATOR)
    assert refused.kind == "error" and "stakes" in refused.text
    assert await store.repository.briefing() == before
    form = await core.form(OPERATOR, "meeting", None)
    assert not isinstance(form, Reply) and "stakes" not in [f.name for f in form.fields]


@pytest.mark.sqlite_only("reads SQLite's query plan")
async def test_a_timeline_query_page_walks_the_timeline_index_and_stops(store: Store) -> None:
    """The page walks the index in the timeline's order within the range's bounds, with no sort of the matches
    (at 100k events joining and sorting every match cost ~2 µs each); a count with no range reads FTS5 alone."""
    for counted, sql in _TIMELINE_COUNTED.items():
        plan = await store.repository._read_now(f"EXPLAIN QUERY PLAN {sql}", {
            "words": '{title body} : ("visa"*)', "scoped": '{scope} : "timeline" AND {title body} : ("visa"*)', "briefing": BRIEFING_ID,
            "first": "2025-01-01" if counted in ("range", "dated") else None, "last": "2025-12-31" if counted == "dated" else None,
            "tag": "visa" if counted == "topic" else None, "limit": 10, "offset": 0, "text": "visa", "reach": 10, "events": 1000,
            "key": "", "dated": '{title body} : ("visa"*) AND {scope} : (', "undated": '{scope} : ("timeline")',
            "complement": '{title body} : ("visa"*) NOT {scope} : (',
        })
        steps = [str(row[3]) for row in plan]
        assert not any("TEMP B-TREE" in step for step in steps), (counted, steps)
        walks = [step for step in steps if step.startswith("SEARCH item USING INDEX items_in_timeline_order (briefing_id=? AND kind=? AND <expr>")]
        # A range's count walks it too; a dated count seeks the last start and walks only when no snapshot gives the briefing's size.
        assert len(walks) == {"range": 2, "dated": 3}.get(counted, 1), (counted, steps)
        if counted == "words":
            assert steps.index("SCAN search_index VIRTUAL TABLE INDEX 0:M5") < steps.index(walks[0]), steps


def test_a_zone_a_language_a_label_and_an_id_are_as_long_wherever_they_are_typed() -> None:
    """`subscribe tz:`, `use language:`, `briefing new`'s inputs, every `briefing:` and a pack's zone labels take what the
    one definition holds (the head's fields, `checker.ID_LIMIT`): a literal beside it once said 32, 64 and 80 again."""
    head = {f.name: f.limit for f in HEAD_FIELDS}
    options = {(spec.name, option.name): option.limit for spec in COMMANDS.specs for option in spec.options}
    assert options["subscribe", "tz"] == options["briefing", "zone"] == head["zone"]
    assert options["use", "language"] == options["briefing", "language"] == head["language"]
    assert {limit for (_, name), limit in options.items() if name == "briefing"} == {ID_LIMIT} == {options["briefing", "id"]}
    shipped, most = PACK.read_text(encoding="utf-8"), "W" * head["label"]
    translated = shipped.replace("        Washington: Washington", f"        Washington: {most}")
    assert dict(dict(read_pack_text(translated, "x.yaml").translations)["es"])["zones"] == (("Washington", most), ("Bogotá", "Bogotá"))
    for longer in (shipped.replace("label: Washington}", f"label: {most}W}}"), translated.replace(most, f"{most}W")):
        with pytest.raises(PackError) as caught:
            read_pack_text(longer, "x.yaml")
        assert [problem.params for problem in caught.value.problems if problem.key == "pack.too_long"] == [(("limit", head["label"]),)]


@pytest.mark.parametrize("locale", ["en", "es"])
async def test_a_sessions_and_an_agenda_items_zone_are_no_longer_than_any_other_zone(store: Store, locale: str) -> None:
    """A session's and an agenda item's `zone` had no limit of their own: their form inputs took 4,000 characters, and
    a pack or a `set` with a paragraph there was told only that it was no IANA zone. They now hold what the head's zone and
    `subscribe tz:` hold (`kinds.ZONE_LIMIT`), in a pack, from chat and in a form, and a longer value is told so."""
    head = {f.name: f.limit for f in HEAD_FIELDS}["zone"]
    assert KINDS["session"].by_name["zone"].limit == KINDS["agenda"].by_name["zone"].limit == head
    shipped, longer = PACK.read_text(encoding="utf-8"), "Europe/" + "x" * (head - 6)  # one past the limit
    wants = {"en": f"longer than {head} characters", "es": f"tiene más de {head} caracteres"}[locale]
    for written in (
        shipped.replace("  zone: America/New_York\n  venue:", f"  zone: {longer}\n  venue:"),  # the meeting's
        shipped.replace("    zone: America/Bogota\n    place:", f"    zone: {longer}\n    place:"),  # an agenda item's
        shipped.replace("venue: {zone: America/New_York,", f"venue: {{zone: {longer},"),  # the venue's, as before
    ):
        with pytest.raises(PackError) as caught:
            read_pack_text(written, "x.yaml")
        assert [problem.key for problem in caught.value.problems] == ["pack.zone_too_long"]
    core = BriefingCore(store.repository, policy=AdminPolicy(), pack_reader=read_pack_text)
    before = await store.repository.briefing()
    admin = msgspec.structs.replace(OPERATOR, locale=locale)
    for line in (f"set kind:meeting zone:{longer}", f"set kind:agenda id:plaza-bolivar-rally zone:{longer}", f"set kind:briefing zone:{longer}"):
        refused = await core.dispatch_line(line, admin)
        field = {"en": "zone", "es": "zona"}[locale]  # as the reader's language names the field
        assert refused.kind == "error" and f"{field}: {wants}" in refused.text, refused.text
    assert await store.repository.briefing() == before
    spelled = await core.dispatch_line(f"set kind:meeting zone:{longer[:-1]}", admin)  # as long as one may be: checked as a zone
    assert spelled.kind == "error" and wants not in spelled.text and "IANA" in spelled.text
    form = await core.form(OPERATOR, "meeting", None)
    assert not isinstance(form, Reply) and {f.name: f.limit for f in form.fields}["zone"] == head  # a form's input stops there
