-- 008: the SQLite store's migration 014 in PostgreSQL: the timeline's order as columns of `items`,
-- so `timeline query:` runs whole in SQL. ISO text (as SQLite holds it, so both stores share the rows
-- of bot/store/rows.py and sort alike); both NULL for an undated event, which sorts last.

ALTER TABLE items ADD COLUMN first_day text, ADD COLUMN last_day text;

UPDATE items SET
    first_day = CASE length(parts.start) WHEN 4 THEN parts.start || '-01-01' WHEN 7 THEN parts.start || '-01' ELSE parts.start END,
    last_day = CASE length(parts.stop) WHEN 4 THEN parts.stop || '-12-31'
                                       WHEN 7 THEN to_char((parts.stop || '-01')::date + interval '1 month' - interval '1 day', 'YYYY-MM-DD')
                                       ELSE parts.stop END
FROM (
    SELECT briefing_id, kind, id,
           btrim(split_part(written, '/', 1)) AS start,
           btrim(CASE WHEN strpos(written, '/') > 0 THEN split_part(written, '/', 2) ELSE written END) AS stop
    FROM (SELECT briefing_id, kind, id, data ->> 'date' AS written FROM items WHERE kind = 'timeline') AS dated
    WHERE written IS NOT NULL
) AS parts
WHERE items.briefing_id = parts.briefing_id AND items.kind = parts.kind AND items.id = parts.id;
