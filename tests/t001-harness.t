#!/usr/bin/env bash
# t001-harness: the test harness itself (tests/lib/tap.sh and pg.sh) and
# the suite's shared server work, so that later failures are migrate's.
. "$(dirname "$0")/lib/tap.sh"

TAP_SH=$MIGRATE_ROOT/tests/lib/tap.sh

# Run a small TAP script with tap.sh in a child bash; its temporary
# directory goes under ours.
child()
{
	run_cmd env MIGRATE_TEST_TMP="$(test_tmpdir)" bash -c ". \"\$1\"; $1" child "$TAP_SH"
}

# ------------------------------------------------------------ the server
ok "the suite server is reachable through PGHOST and PGPORT" \
	psql -XAtq -d postgres -c 'select 1'
is "$PGUSER" postgres "PGUSER is postgres"
like "$MIGRATE_TEST_PGDIR" '^/' "MIGRATE_TEST_PGDIR is an absolute path"

db=$(fresh_db) || BAIL_OUT "fresh_db cannot create a database"
like "$db" '^t001_harness_[0-9]+_[0-9]+$' "fresh_db names the database after the test"
is "$(psql_val "$db" 'select current_database()')" "$db" \
	"psql_val connects to the new database"
is "$(psql_val "$(db_url "$db")" 'select current_database()')" "$db" \
	"db_url gives a URL that psql accepts"
is "$(db_url "$db")" "postgresql:///$db?host=$PGHOST&port=$PGPORT&user=postgres" \
	"db_url has host, port and user"
db2=$(fresh_db "Other-Name")
like "$db2" '^other_name_' "fresh_db takes a prefix and makes it a valid name"
isnt "$db2" "$db" "two fresh databases differ"
is "$(psql_val "$db" 'select count(*) from pg_class where relnamespace = '"'"'public'"'"'::regnamespace')" 0 \
	"a fresh database has an empty public schema"
fails "psql_val fails on an SQL error" psql_val "$db" 'select * from no_such_table'
is "$(psql_val postgres 'show fsync')" off "the test server runs without fsync"

# --------------------------------------------------------- the assertions
is "a b" "a b" "is passes on equal strings"
isnt "a" "b" "isnt passes on different strings"
like "hello world" '^hello +w' "like matches an extended regex"
unlike "hello" '^world' "unlike passes when the regex does not match"
like "line1
line2" 'line2$' "like sees every line of a multi-line value"
ok "ok runs a command and passes when it succeeds" test 1 -lt 2
fails "fails passes when the command fails" test 2 -lt 1

child 'plan 1; is a b "deliberately different"'
is "$RC" 1 "a failing is makes the test exit 1"
like "$OUT" '(^|
)not ok 1 - deliberately different' "a failing is prints not ok"
like "$ERR" "got: 'a'" "a failing is prints what it got"
like "$ERR" "expected: 'b'" "a failing is prints what it expected"
like "$ERR" "kept " "a failing test keeps its temporary directory"

child 'like abc "^b" "no match"; unlike abc "^a" "match"; ok "false fails" false; done_testing'
is "$RC" 3 "three failures make the test exit 3"
like "$OUT" 'not ok 1 - no match' "a failing like prints not ok"
like "$OUT" 'not ok 2 - match' "a failing unlike prints not ok"
like "$OUT" 'not ok 3 - false fails' "a failing ok prints not ok"
like "$OUT" '1\.\.3' "done_testing prints the plan"
like "$ERR" "Failed test 'no match'" "a failure names the failed test"
printf '. %q\nis a b "in a file"\ndone_testing\n' "$TAP_SH" >"$(test_tmpdir)/f.t"
run_cmd env MIGRATE_TEST_TMP="$(test_tmpdir)" bash f.t
like "$ERR" "at f\.t line 2\." "a failure says at which file and line it happened"

child 'plan 2; pass "one"'
isnt "$RC" 0 "running fewer tests than planned fails"
like "$ERR" 'planned 2 tests but ran 1' "and says so"

child 'pass "one"'
isnt "$RC" 0 "a test without a plan fails"

child 'plan 3; skip "not here" 2; pass "three"'
is "$RC" 0 "skipped tests count toward the plan"
like "$OUT" 'ok 1 # skip not here' "skip prints a skip directive"

child 'skip_all "nothing to do"'
is "$RC" 0 "skip_all exits 0"
like "$OUT" '^1\.\.0 # SKIP nothing to do' "skip_all prints an empty plan"

child 'plan 2; pass "one"; BAIL_OUT "stop here"; pass "two"'
is "$RC" 255 "BAIL_OUT exits 255"
like "$OUT" 'Bail out!  stop here' "BAIL_OUT prints Bail out!"

