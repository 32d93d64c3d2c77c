-- 002: full-text search. One view lists every item's title and body as the SQLite index holds them
-- (migration 002 there); a search reads one briefing's rows of it, so no index must be kept in step.
-- The `briefbot` text search configuration folds case and accents (unaccent) like SQLite's
-- unicode61 tokenizer with remove_diacritics, so both stores find the same items.

CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE TEXT SEARCH CONFIGURATION briefbot (COPY = simple);
ALTER TEXT SEARCH CONFIGURATION briefbot
    ALTER MAPPING FOR word, hword, hword_part WITH unaccent, simple;

-- Text as FTS5's unicode61 tokenizer sees it: runs of letters and digits, everything else a separator
-- (PostgreSQL's own parser would keep "U.S.", "5.3" or "petro-trump" whole as well as in parts).
CREATE FUNCTION briefbot_plain(text text) RETURNS text LANGUAGE sql IMMUTABLE AS
$$ SELECT regexp_replace(text, '[^[:alnum:]]+', ' ', 'g') $$;

-- JSON arrays of strings as words separated by spaces.
CREATE FUNCTION briefbot_words(list text) RETURNS text LANGUAGE sql IMMUTABLE AS
$$ SELECT coalesce(string_agg(value, ' '), '') FROM json_array_elements_text(list::json) $$;

-- `number` orders kinds as SQLite's rowids do (meeting 0 … source 6), for ties in rank.
CREATE VIEW search_items AS
SELECT briefing_id, 'meeting' AS kind, 'meeting' AS item_id, 0 AS number, 0 AS position, venue AS title,
       format || ' ' || briefbot_words(aims) || ' ' || briefbot_words(topics) || ' '
       || (SELECT coalesce(string_agg(s ->> 'text', ' '), '') FROM json_array_elements(stakes::json) AS s)
       || ' ' || outcome AS body
FROM meetings
UNION ALL
SELECT briefing_id, 'timeline', id, 1, position, title, detail || ' ' || note || ' ' || briefbot_words(tags)
FROM timeline_events
UNION ALL
SELECT briefing_id, 'person', id, 2, position, name, role || ' ' || organisation FROM people
UNION ALL
SELECT briefing_id, 'agenda', id, 3, position, title, detail || ' ' || coalesce(place, '') FROM agenda_items
UNION ALL
SELECT q.briefing_id, 'quote', q.id, 4, q.position, q.words, q.context || ' ' || coalesce(p.name, '')
FROM quotes AS q LEFT JOIN people AS p ON p.briefing_id = q.briefing_id AND p.id = q.speaker
UNION ALL
SELECT briefing_id, 'faq', id, 5, position, question, answer FROM faq_entries
UNION ALL
SELECT briefing_id, 'source', id, 6, position, title, publisher || ' ' || coalesce(author, '') FROM sources;
