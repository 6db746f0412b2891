-- 0006 index_user_room_room_id: an index for the ON DELETE CASCADE from
-- game_rooms to user_room.  The primary key (user_id, room_id) cannot
-- serve a lookup by room_id, so deleting a room, and every "who sits in
-- room N" query, read all of user_room.  Built CONCURRENTLY (SHARE UPDATE
-- EXCLUSIVE: the game keeps reading and writing user_room), hence a
-- no-transaction unit with this one statement.  No IF NOT EXISTS: after
-- a failed build the INVALID index must be dropped by hand (see
-- docs/units.md), not taken for a finished one.
-- migrate:up transaction:false
CREATE INDEX CONCURRENTLY user_room_room_id_idx ON user_room (room_id);

-- migrate:down
DROP INDEX CONCURRENTLY IF EXISTS user_room_room_id_idx;
