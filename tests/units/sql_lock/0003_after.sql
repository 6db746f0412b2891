-- 0003 after: test unit (sql_lock, t704): after the locked unit, so that
-- the locked unit's message carries its bookkeeping.
-- migrate:up
CREATE TABLE lock_after (id int);
-- migrate:down
DROP TABLE lock_after;
