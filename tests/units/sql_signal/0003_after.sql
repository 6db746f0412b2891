-- 0003 after: test unit (sql_signal, t704): so that 0002's message
-- carries its bookkeeping.
-- migrate:up
CREATE TABLE sig_after (id int);
-- migrate:down
DROP TABLE sig_after;
