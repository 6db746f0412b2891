#!/usr/bin/env bash
# t800: a SELECT without INTO (and EXECUTE IMMEDIATE of a SELECT) runs for
# its effect whether rows come back or not (issue 10 item 20): setval
# takes effect, counts and row-returning SELECTs on a table with rows and
# on an empty one succeed, and the statements after them still run in the
# same transaction.
. "$(dirname "$0")/lib/tap.sh"

bin=$(set_bin safe_select)
db=$(fresh_db select_into) || BAIL_OUT "cannot create a database"
url=$(db_url "$db")

run_cmd "$bin" -d "$url" up --to 1
is "$RC" 0 "the unit creating the tables applies"
command_checks_all 0 'verify 0002 select_for_effect +reversible' '^$' \
	"verify runs the SELECTs on a table with rows and on an empty one" -- "$bin" -d "$url" verify
command_checks_all 0 '^up +0002 select_for_effect +ok' '^$' \
	"up applies the unit whose SELECTs return rows" -- "$bin" -d "$url" up
is "$(psql_val "$db" "SELECT string_agg(id || ':' || n, ',' ORDER BY id) FROM tallies")" \
	"1:1,2:2,3:3,101:42" "setval took effect and the INSERT after the SELECTs ran"
is "$(psql_val "$db" "SELECT count(*) FROM schema_migrations WHERE version = 2")" 1 \
	"the unit is recorded as applied"
command_checks_all 0 '^down +0002 select_for_effect +ok' '^$' \
	"the down step's SELECT setval(...) works too" -- "$bin" -d "$url" down
is "$(psql_val "$db" "SELECT last_value FROM tallies_id_seq")" 3 "the down step reset the sequence"
run_cmd "$bin" -d "$url" --json up --dry-run
is "$RC" 0 "up --dry-run of the unit exits 0"
is "$(json_event "$OUT" would_apply | jq -r .version)" 2 "and reports it would apply"

done_testing
