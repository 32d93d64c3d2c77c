-- 007: several briefings at once (issue #14).
-- `archived`: a briefing kept readable and searchable that sends no digest or alert.
-- `briefing_choices`: the briefing a server or workspace (channel_id '') or one channel chose. No
-- cascade: a briefing still chosen somewhere cannot be deleted (`briefings remove` says where).
-- Subscriptions are keyed by (platform, channel, briefing), so one channel can follow several
-- briefings. SQLite cannot change a UNIQUE constraint in place: the table is rebuilt, and with it
-- `deliveries`, whose rows (the exactly-once ledger) are copied with their ids. Dropping the old
-- `subscriptions` while a table still referenced it would cascade into that table, so `deliveries`
-- is rebuilt against the new table first and the old pair dropped before the renames.

ALTER TABLE briefings ADD COLUMN archived INTEGER NOT NULL DEFAULT 0 CHECK (archived IN (0, 1));

CREATE TABLE briefing_choices (
    platform    TEXT NOT NULL,
    space_id    TEXT NOT NULL,
    channel_id  TEXT NOT NULL DEFAULT '',
    briefing_id TEXT NOT NULL REFERENCES briefings (id),
    chosen_by   TEXT NOT NULL,
    chosen_at   TEXT NOT NULL,
    PRIMARY KEY (platform, space_id, channel_id)
);
CREATE INDEX briefing_choices_by_briefing ON briefing_choices (briefing_id);

CREATE TABLE subscriptions_007 (
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
    UNIQUE (platform, channel_id, briefing_id)
);
INSERT INTO subscriptions_007 SELECT id, platform, channel_id, team_id, briefing_id, time, zone, quiet, alerts, active,
    paused_reason, created_by, active_since, seen_revision FROM subscriptions;

CREATE TABLE deliveries_007 (
    id              INTEGER PRIMARY KEY,
    subscription_id INTEGER NOT NULL REFERENCES subscriptions_007 (id) ON DELETE CASCADE,
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
INSERT INTO deliveries_007 SELECT id, subscription_id, key, kind, due_at, state, owner, claimed_at, attempts,
    covers_revision, message_id, finished_at, error FROM deliveries;

DROP TABLE deliveries;
DROP TABLE subscriptions;
ALTER TABLE subscriptions_007 RENAME TO subscriptions;
ALTER TABLE deliveries_007 RENAME TO deliveries;
CREATE INDEX deliveries_claimed ON deliveries (claimed_at) WHERE state = 'claimed';
CREATE INDEX deliveries_due ON deliveries (due_at);
CREATE INDEX subscriptions_by_briefing ON subscriptions (briefing_id);
