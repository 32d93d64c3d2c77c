-- 029: each signed Slack request's delivery a write recorded (`Request.delivery`, a hash of its signature), written in
-- the transaction of the revision it made: a copy replayed to another process, or after a restart, writes nothing
-- (bot/store/writes.py). Reads record nothing. Each write prunes a few rows past their expiry, so it holds about the
-- last ten minutes' writes. `briefbot store copy` leaves them behind.

CREATE TABLE once_keys (
    key     TEXT PRIMARY KEY,
    expires REAL NOT NULL  -- Unix time
) WITHOUT ROWID;
CREATE INDEX once_keys_by_expiry ON once_keys (expires);
