#!/usr/bin/env bash
# t530: every number from the command line or the configuration has a
# range, and 0 is never read as "no limit" (issue 10, items 4 and 5).
. "$(dirname "$0")/lib/tap.sh"

db=$(fresh_db ranges) || BAIL_OUT "cannot create a database"
url=$(db_url "$db")
applied() { psql_val "$db" "SELECT count(*) FROM schema_migrations" 2>/dev/null || echo none; }

command_checks_all 2 '^$' '--to must be at least 1, not "0"' "up --to 0 is refused" -- "$MIGRATE_BIN" -d "$url" up --to 0
command_checks_all 2 '^$' '--step must be in range 1\.\.2147483647, not "0"' "up --step 0 is refused" -- "$MIGRATE_BIN" -d "$url" up --step 0
is "$(applied)" "none" "neither applied anything (nor created the history table)"
run_migrate -d "$url" --json up --step 0
is "$RC" "2" "up --step 0 --json exits 2"
is "$(json_event "$OUT" summary | jq -r .applied)" "0" "its summary says nothing was applied"

command_checks_all 0 'up +0003' '' "up --step 3 applies three" -- "$MIGRATE_BIN" -d "$url" up --step 3
command_checks_all 2 '^$' '--step must be in range 1\.\.2147483647, not "0"' "down --step 0 is refused" -- "$MIGRATE_BIN" -d "$url" down --step 0
command_checks_all 2 '^$' '--step must be in range 1\.\.2147483647, not "0"' "redo --step 0 is refused" -- "$MIGRATE_BIN" -d "$url" redo --step 0
command_checks_all 2 '^$' '--step must be in range 1\.\.2147483647, not "99999999999"' "a --step beyond an int is refused" -- "$MIGRATE_BIN" -d "$url" up --step 99999999999
command_checks_all 2 '^$' '--step must be in range 1\.\.2147483647, not "-1"' "a negative --step is refused" -- "$MIGRATE_BIN" -d "$url" down --step -1
command_checks_all 2 '^$' 'baseline must be at least 1, not "0"' "baseline 0 is refused" -- "$MIGRATE_BIN" -d "$url" baseline 0
is "$(applied)" "3" "the refusals changed nothing"
command_checks_all 0 'down +0001' '' "down --to 0 still rolls back every unit above 0" -- "$MIGRATE_BIN" -d "$url" down --to 0
is "$(applied)" "0" "down --to 0 left nothing applied"

printf 'lock_retries: 2147483647\n' >migrate.yaml
command_checks_all 2 '^$' 'migrate\.yaml:1:15: error: lock_retries must be in range 0\.\.100, not "2147483647"' \
	"lock_retries 2147483647 is refused with its place and range" -- "$MIGRATE_BIN" -d "$url" up
printf 'connect_retries: 2147483647\n' >migrate.yaml
command_checks_all 2 '^$' 'connect_retries must be in range 0\.\.100' "connect_retries 2147483647 is refused" -- "$MIGRATE_BIN" -d "$url" up
rm -f migrate.yaml
command_checks_all 2 '^$' 'MIGRATE_LOCK_RETRIES must be in range 0\.\.100' "a variable is range-checked too" -- env MIGRATE_LOCK_RETRIES=1000 "$MIGRATE_BIN" -d "$url" up
command_checks_all 2 '^$' 'duration "9999h" for --lock-timeout is out of range' "a duration option beyond an int of milliseconds is refused" -- "$MIGRATE_BIN" -d "$url" --lock-timeout 9999h up

done_testing
