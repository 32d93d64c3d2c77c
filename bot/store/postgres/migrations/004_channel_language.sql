-- 004: the SQLite store's migration 009 (a channel's fixed language, a subscription's language; issue
-- #16) in PostgreSQL. A channel may fix its language without choosing a briefing: `briefing_id` NULL.
-- '' means no language was fixed (or, for a subscription older than this, follow the configured locale).

ALTER TABLE briefing_choices ALTER COLUMN briefing_id DROP NOT NULL;
ALTER TABLE briefing_choices ADD COLUMN language text NOT NULL DEFAULT '';
ALTER TABLE subscriptions ADD COLUMN language text NOT NULL DEFAULT '';
