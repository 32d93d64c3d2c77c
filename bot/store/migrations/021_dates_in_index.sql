-- 021: an event's kind term in the search index carries its dates (issue #18 §2). A `timeline query:` within a range
-- counted its matches by walking the range's events and probing the set of every match of the words (12 ms for a
-- common word over six years at 100k events). Now an event's `scope` term is its kind followed by the month its days
-- lie in ('timeline201503') or by the year they fill whole ('timeline2015'), else the kind alone (`fulltext.date_word`),
-- so a range's matches are FTS5's count over its months' and years' terms. One term still, not one more: bm25 counts
-- every term of a row in its length, `scope`'s too (round 13), so `/search`'s scores stay as they were.
-- `briefbot_scope` (`rows.scope`) writes the whole column for the triggers as for a load; a date edit re-indexes the row.

DROP TRIGGER items_search_insert;
DROP TRIGGER items_search_update;
DROP TRIGGER items_search_delete;

CREATE TRIGGER items_search_insert AFTER INSERT ON items BEGIN
    INSERT INTO search_index (rowid, scope, kind, item_id, title, body)
    VALUES (NEW.rowid, briefbot_scope(NEW.briefing_id, NEW.kind, NEW.data, NEW.first_day, NEW.last_day),
            NEW.kind, NEW.id, briefbot_terms(NEW.briefing_id, NEW.search_title), briefbot_terms(NEW.briefing_id, NEW.search_body));
END;
CREATE TRIGGER items_search_update AFTER UPDATE OF search_title, search_body, first_day, last_day ON items BEGIN
    INSERT INTO search_index (search_index, rowid, scope, kind, item_id, title, body)
    VALUES ('delete', OLD.rowid, briefbot_scope(OLD.briefing_id, OLD.kind, OLD.data, OLD.first_day, OLD.last_day),
            OLD.kind, OLD.id, briefbot_terms(OLD.briefing_id, OLD.search_title), briefbot_terms(OLD.briefing_id, OLD.search_body));
    INSERT INTO search_index (rowid, scope, kind, item_id, title, body)
    VALUES (NEW.rowid, briefbot_scope(NEW.briefing_id, NEW.kind, NEW.data, NEW.first_day, NEW.last_day),
            NEW.kind, NEW.id, briefbot_terms(NEW.briefing_id, NEW.search_title), briefbot_terms(NEW.briefing_id, NEW.search_body));
END;
CREATE TRIGGER items_search_delete AFTER DELETE ON items BEGIN
    INSERT INTO search_index (search_index, rowid, scope, kind, item_id, title, body)
    VALUES ('delete', OLD.rowid, briefbot_scope(OLD.briefing_id, OLD.kind, OLD.data, OLD.first_day, OLD.last_day),
            OLD.kind, OLD.id, briefbot_terms(OLD.briefing_id, OLD.search_title), briefbot_terms(OLD.briefing_id, OLD.search_body));
END;

-- Every dated row indexed again: out with the scope 017 wrote (the kind and its tags), in with its dates.
INSERT INTO search_index (search_index, rowid, scope, kind, item_id, title, body)
    SELECT 'delete', rowid, briefbot_terms(briefing_id, kind || (SELECT coalesce(group_concat(' tag' || hex(value), ''), '') FROM json_each(data, '$.tags'))),
           kind, id, briefbot_terms(briefing_id, search_title), briefbot_terms(briefing_id, search_body)
    FROM items WHERE first_day IS NOT NULL;
INSERT INTO search_index (rowid, scope, kind, item_id, title, body)
    SELECT rowid, briefbot_scope(briefing_id, kind, data, first_day, last_day),
           kind, id, briefbot_terms(briefing_id, search_title), briefbot_terms(briefing_id, search_body)
    FROM items WHERE first_day IS NOT NULL;
-- Merged whole, as a load leaves it (`merge_search_index`): the rows indexed again are segments of their own, which
-- every query would read beside the old ones (a common word's range 4 → 9 ms at 100k events).
INSERT INTO search_index (search_index) VALUES ('optimize');
