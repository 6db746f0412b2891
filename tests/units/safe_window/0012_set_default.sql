-- 0012 set_default: a default stored on a table an earlier unit made.  Its
-- pg_attribute update is the one its pg_attrdef insert explains, so the
-- window finds the table through pg_attrdef; DROP DEFAULT takes one from
-- a table that stays, so the window reads pg_attribute.
-- migrate:up
SET lock_timeout = '5s';
ALTER TABLE rooms ALTER COLUMN title SET DEFAULT 'lobby';

-- migrate:down
ALTER TABLE rooms ALTER COLUMN title DROP DEFAULT;
