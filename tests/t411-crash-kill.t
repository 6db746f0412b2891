#!/usr/bin/env bash
# t411: kill -9 of the runner at 30 random moments during "up" of 50 small
# units (tests/units/crash50, from tests/units/gen-crash50.sh): after each,
# every unit's objects exist exactly when its history row does, and a
# rerun completes.
. "$(dirname "$0")/lib/tap.sh"

bin=$(set_bin crash50)
db=$(fresh_db crash) || BAIL_OUT "cannot create a database"
url=$(db_url "$db")
RANDOM=4111		# the same moments on every run (as far as timing allows)

# "N|BAD": the number of history rows, and the versions whose table, rows
# and history row do not agree ("none" when all do): a history row must
# come with the table and its ten rows, and no table may exist without one.
state_sql="
WITH u AS (
	SELECT v, pg_catalog.to_regclass(format('public.crash_%s', lpad(v::text, 4, '0'))) AS t
	FROM generate_series(1, 50) v
), r AS (
	SELECT CASE WHEN pg_catalog.to_regclass('public.schema_migrations') IS NULL THEN '{}'::bigint[]
		ELSE (SELECT array_agg(x::text::bigint) FROM unnest(xpath('//row/v/text()', query_to_xml(
			'SELECT version AS v FROM public.schema_migrations', false, false, ''))) x) END AS versions
)
SELECT coalesce(array_length(r.versions, 1), 0) || '|' || coalesce((
	SELECT string_agg(v::text, ',' ORDER BY v) FROM u
	WHERE (v = ANY (r.versions)) IS DISTINCT FROM (t IS NOT NULL)
		OR (t IS NOT NULL AND (xpath('/row/n/text()', query_to_xml(
			format('SELECT count(*) AS n FROM %s', t), false, true, '')))[1]::text::int <> 10)), 'none')
FROM r"

# Waits (up to 15 s, inside the server) until the killed runner's session
# is gone: psql starts slowly, so each check is one psql call.
settle_sql="DO \$\$BEGIN
	FOR i IN 1..300 LOOP
		PERFORM pg_catalog.pg_stat_clear_snapshot();
		EXIT WHEN NOT EXISTS (SELECT 1 FROM pg_catalog.pg_stat_activity
			WHERE datname = current_database() AND application_name LIKE 'migrate/%');
		PERFORM pg_catalog.pg_sleep(0.05);
	END LOOP;
END\$\$"
reset_sql="SET client_min_messages = warning; DROP SCHEMA public CASCADE; CREATE SCHEMA public"

start=$(date +%s%N)
run_cmd "$bin" -q -d "$url" up
full_ms=$((($(date +%s%N) - start) / 1000000))
is "$RC" 0 "a full run applies the 50 units"
diag "a full run takes $full_ms ms"
psql -XAtq -d "$db" -c "$reset_sql" 2>/dev/null

midway=0
for ((k = 1; k <= 30; k++)); do
	delay=$((RANDOM % (full_ms + 1)))
	"$bin" -q -d "$url" up >/dev/null 2>&1 &
	pid=$!
	sleep "$((delay / 1000)).$(printf '%03d' $((delay % 1000)))"
	kill -9 "$pid" 2>/dev/null
	{ wait "$pid"; } 2>/dev/null
	state=$(psql -XAtq -d "$db" -c "$settle_sql" -c "$state_sql" 2>&1)
	n=${state%%|*}
	[ "$n" -gt 0 ] 2>/dev/null && [ "$n" -lt 50 ] && midway=$((midway + 1))
	is "${state#*|}" none "kill $k at $delay ms ($n units recorded): objects exist exactly when history rows do"
	run_cmd "$bin" -q -d "$url" up
	state=$(psql -XAtq -d "$db" -c "$state_sql" -c "$reset_sql" 2>&1)
	is "$RC,$state" "0,50|none" "kill $k: a rerun exits 0 and completes the 50 units consistently"
done
diag "$midway of 30 kills landed between the first and the last unit"
ok "some kills landed between the first and the last unit" test "$midway" -gt 0

done_testing
