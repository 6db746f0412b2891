-- 0012 one_way: no down: irreversible.
-- migrate:up
CREATE TABLE one_way (a integer);
