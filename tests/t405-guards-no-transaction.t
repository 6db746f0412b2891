#!/usr/bin/env bash
# t405: a no-transaction unit (CREATE INDEX CONCURRENTLY) commits its
# 'running' row first, runs in autocommit and settles the row after; a
# second runner waits for it without holding a snapshot (which would stall
# the index build); a runner that dies leaves 'running', which later runs
# refuse (exit 6) until repair.
. "$(dirname "$0")/lib/tap.sh"
. "$MIGRATE_ROOT/tests/lib/dbstate.sh"

bin=$(set_bin guard_notxn)

# new_db NAME DELAY: a database with units up to 1 applied, whose index
# build on slow_key() takes about 20 x DELAY seconds.
new_db()
{
	local d
	d=$(fresh_db "$1") || BAIL_OUT "cannot create a database"
	psql_val postgres "ALTER DATABASE \"$d\" SET migrate_test.delay = '$2'"
	"$bin" -q -d "$(db_url "$d")" up --to 1 >/dev/null 2>&1 || BAIL_OUT "cannot apply unit 1 to $d"
	printf '%s\n' "$d"
}

# wait_running DB: wait until version 2's row is 'running'.
wait_running()
{
	local i
	for ((i = 0; i < 100; i++)); do
		[ "$(psql_val "$1" "SELECT state FROM schema_migrations WHERE version = 2")" = running ] && return 0
		sleep 0.05
	done
	return 1
}

# ---------------------------------------------------- two runners at once
db=$(new_db notxn 0.1)
url=$(db_url "$db")
run_bg first "$bin" -d "$url" up
ok "the first runner commits a 'running' row for the no-transaction unit before its step" wait_running "$db"
owner=$(psql_val "$db" "SELECT owner FROM schema_migrations WHERE version = 2")
like "$owner" '^migrate/[^/]+/[0-9]+/[0-9]+$' "the running row names its owner as migrate/<host>/<pid>/<start>"
is "$(psql_val "$db" "SELECT count(*) FROM pg_stat_activity WHERE application_name = '$owner'
	AND query ILIKE 'create index concurrently%' AND state = 'active'")" 1 \
	"the owner's session is building the index in autocommit, visible to others"

# Lock timeout 2 s x (3 + 1): a second runner that stalled the build (by
# holding a snapshot while waiting) would give up with exit 4 after 8 s.
run_bg second env MIGRATE_LOCK_RETRIES=3 "$bin" -d "$url" --lock-timeout 2s up
sleep 0.5
is "$(psql_val "$db" "SELECT state FROM schema_migrations WHERE version = 2")" running \
	"half a second later the index is still building"
is "$(psql_val "$db" "SELECT count(DISTINCT application_name) FROM pg_stat_activity
	WHERE datname = current_database() AND application_name LIKE 'migrate/%'")" 2 \
	"and the second runner is still there, waiting"
is "$(psql_val "$db" "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()
	AND application_name LIKE 'migrate/%' AND application_name <> '$owner'
	AND state = 'idle in transaction' AND backend_xmin IS NOT NULL
	AND now() - state_change > interval '100 ms'")" 0 \
	"the waiting runner holds no transaction with a snapshot open"

wait_bg first
is "$RC" 0 "the first runner completes"
like "$OUT" 'up +0002 index_items_concurrently +ok' "the first runner applied the no-transaction unit"
wait_bg second
is "$RC" 0 "the second runner exits 0 after waiting (it never stalled the index build)"
unlike "$OUT" 'up +0002' "the second runner did not apply the unit again"
is "$(psql_val "$db" "SELECT state || ',' || coalesce(owner, 'no owner') FROM schema_migrations WHERE version = 2")" \
	"applied,no owner" "the row was settled to applied and its owner cleared"
is "$(psql_val "$db" "SELECT indisvalid FROM pg_index WHERE indexrelid = 'items_slow_idx'::regclass")" t \
	"the index is valid"
is "$(psql_val "$db" "SELECT count(*) FROM schema_migrations")" 3 "every unit was applied exactly once"

