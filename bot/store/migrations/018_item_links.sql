-- 018: which items name a person, carry a tag or cite a source, as rows (issue #18 §2). A one-shot `ask` at
-- 100k events reads a person's events and quotes, the briefing's topics and each source's citation count by
-- these, one seek each, where walking every item's JSON (`json_each`) took 200–270 ms of CPU. `item` is the
-- item's rowid, which an edit keeps (it updates the row in place). What links an item is said once, by the
-- view `item_links_in_data`: the triggers keep the links in step with `data` at every edit and removal, and a
-- load (its triggers off, as the search index's are) writes a briefing's links in one statement from it.
CREATE TABLE item_links (
    item INTEGER NOT NULL,
    briefing_id TEXT NOT NULL,
    link TEXT NOT NULL,  -- 'person' (an item's `people`, a quote's speaker), 'tag' (an event's) or 'source'
    value TEXT NOT NULL
);
CREATE INDEX item_links_by_value ON item_links (briefing_id, link, value, item);
CREATE INDEX item_links_of_item ON item_links (item);

CREATE VIEW item_links_in_data AS
    SELECT items.rowid AS item, briefing_id, 'person' AS link, value FROM items, json_each(items.data, '$.people')
    UNION ALL SELECT rowid, briefing_id, 'person', data ->> '$.speaker' FROM items WHERE kind = 'quote'
    UNION ALL SELECT items.rowid, briefing_id, 'tag', value FROM items, json_each(items.data, '$.tags') WHERE kind = 'timeline'
    UNION ALL SELECT items.rowid, briefing_id, 'source', value FROM items, json_each(items.data, '$.sources');

CREATE TRIGGER items_links_insert AFTER INSERT ON items BEGIN
    INSERT INTO item_links (item, briefing_id, link, value) SELECT * FROM item_links_in_data WHERE item = new.rowid;
END;
CREATE TRIGGER items_links_delete AFTER DELETE ON items BEGIN
    DELETE FROM item_links WHERE item = old.rowid;
END;
CREATE TRIGGER items_links_update AFTER UPDATE OF data ON items BEGIN
    DELETE FROM item_links WHERE item = old.rowid;
    INSERT INTO item_links (item, briefing_id, link, value) SELECT * FROM item_links_in_data WHERE item = new.rowid;
END;

INSERT INTO item_links (item, briefing_id, link, value) SELECT * FROM item_links_in_data;
