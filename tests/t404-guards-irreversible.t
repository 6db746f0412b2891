#!/usr/bin/env bash
# t404: down refuses (exit 6) to cross an irreversible unit, declared with
# MIGRATE_IRREVERSIBLE or with no down step, before rolling anything back.
. "$(dirname "$0")/lib/tap.sh"
. "$MIGRATE_ROOT/tests/lib/dbstate.sh"

bin=$(set_bin guard_irrev)
db=$(fresh_db irrev) || BAIL_OUT "cannot create a database"
url=$(db_url "$db")

run_cmd "$bin" -d "$url" up
is "$RC" 0 "up applies the four units"

before=$(db_state "$db")
command_checks_all 6 '' 'refusing to run down: .*irreversible: 0003 no_down_step.*irreversible: 0002 declared_irreversible' \
	"down --all refuses with exit 6 naming both irreversible units" -- "$bin" -d "$url" down --all
unlike "$OUT" 'down +0004' "the reversible unit above them was not rolled back first"
is "$(db_state "$db")" "$before" "the refused down --all left the database exactly as it was"

command_checks_all 6 '' 'irreversible: 0003 no_down_step' \
	"down --to 2 refuses at the unit without a down step" -- "$bin" -d "$url" down --to 2
unlike "$ERR" '0002' "down --to 2 names only the unit it would cross"
command_checks_all 6 '' 'irreversible: 0003 no_down_step' \
	"down --step 2 refuses too" -- "$bin" -d "$url" down --step 2
command_checks_all 6 '' 'irreversible: 0003 no_down_step' \
	"down --all --dry-run refuses too" -- "$bin" -d "$url" down --all --dry-run
is "$(db_state "$db")" "$before" "the refused down --to, --step and --dry-run left the database exactly as it was"

command_checks_all 0 '^down +0004 create_d +ok' '^$' \
	"down of the reversible unit above them works" -- "$bin" -d "$url" down
before=$(db_state "$db")
command_checks_all 6 '' 'irreversible: 0003 no_down_step' \
	"the next down refuses the unit without a down step" -- "$bin" -d "$url" down
command_checks_all 6 '' 'irreversible: 0003 no_down_step' \
	"redo refuses it too" -- "$bin" -d "$url" redo
run_cmd "$bin" -d "$url" --json down
is "$(json_event "$OUT" error | jq -r .exit_code)" 6 "the JSON error object carries exit code 6"
is "$(db_state "$db")" "$before" "the refused down and redo left the database exactly as it was"
is "$(psql_val "$db" "SELECT count(*) FROM pg_tables WHERE tablename LIKE 'irrev_%'")" 3 \
	"the tables of units 1 to 3 are still there"

# the declared flag alone (with a down step written) is enough
psql_val "$db" "DELETE FROM schema_migrations WHERE version = 3; DROP TABLE irrev_c"
before=$(db_state "$db")
command_checks_all 6 '' 'irreversible: 0002 declared_irreversible' \
	"down refuses a unit declared MIGRATE_IRREVERSIBLE although it has a down step" \
	-- "$bin" -d "$url" down
is "$(db_state "$db")" "$before" "that refusal left the database exactly as it was"

done_testing
