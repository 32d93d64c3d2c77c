-- 010: an index of each briefing's item sizes (issue #18 §2). A search's bm25 needs the briefing's item count and
-- average size (bot/store/postgres/search.py, `stats`): read from the table, that is every row of the briefing
-- (about 90 ms at 100k events); from this index, once autovacuum has marked the pages visible, an index-only
-- scan (about 17 ms).
CREATE INDEX items_sizes ON items (briefing_id, size);