child 'pass "a # b"; done_testing'
like "$OUT" 'ok 1 - a \\# b' "a # in a test name is escaped"

child 'd=$(test_tmpdir); at_exit "echo at-exit-ran"; touch "$d/x"; echo "$d"; pass "p"; done_testing'
dir=$(sed -n 1p <<<"$OUT")
is "$RC" 0 "a passing test exits 0"
like "$OUT" 'at-exit-ran' "at_exit code runs at exit"
ok "a passing test removes its temporary directory" test ! -e "$dir"

# ------------------------------------------------------- running commands
MIGRATE_BIN=/bin/sh run_migrate -c 'echo out; echo err >&2; exit 3'
is "$RC" 3 "run_migrate sets RC"
is "$OUT" out "run_migrate sets OUT"
is "$ERR" err "run_migrate sets ERR"
run_cmd sh -c 'read x; echo "read:$x"'
is "$OUT" "read:" "commands get an empty stdin"

command_checks_all 2 '^to stdout$' 'to stderr' "command_checks_all checks all three" \
	-- sh -c 'echo to stdout; echo to stderr >&2; exit 2'

child 'command_checks_all 0 "^x$" "^$" "cca" -- sh -c "echo y; exit 1"; done_testing'
like "$OUT" 'not ok 1 - cca: exit code' "command_checks_all reports a wrong exit code"
like "$OUT" 'not ok 2 - cca: stdout' "command_checks_all reports a wrong stdout"
like "$OUT" 'ok 3 - cca: stderr' "command_checks_all passes a matching stderr"

run_bg slow sh -c 'sleep 0.3; echo slow; exit 4'
run_bg fast sh -c 'echo fast'
wait_bg fast
is "$OUT/$RC" "fast/0" "wait_bg returns the output of one background command"
wait_bg slow
is "$OUT/$RC" "slow/4" "and of another, in any order"

MIGRATE_TEST_TIMEOUT=1 run_cmd sleep 5 2>/dev/null
is "$RC" 124 "a command that runs too long is stopped"

# ------------------------------------------------------- JSON, dirs, sets
ok "jq is installed" command -v jq
json='{"event":"summary","exit_code":0,"units":[{"version":3,"state":"applied"}]}'
is "$(json_field "$json" exit_code)" 0 "json_field reads a field"
is "$(json_field "$json" 'units[0].state')" applied "json_field reads a path"
is "$(json_field "$json" missing)" null "json_field prints null for a missing field"
events='{"event":"applied","version":1}
{"event":"applied","version":2}
{"event":"summary","applied":2}'
is "$(json_event "$events" summary)" '{"event":"summary","applied":2}' \
	"json_event picks the events of one kind"
is "$(json_event "$events" applied | wc -l)" 2 "json_event prints every match"

tmp=$(test_tmpdir)
ok "test_tmpdir is a directory" test -d "$tmp"
is "$PWD" "$tmp" "a test runs inside its temporary directory"
ok "test_tmpdir is writable" touch "$tmp/file"
is "$(set_bin demo 2>/dev/null)" "$MIGRATE_BUILD/t/demo/migrate" "set_bin names the binary of a unit set"
like "$MIGRATE_BUILD" '^/' "MIGRATE_BUILD is absolute"
like "$MIGRATE_BIN" '^/' "MIGRATE_BIN is absolute"
ok "DATABASE_URL does not leak into tests" test -z "${DATABASE_URL+set}"

# ------------------------------------------------ a second, private server
pgdir=$tmp/pg2
ok "pg_start starts a private server" pg_start "$pgdir" log_statement=all
port=$(pg_port "$pgdir")
isnt "$port" "$PGPORT" "it gets a port of its own"
is "$(PGHOST=$pgdir PGPORT=$port psql_val postgres 'show log_statement')" all \
	"extra options reach the server"
is "$(psql_val "host=127.0.0.1 port=$port user=postgres dbname=postgres" 'select 1')" 1 \
	"it listens on 127.0.0.1"
ok "pg_restart restarts it" pg_restart "$pgdir"
is "$(PGHOST=$pgdir PGPORT=$port psql_val postgres 'select 2')" 2 "it answers after the restart"
ok "pg_stop stops it" pg_stop "$pgdir"
fails "it is stopped" pg_running "$pgdir"
ok "pg_stop does nothing when it is not running" pg_stop "$pgdir"
ok "pg_start starts it again on the same data" pg_start "$pgdir"
like "$(pg_env "$pgdir")" "export PGPORT=$(pg_port "$pgdir")" "pg_env prints export lines"
# Left running on purpose: tap.sh stops servers under test_tmpdir at exit.

done_testing
