-- 0002 forget_prepared: DEALLOCATE ALL takes the observation's prepared
-- statements away, so the next observation fails: it must be undone in
-- its savepoint, leaving the unit's transaction to go on (t807).
-- migrate:up
SET lock_timeout = '5s';
DEALLOCATE ALL;
ALTER TABLE kept ADD COLUMN b integer;

-- migrate:down
ALTER TABLE kept DROP COLUMN b;
