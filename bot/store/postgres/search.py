"""Full-text search in PostgreSQL: tsvector over the `search_items` view, unaccent, and BM25 ranking.

The ranking is SQLite FTS5's bm25() with the same weights (titles 4, bodies 1, k1 = 1.2, b = 0.75),
computed from the tsvectors: a term's rarity across the store, its weighted count in the item, and
the item's length in tokens. With text split into tokens the way FTS5's unicode61 tokenizer splits it
(`briefbot_plain`), both stores find the same items in the same order on the shipped pack. The
statistics are the briefing's own (SQLite's index terms carry their briefing too, migration 013 there),
so a search reads one briefing's items, however many briefings the store holds.
"""

from __future__ import annotations

from collections.abc import Collection

from bot.core.repository import SEARCH_KINDS
from bot.core.text import search_groups as _groups

# $1 briefing, $2 every term alone, $3 kinds, $4 the whole query, $5 each term's OR group: a term
# counts only where its whole group matched, as FTS5 counts the phrases of the OR branches that matched;
# $6 CANDIDATES: as on SQLite, only the first matches in pack order (position, then kind: SQLite's rowids) are scored,
# every one a hit `search` pages through (each score unnests the item's document: at 100k events a common word's tens of thousands of matches took
# most of a second), while a term's rarity and the average size stay the whole briefing's.
# `document` (titles weight A, bodies D) and `size` (an item's tokens as FTS5 counts them, its scope tokens, the
# kind and any tags, included) are stored with each row (migration 009), and the GIN index finds the matches: `sized` is not
# materialized, so each use of it reads what it needs; `term` and `weighed` are, so each term's count runs once, not once
# for every hit, nor once for each of the four times `weighed` names it (an inlined `term` ran it four times).
SEARCH = """
WITH sized AS NOT MATERIALIZED (SELECT * FROM search_items WHERE briefing_id = $1),
stats AS (SELECT count(*)::float8 AS rows, avg(size)::float8 AS average FROM sized),
term AS MATERIALIZED (
    SELECT query, (SELECT l.lexeme FROM unnest(to_tsvector('briefbot', briefbot_plain(querytree(query)))) AS l LIMIT 1) AS stem,
           (SELECT count(*) FROM sized WHERE document @@ query) AS found
    , grp FROM unnest($2::text[], $5::int[]) AS u(typed, grp), to_tsquery('briefbot', typed) AS query
),
weighed AS MATERIALIZED (
    SELECT term.stem, term.grp, CASE WHEN ln((stats.rows - term.found + 0.5) / (term.found + 0.5)) <= 0 THEN 1e-6
                           ELSE ln((stats.rows - term.found + 0.5) / (term.found + 0.5)) END AS idf
    FROM term, stats
),
candidate AS (
    SELECT s.kind, s.item_id, s.number, s.position, s.document, s.size FROM sized AS s
    WHERE s.kind = ANY($3::text[]) AND s.document @@ to_tsquery('briefbot', $4)
    ORDER BY s.position, s.number
    LIMIT $6
),
hit AS (
    SELECT s.kind, s.item_id, s.number, s.position,
           (SELECT coalesce(sum(CASE WHEN g.matched THEN g.idf * g.tf * 2.2 / (g.tf + 1.2 * (0.25 + 0.75 * s.size / stats.average)) END), 0)
            FROM (SELECT w.idf, f.tf, bool_and(f.tf > 0) OVER (PARTITION BY w.grp) AS matched
                  FROM weighed AS w, LATERAL (
                      SELECT coalesce(sum(CASE weight WHEN 'A' THEN 4.0 ELSE 1.0 END), 0)::float8 AS tf
                      FROM unnest(s.document) AS l, unnest(l.weights) AS weight WHERE starts_with(l.lexeme, w.stem)
                  ) AS f) AS g) AS score
    FROM candidate AS s, stats
)
SELECT kind, item_id, score FROM hit ORDER BY score DESC, position, number
"""
# How many items match (a search's $1, $3 and $4), asked only when the candidates are full: it reads every match.
SEARCH_MATCHES = "SELECT count(*) FROM search_items WHERE briefing_id = $1 AND kind = ANY($2::text[]) AND document @@ to_tsquery('briefbot', $3)"
# `timeline query:` whole in SQL, as SQLite runs it: $1 briefing, $2 the query, $3/$4 first/last day (ISO
# text or NULL), $5 topic or NULL, $6 limit, $7 offset; the timeline's order is migration 008's columns.
# The count comes first, as its own row (NULL id), so a page past the last still says how many there are.
TIMELINE_MATCHES = """
WITH event AS (
    SELECT item.id AS item_id, item.first_day, item.last_day, item.position FROM items AS item
    WHERE item.briefing_id = $1 AND item.kind = 'timeline'
      AND ($2::text IS NULL OR item.document @@ to_tsquery('briefbot', $2))
      AND ($3::text IS NULL OR item.last_day >= $3) AND ($4::text IS NULL OR item.first_day <= $4)
      AND ($5::text IS NULL OR $5 IN (SELECT json_array_elements_text(item.data -> 'tags')))
)
SELECT count(*), NULL FROM event
UNION ALL (SELECT NULL, item_id FROM event ORDER BY first_day IS NULL, first_day, last_day, position LIMIT $6 OFFSET $7)
"""


def words(text: str) -> list[str]:
    """Every word searched for, OR left out."""
    return [word for group in _groups(text) for word in group]


def word_groups(text: str) -> list[int]:
    """Each word's OR group, in the order of `words`."""
    return [number for number, group in enumerate(_groups(text)) for _ in group]


def terms(text: str) -> list[str]:
    """Every word of the text as a quoted prefix term; only word characters reach a query, so its syntax is inert."""
    return [f"'{word}':*" for word in words(text)]


def tsquery(text: str) -> str | None:
    """Every word of a group as a prefix term, all required, and any group; None when it has no words."""
    groups = _groups(text)
    if not groups:
        return None
    return " | ".join("(" + " & ".join(f"'{word}':*" for word in group) + ")" for group in groups)


def chosen_kinds(kinds: Collection[str]) -> list[str] | None:
    """The kinds to search (all when none are asked for); None when every kind asked for is unknown."""
    if not kinds:
        return list(SEARCH_KINDS)
    known = [kind for kind in kinds if kind in SEARCH_KINDS]
    return known or None
