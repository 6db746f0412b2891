#!/usr/bin/env bash
# t704: a plain-SQL unit that runs in a transaction costs one round trip:
# its statements, its history row, COMMIT and the next unit's opening go
# in one simple-query message (src/sql_batch.h).  Counted on a server
# this test starts with log_min_duration_statement = 0 (one "duration:"
# line per round trip).  A statement that fails in the middle of such a
# unit is still reported at its .sql line, with the same message, JSON
# and exit code as when the statements go one at a time, and the unit is
# rolled back; a syntax error (the server parses the whole message first)
# is reported the same way; lock timeouts are retried; a signal cancels
# the unit's statement and rolls the unit back; .pgc units mix in;
# a unit that changes how the server reads strings keeps its statements
# one at a time; and connection cuts never leave a unit half-applied.
. "$(dirname "$0")/lib/tap.sh"
. "$MIGRATE_ROOT/tests/lib/roundtrips.sh"

roundtrips_server
trips=$(set_bin sql_trips)

# ---------------------------------------------------- one round trip per unit
# Units 0001 to 0005 are .sql units: the opening batch, one message per
# unit (the last unit's without bookkeeping, as its fingerprint has to
# follow its statements), the fingerprint, and the last commit.
UNITS=5
db=$(fresh_db rt_sql) || BAIL_OUT "cannot create a database"
run_logged "$trips" "$db" up --to $UNITS
is "$RC" 0 "up --to 5 applies five .sql units"
like "$OUT" "$UNITS applied" "and says so"
note "up of $UNITS .sql units: $(count_lines "$TRIPS" .) round trips"
is "$(count_lines "$TRIPS" .)" $((UNITS + 3)) \
	"one round trip per unit, plus the opening, the fingerprint and the last commit ($UNITS + 3)"
is "$(count_lines "$TRIPS" '^SELECT; CREATE TABLE trip_t[0-9]{4} .*; CREATE INDEX trip_t[0-9]{4}_name_idx .*; INSERT INTO "public"\."schema_migrations" .*; COMMIT; BEGIN; .*pg_advisory_xact_lock')" \
	$((UNITS - 1)) "each unit but the last sends its statements, its row, COMMIT and the next opening in one message"
is "$(count_lines "$TRIPS" '^SELECT; CREATE TABLE trip_t0005 .*; CREATE INDEX trip_t0005_name_idx .*;$')" 1 \
	"the last unit's message holds its statements only"
is "$(count_lines "$TRIPS" 'SAVEPOINT migrate_schema_pin')" 1 "then the fingerprint"
is "$(count_lines "$TRIPS" 'COMMIT;$')" 1 "and the last commit, with the fingerprint's row"
is "$(count_lines "$TRIPS" '^CREATE ')" 0 "no statement of a .sql unit goes alone"
is "$(psql_val "$db" "SELECT count(*) FROM schema_migrations WHERE state = 'applied' AND duration_ms >= 0")|$(psql_val "$db" "SELECT count(*) FROM pg_indexes WHERE indexname LIKE 'trip_t%_name_idx'")" \
	"$UNITS|$UNITS" "every unit has its row and its index"

# ------------------------------------------------------ .pgc units mix in
# 0006 is a .pgc unit (two statements, each a round trip, then its
# commit batch); 0007 a .sql unit (one message); 0008 a .sql unit that
# sets standard_conforming_strings, so its four statements go one at a
# time (it is the last: then the fingerprint and the commit).
run_logged "$trips" "$db" up
is "$RC" 0 "up applies a .pgc unit between .sql units"
like "$OUT" '0006 trip_t0006 +ok' "the .pgc unit"
like "$OUT" '0007 trip_t0007 +ok' "the .sql unit after it"
is "$(count_lines "$TRIPS" .)" $((1 + 2 + 1 + 1 + 4 + 1 + 1)) \
	"1 opening + 2 + 1 for the .pgc unit + 1 for the .sql unit + 4 statements, fingerprint and commit for the last"
is "$(count_lines "$TRIPS" '^SELECT; CREATE TABLE trip_t0007 .*; CREATE INDEX trip_t0007_name_idx .* -- no semicolon of its own; ; SELECT CASE .*; COMMIT; BEGIN; ')" 1 \
	"the .sql unit after the .pgc one goes in one message, its last statement closed on a line of its own"
is "$(psql_val "$db" "SELECT count(*) FROM pg_indexes WHERE indexname = 'trip_t0007_name_idx'")" 1 \
	"and that statement ran"
is "$(count_lines "$TRIPS" '^(SET LOCAL standard_conforming_strings|INSERT INTO trip_escape)')" 2 \
	"the unit that changes how strings are read sends its statements one at a time"
