#!/usr/bin/env bash
# t330-conn-pgbouncer: the core flows pass through a real PgBouncer in
# transaction pooling mode (up, down, status, four concurrent runners
# applying each unit exactly once), no advisory lock stays held on the
# server afterwards, and no-transaction units use direct_url when it is
# set (CREATE INDEX CONCURRENTLY on the direct connection).
. "$(dirname "$0")/lib/tap.sh"
. "$MIGRATE_ROOT/tests/lib/pgbouncer.sh"

pgb_available || skip_all "pgbouncer is not installed (Debian package pgbouncer)"

pgb=$(test_tmpdir)/pgb
pgb_start "$pgb" "$MIGRATE_TEST_PGDIR" || BAIL_OUT "cannot start pgbouncer"
is "$(grep -E '^pool_mode' "$pgb/pgbouncer.ini")" "pool_mode = transaction" "pgbouncer runs in transaction pooling mode"

# Advisory locks held on the suite server for database $1.
advisory_locks()
{
	psql_val postgres "select count(*) from pg_locks l join pg_database d on d.oid = l.database
		where l.locktype = 'advisory' and d.datname = '$1'"
}

# ---------------------------------------------------------- up, status, down
db=$(fresh_db) || BAIL_OUT "cannot create a database"
URL=$(pgb_url "$pgb" "$db")
command_checks_all 0 'up: 5 applied' '' "up through pgbouncer applies every unit" \
	-- "$MIGRATE_BIN" -d "$URL" up --to 5
is "$(psql_val "$db" 'select count(*) from schema_migrations')" 5 "the history holds every unit"
command_checks_all 0 '0005 +create_game_rooms +applied' '' "status through pgbouncer lists the units" \
	-- "$MIGRATE_BIN" -d "$URL" status
run_migrate --json -d "$URL" status
is "$(json_field "$OUT" current_version)" 5 "status --json through pgbouncer reports version 5"
command_checks_all 0 'down: 0 applied, 2 rolled back' '' "down through pgbouncer rolls back" \
	-- "$MIGRATE_BIN" -d "$URL" down --step 2
is "$(psql_val "$db" 'select max(version) from schema_migrations')" 3 "two units were rolled back"
command_checks_all 0 'up: 2 applied' '' "redo's pieces work through pgbouncer: up again" \
	-- "$MIGRATE_BIN" -d "$URL" up --to 5
command_checks_all 0 'redo: 1 applied, 1 rolled back' '' "redo through pgbouncer" \
	-- "$MIGRATE_BIN" -d "$URL" redo
is "$(advisory_locks "$db")" 0 "no advisory lock is left held after the serial runs"

# ---------------------------------------------- four runners at once
cdb=$(fresh_db concurrent) || BAIL_OUT "cannot create a database"
CURL=$(pgb_url "$pgb" "$cdb")
for i in 1 2 3 4; do
	run_migrate_bg "r$i" --json -d "$CURL" up --to 5
done
applied=0
for i in 1 2 3 4; do
	wait_bg "r$i"
	is "$RC" 0 "concurrent runner $i through pgbouncer exits 0"
	n=$(json_field "$(json_event "$OUT" summary)" applied)
	applied=$((applied + ${n:-0}))
done
is "$applied" 5 "the four runners applied five units between them, each exactly once"
is "$(psql_val "$cdb" 'select count(*) from schema_migrations')" 5 "the history has one row per unit"
is "$(psql_val "$cdb" "select count(*) from pg_tables where schemaname = 'public' and tablename <> 'schema_migrations'")" 7 \
	"the seven Red7 tables exist once"
is "$(advisory_locks "$cdb")" 0 "no advisory lock is left held after the concurrent runs"
is "$(psql_val postgres "select count(*) from pg_stat_activity where datname = '$cdb' and state like 'idle in transaction%'")" 0 \
	"no server session is left inside a transaction"

# ------------------------------------------------ direct_url and CONCURRENTLY
BIN=$(set_bin conn)
ddb=$(fresh_db direct) || BAIL_OUT "cannot create a database"
DIRECT="host=127.0.0.1 port=$PGPORT dbname=$ddb user=postgres"
command_checks_all 0 'up +0002 index_things +ok' '' \
	"a no-transaction unit runs with MIGRATE_DIRECT_URL while the rest goes through pgbouncer" \
	-- env MIGRATE_DIRECT_URL="$DIRECT" "$BIN" -d "$(pgb_url "$pgb" "$ddb")" up
is "$(psql_val "$ddb" "select server_addr from conn_probe where unit = 2")" 127.0.0.1 \
	"CREATE INDEX CONCURRENTLY ran on the direct connection (TCP), not through pgbouncer (socket)"
is "$(psql_val "$ddb" "select indisvalid from pg_index where indexrelid = 'things_id_idx'::regclass")" t \
	"the concurrently built index is valid"
is "$(psql_val "$ddb" "select string_agg(state, ',' order by version) from schema_migrations")" applied,applied,applied \
	"every row is applied, none left running"
command_checks_all 0 'down +0002 index_things +ok' '' "the no-transaction down step uses direct_url too" \
	-- env MIGRATE_DIRECT_URL="$DIRECT" "$BIN" -d "$(pgb_url "$pgb" "$ddb")" down --step 2
is "$(psql_val "$ddb" "select count(*) from pg_class where relname = 'things_id_idx'")" 0 "the index is gone"

pdb=$(fresh_db pooled) || BAIL_OUT "cannot create a database"
command_checks_all 0 'up +0002 index_things +ok' '' \
	"without direct_url the no-transaction unit runs through pgbouncer in autocommit" \
	-- "$BIN" -d "$(pgb_url "$pgb" "$pdb")" up
is "$(psql_val "$pdb" "select server_addr from conn_probe where unit = 2")" socket \
	"then it ran on pgbouncer's server connection"
is "$(advisory_locks "$ddb")$(advisory_locks "$pdb")" 00 "no advisory lock is left held after the no-transaction runs"

# ------------------------------------------------------------- create-db
newdb="pgb_new_$$"
command_checks_all 0 "created database \"$newdb\"" '' "create-db works through pgbouncer" \
	-- "$MIGRATE_BIN" -d "$(pgb_url "$pgb" "$newdb")" create-db
command_checks_all 0 "dropped database \"$newdb\"" '' "drop-db works through pgbouncer" \
	-- "$MIGRATE_BIN" -d "$(pgb_url "$pgb" "$newdb")" drop-db

done_testing
