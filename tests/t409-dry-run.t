#!/usr/bin/env bash
# t409: --dry-run (up and down) runs everything in one transaction, reports
# it, and rolls back: the database (schema and history rows) is unchanged,
# no-transaction units are listed as skipped.
. "$(dirname "$0")/lib/tap.sh"
. "$MIGRATE_ROOT/tests/lib/dbstate.sh"

bin=$(set_bin guard_three)
db=$(fresh_db dryrun) || BAIL_OUT "cannot create a database"
url=$(db_url "$db")

before=$(db_state "$db")
command_checks_all 0 '^would-up 0010 create_accounts +ok \(rolled back\).*
would-up 0020 add_email +ok \(rolled back\).*
would-up 0030 create_rooms +ok \(rolled back\)' '^$' \
	"up --dry-run on an empty database reports every unit" -- "$bin" -d "$url" up --dry-run
is "$(db_state "$db")" "$before" "the database is exactly as it was, not even a history table"

run_cmd "$bin" -d "$url" up --to 10
before=$(db_state "$db")
run_cmd "$bin" -d "$url" --json up --dry-run
is "$RC" 0 "up --dry-run --json exits 0"
is "$(json_event "$OUT" would_apply | jq -sr 'map(.version) | join(",")')" "20,30" \
	"it reports the pending units as would_apply events"
is "$(json_event "$OUT" applied)" "" "and none as applied"
is "$(db_state "$db")" "$before" "the database is exactly as it was"

run_cmd "$bin" -d "$url" up
before=$(db_state "$db")
command_checks_all 0 '^nothing to do' '' "up --dry-run with nothing pending has nothing to do" \
	-- "$bin" -d "$url" up --dry-run
command_checks_all 0 '^would-down 0030 create_rooms +ok \(rolled back\)' '^$' \
	"down --dry-run reports the newest unit" -- "$bin" -d "$url" down --dry-run
is "$(db_state "$db")" "$before" "down --dry-run left the database exactly as it was"
command_checks_all 0 '^would-down 0030.*
would-down 0020.*
would-down 0010' '^$' "down --all --dry-run reports every unit, newest first" \
	-- "$bin" -d "$url" down --all --dry-run
is "$(db_state "$db")" "$before" "down --all --dry-run left the database exactly as it was"

# a failing unit in a dry run
ebin=$(set_bin guard_errors)
edb=$(fresh_db dryrun_fail) || BAIL_OUT "cannot create a database"
before=$(db_state "$edb")
command_checks_all 1 '^would-up 0001 create_players' 'unit 0002_import_duplicates failed \(up step\); it was rolled back' \
	"a failing unit in a dry run exits 1 naming it" -- "$ebin" -d "$(db_url "$edb")" up --dry-run
is "$(db_state "$edb")" "$before" "the failed dry run left the database exactly as it was"

# no-transaction units are skipped
nbin=$(set_bin guard_notxn)
ndb=$(fresh_db dryrun_notxn) || BAIL_OUT "cannot create a database"
before=$(db_state "$ndb")
command_checks_all 0 '^would-up 0001 create_items +ok \(rolled back\).*
skip +0002 index_items_concurrently +no-transaction unit, not run in a dry run.*
would-up 0003 create_tags +ok \(rolled back\)' '^$' \
	"up --dry-run lists the no-transaction unit as skipped" -- "$nbin" -d "$(db_url "$ndb")" up --dry-run
is "$(db_state "$ndb")" "$before" "that dry run left the database exactly as it was"
run_cmd "$nbin" -d "$(db_url "$ndb")" --json up --dry-run
is "$(json_event "$OUT" skipped | jq -r .version)" 2 "with --json the skipped unit is a skipped event"
run_cmd "$nbin" -d "$(db_url "$ndb")" up
is "$RC" 0 "up applies the three units"
before=$(db_state "$ndb")
command_checks_all 0 '^would-down 0003 create_tags.*
skip +0002 index_items_concurrently.*
would-down 0001 create_items' '^$' "down --all --dry-run skips the no-transaction unit too" \
	-- "$nbin" -d "$(db_url "$ndb")" down --all --dry-run
is "$(db_state "$ndb")" "$before" "that dry run left the database exactly as it was"

done_testing
