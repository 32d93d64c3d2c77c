"""`search <text>`: ranked full-text search across every part of the briefing, with the matching passage."""

from __future__ import annotations

import re
from collections.abc import Callable

import msgspec
from msgspec.structs import replace

from bot.core.catalogue import CATALOGUES, Catalogue, catalogue_for
from bot.core.commands.people import role_line
from bot.core.commands.timeline import dated_timeline
from bot.core.context import Context
from bot.core.index import BriefingIndex
from bot.core.kinds import KINDS
from bot.core.localize import QuoteLine, item_in, language_name_in, quote_brief, quote_lines, quoted, translation_line
from bot.core.model import (
    AgendaItem,
    Briefing,
    ContextEntry,
    FaqEntry,
    Person,
    Quote,
    Session,
    Source,
    TimelineEvent,
    translation,
)
from bot.core.registry import Args
from bot.core.replies import Item, Reply
from bot.core.repository import SearchHit
from bot.core.text import MAX_SEARCH_WORDS, fold, or_in_capitals, search_cut, shortened, words
from bot.errors import UserError

PASSAGE = 240  # characters: a longer field is cut to the sentence that matched
# Items kept per version and language as search results show them (`Found`): the most recently found.
FOUND_KEPT = 1024
# A sentence ends at . ! or ? (or one closing a quotation) before a space, but not after an initialism or an initial
# ("U.S. visa", "a.m.", "John F. Kennedy"), a title before a name ("Sen. Rubio", "el Sr. Petro"), nor inside Spanish's
# spaced initialisms ("EE. UU.", "FF. AA."): cut there, a passage would start mid-sentence. The stop leads the pattern,
# so the lookarounds are tried at stops only, not at every character (a lookbehind is one width: one per length of
# title). What follows a stop in lower case does not start a sentence either ("EE. UU. y Trump"): `_sentences`. Nor does
# an initialism's last letters followed by anything but a letter ("EE. UU., dijo", "EE. UU.»", "FF. AA.;"), while
# "U.S. officials" after a stop starts one.
_SENTENCE_END = re.compile(
    r"[.!?](?<!\b[A-Za-z]\.[A-Za-z]\.)(?<!\b[A-Z]\.)"
    r"(?<!\b(?:Mr|Ms|Dr|St|Sr|Jr|Lt)\.)(?<!\b(?:Mrs|Sen|Rep|Gov|Gen|Col|Sgt|Rev|Sra|Dra|Lic|Ing)\.)(?<!\b(?:Capt|Prof|Srta)\.)"
    r"[\"”’]?\s+(?![A-Z]{1,2}\.(?!\w))"
)


def _describe(hit: SearchHit, index: BriefingIndex) -> tuple[str, tuple[str, ...], object] | None:
    """The title, sources and item a hit points at; None if it vanished since indexing."""
    briefing = index.briefing
    if hit.kind == "summary":
        return briefing.title, tuple(dict.fromkeys(piece.source for piece in briefing.summary_evidence)), briefing
    if hit.kind == "person":
        person = index.people.get(hit.item_id)
        return (person.name, person.sources, person) if person else None
    if hit.kind == "source":
        source = index.sources.get(hit.item_id)
        return (source.title, (source.id,), source) if source else None
    item = index.items.get(hit.kind, {}).get(hit.item_id)
    if item is None:
        return None
    if isinstance(item, Quote):
        return index.person_name(item.speaker), item.sources, item
    return (item.question if isinstance(item, FaqEntry) else item.title), item.sources, item


def _same(tag: str) -> str:
    """A topic as a reader of the pack's own language reads it: its tag (and a person named by id, where none is shown)."""
    return tag


