#!/usr/bin/env bash
# t520: every run that changes something stores the fingerprint in the
# newest history row; status reports drift when the schema changed by hand.
. "$(dirname "$0")/lib/tap.sh"

db=$(fresh_db drift) || BAIL_OUT "cannot create a database"
export DATABASE_URL=$(db_url "$db")
# the newest two versions in migrations/
read -r prev last < <(ls "$MIGRATE_ROOT/migrations" | sed -n 's/^0*\([0-9][0-9]*\)_[a-z0-9_]*\.\(pgc\|sql\)$/\1/p' | sort -n | tail -2 | paste -sd' ')
hash_of() { psql_val "$db" "SELECT coalesce(schema_hash, '') FROM schema_migrations WHERE version = $1"; }

run_migrate up
is "$RC" "0" "up applies the Red7 units"
live=$("$MIGRATE_BIN" schema | sha256sum | cut -c1-64)
is "$(hash_of "$last")" "$live" "the newest row holds the SHA-256 of the canonical schema text"
is "$(psql_val "$db" "SELECT count(*) FROM schema_migrations WHERE schema_hash IS NOT NULL")" "1" "only the run's last row holds a fingerprint"

run_migrate status --json
is "$(json_field "$OUT" drift)" "false" "no drift right after up"
is "$(json_field "$OUT" live_hash)" "$live" "status --json gives the live hash"
is "$(json_field "$OUT" recorded_hash)" "$live" "status --json gives the recorded hash"

run_migrate down
is "$RC" "0" "down rolls back one unit"
live=$("$MIGRATE_BIN" schema | sha256sum | cut -c1-64)
is "$(hash_of "$prev")" "$live" "down stores the new fingerprint in the newest remaining row"
command_checks_all 3 'no drift' '^$' "status --check exits 3 for the pending unit, without drift" -- "$MIGRATE_BIN" status --check
command_checks_all 3 'drift not checked' '^$' "status --check --no-drift still exits 3 for the pending unit" -- "$MIGRATE_BIN" status --check --no-drift
run_migrate up
is "$RC" "0" "up re-applies the unit"

psql_val "$db" "ALTER TABLE users ADD COLUMN nickname text" >/dev/null
command_checks_all 0 'drift: live [0-9a-f]{12}, recorded [0-9a-f]{12}' '^$' "status reports a hand-made change as drift and exits 0" -- "$MIGRATE_BIN" status
command_checks_all 3 'drift' '^$' "status --check exits 3 on drift" -- "$MIGRATE_BIN" status --check
run_migrate status --json
is "$(json_field "$OUT" drift)" "true" "status --json says drift: true"
isnt "$(json_field "$OUT" live_hash)" "$(json_field "$OUT" recorded_hash)" "the live and recorded hashes differ"

# --no-drift skips the fingerprint: the drift above goes unseen, on purpose.
command_checks_all 0 'drift not checked \(--no-drift\)' '^$' "status --no-drift says drift was not checked" -- "$MIGRATE_BIN" status --no-drift
command_checks_all 0 '0005 +create_game_rooms +applied' '^$' "status --check --no-drift exits 0: nothing pending, drift not checked" -- "$MIGRATE_BIN" status --check --no-drift
run_migrate status --json --no-drift
is "$RC" "0" "status --json --no-drift exits 0"
is "$(json_field "$OUT" drift)" "null" "status --json --no-drift gives drift null"
is "$(json_field "$OUT" live_hash)" "null" "and no live hash"
isnt "$(json_field "$OUT" recorded_hash)" "null" "but still the recorded hash"

psql_val "$db" "ALTER TABLE users DROP COLUMN nickname" >/dev/null
command_checks_all 0 'no drift' '^$' "undoing the change by hand ends the drift" -- "$MIGRATE_BIN" status --check

psql_val "$db" "UPDATE schema_migrations SET schema_hash = NULL" >/dev/null
run_migrate status --json
is "$(json_field "$OUT" drift)" "null" "without a recorded fingerprint drift is null, not true"
command_checks_all 0 'drift unknown' '^$' "status says drift is unknown without a recorded fingerprint" -- "$MIGRATE_BIN" status --check

done_testing
