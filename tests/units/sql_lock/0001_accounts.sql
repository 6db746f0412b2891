-- 0001 accounts: test unit (sql_lock, t704).
-- migrate:up
CREATE TABLE accounts (id int PRIMARY KEY, login text NOT NULL);
-- migrate:down
DROP TABLE accounts;
