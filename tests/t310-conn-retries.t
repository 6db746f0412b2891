#!/usr/bin/env bash
# t310-conn-retries: failures that can pass (refused, timeout, name
# resolution, 57P03 starting up) are retried with backoff, within
# connect_timeout each; a wrong password and a missing database fail at
# once with exit 5; the message gives libpq's reason, host, port,
# database and user.
. "$(dirname "$0")/lib/tap.sh"

# Milliseconds since the epoch.
now_ms()
{
	echo $(($(date +%s%N) / 1000000))
}

# The waits ("next in N ms") of a -v run, one per line.
waits()
{
	grep -oE 'next in [0-9]+ ms' <<<"$1" | grep -oE '[0-9]+'
}

srv=$(test_tmpdir)/pg
pg_start_scram "$srv" || BAIL_OUT "cannot start a private server"
SPORT=$(pg_port "$srv")
spsql()
{
	psql -XAtq -v ON_ERROR_STOP=1 -h "$srv" -p "$SPORT" -U postgres -d postgres "$@" </dev/null
}
spsql -c "CREATE ROLE mig_retry LOGIN PASSWORD 'right-one-7'" || BAIL_OUT "cannot create a role"
spsql -c "CREATE DATABASE retrydb" || BAIL_OUT "cannot create a database"
spsql -c "CREATE DATABASE pwdb OWNER mig_retry" || BAIL_OUT "cannot create a database"
URL="postgresql://postgres@127.0.0.1:$SPORT/retrydb"

# ------------------------------------------- the server comes up meanwhile
pg_stop "$srv" || BAIL_OUT "cannot stop the private server"
t0=$(now_ms)
MIGRATE_CONNECT_RETRIES=6 run_migrate_bg late -v -d "$URL" up --to 5
sleep 2
PG_PORT=$SPORT pg_start "$srv" password_encryption=scram-sha-256 || BAIL_OUT "cannot restart the private server"
wait_bg late
elapsed=$(($(now_ms) - t0))
is "$RC" 0 "up started while the server is down succeeds once it comes up ~2 s later"
like "$OUT" 'up: 5 applied' "every unit is applied after the retries"
like "$ERR" 'connection attempt 1 of 7 failed, next in [0-9]+ ms: connection to server at "127\.0\.0\.1", port [0-9]+ failed: Connection refused' \
	"-v shows the refused attempts and the wait before the next"
like "$ERR" 'connected to host=127\.0\.0\.1 port=[0-9]+ dbname=retrydb user=postgres in [0-9]+ ms \(attempt [2-7]\)' \
	"-v shows which attempt connected"
is "$(psql_val "postgresql://postgres@127.0.0.1:$SPORT/retrydb" 'select count(*) from schema_migrations')" 5 \
	"the late server holds the applied units"
note "server down for ~2 s: up finished after $elapsed ms: $(grep -oE 'attempt [0-9]+\)' <<<"$ERR")"

# ---------------------------------------------------------------- backoff
run_cmd env MIGRATE_CONNECT_RETRIES=3 "$MIGRATE_BIN" -v -d "postgresql://postgres@127.0.0.1:1/x" version
is "$RC" 5 "a refused connection exits 5 once the retries are spent"
like "$ERR" 'could not connect to host=127\.0\.0\.1 port=1 dbname=x user=postgres \(gave up after 4 attempts\)' \
	"the message names host, port, database and user and the attempts"
like "$ERR" 'detail: connection to server at "127\.0\.0\.1", port 1 failed: Connection refused' \
	"the detail is libpq's reason for the last attempt"
mapfile -t w < <(waits "$ERR")
is "${#w[@]}" 3 "three retries wait three times"
ok "the first wait is 250 ms +- 20% (${w[0]:-?})" test "${w[0]:-0}" -ge 200 -a "${w[0]:-0}" -le 300
ok "the second wait is 500 ms +- 20% (${w[1]:-?})" test "${w[1]:-0}" -ge 400 -a "${w[1]:-0}" -le 600
ok "the third wait is 1000 ms +- 20% (${w[2]:-?})" test "${w[2]:-0}" -ge 800 -a "${w[2]:-0}" -le 1200
note "refused, 3 retries: waits ${w[*]} ms"

run_cmd env MIGRATE_CONNECT_RETRIES=0 "$MIGRATE_BIN" -v -d "postgresql://postgres@127.0.0.1:1/x" version
is "$RC" 5 "with connect_retries 0 a refused connection exits 5"
unlike "$ERR" 'next in|gave up after' "with connect_retries 0 there is one attempt only"

