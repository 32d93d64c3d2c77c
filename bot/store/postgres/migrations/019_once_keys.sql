-- 019: keys recorded once among every process on the store, each until it expires: a signed Slack request's delivery
-- a write recorded (`Request.delivery`, a hash of its signature), in the transaction of the revision it made, so a copy
-- replayed to another worker or after a restart writes nothing (bot/store/writes.py); and a private answer's Post to
-- channel, so it is posted once (bot/store/postgres/keys.py). Reads record nothing. Expired rows are pruned a bounded
-- batch at a time; none outlives half an hour. `briefbot store copy` leaves them behind.

CREATE TABLE once_keys (
    key     text PRIMARY KEY,
    expires double precision NOT NULL  -- Unix time
);
CREATE INDEX once_keys_by_expiry ON once_keys (expires);
