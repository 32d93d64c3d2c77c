"""A briefing as a reader of another language sees it: each translatable field in their language where
the pack gives it, otherwise the original marked as untranslated.

Which fields are translatable comes from the kinds' definitions (bot/core/kinds.py), so every kind is
covered without code of its own. A quote's words (a `verbatim` field) are never replaced: `quoted`
shows the translation beside them, labelled as a translation.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from msgspec.structs import replace

from bot.core.catalogue import Catalogue
from bot.core.cldr import city_word, language_word, territory_word
from bot.core.fields import Field
from bot.core.i18n import UNDETERMINED, cldr_identifier
from bot.core.index import BriefingIndex
from bot.core.kinds import PACK_KINDS, Kind, decode_logged, item_data, items_of
from bot.core.model import Briefing, Quote, Side, Stake, Translations, Zone, translation
from bot.core.text import fold, shortened


def localize(briefing: Briefing, cat: Catalogue) -> tuple[Briefing, bool]:
    """The briefing in the catalogue's language, and whether any of it is translated; the same object when it is the pack's own."""
    language = cat.locale
    if language == briefing.language:
        return briefing, False
    translated = any(lang == language for lang, _ in briefing.translations) or any(
        lang == language for kind in PACK_KINDS for item in items_of(briefing, kind) for lang, _ in getattr(item, "translations", ())
    )

    untranslated = _marker(cat)
    head = translation(briefing.translations, language)
    sides, zones = dict(head.get("sides", ())), dict(head.get("zones", ()))
    original = cldr_identifier(briefing.language)
    sections: dict[str, Any] = {}
    for kind in PACK_KINDS:
        sections[kind.section] = tuple(_item(item, kind.fields_all, language, untranslated) for item in items_of(briefing, kind))
    return replace(
        briefing,
        title=head.get("title") or untranslated(briefing.title),
        summary=head.get("summary") or untranslated(briefing.summary),
        sides=tuple(_side(side, sides.get(side.id), territory_word(side.label, original, cat.cldr), untranslated) for side in briefing.sides),
        zones=tuple(Zone(zone.zone, zones.get(zone.label) or place_in(zone, briefing.language, cat)) for zone in briefing.zones),
        topic_labels=tuple(head.get("topics", ())),
        **sections,
    ), translated


def localized_data(kind: Kind, data: Mapping[str, Any], cat: Catalogue, original: str, venue_zone: str) -> dict[str, Any]:
    """An item's pack data as a revision logged it, as a reader of the catalogue's language reads it: the
    translations it carried then in place, its other translatable text marked untranslated, as answers show it.
    `venue_zone`: the clock of an item logged without its own zone (`kinds.decode_logged`)."""
    if cat.locale == original:
        return dict(data)
    return item_data(kind, _item(decode_logged(kind, data, venue_zone), kind.fields_all, cat.locale, _marker(cat)))


def _side(side: Side, translated: Side | None, territory: str, untranslated: Callable[[str], str]) -> Side:
    """A side in the reader's language; the pack's own name and other names stay typeable (`side:United States` in Spanish).

    Where the pack gives no translation, a side named as a country or region is named as CLDR names it in the reader's
    language (`territory`: "Peru" reads "Perú", "Colombia" "Colombia"): a name, like a zone's place, is not text left
    untranslated, which any other label is marked as."""
    if translated is None:
        return Side(side.id, territory or untranslated(side.label), (side.label, *side.also))
    return Side(side.id, translated.label, tuple(dict.fromkeys((*translated.also, side.label, *side.also))))


def place_in(zone: Zone, original: str, cat: Catalogue) -> str:
    """A zone's place as a reader of the catalogue's language reads it, where the pack gives no translation: CLDR's
    name of the zone's city when the label is that city's name in the pack's language ("New York" → "Nueva York"),
    else the label as written ("Washington"). A place is a name, not text left untranslated, so it is never marked."""
    if fold(zone.label) == fold(city_word(zone.zone, cldr_identifier(original))):
        return city_word(zone.zone, cat.cldr)
    return zone.label


def _marker(cat: Catalogue) -> Callable[[str], str]:
    """How text left in the pack's language is marked for this reader ("… (untranslated)")."""

    def untranslated(text: str) -> str:
        return cat("content.untranslated", text=text) if text else text

    return untranslated


