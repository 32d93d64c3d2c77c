-- 010: one table for every kind of item (issue #14 §6), so a new field needs no migration.
-- `data` is the item as pack data (JSON), exactly what pack export writes for it; the core's kind
-- definitions (bot/core/kinds.py) check it on the way in and decode it on the way out. The single
-- meeting has the id 'meeting'. `search_title` and `search_body` are what full-text search indexes,
-- worked out by the store from the same definitions. References between items (a quote's speaker,
-- a person's side) are checked by the pack validator every write goes through, not by foreign keys.
-- `briefbot_wall_clock(utc, zone)` is registered by the store's connection (bot/store/database.py):
-- SQLite has no time zones, and a pack gives the meeting's start on the venue's wall clock.
-- json_patch('{}', json_object(...)) leaves out the keys whose value is NULL, as pack export does.

CREATE TABLE items (
    briefing_id  TEXT NOT NULL REFERENCES briefings (id) ON DELETE CASCADE,
    kind         TEXT NOT NULL,
    id           TEXT NOT NULL,
    position     INTEGER NOT NULL,
    data         TEXT NOT NULL,
    search_title TEXT NOT NULL DEFAULT '',
    search_body  TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (briefing_id, kind, id)
);
CREATE INDEX items_in_order ON items (briefing_id, kind, position);

-- The index is rebuilt over `items`: its rowid is the item row's, its scope the briefing and kind as before.
-- The briefing's summary is indexed too, as kind 'summary', under the negated rowid of its briefing row.
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
    VALUES (NEW.rowid, 'b' || hex(NEW.briefing_id) || ' ' || NEW.kind, NEW.kind, NEW.id, NEW.search_title, NEW.search_body);
END;
CREATE TRIGGER items_search_update AFTER UPDATE OF search_title, search_body ON items BEGIN
    DELETE FROM search_index WHERE rowid = OLD.rowid;
    INSERT INTO search_index (rowid, scope, kind, item_id, title, body)
    VALUES (NEW.rowid, 'b' || hex(NEW.briefing_id) || ' ' || NEW.kind, NEW.kind, NEW.id, NEW.search_title, NEW.search_body);
END;
CREATE TRIGGER items_search_delete AFTER DELETE ON items BEGIN
    DELETE FROM search_index WHERE rowid = OLD.rowid;
END;
CREATE TRIGGER briefings_search_insert AFTER INSERT ON briefings BEGIN
    INSERT INTO search_index (rowid, scope, kind, item_id, title, body)
    VALUES (-NEW.rowid, 'b' || hex(NEW.id) || ' summary', 'summary', 'summary', '', NEW.summary);
END;
CREATE TRIGGER briefings_search_update AFTER UPDATE OF summary ON briefings BEGIN
    DELETE FROM search_index WHERE rowid = -OLD.rowid;
    INSERT INTO search_index (rowid, scope, kind, item_id, title, body)
    VALUES (-NEW.rowid, 'b' || hex(NEW.id) || ' summary', 'summary', 'summary', '', NEW.summary);
END;
CREATE TRIGGER briefings_search_delete AFTER DELETE ON briefings BEGIN
    DELETE FROM search_index WHERE rowid = -OLD.rowid;
END;
INSERT INTO search_index (rowid, scope, kind, item_id, title, body)
    SELECT -rowid, 'b' || hex(id) || ' summary', 'summary', 'summary', '', summary FROM briefings;

-- The rows move in the order a load writes them (by position, then kind), so ties in search rank keep
-- their order. Search texts are those migration 002's triggers indexed.
WITH moved (briefing_id, kind, number, id, position, data, search_title, search_body) AS (
    SELECT briefing_id, 'meeting', 0, 'meeting', 0,
           json_patch(json_object(
               'parties', json(parties), 'start', briefbot_wall_clock(starts_at, zone), 'zone', zone, 'venue', venue,
               'format', format, 'aims', json(aims), 'topics', json(topics), 'stakes', json(stakes), 'status', status,
               'outcome', outcome, 'sources', json(sources), 'evidence', json(evidence)),
               json_object('delegation', nullif(delegation, ''))),
           venue,
           format || ' ' || (SELECT ifnull(group_concat(value, ' '), '') FROM json_each(aims)) || ' '
           || (SELECT ifnull(group_concat(value, ' '), '') FROM json_each(topics)) || ' '
           || (SELECT ifnull(group_concat(json_extract(value, '$.text'), ' '), '') FROM json_each(stakes)) || ' ' || outcome
    FROM meetings
    UNION ALL
    SELECT briefing_id, 'timeline', 1, id, position,
           json_patch('{}', json_object(
               'id', id, 'date', date_text, 'title', title, 'detail', detail, 'note', nullif(note, ''), 'tags', json(tags),
               'people', json(people), 'sources', json(sources), 'evidence', json(evidence))),
           title, detail || ' ' || note || ' ' || (SELECT ifnull(group_concat(value, ' '), '') FROM json_each(tags))
    FROM timeline_events
    UNION ALL
    SELECT briefing_id, 'person', 2, id, position,
           json_object(
               'id', id, 'name', name, 'role', role, 'organisation', organisation, 'side', side,
               'delegation', json(CASE delegation WHEN 1 THEN 'true' ELSE 'false' END), 'sources', json(sources),
               'evidence', json(evidence)),
           name, role || ' ' || organisation
    FROM people
    UNION ALL
    SELECT briefing_id, 'agenda', 3, id, position,
           json_patch('{}', json_object(
               'id', id, 'title', title, 'detail', detail, 'date', date_text, 'time', time, 'zone', zone, 'place', place,
               'people', json(people), 'sources', json(sources), 'evidence', json(evidence))),
           title, detail || ' ' || ifnull(place, '')
    FROM agenda_items
    UNION ALL
    SELECT q.briefing_id, 'quote', 4, q.id, q.position,
           json_patch('{}', json_object(
               'id', q.id, 'speaker', q.speaker, 'words', q.words, 'context', q.context, 'date', q.date_text,
               'sources', json(q.sources), 'evidence', json(q.evidence))),
           q.words, ifnull(p.name, '') || ' ' || q.context
    FROM quotes AS q LEFT JOIN people AS p ON p.briefing_id = q.briefing_id AND p.id = q.speaker
    UNION ALL
    SELECT briefing_id, 'faq', 5, id, position,
           json_object('id', id, 'question', question, 'answer', answer, 'sources', json(sources), 'evidence', json(evidence)),
           question, answer
    FROM faq_entries
    UNION ALL
    SELECT briefing_id, 'source', 6, id, position,
           json_patch('{}', json_object(
               'id', id, 'publisher', publisher, 'title', title, 'author', author, 'published', published, 'url', url,
               'text', text)),
           title, publisher || ' ' || ifnull(author, '')
    FROM sources
)
INSERT INTO items (briefing_id, kind, id, position, data, search_title, search_body)
    SELECT briefing_id, kind, id, position, data, search_title, search_body FROM moved ORDER BY briefing_id, position, number;

DROP TABLE quotes;
DROP TABLE people;
DROP TABLE timeline_events;
DROP TABLE agenda_items;
DROP TABLE faq_entries;
DROP TABLE sources;
DROP TABLE meetings;
