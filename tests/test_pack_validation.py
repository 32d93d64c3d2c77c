"""Pack validation: every kind of problem is reported with file and path, all at once, and nothing
else is — on dicts derived from the shipped pack, and on YAML text for the loader's own rules."""

from __future__ import annotations

import copy
import unicodedata
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import msgspec.structs
import pytest
import yaml

from bot.core.catalogue import Catalogue
from bot.core.model import Briefing
from bot.core.pack import pack_mapping, parse_pack, problem_lines, problem_message
from bot.errors import PackError, UserError
from bot.store.packfile import read_pack_text
from tests.conftest import BRIEFING_ID, PACK, ask
from tests.schema009_rows import old_pack_mapping

FILE = "packs/edited.yaml"
PACK_TEXT = PACK.read_text(encoding="utf-8")
SHIPPED: Briefing = read_pack_text(PACK_TEXT, str(PACK))
# The shipped pack as plain data, in its own older form (one `meeting:`, zones venue and home), to mutate one problem at a time.
BASE: dict[str, Any] = old_pack_mapping(SHIPPED)

Mutation = Callable[[dict[str, Any]], None]


def pack() -> dict[str, Any]:
    """A fresh deep copy of the shipped pack's data."""
    return copy.deepcopy(BASE)


def problems_of(data: Any) -> PackError:
    with pytest.raises(PackError) as caught:
        parse_pack(data, FILE)
    return caught.value


def found(data: Any) -> set[tuple[str, str]]:
    """The (path, key) of every problem; also checks each names the file."""
    error = problems_of(data)
    assert error.problems, "a PackError must carry at least one problem"
    assert {p.file for p in error.problems} == {FILE}
    return {(p.path, p.key) for p in error.problems}


def index_of(section: str, item_id: str) -> int:
    return next(n for n, item in enumerate(BASE[section]) if item["id"] == item_id)


# ---------------------------------------------------------------------------------------------
# The shipped pack


def test_shipped_pack_validates() -> None:
    assert SHIPPED.id == BRIEFING_ID
    assert SHIPPED.sessions[0].zone == "America/New_York"
    assert SHIPPED.sessions[0].starts_at == datetime(2026, 2, 3, 16, 0, tzinfo=UTC)  # 11:00 in Washington
    assert SHIPPED.sessions[0].status == "scheduled"
    assert SHIPPED.sessions[0].outcome == ""
    assert [zone.zone for zone in SHIPPED.zones] == ["America/New_York", "America/Bogota"]
    assert len(SHIPPED.timeline) == 14
    assert SHIPPED.timeline[0].date.text == "2025-01"
    assert SHIPPED.timeline[-1].date.text == "2026-02-03"
    source = SHIPPED.sources[0]
    assert (source.publisher, source.author, source.published.text if source.published else None) == (
        "CubaHeadlines",
        "Joseph Morales",
        "2026-02-03",
    )


def test_shipped_pack_data_parses_back_equal() -> None:
    assert parse_pack(pack(), FILE) == SHIPPED


def test_every_item_names_a_known_source() -> None:
    known = {s.id for s in SHIPPED.sources}
    for section in (SHIPPED.timeline, SHIPPED.people, SHIPPED.agenda, SHIPPED.quotes, SHIPPED.faq):
        for item in section:
            assert item.sources and set(item.sources) <= known, item.id


# ---------------------------------------------------------------------------------------------
# One problem at a time: the exact set of (path, key) reported.


def _set(path: list[Any], value: Any) -> Mutation:
    def mutate(data: dict[str, Any]) -> None:
        target = data
        for step in path[:-1]:
            target = target[step]
        target[path[-1]] = value

    return mutate


def _delete(path: list[Any]) -> Mutation:
    def mutate(data: dict[str, Any]) -> None:
        target = data
        for step in path[:-1]:
            target = target[step]
        del target[path[-1]]

    return mutate


T4 = index_of("timeline", "visa-revoked")
WH = index_of("agenda", "white-house")
RALLY = index_of("agenda", "plaza-bolivar-rally")

