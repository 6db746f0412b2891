-- 0010 held_across: a catalog change, then rows touched in a temporary
-- table only (the sum of touched rows covers temporary tables too).
-- migrate:up
SET lock_timeout = '5s';
ALTER TABLE players ADD COLUMN x integer;
CREATE TEMPORARY TABLE scratch AS SELECT g FROM generate_series(1, 10) g;
UPDATE scratch SET g = g + 1;

-- migrate:down
ALTER TABLE players DROP COLUMN x;
