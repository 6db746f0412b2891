-- 0009 rewrite: a column type change that rewrites a table with rows.
-- migrate:up
SET lock_timeout = '5s';
ALTER TABLE rooms ALTER COLUMN id TYPE bigint;

-- migrate:down
ALTER TABLE rooms ALTER COLUMN id TYPE integer;
