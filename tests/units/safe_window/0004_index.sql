-- 0004 index: an index on a table with rows; its down drops it, which
-- changes no row of the table's own (the window takes the index out of
-- the table's signature).
-- migrate:up
SET lock_timeout = '5s';
CREATE INDEX rounds_player ON rounds (player_id);

-- migrate:down
DROP INDEX rounds_player;
