-- 020: an event's years and months in the search index (issue #18 §2). `timeline query:` with a range counted the
-- range's events in the set of every match of the briefing (~0.13 µs a match: 5.8 ms for a common prefix at 100k
-- events, whatever the range). The index's `scope` column now holds, after the kind and the tags, one token per year
-- ('ty' and the year) and per month ('tm', the year and the month) that an event's days overlap (`briefbot_period`,
-- `fulltext.period_words`; none for an undated event, which no range holds), keyed like every term: a range of whole
-- months or years is a few terms of the MATCH, and its count and set are the range's matches alone. An event spanning
-- months carries a token for each (bounded by its dates). No kind's name starts 'ty' or 'tm' and a tag's word is 'tag'
-- and hex digits, so no other scope token is one of these. The triggers, the load (`rows.index_row`) and a reload's
-- removal (`_UNINDEX_ITEMS`) write it alike; an edit of an event's date changes its days, which now re-index it too.

DROP TRIGGER items_search_insert;
DROP TRIGGER items_search_update;
DROP TRIGGER items_search_delete;

CREATE TRIGGER items_search_insert AFTER INSERT ON items BEGIN
    INSERT INTO search_index (rowid, scope, kind, item_id, title, body)
    VALUES (NEW.rowid, briefbot_terms(NEW.briefing_id, NEW.kind || (SELECT coalesce(group_concat(' tag' || hex(value), ''), '') FROM json_each(NEW.data, '$.tags')) || briefbot_period(NEW.first_day, NEW.last_day)),
            NEW.kind, NEW.id, briefbot_terms(NEW.briefing_id, NEW.search_title), briefbot_terms(NEW.briefing_id, NEW.search_body));
END;
CREATE TRIGGER items_search_update AFTER UPDATE OF search_title, search_body, first_day, last_day ON items BEGIN
    INSERT INTO search_index (search_index, rowid, scope, kind, item_id, title, body)
    VALUES ('delete', OLD.rowid, briefbot_terms(OLD.briefing_id, OLD.kind || (SELECT coalesce(group_concat(' tag' || hex(value), ''), '') FROM json_each(OLD.data, '$.tags')) || briefbot_period(OLD.first_day, OLD.last_day)),
            OLD.kind, OLD.id, briefbot_terms(OLD.briefing_id, OLD.search_title), briefbot_terms(OLD.briefing_id, OLD.search_body));
    INSERT INTO search_index (rowid, scope, kind, item_id, title, body)
    VALUES (NEW.rowid, briefbot_terms(NEW.briefing_id, NEW.kind || (SELECT coalesce(group_concat(' tag' || hex(value), ''), '') FROM json_each(NEW.data, '$.tags')) || briefbot_period(NEW.first_day, NEW.last_day)),
            NEW.kind, NEW.id, briefbot_terms(NEW.briefing_id, NEW.search_title), briefbot_terms(NEW.briefing_id, NEW.search_body));
END;
CREATE TRIGGER items_search_delete AFTER DELETE ON items BEGIN
    INSERT INTO search_index (search_index, rowid, scope, kind, item_id, title, body)
    VALUES ('delete', OLD.rowid, briefbot_terms(OLD.briefing_id, OLD.kind || (SELECT coalesce(group_concat(' tag' || hex(value), ''), '') FROM json_each(OLD.data, '$.tags')) || briefbot_period(OLD.first_day, OLD.last_day)),
            OLD.kind, OLD.id, briefbot_terms(OLD.briefing_id, OLD.search_title), briefbot_terms(OLD.briefing_id, OLD.search_body));
END;

-- Every dated row indexed again: out with the scope it had (the kind and tags), in with its years and months.
INSERT INTO search_index (search_index, rowid, scope, kind, item_id, title, body)
    SELECT 'delete', rowid, briefbot_terms(briefing_id, kind || (SELECT coalesce(group_concat(' tag' || hex(value), ''), '') FROM json_each(data, '$.tags'))),
           kind, id, briefbot_terms(briefing_id, search_title), briefbot_terms(briefing_id, search_body)
    FROM items WHERE first_day IS NOT NULL;
INSERT INTO search_index (rowid, scope, kind, item_id, title, body)
    SELECT rowid, briefbot_terms(briefing_id, kind || (SELECT coalesce(group_concat(' tag' || hex(value), ''), '') FROM json_each(data, '$.tags')) || briefbot_period(first_day, last_day)),
           kind, id, briefbot_terms(briefing_id, search_title), briefbot_terms(briefing_id, search_body)
    FROM items WHERE first_day IS NOT NULL;
