-- 023: a side's other names ("US", "EE. UU."), which `side:` matches too (`Side.also`), as a JSON list of strings.
ALTER TABLE sides ADD COLUMN also TEXT NOT NULL DEFAULT '[]';
