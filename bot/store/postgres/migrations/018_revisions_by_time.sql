-- 018: the SQLite store's migration 028 in PostgreSQL: the revisions of a time window, by briefing, which the digest
-- loop reads at each tick (every status change within the catch-up window, however many edits followed it).

CREATE INDEX revisions_by_time ON revisions (briefing_id, at);