CASES: dict[str, tuple[Mutation, set[tuple[str, str]]]] = {
    # unknown keys, at every level
    "unknown top-level key": (_set(["extras"], 1), {("extras", "pack.unknown_key")}),
    "unknown briefing key": (_set(["briefing", "subtitle"], "x"), {("briefing.subtitle", "pack.unknown_key")}),
    "unknown zone key": (_set(["briefing", "zones", "venue", "tz"], "x"), {("briefing.zones.venue.tz", "pack.unknown_key")}),
    "unknown meeting key": (_set(["meeting", "room"], "Oval Office"), {("meeting.room", "pack.unknown_key")}),
    "unknown stake key": (_set(["meeting", "stakes", 0, "who"], "x"), {("meeting.stakes[0].who", "pack.unknown_key")}),
    "unknown timeline key": (_set(["timeline", 2, "colour"], "red"), {("timeline[2].colour", "pack.unknown_key")}),
    "unknown source key": (_set(["sources", 0, "isbn"], "x"), {("sources[0].isbn", "pack.unknown_key")}),
    "unknown faq key": (_set(["faq", 1, "votes"], 3), {("faq[1].votes", "pack.unknown_key")}),
    # missing required keys: reported once, never again by the type check of the absent value
    # sessions: a pack gives `sessions:` (or an older pack's one `meeting:`)
    "missing meeting": (_delete(["meeting"]), {("sessions", "pack.missing")}),
    "missing timeline id": (_delete(["timeline", 1, "id"]), {("timeline[1].id", "pack.missing")}),
    "missing person name": (_delete(["people", 3, "name"]), {("people[3].name", "pack.missing")}),
    "missing faq answer": (_delete(["faq", 0, "answer"]), {("faq[0].answer", "pack.missing")}),
    "missing source publisher": (_delete(["sources", 0, "publisher"]), {("sources[0].publisher", "pack.missing")}),
    # wrong types
    "mapping where a list belongs": (_set(["timeline"], {"a": 1}), {("timeline", "pack.expected")}),
    "list where a mapping belongs": (_set(["briefing", "zones"], ["America/New_York"]), {("briefing.zones[0]", "pack.expected")}),
    "text where a mapping belongs": (_set(["faq", 2], "What else?"), {("faq[2]", "pack.expected")}),
    "text where a list belongs": (_set(["timeline", 0, "tags"], "deportations"), {("timeline[0].tags", "pack.expected")}),
    "number where text belongs": (_set(["people", 1, "role"], 45), {("people[1].role", "pack.expected")}),
    "number in a list of texts": (_set(["meeting", "aims", 1], 7), {("meeting.aims[1]", "pack.expected")}),
    "bool where text belongs": (_set(["briefing", "title"], True), {("briefing.title", "pack.expected")}),
    "text where a bool belongs": (_set(["people", 0, "delegation"], "yes"), {("people[0].delegation", "pack.expected")}),
    "number where a bool belongs": (_set(["people", 0, "delegation"], 1), {("people[0].delegation", "pack.expected")}),
    "empty sides mapping": (
        _set(["briefing", "sides"], {}),
        # Nobody's side exists any more, so every person's side dangles too.
        {("briefing.sides", "pack.expected")} | {(f"people[{n}].side", "pack.unknown_ref") for n in range(len(BASE["people"]))},
    ),
    # empty and over-long text, bad URL
    "blank title": (_set(["briefing", "title"], "   "), {("briefing.title", "pack.empty")}),
    "title too long": (_set(["timeline", 3, "title"], "x" * 201), {("timeline[3].title", "pack.too_long")}),
    "bad url": (_set(["sources", 0, "url"], "ftp://example.org/a"), {("sources[0].url", "pack.bad_url")}),
    # dates
    "month 13": (_set(["timeline", T4, "date"], "2025-13"), {(f"timeline[{T4}].date", "pack.bad_date")}),
    "30 February": (_set(["timeline", 0, "date"], "2025-02-30"), {("timeline[0].date", "pack.bad_date")}),
    "reversed range": (_set(["timeline", 1, "date"], "2025/2024"), {("timeline[1].date", "pack.bad_date")}),
    "word for a date": (_set(["quotes", 0, "date"], "tomorrow"), {("quotes[0].date", "pack.bad_date")}),
    "bool for a date": (_set(["timeline", 0, "date"], True), {("timeline[0].date", "pack.bad_date")}),
    "bad published date": (_set(["sources", 0, "published"], "03/02/2026"), {("sources[0].published", "pack.bad_date")}),
    "bad agenda date": (_set(["agenda", RALLY, "date"], "2026-02-31"), {(f"agenda[{RALLY}].date", "pack.bad_date")}),
    # zones, clocks and local times
    "unknown venue zone": (_set(["briefing", "zones", "venue", "zone"], "Mars/Olympus_Mons"), {("briefing.zones.venue.zone", "pack.bad_zone")}),
    "unknown meeting zone": (_set(["meeting", "zone"], "America/Gotham"), {("meeting.zone", "pack.bad_zone")}),
    "accented zone": (_set(["agenda", RALLY, "zone"], "America/Bogotá"), {(f"agenda[{RALLY}].zone", "pack.zone_spelling")}),
    "misspelt zone": (_set(["agenda", RALLY, "zone"], "America/Bogata"), {(f"agenda[{RALLY}].zone", "pack.zone_spelling")}),
    "city that is no zone": (_set(["meeting", "zone"], "Europe/Geneva"), {("meeting.zone", "pack.bad_zone")}),
    "padded zone": (_set(["briefing", "zones", "home", "zone"], " America/Bogota"), {("briefing.zones.home.zone", "pack.zone_spelling")}),
    "zone in lower case": (_set(["meeting", "zone"], "america/bogota"), {("meeting.zone", "pack.zone_spelling")}),
    "path as zone": (_set(["meeting", "zone"], "../../etc/passwd"), {("meeting.zone", "pack.bad_zone")}),
    # Files ZoneInfo loads that are no place: the host's clock, tzdata's "zone not set", the tz folders' own copies.
    **{
        f"{name} as zone": (_set(["meeting", "zone"], name), {("meeting.zone", "pack.bad_zone")})
        for name in ("localtime", "posixrules", "Factory", "right/UTC", "posix/Europe/Madrid", "America")
    },
    "clock 25:00": (_set(["agenda", WH, "time"], "25:00"), {(f"agenda[{WH}].time", "pack.bad_time")}),
    "clock 11:60": (_set(["agenda", WH, "time"], "11:60"), {(f"agenda[{WH}].time", "pack.bad_time")}),
    "clock 11am": (_set(["agenda", WH, "time"], "11am"), {(f"agenda[{WH}].time", "pack.bad_time")}),
    "DST gap": (_set(["meeting", "start"], "2026-03-08T02:30"), {("meeting.start", "pack.nonexistent_time")}),
    "start with space": (_set(["meeting", "start"], "2026-02-03 11:00"), {("meeting.start", "pack.bad_datetime")}),
    "start 30 February": (_set(["meeting", "start"], "2026-02-30T11:00"), {("meeting.start", "pack.bad_datetime")}),
    "start with offset": (_set(["meeting", "start"], "2026-02-03T11:00-05:00"), {("meeting.start", "pack.bad_datetime")}),
    "time on a month": (_set(["agenda", WH, "date"], "2026-02"), {(f"agenda[{WH}].time", "pack.time_needs_day")}),
    "time on a range": (_set(["agenda", WH, "date"], "2026-02-02/2026-02-05"), {(f"agenda[{WH}].time", "pack.time_needs_day")}),
    "time without date": (_delete(["agenda", WH, "date"]), {(f"agenda[{WH}].time", "pack.time_needs_day")}),
    # control characters (a line break of any kind is read as "\n"; a break beside a control character is no excuse)
    "control character in a title": (_set(["timeline", 0, "title"], "Visa\x07 revoked"), {("timeline[0].title", "pack.control_character")}),
    "byte-order mark in a detail": (_set(["faq", 1, "answer"], "An\ufeff answer."), {("faq[1].answer", "pack.control_character")}),
    "control character after a line break": (_set(["quotes", 1, "context"], "Said\r\nthen\x1b"), {("quotes[1].context", "pack.control_character")}),
    # invisible format characters, which hide or reorder what a reader sees
    "right-to-left override in a publisher": (_set(["sources", 0, "publisher"], "\u202emoc.lapyap"), {("sources[0].publisher", "pack.invisible_character")}),
    "zero-width space in a title": (_set(["timeline", 0, "title"], "Visa\u200b revoked"), {("timeline[0].title", "pack.invisible_character")}),
    "bidi isolate in an answer": (_set(["faq", 1, "answer"], "An \u2067answer\u2069."), {("faq[1].answer", "pack.invisible_character")}),
    "tag characters in a quote": (_set(["quotes", 1, "context"], "Said \U000e0069\U000e0067\U000e006e"), {("quotes[1].context", "pack.invisible_character")}),
    # line breaks of every kind in a one-line text (a title, a name, a label, a question, a list's item): `Field.line`
    "line feed in a timeline title": (_set(["timeline", T4, "title"], "Trump revokes\nPetro's visa"), {(f"timeline[{T4}].title", "pack.line_break")}),
    "carriage return in a person's name": (_set(["people", 0, "name"], "Gustavo\rPetro"), {("people[0].name", "pack.line_break")}),
    "line separator in a question": (_set(["faq", 0, "question"], "What\u2028now?"), {("faq[0].question", "pack.line_break")}),
    "paragraph separator in a place": (_set(["agenda", WH, "place"], "White\u2029House"), {(f"agenda[{WH}].place", "pack.line_break")}),
    "next line in a publisher": (_set(["sources", 0, "publisher"], "Cuba\x85Headlines"), {("sources[0].publisher", "pack.line_break")}),
    "line feed in an aim": (_set(["meeting", "aims", 0], "Talk\nmore"), {("meeting.aims[0]", "pack.line_break")}),
    "line feed in a stake": (_set(["meeting", "stakes", 0, "text"], "Talk\nmore"), {("meeting.stakes[0].text", "pack.line_break")}),
    "line feed in the briefing's title": (_set(["briefing", "title"], "Petro\nin Washington"), {("briefing.title", "pack.line_break")}),
    # (a label refused names no zone its translation could name; a side's name refused, no side its people could name)
    "line feed in a zone's label": (_set(["briefing", "zones", "home", "label"], "Bogo\ntá"),
                                    {("briefing.zones.home.label", "pack.line_break"), ("briefing.translations.es.zones.Bogotá", "pack.unknown_key")}),
    "line feed in a side's name": (_set(["briefing", "sides", "colombia", "name"], "Colom\nbia"), {("briefing.sides.colombia.name", "pack.line_break")} | {
        (f"people[{n}].side", "pack.unknown_ref_among") for n, person in enumerate(BASE["people"]) if person["side"] == "colombia"}),
    "line feed in a side's other name": (_set(["briefing", "sides", "colombia", "also"], ["C\nO"]), {("briefing.sides.colombia.also[0]", "pack.line_break")}),
    "line feed in a translated title": (_set(["timeline", T4, "translations", "es", "title"], "Trump revoca\nla visa"),
                                        {(f"timeline[{T4}].translations.es.title", "pack.line_break")}),
    "line feed in the briefing's translated title": (_set(["briefing", "translations", "es", "title"], "Petro\nen Washington"),
                                                     {("briefing.translations.es.title", "pack.line_break")}),
    "line feed in a translated zone's label": (_set(["briefing", "translations", "es", "zones", "Washington"], "Wa\nshington"),
                                               {("briefing.translations.es.zones.Washington", "pack.line_break")}),
    "line feed in a topic's label": (_set(["briefing", "translations", "es", "topics", "diplomacy"], "diplo\nmacia"),
                                     {("briefing.translations.es.topics.diplomacy", "pack.line_break")}),
    # ids
    "id with capitals and spaces": (_set(["faq", 2, "id"], "Other Activities"), {("faq[2].id", "pack.bad_id")}),
    "id too long": (_set(["timeline", 0, "id"], "a" * 65), {("timeline[0].id", "pack.bad_id")}),
    "numeric id": (_set(["quotes", 1, "id"], 12), {("quotes[1].id", "pack.number_id")}),
    "negative number as an id": (_set(["quotes", 1, "id"], -12), {("quotes[1].id", "pack.bad_id")}),  # quoted, still no id
    "number as a side id": (_set(["briefing", "sides", 1], "One"), {("briefing.sides.1", "pack.number_id")}),
    "no as a side id": (_set(["briefing", "sides", False], "Norway"), {("briefing.sides.false", "pack.boolean_id")}),
    # A translation of the sides is checked against the sides as written, a number among them.
    "number as a side id and a translation of another": (
        lambda d: (_set(["briefing", "sides", 1], "One")(d), _set(["briefing", "translations", "es", "sides", "one"], "Uno")(d)),
        {("briefing.sides.1", "pack.number_id"), ("briefing.translations.es.sides.one", "pack.unknown_key")},
    ),
    "no as a side id and its translation not text": (
        lambda d: (_set(["briefing", "sides", False], "Norway")(d), _set(["briefing", "translations", "es", "sides", False], 5)(d)),
        {("briefing.sides.false", "pack.boolean_id"), ("briefing.translations.es.sides.false", "pack.expected")},
    ),
    # a key YAML reads as null is named as written
    "null key": (_set(["briefing", None], "x"), {("briefing.null", "pack.unknown_key")}),
    "null language": (_set(["briefing", "translations", None], {"title": "x"}), {("briefing.translations.null", "pack.unknown_language")}),
    "null topic": (_set(["briefing", "translations", "es", "topics", None], "Nada"), {("briefing.translations.es.topics.null", "pack.bad_id")}),
    "bad tag": (_set(["timeline", 0, "tags", 1], "Migration!"), {("timeline[0].tags[1]", "pack.bad_id")}),
    "bad briefing id": (_set(["briefing", "id"], "Petro Trump"), {("briefing.id", "pack.bad_id")}),
    "bad side key": (_set(["briefing", "sides", "Rest Of World"], "Others"), {("briefing.sides.Rest Of World", "pack.bad_id")}),
    # a side's other names: a list of texts beside its name, none naming another side in any language
    "side without a name": (_set(["briefing", "sides", "other"], {"also": ["Others"]}),
                            {("briefing.sides.other.name", "pack.missing")} | {(f"people[{n}].side", "pack.unknown_ref_among") for n in (7,)}),
    "side names not a list": (_set(["briefing", "sides", "colombia"], {"name": "Colombia", "also": "CO"}),
                              {("briefing.sides.colombia.also", "pack.expected")}),
    "side name taken": (_set(["briefing", "sides", "colombia"], {"name": "Colombia", "also": ["U.S"]}),
                        {("briefing.sides.united_states", "pack.side_name_taken")}),
    "translated side name taken": (_set(["briefing", "translations", "es", "sides", "other"], {"name": "Otros", "also": ["colombia"]}),
                                   {("briefing.translations.es.sides.other", "pack.side_name_taken")}),
    "duplicate timeline id": (_set(["timeline", 5, "id"], BASE["timeline"][0]["id"]), {("timeline[5].id", "pack.duplicate_id")}),
    "duplicate faq id": (_set(["faq", 2, "id"], "main-topics"), {("faq[2].id", "pack.duplicate_id")}),
    # dangling references
    "dangling timeline source": (_set(["timeline", T4, "sources", 0], "nyt-2026"), {(f"timeline[{T4}].sources[0]", "pack.unknown_ref_among")}),
    "dangling timeline person": (_set(["timeline", 0, "people", 0], "gustavo-petr"), {("timeline[0].people[0]", "pack.unknown_ref_near")}),
    "dangling agenda person": (_set(["agenda", 0, "people", 1], "nobody"), {("agenda[0].people[1]", "pack.unknown_ref_among")}),
    "dangling quote speaker": (_set(["quotes", 2, "speaker"], "el-presidente"), {("quotes[2].speaker", "pack.unknown_ref_among")}),
    "dangling person side": (_set(["people", 4, "side"], "venezuela"), {("people[4].side", "pack.unknown_ref_among")}),
    "dangling person source": (_set(["people", 4, "sources"], ["elsewhere"]), {("people[4].sources[0]", "pack.unknown_ref_among")}),
    "dangling faq source": (_set(["faq", 0, "sources", 0], "x"), {("faq[0].sources[0]", "pack.unknown_ref_among")}),
    "dangling meeting party": (_set(["meeting", "parties", 1], "joe-biden"), {("meeting.parties[1]", "pack.unknown_ref_among")}),
    "dangling meeting source": (_set(["meeting", "sources"], ["x"]), {("meeting.sources[0]", "pack.unknown_ref_among")}),
    # Its Spanish names the same party, as a translation must (or that is reported too).
    "dangling stake party": (
        lambda d: (_set(["meeting", "stakes", 1, "party"], "united_states")(d),
                   _set(["meeting", "translations", "es", "stakes", 1, "party"], "united_states")(d)),
        {("meeting.stakes[1].party", "pack.unknown_ref_among")},
    ),
    # empty sources and texts
    "timeline item without sources": (_set(["timeline", 2, "sources"], []), {("timeline[2].sources", "pack.no_sources")}),
    "quote without sources": (_set(["quotes", 0, "sources"], []), {("quotes[0].sources", "pack.no_sources")}),
    "meeting without sources": (_set(["meeting", "sources"], []), {("meeting.sources", "pack.no_sources")}),
    # A venue no source gives is left out (answers say "not announced"); written empty, the problem says so.
    "meeting venue empty": (_set(["meeting", "venue"], ""), {("meeting.venue", "pack.empty_optional")}),
    # choices and format
    "bad status": (_set(["meeting", "status"], "done"), {("meeting.status", "pack.bad_choice")}),
    "status in capitals": (_set(["meeting", "status"], "Scheduled"), {("meeting.status", "pack.bad_choice")}),
    "format 2": (_set(["format"], 2), {("format", "pack.bad_format")}),
    "format as text": (_set(["format"], "1"), {("format", "pack.bad_format")}),
    # a language that is no text: none is a language's code, nor a key a lookup takes
    **{f"language as {value!r}": (_set(["language"], value), {("language", "pack.unknown_language")}) for value in (["es"], {}, [], {"a": 1}, 1)},
    # a date that is a list or mapping: a JSON pack's column of dates is no set of them
    **{f"published as {value!r}": (_set(["sources", 0, "published"], value), {("sources[0].published", "pack.bad_date")}) for value in ([], {})},
}


