-- 019: the search index holds a whole load's terms in memory until the load ends (issue #18 §2). FTS5 writes its
-- pending terms out as a new segment each time they pass `hashsize` (1 MB by default), and merges segments as it
-- goes: a 100k-event load wrote dozens and merged them during its insert. With room for a load of the largest pack
-- (100 MB), the index rows of a load are written once, at its end (0.2 s of CPU less at 100k events, about 30 MB
-- more memory at the peak of the load). A transaction writes its terms at commit whatever this holds, so an admin
-- edit (one row) is as before.
INSERT INTO search_index (search_index, rank) VALUES ('hashsize', 134217728);
