-- 027: `unsubscribe` keeps the subscription, marked unsubscribed, rather than delete it with its ledger rows (the
-- foreign key cascades). Deleted, a channel that unsubscribed and subscribed again the same day got that day's digest
-- a second time, and was never told of the edits made between its last digest and its return (a new subscription
-- starts at the latest revision). Kept, `subscribe` takes it up again: its ledger and its place in the revision log.

ALTER TABLE subscriptions ADD COLUMN unsubscribed INTEGER NOT NULL DEFAULT 0;
