-- 0002 add_email: test unit (sql_lock, t704): needs ACCESS EXCLUSIVE on
-- accounts, which a reader's open transaction keeps from it.
-- migrate:up
ALTER TABLE accounts ADD COLUMN email text;
CREATE INDEX accounts_email_idx ON accounts (email);
-- migrate:down
ALTER TABLE accounts DROP COLUMN email;
