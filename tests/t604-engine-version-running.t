#!/usr/bin/env bash
# t604: a 'running' row (a no-transaction unit in flight, or left by a
# runner that failed or died) is not applied: version and status's
# current version leave it out.
. "$(dirname "$0")/lib/tap.sh"

bin=$(set_bin eng_signal)
db=$(fresh_db version_running) || BAIL_OUT "cannot create a database"
url=$(db_url "$db")
psql_val postgres "ALTER DATABASE \"$db\" SET migrate_test.notxn_fail = 'on'" >/dev/null
run_cmd "$bin" -d "$url" up
is "$RC" 1 "the no-transaction unit fails"
is "$(psql_val "$db" "SELECT state FROM schema_migrations WHERE version = 3")" running "and keeps its running row"
command_checks_all 0 '^0*2$' '^$' "version prints the highest applied version, not the running one" -- "$bin" -d "$url" version
run_cmd "$bin" -d "$url" version --json
is "$(json_field "$OUT" current_version)" 2 "version --json says 2"
run_cmd "$bin" -d "$url" status
like "$OUT" 'current version: 0*2' "status's current version leaves the running row out"
like "$OUT" '0003 +slow_notxn +running' "and shows the unit as running"

done_testing