@pytest.mark.parametrize("case", list(CASES), ids=list(CASES))
def test_each_problem_kind_is_reported_at_its_path(case: str) -> None:
    mutate, expected = CASES[case]
    data = pack()
    mutate(data)
    assert found(data) == expected


def test_rendered_line_names_file_path_with_the_items_id_and_message() -> None:
    data = pack()
    data["timeline"][T4]["date"] = "2025-13"
    lines = problem_lines(problems_of(data), Catalogue())
    assert lines == [f"{FILE}: timeline[{T4}] (id visa-revoked).date: expected YYYY, YYYY-MM or YYYY-MM-DD, or a range START/END of those"]


def test_an_items_id_is_named_only_where_it_gives_a_valid_one() -> None:
    data = pack()
    data["timeline"][T4]["id"] = "Visa Revoked"
    data["timeline"][T4]["date"] = "2025-13"
    lines = problem_lines(problems_of(data), Catalogue())
    assert [line.split(": ")[1] for line in lines] == [f"timeline[{T4}].id", f"timeline[{T4}].date"]


# The format characters (Cf) real text needs: soft hyphen, the joiners (Persian, Indic scripts, emoji sequences), the
# direction marks of Arabic and Hebrew, and the visible signs spanning the digits after them. U+FEFF is a control character.
KEPT_FORMAT = set("\u00ad\u200c\u200d\u200e\u200f\u061c\u0600\u0601\u0602\u0603\u0604\u0605\u06dd\u070f\u0890\u0891\u08e2\U000110bd\U000110cd")


