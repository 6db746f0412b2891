#!/usr/bin/env bash
# t702: plain-SQL units (SPEC 2) beside .pgc units: what reaches the
# server is what the .sql file says, byte for byte; errors name the .sql
# file and line, at build and at run time; the checksum, verify,
# irreversible and no-transaction rules are those of .pgc units; and
# "new NAME --sql" writes one that builds.
. "$(dirname "$0")/lib/tap.sh"

bin=$(set_bin sql_mixed)
set=$MIGRATE_ROOT/tests/units/sql_mixed
db=$(fresh_db) || BAIL_OUT "cannot create a database"
url=$(db_url "$db")

# ----------------------------------------------------------------- up
command_checks_all 0 '0002 functions +ok' '' "a set of .pgc and .sql units applies" \
	-- "$bin" -d "$url" up
like "$OUT" '0004 data_fix +ok' "the last .sql unit applies"

# The body between the $fn$ quotes is stored exactly as written:
# comments, blank lines, tabs, nested dollar quotes, a multi-line string.
want=$(perl -0777 -ne 'print $1 if /AS \$fn\$(.*?)\$fn\$/s' "$set/0002_functions.sql" | md5sum | cut -c1-32)
got=$(psql_val "$db" "SELECT md5(prosrc) FROM pg_proc WHERE proname = 'items_touch'")
is "$got" "$want" "the function body is the file's text byte for byte"
got=$(psql_val "$db" "SELECT position(E'\\t-- a comment that would swallow the rest without its newline\\n\\n\\tNEW.touched' IN pg_get_functiondef('items_touch'::regproc)) > 0")
is "$got" "t" "pg_get_functiondef shows the comment and the blank line"
got=$(psql_val "$db" "SELECT add_one(1), items_count()")
is "$got" "2|2" "a body with \$1 and a BEGIN ATOMIC body work"

want=$(printf 'line one\n\tline two, after a tab' | md5sum | cut -c1-32)
got=$(psql_val "$db" "SELECT DISTINCT md5(touched) FROM items")
is "$got" "$want" "the trigger ran its whole body"
got=$(psql_val "$db" "SELECT note FROM items WHERE id = 2")
is "$got" "it's a \"quoted\" \$\$nested\$\$ body; with -- no comment'?" \
	"nested dollar quotes, an E'' string and a ? survive"
