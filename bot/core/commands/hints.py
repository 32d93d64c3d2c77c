"""What help's examples and option hints name, taken from the briefing in use (issue #15 §5).

A help example must work on the briefing the reader has, so its names, topics and dates come from
that briefing, never from the pack the bot ships with. Every pick is deterministic (the first person
in pack order, the first one quoted, the most used topic…), so a briefing version always shows the
same examples. What a briefing lacks stays out of `example_values`; help then shows the catalogue's
generic placeholder (`placeholder.name`: "<name>"). A skeleton's "Not written yet", in any language, counts as lacking.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from bot.core.catalogue import CATALOGUES, catalogue_for
from bot.core.commands.faq import FILLER
from bot.core.commands.why import every_item, naming_words
from bot.core.index import BriefingIndex
from bot.core.model import TimelineEvent
from bot.core.registry import Option
from bot.core.skeleton import written
from bot.core.text import words

# Every parameter an `example.*` or `help.more.*` template may name; each has a `placeholder.<name>`.
PARAMETERS = ("name", "speaker", "date", "topic", "role", "question", "words", "word", "other", "item", "source", "session", "briefing", "zone",
              "passage", *(f"new_{field}" for field in ("question", "answer", "outcome")))
# An example is read at a glance; a longer value (a 200-character role) is skipped for the next one.
LONGEST = 60
# A passage is a phrase of the source, a little longer than a name: an add example needs one (every item cites one).
PASSAGE_LONGEST = 100
HINTS = 2  # "such as X or Y"


def example_values(index: BriefingIndex) -> dict[str, str]:
    """The parameters this briefing can fill, each ready to paste into a command line."""
    briefing = index.briefing
    topics = _topics(index)
    found = {
        "name": _first(person.name for person in briefing.people),
        "speaker": _first(person.name for person in index.speakers),
        "role": _first(_role_word(person.role) for person in briefing.people),
        "question": _first(_question_words(entry.question) for entry in briefing.faq),
        "words": _first(topics),
        "item": _first(_item_words(index)),
        "source": _first(source.id for source in briefing.sources if written(source.title)),
        "session": _first(session.id for session in briefing.sessions),  # set's example names it: `kind:meeting` works only while it is the only one
        "briefing": briefing.id,
        "zone": briefing.zones[-1].zone,
    }
    found["passage"] = _first_passage(index, found["source"])
    found.update(_written_in(briefing.language))
    single = [topic for topic in topics if len(topic.split()) == 1]
    found.update(zip(("word", "other"), single, strict=False))
    found.update(_timeline_filter(index))
    return {key: _typed(value) for key, value in found.items() if value}


# What an option's hint can show: a date option the months there are, another what its completion offers.
SOURCES = ("date", "people", "speakers", "topics", "sides", "roles")


def value_source(option: Option) -> str | None:
    """Which of the briefing's values an option's hint shows (one of SOURCES); None when it shows none."""
    if option.kind == "date":
        return "date"
    return option.complete if option.complete in SOURCES else None


def hint_values(index: BriefingIndex) -> dict[str, tuple[str, ...]]:
    """Up to two of this briefing's values per source, for help's "such as X or Y"; a source it has none of is left out.

    The same for every option of a source and every page of help: worked out once per version, with the examples."""
    found = {source: _source_values(index, source) for source in SOURCES}
    return {source: values for source, values in found.items() if values}


def _source_values(index: BriefingIndex, source: str) -> tuple[str, ...]:
    """Up to two of this briefing's values of one source, reading no further than needed."""
    briefing = index.briefing
    people = (person for person in briefing.people if _usable(person.name))
    if source == "date":
        # Undated events sort last: the first and the latest dated ones bound the months there are.
        first = next((event for event in index.timeline if event.date is not None), None)
        latest = next((event for event in reversed(index.timeline) if event.date is not None), None)
        return _some([_month(first), _month(latest)] if first is not None and latest is not None else [])
    if source == "people":
        return _some(person.name for person in people)
    if source == "speakers":
        return _some(person.name for person in index.speakers)
    if source == "topics":
        return _some(index.topic_label(tag) for tag in _ranked_tags(index))
    if source == "sides":  # in the order people name them: a side nobody is on finds nobody
        return _some(index.sides.get(person.side, "") for person in people)
    if source == "roles":
        return _some(person.role for person in people)
    return ()