def test_every_invisible_format_character_is_refused_naming_it_and_text_that_needs_one_is_kept() -> None:
    """Unicode's whole category Cf as the running Python knows it: each refused with its code point, but those real text needs."""
    from bot.core.checker import Checker

    refused = {}
    for char in map(chr, range(0x110000)):
        if unicodedata.category(char) == "Cf" and char != "\ufeff":
            checker = Checker(FILE)
            if checker.text(f"a{char}b", "title") is None:
                refused[char] = checker.problems
    assert {chr(c) for c in range(0x110000) if unicodedata.category(chr(c)) == "Cf"} - set(refused) - {"\ufeff"} == KEPT_FORMAT
    assert all([(p.key, dict(p.params)["code"]) for p in problems] == [("pack.invisible_character", f"U+{ord(c):04X}")] for c, problems in refused.items())
    data = pack()
    data["sources"][0]["publisher"] = "paypal\u200b.com"
    lines = problem_lines(problems_of(data), Catalogue())
    assert lines == [f"{FILE}: sources[0] (id cubaheadlines-2026-02-03).publisher: contains U+200B (ZERO WIDTH SPACE), an invisible character that can hide or reorder "
                     "what readers see; delete it (retype the text around it if your editor does not show it)"]
    for kept in ("Family 👨\u200d👩\u200d👧", "می\u200cخواهم", "Kolum\u00adbien", "\u05e9\u05dc\u05d5\u05dd 2026\u200f"):
        data = pack()
        data["timeline"][0]["title"] = kept
        assert parse_pack(data, FILE).timeline[0].title == kept


