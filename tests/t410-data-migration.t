#!/usr/bin/env bash
# t410: a data migration written as a unit: 10,000 rows loaded through
# COPY with libpq on the unit's connection, then backfilled in batches of
# 1,000 with a cursor and host variables (docs/units.md shows both).
. "$(dirname "$0")/lib/tap.sh"

bin=$(set_bin guard_data)
db=$(fresh_db data) || BAIL_OUT "cannot create a database"
url=$(db_url "$db")

command_checks_all 0 '^up +0001 create_scores +ok.*
up +0002 backfill_tier +ok' '^$' "up loads and backfills" -- "$bin" -d "$url" up
is "$(psql_val "$db" "SELECT count(*) FROM scores")" 10000 "COPY through libpq loaded 10,000 rows"
is "$(psql_val "$db" "SELECT count(*) FROM scores WHERE tier IS NULL")" 0 "every row was backfilled"
is "$(psql_val "$db" "SELECT count(*) FROM scores WHERE tier IS DISTINCT FROM
	CASE WHEN points >= 900 THEN 'gold' WHEN points >= 500 THEN 'silver' ELSE 'bronze' END")" 0 \
	"every row got the tier its points call for"
is "$(psql_val "$db" "SELECT string_agg(tier || ':' || n, ',' ORDER BY tier)
	FROM (SELECT tier, count(*) n FROM scores GROUP BY tier) s")" "bronze:5000,gold:1000,silver:4000" \
	"the tiers are spread as expected"

command_checks_all 0 '^down +0002 backfill_tier +ok' '^$' "down undoes the backfill" -- "$bin" -d "$url" down
is "$(psql_val "$db" "SELECT count(*) FROM scores WHERE tier IS NULL")" 10000 "every tier is cleared again"
command_checks_all 0 '^up +0002 backfill_tier +ok' '^$' "up runs the backfill again" -- "$bin" -d "$url" up
is "$(psql_val "$db" "SELECT count(*) FROM scores WHERE tier IS NULL")" 0 "every row is backfilled again"

# a COPY that fails reports the server's error at the unit's line
db2=$(fresh_db data_fail) || BAIL_OUT "cannot create a database"
psql_val "$db2" "CREATE TABLE scores (id int PRIMARY KEY, points int NOT NULL CHECK (points < 500), tier text)"
command_checks_all 1 '' 'tests/units/guard_data/0001_create_scores.pgc:[0-9]+: unit 0001_create_scores failed \(up step\); it was rolled back' \
	"a unit whose statement fails before its COPY names its file and line" -- "$bin" -d "$(db_url "$db2")" up
like "$ERR" 'relation "scores" already exists \(SQLSTATE 42P07\)' "with the server's message"
psql_val "$db2" "DROP TABLE scores"

# a COPY that fails: an event trigger caps the points of the new table, so
# that the server refuses some of the copied rows
psql_val "$db2" "CREATE FUNCTION cap_points() RETURNS event_trigger LANGUAGE plpgsql AS \$\$
	BEGIN
		IF EXISTS (SELECT 1 FROM pg_event_trigger_ddl_commands()
				   WHERE object_identity = 'public.scores') THEN
			ALTER TABLE public.scores ADD CONSTRAINT points_capped CHECK (points < 990);
		END IF;
	END \$\$;
	CREATE EVENT TRIGGER cap_scores ON ddl_command_end WHEN TAG IN ('CREATE TABLE')
		EXECUTE FUNCTION cap_points()"
unit=tests/units/guard_data/0001_create_scores.pgc
line=$(grep -n 'MIGRATE_PQ_FAILED(res);' "$MIGRATE_ROOT/$unit" | tail -n 1 | cut -d: -f1)
command_checks_all 1 '' "$unit:$line: unit 0001_create_scores failed \\(up step\\); it was rolled back" \
	"a failing COPY is reported at the unit's MIGRATE_PQ_FAILED line" -- "$bin" -d "$(db_url "$db2")" up
like "$ERR" 'violates check constraint "points_capped" \(SQLSTATE 23514\)' "with the server's message and SQLSTATE"
like "$ERR" 'detail: Failing row contains' "and its detail"
is "$(psql_val "$db2" "SELECT to_regclass('public.scores') IS NULL")" t "nothing of the unit remains"
run_cmd "$bin" -d "$(db_url "$db2")" --json up
is "$(json_event "$OUT" error | jq -r '.sqlstate, .line' | paste -sd,)" "23514,$line" \
	"the JSON error carries the SQLSTATE and the line"

done_testing
