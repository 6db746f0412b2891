-- 0007 index_achievement_holders: an index for the ON DELETE
-- CASCADE from achievements to user_achievements, whose primary key
-- (user_id, achievement_id) cannot serve a lookup by achievement_id.
-- The other foreign keys of the Red7 schema (profiles, statistics,
-- user_achievements and user_room to users) lead their table's primary
-- key and have their index already.  Built CONCURRENTLY in a
-- no-transaction unit, as 0006.
-- migrate:up transaction:false
CREATE INDEX CONCURRENTLY user_achievements_achievement_id_idx
	ON user_achievements (achievement_id);

-- migrate:down
DROP INDEX CONCURRENTLY IF EXISTS user_achievements_achievement_id_idx;
