-- 0002 add_column: a catalog change on a table an earlier unit made.
-- migrate:up
SET lock_timeout = '5s';
ALTER TABLE players ADD COLUMN nick text;

-- migrate:down
ALTER TABLE players DROP COLUMN nick;
