#!/usr/bin/env bash
# t802: the Red7 units from an empty database have no hazard
# (verify and up --dry-run exit 0); the hazard report works through
# PgBouncer in transaction mode (no session state, no prepared
# statement); help documents --no-safety and exit 8.
. "$(dirname "$0")/lib/tap.sh"
. "$MIGRATE_ROOT/tests/lib/pgbouncer.sh"

db=$(fresh_db safe_red7) || BAIL_OUT "cannot create a database"
url=$(db_url "$db")
run_cmd "$MIGRATE_BIN" -d "$url" --json verify
is "$RC" 0 "verify of the Red7 units from an empty database exits 0"
is "$(json_event "$OUT" hazard)" "" "and reports no hazard"
is "$(json_event "$OUT" summary | jq -c '[.hazards, .accepted_hazards, .broken]')" "[0,0,0]" \
	"its summary counts no hazard and no broken unit (t805 checks each unit after 0005)"
run_cmd "$MIGRATE_BIN" -d "$url" --json up --dry-run
is "$RC $(json_event "$OUT" hazard)" "0 " "up --dry-run of the Red7 units reports no hazard either"

command_checks_all 0 'verify \[--all\] \[--no-safety\].*
.*--no-safety +skip the live-database hazard report' '' "help verify documents --no-safety" \
	-- "$MIGRATE_BIN" help verify
command_checks_all 0 '8 verify or[[:space:]]+up --dry-run found a[[:space:]]+live-database hazard' '' "help lists exit 8" -- "$MIGRATE_BIN" help
command_checks_all 2 '' 'unknown or incomplete option "--no-safety" for down' "down does not take --no-safety" \
	-- "$MIGRATE_BIN" -d "$url" down --no-safety

if ! pgb_available; then
	skip "pgbouncer is not installed (Debian package pgbouncer)" 3
	done_testing
	exit 0
fi
pgb=$(test_tmpdir)/pgb
pgb_start "$pgb" "$MIGRATE_TEST_PGDIR" || BAIL_OUT "cannot start pgbouncer"
bin=$(set_bin safe_codes)
pdb=$(fresh_db safe_pgb) || BAIL_OUT "cannot create a database"
purl=$(pgb_url "$pgb" "$pdb")
run_cmd "$bin" -d "$purl" up --to 1
psql_val "$pdb" "INSERT INTO rounds (player_id, points) SELECT g % 100, g FROM generate_series(1, 3000) g;
	INSERT INTO players (login, score) SELECT 'p' || g, g FROM generate_series(1, 3000) g" >/dev/null
run_cmd "$bin" -d "$purl" --json up --dry-run --to 4
is "$RC" 8 "through pgbouncer in transaction mode the dry run exits 8"
is "$(json_event "$OUT" hazard | jq -r '"\(.version) \(.code) \(.relation)"' | paste -sd,)" \
	"2 rewrite players,4 blocks-writes rounds" "and reports the rewrite and the index build"
run_cmd "$bin" -d "$purl" --json verify
is "$(json_event "$OUT" summary | jq -c '[.exit_code, .broken]')" "[8,0]" \
	"verify through pgbouncer reports hazards and no broken unit"

done_testing
