-- 013: index terms that carry their briefing (issue #14). One FTS5 index serves every briefing; with
-- plain words, a prefix query ("visa"*) merged the lists of every matching term across the whole store
-- before the briefing's scope token narrowed them, and bm25 counted the items holding each word in every
-- briefing. Every token is now written as its briefing's key ('b' || hex(id) || 'x') followed by the word
-- (`briefbot_terms`, registered by the store's connection: bot/store/fulltext.py), so a query reads only
-- its own briefing's terms. `scope` holds one keyed token, the kind.

DROP TRIGGER items_search_insert;
DROP TRIGGER items_search_update;
DROP TRIGGER items_search_delete;
DROP TRIGGER briefings_search_insert;
DROP TRIGGER briefings_search_update;
DROP TRIGGER briefings_search_delete;
DROP TABLE search_index;
CREATE VIRTUAL TABLE search_index USING fts5 (
    scope,
    kind UNINDEXED,
    item_id UNINDEXED,
    title,
    body,
    tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER items_search_insert AFTER INSERT ON items BEGIN
    INSERT INTO search_index (rowid, scope, kind, item_id, title, body)
    VALUES (NEW.rowid, briefbot_terms(NEW.briefing_id, NEW.kind), NEW.kind, NEW.id,
            briefbot_terms(NEW.briefing_id, NEW.search_title), briefbot_terms(NEW.briefing_id, NEW.search_body));
END;
CREATE TRIGGER items_search_update AFTER UPDATE OF search_title, search_body ON items BEGIN
    DELETE FROM search_index WHERE rowid = OLD.rowid;
    INSERT INTO search_index (rowid, scope, kind, item_id, title, body)
    VALUES (NEW.rowid, briefbot_terms(NEW.briefing_id, NEW.kind), NEW.kind, NEW.id,
            briefbot_terms(NEW.briefing_id, NEW.search_title), briefbot_terms(NEW.briefing_id, NEW.search_body));
END;
CREATE TRIGGER items_search_delete AFTER DELETE ON items BEGIN
    DELETE FROM search_index WHERE rowid = OLD.rowid;
END;
CREATE TRIGGER briefings_search_insert AFTER INSERT ON briefings BEGIN
    INSERT INTO search_index (rowid, scope, kind, item_id, title, body)
    VALUES (-NEW.rowid, briefbot_terms(NEW.id, 'summary'), 'summary', 'summary', '',
            briefbot_terms(NEW.id, NEW.summary || ' ' || NEW.search_translations));
END;
CREATE TRIGGER briefings_search_update AFTER UPDATE OF summary, search_translations ON briefings BEGIN
    DELETE FROM search_index WHERE rowid = -OLD.rowid;
    INSERT INTO search_index (rowid, scope, kind, item_id, title, body)
    VALUES (-NEW.rowid, briefbot_terms(NEW.id, 'summary'), 'summary', 'summary', '',
            briefbot_terms(NEW.id, NEW.summary || ' ' || NEW.search_translations));
END;
CREATE TRIGGER briefings_search_delete AFTER DELETE ON briefings BEGIN
    DELETE FROM search_index WHERE rowid = -OLD.rowid;
END;

-- What the store holds now, in rowid order (the summaries' negative rowids first, as the old index had them).
INSERT INTO search_index (rowid, scope, kind, item_id, title, body)
    SELECT -rowid, briefbot_terms(id, 'summary'), 'summary', 'summary', '', briefbot_terms(id, summary || ' ' || search_translations)
    FROM briefings ORDER BY rowid DESC;
INSERT INTO search_index (rowid, scope, kind, item_id, title, body)
    SELECT rowid, briefbot_terms(briefing_id, kind), kind, id, briefbot_terms(briefing_id, search_title), briefbot_terms(briefing_id, search_body)
    FROM items ORDER BY rowid;
