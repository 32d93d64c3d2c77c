-- 028: the revisions of a time window, by briefing. The digest loop reads every revision that changed a session's status
-- within the catch-up window at each tick; read as the newest 50, a status change followed by 50 edits before the next
-- tick was never alerted. This index keeps that read to the window's rows, however long the briefing's history.

CREATE INDEX revisions_by_time ON revisions (briefing_id, at);
