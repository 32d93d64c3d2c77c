"""Full-text search in PostgreSQL: tsvector over the `search_items` view, unaccent, and ranking.

Titles weigh four times bodies, as in the SQLite store's bm25 weights; ties fall back to the kind
and position order SQLite's rowids give, so both stores list the same items in a like order.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from bot.core.repository import SEARCH_KINDS

_WORD = re.compile(r"\w+", re.UNICODE)
MAX_SEARCH_WORDS = 12
# Weights for D, C, B, A: bodies are D, titles A.
_DOCUMENT = (
    "setweight(to_tsvector('briefbot', title), 'A') || setweight(to_tsvector('briefbot', body), 'D')"
)
# Snippets mark matches with \x02…\x03 so the one from the field that matched (body or title) is chosen.
HEADLINE = "StartSel=\x02, StopSel=\x03, MaxWords=16, MinWords=8, ShortWord=0, MaxFragments=1, FragmentDelimiter=…"
SEARCH = f"""
SELECT kind, item_id, ts_headline('briefbot', body, query, $5), ts_headline('briefbot', title, query, $5), body, title,
       score
FROM (
    SELECT kind, item_id, title, body, query, number, position,
           ts_rank('{{0.25, 0.25, 0.25, 1}}', document, query, 1) AS score
    FROM (SELECT *, {_DOCUMENT} AS document FROM search_items WHERE briefing_id = $1 AND kind = ANY($3::text[])) AS item,
         to_tsquery('briefbot', $2) AS query
    WHERE document @@ query
    ORDER BY score DESC, number, position
    LIMIT $4
) AS hit
ORDER BY score DESC, number, position
"""
MATCHING_IDS = f"""
SELECT item_id FROM search_items, to_tsquery('briefbot', $2) AS query
WHERE briefing_id = $1 AND kind = $3 AND ({_DOCUMENT}) @@ query
"""


def tsquery(text: str) -> str | None:
    """Every word of the text as a prefix term, all required; None when it has no words.

    Only word characters reach the query, each quoted, so tsquery syntax in user text is inert.
    """
    terms = _WORD.findall(text)[:MAX_SEARCH_WORDS]
    if not terms:
        return None
    return " & ".join(f"'{term}':*" for term in terms)


def chosen_kinds(kinds: Collection[str]) -> list[str] | None:
    """The kinds to search (all when none are asked for); None when every kind asked for is unknown."""
    if not kinds:
        return list(SEARCH_KINDS)
    known = [kind for kind in kinds if kind in SEARCH_KINDS]
    return known or None


def best_snippet(body: str, title: str, full_body: str, full_title: str) -> str:
    """The body's passage when the match is there, else the title's; without the match marks.

    Like SQLite's snippet(), a passage that leaves text out before or after it says so with '…'.
    """
    chosen, full = (body, full_body) if "\x02" in body or "\x02" not in title else (title, full_title)
    passage = chosen.replace("\x02", "").replace("\x03", "")
    start = full.find(passage)
    if start < 0 or not passage:
        return passage
    before = "…" if full[:start].strip() else ""
    after = "…" if full[start + len(passage) :].strip() else ""
    return before + passage + after
