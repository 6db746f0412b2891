#!/usr/bin/env bash
# t090: what up and down cost in round trips, read from the log of a
# server this test starts with log_min_duration_statement = 0 (one
# "duration:" line per simple Query message or Execute, that is per round
# trip).  The runner's design (docs/performance.md): one batch opens the
# first transaction (BEGIN; SELECT set_config of the timeouts and the
# marker; SELECT pg_advisory_xact_lock; the history table; re-read); then
# per unit its own statements and one batch that checks the marker,
# writes the history row, commits and opens the next unit's transaction
# the same way; plus one fingerprint per run.  With --single-transaction
# the batch that ends each unit is only a check that the runner's
# transaction is still open.
. "$(dirname "$0")/lib/tap.sh"
. "$MIGRATE_ROOT/tests/lib/roundtrips.sh"

roundtrips_server
UNITS=5

# The Red7 units 0001 to 0005, which `up --to 5` applies (a glob sorts).
UNIT_FILES=("$MIGRATE_ROOT"/migrations/*.pgc)
UNIT_FILES=("${UNIT_FILES[@]:0:UNITS}")

own_up=$(own_statements up "${UNIT_FILES[@]}")
own_down=$(own_statements down "${UNIT_FILES[@]}")
ok "the five Red7 units have up statements to count" test "$own_up" -ge $UNITS
ok "and down statements" test "$own_down" -ge $UNITS

# The fingerprint's own cost: everything `schema` sends, an upper bound.
db=$(fresh_db rt_schema) || BAIL_OUT "cannot create a database"
run_logged "$MIGRATE_BIN" "$db" schema
is "$RC" 0 "schema runs on an empty database"
fp=$(count_lines "$TRIPS" .)
note "schema: $fp round trips"

# ---------------------------------------------------------------- up
db=$(fresh_db rt_up) || BAIL_OUT "cannot create a database"
run_logged "$MIGRATE_BIN" "$db" up --to $UNITS
is "$RC" 0 "up --to 5 applies the Red7 units"
like "$OUT" "$UNITS applied" "and says it applied five"
total=$(count_lines "$TRIPS" .)
runner=$((total - own_up))
note "up: $total round trips, $own_up of them the units' own statements, $runner the runner's; schema alone: $fp"
ok "up costs one round trip per unit beyond the units' own statements, plus the first opening and the fingerprint ($runner <= $UNITS + 1 + $fp)" \
	test "$runner" -le $((UNITS + 1 + fp))
is "$(count_lines "$TRIPS" "BEGIN; SELECT pg_catalog.set_config\\('lock_timeout', '[0-9]+', true\\), pg_catalog.set_config\\('statement_timeout', '[0-9]+', true\\), pg_catalog.set_config\\('migrate.unit_txn', pg_catalog.concat\\(pg_catalog.pg_backend_pid\\(\\), .*, true\\).*; SELECT pg_catalog.pg_advisory_xact_lock\\([0-9-]+\\); .*SELECT .* FROM \"public\"\\.\"schema_migrations\"")" \
	$UNITS "each unit's transaction opens with BEGIN, one SELECT setting the timeouts and the marker, the lock and the re-read"
is "$(count_lines "$TRIPS" 'CREATE TABLE IF NOT EXISTS "public"\."schema_migrations"')" 1 \
	"the history table is created in the first unit's opening batch only"
is "$(count_lines "$TRIPS" '^SELECT CASE WHEN pg_catalog.current_setting\('"'migrate.unit_txn'"', true\) = pg_catalog.concat\(pg_catalog.pg_backend_pid\(\), .*; INSERT INTO "public"\."schema_migrations" .*; COMMIT;')" $UNITS \
	"each unit ends with one batch that checks the marker, writes its row and commits"
is "$(count_lines "$TRIPS" '; COMMIT; BEGIN; ')" $((UNITS - 1)) \
	"that batch also opens the next unit's transaction"
is "$(count_lines "$TRIPS" '^BEGIN')" 1 "only the first transaction opens in a round trip of its own"
is "$(count_lines "$TRIPS" 'COMMIT;')" $UNITS "and nothing else commits"
is "$(count_lines "$TRIPS" 'DO \$')" 0 "no PL/pgSQL block is compiled for the bookkeeping"
is "$(count_lines "$TRIPS" '^create table')" "$(count_lines "$(cat "${UNIT_FILES[@]}")" 'EXEC SQL CREATE TABLE')" \
	"every CREATE TABLE of the units reaches the server once, as a round trip of its own"

# A second up has nothing to do: one batch to look, one to end.
run_logged "$MIGRATE_BIN" "$db" up --to $UNITS
is "$RC" 0 "a second up has nothing to do"
ok "and costs at most two round trips" test "$(count_lines "$TRIPS" .)" -le 2

# ------------------------------------------------ up --single-transaction
db=$(fresh_db rt_single) || BAIL_OUT "cannot create a database"
run_logged "$MIGRATE_BIN" "$db" up --to $UNITS --single-transaction
is "$RC" 0 "up --single-transaction applies the Red7 units"
total=$(count_lines "$TRIPS" .)
runner=$((total - own_up))
note "up --single-transaction: $total round trips, $runner the runner's"
ok "up --single-transaction costs at most two round trips per unit beyond the units' statements, plus the fingerprint ($runner <= 2 x $UNITS + $fp)" \
	test "$runner" -le $((2 * UNITS + fp))
is "$(count_lines "$TRIPS" '^BEGIN')" 1 "it opens one transaction"
is "$(count_lines "$TRIPS" 'INSERT INTO "public"\."schema_migrations" .*; COMMIT;$')" 1 \
	"and writes every row and commits in one batch"

# -------------------------------------------------------------- down
run_logged "$MIGRATE_BIN" "$db" down --all
is "$RC" 0 "down --all rolls back the five units"
total=$(count_lines "$TRIPS" .)
runner=$((total - own_down))
note "down --all: $total round trips, $own_down of them the units' own statements, $runner the runner's"
ok "down --all costs one round trip per unit beyond the units' own statements, plus the first opening, the protection mark's read and the fingerprint ($runner <= $UNITS + 1 + 1 + $fp)" \
	test "$runner" -le $((UNITS + 1 + 1 + fp))
is "$(count_lines "$TRIPS" 'DELETE FROM "public"\."schema_migrations" WHERE version = [0-9]+; .*COMMIT;')" $UNITS \
	"each unit ends with one batch that deletes its row and commits"

# ------------------------------------------------- a no-transaction unit
# Unit 0012 of tests/units/net_cuts builds an index CONCURRENTLY.  After
# it, the runner's own BEGIN opens the next transaction: ECPG sends no
# BEGIN of its own, and the server logs no "already a transaction in
# progress" warning.
notxn_bin=$(set_bin net_cuts)
db=$(fresh_db rt_notxn) || BAIL_OUT "cannot create a database"
from=$(stat -c %s "$LOG")
run_logged "$notxn_bin" "$db" up --to 12
is "$RC" 0 "up --to 12 applies units with a no-transaction unit among them"
like "$TRIPS" 'create index concurrently' "the no-transaction unit ran"
is "$(count_lines "$TRIPS" '^begin transaction')" 0 "ECPG opened no transaction of its own"
run_logged "$notxn_bin" "$db" down --all
is "$RC" 0 "down --all rolls them back, the no-transaction unit among them"
like "$TRIPS" 'drop index concurrently' "the no-transaction unit's down ran"
is "$(count_lines "$TRIPS" '^begin transaction')" 0 "ECPG opened no transaction of its own"
is "$(tail -c +$((from + 1)) "$LOG" | grep -c 'already a transaction in progress')" 0 \
	"the server logged no warning of a BEGIN inside a transaction"

done_testing
