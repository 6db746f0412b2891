-- 0011 scan_only: a lock taken again, rows read, nothing changed.
-- migrate:up
SET lock_timeout = '5s';
LOCK TABLE rooms IN SHARE MODE;
SELECT count(*) FROM rooms;
CREATE TABLE side (a integer);

-- migrate:down
DROP TABLE side;
