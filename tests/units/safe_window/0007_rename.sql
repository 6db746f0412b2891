-- 0007 rename: a column renamed (pg_attribute only).
-- migrate:up
SET lock_timeout = '5s';
ALTER TABLE rooms RENAME COLUMN name TO title;

-- migrate:down
ALTER TABLE rooms RENAME COLUMN title TO name;
