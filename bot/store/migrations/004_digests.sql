-- 004: daily digests. A subscription per channel and platform; a ledger row per send, claimed before
-- the send is made (the UNIQUE key is what makes two processes or a restart send it once).
-- Times are ISO 8601 UTC; `time` is the local HH:MM in the IANA `zone`.

CREATE TABLE subscriptions (
    id            INTEGER PRIMARY KEY,
    platform      TEXT NOT NULL,
    channel_id    TEXT NOT NULL,
    team_id       TEXT NOT NULL DEFAULT '',
    briefing_id   TEXT NOT NULL REFERENCES briefings (id) ON DELETE CASCADE,
    time          TEXT NOT NULL,
    zone          TEXT NOT NULL,
    quiet         INTEGER NOT NULL DEFAULT 0,
    alerts        TEXT NOT NULL DEFAULT '',
    active        INTEGER NOT NULL DEFAULT 1,
    paused_reason TEXT NOT NULL DEFAULT '',
    created_by    TEXT NOT NULL,
    active_since  TEXT NOT NULL,
    seen_revision INTEGER NOT NULL DEFAULT 0,
    UNIQUE (platform, channel_id)
);

CREATE TABLE deliveries (
    id              INTEGER PRIMARY KEY,
    subscription_id INTEGER NOT NULL REFERENCES subscriptions (id) ON DELETE CASCADE,
    key             TEXT NOT NULL,
    kind            TEXT NOT NULL CHECK (kind IN ('digest', 'alert')),
    due_at          TEXT NOT NULL,
    state           TEXT NOT NULL CHECK (state IN ('claimed', 'sent', 'skipped', 'failed')),
    owner           TEXT NOT NULL,
    claimed_at      TEXT NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 1,
    covers_revision INTEGER NOT NULL DEFAULT 0,
    message_id      TEXT NOT NULL DEFAULT '',
    finished_at     TEXT,
    error           TEXT NOT NULL DEFAULT '',
    UNIQUE (subscription_id, key)
);
CREATE INDEX deliveries_claimed ON deliveries (claimed_at) WHERE state = 'claimed';
CREATE INDEX deliveries_due ON deliveries (due_at);
