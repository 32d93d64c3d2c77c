-- 008: evidence (issue #15). Every item keeps the passages its claims rest on, as a JSON array of
-- {"source": id, "passage": text} in pack order; the briefing row keeps its summary's. A source may
-- name its full text (a path relative to the pack) so `validate` can find each passage in it.
-- A PostgreSQL store mirrors this with the same columns (jsonb NOT NULL DEFAULT '[]' for evidence).

ALTER TABLE briefings ADD COLUMN evidence TEXT NOT NULL DEFAULT '[]';
ALTER TABLE meetings ADD COLUMN evidence TEXT NOT NULL DEFAULT '[]';
ALTER TABLE timeline_events ADD COLUMN evidence TEXT NOT NULL DEFAULT '[]';
ALTER TABLE people ADD COLUMN evidence TEXT NOT NULL DEFAULT '[]';
ALTER TABLE agenda_items ADD COLUMN evidence TEXT NOT NULL DEFAULT '[]';
ALTER TABLE quotes ADD COLUMN evidence TEXT NOT NULL DEFAULT '[]';
ALTER TABLE faq_entries ADD COLUMN evidence TEXT NOT NULL DEFAULT '[]';
ALTER TABLE sources ADD COLUMN text TEXT;
-- The delegation's size as the source words it (issue #15, correction 11); '' when not given.
ALTER TABLE meetings ADD COLUMN delegation TEXT NOT NULL DEFAULT '';