def test_paragraphs_stay_where_a_field_is_long_and_in_its_translations() -> None:
    """A detail, an answer, a summary, a quote's words and their translations hold paragraphs: only one-line texts refuse a break."""
    data = pack()
    data["timeline"][T4]["detail"] = "Trump revokes the visa.\r\n\r\nPetro answers."
    data["timeline"][T4]["translations"]["es"]["detail"] = "Trump revoca la visa.\u2029Petro responde."
    data["faq"][0]["answer"] = "One.\nTwo."
    data["briefing"]["translations"]["es"]["summary"] = "Uno.\n\nDos."
    briefing = parse_pack(data, FILE)
    assert briefing.timeline[T4].detail == "Trump revokes the visa.\n\nPetro answers."
    assert dict(dict(briefing.timeline[T4].translations)["es"])["detail"] == "Trump revoca la visa.\nPetro responde."


async def test_a_line_break_in_a_one_line_field_is_refused_by_an_edit_naming_the_field(core: Any) -> None:
    """`set` and the command line take a value holding a line break, which a form's one-line input cannot: a title set
    so showed as two lines in /timeline, /why and every list."""
    reply = await ask(core, "set kind:timeline id:visa-revoked title:\"Trump revokes\nPetro's visa\"")
    assert reply.kind == "error" and reply.text.startswith("Nothing was changed: title: is one line, but holds a line break;"), reply.text
    spanish = await ask(core, "set kind:person id:ivan-cepeda role:\"Senador\u2028de Colombia\"", locale="es")
    assert spanish.kind == "error" and "cargo: es de una sola línea, pero contiene un salto de línea" in spanish.text, spanish.text
    head = await ask(core, "set kind:briefing label:\"Wash\rington\"")
    assert head.kind == "error" and "label: is one line, but holds a line break" in head.text, head.text
    detail = await ask(core, "set kind:timeline id:visa-revoked detail:\"Trump revokes the visa.\n\nPetro answers.\"")
    assert detail.kind == "answer", detail.text


async def test_an_admin_edit_with_an_invisible_character_is_refused_naming_its_field_and_code_point(core: Any) -> None:
    reply = await ask(core, f'set kind:source id:{BASE["sources"][0]["id"]} publisher:"\u202emoc.lapyap"')
    assert reply.kind == "error", reply.text
    assert "publisher: contains U+202E (RIGHT-TO-LEFT OVERRIDE), an invisible character" in reply.text, reply.text
    spanish = await ask(core, f'set kind:source id:{BASE["sources"][0]["id"]} publisher:"paypal\u2060.com"', locale="es")
    assert "contiene U+2060 (WORD JOINER), un carácter invisible" in spanish.text, spanish.text


async def test_text_an_earlier_release_took_with_an_invisible_character_blocks_no_edit_of_another_field_nor_an_undo(core: Any, store: Any) -> None:
    """Releases before invisible characters were refused stored them (U+200B typed in chat): an edit of another field, an
    undo, a redo and the undo of a load that replaced them (`load --discard-edits`) keep that text as the store holds it;
    a value typed now with one is refused, and so is a pack file holding one (an export of that store: docs/loading.md)."""
    people = [p.id for p in SHIPPED.people]
    cepeda, drugs = people.index("ivan-cepeda"), [c.id for c in SHIPPED.context].index("drug-accusations")
    held = msgspec.structs.replace(
        SHIPPED, title="Petro\u200b in Washington",
        people=tuple(msgspec.structs.replace(p, name="Iván Ce\u200bpeda") if p.id == "ivan-cepeda" else p for p in SHIPPED.people),
        context=tuple(msgspec.structs.replace(c, title="Drug\u2060 accusations") if c.id == "drug-accusations" else c for c in SHIPPED.context),
    )
    await store.load(held, PACK, discard_edits=True)  # as the earlier release stored its admins' edits

    async def done(line: str) -> None:
        reply = await ask(core, line)
        assert reply.kind == "answer", (line, reply.text)

    await done('set kind:person id:ivan-cepeda role:"Senator of Colombia"')
    await done('set kind:briefing summary:"A new summary."')
    await done('set kind:context id:drug-accusations body:"A new body."')
    for kind, field, typed, code in (  # one problem: the field typed
        ("person id:ivan-cepeda", "role", "Sen\u200bator", "200B"), ("person id:ivan-cepeda", "name", "Iván\u2060 Cepeda", "2060"),
        ("briefing", "summary", "A new\u200b summary.", "200B"),
    ):
        refused = await ask(core, f'set kind:{kind} {field}:"{typed}"')
        assert refused.kind == "error" and refused.text.startswith(f"Nothing was changed: {field}: contains U+{code} "), refused.text
        assert refused.text.count("contains U+") == 1, refused.text
    for line in ("undo", "undo", "redo", "undo", "redo", "redo"):
        await done(line)
    edited = pack_mapping(await store.repository.briefing())
    await store.load(SHIPPED, PACK, discard_edits=True)
    await done("undo")  # the load taken back: the edits, and the text the earlier release took, as they were
    assert pack_mapping(await store.repository.briefing()) == edited
    assert (edited["briefing"]["title"], edited["people"][cepeda]["name"], edited["people"][cepeda]["role"]) == (
        "Petro\u200b in Washington", "Iván Ce\u200bpeda", "Senator of Colombia")
    assert {(p.path, p.key) for p in problems_of(edited).problems} == {
        ("briefing.title", "pack.invisible_character"), (f"people[{cepeda}].name", "pack.invisible_character"),
        (f"context[{drugs}].title", "pack.invisible_character"),
    }


