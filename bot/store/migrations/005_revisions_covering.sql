-- 005: the index by briefing and revision also holds what a reader needs to bring its cached
-- snapshot up to date (kind, item, action), so catching up after another connection's write
-- reads no revision rows, whose before/after texts fill pages that SQLite must read again.

DROP INDEX revisions_by_briefing;
CREATE INDEX revisions_by_briefing ON revisions (briefing_id, id, kind, item_id, action);
