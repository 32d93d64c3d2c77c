-- 011: sessions, not one meeting (issue #14 §4). A briefing holds any number of sessions (items of
-- kind 'session') and any number of zones (`briefings.zones`, a JSON list of {zone, label}, the first
-- the default clock). Nothing is lost on the way:
-- * the venue and home zone columns become the first two entries of `zones`;
-- * the meeting item becomes the session with id 'meeting', titled as its briefing (what the pack
--   loader makes of an old pack's `meeting:` mapping), its search text gaining that title;
-- * revisions of the meeting become revisions of that session (its `before`/`after` gain id and
--   title), and every pack an import or load logged is rewritten to `sessions:` and `zones:`, so
--   history, undo and the digests' status changes read one format;
-- * the digest ledger's alert keys gain the session id (`alert:24h:<start>` becomes
--   `alert:24h:meeting:<start>`), the key the new code plans, so no alert is sent twice.
-- json_patch drops the keys whose value is null (a start not announced), as pack export leaves them out.

ALTER TABLE briefings ADD COLUMN zones TEXT NOT NULL DEFAULT '[]';
UPDATE briefings SET zones = json_array(
    json_object('zone', venue_zone, 'label', venue_label), json_object('zone', home_zone, 'label', home_label));
ALTER TABLE briefings DROP COLUMN venue_zone;
ALTER TABLE briefings DROP COLUMN venue_label;
ALTER TABLE briefings DROP COLUMN home_zone;
ALTER TABLE briefings DROP COLUMN home_label;

-- Setting search_title fires the index trigger, which files the row again under its new kind.
UPDATE items
SET kind = 'session',
    data = json_patch(json_object('id', 'meeting', 'title', (SELECT title FROM briefings AS b WHERE b.id = items.briefing_id)), data),
    search_title = (SELECT title FROM briefings AS b WHERE b.id = items.briefing_id) || ' ' || search_title
WHERE kind = 'meeting';

UPDATE revisions
SET kind = 'session',
    item_id = 'meeting',
    before = CASE WHEN before IS NULL THEN NULL ELSE json_set(before, '$.item', json_patch(
        json_object('id', 'meeting', 'title', (SELECT title FROM briefings AS b WHERE b.id = revisions.briefing_id)),
        json_extract(before, '$.item'))) END,
    after = CASE WHEN after IS NULL THEN NULL ELSE json_set(after, '$.item', json_patch(
        json_object('id', 'meeting', 'title', (SELECT title FROM briefings AS b WHERE b.id = revisions.briefing_id)),
        json_extract(after, '$.item'))) END
WHERE kind = 'meeting';

-- A logged pack (kind 'briefing'): `meeting:` becomes a one-session `sessions:`, and `zones:` a list.
UPDATE revisions
SET before = CASE WHEN json_type(before, '$.item.meeting') IS NULL THEN before ELSE json_set(
        json_remove(before, '$.item.meeting'),
        '$.item.sessions', json_array(json_patch(
            json_object('id', 'meeting', 'title', json_extract(before, '$.item.briefing.title')),
            json_extract(before, '$.item.meeting'))),
        '$.item.briefing.zones', json_array(
            json(json_extract(before, '$.item.briefing.zones.venue')), json(json_extract(before, '$.item.briefing.zones.home'))))
    END,
    after = CASE WHEN json_type(after, '$.item.meeting') IS NULL THEN after ELSE json_set(
        json_remove(after, '$.item.meeting'),
        '$.item.sessions', json_array(json_patch(
            json_object('id', 'meeting', 'title', json_extract(after, '$.item.briefing.title')),
            json_extract(after, '$.item.meeting'))),
        '$.item.briefing.zones', json_array(
            json(json_extract(after, '$.item.briefing.zones.venue')), json(json_extract(after, '$.item.briefing.zones.home'))))
    END
WHERE kind = 'briefing';

UPDATE deliveries SET key = 'alert:24h:meeting:' || substr(key, 11) WHERE key LIKE 'alert:24h:%';
UPDATE deliveries SET key = 'alert:1h:meeting:' || substr(key, 10) WHERE key LIKE 'alert:1h:%';
UPDATE deliveries SET key = 'alert:start:meeting:' || substr(key, 13) WHERE key LIKE 'alert:start:%';
UPDATE deliveries SET key = 'alert:status:meeting:' || substr(key, 14) WHERE key LIKE 'alert:status:%';
