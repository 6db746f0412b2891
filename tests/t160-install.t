#!/usr/bin/env bash
# t160: make install puts one self-contained binary where it is asked to,
# and that binary needs nothing from the source tree.
. "$(dirname "$0")/lib/tap.sh"

san=0
case $MIGRATE_BUILD in *asan*) san=1 ;; esac
run_cmd make -s -C "$MIGRATE_ROOT" SAN=$san BUILD="$MIGRATE_BUILD" BIN="$MIGRATE_BIN" \
	install PREFIX=/opt/red7 DESTDIR="$PWD/dest"
is "$RC" "0" "make install succeeds"
ok "the binary is installed under DESTDIR/PREFIX/bin" test -x dest/opt/red7/bin/migrate
ok "migrate(1) is installed under PREFIX/share/man" test -f dest/opt/red7/share/man/man1/migrate.1
ok "migrate.yaml(5) is installed under PREFIX/share/man" test -f dest/opt/red7/share/man/man5/migrate.yaml.5
ok "the bash completion is installed under PREFIX/share/bash-completion" \
	test -f dest/opt/red7/share/bash-completion/completions/migrate

# run it from an unrelated directory, with the source tree out of reach
mkdir -p elsewhere
cp dest/opt/red7/bin/migrate elsewhere/migrate
cd elsewhere || BAIL_OUT "cannot cd"
db=$(fresh_db installed) || BAIL_OUT "cannot create a database"
command_checks_all 0 'up +0005 create_game_rooms +ok' '^$' "the installed binary applies the units built into it" \
	-- env -i PATH=/usr/bin:/bin ASAN_OPTIONS="${ASAN_OPTIONS:-}" ./migrate -d "$(db_url "$db")" up
run_cmd ldd ./migrate
unlike "$OUT" "$MIGRATE_ROOT" "the binary links nothing from the source tree"
cd .. || BAIL_OUT "cannot cd"

run_cmd make -s -C "$MIGRATE_ROOT" SAN=$san BUILD="$MIGRATE_BUILD" BIN="$MIGRATE_BIN" \
	uninstall PREFIX=/opt/red7 DESTDIR="$PWD/dest"
is "$RC" "0" "make uninstall succeeds"
fails "the binary is gone after uninstall" test -e dest/opt/red7/bin/migrate
is "$(find dest -type f | wc -l)" "0" "no installed file is left after uninstall"

done_testing
