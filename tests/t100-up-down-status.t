#!/usr/bin/env bash
# t100: up, down, redo, status and version on the Red7 units, with their
# exit codes, JSON and the history table read back.
. "$(dirname "$0")/lib/tap.sh"

db=$(fresh_db up) || BAIL_OUT "cannot create a database"
export DATABASE_URL=$(db_url "$db")

tables() { psql_val "$db" "SELECT string_agg(relname, ',' ORDER BY relname) FROM pg_class WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace AND relname <> 'schema_migrations'"; }
versions() { psql_val "$db" "SELECT string_agg(version::text, ',' ORDER BY version) FROM schema_migrations"; }

command_checks_all 0 '^0$' '^$' "version on an empty database works" -- "$MIGRATE_BIN" version

command_checks_all 3 'pending' '^$' "status --check exits 3 when units are pending" -- "$MIGRATE_BIN" status --check

# 0001-0005 are the notebook's seven tables; the units after them are t805's
command_checks_all 0 '^up +0001 create_users +ok' '^$' "up --to 5 applies the Red7 notebook units" -- "$MIGRATE_BIN" up --to 5
like "$OUT" 'up +0005 create_game_rooms +ok +[0-9]+ ms' "up prints one line per unit with its duration"
like "$OUT" '5 applied' "up ends with a summary line"
is "$(versions)" "1,2,3,4,5" "the history table holds versions 1 to 5"
is "$(tables)" "achievements,game_rooms,profiles,statistics,user_achievements,user_room,users" "the seven notebook tables exist"

cols=$(psql_val "$db" "SELECT string_agg(column_name || ':' || data_type || ':' || is_nullable, ' ' ORDER BY ordinal_position) FROM information_schema.columns WHERE table_name = 'schema_migrations'")
is "$cols" "version:bigint:NO name:text:NO checksum:text:NO state:text:NO applied_at:timestamp with time zone:NO applied_by:text:NO duration_ms:integer:NO schema_hash:text:YES owner:text:YES" "the history table has exactly the SPEC's columns"
pk=$(psql_val "$db" "SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = 'schema_migrations'::regclass AND contype = 'p'")
is "$pk" "PRIMARY KEY (version)" "version is the history table's primary key"
sum=$(sha256sum "$MIGRATE_ROOT/migrations/0003_create_statistics.pgc" | cut -c1-64)
is "$(psql_val "$db" "SELECT checksum FROM schema_migrations WHERE version = 3")" "$sum" "the stored checksum is the SHA-256 of the unit file"
is "$(psql_val "$db" "SELECT count(*) FROM schema_migrations WHERE state = 'applied' AND applied_by = current_user")" "5" "rows are applied by the connecting user"
is "$(psql_val "$db" "SELECT count(*) FROM schema_migrations WHERE schema_hash IS NOT NULL")" "1" "one fingerprint is stored per run"
is "$(psql_val "$db" "SELECT version FROM schema_migrations WHERE schema_hash IS NOT NULL")" "5" "the fingerprint is stored in the run's last row"

command_checks_all 0 'nothing to do' '^$' "a second up has nothing to do" -- "$MIGRATE_BIN" up --to 5
command_checks_all 0 '^0005$' '^$' "version prints the highest applied version" -- "$MIGRATE_BIN" version
command_checks_all 3 'pending' '^$' "status --check exits 3 while later units are pending" -- "$MIGRATE_BIN" status --check
run_migrate up
command_checks_all 0 'applied' '^$' "status --check exits 0 when everything is applied" -- "$MIGRATE_BIN" status --check
run_migrate down --to 5
is "$RC $(versions)" "0 1,2,3,4,5" "down --to 5 goes back to the notebook units"

