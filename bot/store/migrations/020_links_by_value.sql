-- 020: `item_links` (migration 018) is its own lookup: the table is kept in (briefing, link, value, item) order, which
-- every reader seeks, where a table in insertion order held the links and an index held them again in that order.
-- A load writes each link once, in that order, and builds no index after it: one b-tree of links, not three.
-- `place` is the value's place in the item's list (-1: a quote's speaker), so a list that repeats a value (a source
-- cited twice by one event: its count says two) keeps every link and each key stays unique.
-- Without an index by item, the triggers find an item's links through its own data before it changes or goes: the
-- links are always the view's for the row as it is (tests/test_item_links.py), so the same view finds them again.
DROP TRIGGER items_links_insert;
DROP TRIGGER items_links_delete;
DROP TRIGGER items_links_update;
DROP VIEW item_links_in_data;
DROP TABLE item_links;

CREATE TABLE item_links (
    briefing_id TEXT NOT NULL,
    link TEXT NOT NULL,  -- 'person' (an item's `people`, a quote's speaker), 'tag' (an event's) or 'source'
    value TEXT NOT NULL,
    item INTEGER NOT NULL,  -- the item's rowid, which an edit keeps
    place INTEGER NOT NULL,
    PRIMARY KEY (briefing_id, link, value, item, place)
) WITHOUT ROWID;

CREATE VIEW item_links_in_data AS
    SELECT briefing_id, 'person' AS link, value, items.rowid AS item, key AS place FROM items, json_each(items.data, '$.people')
    UNION ALL SELECT briefing_id, 'person', data ->> '$.speaker', rowid, -1 FROM items WHERE kind = 'quote'
    UNION ALL SELECT briefing_id, 'tag', value, items.rowid, key FROM items, json_each(items.data, '$.tags') WHERE kind = 'timeline'
    UNION ALL SELECT briefing_id, 'source', value, items.rowid, key FROM items, json_each(items.data, '$.sources');

CREATE TRIGGER items_links_insert AFTER INSERT ON items BEGIN
    INSERT INTO item_links SELECT * FROM item_links_in_data WHERE item = new.rowid;
END;
CREATE TRIGGER items_links_delete BEFORE DELETE ON items BEGIN
    DELETE FROM item_links WHERE (briefing_id, link, value, item, place) IN (SELECT * FROM item_links_in_data WHERE item = old.rowid);
END;
CREATE TRIGGER items_links_unlink BEFORE UPDATE OF data ON items BEGIN
    DELETE FROM item_links WHERE (briefing_id, link, value, item, place) IN (SELECT * FROM item_links_in_data WHERE item = old.rowid);
END;
CREATE TRIGGER items_links_update AFTER UPDATE OF data ON items BEGIN
    INSERT INTO item_links SELECT * FROM item_links_in_data WHERE item = new.rowid;
END;

INSERT INTO item_links SELECT * FROM item_links_in_data ORDER BY briefing_id, link, value, item, place;
