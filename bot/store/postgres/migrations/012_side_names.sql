-- 012: a side's other names ("US", "EE. UU."), which `side:` matches too (`Side.also`), as a JSON list of strings
-- (text, as SQLite's 023 holds them, so a copy between the stores moves them as they are).
ALTER TABLE sides ADD COLUMN also text NOT NULL DEFAULT '[]';
