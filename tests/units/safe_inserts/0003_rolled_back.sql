-- 0003 rolled back: a statement that inserted two pg_class rows, one of
-- them rolled back inside it (an index made and undone), so that the oid
-- range holds fewer of its rows than it inserted and the window reads
-- pg_class in full (t807).
-- migrate:up
SET lock_timeout = '5s';
DO $$
BEGIN
	BEGIN
		CREATE INDEX seats_undone ON seats (note);
		RAISE EXCEPTION 'undone';
	EXCEPTION WHEN raise_exception THEN
		NULL;
	END;
	CREATE INDEX seats_id ON seats (id);
END
$$;

-- migrate:down
DROP INDEX seats_id;