# ------------------------------------------------ a runner that dies midway
db=$(new_db notxn_crash 0.1)
url=$(db_url "$db")
run_bg doomed "$bin" -d "$url" up
ok "the runner marks the no-transaction unit running" wait_running "$db"
owner=$(psql_val "$db" "SELECT owner FROM schema_migrations WHERE version = 2")
pid=${owner#migrate/*/}
pid=${pid%%/*}
ok "the runner is killed with SIGKILL mid-build" kill -9 "$pid"
wait_bg doomed
# its backend would finish the build unattended: stop it, as a crash would
psql_val "$db" "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = '$owner'" >/dev/null
ok "the dead runner's session goes away" wait_no_runner "$db"

run_cmd "$bin" -d "$url" --json status
is "$(json_field "$OUT" 'units[1].state')" running "status shows the unit as running"
run_cmd "$bin" -d "$url" status --check
is "$RC" 6 "status --check exits 6 on a running row"

before=$(db_state "$db")
command_checks_all 6 '' 'refusing to run up: left running by a runner that is gone: 0002 index_items_concurrently' \
	"up exits 6 at once naming the unit left running" -- "$bin" -d "$url" up
like "$ERR" 'hint: .*INVALID index.*migrate repair' "the refusal says to check, undo and repair"
is "$(db_state "$db")" "$before" "the refused up left the database exactly as it was"
command_checks_all 6 '' 'left running by a runner that is gone: 0002' \
	"down exits 6 too" -- "$bin" -d "$url" down
is "$(db_state "$db")" "$before" "the refused down left the database exactly as it was"
is "$(psql_val "$db" "SELECT indisvalid FROM pg_index WHERE indexrelid = 'items_slow_idx'::regclass")" f \
	"the interrupted build left an INVALID index behind"

command_checks_all 0 '^repair 0002 index_items_concurrently +running row deleted' '^$' \
	"repair deletes the running row of the dead runner" -- "$bin" -d "$url" repair
is "$(psql_val "$db" "SELECT count(*) FROM schema_migrations WHERE version = 2")" 0 "the row is gone"
run_cmd "$bin" -d "$url" --json status
is "$(json_field "$OUT" 'units[1].state')" pending "the unit is pending again"
psql_val "$db" "DROP INDEX items_slow_idx"
psql_val postgres "ALTER DATABASE \"$db\" SET migrate_test.delay = '0'"
command_checks_all 0 '^up +0002 index_items_concurrently +ok.*
up +0003 create_tags +ok' '^$' "after the operator dropped the index and repaired, up runs the unit again" \
	-- "$bin" -d "$url" up
is "$(psql_val "$db" "SELECT indisvalid FROM pg_index WHERE indexrelid = 'items_slow_idx'::regclass")" t \
	"the index is now valid"

# --------------------------------- a running row whose owner is still alive
db=$(new_db notxn_alive 0)
url=$(db_url "$db")
fake=migrate/elsewhere/4242/1700000000
run_bg holder env PGAPPNAME=$fake psql -XAtq -d "$db" -c "SELECT pg_sleep(30)"
psql_val "$db" "INSERT INTO schema_migrations (version, name, checksum, state, owner)
	SELECT 2, 'index_items_concurrently', 'x', 'running', '$fake'"
for ((i = 0; i < 100; i++)); do
	[ "$(psql_val "$db" "SELECT count(*) FROM pg_stat_activity WHERE application_name = '$fake'")" = 1 ] && break
	sleep 0.05
done
before=$(db_state "$db")
command_checks_all 4 '' 'still running' \
	"a runner waiting on a live owner gives up with exit 4 after lock_timeout x (lock_retries + 1)" \
	-- env MIGRATE_LOCK_RETRIES=1 "$bin" -d "$url" --lock-timeout 300ms up
is "$(db_state "$db")" "$before" "giving up left the database exactly as it was"
psql_val "$db" "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = '$fake'" >/dev/null
wait_bg holder
command_checks_all 6 '' 'left running by a runner that is gone: 0002' \
	"once the owner's session is gone, up exits 6 at once" -- "$bin" -d "$url" up
is "$(db_state "$db")" "$before" "that refusal left the database exactly as it was"

# ------------------------------------------------- --single-transaction
db=$(fresh_db notxn_single) || BAIL_OUT "cannot create a database"
before=$(db_state "$db")
command_checks_all 6 '' 'no-transaction unit cannot run in --single-transaction: 0002 index_items_concurrently' \
	"--single-transaction refuses a selection with a no-transaction unit" \
	-- "$bin" -d "$(db_url "$db")" up --single-transaction
is "$(db_state "$db")" "$before" "the refusal left the database exactly as it was, without a history table"
command_checks_all 0 '^up +0001 create_items +ok' '^$' \
	"--single-transaction --to 1 leaves the no-transaction unit out and works" \
	-- "$bin" -d "$(db_url "$db")" up --single-transaction --to 1

done_testing
