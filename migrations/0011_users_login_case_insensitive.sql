-- 0011 users_login_case_insensitive: no two players whose logins differ
-- only by case ("Ryan@x.com" and "ryan@x.com"), with an index that also
-- serves "WHERE lower(login) = lower($1)".
--
-- The logins are not rewritten: an application that looks a player up
-- with "WHERE login = $1" keeps finding them; only registering a login
-- that another player already has in another case now fails, with
-- SQLSTATE 23505 as for an exact duplicate.
--
-- Players that already differ only by case are not merged or renamed
-- here (that would lose one of them): the first statement refuses, naming
-- how many and the first, before anything is built.  Resolve them, then
-- run migrate up again.  The index is built CONCURRENTLY in this
-- no-transaction unit; a duplicate registered during the build fails it
-- and leaves an INVALID index to drop by hand (docs/units.md).
-- migrate:up transaction:false
DO $$
DECLARE
	clashes bigint;
	first_key text;
BEGIN
	SELECT count(*), min(k) INTO clashes, first_key
	FROM (SELECT lower(login) AS k FROM users
		  GROUP BY lower(login) HAVING count(*) > 1) AS d;
	IF clashes > 0 THEN
		RAISE EXCEPTION 'users.login has % logins shared, in different case, by several players', clashes
			USING ERRCODE = 'unique_violation',
				DETAIL = format('the first is %L (lower case)', first_key),
				HINT = 'merge or rename those players (SELECT lower(login), array_agg(id) FROM users GROUP BY 1 HAVING count(*) > 1), then run migrate up again';
	END IF;
END
$$;

CREATE UNIQUE INDEX CONCURRENTLY users_login_lower_key ON users (lower(login));

-- migrate:down
DROP INDEX CONCURRENTLY IF EXISTS users_login_lower_key;
