-- 0002 index: a statement that only inserts pg_class rows (an index on a
-- table with rows), first of its unit: the window reads them by their
-- oids, above the bound the run learnt in 0001 (t807).
-- migrate:up
SET lock_timeout = '5s';
CREATE INDEX seats_room ON seats (room);

-- migrate:down
DROP INDEX seats_room;
