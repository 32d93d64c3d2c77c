-- 017: the SQLite store's migration 027 in PostgreSQL: `unsubscribe` keeps the subscription, marked unsubscribed,
-- with its ledger rows and its place in the revision log, so a channel that comes back is sent no day twice and is
-- told of every edit since its last digest.

ALTER TABLE subscriptions ADD COLUMN unsubscribed boolean NOT NULL DEFAULT false;
