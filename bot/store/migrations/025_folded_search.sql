-- 025: one folding for search on both stores. The index's words were the text as written, folded by FTS5's unicode61
-- (remove_diacritics 2), and the words searched for too, while PostgreSQL folded with unaccent and Python remembered
-- searches by its own fold: "Hauptstraße", "ﬁnance", "Łódź", "Αθήνα" or "ＷＡＳＨＩＮＧＴＯＮ" were found on one store
-- and not the other, and a search's answer depended on which spelling of it had been asked first. Items' search texts,
-- and the summaries' (`search_translations` now holds the summary's words with its translations'), are stored folded
-- as a search is (`search_fold`, bot/core/text.py), dotted abbreviations squeezed ("U.S." is "us"); the index is
-- built again from them. unicode61 still lower-cases ASCII, which the fold leaves as it is.

DROP TRIGGER items_search_update;
DROP TRIGGER briefings_search_insert;
DROP TRIGGER briefings_search_update;
DROP TRIGGER briefings_search_delete;

UPDATE items SET search_title = briefbot_search_fold(search_title), search_body = briefbot_search_fold(search_body);
UPDATE briefings SET search_translations = briefbot_search_fold(summary || ' ' || search_translations);

CREATE TRIGGER items_search_update AFTER UPDATE OF search_title, search_body, first_day, last_day ON items BEGIN
    INSERT INTO search_index (search_index, rowid, scope, kind, item_id, title, body)
    VALUES ('delete', OLD.rowid, briefbot_scope(OLD.briefing_id, OLD.kind, OLD.data, OLD.first_day, OLD.last_day),
            OLD.kind, OLD.id, briefbot_terms(OLD.briefing_id, OLD.search_title), briefbot_terms(OLD.briefing_id, OLD.search_body));
    INSERT INTO search_index (rowid, scope, kind, item_id, title, body)
    VALUES (NEW.rowid, briefbot_scope(NEW.briefing_id, NEW.kind, NEW.data, NEW.first_day, NEW.last_day),
            NEW.kind, NEW.id, briefbot_terms(NEW.briefing_id, NEW.search_title), briefbot_terms(NEW.briefing_id, NEW.search_body));
END;
CREATE TRIGGER briefings_search_insert AFTER INSERT ON briefings BEGIN
    INSERT INTO search_summaries (row_number) VALUES (-NEW.rowid);
    INSERT INTO search_index (rowid, scope, kind, item_id, title, body)
    VALUES (-NEW.rowid, briefbot_terms(NEW.id, 'summary'), 'summary', 'summary', '', briefbot_terms(NEW.id, NEW.search_translations));
END;
CREATE TRIGGER briefings_search_update AFTER UPDATE OF summary, search_translations ON briefings BEGIN
    INSERT INTO search_index (search_index, rowid, scope, kind, item_id, title, body)
    VALUES ('delete', -OLD.rowid, briefbot_terms(OLD.id, 'summary'), 'summary', 'summary', '', briefbot_terms(OLD.id, OLD.search_translations));
    INSERT INTO search_index (rowid, scope, kind, item_id, title, body)
    VALUES (-NEW.rowid, briefbot_terms(NEW.id, 'summary'), 'summary', 'summary', '', briefbot_terms(NEW.id, NEW.search_translations));
END;
CREATE TRIGGER briefings_search_delete AFTER DELETE ON briefings BEGIN
    INSERT INTO search_index (search_index, rowid, scope, kind, item_id, title, body)
    VALUES ('delete', -OLD.rowid, briefbot_terms(OLD.id, 'summary'), 'summary', 'summary', '', briefbot_terms(OLD.id, OLD.search_translations));
    DELETE FROM search_summaries WHERE row_number = -OLD.rowid;
END;

-- The index written again from the folded texts, in rowid order (the summaries' negative rowids first), and merged whole.
INSERT INTO search_index (search_index) VALUES ('delete-all');
INSERT INTO search_index (rowid, scope, kind, item_id, title, body)
    SELECT -rowid, briefbot_terms(id, 'summary'), 'summary', 'summary', '', briefbot_terms(id, search_translations)
    FROM briefings ORDER BY rowid DESC;
INSERT INTO search_index (rowid, scope, kind, item_id, title, body)
    SELECT rowid, briefbot_scope(briefing_id, kind, data, first_day, last_day),
           kind, id, briefbot_terms(briefing_id, search_title), briefbot_terms(briefing_id, search_body)
    FROM items ORDER BY rowid;
INSERT INTO search_index (search_index) VALUES ('optimize');
