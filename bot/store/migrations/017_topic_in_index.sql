-- 017: an event's topics in the search index (issue #18 §2). `timeline query: topic:` read every match's row
-- to test its tags (`json_each` over `data`): ~2 µs a match, 130 ms at p99 for a common word at 100k events.
-- The index's `scope` column now holds, beside the kind, one token per tag: 'tag' and the tag's UTF-8 in hex
-- (one word whatever the tag holds; no kind's name is 'tag' and hex digits), keyed like every term, so a
-- topic is one more term of the MATCH and no row is read. The triggers, the load (`rows.index_row`) and a
-- reload's removal (`_UNINDEX_ITEMS`) write it alike; FTS5's 'delete' needs the values indexed, so it is
-- worked out again from the row. An edit of the tags rewrites the row's search body (tags are searched), which re-indexes it.

DROP TRIGGER items_search_insert;
DROP TRIGGER items_search_update;
DROP TRIGGER items_search_delete;

CREATE TRIGGER items_search_insert AFTER INSERT ON items BEGIN
    INSERT INTO search_index (rowid, scope, kind, item_id, title, body)
    VALUES (NEW.rowid, briefbot_terms(NEW.briefing_id, NEW.kind || (SELECT coalesce(group_concat(' tag' || hex(value), ''), '') FROM json_each(NEW.data, '$.tags'))),
            NEW.kind, NEW.id, briefbot_terms(NEW.briefing_id, NEW.search_title), briefbot_terms(NEW.briefing_id, NEW.search_body));
END;
CREATE TRIGGER items_search_update AFTER UPDATE OF search_title, search_body ON items BEGIN
    INSERT INTO search_index (search_index, rowid, scope, kind, item_id, title, body)
    VALUES ('delete', OLD.rowid, briefbot_terms(OLD.briefing_id, OLD.kind || (SELECT coalesce(group_concat(' tag' || hex(value), ''), '') FROM json_each(OLD.data, '$.tags'))),
            OLD.kind, OLD.id, briefbot_terms(OLD.briefing_id, OLD.search_title), briefbot_terms(OLD.briefing_id, OLD.search_body));
    INSERT INTO search_index (rowid, scope, kind, item_id, title, body)
    VALUES (NEW.rowid, briefbot_terms(NEW.briefing_id, NEW.kind || (SELECT coalesce(group_concat(' tag' || hex(value), ''), '') FROM json_each(NEW.data, '$.tags'))),
            NEW.kind, NEW.id, briefbot_terms(NEW.briefing_id, NEW.search_title), briefbot_terms(NEW.briefing_id, NEW.search_body));
END;
CREATE TRIGGER items_search_delete AFTER DELETE ON items BEGIN
    INSERT INTO search_index (search_index, rowid, scope, kind, item_id, title, body)
    VALUES ('delete', OLD.rowid, briefbot_terms(OLD.briefing_id, OLD.kind || (SELECT coalesce(group_concat(' tag' || hex(value), ''), '') FROM json_each(OLD.data, '$.tags'))),
            OLD.kind, OLD.id, briefbot_terms(OLD.briefing_id, OLD.search_title), briefbot_terms(OLD.briefing_id, OLD.search_body));
END;

-- Every tagged row indexed again: out with the scope it had (the kind alone), in with its tags.
INSERT INTO search_index (search_index, rowid, scope, kind, item_id, title, body)
    SELECT 'delete', rowid, briefbot_terms(briefing_id, kind), kind, id, briefbot_terms(briefing_id, search_title), briefbot_terms(briefing_id, search_body)
    FROM items WHERE EXISTS (SELECT 1 FROM json_each(data, '$.tags'));
INSERT INTO search_index (rowid, scope, kind, item_id, title, body)
    SELECT rowid, briefbot_terms(briefing_id, kind || (SELECT group_concat(' tag' || hex(value), '') FROM json_each(data, '$.tags'))),
           kind, id, briefbot_terms(briefing_id, search_title), briefbot_terms(briefing_id, search_body)
    FROM items WHERE EXISTS (SELECT 1 FROM json_each(data, '$.tags'));
