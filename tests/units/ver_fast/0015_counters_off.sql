-- 0015 counters_off: a superuser's up turns the catalog counters off,
-- and its down changes nothing, leaving the table: verify sees
-- track_counts off and describes the schema.  Broken: + late.
-- migrate:up
SET track_counts = off;
CREATE TABLE late (a integer);

-- migrate:down
DROP TABLE IF EXISTS no_such_table;
