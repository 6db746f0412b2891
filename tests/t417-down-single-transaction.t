#!/usr/bin/env bash
# t417: down --single-transaction rolls back every selected unit and
# deletes its history row in one transaction, committed once: a down step
# that fails leaves every unit applied; a no-transaction unit in range is
# refused with exit 6; with --dry-run it is a dry run.
. "$(dirname "$0")/lib/tap.sh"
. "$MIGRATE_ROOT/tests/lib/dbstate.sh"

tables() { psql_val "$1" "SELECT string_agg(relname, ',' ORDER BY relname) FROM pg_class WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace AND relname <> 'schema_migrations'"; }
versions() { psql_val "$1" "SELECT string_agg(version::text, ',' ORDER BY version) FROM schema_migrations"; }

# applied BIN DBNAME WHAT: a fresh database with every unit of BIN applied;
# sets db, url and before (its db_state).
applied()
{
	db=$(fresh_db "$2") || BAIL_OUT "cannot create a database"
	url=$(db_url "$db")
	run_cmd "$1" -d "$url" up
	is "$RC" 0 "up applies $3"
	before=$(db_state "$db")
}

# ------------------------------------------------------- the Red7 units
db=$(fresh_db downsingle) || BAIL_OUT "cannot create a database"
url=$(db_url "$db")
# the notebook units: no-transaction units (0006 on) refuse --single-transaction
run_migrate -d "$url" up --to 5
is "$RC" 0 "up --to 5 applies the Red7 notebook units"

before=$(db_state "$db")
command_checks_all 0 '^would-down 0005 create_game_rooms +ok \(rolled back\).*
would-down 0004.*
would-down 0003.*
would-down 0002.*
would-down 0001 create_users +ok \(rolled back\)' '^$' \
	"down --all --dry-run --single-transaction reports every unit as a dry run" \
	-- "$MIGRATE_BIN" -d "$url" down --all --dry-run --single-transaction
unlike "$OUT" '(^|
)down ' "it rolls nothing back for real"
is "$(db_state "$db")" "$before" "down --all --dry-run --single-transaction left the database exactly as it was"

command_checks_all 0 '^down +0005 create_game_rooms +ok.*
down +0004 create_achievements +ok' '^$' "down --step 2 --single-transaction rolls back the newest two units" \
	-- "$MIGRATE_BIN" -d "$url" down --step 2 --single-transaction
is "$(versions "$db")" "1,2,3" "it deleted the rows of versions 5 and 4 only"
is "$(tables "$db")" "profiles,statistics,users" "and dropped only their tables"
run_migrate -d "$url" up --to 5
is "$RC" 0 "up applies them again"

run_migrate -d "$url" --json down --all --single-transaction
is "$RC" 0 "down --all --single-transaction --json exits 0"
is "$(json_event "$OUT" rolled_back | jq -sr 'map(.version) | join(",")')" "5,4,3,2,1" \
	"one rolled_back event per unit, newest first"
is "$(json_event "$OUT" summary | jq -r .rolled_back)" 5 "the summary counts five rolled back"
is "$(json_event "$OUT" summary | jq -r .exit_code)" 0 "the summary carries exit code 0"
is "$(psql_val "$db" "SELECT count(*) FROM schema_migrations")" 0 "the history table is empty"
is "$(tables "$db")" "" "the seven Red7 tables are gone"

command_checks_all 0 'nothing to do' '^$' "down --single-transaction with nothing applied has nothing to do" \
	-- "$MIGRATE_BIN" -d "$url" down --single-transaction

# ------------------------------ a down step that fails: one transaction
bin=$(set_bin down_together)
applied "$bin" downsingle_fail "the four units"
command_checks_all 1 '' 'unit 0003_down_breaks failed \(down step\); it was rolled back' \
	"down --all --single-transaction fails with exit 1 on 0003's down step" \
	-- "$bin" -d "$url" down --all --single-transaction
like "$ERR" 'c_never_created' "the error names what the down step did not find"
unlike "$OUT" '(^|
)down ' "no unit is reported rolled back, not even 0004 above it"
is "$(db_state "$db")" "$before" "the database is exactly as it was: nothing half-rolled-back"
is "$(versions "$db")" "1,2,3,4" "every unit is still applied"
is "$(tables "$db")" "a,b,c,d" "every unit's table is still there, 0004's and 0003's included"

# without the option each unit commits on its own: 0004 stays rolled back
command_checks_all 1 '^down +0004 create_d +ok' 'unit 0003_down_breaks failed \(down step\)' \
	"without --single-transaction the same down --all rolls back 0004 before failing" \
	-- "$bin" -d "$url" down --all
is "$(versions "$db")" "1,2,3" "there 0004's rollback was committed on its own"

# ------------------------------------------------ a no-transaction unit
nbin=$(set_bin guard_notxn)
applied "$nbin" downsingle_notxn "the units with a no-transaction one"
command_checks_all 6 '' 'refusing to run down: no-transaction unit cannot run in --single-transaction: 0002 index_items_concurrently' \
	"down --all --single-transaction refuses a selection with a no-transaction unit" \
	-- "$nbin" -d "$url" down --all --single-transaction
is "$(db_state "$db")" "$before" "the refusal left the database exactly as it was"
command_checks_all 6 '' 'no-transaction unit cannot run in --single-transaction: 0002' \
	"with --dry-run too, as up --dry-run --single-transaction does" \
	-- "$nbin" -d "$url" down --all --dry-run --single-transaction
is "$(db_state "$db")" "$before" "that refusal left the database exactly as it was"
command_checks_all 0 '^down +0003 create_tags +ok' '^$' \
	"down --single-transaction of the newest unit leaves the no-transaction unit out and works" \
	-- "$nbin" -d "$url" down --single-transaction
is "$(versions "$db")" "1,2" "only version 3 was rolled back"

done_testing
