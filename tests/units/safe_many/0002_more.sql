-- 0002 more: a catalog change on one of the seventy, and a table with a
-- default made and dropped, observed by the statements prepared again.
-- migrate:up
SET lock_timeout = '5s';
ALTER TABLE many_1 ADD COLUMN b integer;
CREATE TABLE more_t (a integer DEFAULT 1);

-- migrate:down
DROP TABLE more_t;
ALTER TABLE many_1 DROP COLUMN b;
