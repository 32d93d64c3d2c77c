-- 001: the briefing and every kind of item, one typed table each, keyed by briefing.
-- Lists of ids (tags, people, sources) are JSON arrays; the pack validator checks them.

CREATE TABLE briefings (
    id           TEXT PRIMARY KEY,
    title        TEXT NOT NULL,
    summary      TEXT NOT NULL,
    venue_zone   TEXT NOT NULL,
    venue_label  TEXT NOT NULL,
    home_zone    TEXT NOT NULL,
    home_label   TEXT NOT NULL,
    is_default   INTEGER NOT NULL DEFAULT 0 CHECK (is_default IN (0, 1)),
    version      INTEGER NOT NULL DEFAULT 1,
    content_hash TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);
CREATE UNIQUE INDEX briefings_one_default ON briefings (is_default) WHERE is_default = 1;

CREATE TABLE sides (
    briefing_id TEXT NOT NULL REFERENCES briefings (id) ON DELETE CASCADE,
    id          TEXT NOT NULL,
    position    INTEGER NOT NULL,
    label       TEXT NOT NULL,
    PRIMARY KEY (briefing_id, id)
);

CREATE TABLE sources (
    briefing_id TEXT NOT NULL REFERENCES briefings (id) ON DELETE CASCADE,
    id          TEXT NOT NULL,
    position    INTEGER NOT NULL,
    publisher   TEXT NOT NULL,
    title       TEXT NOT NULL,
    author      TEXT,
    published   TEXT,
    url         TEXT,
    PRIMARY KEY (briefing_id, id)
);

CREATE TABLE meetings (
    briefing_id TEXT PRIMARY KEY REFERENCES briefings (id) ON DELETE CASCADE,
    parties     TEXT NOT NULL,
    starts_at   TEXT,
    zone        TEXT NOT NULL,
    venue       TEXT NOT NULL,
    format      TEXT NOT NULL,
    aims        TEXT NOT NULL,
    topics      TEXT NOT NULL,
    stakes      TEXT NOT NULL,
    status      TEXT NOT NULL
                CHECK (status IN ('scheduled', 'in_progress', 'concluded', 'postponed', 'cancelled')),
    outcome     TEXT NOT NULL DEFAULT '',
    sources     TEXT NOT NULL
);

CREATE TABLE people (
    briefing_id  TEXT NOT NULL REFERENCES briefings (id) ON DELETE CASCADE,
    id           TEXT NOT NULL,
    position     INTEGER NOT NULL,
    name         TEXT NOT NULL,
    role         TEXT NOT NULL,
    organisation TEXT NOT NULL,
    side         TEXT NOT NULL,
    delegation   INTEGER NOT NULL CHECK (delegation IN (0, 1)),
    sources      TEXT NOT NULL,
    PRIMARY KEY (briefing_id, id),
    FOREIGN KEY (briefing_id, side) REFERENCES sides (briefing_id, id)
);

CREATE TABLE timeline_events (
    briefing_id TEXT NOT NULL REFERENCES briefings (id) ON DELETE CASCADE,
    id          TEXT NOT NULL,
    position    INTEGER NOT NULL,
    date_text   TEXT NOT NULL,
    date_first  TEXT NOT NULL,
    date_last   TEXT NOT NULL,
    title       TEXT NOT NULL,
    detail      TEXT NOT NULL,
    note        TEXT NOT NULL DEFAULT '',
    tags        TEXT NOT NULL,
    people      TEXT NOT NULL,
    sources     TEXT NOT NULL,
    PRIMARY KEY (briefing_id, id)
);
CREATE INDEX timeline_events_by_date ON timeline_events (briefing_id, date_first);

CREATE TABLE agenda_items (
    briefing_id TEXT NOT NULL REFERENCES briefings (id) ON DELETE CASCADE,
    id          TEXT NOT NULL,
    position    INTEGER NOT NULL,
    title       TEXT NOT NULL,
    detail      TEXT NOT NULL,
    date_text   TEXT,
    time        TEXT,
    zone        TEXT NOT NULL,
    place       TEXT,
    people      TEXT NOT NULL,
    sources     TEXT NOT NULL,
    PRIMARY KEY (briefing_id, id)
);

CREATE TABLE quotes (
    briefing_id TEXT NOT NULL REFERENCES briefings (id) ON DELETE CASCADE,
    id          TEXT NOT NULL,
    position    INTEGER NOT NULL,
    speaker     TEXT NOT NULL,
    words       TEXT NOT NULL,
    context     TEXT NOT NULL,
    date_text   TEXT,
    sources     TEXT NOT NULL,
    PRIMARY KEY (briefing_id, id),
    FOREIGN KEY (briefing_id, speaker) REFERENCES people (briefing_id, id)
);

CREATE TABLE faq_entries (
    briefing_id TEXT NOT NULL REFERENCES briefings (id) ON DELETE CASCADE,
    id          TEXT NOT NULL,
    position    INTEGER NOT NULL,
    question    TEXT NOT NULL,
    answer      TEXT NOT NULL,
    sources     TEXT NOT NULL,
    PRIMARY KEY (briefing_id, id)
);
