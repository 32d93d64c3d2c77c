"""`faq [question words]`: the questions readers ask, answered from the sources."""

from __future__ import annotations

from bot.core.context import Context
from bot.core.index import BriefingIndex
from bot.core.registry import Args
from bot.core.replies import Item, Reply
from bot.core.text import words
from bot.errors import UserError

# Words that say nothing about which question is meant, per reader's language, folded as `words` gives them: a Spanish
# "¿Qué es la tregua?" is a question about "tregua", not one matching every answer holding "la".
FILLERS = {
    "en": frozenset("a an and are at be does for how in is it of on or the this to what when where who why with".split()),
    "es": frozenset(
        "a al como con cual cuales cuando de del donde el en entre es esta este esto fue ha han hay la las lo los o para por "
        "que quien quienes se ser sobre son su sus un una y".split()
    ),
}
# Filler in any language: what help's examples never pick as a question's words.
FILLER = frozenset().union(*FILLERS.values())


def _weights(index: BriefingIndex) -> dict[str, dict[int, int]]:
    """Each word of the entries, and the positions of those holding it: 3 where their question does, 1 where only their
    answer does. Built once per version and language, so a question scores only the entries holding its words."""
    found: dict[str, dict[int, int]] = {}
    for position, entry in enumerate(index.briefing.faq):
        for word in words(entry.answer):
            found.setdefault(word, {})[position] = 1
        for word in words(entry.question):
            found.setdefault(word, {})[position] = 3
    return found


async def faq(ctx: Context, args: Args) -> Reply:
    """All questions, or the ones that best match the given words."""
    index = await ctx.localized()
    entries = list(index.briefing.faq)
    question = args.get("question")
    if question:
        wanted = set(words(question)) - FILLERS.get(ctx.cat.locale, frozenset()) or set(words(question))
        weights = index.memo("faq words", lambda: _weights(index))
        scores: dict[int, int] = {}
        for word in wanted:
            for position, weight in weights.get(word, {}).items():
                scores[position] = scores.get(position, 0) + weight
        ranked = sorted(scores, key=lambda position: (-scores[position], position))
        # A question holding every word asked (the one picked from autocomplete, or `faq other activities`) is the
        # answer; the rest only share a common word such as "Petro" and would bury it on page 2.
        asked = index.memo("faq questions", lambda: [frozenset(words(entry.question)) for entry in index.briefing.faq])
        entries = [entries[position] for position in ([p for p in ranked if wanted <= asked[p]] or ranked)]
        if not entries:
            raise UserError("faq.none", question=question, faq=ctx.slash("faq"))
    return ctx.section(
        index, "faq", entries, args.page, lambda e: Item(title=e.question, text=e.answer, sources=e.sources, ref=f"faq/{e.id}"), question,
    )