async def test_a_line_break_an_earlier_release_took_blocks_no_edit_of_another_field_nor_an_undo(core: Any, store: Any) -> None:
    """Releases before one-line texts refused a line break stored a title `set` with one: as with an invisible character,
    an edit of another field, an undo and a redo keep it as the store holds it; the field typed again with one is refused."""
    held = msgspec.structs.replace(
        SHIPPED, title="Petro\nin Washington",
        timeline=tuple(msgspec.structs.replace(e, title="Trump revokes\nPetro's visa") if e.id == "visa-revoked" else e for e in SHIPPED.timeline),
    )
    await store.load(held, PACK, discard_edits=True)  # as the earlier release stored its admins' edits

    async def done(line: str) -> None:
        reply = await ask(core, line)
        assert reply.kind == "answer", (line, reply.text)

    await done('set kind:timeline id:visa-revoked detail:"A new detail."')
    await done('set kind:briefing summary:"A new summary."')
    refused = await ask(core, 'set kind:timeline id:visa-revoked title:"Trump\nrevokes"')
    assert refused.kind == "error" and refused.text.count("line break") == 1 and "title: is one line" in refused.text, refused.text
    for line in ("undo", "undo", "redo", "undo"):
        await done(line)
    stored = await store.repository.briefing()
    assert (stored.title, next(e.title for e in stored.timeline if e.id == "visa-revoked")) == ("Petro\nin Washington", "Trump revokes\nPetro's visa")


def test_rendered_lines_carry_their_parameters() -> None:
    data = pack()
    data["quotes"][2]["speaker"] = "el-presidente"
    data["meeting"]["zone"] = "America/Gotham"
    data["agenda"][RALLY]["zone"] = "america/lima"
    data["agenda"][WH]["zone"] = "America/Bogata"
    data["extras"] = True
    lines = problem_lines(problems_of(data), Catalogue())
    # A pack of a few people lists their ids (a near one is named instead: tests/test_climate_pack.py).
    assert (f"{FILE}: quotes[2] (id trump-colombia-very-sick).speaker: no person with id “el-presidente”; the ids there are: "
            "daniel-garcia-pena, donald-trump, gustavo-petro, ivan-cepeda, john-mcnamara, nicolas-maduro, pedro-sanchez, ricardo-roa, "
            "rosa-yolanda-villavicencio") in lines
    assert (f"{FILE}: meeting.zone: expected an IANA time zone such as Europe/Madrid; a city with no zone of its own takes the zone"
            " of the city whose clock it keeps") in lines
    assert f"{FILE}: agenda[{RALLY}] (id plaza-bolivar-rally).zone: expected an IANA time zone spelled as the tz database spells it: did you mean America/Lima?" in lines
    assert f"{FILE}: agenda[{WH}] (id white-house).zone: expected an IANA time zone spelled as the tz database spells it: did you mean America/Bogota?" in lines
    assert any(line.startswith(f"{FILE}: extras: unknown key; allowed here: format, briefing,") for line in lines)
    assert len(lines) == 5


def test_nonexistent_time_names_the_zone() -> None:
    data = pack()
    data["meeting"]["start"] = "2026-03-08T02:30"
    assert problem_lines(problems_of(data), Catalogue()) == [
        f"{FILE}: meeting.start: this local time does not exist in America/New_York (the clocks skip it)"
    ]


def test_ambiguous_local_time_is_accepted_as_the_first_occurrence() -> None:
    """01:30 on 1 November 2026 happens twice in New York; the earlier (EDT, UTC-4) is meant."""
    data = pack()
    data["meeting"]["start"] = "2026-11-01T01:30"
    assert parse_pack(data, FILE).sessions[0].starts_at == datetime(2026, 11, 1, 5, 30, tzinfo=UTC)


def test_meeting_zone_defaults_to_the_venue_zone() -> None:
    data = pack()
    del data["meeting"]["zone"]
    data["briefing"]["zones"]["venue"]["zone"] = "Europe/Madrid"
    meeting = parse_pack(data, FILE).sessions[0]
    assert meeting.zone == "Europe/Madrid"
    assert meeting.starts_at == datetime(2026, 2, 3, 10, 0, tzinfo=UTC)


def test_several_problems_are_all_reported_at_once() -> None:
    data = pack()
    data["extras"] = 1
    data["briefing"]["zones"]["home"]["zone"] = "Nowhere/Land"
    data["meeting"]["status"] = "done"
    data["meeting"]["start"] = "2026-03-08T02:30"
    data["timeline"][T4]["date"] = "2025-13"
    data["timeline"][0]["colour"] = "red"
    data["timeline"][5]["id"] = data["timeline"][0]["id"]
    data["timeline"][2]["sources"] = ["nyt"]
    data["people"][4]["side"] = "venezuela"
    data["people"][1]["delegation"] = "no"
    data["agenda"][WH]["time"] = "25:00"
    data["quotes"][2]["speaker"] = "el-presidente"
    data["faq"][1]["sources"] = []
    error = problems_of(data)
    assert {(p.path, p.key) for p in error.problems} == {
        ("extras", "pack.unknown_key"),
        ("briefing.zones.home.zone", "pack.bad_zone"),
        ("meeting.status", "pack.bad_choice"),
        ("meeting.start", "pack.nonexistent_time"),
        (f"timeline[{T4}].date", "pack.bad_date"),
        ("timeline[0].colour", "pack.unknown_key"),
        ("timeline[5].id", "pack.duplicate_id"),
        ("timeline[2].sources[0]", "pack.unknown_ref_among"),
        ("people[4].side", "pack.unknown_ref_among"),
        ("people[1].delegation", "pack.expected"),
        (f"agenda[{WH}].time", "pack.bad_time"),
        ("quotes[2].speaker", "pack.unknown_ref_among"),
        ("faq[1].sources", "pack.no_sources"),
    }
    assert len(error.problems) == 13  # each once
    assert isinstance(error, UserError)
    assert error.key == "pack.invalid" and error.params == {"n": 13}
    assert Catalogue()(error.key, **error.params) == "The pack has 13 problems; nothing was loaded."
    lines = problem_lines(error, Catalogue())
    assert len(lines) == 13 and all(line.startswith(f"{FILE}: ") for line in lines)


