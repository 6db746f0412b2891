-- 0003 not_null: SET NOT NULL scans the table (pg_attribute only changes).
-- migrate:up
SET lock_timeout = '5s';
ALTER TABLE rounds ALTER COLUMN points SET NOT NULL;

-- migrate:down
ALTER TABLE rounds ALTER COLUMN points DROP NOT NULL;
