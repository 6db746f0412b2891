-- 0009 other_table: the down drops a table of the same shape as the one
-- the up made, but not that one: the counters balance, the new table's
-- rows do not.  Broken: - keep, + made.
-- migrate:up
CREATE TABLE made (a integer);
COMMENT ON TABLE made IS 'old';

-- migrate:down
DROP TABLE keep;
