-- 003: the SQLite store's migrations 007 (several briefings at once, issue #14) and 008 (evidence,
-- issue #15) in PostgreSQL's types. See those files for what each column means.
-- `briefing_choices` has no cascade: a briefing still chosen somewhere cannot be deleted.
-- PostgreSQL changes the subscriptions' UNIQUE constraint in place, so no table is rebuilt and the
-- delivery ledger keeps its rows untouched.

ALTER TABLE briefings ADD COLUMN archived boolean NOT NULL DEFAULT false;

CREATE TABLE briefing_choices (
    platform    text NOT NULL,
    space_id    text NOT NULL,
    channel_id  text NOT NULL DEFAULT '',
    briefing_id text NOT NULL REFERENCES briefings (id),
    chosen_by   text NOT NULL,
    chosen_at   timestamptz NOT NULL,
    PRIMARY KEY (platform, space_id, channel_id)
);
CREATE INDEX briefing_choices_by_briefing ON briefing_choices (briefing_id);

ALTER TABLE subscriptions DROP CONSTRAINT subscriptions_platform_channel_id_key;
ALTER TABLE subscriptions ADD CONSTRAINT subscriptions_platform_channel_id_briefing_id_key
    UNIQUE (platform, channel_id, briefing_id);
CREATE INDEX subscriptions_by_briefing ON subscriptions (briefing_id);

-- Evidence: a JSON array of {"source": id, "passage": text} in pack order, as SQLite's 008 keeps it.
ALTER TABLE briefings ADD COLUMN evidence jsonb NOT NULL DEFAULT '[]';
ALTER TABLE meetings ADD COLUMN evidence jsonb NOT NULL DEFAULT '[]';
ALTER TABLE timeline_events ADD COLUMN evidence jsonb NOT NULL DEFAULT '[]';
ALTER TABLE people ADD COLUMN evidence jsonb NOT NULL DEFAULT '[]';
ALTER TABLE agenda_items ADD COLUMN evidence jsonb NOT NULL DEFAULT '[]';
ALTER TABLE quotes ADD COLUMN evidence jsonb NOT NULL DEFAULT '[]';
ALTER TABLE faq_entries ADD COLUMN evidence jsonb NOT NULL DEFAULT '[]';
ALTER TABLE sources ADD COLUMN text text;
ALTER TABLE meetings ADD COLUMN delegation text NOT NULL DEFAULT '';