def _timeline_filter(index: BriefingIndex) -> dict[str, str]:
    """from: and topic: of the latest event with a tag, so the example finds at least that event."""
    # From the end: the latest tagged event is found in a few steps, however long the timeline.
    # Undated events sort last and have no month to give `from:`, so they are passed over.
    dated = (event for event in reversed(index.timeline) if event.date is not None)
    latest = next(dated, None)
    tagged = latest if latest is None or any(_usable(tag) for tag in latest.tags) else next(
        (event for event in dated if any(_usable(tag) for tag in event.tags)), None)
    if tagged is not None:
        return {"date": _month(tagged), "topic": _first(index.topic_label(tag) for tag in tagged.tags)}
    return {"date": _month(latest)} if latest is not None else {}


def _month(event: TimelineEvent) -> str:
    """The YYYY-MM an event starts in: `from:` with it always reaches the event."""
    assert event.date is not None  # only dated events are passed
    first = event.date.first
    return f"{first.year:04d}-{first.month:02d}"


def _ranked_tags(index: BriefingIndex) -> tuple[str, ...]:
    """Timeline tags, most used first (ties alphabetical): the topics a reader most likely filters by.

    Ranked once per version: the examples and every topic option's hint show them."""
    return index.memo("ranked tags", lambda: _by_use(index.tag_counts))  # counted once per version, off the event loop (BriefingIndex.warm)


def _by_use(counts: dict[str, int]) -> tuple[str, ...]:
    """The usable tags, most used first, ties alphabetical: two sorts on C's own keys, no Python key function per tag."""
    ranked = sorted([tag for tag in counts if _usable(tag)])  # by name, then by count: a stable sort, even reversed, keeps ties so
    ranked.sort(key=counts.__getitem__, reverse=True)
    return tuple(ranked)


def _topics(index: BriefingIndex) -> list[str]:
    """Words search surely finds: the ranked tags as the reader reads them (search finds a label too), then the sessions' topics."""
    tags = [index.topic_label(tag) for tag in _ranked_tags(index)]
    topics = dict.fromkeys(topic for session in index.briefing.sessions for topic in session.topics)
    return [*tags, *(topic for topic in topics if topic not in tags and _usable(topic))]


def _item_words(index: BriefingIndex) -> Iterator[str]:
    """Words of a title that `why` finds one item by (a reader never sees ids): the first timeline event's that has them,
    else an agenda item's, else a question's."""
    for found in every_item(index):
        if found.kind in ("timeline", "agenda", "faq") and (words := naming_words(index, found)):
            yield words


def _first_passage(index: BriefingIndex, source: str) -> str:
    """The first passage in pack order that cites `source`, short and quotable: the evidence an add example gives."""
    passages = (piece.passage for found in every_item(index) for piece in found.evidence if piece.source == source)
    return next((p for p in passages if written(p) and len(p) <= PASSAGE_LONGEST and not {'"', "\\"} & set(p)), "")


def _written_in(language: str) -> dict[str, str]:
    """The text an edit example writes, in the pack's own language (what edits change), whatever the reader's: a Spanish
    outcome set in an English pack would show untranslated to both. A language with no catalogue gets the placeholders."""
    if language not in CATALOGUES:
        return {}
    cat = catalogue_for(language)
    return {f"new_{field}": cat(f"example.text.{field}") for field in ("question", "answer", "outcome")}


def _role_word(role: str) -> str:
    """The longest plain word of a role: `role:` matches words' starts, so one word finds the person."""
    plain = [word for word in role.split() if word.isalpha()] if written(role) else []
    return max(plain, key=len, default="")


def _question_words(question: str) -> str:
    """Two words of a question that faq ranks it by (what is left once the filler words go)."""
    return " ".join([word for word in words(question) if word.isalpha() and word not in FILLER][:2])


def _usable(value: str) -> bool:
    """Written, short, and free of `:` and `=`, which the line parser would read as an option."""
    return written(value) and len(value) <= LONGEST and ":" not in value and "=" not in value


def _first(values: Iterable[str]) -> str:
    for value in values:
        if _usable(value):
            return value
    return ""


def _some(values: Iterable[str]) -> tuple[str, ...]:
    """The first HINTS distinct usable values, reading no further than needed (a pack may name 100k people)."""
    found: list[str] = []
    for value in values:
        if _usable(value) and value not in found:
            found.append(value)
            if len(found) == HINTS:
                break
    return tuple(found)


def _typed(value: str) -> str:
    """The value as a reader types it: an apostrophe or a quote would open a quote, so those values are quoted.

    Spaces need no quotes: the values with spaces (names, topics) are positional words, which the line
    parser joins back with spaces; option values here are ids, tags, dates and single words.
    """
    if '"' in value or "'" in value or "\\" in value:
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return value