def _fields(
    item: object, cat: Catalogue, original: str, topic: Callable[[str], str] = _same, name: Callable[[str], str] = _same
) -> list[tuple[str, str]]:
    """The searchable fields of an item other than its title, each as the label that says what it is ("" for none) and
    its text (`original`: the pack's language; `topic`: a tag as the reader reads it; `name`: a person's, by id)."""

    def labelled(label: str, value: str) -> tuple[str, str]:
        """A field named as the reader reads it ("Where: "): the name stays before whichever sentence of it is shown."""
        return (cat("search.field", name=label, value=""), value)

    if isinstance(item, TimelineEvent):
        return [("", item.detail), (cat("value.note", note=""), item.note), labelled(cat("field.topics"), ", ".join(map(topic, item.tags)))]
    if isinstance(item, Person):
        return [("", role_line(item, cat))]
    if isinstance(item, AgendaItem):
        return [("", item.detail), labelled(cat("field.where"), item.place or "")]  # no place given: no "Where: " shown
    if isinstance(item, Quote):  # its words are `_quote_fields`
        return [("", item.context)]
    if isinstance(item, FaqEntry):
        return [("", item.answer)]
    if isinstance(item, ContextEntry):
        return [("", item.body)]
    if isinstance(item, Source):
        return [("", f"{item.publisher} ({item.author})" if item.author else item.publisher)]
    if isinstance(item, Briefing):
        return [("", item.summary)]
    if isinstance(item, Session):
        aims = [labelled(cat("field.aims"), aim) for aim in item.aims]
        topics = labelled(cat("field.topics"), ", ".join(item.topics))
        if aims and item.topics:  # under the last aim, as /meeting shows them: where a pack hedges them ("such as the topics below")
            last, aim = aims.pop()
            topics = (f"{last}{aim}\n{topics[0]}", topics[1])
        return [
            labelled(cat("field.where"), item.venue),
            (cat("value.note", note=""), item.note),
            ("", item.format),
            *aims,
            topics,
            *(labelled(name(stake.party), stake.text) for stake in item.stakes),  # whose stake it is, as /meeting says
            ("", item.outcome),
        ]
    return []


def _attributions() -> frozenset[str]:
    """Every language's label of the source's analysis (`content.analysis`), folded: a pack opens a text with its own
    language's, which a reader of the other one reads untranslated."""
    return frozenset(fold(catalogue_for(language)("content.analysis")) for language in CATALOGUES)


_ATTRIBUTIONS = _attributions()


def _attribution(text: str) -> str:
    """The label the text opens with when it says whose the text is ("The author's analysis: "); else ""."""
    label, colon, _ = text.partition(": ")
    return label + colon if colon and fold(label) in _ATTRIBUTIONS else ""


class Searchable(msgspec.Struct, frozen=True, gc=False):
    """A field as the reader reads it, with its folded words as " w1 w2 …": a searched word starts one of
    them when " word" is in it, one substring test in C instead of a loop over the field's words."""

    text: str
    folded: str
    # A field longer than PASSAGE is shown as its sentence that matched: each sentence with its folded words.
    sentences: tuple[tuple[str, str], ...] = ()
    # A quote's words on one short line, what the menu option of a hit showing this text is named by (`quote_brief`): ""
    # for a translation's line, which leads with its label, and for any other item's field.
    brief: str = ""


def searchable(
    item: object, cat: Catalogue, original: str, topic: Callable[[str], str] = _same, name: Callable[[str], str] = _same
) -> tuple[Searchable, ...]:
    """The item's non-empty searchable fields, folded once (the same items come up in search after search)."""
    fields = tuple(_searchable(label, text) for label, text in _fields(item, cat, original, topic, name) if text)
    return (*_quote_fields(item, cat, original), *fields) if isinstance(item, Quote) else fields


def _searchable(label: str, text: str) -> Searchable:
    """A field with its label; when long, each sentence of its text with the label, and a sentence after the first with
    the attribution the text opens with ("Donald Trump: The author's analysis: …he seeks…"): a passage from further in
    never reads as the bot's own words, or as someone else's."""
    whole = label + text
    if len(whole) <= PASSAGE:
        return Searchable(whole, _folded(whole))
    first, *later = _sentences(text)
    lead = label + _attribution(text)
    shown = [label + first, *(f"{lead}…{sentence}" if lead else sentence for sentence in later)]
    return Searchable(whole, _folded(whole), tuple((sentence, _folded(sentence)) for sentence in shown))


