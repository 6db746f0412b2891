-- 0002 four: test unit (sql_mid_fail, t704): four statements, the third
-- fails when it runs.
-- migrate:up
CREATE TABLE mid_a (id int PRIMARY KEY);
INSERT INTO mid_a VALUES (1), (2);

INSERT INTO mid_a
	SELECT id FROM
		mid_no_such_table;
CREATE TABLE mid_d (id int);
-- migrate:down
DROP TABLE mid_d;
DROP TABLE mid_a;
