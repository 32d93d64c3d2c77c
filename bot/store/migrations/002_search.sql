-- 002: full-text search over every item, kept in step with the item tables by triggers.
-- An index row's rowid is the item row's rowid * 8 + a number per kind, so one item's row is found
-- (and replaced) by rowid without scanning.
-- `scope` holds two tokens, 'b' || hex(briefing id) and the kind, so a query's MATCH expression
-- selects the briefing and kinds from the index itself instead of reading every matching row.

CREATE VIRTUAL TABLE search_index USING fts5 (
    scope,
    kind UNINDEXED,
    item_id UNINDEXED,
    title,
    body,
    tokenize = 'unicode61 remove_diacritics 2'
);


CREATE TRIGGER meetings_search_insert AFTER INSERT ON meetings BEGIN
    INSERT INTO search_index (rowid, scope, kind, item_id, title, body)
    VALUES (NEW.rowid * 8 + 0, 'b' || hex(NEW.briefing_id) || ' meeting', 'meeting', 'meeting', NEW.venue,
            NEW.format || ' ' || (SELECT ifnull(group_concat(value, ' '), '') FROM json_each(NEW.aims)) || ' ' || (SELECT ifnull(group_concat(value, ' '), '') FROM json_each(NEW.topics)) || ' ' || (SELECT ifnull(group_concat(json_extract(value, '$.text'), ' '), '') FROM json_each(NEW.stakes)) || ' ' || NEW.outcome);
END;
CREATE TRIGGER meetings_search_update AFTER UPDATE ON meetings BEGIN
    DELETE FROM search_index WHERE rowid = OLD.rowid * 8 + 0;
    INSERT INTO search_index (rowid, scope, kind, item_id, title, body)
    VALUES (NEW.rowid * 8 + 0, 'b' || hex(NEW.briefing_id) || ' meeting', 'meeting', 'meeting', NEW.venue,
            NEW.format || ' ' || (SELECT ifnull(group_concat(value, ' '), '') FROM json_each(NEW.aims)) || ' ' || (SELECT ifnull(group_concat(value, ' '), '') FROM json_each(NEW.topics)) || ' ' || (SELECT ifnull(group_concat(json_extract(value, '$.text'), ' '), '') FROM json_each(NEW.stakes)) || ' ' || NEW.outcome);
END;
CREATE TRIGGER meetings_search_delete AFTER DELETE ON meetings BEGIN
    DELETE FROM search_index WHERE rowid = OLD.rowid * 8 + 0;
END;

CREATE TRIGGER timeline_events_search_insert AFTER INSERT ON timeline_events BEGIN
    INSERT INTO search_index (rowid, scope, kind, item_id, title, body)
    VALUES (NEW.rowid * 8 + 1, 'b' || hex(NEW.briefing_id) || ' timeline', 'timeline', NEW.id, NEW.title,
            NEW.detail || ' ' || NEW.note || ' ' || (SELECT ifnull(group_concat(value, ' '), '') FROM json_each(NEW.tags)));
END;
CREATE TRIGGER timeline_events_search_update AFTER UPDATE ON timeline_events BEGIN
    DELETE FROM search_index WHERE rowid = OLD.rowid * 8 + 1;
    INSERT INTO search_index (rowid, scope, kind, item_id, title, body)
    VALUES (NEW.rowid * 8 + 1, 'b' || hex(NEW.briefing_id) || ' timeline', 'timeline', NEW.id, NEW.title,
            NEW.detail || ' ' || NEW.note || ' ' || (SELECT ifnull(group_concat(value, ' '), '') FROM json_each(NEW.tags)));
END;
CREATE TRIGGER timeline_events_search_delete AFTER DELETE ON timeline_events BEGIN
    DELETE FROM search_index WHERE rowid = OLD.rowid * 8 + 1;
END;

CREATE TRIGGER people_search_insert AFTER INSERT ON people BEGIN
    INSERT INTO search_index (rowid, scope, kind, item_id, title, body)
    VALUES (NEW.rowid * 8 + 2, 'b' || hex(NEW.briefing_id) || ' person', 'person', NEW.id, NEW.name,
            NEW.role || ' ' || NEW.organisation);
END;
CREATE TRIGGER people_search_update AFTER UPDATE ON people BEGIN
    DELETE FROM search_index WHERE rowid = OLD.rowid * 8 + 2;
    INSERT INTO search_index (rowid, scope, kind, item_id, title, body)
    VALUES (NEW.rowid * 8 + 2, 'b' || hex(NEW.briefing_id) || ' person', 'person', NEW.id, NEW.name,
            NEW.role || ' ' || NEW.organisation);
END;
CREATE TRIGGER people_search_delete AFTER DELETE ON people BEGIN
    DELETE FROM search_index WHERE rowid = OLD.rowid * 8 + 2;
END;

