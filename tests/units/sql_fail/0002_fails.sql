-- migrate:up
CREATE TABLE also_fine (id int);

INSERT INTO also_fine
	SELECT id FROM
		no_such_table;
-- migrate:down
DROP TABLE also_fine;
