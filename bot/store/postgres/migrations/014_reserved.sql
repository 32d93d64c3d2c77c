-- 014: reserved for another branch's migration (numbers must run without gaps); replaced when the branches merge.
SELECT 1;
