-- 022: the folder of the pack file each briefing was last loaded from (absolute), or NULL (loaded before this, or
-- made in a chat). A source's `text:` path is relative to its pack's file: `briefbot export -o OTHER/pack.yaml`
-- rewrites it relative to OTHER, so the exported pack finds its texts wherever it is written.
ALTER TABLE briefings ADD COLUMN pack_folder TEXT;
