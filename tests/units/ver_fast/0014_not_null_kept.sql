-- 0014 not_null_kept: a down step that forgets to undo its up: the
-- counters balance, and only pg_attribute holds the change (a new version
-- of one_way's column a).  Broken: a is NOT NULL after the round trip.
-- migrate:up
ALTER TABLE one_way ALTER COLUMN a SET NOT NULL;

-- migrate:down
DROP TABLE IF EXISTS no_such_table;
