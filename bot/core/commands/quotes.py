"""`quotes [speaker]`: what was said, by whom, when and why."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from bot.core.catalogue import Catalogue
from bot.core.commands.people import find_person
from bot.core.context import Context
from bot.core.dates import FuzzyDate
from bot.core.formatting import fuzzy_label
from bot.core.localize import quote_brief, quoted_words, readers_translations
from bot.core.model import Quote, Translations
from bot.core.registry import Args
from bot.core.replies import ITEMS_KEPT, Item, Reply
from bot.errors import UserError


# Every version lists the same quotes again, in list after list (all of them, each speaker's), on every platform: each
# entry is written once per speaker's name and language and handed out as the same object, which the renderers' own
# memories then find by identity. It is found by what it shows, not by the quote: a new snapshot's quotes are equal to
# the last one's but not the same objects, and telling them equal compared their evidence too, at every asking.
@lru_cache(maxsize=ITEMS_KEPT)
def _entry(
    quote_id: str, speaker: str, words: str, translations: Translations, language: str | None, translated_from: str | None, context: str,
    day: FuzzyDate | None, sources: tuple[str, ...], original: str, cat: Catalogue,
) -> Item:
    """The quote's list entry; `speaker`: the speaker's name, `original`: the language of the pack's text."""
    when = fuzzy_label(day, cat) if day else cat("value.date_unknown")
    meta = cat("quote.meta", date=when, context=context)
    text = quoted_words(words, translations, language, translated_from, cat, original)
    brief = quote_brief(words, translations, language, translated_from, cat, original)
    return Item(title=speaker, text=text, meta=meta, sources=sources, ref=f"quote/{quote_id}", brief=brief)


async def quotes(ctx: Context, args: Args) -> Reply:
    """Every quote, or one speaker's (forgiving name match)."""
    index = await ctx.localized()
    chosen: Sequence[Quote] = index.quotes
    speaker = args.get("speaker")
    if speaker:
        who = await find_person(index, speaker)
        chosen = index.quotes_by_speaker.get(who.id, [])
        if not chosen:
            raise UserError("quotes.none_for", name=who.name)
    if not chosen:  # an empty section is an answer, not a mistake of the reader's
        return Reply(title=ctx.cat("quotes.title", n=0), text=ctx.cat("quotes.none"))
    window = ctx.window(len(chosen), args.page)
    shown = chosen[window.start : window.stop]
    original, people, cat = index.briefing.language, index.people, ctx.cat
    # The key holds only the reader's own translation: another language's change leaves this reader's entry as it is.
    items = tuple(
        _entry(
            q.id, people[q.speaker].name, q.words, readers_translations(q.translations, cat), q.language, q.translated_from, q.context,
            q.date, q.sources, original, cat,
        )
        for q in shown
    )
    return Reply(
        title=ctx.cat("quotes.title", n=len(chosen)),
        items=items,
        sources=ctx.source_refs(index, {sid for q in shown for sid in q.sources}),
        page=ctx.page(window, "quotes", {"speaker": speaker} if speaker else {}),
    )
