-- 005: the SQLite store's migration 010 in PostgreSQL: one table for every kind of item (issue #14 §6).
-- `data` is the item as pack data, kept as json (the text as written); `search_title` and
-- `search_body` are what search reads, worked out by the store from the kind definitions.
-- `search_items` now reads them, and the briefing's summary (kind 'summary', before every item in a
-- tie, as the SQLite index's negative rowid puts it).

CREATE TABLE items (
    briefing_id  text NOT NULL REFERENCES briefings (id) ON DELETE CASCADE,
    kind         text NOT NULL,
    id           text NOT NULL,
    position     integer NOT NULL,
    data         json NOT NULL,
    search_title text NOT NULL DEFAULT '',
    search_body  text NOT NULL DEFAULT '',
    PRIMARY KEY (briefing_id, kind, id)
);
CREATE INDEX items_in_order ON items (briefing_id, kind, position);

INSERT INTO items (briefing_id, kind, id, position, data, search_title, search_body)
SELECT briefing_id, 'meeting', 'meeting', 0,
       CASE WHEN delegation = '' THEN json_build_object(
           'parties', parties::json, 'start', to_char(starts_at::timestamptz AT TIME ZONE zone, 'YYYY-MM-DD"T"HH24:MI'),
           'zone', zone, 'venue', venue, 'format', format, 'aims', aims::json, 'topics', topics::json,
           'stakes', stakes::json, 'status', status, 'outcome', outcome, 'sources', sources::json, 'evidence', evidence::json)
       ELSE json_build_object(
           'parties', parties::json, 'start', to_char(starts_at::timestamptz AT TIME ZONE zone, 'YYYY-MM-DD"T"HH24:MI'),
           'zone', zone, 'venue', venue, 'format', format, 'aims', aims::json, 'topics', topics::json,
           'stakes', stakes::json, 'status', status, 'outcome', outcome, 'sources', sources::json, 'evidence', evidence::json,
           'delegation', delegation) END,
       venue,
       format || ' ' || briefbot_words(aims) || ' ' || briefbot_words(topics) || ' '
       || (SELECT coalesce(string_agg(s ->> 'text', ' '), '') FROM json_array_elements(stakes::json) AS s) || ' ' || outcome
FROM meetings;
INSERT INTO items (briefing_id, kind, id, position, data, search_title, search_body)
SELECT briefing_id, 'timeline', id, position,
       json_strip_nulls(json_build_object(
           'id', id, 'date', date_text, 'title', title, 'detail', detail, 'note', nullif(note, ''), 'tags', tags::json,
           'people', people::json, 'sources', sources::json, 'evidence', evidence::json)),
       title, detail || ' ' || note || ' ' || briefbot_words(tags)
FROM timeline_events;
INSERT INTO items (briefing_id, kind, id, position, data, search_title, search_body)
SELECT briefing_id, 'person', id, position,
       json_build_object(
           'id', id, 'name', name, 'role', role, 'organisation', organisation, 'side', side, 'delegation', delegation = 1,
           'sources', sources::json, 'evidence', evidence::json),
       name, role || ' ' || organisation
FROM people;
INSERT INTO items (briefing_id, kind, id, position, data, search_title, search_body)
SELECT briefing_id, 'agenda', id, position,
       json_strip_nulls(json_build_object(
           'id', id, 'title', title, 'detail', detail, 'date', date_text, 'time', time, 'zone', zone, 'place', place,
           'people', people::json, 'sources', sources::json, 'evidence', evidence::json)),
       title, detail || ' ' || coalesce(place, '')
FROM agenda_items;
INSERT INTO items (briefing_id, kind, id, position, data, search_title, search_body)
SELECT q.briefing_id, 'quote', q.id, q.position,
       json_strip_nulls(json_build_object(
           'id', q.id, 'speaker', q.speaker, 'words', q.words, 'context', q.context, 'date', q.date_text,
           'sources', q.sources::json, 'evidence', q.evidence::json)),
       q.words, coalesce(p.name, '') || ' ' || q.context
FROM quotes AS q LEFT JOIN people AS p ON p.briefing_id = q.briefing_id AND p.id = q.speaker;
INSERT INTO items (briefing_id, kind, id, position, data, search_title, search_body)
SELECT briefing_id, 'faq', id, position,
       json_build_object('id', id, 'question', question, 'answer', answer, 'sources', sources::json, 'evidence', evidence::json),
       question, answer
FROM faq_entries;
INSERT INTO items (briefing_id, kind, id, position, data, search_title, search_body)
SELECT briefing_id, 'source', id, position,
       json_strip_nulls(json_build_object(
           'id', id, 'publisher', publisher, 'title', title, 'author', author, 'published', published, 'url', url,
           'text', text)),
       title, publisher || ' ' || coalesce(author, '')
FROM sources;

DROP VIEW search_items;
DROP TABLE quotes;
DROP TABLE people;
DROP TABLE timeline_events;
DROP TABLE agenda_items;
DROP TABLE faq_entries;
DROP TABLE sources;
DROP TABLE meetings;

-- `number` orders kinds as the definitions list them (meeting 0 … source 6), for ties in rank.
CREATE VIEW search_items AS
SELECT briefing_id, kind, id AS item_id,
       array_position(ARRAY['meeting', 'timeline', 'person', 'agenda', 'quote', 'faq', 'source'], kind) - 1 AS number,
       position, search_title AS title, search_body AS body
FROM items
UNION ALL
SELECT id, 'summary', 'summary', -1, -1, '', summary FROM briefings;