def _quote_fields(quote: Quote, cat: Catalogue, original: str) -> tuple[Searchable, ...]:
    """A quote's words as `quoted` labels them, whole when they fit PASSAGE; else each line (the words, their translation)
    on its own, and each sentence of a long line's words on its own, with the line's label: a passage is never a quote's
    words, or a translation of them, without the label saying whose they are."""
    said = (quote.words, quote.translations, quote.language, quote.translated_from, cat, original)
    whole = quoted(quote, cat, original)
    if len(whole) <= PASSAGE:
        return (Searchable(whole, _folded(whole), brief=quote_brief(*said)),)
    return tuple(excerpt for line in quote_lines(*said) for excerpt in _labelled(line))


def _labelled(line: QuoteLine) -> tuple[Searchable, ...]:
    """A quote's line as one field when it fits PASSAGE; else each sentence of its words, cut to fit with the label, as one;
    a sentence after the first opens with an ellipsis, so it never reads as where the words (or their translation) begin."""
    words, label, brief = line
    shown = label(words)
    if len(shown) <= PASSAGE:
        return (Searchable(shown, _folded(shown), brief=brief(words)),)
    room = PASSAGE - len(label(""))
    cut = [(sentence, shortened(f"…{sentence}" if n else sentence, room)) for n, sentence in enumerate(_sentences(words))]
    return tuple(Searchable(label(excerpt), _folded(label(sentence)), brief=brief(excerpt)) for sentence, excerpt in cut)


def _sentences(text: str) -> list[str]:
    """The text's sentences, each with its closing stop, without the spaces between them."""
    found, start = [], 0
    for end in _SENTENCE_END.finditer(text):
        if text[end.end() : end.end() + 1].islower():
            continue
        found.append(text[start : end.end()].rstrip())
        start = end.end()
    found.append(text[start:])
    return found


def _folded(text: str) -> str:
    return " " + fold(text)  # fold leaves the words one space apart


def wanted_words(text: str) -> list[str]:
    """The searched words as `passage` looks for them: each after a space, as in `Searchable.folded`."""
    return list(dict.fromkeys(" " + word for word in words(text) if word != "or"))  # each once: passages count distinct words


def passage(fields: tuple[Searchable, ...], wanted: list[str]) -> str:
    """The field that holds a searched word (`wanted_words`), as the reader would read it; when only the title
    matched, the item's first field says what it is about (nothing when it has none)."""
    if not fields:
        return ""
    return _sentence(_matching(fields, wanted) or fields[0], wanted)[0]


def _matching(fields: tuple[Searchable, ...], wanted: list[str]) -> Searchable | None:
    """The first field holding the most searched words; None when none holds any (only the title matched)."""
    # Loops rather than max() and next() over a key function: a passage is written for every hit shown.
    field = None
    if len(wanted) == 1:  # most searches: the first field holding the word holds the most, and nothing is counted
        word = wanted[0]
        for candidate in fields:
            if word in candidate.folded:
                return candidate
    else:
        most = 0
        for candidate in fields:
            held = sum(map(candidate.folded.__contains__, wanted))
            if held > most:
                field, most = candidate, held
    return field


def _sentence(field: Searchable, wanted: list[str]) -> tuple[str, str]:
    """The field, or when it is long, its first sentence holding the most searched words, cut to PASSAGE; with its `brief`."""
    if not field.sentences:
        return field.text, field.brief
    sentence, most = field.text, 0
    for text, folded in field.sentences:
        held = sum(map(folded.__contains__, wanted))
        if held > most:
            sentence, most = text, held
            if held == len(wanted):  # none can hold more
                break
    return shortened(sentence, PASSAGE), ""