is "$(psql_val "$db" "SELECT length(v) FROM trip_escape")" 3 \
	"so 'a\\\\b' is read with standard_conforming_strings off, as psql reads it"
is "$(psql_val "$db" "SELECT count(*) FROM schema_migrations")" 8 "all eight units are applied"

# Which units the build gives the runner as data (the one-message path):
# not those that change how the server reads later statements, nor
# no-transaction ones.
mkdir -p lex
printf -- '-- migrate:up\n-- migrate:accept no-such-hazard lex_plain\nCREATE TABLE lex_plain (v text);\n' >lex/0001_plain.sql
printf -- '-- migrate:up\nSET NAMES '"'"'UTF8'"'"';\nCREATE TABLE lex_names (v text);\n' >lex/0002_names.sql
printf -- '-- migrate:up\nSET LOCAL client_encoding = '"'"'UTF8'"'"';\n' >lex/0003_encoding.sql
printf -- '-- migrate:up\nset local Backslash_Quote = on;\n' >lex/0004_quote.sql
printf -- '-- migrate:up transaction:false\nCREATE TABLE lex_notxn (v text);\n' >lex/0005_notxn.sql
build_units lex
is "$RC" 0 "units that set the client encoding or backslash_quote build"
for u in 0001_plain:1 0002_names:0 0003_encoding:0 0004_quote:0 0005_notxn:0; do
	is "$(grep -c 'MIGRATE_SQL_UNIT(.*, &sql_steps);' "out-lex/sql/${u%:*}.pgc")" "${u#*:}" \
		"${u%:*}: its statements $([ "${u#*:}" = 1 ] && echo "may go in one message" || echo "go one at a time")"
done
# An accept line naming no known hazard is warned about whichever way
# the statements go.
for mode in "" --single-transaction; do
	ldb=$(fresh_db "lex$mode") || BAIL_OUT "cannot create a database"
	command_checks_all 0 '0001 plain +ok' \
		'lex/0001_plain\.sql:2: MIGRATE_ACCEPT names no known hazard code \("no-such-hazard"\)' \
		"up $mode: an unknown hazard code in an accept line is warned about" \
		-- out-lex/migrate -d "$(db_url "$ldb")" up --to 2 $mode
done

run_logged "$trips" "$db" down --all
is "$RC" 0 "down --all rolls back .sql and .pgc units"
like "$OUT" '0 applied, 8 rolled back' "all eight"
# Down runs 0008 (one statement at a time), 0007, the .pgc 0006, 0005 to
# 0002, and 0001 last (its message without bookkeeping).
is "$(count_lines "$TRIPS" '^SELECT; DROP TABLE trip_t[0-9]{4}; SELECT CASE WHEN .* DELETE FROM "public"\."schema_migrations" WHERE version = [0-9]+; COMMIT; BEGIN; ')" 5 \
	"each other .sql down step goes in one message with its row's deletion and COMMIT"
is "$(count_lines "$TRIPS" '^SELECT; DROP TABLE trip_t0001;$')" 1 "the last one's message holds its statement only"
is "$(psql_val "$db" "SELECT count(*) FROM schema_migrations")|$(psql_val "$db" "SELECT count(*) FROM pg_class WHERE relname LIKE 'trip%'")" \
	"0|0" "nothing is left"

# ------------------------------------------- a failing statement in the middle
# 0002_four's third statement (line 7, a SELECT over three lines) fails
# when it runs: reported at its line, as the statements one at a time
# (--single-transaction) report it; 0001 stays, 0002 leaves nothing.
mid=$(set_bin sql_mid_fail)
file=tests/units/sql_mid_fail/0002_four.sql
db=$(fresh_db mid) || BAIL_OUT "cannot create a database"
command_checks_all 1 '^up +0001 before +ok' \
	"^migrate: error: $file:7: unit 0002_four failed \\(up step\\); it was rolled back" \
	"the third of four statements fails: exit 1 at its .sql line" -- "$mid" -d "$(db_url "$db")" up
like "$ERR" 'server: relation "mid_no_such_table" does not exist \(SQLSTATE 42P01\)' \
	"with the server's message and SQLSTATE"
is "$(psql_val "$db" "SELECT string_agg(relname, ',' ORDER BY relname) FROM pg_class WHERE relname LIKE 'mid%'")" \
	"mid_before" "the unit's first two statements were rolled back, the unit before it stays"
is "$(psql_val "$db" "SELECT string_agg(version::text, ',') FROM schema_migrations")" 1 \
	"and only the unit before it has a history row"
run_cmd "$mid" -d "$(db_url "$db")" --json up
is "$RC" 1 "the JSON run exits 1 too"
batched=$(json_event "$OUT" error | jq -S .)
is "$(jq -r '"\(.file):\(.line) \(.sqlstate) \(.exit_code) \(.unit)"' <<<"$batched")" \
	"$file:7 42P01 1 0002_four" "the JSON error names the file, line, SQLSTATE and unit"
db2=$(fresh_db mid_one) || BAIL_OUT "cannot create a database"
run_cmd "$mid" -d "$(db_url "$db2")" --json up --single-transaction
is "$(json_event "$OUT" error | jq -S .)" "$batched" \
	"the JSON error is the one the statements sent one at a time give"

syn=$(set_bin sql_mid_syntax)
file=tests/units/sql_mid_syntax/0002_four.sql
db=$(fresh_db syn) || BAIL_OUT "cannot create a database"
command_checks_all 1 '^up +0001 before +ok' \
	"migrate: error: $file:7: unit 0002_four failed \\(up step\\); it was rolled back" \
	"a syntax error in the third statement is reported at its line" -- "$syn" -d "$(db_url "$db")" -v up
like "$ERR" 'server: syntax error at or near "SELEKT" \(SQLSTATE 42601\)' "with the server's message"
like "$ERR" 'could not parse its statements as one message' \
	"-v says the statements went again one at a time"
is "$(psql_val "$db" "SELECT string_agg(relname, ',' ORDER BY relname) FROM pg_class WHERE relname LIKE 'mid%'")|$(psql_val "$db" "SELECT string_agg(version::text, ',') FROM schema_migrations")" \
	"mid_before|1" "nothing of the unit is left; the unit before it stays"

# ------------------------------------------------------------ lock timeouts
# 0002_add_email needs ACCESS EXCLUSIVE on accounts while a reader's
# transaction holds ACCESS SHARE: each attempt times out (55P03), rolls
# back and is retried after a backoff.
lock=$(set_bin sql_lock)
db=$(fresh_db lock) || BAIL_OUT "cannot create a database"
url=$(db_url "$db")
command_checks_all 0 '' '' "up --to 1 creates accounts" -- "$lock" -d "$url" up --to 1
run_bg holder psql -XAtq -d "$db" -c "BEGIN" -c "SELECT count(*) FROM accounts" -c "SELECT pg_sleep(3)" -c "COMMIT"
ok "a reader holds a lock on accounts" wait_query "$db" 'SELECT pg_sleep(3)%'
command_checks_all 4 '' \
	'tests/units/sql_lock/0002_add_email\.sql:4: unit 0002_add_email \(up\) did not get a table lock within lock_timeout after 2 retries; it was rolled back' \
	"a batched unit that keeps timing out is retried, then exits 4 at its line" \
	-- env MIGRATE_LOCK_RETRIES=2 "$lock" -d "$url" --lock-timeout 200ms -v up
is "$(grep -c 'retrying' <<<"$ERR")" 2 "it retried exactly lock_retries (2) times"
is "$(psql_val "$db" "SELECT string_agg(version::text, ',') FROM schema_migrations")|$(psql_val "$db" "SELECT count(*) FROM information_schema.columns WHERE table_name = 'accounts' AND column_name = 'email'")" \
	"1|0" "nothing of the unit is left"
wait_bg holder

run_bg holder psql -XAtq -d "$db" -c "BEGIN" -c "SELECT count(*) FROM accounts" -c "SELECT pg_sleep(1)" -c "COMMIT"
ok "a reader holds the lock again, for a second" wait_query "$db" 'SELECT pg_sleep(1)%'
run_cmd env MIGRATE_LOCK_RETRIES=8 "$lock" -d "$url" --lock-timeout 200ms -v up
is "$RC" 0 "once the reader is done, a retry applies the unit and the next one"
ok "after at least one retry" test "$(grep -c 'retrying' <<<"$ERR")" -ge 1
is "$(psql_val "$db" "SELECT string_agg(version::text, ',' ORDER BY version) FROM schema_migrations")|$(psql_val "$db" "SELECT count(*) FROM information_schema.columns WHERE table_name = 'accounts' AND column_name = 'email'")" \
	"1,2,3|1" "every unit is applied, the column there"
wait_bg holder

# ---------------------------------------------------------------- signals
# SIGINT and SIGTERM while 0002_slow's message sleeps in its second
# statement: the statement is cancelled, the rest of the message (its
# COMMIT included) is skipped, and the unit is rolled back.
sig=$(set_bin sql_signal)
sleeping()
{
	local i
	for ((i = 0; i < 200; i++)); do
		[ "$(psql_val "$1" "SELECT count(*) FROM pg_stat_activity WHERE application_name LIKE 'migrate/%'
			AND datname = current_database() AND query LIKE '%pg_sleep(60)%' AND state = 'active'")" = 1 ] && return 0
		sleep 0.05
	done
	return 1
}
for s in INT:130 TERM:143; do
	db=$(fresh_db "sig_${s%%:*}") || BAIL_OUT "cannot create a database"
	"$sig" -d "$(db_url "$db")" up >sig.out 2>sig.err </dev/null &
	pid=$!
	ok "SIG${s%%:*}: the runner sleeps inside the unit's message" sleeping "$db"
	kill "-${s%%:*}" "$pid"
	wait "$pid"
	is "$?" "${s#*:}" "SIG${s%%:*}: the runner exits ${s#*:}"
	like "$(<sig.err)" "interrupted \\(SIG${s%%:*}\\) during unit 0002_slow \\(up step\\): its statement was cancelled and the unit rolled back" \
		"SIG${s%%:*}: the message names the unit and says it was rolled back"
	is "$(psql_val "$db" "SELECT string_agg(version::text, ',') FROM schema_migrations")|$(psql_val "$db" "SELECT string_agg(relname, ',' ORDER BY relname) FROM pg_class WHERE relname LIKE 'sig%'")" \
		"1|sig_first" "SIG${s%%:*}: only the unit before it is applied, nothing of it is left"
done

# ---------------------------------------------------------- connection cuts
# bench/netproxy cuts the connection before the client's Nth message
# (the start-up is the first), in the middle of a message that commits,
# and after one that committed but before its answer arrived.  Every cut
# run exits 5 saying so, and every history row has its table and index
# and every table its row; an uncut up then completes.
. "$MIGRATE_ROOT/tests/lib/netproxy.sh"
export MIGRATE_CONNECT_RETRIES=0 MIGRATE_LOCK_TIMEOUT=2s MIGRATE_LOCK_RETRIES=1
check_sql="SELECT coalesce(string_agg(p, ' '), '') FROM (
	SELECT 'row-without-schema:' || version AS p FROM schema_migrations h
		WHERE version <= 5 AND to_regclass(format('trip_t%s_name_idx', lpad(version::text, 4, '0'))) IS NULL
	UNION ALL
	SELECT 'schema-without-row:' || v FROM generate_series(1, 5) v
		WHERE to_regclass(format('trip_t%s', lpad(v::text, 4, '0'))) IS NOT NULL
		AND NOT EXISTS (SELECT 1 FROM schema_migrations WHERE version = v)) p"
