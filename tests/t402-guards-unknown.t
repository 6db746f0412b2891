#!/usr/bin/env bash
# t402: history rows for versions this binary does not have are "unknown":
# status says so, down refuses (exit 6) to cross one, up says so and
# carries on.
. "$(dirname "$0")/lib/tap.sh"
. "$MIGRATE_ROOT/tests/lib/dbstate.sh"

bin=$(set_bin guard_three)
db=$(fresh_db unknown) || BAIL_OUT "cannot create a database"
url=$(db_url "$db")

run_cmd "$bin" -d "$url" up --to 10
is "$RC" 0 "up --to 10 applies the first unit"
psql_val "$db" "INSERT INTO schema_migrations (version, name, checksum, state)
	VALUES (15, 'from_another_branch', repeat('a', 64), 'applied')"

run_cmd "$bin" -d "$url" --json status
is "$(json_field "$OUT" 'units[1].version')" 15 "status lists the row the binary lacks"
is "$(json_field "$OUT" 'units[1].state')" unknown "status shows it as unknown"
is "$(json_field "$OUT" 'units[1].name')" from_another_branch "status gives the name from the row"
run_cmd "$bin" -d "$url" status --check
is "$RC" 6 "status --check exits 6 on an unknown version"

command_checks_all 0 '^up +0020 add_email +ok.*
up +0030 create_rooms +ok' 'migrate: warning: version 15 \(from_another_branch\) is applied but unknown to this binary' \
	"up notes the unknown version and applies the pending units" -- "$bin" -d "$url" up

command_checks_all 0 '^down +0030 create_rooms +ok' '' \
	"down of one unit above the unknown version works" -- "$bin" -d "$url" down
before=$(db_state "$db")
command_checks_all 6 '' 'refusing to run down: applied but unknown to this binary: 15 from_another_branch' \
	"down --step 2 would cross the unknown version: exit 6 naming it" -- "$bin" -d "$url" down --step 2
unlike "$OUT" 'down +0020' "nothing was rolled back before the refusal"
is "$(db_state "$db")" "$before" "the refused down left the database exactly as it was"

command_checks_all 6 '' 'unknown to this binary: 15 from' "down --all refuses too" \
	-- "$bin" -d "$url" down --all
is "$(db_state "$db")" "$before" "the refused down --all left the database exactly as it was"
command_checks_all 6 '' 'unknown to this binary: 15 from' "down --to 10 refuses too" \
	-- "$bin" -d "$url" down --to 10
command_checks_all 6 '' 'unknown to this binary: 15 from' "down --dry-run refuses too" \
	-- "$bin" -d "$url" down --all --dry-run
is "$(db_state "$db")" "$before" "the refused down --to and --dry-run left the database exactly as it was"

# an unknown version on top: the default down (one unit) crosses it
run_cmd "$bin" -d "$url" up
is "$RC" 0 "up re-applies the unit above the unknown version"
psql_val "$db" "INSERT INTO schema_migrations (version, name, checksum, state)
	VALUES (99, 'newer_build', repeat('b', 64), 'applied')"
before=$(db_state "$db")
command_checks_all 6 '' 'unknown to this binary: 99 newer_build' \
	"down refuses when the newest row is unknown" -- "$bin" -d "$url" down
is "$(db_state "$db")" "$before" "that refusal left the database exactly as it was"
run_cmd "$bin" -d "$url" --json down
is "$(json_event "$OUT" error | jq -r .exit_code)" 6 "the JSON error object carries exit code 6"
command_checks_all 0 '^nothing to do' 'migrate: warning: version 99 \(newer_build\) is applied but unknown' \
	"up with nothing pending still notes the unknown version" -- "$bin" -d "$url" up
run_cmd "$bin" -d "$url" --json up
is "$(json_event "$OUT" warning | jq -sr 'length')" 2 "up --json reports each unknown version as a warning event"

done_testing
