#!/usr/bin/env bash
# t701: SQL in a .pgc unit that spans lines reaches the server exactly as
# the unit writes it (issue 10 item 10): newlines, tabs and "--" comments
# inside a dollar-quoted body and inside string literals survive ecpg;
# the one case that cannot (a backslash ending a line) fails the build.
. "$(dirname "$0")/lib/tap.sh"

bin=$(set_bin sql_pgc_newlines)
src=$MIGRATE_ROOT/tests/units/sql_pgc_newlines/0001_trigger_body.pgc
db=$(fresh_db) || BAIL_OUT "cannot create a database"
url=$(db_url "$db")

command_checks_all 0 '0001' '' "a unit whose trigger body has comments and blank lines applies" \
	-- "$bin" -d "$url" up

# prosrc is the text between the dollar quotes, byte for byte.
want=$(perl -0777 -ne 'print $1 if /\$body\$(.*?)\$body\$/s' "$src" | md5sum | cut -c1-32)
got=$(psql_val "$db" "SELECT md5(prosrc) FROM pg_proc WHERE proname = 'notes_touch'")
is "$got" "$want" "the stored function body is the unit's text byte for byte"
got=$(psql_val "$db" "SELECT position(E'\\t-- a comment: without its newline' IN pg_get_functiondef('notes_touch'::regproc)) > 0")
is "$got" "t" "pg_get_functiondef shows the comment on its own line"

want=$(printf 'first line\n\tsecond line, after a tab' | md5sum | cut -c1-32)
got=$(psql_val "$db" "SELECT md5(seen) FROM notes")
is "$got" "$want" "the trigger ran its whole body, multi-line literal included"

want=$(printf '%s' "LITERAL START
	tabbed \"quoted\" line
\\ a backslash, E: one\\two
threeit's

LITERAL END" | md5sum | cut -c1-32)
got=$(psql_val "$db" "SELECT md5(body) FROM notes")
is "$got" "$want" "a multi-line literal is inserted with its newlines, tabs and backslashes"

command_checks_all 0 '' '' "the unit rolls back" -- "$bin" -d "$url" down

# A backslash ending a line inside SQL is dropped by ecpg: refused.
mkdir -p bs
cat >bs/0001_backslash.pgc <<'UNIT'
EXEC SQL INCLUDE migrate_unit;

static int
up(void)
{
	EXEC SQL INSERT INTO t VALUES ('ends in a backslash \
next line');
	return 0;
}

MIGRATE_UNIT(up, NULL, 0);
UNIT
build_units bs
isnt "$RC" "0" "a line ending in a backslash fails the build"
like "$ERR" 'bs/0001_backslash\.pgc:6: error: a line ends in a backslash' "the error names the unit file and line"

done_testing