class Found(msgspec.Struct, frozen=True, gc=False):
    """What a hit shows but its passage, which follows from the searched words: the same for every search finding the item."""

    title: str
    sources: tuple[str, ...]
    meta: str  # the item's kind, in the reader's language
    ref: str  # what the passage menu asks `why` for ("" for a source, which has no passage)
    fields: tuple[Searchable, ...]
    hit: tuple[str, str]  # the item's kind and id, by which its original is found (`_original_item`)
    folded_title: str  # the title's folded words, as `Searchable.folded`: a title holding every searched word needs no passage of its own


def _found(hit: SearchHit, index: BriefingIndex, cat: Catalogue) -> Found | None:
    """The hit's item as search results show it; None if it vanished since indexing."""
    described = _describe(hit, index)
    if described is None:
        return None
    title, sources, item = described
    ref = "" if hit.kind == "source" else hit.kind if hit.kind == "summary" else f"{hit.kind}/{hit.item_id}"
    fields = searchable(item, cat, index.briefing.language, index.topic_label, index.person_name)
    return Found(title, sources, cat(f"kind.{hit.kind}"), ref, fields, (hit.kind, hit.item_id), _folded(title))


def _item(entry: Found, passage: tuple[str, str]) -> Item:
    """The hit as results list it, with its passage and that passage's `brief` for its menu option."""
    text, brief = passage
    return Item(title=entry.title, text=text, meta=entry.meta, sources=entry.sources, ref=entry.ref, brief=brief)


def _passage(entry: Found, wanted: list[str], index: BriefingIndex, cat: Catalogue) -> tuple[str, str]:
    """The passage that matched, as the reader reads it, and its `brief`; where none of the reader's fields holds a
    searched word and the title does not hold them all, the passage of another language that does (`_elsewhere`);
    otherwise the item's first field says what it is about."""
    if not entry.fields:
        return "", ""
    field = _matching(entry.fields, wanted)
    if field is None and not all(map(entry.folded_title.__contains__, wanted)):
        found = _elsewhere(entry, wanted, index, cat)
        if found:
            return found, ""
    return _sentence(field or entry.fields[0], wanted)


def _elsewhere(entry: Found, wanted: list[str], index: BriefingIndex, cat: Catalogue) -> str:
    """The passage holding a searched word in another language of the item, labelled as what it is: for a translated
    view, the original's (an English word searched by a Spanish reader), marked untranslated as other fields are; else a
    translation's into a language the reader does not read (a Spanish word searched by an English reader), labelled as
    that translation, and a quote's translated words never as the speaker's; "" when none holds one."""
    item = _original_item(entry, index)
    if item is None:
        return ""
    source = index.source
    if index.translated:
        found = _found_in(item, wanted, cat, source.language, index.topic_label, index.person_name)
        if found:
            return cat("content.untranslated", text=found)
    kind = entry.hit[0]
    for language, given in source.translations if kind == "summary" else getattr(item, "translations", ()):
        if language == cat.locale:
            continue
        words = dict(given).get("words") if isinstance(item, Quote) else None
        if words and _holds(words, wanted):
            return passage(_labelled(translation_line(words, cat)), wanted)
        translated = _translated(kind, item, language, given)
        found = _found_in(translated, wanted, cat, source.language, _topics_in(source, language), index.person_name)
        if found:
            return cat("content.translation", text=found, language=language_name_in(language, cat))
    return ""


def _found_in(
    item: object, wanted: list[str], cat: Catalogue, original: str, topic: Callable[[str], str], name: Callable[[str], str]
) -> str:
    """The item's field (or sentence) holding the most searched words, else its title when that holds one; "" when neither does."""
    field = _matching(searchable(item, cat, original, topic, name), wanted)
    if field is not None:
        return _sentence(field, wanted)[0]
    title = item.question if isinstance(item, FaqEntry) else getattr(item, "title", "")  # a quote's is its speaker's name, never translated
    return title if isinstance(title, str) and _holds(title, wanted) else ""


