-- 007: reserved by the lead for the channel→briefing choice, merged from another branch; this empty
-- placeholder only keeps the numbers without a gap until then (delete it when the real 007 lands).
SELECT 1;
