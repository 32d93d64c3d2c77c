"""`faq [question words]`: the questions readers ask, answered from the sources."""

from __future__ import annotations

from bot.core.context import Context
from bot.core.index import BriefingIndex
from bot.core.model import FaqEntry
from bot.core.registry import Args
from bot.core.replies import Item, Reply
from bot.core.text import words
from bot.errors import UserError

# Words that say nothing about which question is meant.
FILLER = frozenset("a an and are at be does for how in is it of on or the this to what when where who why with".split())


def _score(question: frozenset[str], answer: frozenset[str], wanted: set[str]) -> int:
    return sum(3 if w in question else 1 for w in wanted if w in question or w in answer)


def _entry_words(index: BriefingIndex) -> tuple[tuple[frozenset[str], frozenset[str], FaqEntry], ...]:
    """Each entry's question and answer words, split once per version and language (not per asking, issue #18 §1)."""
    return index.memo("faq words", lambda: tuple((frozenset(words(e.question)), frozenset(words(e.answer)), e) for e in index.briefing.faq))


async def faq(ctx: Context, args: Args) -> Reply:
    """All questions, or the ones that best match the given words."""
    index = await ctx.localized()
    entries = list(index.briefing.faq)
    question = args.get("question")
    if question:
        wanted = set(words(question)) - FILLER or set(words(question))
        scored = sorted(((_score(q, a, wanted), n, e) for n, (q, a, e) in enumerate(_entry_words(index))), key=lambda t: (-t[0], t[1]))
        entries = [entry for score, _, entry in scored if score > 0]
        if not entries:
            raise UserError("faq.none", question=question)
    if not entries:  # an empty section is an answer, not a mistake of the reader's
        return Reply(title=ctx.cat("faq.title", n=0), text=ctx.cat("faq.empty"))
    window = ctx.window(len(entries), args.page)
    shown = entries[window.start : window.stop]
    return Reply(
        title=ctx.cat("faq.title", n=len(entries)),
        items=tuple(Item(title=e.question, text=e.answer, sources=e.sources, ref=f"faq/{e.id}") for e in shown),
        sources=ctx.source_refs(index, {sid for e in shown for sid in e.sources}),
        page=ctx.page(window, "faq", {}, question),
    )