def item_in(item: Any, kind: Kind, language: str) -> Any:
    """An item with the fields the pack translates into `language` in place, the others as written: search shows a
    passage found only in a translation the reader does not read as that translation."""
    return _item(item, kind.fields_all, language, _as_written)


def _as_written(text: Any) -> Any:
    return text


def title_in(briefing: Briefing, language: str) -> str:
    """The briefing's title as a reader of `language` reads it; the original where the pack gives no translation (a list
    naming many briefings marks nothing untranslated)."""
    if language == briefing.language:
        return briefing.title
    return str(translation(briefing.translations, language).get("title") or briefing.title)


def _item(item: Any, fields: tuple[Field, ...], language: str, untranslated: Any) -> Any:
    """One item with its translated fields in place, the others marked."""
    given = translation(getattr(item, "translations", ()), language)
    changes: dict[str, Any] = {}
    for f in fields:
        if not f.translatable or f.verbatim:
            continue
        value = getattr(item, f.attr)
        if f.name in given:
            changes[f.attr] = given[f.name]
        elif isinstance(value, str):
            changes[f.attr] = untranslated(value)
        elif isinstance(value, tuple):
            changes[f.attr] = tuple(Stake(v.party, untranslated(v.text)) if isinstance(v, Stake) else untranslated(v) for v in value)
    return replace(item, **changes) if changes else item


def quoted_in(index: BriefingIndex, quote: Quote, cat: Catalogue) -> str:
    """`quoted`, built once per briefing version, quote and language (quotes and people list the same quotes again and again)."""
    return index.memo(("quoted", quote.id, cat.locale), lambda: quoted(quote, cat, index.briefing.language))


def quoted(quote: Quote, cat: Catalogue, original: str) -> str:
    """A quote's words as the source gives them, attributed by the caller, with the language they were said in when
    the source gives it, or labelled as the source's translation when it gave them translated; for a reader of another
    language, the translation on its own line labelled as not the speaker's words (or the words marked untranslated).
    `original`: the language of the pack's text."""
    return quoted_words(quote.words, quote.translations, quote.language, quote.translated_from, cat, original)


def readers_translations(translations: Translations, cat: Catalogue) -> Translations:
    """The translations a quote shows this reader: theirs alone, so a list entry is found by what it shows."""
    return tuple(t for t in translations if t[0] == cat.locale)


def quoted_words(
    words: str, translations: Translations, language: str | None, translated_from: str | None, cat: Catalogue, original: str,
) -> str:
    """`quoted` of a quote's words, translations and languages: what a list entry is found by, not the whole quote.

    The words are in their `language`, else the pack's: words in the reader's own language need no translation
    and are never marked untranslated. The language they were said in labels the words themselves, before any
    translation, so a reader links it to them; words the source gives translated (`translated_from`, the language
    the speaker used) are labelled as its translation instead, never as the speaker's. A translation into the
    reader's language is shown whenever the pack gives one, even into the pack's own language: it gives one only
    for words the source quotes in another (a French quote in an English pack)."""
    return "\n".join(label(shown) for shown, label, _ in quote_lines(words, translations, language, translated_from, cat, original))


# A line of a quote as `quoted_words` shows it: its words, the line labelling them (or an excerpt of them), and the same on
# one short line, its words first and what they are after them (`quote_brief`; "" for a translation's line, which leads
# with its label).
QuoteLine = tuple[str, Callable[[str], str], Callable[[str], str]]


def quote_lines(
    words: str, translations: Translations, language: str | None, translated_from: str | None, cat: Catalogue, original: str,
) -> tuple[QuoteLine, ...]:
    """The lines of `quoted_words`, each with how it labels its words: search shows an excerpt of a long quote's words,
    and the label saying whose they are goes with it."""
    translated = translation(translations, cat.locale).get("words")
    untranslated = _untranslated(translated, language, cat, original)
    said = (words, lambda shown: _said(shown, untranslated, language, translated_from, cat),
            lambda shown: _brief(shown, untranslated, language, translated_from, cat))
    if not translated:
        return (said,)
    return said, translation_line(translated, cat)


