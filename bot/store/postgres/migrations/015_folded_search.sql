-- 015: one folding for search on both stores, as SQLite's migration 025. Documents were the text as written, folded by
-- unaccent and `simple`, while SQLite folded with unicode61 and Python remembered searches by its own fold: "Hauptstraße",
-- "ﬁnance", "Łódź", "Αθήνα" or "ＷＡＳＨＩＮＧＴＯＮ" were found on one store and not the other. Items' search texts,
-- and the summaries' (`search_translations` now holds the summary's words with its translations'), are stored folded
-- as a search is (`search_fold`, bot/core/text.py), dotted abbreviations squeezed ("U.S." is "us"), and so are the
-- words searched for: the configuration only lower-cases ASCII, which the fold leaves as it is. Python folds the stored
-- texts after this file runs, in the same transaction (bot/store/postgres/folding.py), which writes each document again.

ALTER TEXT SEARCH CONFIGURATION briefbot ALTER MAPPING FOR word, hword, hword_part WITH simple;

CREATE OR REPLACE VIEW search_items AS
SELECT briefing_id, kind, id AS item_id,
       array_position(ARRAY['session', 'timeline', 'person', 'agenda', 'quote', 'faq', 'source'], kind) - 1 AS number,
       position, search_title AS title, search_body AS body, document, size
FROM items
UNION ALL
SELECT id, 'summary', 'summary', -1, -1, '', btrim(search_translations),
       briefbot_document('', btrim(search_translations)), briefbot_size(briefbot_document('', btrim(search_translations)))
FROM briefings;
