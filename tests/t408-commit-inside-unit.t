#!/usr/bin/env bash
# t408: a unit that commits behind the runner's back (EXECUTE IMMEDIATE
# "COMMIT") is detected and reported naming it, exit 1, with no history
# row; what it did after the COMMIT is rolled back and no later unit runs.
. "$(dirname "$0")/lib/tap.sh"

bin=$(set_bin guard_commit)
db=$(fresh_db commit_inside) || BAIL_OUT "cannot create a database"
url=$(db_url "$db")

command_checks_all 1 '^up +0001 create_before +ok' \
	"unit 0002_commit_inside ended the runner's transaction itself \(up step; a COMMIT or ROLLBACK through EXECUTE IMMEDIATE\?\)" \
	"a unit that commits midway and goes on is detected, exit 1" -- "$bin" -d "$url" up
like "$ERR" 'what ran before that is committed without a history row' "the message says what stays committed"
like "$ERR" 'hint: remove the COMMIT from the unit' "and what to do"
unlike "$OUT" '0003' "the unit after it did not run"
is "$(psql_val "$db" "SELECT string_agg(version::text, ',' ORDER BY version) FROM schema_migrations")" "1" \
	"the offending unit has no history row"
is "$(psql_val "$db" "SELECT to_regclass('created_late') IS NULL")" t \
	"what the unit did after its COMMIT was rolled back"
is "$(psql_val "$db" "SELECT to_regclass('committed_early') IS NOT NULL")" t \
	"what it did before its COMMIT stays, as reported"
is "$(psql_val "$db" "SELECT to_regclass('after_commit') IS NULL")" t "no later unit ran"

psql_val "$db" "DROP TABLE committed_early"
run_cmd "$bin" -d "$url" --json up
is "$RC" 1 "with --json the exit code is 1 too"
err=$(json_event "$OUT" error)
is "$(jq -r '.exit_code, .unit, .file' <<<"$err" | paste -sd,)" \
	"1,0002_commit_inside,tests/units/guard_commit/0002_commit_inside.pgc" \
	"the JSON error names the unit and its file"
like "$(jq -r .hint <<<"$err")" 'remove the COMMIT' "the JSON error carries the hint"

psql_val "$db" "DROP TABLE committed_early"
run_cmd "$bin" -d "$url" up --single-transaction
is "$RC" 1 "--single-transaction detects it too"
like "$ERR" "unit 0002_commit_inside ended the runner's transaction itself" "naming the unit"

bin=$(set_bin guard_commit_end)
db=$(fresh_db commit_at_end) || BAIL_OUT "cannot create a database"
command_checks_all 1 '^up +0001 create_before +ok' \
	"unit 0002_commit_at_end ended the runner's transaction itself" \
	"a unit whose last statement is a COMMIT is detected, exit 1" -- "$bin" -d "$(db_url "$db")" up
is "$(psql_val "$db" "SELECT string_agg(version::text, ',' ORDER BY version) FROM schema_migrations")" "1" \
	"it has no history row either"
is "$(psql_val "$db" "SELECT to_regclass('after_commit') IS NULL")" t "no later unit ran"

done_testing
