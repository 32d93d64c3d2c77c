-- 005: what a reader needs to bring its cached snapshot up to date after a write, cheaply.
-- The index by briefing and revision also holds each revision's kind, item and action, so catching
-- up reads no revision rows (their before/after texts fill pages SQLite must read again after
-- another connection writes). Every write sets a random write_token, so a process that sees a new
-- version can tell its own commit, whose snapshot it already holds, from anyone else's.

DROP INDEX revisions_by_briefing;
CREATE INDEX revisions_by_briefing ON revisions (briefing_id, id, kind, item_id, action);
ALTER TABLE briefings ADD COLUMN write_token INTEGER NOT NULL DEFAULT 0;
