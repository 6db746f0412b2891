#!/usr/bin/env bash
# t418: a run that records many units in one batch (up and down
# --single-transaction, baseline) works past the batch's result limit:
# thirty units, each row written in the run's one commit batch.
. "$(dirname "$0")/lib/tap.sh"

"$MIGRATE_ROOT/bench/gen-units" 30 "$PWD/many" "$PWD/many-sql" >/dev/null ||
	BAIL_OUT "cannot generate the units"
build_units many
[ "$RC" = 0 ] || BAIL_OUT "cannot build the units: $ERR"
bin=$PWD/out-many/migrate
rows() { psql_val "$1" "SELECT count(*) || ':' || coalesce(string_agg(DISTINCT state, ','), '') FROM schema_migrations"; }
tables() { psql_val "$1" "SELECT count(*) FROM pg_class WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace AND relname <> 'schema_migrations'"; }

db=$(fresh_db many) || BAIL_OUT "cannot create a database"
url=$(db_url "$db")
run_cmd "$bin" -d "$url" up --single-transaction
is "$RC" "0" "up --single-transaction applies thirty units"
is "$(rows "$db")" "30:applied" "with thirty history rows"
is "$(tables "$db")" "30" "and thirty tables"
run_cmd "$bin" -d "$url" down --all --single-transaction
is "$RC" "0" "down --all --single-transaction rolls them back"
is "$(rows "$db")" "0:" "no history row is left"
is "$(tables "$db")" "0" "nor a table"

db=$(fresh_db manyb) || BAIL_OUT "cannot create a database"
run_cmd "$bin" -d "$(db_url "$db")" baseline 30
is "$RC" "0" "baseline records thirty units"
is "$(rows "$db")" "30:baseline" "as thirty baseline rows"

done_testing
