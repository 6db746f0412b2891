#!/usr/bin/env bash
# t603: db_batch never drops results silently: a batch with more results
# than the caller has room for fails with an internal error, instead of
# handing back a shortened list whose last entry is not the last
# statement's.
. "$(dirname "$0")/lib/tap.sh"

build=$MIGRATE_BUILD
sanflags=
case $build in *asan*) sanflags="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" ;; esac
# shellcheck disable=SC2086
run_cmd cc -std=c11 -Wall -Wextra -Werror -D_GNU_SOURCE -g $sanflags \
	-I "$MIGRATE_ROOT/src" -I "$MIGRATE_ROOT/pgc" -I "$(pg_config --includedir)" -o batch_driver \
	"$MIGRATE_ROOT/tests/eng/batch_driver.c" "$build/libmigrate.a" -lecpg -lpgtypes -lpq -lyaml -lcrypto
is "$RC" 0 "the driver builds against $build/libmigrate.a"

db=$(fresh_db batch) || BAIL_OUT "cannot create a database"
url=$(db_url "$db")
run_cmd ./batch_driver "$url" 4 4
is "$OUT" "rc=0 n=4 last=4" "a batch with as many results as room returns them all"
run_cmd ./batch_driver "$url" 4 6
like "$OUT" '^rc=-1 ' "a batch with more results than room fails"
like "$OUT" 'internal error: a batch returned more than the 4 results expected' "with an internal error that says so"

done_testing
