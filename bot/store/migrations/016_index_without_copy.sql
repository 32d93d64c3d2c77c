-- 016: the search index keeps no copy of the text it indexes (issue #18 §2). FTS5 stored every indexed row's
-- keyed text a second time in its own content table (88 MB of a 290 MB file at 100k events, besides the
-- items' data and their search texts), written at every load. The index now reads its columns from the rows
-- themselves (`search_content`, an external content view): `kind` and `item_id` are the item's, which is
-- all a search reads back; the terms are still the keyed words (`briefbot_terms`), which only the index
-- holds. The view's `scope`, `title` and `body` are the unkeyed texts, which nothing reads.
--
-- An index with external content cannot look up what to take out by itself: every trigger removes a row
-- with FTS5's 'delete' command and the values that were indexed, worked out again from the row
-- (`briefbot_terms` is deterministic; a change to it would need the index rebuilt). A summary's row is the
-- briefing's negated rowid, which SQLite cannot look up through an expression: `search_summaries` holds
-- that number as its key, so reading a summary's columns is two rowid lookups, as an item's is one.

DROP TRIGGER items_search_insert;
DROP TRIGGER items_search_update;
DROP TRIGGER items_search_delete;
DROP TRIGGER briefings_search_insert;
DROP TRIGGER briefings_search_update;
DROP TRIGGER briefings_search_delete;
DROP TABLE search_index;

CREATE TABLE search_summaries (row_number INTEGER PRIMARY KEY);
INSERT INTO search_summaries (row_number) SELECT -rowid FROM briefings;
CREATE VIEW search_content AS
    SELECT rowid AS row_number, kind AS scope, kind, id AS item_id, search_title AS title, search_body AS body FROM items
    UNION ALL
    SELECT s.row_number, 'summary', 'summary', 'summary', '', b.summary || ' ' || b.search_translations
    FROM search_summaries AS s JOIN briefings AS b ON b.rowid = -s.row_number;
CREATE VIRTUAL TABLE search_index USING fts5 (
    scope,
    kind UNINDEXED,
    item_id UNINDEXED,
    title,
    body,
    content = 'search_content',
    content_rowid = 'row_number',
    tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TRIGGER items_search_insert AFTER INSERT ON items BEGIN
    INSERT INTO search_index (rowid, scope, kind, item_id, title, body)
    VALUES (NEW.rowid, briefbot_terms(NEW.briefing_id, NEW.kind), NEW.kind, NEW.id,
            briefbot_terms(NEW.briefing_id, NEW.search_title), briefbot_terms(NEW.briefing_id, NEW.search_body));
END;
CREATE TRIGGER items_search_update AFTER UPDATE OF search_title, search_body ON items BEGIN
    INSERT INTO search_index (search_index, rowid, scope, kind, item_id, title, body)
    VALUES ('delete', OLD.rowid, briefbot_terms(OLD.briefing_id, OLD.kind), OLD.kind, OLD.id,
            briefbot_terms(OLD.briefing_id, OLD.search_title), briefbot_terms(OLD.briefing_id, OLD.search_body));
    INSERT INTO search_index (rowid, scope, kind, item_id, title, body)
    VALUES (NEW.rowid, briefbot_terms(NEW.briefing_id, NEW.kind), NEW.kind, NEW.id,
            briefbot_terms(NEW.briefing_id, NEW.search_title), briefbot_terms(NEW.briefing_id, NEW.search_body));
END;
CREATE TRIGGER items_search_delete AFTER DELETE ON items BEGIN
    INSERT INTO search_index (search_index, rowid, scope, kind, item_id, title, body)
    VALUES ('delete', OLD.rowid, briefbot_terms(OLD.briefing_id, OLD.kind), OLD.kind, OLD.id,
            briefbot_terms(OLD.briefing_id, OLD.search_title), briefbot_terms(OLD.briefing_id, OLD.search_body));
END;
CREATE TRIGGER briefings_search_insert AFTER INSERT ON briefings BEGIN
    INSERT INTO search_summaries (row_number) VALUES (-NEW.rowid);
    INSERT INTO search_index (rowid, scope, kind, item_id, title, body)
    VALUES (-NEW.rowid, briefbot_terms(NEW.id, 'summary'), 'summary', 'summary', '',
            briefbot_terms(NEW.id, NEW.summary || ' ' || NEW.search_translations));
END;
CREATE TRIGGER briefings_search_update AFTER UPDATE OF summary, search_translations ON briefings BEGIN
    INSERT INTO search_index (search_index, rowid, scope, kind, item_id, title, body)
    VALUES ('delete', -OLD.rowid, briefbot_terms(OLD.id, 'summary'), 'summary', 'summary', '',
            briefbot_terms(OLD.id, OLD.summary || ' ' || OLD.search_translations));
    INSERT INTO search_index (rowid, scope, kind, item_id, title, body)
    VALUES (-NEW.rowid, briefbot_terms(NEW.id, 'summary'), 'summary', 'summary', '',
            briefbot_terms(NEW.id, NEW.summary || ' ' || NEW.search_translations));
END;
CREATE TRIGGER briefings_search_delete AFTER DELETE ON briefings BEGIN
    INSERT INTO search_index (search_index, rowid, scope, kind, item_id, title, body)
    VALUES ('delete', -OLD.rowid, briefbot_terms(OLD.id, 'summary'), 'summary', 'summary', '',
            briefbot_terms(OLD.id, OLD.summary || ' ' || OLD.search_translations));
    DELETE FROM search_summaries WHERE row_number = -OLD.rowid;
END;

-- What the store holds now, in rowid order (the summaries' negative rowids first, as 013 wrote them).
INSERT INTO search_index (rowid, scope, kind, item_id, title, body)
    SELECT -rowid, briefbot_terms(id, 'summary'), 'summary', 'summary', '', briefbot_terms(id, summary || ' ' || search_translations)
    FROM briefings ORDER BY rowid DESC;
INSERT INTO search_index (rowid, scope, kind, item_id, title, body)
    SELECT rowid, briefbot_terms(briefing_id, kind), kind, id, briefbot_terms(briefing_id, search_title), briefbot_terms(briefing_id, search_body)
    FROM items ORDER BY rowid;
