#!/usr/bin/env bash
# t416: only the last commit of a run waits for the disk, so every unit a
# run reports must survive a crash of the server right after it: the last
# commit (or, after a failure, a flush) makes the earlier ones durable.
. "$(dirname "$0")/lib/tap.sh"

pgdir=$(test_tmpdir)/dur
PG_DURABLE=1 pg_start "$pgdir" wal_writer_delay=10000ms || BAIL_OUT "cannot start a durable server"
export PGHOST=$pgdir PGPORT=$(pg_port "$pgdir")
crash() {
	_pg_as "$(_pg_bindir)/pg_ctl" -D "$pgdir/data" -m immediate -w stop >/dev/null 2>&1
	PG_DURABLE=1 pg_start "$pgdir" wal_writer_delay=10000ms >/dev/null || BAIL_OUT "cannot restart the server"
	PGPORT=$(pg_port "$pgdir")
}
versions() { psql_val "$1" "SELECT string_agg(version::text, ',' ORDER BY version) FROM schema_migrations"; }

db=$(fresh_db durable) || BAIL_OUT "cannot create a database"
run_migrate -d "$(db_url "$db")" up --to 5
is "$RC" "0" "up --to 5 applies the Red7 notebook units"
crash
is "$(versions "$db")" "1,2,3,4,5" "every applied unit survives a crash right after the run"
is "$(psql_val "$db" "SELECT count(*) FROM pg_class WHERE relname IN ('users', 'user_room')")" "2" "and so do their tables"

run_migrate -d "$(db_url "$db")" down --step 3
is "$RC" "0" "down rolls back three units"
crash
is "$(versions "$db")" "1,2" "every rolled-back unit stays rolled back after a crash"

db=$(fresh_db durablefail) || BAIL_OUT "cannot create a database"
run_cmd "$(set_bin durable)" -d "$(db_url "$db")" up
is "$RC" "1" "the third test unit fails"
crash
is "$(versions "$db")" "1,2" "the units before the failing one survive a crash right after the run"

done_testing