run_migrate status --json
is "$RC" "0" "status --json exits 0"
is "$(json_field "$OUT" current_version)" "5" "status --json gives current_version"
nunits=$(ls "$MIGRATE_ROOT"/migrations | grep -c '^[0-9][0-9]*_[a-z0-9_]*\.\(pgc\|sql\)$')
is "$(json_field "$OUT" 'units | length')" "$nunits" "status --json lists every unit of migrations/"
is "$(json_field "$OUT" 'units[2].state')" "applied" "status --json gives each unit's state"
is "$(json_field "$OUT" 'units[2].checksum')" "$sum" "status --json gives each unit's checksum"
like "$(json_field "$OUT" 'units[0].applied_at')" '^[0-9]{4}-[0-9]{2}-[0-9]{2}T' "status --json gives applied_at in ISO 8601"
is "$(json_field "$OUT" drift)" "false" "status --json reports no drift after up"
is "$(json_field "$OUT" live_hash)" "$(json_field "$OUT" recorded_hash)" "live and recorded hashes agree"

command_checks_all 0 '^down +0005 create_game_rooms +ok' '^$' "down rolls back the newest unit" -- "$MIGRATE_BIN" down
is "$(versions)" "1,2,3,4" "down deleted only version 5's row"
is "$(tables)" "achievements,profiles,statistics,user_achievements,users" "down dropped only unit 5's tables"

command_checks_all 0 'down +0004.*down +0003' '^$' "down --step 2 rolls back two units newest first" -- "$MIGRATE_BIN" down --step 2
is "$(versions)" "1,2" "two rows remain"

command_checks_all 0 '^up +0003' '^$' "up --step 1 applies one unit" -- "$MIGRATE_BIN" up --step 1
is "$(versions)" "1,2,3" "up --step 1 applied version 3 only"
command_checks_all 0 '^up +0004' '^$' "up --to 4 stops at version 4" -- "$MIGRATE_BIN" up --to 0004
is "$(versions)" "1,2,3,4" "up --to 4 applied version 4 only"

command_checks_all 0 'down +0004.*up +0004' '^$' "redo rolls back and re-applies the newest unit" -- "$MIGRATE_BIN" redo
is "$(versions)" "1,2,3,4" "redo leaves the same versions applied"

command_checks_all 0 'down +0004.*down +0002' '^$' "down --to 1 rolls back everything above 1" -- "$MIGRATE_BIN" down --to 1
is "$(versions)" "1" "only version 1 remains"

before=$(pg_dump -s "$(db_url "$db")" | grep -v '^\\\(un\)\?restrict')
command_checks_all 0 'would_apply|would-up' '^$' "up --dry-run reports what would run" -- "$MIGRATE_BIN" up --dry-run
after=$(pg_dump -s "$(db_url "$db")" | grep -v '^\\\(un\)\?restrict')
is "$after" "$before" "up --dry-run leaves the schema as it was"
is "$(versions)" "1" "up --dry-run leaves the history as it was"

run_migrate up --json --single-transaction --to 5
is "$RC" "0" "up --single-transaction --json exits 0"
is "$(json_event "$OUT" applied | wc -l)" "4" "one applied event per unit"
is "$(json_event "$OUT" summary | jq -r .applied)" "4" "the summary counts four applied"
is "$(json_event "$OUT" summary | jq -r .exit_code)" "0" "the summary carries the exit code"
ok "every stdout line of --json is a JSON object" sh -c 'printf "%s\n" "$1" | jq -e -s "all(type == \"object\")" >/dev/null' _ "$OUT"
is "$(psql_val "$db" "SELECT count(DISTINCT applied_at) FROM schema_migrations WHERE version > 1")" "1" "--single-transaction applied the four units in one transaction"

command_checks_all 0 'down +0001' '^$' "down --all rolls back everything" -- "$MIGRATE_BIN" down --all
is "$(versions)" "" "no history rows remain"
is "$(tables)" "" "down --all leaves no table"

command_checks_all 2 '^$' 'only one of' "down with two selectors is a usage error" -- "$MIGRATE_BIN" down --all --step 2
command_checks_all 2 '^$' 'invalid version' "up --to with a bad version is a usage error" -- "$MIGRATE_BIN" up --to x1
command_checks_all 2 '^$' 'Try "migrate --help"' "an unknown option is a usage error" -- "$MIGRATE_BIN" up --bogus

done_testing
