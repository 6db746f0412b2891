-- 0002 functions: what arrives at the server is what this file says (t702).
-- migrate:up
CREATE FUNCTION items_touch() RETURNS trigger LANGUAGE plpgsql AS $fn$
-- FN START: a comment on the body's first line
DECLARE
	q text := $q$it's a "quoted" $$nested$$ body; with -- no comment$q$;
BEGIN
	-- a comment that would swallow the rest without its newline

	NEW.touched := 'line one
	line two, after a tab';   /* and a block comment */
	IF NEW.doc #>> '{a,b}' = 'x' AND NEW.note IS NULL THEN   -- #>> would stop ecpg
		NEW.note := q || E'\'' || '?';
	END IF;
	RETURN NEW;
END;
-- FN END
$fn$;

CREATE TRIGGER items_touch BEFORE INSERT ON items
	FOR EACH ROW EXECUTE FUNCTION items_touch();

-- $1 in a body would stop ecpglib's EXECUTE IMMEDIATE
CREATE FUNCTION add_one(integer) RETURNS integer LANGUAGE sql AS $$ SELECT $1 + 1 $$;

/* BEGIN ATOMIC: newer than ecpg's grammar */
CREATE FUNCTION items_count() RETURNS bigint LANGUAGE sql
BEGIN ATOMIC
	SELECT count(*) FROM items;
END;

INSERT INTO items (doc, note) VALUES ('{"a": {"b": "x"}}', 'MULTI START
	"tabbed", with a ; semicolon
\ and a backslash

MULTI END');
INSERT INTO items (doc) VALUES ('{"a": {"b": "x"}}');
SELECT setval(pg_get_serial_sequence('items', 'id'), 41);
SELECT 1 WHERE false;
-- The trigger's lock on items is held across the INSERTs (held-across):
-- accepted, as a plain-SQL unit does it (t702).
-- migrate:accept held-across items

-- migrate:down
-- migrate:accept held-across items
DROP FUNCTION items_count();
DROP FUNCTION add_one(integer);
DROP TRIGGER items_touch ON items;
DROP FUNCTION items_touch();
DELETE FROM items;
