-- 014: the timeline's order as columns of `items` (issue #18 §2). `timeline query:` runs whole in SQL
-- (the MATCH joined to the items, range and topic in the WHERE, sorted and paged there), so each row
-- carries its event's first and last day (ISO text, as precise as the source: a month covers its
-- days); both NULL for an undated event, which sorts last, then by pack position. Written at each
-- save and admin edit from the same date the core reads (bot/store/rows.py), filled here for what
-- the store holds.

ALTER TABLE items ADD COLUMN first_day TEXT;
ALTER TABLE items ADD COLUMN last_day TEXT;

UPDATE items SET
    first_day = CASE length(parts.start) WHEN 4 THEN parts.start || '-01-01' WHEN 7 THEN parts.start || '-01' ELSE parts.start END,
    last_day = CASE length(parts.stop) WHEN 4 THEN parts.stop || '-12-31'
                                       WHEN 7 THEN date(parts.stop || '-01', '+1 month', '-1 day') ELSE parts.stop END
FROM (
    SELECT rowid AS row_number,
           trim(CASE WHEN instr(written, '/') > 0 THEN substr(written, 1, instr(written, '/') - 1) ELSE written END) AS start,
           trim(CASE WHEN instr(written, '/') > 0 THEN substr(written, instr(written, '/') + 1) ELSE written END) AS stop
    FROM (SELECT rowid, data ->> '$.date' AS written FROM items WHERE kind = 'timeline')
    WHERE written IS NOT NULL
) AS parts
WHERE items.rowid = parts.row_number;
