#!/usr/bin/env bash
# t407: a unit that hits lock_timeout (55P03) is rolled back and retried
# lock_retries times with backoff, then the runner exits 4 leaving nothing
# of the unit; meanwhile the game's queries never wait behind the runner
# for much longer than lock_timeout.
. "$(dirname "$0")/lib/tap.sh"
. "$MIGRATE_ROOT/tests/lib/dbstate.sh"

bin=$(set_bin guard_three)
db=$(fresh_db locks) || BAIL_OUT "cannot create a database"
url=$(db_url "$db")

run_cmd "$bin" -d "$url" up --to 10
is "$RC" 0 "up --to 10 creates the accounts table"
psql_val "$db" "INSERT INTO accounts (login) SELECT 'player' || g FROM generate_series(1, 100) g;
	CREATE TABLE lobby (id int); INSERT INTO lobby SELECT generate_series(1, 100)"


# game_script TABLE: 60 timed reads of TABLE, 50 ms apart (about 3.5 s).
game_script()
{
	local i
	echo '\timing on'
	for ((i = 0; i < 60; i++)); do
		echo "SELECT 'game', count(*) FROM $1;"
		echo "SELECT pg_sleep(0.05);"
	done
}

# slowest_read FILE: the longest "game" read in psql's \timing output, in
# whole milliseconds.
slowest_read()
{
	awk '/^game\|/ { want = 1; next }
		want && /^Time: / { t = $2 + 0; if (t > max) max = t; want = 0 }
		END { printf "%d\n", max }' "$1"
}

game_script accounts >game-accounts.sql
game_script lobby >game-lobby.sql

# A long game transaction has read accounts and keeps its ACCESS SHARE lock
# for 6 s: the unit's ALTER TABLE cannot get ACCESS EXCLUSIVE meanwhile.
run_bg holder psql -XAtq -d "$db" -c "BEGIN" -c "SELECT count(*) FROM accounts" -c "SELECT pg_sleep(6)" -c "COMMIT"
ok "a game transaction holds a lock on accounts" wait_query "$db" 'SELECT pg_sleep(6)%'
before=$(db_state "$db")
run_bg game psql -XAtq -d "$db" -f game-accounts.sql
run_bg lobby psql -XAtq -d "$db" -f game-lobby.sql
command_checks_all 4 '' 'tests/units/guard_three/0020_add_email.pgc:[0-9]+: unit 0020_add_email \(up\) did not get a table lock within lock_timeout after 2 retries; it was rolled back' \
	"the unit is retried, then the runner exits 4 naming it" \
	-- env MIGRATE_LOCK_RETRIES=2 "$bin" -d "$url" --lock-timeout 200ms -v up
like "$ERR" 'canceling statement due to lock timeout \(SQLSTATE 55P03\)' "the error gives the server's message and SQLSTATE"
is "$(grep -c 'retrying' <<<"$ERR")" 2 "it retried exactly lock_retries (2) times"
is "$(db_state "$db")" "$before" "nothing of the unit is left: the database is exactly as it was"
is "$(psql_val "$db" "SELECT count(*) FROM information_schema.columns WHERE table_name = 'accounts' AND column_name = 'email'")" \
	0 "the column the unit adds is not there"
wait_bg game
is "$RC" 0 "the game's reads of the locked table all succeeded"
printf '%s\n' "$OUT" >game-accounts.out
accounts_ms=$(slowest_read game-accounts.out)
wait_bg lobby
printf '%s\n' "$OUT" >game-lobby.out
lobby_ms=$(slowest_read game-lobby.out)
diag "slowest game read: accounts ${accounts_ms} ms, lobby ${lobby_ms} ms (lock_timeout 200 ms)"
ok "no game read of accounts waited much longer than lock_timeout (${accounts_ms} ms < 1500 ms)" test "$accounts_ms" -lt 1500
ok "no game read of another table waited either (${lobby_ms} ms < 1500 ms)" test "$lobby_ms" -lt 1500
wait_bg holder
is "$RC" 0 "the long game transaction was never disturbed"

