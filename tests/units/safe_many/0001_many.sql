-- 0001 many: seventy tables in one statement, so that the next step's
-- window follows more than twice as many relations as when its
-- statements were first prepared, and prepares them again (t807).
-- migrate:up
DO $$
BEGIN
	FOR i IN 1..70 LOOP
		EXECUTE format('CREATE TABLE many_%s (a integer)', i);
	END LOOP;
END
$$;

-- migrate:down
DO $$
BEGIN
	FOR i IN 1..70 LOOP
		EXECUTE format('DROP TABLE many_%s', i);
	END LOOP;
END
$$;
