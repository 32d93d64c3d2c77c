-- 006: the SQLite store's migration 011 in PostgreSQL: sessions, not one meeting (issue #14 §4).
-- Zones become `briefings.zones` (a list, venue then home); the meeting item becomes the session
-- 'meeting' titled as its briefing; its revisions, and the packs imports logged, are rewritten to
-- match; alert keys in the ledger gain the session id, so no alert is sent twice across the upgrade.
-- jsonb_strip_nulls drops a start not announced, as pack export leaves it out.

ALTER TABLE briefings ADD COLUMN zones jsonb NOT NULL DEFAULT '[]';
UPDATE briefings SET zones = jsonb_build_array(
    jsonb_build_object('zone', venue_zone, 'label', venue_label), jsonb_build_object('zone', home_zone, 'label', home_label));
ALTER TABLE briefings DROP COLUMN venue_zone, DROP COLUMN venue_label, DROP COLUMN home_zone, DROP COLUMN home_label;

UPDATE items AS i
SET kind = 'session',
    data = jsonb_strip_nulls(jsonb_build_object('id', 'meeting', 'title', b.title) || i.data::jsonb)::json,
    search_title = b.title || ' ' || i.search_title
FROM briefings AS b
WHERE b.id = i.briefing_id AND i.kind = 'meeting';

UPDATE revisions AS r
SET kind = 'session',
    item_id = 'meeting',
    before = CASE WHEN r.before IS NULL THEN NULL ELSE jsonb_set(r.before::jsonb, '{item}',
        jsonb_strip_nulls(jsonb_build_object('id', 'meeting', 'title', b.title) || (r.before::jsonb -> 'item')))::json END,
    after = CASE WHEN r.after IS NULL THEN NULL ELSE jsonb_set(r.after::jsonb, '{item}',
        jsonb_strip_nulls(jsonb_build_object('id', 'meeting', 'title', b.title) || (r.after::jsonb -> 'item')))::json END
FROM briefings AS b
WHERE b.id = r.briefing_id AND r.kind = 'meeting';

-- A logged pack: `meeting:` becomes a one-session `sessions:`, and `zones:` a list.
CREATE FUNCTION pg_temp.briefbot_sessions_pack(logged jsonb) RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN logged -> 'item' -> 'meeting' IS NULL THEN logged ELSE jsonb_set(jsonb_set(
        logged #- '{item,meeting}',
        '{item,sessions}', jsonb_build_array(jsonb_strip_nulls(
            jsonb_build_object('id', 'meeting', 'title', logged -> 'item' -> 'briefing' -> 'title') || (logged -> 'item' -> 'meeting')))),
        '{item,briefing,zones}', jsonb_build_array(
            logged -> 'item' -> 'briefing' -> 'zones' -> 'venue', logged -> 'item' -> 'briefing' -> 'zones' -> 'home'))
    END
$$;
UPDATE revisions
SET before = pg_temp.briefbot_sessions_pack(before::jsonb)::json, after = pg_temp.briefbot_sessions_pack(after::jsonb)::json
WHERE kind = 'briefing';
DROP FUNCTION pg_temp.briefbot_sessions_pack(jsonb);

UPDATE deliveries SET key = 'alert:24h:meeting:' || substr(key, 11) WHERE key LIKE 'alert:24h:%';
UPDATE deliveries SET key = 'alert:1h:meeting:' || substr(key, 10) WHERE key LIKE 'alert:1h:%';
UPDATE deliveries SET key = 'alert:start:meeting:' || substr(key, 13) WHERE key LIKE 'alert:start:%';
UPDATE deliveries SET key = 'alert:status:meeting:' || substr(key, 14) WHERE key LIKE 'alert:status:%';

-- `number` orders kinds as the definitions list them (session 0 … source 6), for ties in rank.
CREATE OR REPLACE VIEW search_items AS
SELECT briefing_id, kind, id AS item_id,
       array_position(ARRAY['session', 'timeline', 'person', 'agenda', 'quote', 'faq', 'source'], kind) - 1 AS number,
       position, search_title AS title, search_body AS body
FROM items
UNION ALL
SELECT id, 'summary', 'summary', -1, -1, '', summary FROM briefings;
