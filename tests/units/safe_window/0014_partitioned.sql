-- 0014 partitioned: relations without storage (a partitioned table and
-- its partitioned index) that the down step drops: the window tells them
-- gone without a pass over pg_class.
-- migrate:up
SET lock_timeout = '5s';
CREATE TABLE parts (id integer, v integer DEFAULT 0) PARTITION BY RANGE (id);
CREATE TABLE parts_1 PARTITION OF parts FOR VALUES FROM (0) TO (100);
CREATE INDEX parts_v ON parts (v);

-- migrate:down
DROP INDEX parts_v;
DROP TABLE parts;
