-- 014: the SQLite store's migration 024: which items each whole-briefing revision (a load, an import, an undo or
-- redo of one) added, removed or changed, written with the revision, so "did this load change this item?" is an
-- index seek and not a search through the whole pack the revision logged (bot/store/postgres/repository.py).
CREATE TABLE revision_items (
    briefing_id text NOT NULL,
    kind        text NOT NULL,
    item_id     text NOT NULL,
    revision_id bigint NOT NULL REFERENCES revisions (id) ON DELETE CASCADE,
    PRIMARY KEY (briefing_id, kind, item_id, revision_id)
);
CREATE INDEX revision_items_by_revision ON revision_items (revision_id, kind);

-- The revisions logged before: an item changed when its pack data differs between the pack before and after
-- (absent on one side: added or removed), as the jsonb comparison this table replaces decided.
INSERT INTO revision_items (briefing_id, kind, item_id, revision_id)
SELECT briefing_id, kind, item_id, revision_id FROM (
    SELECT r.briefing_id, r.id AS revision_id, CASE section.key
               WHEN 'sessions' THEN 'session' WHEN 'timeline' THEN 'timeline' WHEN 'people' THEN 'person'
               WHEN 'agenda' THEN 'agenda' WHEN 'quotes' THEN 'quote' WHEN 'faq' THEN 'faq'
               WHEN 'context' THEN 'context' WHEN 'sources' THEN 'source' END AS kind,
           item ->> 'id' AS item_id, item AS data
    FROM revisions AS r, (VALUES (false), (true)) AS sides (later),
         jsonb_each((CASE WHEN sides.later THEN r.after ELSE r.before END)::jsonb -> 'item') AS section,
         jsonb_array_elements(CASE jsonb_typeof(section.value) WHEN 'array' THEN section.value ELSE '[]' END) AS item
    WHERE r.kind = 'briefing'
) AS logged
WHERE kind IS NOT NULL AND item_id IS NOT NULL
GROUP BY revision_id, kind, item_id, briefing_id
HAVING count(*) = 1 OR count(DISTINCT data) > 1;

-- The briefing's head (its `briefing:` mapping) is one item of kind 'head', named by the briefing's id.
INSERT INTO revision_items (briefing_id, kind, item_id, revision_id)
SELECT briefing_id, 'head', briefing_id, id FROM revisions
WHERE kind = 'briefing' AND (before::jsonb -> 'item' -> 'briefing') IS DISTINCT FROM (after::jsonb -> 'item' -> 'briefing');
