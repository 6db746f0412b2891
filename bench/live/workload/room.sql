-- a player joins a room, then leaves it
\set uid random(1, :users)
\set room random(1, :rooms)
BEGIN;
INSERT INTO user_room (user_id, room_id) VALUES (:uid, :room) ON CONFLICT DO NOTHING;
DELETE FROM user_room WHERE user_id = :uid AND room_id = :room;
COMMIT;
