-- 015: `timeline query:` walks the timeline in its order (issue #18 §2).
-- Migration 014's statement joined every full-text match to its row before the range, sort and page applied:
-- ~2 µs a match, 30–100 ms for a common word at 100k events. With this index the page is a walk of the
-- briefing's events in the timeline's order (undated last: '~' sorts after every ISO date), from the
-- range's start, each entry tested against the set of matching rowids, stopping at the page's end. It
-- holds the id, so the walk never reads a row. The span index gives the longest event (in days) at once,
-- which bounds how early an event may start and still reach into a `from:` day.
CREATE INDEX items_in_timeline_order ON items (briefing_id, kind, coalesce(first_day, '~'), last_day, position, id);
CREATE INDEX items_by_span ON items (briefing_id, kind, julianday(last_day) - julianday(first_day));
