-- 016: the SQLite store's migration 026 in PostgreSQL: a digest's ledger key names its zone as well as its local day
-- (`digest:<date>` becomes `digest:<zone>:<date>`), each existing key its subscription's zone now, the zone the
-- running code read it in, so no digest already sent for a day is sent again across the upgrade.

UPDATE deliveries AS d
SET key = 'digest:' || s.zone || ':' || substr(d.key, 8)
FROM subscriptions AS s
WHERE s.id = d.subscription_id AND d.kind = 'digest';
