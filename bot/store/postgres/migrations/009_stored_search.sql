-- 009: full text from a stored tsvector with a GIN index (issue #18 §2). Every search and `timeline query:`
-- built each of the briefing's items' tsvector at query time, and counted its tokens: seconds of the
-- server's CPU a command at 100k events. An item's document (title weight A, body D, as
-- bot/store/postgres/search.py built it) and its size in tokens as FTS5 counts them (its scope tokens, the
-- kind and any tags, included) are now generated columns, written with the row by every insert, COPY and edit; the
-- GIN index finds the rows a query matches. The summary stays computed in the view (one row a briefing).

CREATE FUNCTION briefbot_document(title text, body text) RETURNS tsvector LANGUAGE sql IMMUTABLE AS
$$ SELECT setweight(to_tsvector('briefbot', briefbot_plain(title)), 'A') || setweight(to_tsvector('briefbot', briefbot_plain(body)), 'D') $$;
CREATE FUNCTION briefbot_size(document tsvector) RETURNS integer LANGUAGE sql IMMUTABLE AS
$$ SELECT 1 + (SELECT coalesce(sum(array_length(positions, 1)), 0)::integer FROM unnest(document)) $$;

ALTER TABLE items ADD COLUMN document tsvector GENERATED ALWAYS AS (briefbot_document(search_title, search_body)) STORED;
-- SQLite's index holds an event's tags in its scope too (its migration 017), which FTS5 counts in the item's length.
ALTER TABLE items ADD COLUMN size integer
    GENERATED ALWAYS AS (briefbot_size(briefbot_document(search_title, search_body)) + coalesce(json_array_length(data -> 'tags'), 0)) STORED;
CREATE INDEX items_document ON items USING gin (document);

CREATE OR REPLACE VIEW search_items AS
SELECT briefing_id, kind, id AS item_id,
       array_position(ARRAY['session', 'timeline', 'person', 'agenda', 'quote', 'faq', 'source'], kind) - 1 AS number,
       position, search_title AS title, search_body AS body, document, size
FROM items
UNION ALL
SELECT id, 'summary', 'summary', -1, -1, '', btrim(summary || ' ' || search_translations),
       briefbot_document('', btrim(summary || ' ' || search_translations)),
       briefbot_size(briefbot_document('', btrim(summary || ' ' || search_translations)))
FROM briefings;
