#!/usr/bin/env bash
# t605: SIGTERM and SIGINT (SPEC 5, "Signals"; exit codes 130/143 in
# SPEC 8): the runner cancels the statement running on the server, lets
# the server roll the unit back and exits 143 or 130; right after it
# exits no lock of its backend remains, the unit is not recorded, and the
# next up works.  Also when the signal arrives during a lock-retry or a
# connect-retry sleep, and during a no-transaction unit (whose 'running'
# row stays).
. "$(dirname "$0")/lib/tap.sh"

bin=$(set_bin eng_signal)

# runner_backend DB: "runner-pid backend-pid" of the runner sleeping in DB
runner_backend()
{
	psql_val "$1" "SELECT split_part(application_name, '/', 3) || ' ' || pid FROM pg_stat_activity
		WHERE application_name LIKE 'migrate/%' AND datname = current_database()
		AND query LIKE '%pg_sleep%' AND state = 'active' LIMIT 1"
}
wait_sleeping()
{
	local i
	for ((i = 0; i < 200; i++)); do
		[ -n "$(runner_backend "$1")" ] && return 0
		sleep 0.05
	done
	return 1
}
locks_of() { psql_val "$1" "SELECT count(*) FROM pg_locks WHERE pid = $2"; }
migrate_locks() { psql_val "$1" "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a USING (pid)
	WHERE a.application_name LIKE 'migrate/%' AND a.datname = current_database()"; }

# interrupt SIGNAL EXPECTED_RC: signals a runner inside the slow unit 0002
interrupt()
{
	local sig=$1 want=$2 db url pids t0 elapsed
	db=$(fresh_db "signal_$sig") || BAIL_OUT "cannot create a database"
	url=$(db_url "$db")
	psql_val postgres "ALTER DATABASE \"$db\" SET migrate_test.delay = '60'" >/dev/null
	"$bin" -d "$url" up >out.txt 2>err.txt </dev/null &
	local pid=$!
	ok "$sig: the runner is inside the slow unit, holding ACCESS EXCLUSIVE on sig_t" wait_sleeping "$db"
	pids=$(runner_backend "$db")
	is "${pids% *}" "$pid" "$sig: the runner's application_name names its pid"
	is "$(psql_val "$db" "SELECT count(*) FROM pg_locks WHERE pid = ${pids#* } AND mode = 'AccessExclusiveLock'
		AND relation = 'sig_t'::regclass")" 1 "$sig: its backend holds ACCESS EXCLUSIVE on sig_t"
	t0=$(date +%s%N)
	kill "-$sig" "$pid"
	wait "$pid"
	RC=$?
	elapsed=$((($(date +%s%N) - t0) / 1000000))
	is "$(locks_of "$db" "${pids#* }")" 0 "$sig: right after the runner exits its backend holds no lock"
	is "$(migrate_locks "$db")" 0 "$sig: no session of the runner holds any lock (advisory or relation)"
	is "$RC" "$want" "$sig: the runner exits $want"
	ok "$sig: it exits at once (${elapsed} ms), not after the unit's sleep" test "$elapsed" -lt 20000
	like "$(<err.txt)" "interrupted \\(SIG$sig\\) during unit 0002_slow_lock \\(up step\\): its statement was cancelled and the unit rolled back" \
		"$sig: the message names the unit and says it was rolled back"
	is "$(psql_val "$db" "SELECT string_agg(version::text, ',' ORDER BY version) FROM schema_migrations")" 1 \
		"$sig: only the unit before it is recorded"
	is "$(psql_val "$db" "SELECT to_regclass('sig_two') IS NULL")" t "$sig: nothing of the interrupted unit remains"
	psql_val postgres "ALTER DATABASE \"$db\" SET migrate_test.delay = '0'" >/dev/null
	command_checks_all 0 'up +0002 slow_lock +ok' '^$' "$sig: the next up works" -- "$bin" -d "$url" up
}
interrupt TERM 143
interrupt INT 130

# ----------------------------------------- a no-transaction unit
db=$(fresh_db signal_notxn) || BAIL_OUT "cannot create a database"
url=$(db_url "$db")
psql_val postgres "ALTER DATABASE \"$db\" SET migrate_test.notxn_delay = '60'" >/dev/null
"$bin" -d "$url" up >out.txt 2>err.txt </dev/null &
pid=$!
ok "the runner is inside the no-transaction unit" wait_sleeping "$db"
pids=$(runner_backend "$db")
kill -TERM "$pid"
wait "$pid"
RC=$?
is "$(locks_of "$db" "${pids#* }")" 0 "right after the runner exits its backend holds no lock"
is "$RC" 143 "the runner exits 143"
like "$(<err.txt)" "interrupted \\(SIGTERM\\) during no-transaction unit 0003_slow_notxn \\(up step\\).*stays 'running'" \
	"the message says the no-transaction unit's row stays running"
is "$(psql_val "$db" "SELECT state FROM schema_migrations WHERE version = 3")" running "its 'running' row stays"
run_cmd "$bin" -d "$url" up
is "$RC" 6 "the next up refuses until repair"
psql_val postgres "ALTER DATABASE \"$db\" SET migrate_test.notxn_delay = '0'" >/dev/null
command_checks_all 0 'repair +0003' '^$' "repair clears the row" -- "$bin" -d "$url" repair
command_checks_all 0 'up +0003 slow_notxn +ok' '^$' "then up applies the unit" -- "$bin" -d "$url" up

# ----------------------------------------- during lock-retry sleeps
db=$(fresh_db signal_lock) || BAIL_OUT "cannot create a database"
url=$(db_url "$db")
"$bin" -d "$url" up --to 1 >/dev/null 2>&1
psql -XAtq -d "$url" -c "SET application_name = 'eng_holder'" -c "BEGIN" -c "LOCK TABLE sig_t" \
	-c "SELECT pg_sleep(60)" >/dev/null 2>&1 </dev/null &
holder=$!
at_exit "psql -XAtq -d '$url' -c \"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'eng_holder'\" >/dev/null 2>&1; kill $holder 2>/dev/null"
sleep 0.5
MIGRATE_LOCK_TIMEOUT=100ms MIGRATE_LOCK_RETRIES=100 "$bin" -v -d "$url" up >out.txt 2>err.txt </dev/null &
pid=$!
for ((i = 0; i < 100; i++)); do grep -q 'retrying' err.txt && break; sleep 0.1; done
like "$(<err.txt)" 'retrying' "the runner is retrying the table lock"
t0=$(date +%s%N)
kill -INT "$pid"
wait "$pid"
RC=$?
elapsed=$((($(date +%s%N) - t0) / 1000000))
is "$RC" 130 "SIGINT during lock retries: exit 130"
ok "at once (${elapsed} ms)" test "$elapsed" -lt 5000
is "$(migrate_locks "$db")" 0 "no session of the runner holds a lock"
is "$(psql_val "$db" "SELECT string_agg(version::text, ',' ORDER BY version) FROM schema_migrations")" 1 \
	"the unit that waited is not recorded"
psql_val "$url" "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'eng_holder'" >/dev/null
wait "$holder" 2>/dev/null

# ----------------------------------------- during connect-retry sleeps
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
MIGRATE_CONNECT_RETRIES=50 "$bin" -v -d "postgresql://postgres@127.0.0.1:$port/none?connect_timeout=2" up >out.txt 2>err.txt </dev/null &
pid=$!
for ((i = 0; i < 100; i++)); do grep -q 'connection attempt' err.txt && break; sleep 0.1; done
like "$(<err.txt)" 'connection attempt 1 of 51 failed' "the runner is waiting to connect again"
t0=$(date +%s%N)
kill -INT "$pid"
wait "$pid"
RC=$?
elapsed=$((($(date +%s%N) - t0) / 1000000))
is "$RC" 130 "SIGINT while waiting to connect again: exit 130"
ok "at once (${elapsed} ms)" test "$elapsed" -lt 3000
like "$(<err.txt)" 'interrupted \(SIGINT\) while waiting to connect again' "the message says so"

# ----------------------------------------- between two statements of a unit
# The signal comes while the unit runs C code, no statement on the server:
# the cancel is repeated until the runner stops, so the unit's next
# statement (a 60 s sleep) is cancelled as soon as it starts.
db=$(fresh_db signal_between) || BAIL_OUT "cannot create a database"
url=$(db_url "$db")
psql_val postgres "ALTER DATABASE \"$db\" SET migrate_test.delay4 = '60'" >/dev/null
"$bin" -d "$url" up >out.txt 2>err.txt </dev/null &
pid=$!
for ((i = 0; i < 200; i++)); do
	[ "$(psql_val "$db" "SELECT count(*) FROM pg_stat_activity WHERE application_name LIKE 'migrate/%'
		AND state = 'idle in transaction' AND query LIKE '%sig_four_marker%'")" = 1 ] && break
	sleep 0.05
done
ok "the runner is in the unit's pause, between two statements" test "$i" -lt 200
t0=$(date +%s%N)
kill -TERM "$pid"
wait "$pid"
RC=$?
elapsed=$((($(date +%s%N) - t0) / 1000000))
is "$RC" 143 "the runner exits 143"
ok "before the unit's next statement runs its 60 s (${elapsed} ms)" test "$elapsed" -lt 15000
is "$(migrate_locks "$db")" 0 "no session of the runner holds a lock"
is "$(psql_val "$db" "SELECT coalesce(max(version), 0) FROM schema_migrations")" 3 "the unit is not recorded"
is "$(psql_val "$db" "SELECT to_regclass('sig_four_marker') IS NULL")" t "nothing of it remains"

# ----------------------------------------------------- during verify
db=$(fresh_db signal_verify) || BAIL_OUT "cannot create a database"
url=$(db_url "$db")
"$bin" -d "$url" up --to 1 >/dev/null 2>&1
psql_val postgres "ALTER DATABASE \"$db\" SET migrate_test.delay = '60'" >/dev/null
"$bin" -d "$url" verify >out.txt 2>err.txt </dev/null &
pid=$!
ok "verify: the runner is inside the slow unit's round trip" wait_sleeping "$db"
pids=$(runner_backend "$db")
kill -TERM "$pid"
wait "$pid"
RC=$?
is "$(locks_of "$db" "${pids#* }")" 0 "verify: right after the runner exits its backend holds no lock"
is "$RC" 143 "verify: SIGTERM exits 143, not a verdict"
like "$(<err.txt)" "interrupted \\(SIGTERM\\)" "verify: the message says it was interrupted"
unlike "$(<out.txt)" "0002 .*(failed|broken)" "verify: no verdict is made up for the cancelled unit"
is "$(psql_val "$db" "SELECT string_agg(version::text, ',' ORDER BY version) FROM schema_migrations")" 1 \
	"verify: the history is as before"

done_testing