def test_paths_point_at_the_file_position_after_skipped_items() -> None:
    """An item that fails to parse must not shift the paths of the items after it."""
    data = pack()
    data["timeline"][0]["date"] = "someday"  # timeline[0] is dropped…
    data["timeline"][3]["people"] = ["nobody"]  # …yet this is still timeline[3], not [2]
    assert found(data) == {("timeline[0].date", "pack.bad_date"), ("timeline[3].people[0]", "pack.unknown_ref_among")}


@pytest.mark.parametrize("top", [None, [], "a pack", 42])
def test_a_pack_that_is_not_a_mapping(top: Any) -> None:
    error = problems_of(top)
    assert [(p.path, p.key) for p in error.problems] == [("", "pack.expected")]
    assert problem_lines(error, Catalogue())[0].startswith(f"{FILE}: (top): expected a mapping")


@pytest.mark.parametrize(("value", "english", "spanish"), [
    (None, "expected text, found nothing", "se esperaba texto; hay un valor vacío"),
    (["a"], "expected text, found a list", "se esperaba texto; hay una lista"),
    (3, "expected text, found a number", "se esperaba texto; hay un número"),
    (True, "expected text, found true or false", "se esperaba texto; hay true o false"),
])
def test_a_problem_names_the_kinds_of_value_in_the_readers_words(value: Any, english: str, spanish: str) -> None:
    """`expected`/`got` are kinds, worded by the catalogue: a Spanish operator read "se esperaba text y hay nothing"."""
    from bot.core.catalogue import catalogue_for

    data = pack()
    data["briefing"]["title"] = value
    (problem,) = problems_of(data).problems
    assert (problem.path, problem_message(problem, Catalogue()), problem_message(problem, catalogue_for("es"))) == (
        "briefing.title", english, spanish)


def test_an_id_yaml_read_as_a_number_or_boolean_is_named_as_written_and_said_to_be_quoted() -> None:
    from bot.core.catalogue import catalogue_for

    text = PACK_TEXT.replace("    other: {name: Others named", "    1: One\n    no: Norway\n    other: {name: Others named", 1)
    with pytest.raises(PackError) as caught:
        read_pack_text(text, FILE)
    assert problem_lines(caught.value, Catalogue()) == [
        f'{FILE}: briefing.sides.1: expected an id, found the number 1: write it in quotes ("1") to use it as an id',
        f'{FILE}: briefing.sides.false: expected an id, found true or false (YAML reads yes, no, on and off unquoted so): write the id in quotes, such as "no"',
    ]
    assert problem_lines(caught.value, catalogue_for("es")) == [
        f'{FILE}: briefing.sides.1: se esperaba un id; hay el número 1: escríbelo entre comillas ("1") para usarlo como id',
        f'{FILE}: briefing.sides.false: se esperaba un id; hay true o false (YAML lee así yes, no, on y off sin comillas): escribe el id entre comillas, como "no"',
    ]


def test_an_empty_mapping_lists_every_missing_section() -> None:
    paths = found({})
    for section in ("format", "briefing", "sources", "sessions"):
        assert (section, "pack.missing") in paths
    assert ("timeline", "pack.missing") not in paths  # optional sections may be left out


def test_optional_sections_may_be_left_out() -> None:
    data = pack()
    for section in ("timeline", "agenda", "quotes", "faq"):
        del data[section]
    briefing = parse_pack(data, FILE)
    assert briefing.timeline == briefing.agenda == briefing.quotes == briefing.faq == ()


# ---------------------------------------------------------------------------------------------
# Fixed defects, kept as regression tests.


def test_problems_in_one_item_are_all_reported_at_once() -> None:
    data = pack()
    data["timeline"][3]["date"] = "2025-13"
    data["timeline"][3]["sources"] = ["nyt"]
    data["quotes"][0]["date"] = "tomorrow"
    data["quotes"][0]["speaker"] = "el-presidente"
    assert found(data) == {
        ("timeline[3].date", "pack.bad_date"),
        ("timeline[3].sources[0]", "pack.unknown_ref_among"),
        ("quotes[0].date", "pack.bad_date"),
        ("quotes[0].speaker", "pack.unknown_ref_among"),
    }


def test_problem_in_a_duplicate_item_points_at_that_item() -> None:
    data = pack()
    data["timeline"][5]["id"] = data["timeline"][0]["id"]
    data["timeline"][5]["sources"] = ["nyt"]
    assert found(data) == {("timeline[5].id", "pack.duplicate_id"), ("timeline[5].sources[0]", "pack.unknown_ref_among")}


def test_trailing_newline_is_not_part_of_an_id_or_clock() -> None:
    data = pack()
    data["agenda"][WH]["time"] = "11:00\n"
    data["faq"][0]["id"] = "main-topics\n"
    assert found(data) == {(f"agenda[{WH}].time", "pack.bad_time"), ("faq[0].id", "pack.bad_id")}


def test_format_true_is_not_format_1() -> None:
    data = pack()
    data["format"] = True
    assert found(data) == {("format", "pack.bad_format")}


def test_a_missing_key_is_reported_once() -> None:
    data = pack()
    del data["timeline"][0]["detail"]
    assert found(data) == {("timeline[0].detail", "pack.missing")}


