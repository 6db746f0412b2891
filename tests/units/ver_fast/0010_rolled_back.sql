-- 0010 rolled_back: the up makes a table of keep's shape in a block that
-- is rolled back, the down drops keep: the counters balance, no new row
-- is left, yet keep is lost.  Broken: - keep.
-- migrate:up
DO $$
BEGIN
	CREATE TABLE scratch (a integer);
	COMMENT ON TABLE scratch IS 'old';
	RAISE EXCEPTION 'undo';
EXCEPTION WHEN raise_exception THEN
	NULL;
END
$$;

-- migrate:down
DROP TABLE keep;
