-- 006: a read no longer tells this process's commits from others' by a random token, nor catches up
-- from the revision log: when a briefing's version moves, the briefing is read again whole. So the
-- token (005) goes, and the revisions' index by briefing is back to what history needs (003).

ALTER TABLE briefings DROP COLUMN write_token;
DROP INDEX revisions_by_briefing;
CREATE INDEX revisions_by_briefing ON revisions (briefing_id, id);
