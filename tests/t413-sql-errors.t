#!/usr/bin/env bash
# t413: an SQL error names the unit file and line, the SQLSTATE, the
# server's message, detail and hint, and says the unit was rolled back; a
# failing unit in the middle of three keeps the one before it, leaves
# nothing of itself, and exits 1.
. "$(dirname "$0")/lib/tap.sh"
. "$MIGRATE_ROOT/tests/lib/dbstate.sh"

bin=$(set_bin guard_errors)
db=$(fresh_db sqlerr) || BAIL_OUT "cannot create a database"
url=$(db_url "$db")
unit=tests/units/guard_errors/0002_import_duplicates.pgc
line=$(grep -n "INSERT INTO players VALUES (2, 'ann')" "$MIGRATE_ROOT/$unit" | cut -d: -f1)

command_checks_all 1 '^up +0001 create_players +ok' \
	"^migrate: error: $unit:$line: unit 0002_import_duplicates failed \\(up step\\); it was rolled back" \
	"the failing unit exits 1 naming its file, the statement's line, and that it was rolled back" \
	-- "$bin" -d "$url" up
like "$ERR" 'server: duplicate key value violates unique constraint "players_login_key" \(SQLSTATE 23505\)' \
	"the error gives the server's message and SQLSTATE"
like "$ERR" 'detail: Key \(login\)=\(ann\) already exists\.' "and the server's detail"
unlike "$OUT" '0003' "the unit after it did not run"
like "$OUT" 'up: 1 applied, 0 rolled back, 0 skipped in [0-9]+ ms \(failed\)' "the summary says the run failed"
is "$(psql_val "$db" "SELECT string_agg(version::text, ',' ORDER BY version) FROM schema_migrations")" 1 \
	"the unit before it stays applied"
is "$(psql_val "$db" "SELECT count(*) FROM pg_class WHERE relname IN ('imports', 'never_reached', 'rooms')")" 0 \
	"nothing the failing unit created remains, and the next unit never ran"
is "$(psql_val "$db" "SELECT string_agg(login, ',') FROM players")" ann "the players table is as unit 1 left it"

before=$(db_state "$db")
run_cmd "$bin" -d "$url" --json up
is "$RC" 1 "with --json the exit code is 1 too"
err=$(json_event "$OUT" error)
is "$(jq -r '.exit_code, .sqlstate, .unit, .file, .line' <<<"$err" | paste -sd,)" \
	"1,23505,0002_import_duplicates,$unit,$line" \
	"the JSON error object has exit_code, sqlstate, unit, file and line"
is "$(jq -r .detail <<<"$err")" "Key (login)=(ann) already exists." "and the detail"
like "$(jq -r .message <<<"$err")" 'it was rolled back' "and says the unit was rolled back"
is "$(json_event "$OUT" summary | jq -r .exit_code)" 1 "the summary object carries exit code 1"
is "$(db_state "$db")" "$before" "the failed run left the database exactly as it was"

# a server hint
hbin=$(set_bin guard_hint)
hdb=$(fresh_db sqlhint) || BAIL_OUT "cannot create a database"
hunit=tests/units/guard_hint/0001_call_missing_function.pgc
hline=$(grep -n 'CREATE INDEX hinted_idx' "$MIGRATE_ROOT/$hunit" | cut -d: -f1)
command_checks_all 1 '' "^migrate: error: $hunit:$hline: unit 0001_call_missing_function failed \\(up step\\); it was rolled back" \
	"an error with a hint is reported at the unit's line" -- "$hbin" -d "$(db_url "$hdb")" up
like "$ERR" 'server: function pg_catalog.lower\(integer\) does not exist \(SQLSTATE 42883\)' \
	"with the server's message and SQLSTATE"
like "$ERR" 'hint: No function matches the given name and argument types' "and the server's hint"
run_cmd "$hbin" -d "$(db_url "$hdb")" --json up
like "$(json_event "$OUT" error | jq -r .hint)" '^No function matches' "the JSON error carries the hint"
is "$(psql_val "$hdb" "SELECT count(*) FROM pg_class WHERE relname IN ('hinted', 'schema_migrations')")" 0 \
	"nothing of the failed first unit remains, not even the history table"

done_testing
