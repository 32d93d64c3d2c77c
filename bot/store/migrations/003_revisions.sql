-- 003: every change to a briefing is a revision, written in the same transaction as the change.
-- `before` and `after` hold the item as pack data with its position ({"item": {...}, "position": n});
-- NULL before means it was added, NULL after means it was removed. An import records the whole pack.

CREATE TABLE revisions (
    id          INTEGER PRIMARY KEY,
    briefing_id TEXT NOT NULL REFERENCES briefings (id) ON DELETE CASCADE,
    kind        TEXT NOT NULL,
    item_id     TEXT NOT NULL,
    action      TEXT NOT NULL CHECK (action IN ('add', 'edit', 'remove', 'undo', 'import')),
    actor       TEXT NOT NULL,
    platform    TEXT NOT NULL,
    at          TEXT NOT NULL,
    before      TEXT,
    after       TEXT,
    source      TEXT NOT NULL DEFAULT '',
    note        TEXT NOT NULL DEFAULT '',
    undoes      INTEGER REFERENCES revisions (id)
);
CREATE INDEX revisions_by_item ON revisions (briefing_id, kind, item_id, id);
CREATE INDEX revisions_by_briefing ON revisions (briefing_id, id);
