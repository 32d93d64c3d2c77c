-- 011: as SQLite's 022: the folder of the pack file each briefing was last loaded from (absolute), or NULL, so that
-- `briefbot export -o OTHER/pack.yaml` writes each source's `text:` path relative to OTHER.
ALTER TABLE briefings ADD COLUMN pack_folder text;