db=$(fresh_db cuts) || BAIL_OUT "cannot create a database"
direct=$(db_url "$db")
command_checks_all 0 '' '' "an uncut up and down --all leave the history table" -- \
	sh -c '"$1" -d "$2" up --to 5 && "$1" -d "$2" down --all' sh "$trips" "$direct"
cuts=0
for spec in trips:2 trips:3 'match:COMMIT;-10' 'reply:COMMIT;' trips:4 trips:5 trips:6 trips:7 trips:8; do
	proxy_start "$spec" "$db"
	run_cmd "$trips" -d "$PURL" up --to 5
	proxy_stop
	if [ "$RC" = 0 ]; then
		note "$spec: nothing left to cut"
	else
		cuts=$((cuts + 1))
		is "$RC" 5 "cut ($spec): exit 5"
		like "${ERR%%$'\n'*}" '^migrate: error: .*lost the connection' "cut ($spec): says the connection was lost"
	fi
	for ((i = 0; i < 100; i++)); do
		[ "$(psql_val "$db" "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()")" = 0 ] && break
		sleep 0.05
	done
	is "$(psql_val "$db" "$check_sql")" "" "cut ($spec): every row has its table and index, every table its row"
	case $spec in
	'match:COMMIT;-10')
		is "$(psql_val "$db" "SELECT count(*) FROM schema_migrations")" 0 \
			"cut ($spec): the first unit's message never arrived whole: nothing ran"
		;;
	'reply:COMMIT;')
		like "$ERR" 'committing unit 0001_trip_t0001 \(up step\) with its history row: lost the connection' \
			"cut ($spec): the message names the unit whose commit was cut"
		like "$ERR" 'whether the server committed it is unknown.*migrate status' \
			"cut ($spec): and says that only status can tell"
		is "$(psql_val "$db" "SELECT count(*) FROM schema_migrations")" 1 \
			"cut ($spec): the server had run the message: the first unit committed with its row"
		;;
	esac
	# the next cut starts from nothing applied again
	command_checks_all 0 '' '' "cut ($spec): then an uncut up and down --all" -- \
		sh -c '"$1" -d "$2" up --to 5 && "$1" -d "$2" down --all' sh "$trips" "$direct"
done
is "$cuts" 9 "every run was cut"
command_checks_all 0 '' '' "an uncut up --to 5 completes after the cuts" -- "$trips" -d "$direct" up --to 5
is "$(psql_val "$db" "SELECT count(*) FROM schema_migrations")|$(psql_val "$db" "$check_sql")" "5|" \
	"and every unit is applied with its schema"

done_testing