# the same refusal in JSON
run_bg holder2 psql -XAtq -d "$db" -c "BEGIN" -c "LOCK TABLE accounts IN ACCESS EXCLUSIVE MODE" -c "SELECT pg_sleep(3)" -c "COMMIT"
ok "another session holds an ACCESS EXCLUSIVE lock on accounts" wait_query "$db" 'SELECT pg_sleep(3)%'
run_cmd env MIGRATE_LOCK_RETRIES=1 "$bin" -d "$url" --lock-timeout 200ms --json up
is "$RC" 4 "with --json the runner exits 4 too"
is "$(json_event "$OUT" error | jq -r '.exit_code, .sqlstate, .unit' | paste -sd,)" "4,55P03,0020_add_email" \
	"the JSON error carries exit code 4, SQLSTATE 55P03 and the unit"
wait_bg holder2

# a lock released during the retries: the unit goes through
run_bg holder3 psql -XAtq -d "$db" -c "BEGIN" -c "SELECT count(*) FROM accounts" -c "SELECT pg_sleep(0.6)" -c "COMMIT"
ok "a short game transaction holds a lock on accounts" wait_query "$db" 'SELECT pg_sleep(0.6)%'
command_checks_all 0 '^up +0020 add_email +ok.*
up +0030 create_rooms +ok' 'retrying' "when the lock is released during the retries, the unit is applied" \
	-- env MIGRATE_LOCK_RETRIES=5 "$bin" -d "$url" --lock-timeout 200ms -v up
wait_bg holder3

# the migration lock itself: a runner busy with a slow unit holds it
sbin=$(set_bin guard_slow)
sdb=$(fresh_db locks_slow) || BAIL_OUT "cannot create a database"
psql_val postgres "ALTER DATABASE \"$sdb\" SET migrate_test.delay = '3'"
run_bg slow "$sbin" -d "$(db_url "$sdb")" up
ok "a runner is inside a slow unit" wait_query "$sdb" '%pg_sleep%'
command_checks_all 4 '' 'the migration lock or a table lock was not granted within lock_timeout \(200 ms\) after 1 retries' \
	"a second runner that cannot get the migration lock exits 4" \
	-- env MIGRATE_LOCK_RETRIES=1 "$sbin" -d "$(db_url "$sdb")" --lock-timeout 200ms up
wait_bg slow
is "$RC" 0 "the first runner completes"

# The batch that commits a unit also opens the next unit's transaction.
# When that opening waits out lock_timeout (another session took the
# migration lock the moment the COMMIT released it), the unit stays
# committed and the next opening is retried as usual.
odb=$(fresh_db locks_open) || BAIL_OUT "cannot create a database"
psql_val postgres "ALTER DATABASE \"$odb\" SET migrate_test.delay = '2'"
run_bg opener env MIGRATE_LOCK_RETRIES=10 "$sbin" -d "$(db_url "$odb")" --lock-timeout 300ms -v up
ok "a runner is inside the slow unit 0002" wait_query "$odb" '%pg_sleep%'
key=$(psql_val "$odb" "SELECT (classid::bigint << 32) | objid::bigint FROM pg_locks
	WHERE locktype = 'advisory' AND objsubid = 1 AND granted
		AND database = (SELECT oid FROM pg_database WHERE datname = current_database())")
like "$key" '^-?[0-9]+$' "the runner holds the migration lock (key $key)"
run_bg taker psql -XAtq -d "$odb" -c "SELECT 'got', pg_advisory_lock($key)" -c "SELECT pg_sleep(1.5)" \
	-c "SELECT pg_advisory_unlock($key)"
ok "another session queues for the migration lock" wait_query "$odb" '%pg_advisory_lock(%'
wait_bg opener
is "$RC" 0 "the runner completes"
like "$ERR$OUT" 'opening the next transaction failed .*lock timeout.*; opening it again' \
	"its commit batch committed unit 0002, then could not open 0003's transaction within lock_timeout"
like "$OUT" 'up +0002 slow_step +ok' "unit 0002 is reported applied"
like "$OUT" 'up +0003 create_third +ok' "and 0003 after the retried opening"
is "$(psql_val "$odb" "SELECT string_agg(version::text, ',' ORDER BY version) FROM schema_migrations")" \
	"1,2,3" "each unit has its history row, once"
is "$(psql_val "$odb" "SELECT count(*) FROM slow_second")" 1 "unit 0002's step ran once"
wait_bg taker
is "$RC" 0 "the other session got the lock and let it go"
like "$OUT" 'got' "while the runner waited"

done_testing