# ------------------------------------------------------ permanent failures
t0=$(now_ms)
command_checks_all 5 '' 'could not connect to host=127\.0\.0\.1 port=[0-9]+ dbname=pwdb user=mig_retry \(not retried.*
detail: .*password authentication failed for user "mig_retry"' \
	"a wrong password exits 5 with libpq's reason" \
	-- "$MIGRATE_BIN" -d "postgresql://mig_retry:wrong-one-7@127.0.0.1:$SPORT/pwdb" up
elapsed=$(($(now_ms) - t0))
ok "a wrong password fails at once ($elapsed ms < 3000 ms)" test "$elapsed" -lt 3000
unlike "$ERR" 'wrong-one' "the message does not show the password"
command_checks_all 0 '^0$' '' "the right password connects" \
	-- "$MIGRATE_BIN" -d "postgresql://mig_retry:right-one-7@127.0.0.1:$SPORT/pwdb" version

t0=$(now_ms)
command_checks_all 5 '' 'could not connect to host=127\.0\.0\.1 port=[0-9]+ dbname=nosuchdb user=postgres \(not retried.*
detail: .*database "nosuchdb" does not exist' \
	"a missing database exits 5 with libpq's reason" \
	-- "$MIGRATE_BIN" -v -d "postgresql://postgres@127.0.0.1:$SPORT/nosuchdb" up
elapsed=$(($(now_ms) - t0))
ok "a missing database fails at once ($elapsed ms < 3000 ms)" test "$elapsed" -lt 3000
unlike "$ERR" 'next in' "a missing database is not retried"
command_checks_all 5 '^$' 'role "nobody" does not exist' "a missing role exits 5 at once" \
	-- "$MIGRATE_BIN" -d "postgresql://nobody@127.0.0.1:$PGPORT/postgres" version
unlike "$ERR" 'gave up after' "a missing role is not retried"

# ---------------------------------------- starting up (57P03), and timeouts
if command -v python3 >/dev/null 2>&1; then
	run_bg fake_starting python3 "$MIGRATE_ROOT/tests/lib/fake_pg.py" starting "$PWD/starting.port"
	run_bg fake_silent python3 "$MIGRATE_ROOT/tests/lib/fake_pg.py" silent "$PWD/silent.port"
	at_exit 'kill $(cat "$TEST_TMPDIR/starting.port.pid" "$TEST_TMPDIR/silent.port.pid" 2>/dev/null) 2>/dev/null'
	for _ in $(seq 50); do
		[ -s starting.port ] && [ -s silent.port ] && break
		sleep 0.1
	done
	run_cmd env MIGRATE_CONNECT_RETRIES=2 "$MIGRATE_BIN" -v -d "postgresql://postgres@127.0.0.1:$(cat starting.port)/x" version
	is "$RC" 5 "a server that stays in startup exits 5 once the retries are spent"
	like "$ERR" 'connection attempt 2 of 3 failed, next in [0-9]+ ms: .*the database system is starting up' \
		"57P03 starting up is retried"
	like "$ERR" 'gave up after 3 attempts' "57P03 is retried connect_retries times"

	t0=$(now_ms)
	run_cmd env MIGRATE_CONNECT_RETRIES=1 "$MIGRATE_BIN" -v -d "postgresql://postgres@127.0.0.1:$(cat silent.port)/x?connect_timeout=2" version
	elapsed=$(($(now_ms) - t0))
	is "$RC" 5 "a server that never answers exits 5"
	like "$ERR" 'connection attempt 1 of 2 failed, next in [0-9]+ ms: .*timeout expired' \
		"an attempt ends when connect_timeout expires, and is retried"
	like "$ERR" 'gave up after 2 attempts' "the timeout is retried connect_retries times"
	ok "two attempts of connect_timeout=2 end within 20 s ($elapsed ms)" test "$elapsed" -lt 20000
	note "silent server, connect_timeout=2, 1 retry: $elapsed ms"
	kill "$(cat starting.port.pid)" "$(cat silent.port.pid)" 2>/dev/null
	wait_bg fake_starting
	wait_bg fake_silent
else
	skip "python3 is not installed (the fake servers need it)" 7
fi

# ------------------------------------------------------- name resolution
t0=$(now_ms)
getent hosts migrate-test-nosuchhost.invalid >/dev/null 2>&1
if [ $(($(now_ms) - t0)) -lt 2000 ]; then
	run_cmd env MIGRATE_CONNECT_RETRIES=1 "$MIGRATE_BIN" -v -d "postgresql://postgres@migrate-test-nosuchhost.invalid/x" version
	is "$RC" 5 "an unknown host name exits 5"
	like "$ERR" 'connection attempt 1 of 2 failed, next in [0-9]+ ms: could not translate host name' \
		"a name that does not resolve is retried (DNS may be catching up)"
	like "$ERR" 'could not connect to host=migrate-test-nosuchhost\.invalid .*\(gave up after 2 attempts\)' \
		"the message names the host that did not resolve"
else
	skip "name resolution is slow here" 3
fi

done_testing
