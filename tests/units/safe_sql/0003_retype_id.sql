-- 0003 retype_id: rewrites t, accepted on purpose (t is small in production).
-- migrate:up
-- migrate:accept rewrite t
ALTER TABLE t ALTER COLUMN id TYPE bigint;

-- migrate:down
ALTER TABLE t ALTER COLUMN id TYPE integer;
