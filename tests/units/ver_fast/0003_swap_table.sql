-- 0003 swap_table: the down drops what the up made and makes another
-- table of the same shape: broken, + the other table.
-- migrate:up
CREATE TABLE x2 (a integer);

-- migrate:down
DROP TABLE x2;
CREATE TABLE y2 (a integer);
