-- 0010 validate_statistics_counters: check the rows already there against
-- 0009's constraints, then make the counters NOT NULL.
--
-- VALIDATE CONSTRAINT reads the table under SHARE UPDATE EXCLUSIVE, which
-- blocks neither reads nor writes.  If a row breaks a check (say wins >
-- total_played), it fails with the constraint's name and the unit is rolled
-- back: fix those rows (there is no right value to guess), then run
-- migrate up again.  SET NOT NULL then finds the validated
-- statistics_counters_not_null check, which proves there is no NULL, and
-- skips its scan (PostgreSQL 12 and later): a catalog change under a short
-- ACCESS EXCLUSIVE lock, last in the unit.  The check is redundant after
-- that and is dropped, in its own statement (dropped in the same ALTER it
-- could not be used).
-- migrate:up
ALTER TABLE statistics VALIDATE CONSTRAINT statistics_counters_not_null;
ALTER TABLE statistics VALIDATE CONSTRAINT statistics_counters_non_negative;
ALTER TABLE statistics VALIDATE CONSTRAINT statistics_wins_le_played;
ALTER TABLE statistics
	ALTER COLUMN total_played SET NOT NULL,
	ALTER COLUMN wins SET NOT NULL,
	ALTER COLUMN cur_straight_wins SET NOT NULL,
	ALTER COLUMN max_straight_wins SET NOT NULL;
ALTER TABLE statistics DROP CONSTRAINT statistics_counters_not_null;

-- migrate:down
-- Back to 0009's state: the three checks NOT VALID, the columns nullable.
-- A constraint cannot be made NOT VALID again, so two are dropped and
-- added anew.  Catalog changes only.
ALTER TABLE statistics
	ALTER COLUMN total_played DROP NOT NULL,
	ALTER COLUMN wins DROP NOT NULL,
	ALTER COLUMN cur_straight_wins DROP NOT NULL,
	ALTER COLUMN max_straight_wins DROP NOT NULL,
	DROP CONSTRAINT statistics_wins_le_played,
	DROP CONSTRAINT statistics_counters_non_negative;
ALTER TABLE statistics
	ADD CONSTRAINT statistics_counters_not_null CHECK (
		total_played IS NOT NULL AND wins IS NOT NULL
		AND cur_straight_wins IS NOT NULL AND max_straight_wins IS NOT NULL
	) NOT VALID,
	ADD CONSTRAINT statistics_counters_non_negative CHECK (
		total_played >= 0 AND wins >= 0
		AND cur_straight_wins >= 0 AND max_straight_wins >= 0
	) NOT VALID,
	ADD CONSTRAINT statistics_wins_le_played CHECK (wins <= total_played) NOT VALID;
