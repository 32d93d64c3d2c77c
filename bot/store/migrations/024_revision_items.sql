-- 024: which items each whole-briefing revision (a load, an import, an undo or redo of one) added, removed or
-- changed, written with the revision. "Did this load change this item?" and "which loads changed a kind?" are then
-- an index seek, where finding the item in the load's logged pack (the whole pack before and after, 55 MB at 100k
-- events) took half a second of SQLite each, under the store's lock (bot/store/history.py).
CREATE TABLE revision_items (
    briefing_id TEXT NOT NULL,
    kind        TEXT NOT NULL,
    item_id     TEXT NOT NULL,
    revision_id INTEGER NOT NULL REFERENCES revisions (id) ON DELETE CASCADE,
    PRIMARY KEY (briefing_id, kind, item_id, revision_id)
) WITHOUT ROWID;
CREATE INDEX revision_items_by_revision ON revision_items (revision_id, kind);

-- The revisions logged before: an item changed when its pack data differs between the pack before and after
-- (absent on one side: added or removed), as the JSON comparison this table replaces decided. Each side is parsed once.
INSERT INTO revision_items (briefing_id, kind, item_id, revision_id)
SELECT briefing_id, kind, item_id, revision_id FROM (
    SELECT r.briefing_id, r.id AS revision_id, CASE section.key
               WHEN 'sessions' THEN 'session' WHEN 'timeline' THEN 'timeline' WHEN 'people' THEN 'person'
               WHEN 'agenda' THEN 'agenda' WHEN 'quotes' THEN 'quote' WHEN 'faq' THEN 'faq'
               WHEN 'context' THEN 'context' WHEN 'sources' THEN 'source' END AS kind,
           json_extract(item.value, '$.id') AS item_id, item.value AS data
    FROM revisions AS r, (SELECT 'before' AS side UNION ALL SELECT 'after') AS sides,
         json_each(CASE sides.side WHEN 'before' THEN r.before ELSE r.after END, '$.item') AS section,
         json_each(CASE section.type WHEN 'array' THEN section.value ELSE '[]' END) AS item
    WHERE r.kind = 'briefing'
)
WHERE kind IS NOT NULL AND item_id IS NOT NULL
GROUP BY revision_id, kind, item_id
HAVING count(*) = 1 OR count(DISTINCT data) > 1;

-- The briefing's head (its `briefing:` mapping) is one item of kind 'head', named by the briefing's id.
INSERT INTO revision_items (briefing_id, kind, item_id, revision_id)
SELECT briefing_id, 'head', briefing_id, id FROM revisions
WHERE kind = 'briefing' AND json_extract(before, '$.item.briefing') IS NOT json_extract(after, '$.item.briefing');