CREATE TRIGGER agenda_items_search_insert AFTER INSERT ON agenda_items BEGIN
    INSERT INTO search_index (rowid, scope, kind, item_id, title, body)
    VALUES (NEW.rowid * 8 + 3, 'b' || hex(NEW.briefing_id) || ' agenda', 'agenda', NEW.id, NEW.title,
            NEW.detail || ' ' || ifnull(NEW.place, ''));
END;
CREATE TRIGGER agenda_items_search_update AFTER UPDATE ON agenda_items BEGIN
    DELETE FROM search_index WHERE rowid = OLD.rowid * 8 + 3;
    INSERT INTO search_index (rowid, scope, kind, item_id, title, body)
    VALUES (NEW.rowid * 8 + 3, 'b' || hex(NEW.briefing_id) || ' agenda', 'agenda', NEW.id, NEW.title,
            NEW.detail || ' ' || ifnull(NEW.place, ''));
END;
CREATE TRIGGER agenda_items_search_delete AFTER DELETE ON agenda_items BEGIN
    DELETE FROM search_index WHERE rowid = OLD.rowid * 8 + 3;
END;

CREATE TRIGGER quotes_search_insert AFTER INSERT ON quotes BEGIN
    INSERT INTO search_index (rowid, scope, kind, item_id, title, body)
    VALUES (NEW.rowid * 8 + 4, 'b' || hex(NEW.briefing_id) || ' quote', 'quote', NEW.id, NEW.words,
            NEW.context || ' ' || ifnull((SELECT name FROM people WHERE briefing_id = NEW.briefing_id AND id = NEW.speaker), ''));
END;
CREATE TRIGGER quotes_search_update AFTER UPDATE ON quotes BEGIN
    DELETE FROM search_index WHERE rowid = OLD.rowid * 8 + 4;
    INSERT INTO search_index (rowid, scope, kind, item_id, title, body)
    VALUES (NEW.rowid * 8 + 4, 'b' || hex(NEW.briefing_id) || ' quote', 'quote', NEW.id, NEW.words,
            NEW.context || ' ' || ifnull((SELECT name FROM people WHERE briefing_id = NEW.briefing_id AND id = NEW.speaker), ''));
END;
CREATE TRIGGER quotes_search_delete AFTER DELETE ON quotes BEGIN
    DELETE FROM search_index WHERE rowid = OLD.rowid * 8 + 4;
END;

CREATE TRIGGER faq_entries_search_insert AFTER INSERT ON faq_entries BEGIN
    INSERT INTO search_index (rowid, scope, kind, item_id, title, body)
    VALUES (NEW.rowid * 8 + 5, 'b' || hex(NEW.briefing_id) || ' faq', 'faq', NEW.id, NEW.question,
            NEW.answer);
END;
CREATE TRIGGER faq_entries_search_update AFTER UPDATE ON faq_entries BEGIN
    DELETE FROM search_index WHERE rowid = OLD.rowid * 8 + 5;
    INSERT INTO search_index (rowid, scope, kind, item_id, title, body)
    VALUES (NEW.rowid * 8 + 5, 'b' || hex(NEW.briefing_id) || ' faq', 'faq', NEW.id, NEW.question,
            NEW.answer);
END;
CREATE TRIGGER faq_entries_search_delete AFTER DELETE ON faq_entries BEGIN
    DELETE FROM search_index WHERE rowid = OLD.rowid * 8 + 5;
END;

CREATE TRIGGER sources_search_insert AFTER INSERT ON sources BEGIN
    INSERT INTO search_index (rowid, scope, kind, item_id, title, body)
    VALUES (NEW.rowid * 8 + 6, 'b' || hex(NEW.briefing_id) || ' source', 'source', NEW.id, NEW.title,
            NEW.publisher || ' ' || ifnull(NEW.author, ''));
END;
CREATE TRIGGER sources_search_update AFTER UPDATE ON sources BEGIN
    DELETE FROM search_index WHERE rowid = OLD.rowid * 8 + 6;
    INSERT INTO search_index (rowid, scope, kind, item_id, title, body)
    VALUES (NEW.rowid * 8 + 6, 'b' || hex(NEW.briefing_id) || ' source', 'source', NEW.id, NEW.title,
            NEW.publisher || ' ' || ifnull(NEW.author, ''));
END;
CREATE TRIGGER sources_search_delete AFTER DELETE ON sources BEGIN
    DELETE FROM search_index WHERE rowid = OLD.rowid * 8 + 6;
END;

-- Index what 001 already holds: touching each row fires its update trigger.
UPDATE meetings SET status = status;
UPDATE timeline_events SET position = position;
UPDATE people SET position = position;
UPDATE agenda_items SET position = position;
UPDATE quotes SET position = position;
UPDATE faq_entries SET position = position;
UPDATE sources SET position = position;
