#!/usr/bin/env bash
# t110: a unit that fails midway leaves nothing of itself, keeps the units
# before it, and is reported with its file, line, SQLSTATE and detail.
. "$(dirname "$0")/lib/tap.sh"

bin=$(set_bin fail)
db=$(fresh_db fail) || BAIL_OUT "cannot create a database"
url=$(db_url "$db")

command_checks_all 1 '^up +0001 create_a +ok' \
	'tests/units/fail/0003_break_midway.pgc:14: unit 0003_break_midway failed \(up step\); it was rolled back' \
	"a failing unit exits 1 naming its file and the statement's line" -- "$bin" -d "$url" up
like "$ERR" 'server: duplicate key value violates unique constraint "a_pkey" \(SQLSTATE 23505\)' "the error gives the server's message and SQLSTATE"
like "$ERR" 'detail: Key \(id\)=\(1\) already exists' "the error gives the server's detail"
unlike "$OUT" '0004' "the unit after the failing one did not run"
is "$(psql_val "$db" "SELECT string_agg(version::text, ',' ORDER BY version) FROM schema_migrations")" "1,2" "the units before the failing one stay applied"
is "$(psql_val "$db" "SELECT count(*) FROM pg_class WHERE relname IN ('c', 'never_created', 'd')")" "0" "nothing the failing unit created remains"
is "$(psql_val "$db" "SELECT string_agg(id::text, ',' ORDER BY id) FROM a")" "1" "the failing unit's successful insert was rolled back"

run_cmd "$bin" -d "$url" up --json
is "$RC" "1" "the --json run exits 1 too"
err=$(json_event "$OUT" error)
is "$(jq -r .sqlstate <<<"$err")" "23505" "the JSON error carries the SQLSTATE"
is "$(jq -r .unit <<<"$err")" "0003_break_midway" "the JSON error names the unit"
is "$(jq -r .file <<<"$err")" "tests/units/fail/0003_break_midway.pgc" "the JSON error names the unit file"
is "$(jq -r .line <<<"$err")" "14" "the JSON error gives the line"
is "$(jq -r .detail <<<"$err")" "Key (id)=(1) already exists." "the JSON error gives the detail"
is "$(json_event "$OUT" summary | jq -r .exit_code)" "1" "the JSON summary carries exit code 1"

db2=$(fresh_db fail1tx) || BAIL_OUT "cannot create a database"
run_cmd "$bin" -d "$(db_url "$db2")" up --single-transaction
is "$RC" "1" "a failing unit in --single-transaction exits 1"
is "$(psql_val "$db2" "SELECT count(*) FROM pg_class WHERE relname IN ('a', 'b', 'c', 'schema_migrations')")" "0" "--single-transaction leaves nothing of the batch, not even the history table"

done_testing
