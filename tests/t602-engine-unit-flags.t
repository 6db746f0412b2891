#!/usr/bin/env bash
# t602: MIGRATE_UNIT refuses flag bits the runner does not know at build
# time, naming the unit's file; known flags build.
. "$(dirname "$0")/lib/tap.sh"

build() { build_units "$@"; }
unit() {
	mkdir -p "$(dirname "$1")"
	cat >"$1" <<UNIT
EXEC SQL INCLUDE migrate_unit;

static int
up(void)
{
	EXEC SQL CREATE TABLE t (id int);
	return 0;
}

MIGRATE_UNIT(up, NULL, $2);
UNIT
}

unit bad/0001_unknown_flag.pgc 0x4u
build bad
isnt "$RC" 0 "a unit with an unknown flag bit fails the build"
like "$ERR" 'MIGRATE_UNIT: unknown flag bits' "the error names the macro's rule"
like "$ERR" '0001_unknown_flag\.pgc:10' "and the unit's file and line"

unit good/0001_known_flags.pgc 'MIGRATE_IRREVERSIBLE | MIGRATE_NO_TRANSACTION'
build good
is "$RC" 0 "a unit with known flags builds"

# a unit object that bypasses the macro: the registry walk refuses it
mkdir -p raw
cat >raw/0001_raw_flags.pgc <<'UNIT'
EXEC SQL INCLUDE migrate_unit;

static int
up(void)
{
	EXEC SQL CREATE TABLE t (id int);
	return 0;
}

extern const struct unit_def MIGRATE_UNIT_SYMBOL;
const struct unit_def MIGRATE_UNIT_SYMBOL = {.up = up, .flags = 0x8u};
UNIT
build raw
is "$RC" 0 "a unit that fills its descriptor by hand builds"
db=$(fresh_db flags) || BAIL_OUT "cannot create a database"
command_checks_all 1 '^$' 'unit .*0001_raw_flags\.pgc has unknown flag bits 0x8: it was built for another version of migrate' \
	"the binary refuses to run it, naming the unit" -- "$PWD/out-raw/migrate" -d "$(db_url "$db")" up
is "$(psql_val "$db" "SELECT to_regclass('t') IS NULL")" t "nothing ran"

done_testing
