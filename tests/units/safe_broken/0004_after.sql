-- 0004 after: a unit after both, still verified (t807).
-- migrate:up
SET lock_timeout = '5s';
ALTER TABLE kept ADD COLUMN c integer;

-- migrate:down
ALTER TABLE kept DROP COLUMN c;
