-- 026: a digest's ledger key names its zone as well as its local day: `digest:<date>` becomes
-- `digest:<zone>:<date>`. Keyed by the local day alone, a channel that changed its zone found the new zone's next
-- days already settled by the old zone's digests (Tokyo's 9 and 10 March held Honolulu's), and went up to two days
-- without one. Each existing key takes its subscription's zone now, the zone the running code read it in, so no
-- digest already sent for a day is sent again across the upgrade.

UPDATE deliveries
SET key = 'digest:' || (SELECT zone FROM subscriptions WHERE subscriptions.id = deliveries.subscription_id) || ':' || substr(key, 8)
WHERE kind = 'digest';
