-- 0009 statistics_counter_checks: the statistics counters are never
-- NULL, never negative, and a player never has more wins than games.
--
-- Added NOT VALID: a catalog change under a short ACCESS EXCLUSIVE lock
-- (bounded by lock_timeout), no scan of the table.  Rows inserted or
-- updated from now on are checked; the rows already there are checked by
-- 0010.  The application is not affected: its INSERTs that leave the
-- counters out get the columns' defaults (0), and "wins = wins + 1" on a
-- row 0008 filled stays within the checks.
-- migrate:up
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

-- migrate:down
ALTER TABLE statistics
	DROP CONSTRAINT statistics_wins_le_played,
	DROP CONSTRAINT statistics_counters_non_negative,
	DROP CONSTRAINT statistics_counters_not_null;
