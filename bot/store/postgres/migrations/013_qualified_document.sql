-- 013: briefbot_document names the function and text search configuration it uses with their schema, so a
-- pg_dump of the database restores. pg_restore runs with an empty search_path; 009's body named them bare,
-- so inlining it for items' generated columns failed ("function briefbot_plain(text) does not exist"), and
-- `pg_restore --clean` had already dropped the table. Qualified names, unlike a SET search_path clause, keep the
-- function inlined; the schema is the one 002 created them in, looked up rather than assumed to be public. The
-- body is otherwise 009's: every stored document and size stays as it is.

DO $migration$
DECLARE
    plain text := (SELECT format('%I.%I', n.nspname, p.proname) FROM pg_proc AS p
                   JOIN pg_namespace AS n ON n.oid = p.pronamespace WHERE p.oid = 'briefbot_plain(text)'::regprocedure);
    config text := (SELECT format('%I.%I', n.nspname, c.cfgname) FROM pg_ts_config AS c
                    JOIN pg_namespace AS n ON n.oid = c.cfgnamespace WHERE c.oid = 'briefbot'::regconfig);
BEGIN
    EXECUTE format(
        $sql$CREATE OR REPLACE FUNCTION briefbot_document(title text, body text) RETURNS tsvector LANGUAGE sql IMMUTABLE AS
        $body$ SELECT setweight(to_tsvector(%1$L, %2$s(title)), 'A') || setweight(to_tsvector(%1$L, %2$s(body)), 'D') $body$$sql$,
        config, plain);
END
$migration$;