def translation_line(words: str, cat: Catalogue) -> QuoteLine:
    """A translation of a quote's words as `quote_lines` gives it, labelled as not the speaker's words: search shows one
    into another language than the reader's with the same label."""
    return words, lambda shown: cat("quote.translation", words=shown), _no_brief


def _said(words: str, untranslated: bool, language: str | None, translated_from: str | None, cat: Catalogue) -> str:
    """The words' own line of `quoted_words`, labelled as the source's translation, with the language they were said in, or untranslated."""
    line = cat("quote.words", words=words)
    if translated_from:
        return _translated_by_source(cat("content.untranslated", text=line) if untranslated else line, translated_from, cat)
    if language:
        return cat("quote.said_in_untranslated" if untranslated else "quote.said_in", words=line, language=language_name_in(language, cat))
    return cat("content.untranslated", text=line) if untranslated else line


def _no_brief(words: str) -> str:
    """A translation's line leads with its label: a menu option names it by its speaker and shows the line under it."""
    return ""


def named_by_words(words: str, translated_from: str | None, cat: Catalogue) -> str:
    """A quote's words where they name it (`why`'s choices, `said_by`'s titles): quoted, never read as the bot's own
    statement; words the source gave translated are labelled as its translation there too, never as the speaker's own."""
    quoted = cat("quote.words", words=words)
    return _translated_by_source(quoted, translated_from, cat) if translated_from else quoted


def _translated_by_source(words: str, translated_from: str, cat: Catalogue) -> str:
    """Quoted words the source gave translated, labelled as its wording: from the language the speaker used, or (`und`)
    from one the source does not name, which no language's name may stand for."""
    if translated_from == UNDETERMINED:
        return cat("quote.translated_unknown", words=words)
    return cat("quote.translated_by_source", words=words, language=language_name_in(translated_from, cat))


def said_by(speaker: str, words: str, translated_from: str | None, cat: Catalogue) -> str:
    """A quote named in a title (`why`'s, a digest's changed item): whose words, then `named_by_words`, so a title
    alone never reads as the bot's own statement."""
    return cat("quote.said_by", speaker=speaker, words=named_by_words(words, translated_from, cat))


def _untranslated(translated: str | None, language: str | None, cat: Catalogue, original: str) -> bool:
    """Words shown to this reader in another language than theirs, with no translation into theirs: marked so."""
    return not translated and (language or original) != cat.locale


# A menu option's label on Slack, the narrowest place a brief is shown (Discord's takes 100): a brief fits it whole.
BRIEF = 75


def quote_brief(
    words: str, translations: Translations, language: str | None, translated_from: str | None, cat: Catalogue, original: str,
) -> str:
    """A quote's words on one short line (`Item.brief`), the name of its menu option: the words first, which its speaker's
    other quotes do not share, then what `quoted_words` labels them (the source's translation, untranslated), never cut:
    within BRIEF, the words are shortened instead."""
    untranslated = _untranslated(translation(translations, cat.locale).get("words"), language, cat, original)
    return _brief(words, untranslated, language, translated_from, cat)


def _brief(words: str, untranslated: bool, language: str | None, translated_from: str | None, cat: Catalogue) -> str:
    """`quote_brief` of words whose need for the untranslated mark is known."""
    if translated_from:
        key = "quote.translated_untranslated_brief" if untranslated else "quote.translated_brief"
    elif untranslated:
        key = "quote.said_in_untranslated_brief" if language else "quote.untranslated_brief"
    else:
        key = ""
    said_in = language_name_in(language, cat) if language and key == "quote.said_in_untranslated_brief" else ""

    def line(shown: str) -> str:
        quoted = cat("quote.words", words=shown)
        return cat(key, words=quoted, language=said_in) if key else quoted

    return line(shortened(" ".join(words.split()), max(1, BRIEF - len(line("")))))


def language_name_in(language: str, cat: Catalogue) -> str:
    """A language's name in the reader's language, from CLDR ("inglés", "Spanish")."""
    return language_word(language, cat.cldr)
