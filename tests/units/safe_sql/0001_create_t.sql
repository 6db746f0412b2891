-- 0001 create_t: a table the later units change while it has rows.
-- migrate:up
CREATE TABLE t (id integer NOT NULL, v text);

-- migrate:down
DROP TABLE t;
