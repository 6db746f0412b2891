#!/usr/bin/env bash
# t560: no silent waits while connecting, and hints where they save a
# search (issue 10, item 18).
. "$(dirname "$0")/lib/tap.sh"

printf 'connect_retries: 2\n' >migrate.yaml
run_migrate -d "postgresql://postgres@127.0.0.1:1/x" status
is "$RC" "5" "a refused connection exits 5 once the retries are spent"
like "$ERR" '^migrate: could not connect to host=127\.0\.0\.1 port=1 dbname=x user=postgres \(.*\); retrying up to 2 times' \
	"one line says that the retries start"
is "$(grep -c 'retrying' <<<"$ERR")" "1" "only one such line without -v"
unlike "$ERR" 'debug' "and no debug lines"
run_migrate -v -d "postgresql://postgres@127.0.0.1:1/x" status
is "$(grep -c 'connection attempt [0-9] of 3 failed, next in' <<<"$ERR")" "2" "with -v one line per retry"
run_migrate -q -d "postgresql://postgres@127.0.0.1:1/x" status
unlike "$ERR" 'retrying' "-q leaves the retry line out"
rm -f migrate.yaml

mkdir -p demo
command_checks_all 5 '' 'hint: the demo server is not running: start it with "make demo"' \
	"a missing demo socket says to run make demo" -- "$MIGRATE_BIN" -d "postgresql:///red7_db?host=$PWD/demo/.pg" status
command_checks_all 5 '' 'database "no_such_db_560" does not exist.*
hint: "migrate create-db" creates the database' \
	"a missing database says how to create it" -- "$MIGRATE_BIN" -d "$(db_url no_such_db_560)" status

bin=$(set_bin cli_hints)
db=$(fresh_db hints) || BAIL_OUT "cannot create a database"
command_checks_all 1 'up +0001' 'server: .*\(SQLSTATE 25001\)
hint: .*MIGRATE_NO_TRANSACTION' "SQLSTATE 25001 says to declare the unit MIGRATE_NO_TRANSACTION" \
	-- "$bin" -d "$(db_url "$db")" up
run_cmd "$bin" -d "$(db_url "$db")" --json up
like "$(json_event "$OUT" error | jq -r .hint)" 'MIGRATE_NO_TRANSACTION' "the JSON error carries the hint too"

done_testing
