-- 0004 add column: a statement that updates a pg_class row (relnatts):
-- the window reads pg_class in full (t807).
-- migrate:up
SET lock_timeout = '5s';
ALTER TABLE seats ADD COLUMN taken boolean;

-- migrate:down
ALTER TABLE seats DROP COLUMN taken;
