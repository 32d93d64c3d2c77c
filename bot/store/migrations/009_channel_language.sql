-- 009: a channel's fixed language and a subscription's language (issue #16 §2).
-- `briefing_choices.language`: the language an admin fixed for a channel with /use language: ('' none).
-- A channel may fix its language without choosing a briefing, so `briefing_id` becomes nullable
-- (NULL: the channel reads the space's choice or the default). SQLite cannot drop a NOT NULL in
-- place: the table is rebuilt; nothing references it, so the rebuild cascades nowhere.
-- `subscriptions.language`: the language its digests and alerts are written in, recorded at
-- subscribe time ('' for rows older than this: they keep following the configured `locale:`).
-- The languages are checked by the core (bot/core/i18n.py), not here, so adding one needs no migration.

CREATE TABLE briefing_choices_009 (
    platform    TEXT NOT NULL,
    space_id    TEXT NOT NULL,
    channel_id  TEXT NOT NULL DEFAULT '',
    briefing_id TEXT REFERENCES briefings (id),
    chosen_by   TEXT NOT NULL,
    chosen_at   TEXT NOT NULL,
    language    TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (platform, space_id, channel_id)
);
INSERT INTO briefing_choices_009 (platform, space_id, channel_id, briefing_id, chosen_by, chosen_at)
    SELECT platform, space_id, channel_id, briefing_id, chosen_by, chosen_at FROM briefing_choices;
DROP TABLE briefing_choices;
ALTER TABLE briefing_choices_009 RENAME TO briefing_choices;
CREATE INDEX briefing_choices_by_briefing ON briefing_choices (briefing_id);

ALTER TABLE subscriptions ADD COLUMN language TEXT NOT NULL DEFAULT '';
