#!/usr/bin/env bash
# t150: the build checks unit names, duplicate versions and SQL, and
# rebuilds only what a changed unit needs.
. "$(dirname "$0")/lib/tap.sh"

build() { build_units "$@"; }
unit() {
	mkdir -p "$(dirname "$1")"
	cat >"$1" <<UNIT
EXEC SQL INCLUDE migrate_unit;

static int
up(void)
{
	EXEC SQL ${2:-CREATE TABLE t (id int)};
	return 0;
}

MIGRATE_UNIT(up, NULL, 0);
UNIT
}

unit dup/0007_a.pgc
unit dup/7_b.pgc
build dup
isnt "$RC" "0" "two units with the same version value fail the build"
like "$ERR" 'units 0007_a\.pgc and 7_b\.pgc have the same version 7' "the error names both files"

unit bad/0001_good.pgc
unit bad/0002-Bad.pgc
touch bad/notes.txt
build bad
isnt "$RC" "0" "a file that is not a unit name fails the build"
like "$ERR" 'bad/0002-Bad\.pgc: error: not a unit file name' "the error names the malformed unit"
like "$ERR" 'bad/notes\.txt: error: not a unit file name' "the error names any other file in the directory"

unit syntax/0001_typo.pgc "CREAT TABLE t (id int)"
build syntax
isnt "$RC" "0" "SQL that ecpg rejects fails the build"
like "$ERR" 'syntax/0001_typo\.pgc:6: ERROR: ' "the error gives the unit file and line"

unit inc/0001_one.pgc
unit inc/0002_two.pgc "CREATE TABLE u (id int)"
build inc
is "$RC" "0" "a good directory builds"
ok "the binary exists" test -x out-inc/migrate
sleep 1
unit inc/0002_two.pgc "CREATE TABLE u (id bigint)"
build inc
is "$RC" "0" "a changed unit rebuilds"
like "$OUT" 'units/0002_two\.o' "the changed unit is recompiled"
unlike "$OUT" '-o [^ ]*units/0001_one\.o' "the unchanged unit is not recompiled"
like "$OUT" 'registry\.o' "the registry is recompiled for the new checksum"
unlike "$OUT" 'core/' "the runner library is not recompiled"
sum=$(sha256sum inc/0002_two.pgc | cut -c1-64)
ok "the new checksum is embedded" grep -q "$sum" out-inc/registry.c
unit inc/0003_three.pgc
build inc
like "$OUT" 'units/0003_three\.o' "an added unit is compiled"
ok "an added unit is registered" grep -q '0003_three' out-inc/registry.c
rm inc/0003_three.pgc
build inc
is "$RC" "0" "a removed unit rebuilds"
ok "a removed unit leaves the registry" sh -c '! grep -q 0003_three out-inc/registry.c'

done_testing