# ---------------------------------------------------------------------------------------------
# YAML-level rules of the loader


def test_invalid_yaml_is_a_pack_error_with_line_and_column() -> None:
    text = PACK_TEXT.replace("  title: \"Petro in Washington", "  title: [\"Petro in Washington", 1)
    with pytest.raises(PackError) as caught:
        read_pack_text(text, FILE)
    (problem,) = caught.value.problems
    assert problem.file == FILE and problem.key == "pack.yaml"
    assert problem.path.startswith("line ") and ", column " in problem.path
    line = problem_lines(caught.value, Catalogue())[0]
    assert line.startswith(f"{FILE}: line ") and ": not valid YAML: " in line


def test_a_yaml_error_says_what_was_read_and_what_was_met() -> None:
    """PyYAML's context and problem both: "but found another document" alone did not say a pack is one document."""
    with pytest.raises(PackError) as caught:
        read_pack_text(PACK_TEXT + "---\nmore: 1\n", FILE)
    (problem,) = caught.value.problems
    assert dict(problem.params)["reason"] == "expected a single document in the stream, but found another document"


def test_duplicate_key_is_a_pack_error_at_the_second_key() -> None:
    lines = PACK_TEXT.splitlines(keepends=True)
    at = next(n for n, line in enumerate(lines) if line.startswith("  summary:"))
    lines.insert(at, '  title: "A second title"\n')
    with pytest.raises(PackError) as caught:
        read_pack_text("".join(lines), FILE)
    (problem,) = caught.value.problems
    assert problem.key == "pack.yaml"
    assert problem.path == f"line {at + 1}, column 3"
    assert dict(problem.params)["reason"] == "duplicate key 'title'"


@pytest.mark.parametrize("text", ["", "# only a comment\n", "---\n"])
def test_an_empty_document_is_a_pack_error(text: str) -> None:
    with pytest.raises(PackError) as caught:
        read_pack_text(text, FILE)
    assert [(p.path, p.key) for p in caught.value.problems] == [("", "pack.expected")]


def test_python_tags_are_refused() -> None:
    with pytest.raises(PackError) as caught:
        read_pack_text("!!python/object/apply:os.system ['true']\n", FILE)
    assert [p.key for p in caught.value.problems] == ["pack.yaml"]


def test_unquoted_dates_stay_text_and_validate() -> None:
    text = PACK_TEXT.replace('published: "2026-02-03"', "published: 2026-02-03")
    text = text.replace('date: "2026-02-02"', "date: 2026-02-02")
    text = text.replace('date: "2025-10"', "date: 2025-10")
    assert text.count("2026-02-03\n") > PACK_TEXT.count("2026-02-03\n")  # the edits took effect
    assert "date: 2026-02-02\n" in text and "date: 2025-10\n" in text
    briefing = read_pack_text(text, FILE)
    assert briefing == SHIPPED
    assert briefing.sources[0].published is not None and briefing.sources[0].published.text == "2026-02-03"


def test_unquoted_year_is_accepted_as_a_year() -> None:
    text = PACK_TEXT.replace('date: "2025-09"', "date: 2025", 1)
    briefing = read_pack_text(text, FILE)
    decertification = next(e for e in briefing.timeline if e.id == "decertification")
    assert (decertification.date.text, decertification.date.precision) == ("2025", "year")


@pytest.mark.parametrize("text", ["? [a, b]\n: 1\n", "? {a: 1}\n: 1\n"])
def test_unhashable_key_is_a_pack_error(text: str) -> None:
    with pytest.raises(PackError) as caught:
        read_pack_text(text, FILE)
    assert [p.key for p in caught.value.problems] == ["pack.yaml"]


def test_unquoted_time_stays_text() -> None:
    text = PACK_TEXT.replace('time: "11:00"', "time: 11:00")
    assert "time: 11:00\n" in text
    assert read_pack_text(text, FILE) == SHIPPED


def test_yaml_round_trip_of_the_shipped_pack() -> None:
    dumped = yaml.safe_dump(pack_mapping(SHIPPED), sort_keys=False, allow_unicode=True)
    assert read_pack_text(dumped, FILE) == SHIPPED


@pytest.mark.parametrize(
    "url",
    [
        "ftp://example.org/a", "javascript:alert(1)", "//example.org/a", "example.org/a", "https://", "https:///path",
        "https://exa mple.org/", "https://example.org/a b", "https://example.org/a\tb", "https://example.org/a\nb",
        "https://example.org/a\u00a0b", "https://example.org/a\u200bb", "https://example.org/a\x85b",
        "https://example.org/<script>", "https://example.org/a|label", 'https://example.org/"a"', "https://example.org/a\\b",
        "https://example.org/{a}", "https://bank.example@evil.example/", "https://user:pass@example.org/",
        "http://[::1/", "https://example.org:99999/", "https://example.org:port/", "https://example.org/" + "a" * 500,
    ],
)
def test_a_url_that_is_not_a_plain_web_address_is_refused(url: str) -> None:
    data = pack()
    data["sources"][0]["url"] = url
    expected = "pack.too_long" if len(url) > 500 else "pack.bad_url"
    assert found(data) == {("sources[0].url", expected)}


@pytest.mark.parametrize(
    "url",
    ["https://example.org", "http://example.org/a?b=1&c=2#d", "https://es.wikipedia.org/wiki/Bogotá",
     "https://en.wikipedia.org/wiki/Pact_(2026)", "https://example.org:8443/a/b;c", "https://[2001:db8::1]/a"],
)
def test_a_plain_web_address_is_accepted(url: str) -> None:
    data = pack()
    data["sources"][0]["url"] = url
    assert parse_pack(data, FILE).sources[0].url == url


@pytest.mark.parametrize("url", ['"https://example.org/a b"', "https://example.org/a|label", "https://example.org/<x>"])
async def test_an_admin_edit_with_a_bad_url_is_refused(core: Any, url: str) -> None:
    reply = await ask(core, f"set kind:source id:{BASE['sources'][0]['id']} url:{url}")
    assert reply.kind == "error" and "url: expected a web address" in reply.text, reply.text