want=$(printf '%s' 'MULTI START
	"tabbed", with a ; semicolon
\ and a backslash

MULTI END' | md5sum | cut -c1-32)
got=$(psql_val "$db" "SELECT md5(note) FROM items WHERE id = 1")
is "$got" "$want" "a multi-line literal arrives with its newlines, tabs and backslash"
got=$(psql_val "$db" "SELECT last_value FROM items_id_seq")
is "$got" "41" "SELECT setval (a row back) and a SELECT without rows both pass"

# ------------------------------------------------------- the same rules
sum=$(sha256sum "$set/0002_functions.sql" | cut -c1-64)
got=$(psql_val "$db" "SELECT checksum FROM schema_migrations WHERE version = 2")
is "$got" "$sum" "the checksum is the .sql file's SHA-256"
got=$(psql_val "$db" "SELECT indisvalid FROM pg_index WHERE indexrelid = 'items_note_idx'::regclass")
is "$got" "t" "transaction:false builds an index CONCURRENTLY"
command_checks_all 6 '' 'irreversible: 0004 data_fix' "a .sql unit without a down section is irreversible" \
	-- "$bin" -d "$url" down
command_checks_all 0 '' '' "status sees no drift" -- "$bin" -d "$url" status --check

db2=$(fresh_db) || BAIL_OUT "cannot create a database"
command_checks_all 0 'verify 0002 functions +reversible' '' "verify proves a .sql unit's down" \
	-- "$bin" -d "$(db_url "$db2")" verify
like "$OUT" 'verify 0003 concurrent_index +skipped' "verify skips a no-transaction .sql unit"
like "$OUT" 'hazard held-across tests/units/sql_mixed/0002_functions\.sql:22 \(0002_functions up\): ACCESS EXCLUSIVE on items blocks reads and writes for [0-9]+ ms \(accepted\)' \
	"a .sql unit's statements are observed at the file's lines, and -- migrate:accept accepts the hazard"
like "$OUT" 'verify 0004 data_fix +irreversible' "verify calls a .sql unit without down irreversible"
command_checks_all 0 '' '' "up to 0003" -- "$bin" -d "$(db_url "$db2")" up --to 3
command_checks_all 0 'down +0003 concurrent_index' '' "a no-transaction down (DROP INDEX CONCURRENTLY) runs" \
	-- "$bin" -d "$(db_url "$db2")" down
command_checks_all 0 'down +0002 functions' '' "a .sql unit's down runs" \
	-- "$bin" -d "$(db_url "$db2")" down
got=$(psql_val "$db2" "SELECT count(*) FROM pg_proc WHERE proname IN ('items_touch', 'add_one', 'items_count')")
is "$got" "0" "the down section dropped the functions"

# ---------------------------------------------------- run-time errors
db3=$(fresh_db) || BAIL_OUT "cannot create a database"
command_checks_all 1 '' 'sql_fail/0002_fails\.sql:4: unit 0002_fails failed' \
	"a failing statement is reported at the .sql file and its line" \
	-- "$(set_bin sql_fail)" -d "$(db_url "$db3")" up
like "$ERR" 'no_such_table' "with the server's message"
run_cmd "$(set_bin sql_fail)" -d "$(db_url "$db3")" --json up
is "$(json_event "$OUT" error | jq -r '"\(.file):\(.line)"')" "tests/units/sql_fail/0002_fails.sql:4" \
	"the JSON error names the .sql file and line"
got=$(psql_val "$db3" "SELECT to_regclass('also_fine') IS NULL")
is "$got" "t" "the failed unit was rolled back"

# ---------------------------------------------------- build-time errors
build() { build_units "$@"; }
sqlunit() {
	mkdir -p "$(dirname "$1")"
	printf '%s' "$2" >"$1"
}
sqlunit meta/0001_meta.sql $'-- migrate:up\nCREATE TABLE t (id int);\n\\set x 1\nSELECT :x;\n'
build meta
isnt "$RC" "0" "a psql meta-command fails the build"
like "$ERR" 'meta/0001_meta\.sql:3: error: a psql meta-command' "the error names the .sql file and line"

sqlunit acc/0001_acc.sql $'-- migrate:accept rewrite t\n-- migrate:up\nSELECT 1;\n-- migrate:accept rewrite\n'
build acc
isnt "$RC" "0" "a -- migrate:accept line outside a section, or without a code and a relation, fails the build"
like "$ERR" 'acc/0001_acc\.sql:1: error: "-- migrate:accept" before "-- migrate:up"' "the first names where it is"
like "$ERR" 'acc/0001_acc\.sql:4: error: expected "-- migrate:accept CODE RELATION"' "so does the second"

sqlunit open/0001_open.sql $'-- migrate:up\nSELECT 1;\nCREATE FUNCTION f() RETURNS int AS $b$\nSELECT 1;\n'
build open
isnt "$RC" "0" "an unterminated dollar quote fails the build"
like "$ERR" 'open/0001_open\.sql:3: error: this dollar-quoted string does not end' "the error names where it starts"

sqlunit nomark/0001_nomark.sql $'CREATE TABLE t (id int);\n'
build nomark
like "$ERR" 'nomark/0001_nomark\.sql:1: error: a statement before "-- migrate:up"' "a statement before the up marker fails the build"

sqlunit copy/0001_copy.sql $'-- migrate:up\nCREATE TABLE t (id int);\nCOPY t FROM stdin;\n'
build copy
like "$ERR" 'copy/0001_copy\.sql:3: error: COPY from STDIN' "COPY FROM STDIN fails the build"

sqlunit txn/0001_txn.sql $'-- migrate:up\nBEGIN;\nCREATE TABLE t (id int);\nCOMMIT;\n'
build txn
like "$ERR" 'txn/0001_txn\.sql:2: error: transaction control' "BEGIN in a transactional unit fails the build"
like "$ERR" 'txn/0001_txn\.sql:4: error: transaction control' "and COMMIT"
sqlunit txnok/0001_txn.sql $'-- migrate:up transaction:false\nBEGIN;\nCREATE TABLE t (id int);\nSAVEPOINT s;\nROLLBACK TO s;\nCOMMIT;\n-- migrate:down transaction:false\nDROP TABLE t;\n'
build txnok
is "$RC" "0" "a no-transaction unit may group statements in its own transaction"

sqlunit dup/0001_a.sql $'-- migrate:up\n'
sqlunit dup/0001_a.pgc ''
build dup
like "$ERR" 'units 0001_a\.pgc and 0001_a\.sql have the same version 1' "a .sql and a .pgc unit share the version space"

# ---------------------------------------------------------- new --sql
mkdir -p newunits
printf 'migrations_dir: newunits\n' >migrate.yaml
command_checks_all 0 '^newunits/0001_add_thing\.sql$' '^migrate: numbered sequentially \(as asked\)$' "new NAME --sql writes a .sql unit" \
	-- "$MIGRATE_BIN" new add_thing --sql --seq
ok "the new unit has an up and a down section" grep -q '^-- migrate:down$' newunits/0001_add_thing.sql
build newunits
is "$RC" "0" "the new .sql unit builds"
db4=$(fresh_db) || BAIL_OUT "cannot create a database"
command_checks_all 0 '0001 add_thing +ok' '' "and applies" -- out-newunits/migrate -d "$(db_url "$db4")" up

done_testing
