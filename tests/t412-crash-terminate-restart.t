#!/usr/bin/env bash
# t412: the runner's backend terminated mid-unit (pg_terminate_backend),
# and the server restarted mid-run (pg_ctl restart -m fast): the runner
# exits 1 or 5 with a clear message, nothing of the interrupted unit
# remains, and a rerun completes.
. "$(dirname "$0")/lib/tap.sh"
. "$MIGRATE_ROOT/tests/lib/dbstate.sh"

bin=$(set_bin guard_slow)

# wait_sleeping DB: wait until a runner's session is inside pg_sleep.
wait_sleeping()
{
	local i
	for ((i = 0; i < 200; i++)); do
		[ "$(psql_val "$1" "SELECT count(*) FROM pg_stat_activity WHERE application_name LIKE 'migrate/%'
			AND query LIKE '%pg_sleep%' AND state = 'active'")" -gt 0 ] && return 0
		sleep 0.05
	done
	return 1
}

# ------------------------------------------------ pg_terminate_backend
db=$(fresh_db terminate) || BAIL_OUT "cannot create a database"
url=$(db_url "$db")
psql_val postgres "ALTER DATABASE \"$db\" SET migrate_test.delay = '20'"
run_bg victim "$bin" -d "$url" up
ok "the runner is inside the slow unit" wait_sleeping "$db"
is "$(psql_val "$db" "SELECT count(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity
	WHERE application_name LIKE 'migrate/%' AND datname = current_database()) t")" 1 \
	"its backend is terminated"
wait_bg victim
like "$RC" '^[15]$' "the runner exits 1 or 5 (got $RC)"
like "$OUT" '^up +0001 create_first +ok' "the unit before it was applied"
like "$ERR" 'lost the connection during unit 0002_slow_step \(up\); the server rolled back its transaction' \
	"the message names the unit and says it was rolled back"
like "$ERR" 'terminating connection due to administrator command' "and gives the server's reason"
is "$(psql_val "$db" "SELECT string_agg(version::text, ',' ORDER BY version) FROM schema_migrations")" 1 \
	"only the first unit is recorded"
is "$(psql_val "$db" "SELECT to_regclass('slow_second') IS NULL")" t "nothing of the interrupted unit remains"
psql_val postgres "ALTER DATABASE \"$db\" SET migrate_test.delay = '0'"
command_checks_all 0 '^up +0002 slow_step +ok.*
up +0003 create_third +ok' '^$' "a rerun completes" -- "$bin" -d "$url" up

# ------------------------------------------- a server restart mid-run
pgdir=$TEST_TMPDIR/pg
pg_start "$pgdir" || BAIL_OUT "cannot start a server"
rurl="postgresql:///restart?host=$pgdir&port=$(pg_port "$pgdir")&user=postgres"
psql -XAtq -d "postgresql:///postgres?host=$pgdir&port=$(pg_port "$pgdir")&user=postgres" \
	-c "CREATE DATABASE restart" -c "ALTER DATABASE restart SET migrate_test.delay = '20'" ||
	BAIL_OUT "cannot create a database on the private server"
run_bg victim2 env MIGRATE_CONNECT_RETRIES=0 "$bin" -d "$rurl" up
ok "the runner is inside the slow unit" wait_sleeping "$rurl"
ok "the server restarts (pg_ctl restart -m fast)" pg_restart "$pgdir"
wait_bg victim2
like "$RC" '^[15]$' "the runner exits 1 or 5 (got $RC)"
like "$ERR" 'lost the connection during unit 0002_slow_step \(up\); the server rolled back its transaction' \
	"the message names the unit and says it was rolled back"
is "$(psql_val "$rurl" "SELECT string_agg(version::text, ',' ORDER BY version) FROM schema_migrations")" 1 \
	"only the first unit is recorded"
is "$(psql_val "$rurl" "SELECT to_regclass('slow_second') IS NULL")" t "nothing of the interrupted unit remains"
psql_val "$rurl" "ALTER DATABASE restart SET migrate_test.delay = '0'"
command_checks_all 0 '^up +0002 slow_step +ok.*
up +0003 create_third +ok' '^$' "a rerun after the restart completes" -- "$bin" -d "$rurl" up

done_testing
