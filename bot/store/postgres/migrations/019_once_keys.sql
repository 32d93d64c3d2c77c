-- 019: keys claimed once among every process on the store, each until it expires (bot/store/postgres/keys.py): a Slack
-- request's signature, so a copy sent to another worker or to a restarted one is refused, and a private answer's Post to
-- channel, so it is posted once. Nothing reads them but the claim; expired rows are pruned a bounded batch at a time, and
-- none outlives half an hour. `briefbot store copy` leaves them behind. SQLite has no such table (keys.py says why).

CREATE TABLE once_keys (
    key     text PRIMARY KEY,
    expires double precision NOT NULL  -- Unix time
);
CREATE INDEX once_keys_by_expiry ON once_keys (expires);
