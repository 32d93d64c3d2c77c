-- Issue #16 §4: the language a briefing's pack is written in, its head's translations (title, summary,
-- side and zone labels) as JSON, and the words of its translated summaries, so a search in Spanish
-- finds the Spanish summary. Items keep their translations in their `data` like any other field.
ALTER TABLE briefings ADD COLUMN language TEXT NOT NULL DEFAULT 'en';
ALTER TABLE briefings ADD COLUMN translations TEXT NOT NULL DEFAULT '{}';
ALTER TABLE briefings ADD COLUMN search_translations TEXT NOT NULL DEFAULT '';

DROP TRIGGER briefings_search_insert;
DROP TRIGGER briefings_search_update;
CREATE TRIGGER briefings_search_insert AFTER INSERT ON briefings BEGIN
    INSERT INTO search_index (rowid, scope, kind, item_id, title, body)
    VALUES (-NEW.rowid, 'b' || hex(NEW.id) || ' summary', 'summary', 'summary', '', trim(NEW.summary || ' ' || NEW.search_translations));
END;
CREATE TRIGGER briefings_search_update AFTER UPDATE OF summary, search_translations ON briefings BEGIN
    DELETE FROM search_index WHERE rowid = -OLD.rowid;
    INSERT INTO search_index (rowid, scope, kind, item_id, title, body)
    VALUES (-NEW.rowid, 'b' || hex(NEW.id) || ' summary', 'summary', 'summary', '', trim(NEW.summary || ' ' || NEW.search_translations));
END;
