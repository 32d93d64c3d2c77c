-- Issue #16 §4, as SQLite's 012: the pack's language, its head's translations, and the words of its
-- translated summaries, searched with the summary.
ALTER TABLE briefings ADD COLUMN language text NOT NULL DEFAULT 'en';
ALTER TABLE briefings ADD COLUMN translations json NOT NULL DEFAULT '{}';
ALTER TABLE briefings ADD COLUMN search_translations text NOT NULL DEFAULT '';

CREATE OR REPLACE VIEW search_items AS
SELECT briefing_id, kind, id AS item_id,
       array_position(ARRAY['session', 'timeline', 'person', 'agenda', 'quote', 'faq', 'source'], kind) - 1 AS number,
       position, search_title AS title, search_body AS body
FROM items
UNION ALL
SELECT id, 'summary', 'summary', -1, -1, '', btrim(summary || ' ' || search_translations) FROM briefings;