def _holds(text: str, wanted: list[str]) -> bool:
    """Whether the text holds a searched word."""
    return any(map(_folded(text).__contains__, wanted))


def _translated(kind: str, item: object, language: str, given: tuple[tuple[str, object], ...]) -> object:
    """The item as the pack translates it into `language`, its untranslated fields as written."""
    if isinstance(item, Briefing):  # the summary: the briefing's own translation holds it
        head = dict(given)
        return replace(item, title=str(head.get("title") or item.title), summary=str(head.get("summary") or item.summary))
    return item_in(item, KINDS[kind], language)


def _topics_in(source: Briefing, language: str) -> Callable[[str], str]:
    """A topic as a reader of `language` reads it: its label in the briefing's translation, else its tag."""
    labels = dict(translation(source.translations, language).get("topics", ()))
    return lambda tag: labels.get(tag, tag)


def _original_item(entry: Found, index: BriefingIndex) -> object | None:
    """The item as the pack writes it; None if it vanished since indexing."""
    kind, item_id = entry.hit
    source = index.source
    if kind == "summary":
        return source
    section = KINDS[kind].section
    # The original's items by id, made once per version and kind, when a search first shows a passage only it holds.
    items = index.memo(("original items", kind), lambda: {item.id: item for item in getattr(source, section)})
    return items.get(item_id)


def _found_kept() -> dict[tuple[str, str], Found]:
    """A version's items as search results show them, made when a search first finds one (the first FOUND_KEPT kept)."""
    return {}


def _shown(hits: list[SearchHit], index: BriefingIndex, cat: Catalogue) -> list[Found]:
    """A page's hits as search results show them, each made once per version and language; a hit vanished since indexing left out."""
    kept = index.memo(("found", cat.locale), _found_kept)
    shown = []
    for hit in hits:
        entry = kept.get((hit.kind, hit.item_id))
        if entry is None:
            entry = _found(hit, index, cat)
            if entry is None:
                continue
            if len(kept) < FOUND_KEPT:  # a plain dict, looked up more cheaply than `Recent`, that stops growing
                kept[(hit.kind, hit.item_id)] = entry
        shown.append(entry)
    return shown


async def search(ctx: Context, args: Args) -> Reply:
    """Every item whose text holds all the words (or either side of OR), best match first."""
    index = await ctx.localized()
    text = args.get("text")
    hits, total = await ctx.search(index, text)
    dated = dated_timeline(ctx, index, text)
    if not hits:
        if dated:
            raise UserError("search.none_dated", text=text, dated=dated)
        either = or_in_capitals(text, ctx.cat.locale)  # a lower-case "o" was meant as OR more often than searched for
        if either and (await ctx.search(index, either))[0]:  # offered only when it finds something: else, the usual advice
            raise UserError("search.none_or", text=text, search=ctx.slash("search", ctx.typed(either)))
        raise UserError("search.none", text=text, help=ctx.slash("help", ctx.word("search")))
    # The pages run through every ranked hit; the title counts every match, and says so when not all are ranked.
    window = ctx.window(len(hits), args.page)
    shown = _shown(hits[window.start : window.stop], index, ctx.cat)
    query = ctx.search_query(text)
    wanted, cut = wanted_words(query), search_cut(query)  # the title quotes the whole search: `cut` says which words it read
    ranked = ctx.cat("search.ranked_only", n=len(hits)) if total > len(hits) else ""
    return Reply(
        title=ctx.cat("search.title", text=text, n=total),
        items=tuple([_item(e, _passage(e, wanted, index, ctx.cat)) for e in shown]),
        footer="\n".join(line for line in (ranked, ctx.cat("search.words_cut", n=MAX_SEARCH_WORDS, words=cut) if cut else "", dated) if line),
        sources=ctx.source_refs(index, {sid for e in shown for sid in e.sources}),
        page=ctx.page(window, "search", {}, text),
    )
