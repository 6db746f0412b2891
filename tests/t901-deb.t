#!/usr/bin/env bash
# t901: make deb builds a Debian package with dpkg-buildpackage and
# debhelper; lintian finds no error; its dependencies are computed by
# dh_shlibdeps; its version names the units; installed into a fresh root
# with dpkg --root it brings the binary, the man pages and the completion,
# and the binary runs --version and status against the suite's server.
. "$(dirname "$0")/lib/tap.sh"

case $MIGRATE_BUILD in
*asan*) skip_all "the package is built with Debian's flags, not the sanitizers; the plain run tests it" ;;
esac
for tool in dpkg-buildpackage dh fakeroot lintian; do
	command -v "$tool" >/dev/null || skip_all "$tool is not installed (tools/install-deps installs it)"
done

version=$("$MIGRATE_ROOT/tools/build-deb" --print-version)
upstream=$(tr -d ' \n' <"$MIGRATE_ROOT/VERSION")
# the newest unit of migrations/, as its file writes the version (.pgc or .sql)
newest=$(ls "$MIGRATE_ROOT/migrations" | grep '^[0-9][0-9]*_[a-z0-9_]*\.\(pgc\|sql\)$' | LC_ALL=C sort -n | tail -1 | cut -d_ -f1)
like "$version" "^$upstream\\+units\\.$newest\\.[0-9a-f]{8}\$" "the version is VERSION+units.<highest unit>.<hash of the units>"

vre=$(printf '%s' "$version" | sed 's/[.+]/\\&/g') # as a regex
run_cmd make -s -C "$MIGRATE_ROOT" deb DEB_OUT="$PWD/deb"
is "$RC" "0" "make deb succeeds" || diag "$OUT" "$ERR"
deb=deb/migrate_${version}_$(dpkg-architecture -qDEB_HOST_ARCH).deb
ok "make deb writes $deb" test -f "$deb"
like "$OUT" "wrote .*$vre" "make deb names the package it wrote"
ok "lintian ran" test -f deb/lintian.log
is "$(grep -c '^E:' deb/lintian.log)" "0" "lintian reports no error"
is "$(grep '^W:' deb/lintian.log | tr '\n' ' ')" "" "lintian reports no warning"

# Dependencies: computed from the binary, not typed in debian/control.
depends=$(dpkg-deb -f "$deb" Depends)
for lib in libc6 libecpg6 libpq5 libssl3 libyaml-0-2; do
	like "$depends" "(^|, )$lib( |,|\$)" "Depends names $lib"
done
unlike "$(sed -n '/^Package: migrate/,$p' "$MIGRATE_ROOT/debian/control")" 'libpq5|libecpg6|libyaml-0-2|libssl3' \
	"debian/control types no library dependency (\${shlibs:Depends} does)"
is "$(dpkg-deb -f "$deb" Version)" "$version" "the package carries the computed version"

# Into a fresh root.
root=$PWD/root
mkdir -p "$root/var/lib/dpkg/info" "$root/var/lib/dpkg/updates" "$root/var/log"
: >"$root/var/lib/dpkg/status"
# --force-depends: the fresh root has no libc6 or libpq5 of its own; the
# binary below runs with the host's.
run_cmd dpkg --root="$root" --force-not-root --force-depends --log=/dev/null -i "$deb"
is "$RC" "0" "dpkg --root installs the package" || diag "$ERR"
run_cmd dpkg --root="$root" -L migrate
for f in /usr/bin/migrate /usr/share/man/man1/migrate.1.gz /usr/share/man/man5/migrate.yaml.5.gz \
	/usr/share/bash-completion/completions/migrate /usr/share/doc/migrate/copyright; do
	like "$OUT" "(^|
)$f(\$|
)" "the package installs $f"
done
command_checks_all 0 "^migrate $vre\$" '^$' "the installed binary prints the package version" \
	-- "$root/usr/bin/migrate" --version

db=$(fresh_db deb) || BAIL_OUT "cannot create a database"
mkdir -p elsewhere && cd elsewhere || BAIL_OUT "cannot cd"
command_checks_all 0 '0005 +create_game_rooms +pending' '^$' "the installed binary runs status against the server" \
	-- env -i PATH=/usr/bin:/bin "$root/usr/bin/migrate" -d "$(db_url "$db")" status
command_checks_all 0 'up +0005 create_game_rooms +ok' '^$' "... and up" \
	-- env -i PATH=/usr/bin:/bin "$root/usr/bin/migrate" -d "$(db_url "$db")" up
command_checks_all 0 '0005 +create_game_rooms +applied' '^$' "... and status --check after it" \
	-- env -i PATH=/usr/bin:/bin "$root/usr/bin/migrate" -d "$(db_url "$db")" status --check
cd .. || BAIL_OUT "cannot cd"

# debian/tests/control's autopkgtest, run here with the installed binary.
if command -v pg_virtualenv >/dev/null; then
	adt=$(sed -n '/^Test-Command:/,/^[A-Z]/{/^Test-Command:/s/^Test-Command: *//p;/^ /s/^ //p}' \
		"$MIGRATE_ROOT/debian/tests/control")
	mkdir -p adt
	run_cmd env -u PGHOST -u PGPORT -u PGUSER -u PGDATABASE PATH="$root/usr/bin:$PATH" \
		AUTOPKGTEST_TMP="$PWD/adt" sh -ec "$adt"
	is "$RC" "0" "the autopkgtest of debian/tests/control passes with the installed package" || diag "$OUT" "$ERR"
	like "$OUT" 'verify 0005 create_game_rooms +reversible' "... and reaches verify --all"
else
	skip "pg_virtualenv is not installed (postgresql-common)" 2
fi

run_cmd dpkg --root="$root" --force-not-root --log=/dev/null -r migrate
is "$RC" "0" "dpkg --root removes the package"
fails "removing it removes the binary" test -e "$root/usr/bin/migrate"

# Two unit sets never share a version; a new unit makes a newer one.
cp -r "$MIGRATE_ROOT/migrations" units
is "$("$MIGRATE_ROOT/tools/build-deb" --print-version --units units)" "$version" "the same units give the same version"
printf '\n' >>units/0003_create_statistics.pgc
edited=$("$MIGRATE_ROOT/tools/build-deb" --print-version --units units)
isnt "$edited" "$version" "an edited unit gives another version"
cp "$MIGRATE_ROOT/migrations/0003_create_statistics.pgc" units/
next=$(printf '%0*d' "${#newest}" $((10#$newest + 1)))
cp units/0005_create_game_rooms.pgc "units/${next}_more.pgc"
added=$("$MIGRATE_ROOT/tools/build-deb" --print-version --units units)
like "$added" "^$upstream\\+units\\.$next\\." "an added unit gives another version"
ok "dpkg sees the version with an added unit as newer" dpkg --compare-versions "$added" gt "$version"

done_testing
