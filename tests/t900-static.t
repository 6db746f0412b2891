#!/usr/bin/env bash
# t900: make static links libecpg, libpgtypes, libpq, libyaml and OpenSSL
# into the binary; it needs only the C library, GSSAPI and LDAP at run
# time (docs/packaging.md says why those stay dynamic), and the commands'
# tests pass against it.
. "$(dirname "$0")/lib/tap.sh"

case $MIGRATE_BUILD in
*asan*) skip_all "the static binary is a release build; the plain run tests it" ;;
esac

# One make at a time in the shared build tree (t904 builds it too).
run_cmd flock "$MIGRATE_BUILD/.static.lock" make -s -C "$MIGRATE_ROOT" BUILD="$MIGRATE_BUILD" \
	STATIC_BIN="$PWD/migrate-static" static
is "$RC" "0" "make static succeeds" || diag "$ERR"
ok "make static writes the binary" test -x migrate-static

# What the dynamic loader must find: exactly these sonames.
needed=$(readelf -d migrate-static | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | sed 's/\.so\..*//' | sort | tr '\n' ' ')
like "$needed" '^libc libgssapi_krb5 libldap(-[0-9.]+)? $' "the binary needs only libc, libgssapi_krb5 and libldap"
run_cmd ldd ./migrate-static
is "$RC" "0" "ldd reads the binary"
unlike "$OUT" 'libecpg|libpgtypes|libpq|libyaml|libssl|libcrypto' "ldd shows none of the statically linked libraries"

command_checks_all 0 '^migrate [0-9]' '^$' "the static binary prints its version" -- ./migrate-static --version

# The binary runs with only the system's libraries: no -dev package,
# nothing from the tree.
mkdir -p elsewhere && cp migrate-static elsewhere/migrate
db=$(fresh_db static) || BAIL_OUT "cannot create a database"
(cd elsewhere && env -i PATH=/usr/bin:/bin ./migrate -d "$(db_url "$db")" up >../up.out 2>&1)
is "$?" "0" "the copied static binary applies its units"
like "$(cat up.out)" 'up +0005 create_game_rooms +ok' "the five Red7 units are applied"

# The command tests that run $MIGRATE_BIN (those that use per-set test
# binaries or rebuild the tree would not test this binary), on the
# suite's server.
STATIC_TESTS=(t100 t130 t140 t200 t300 t340 t520)
files=()
for t in "${STATIC_TESTS[@]}"; do
	f=$(ls "$MIGRATE_ROOT"/tests/"$t"-*.t 2>/dev/null | head -n1)
	[ -n "$f" ] && files+=("$f")
done
run_cmd env MIGRATE_BIN="$PWD/migrate-static" prove -j2 --exec '' "${files[@]}"
is "$RC" "0" "the command tests pass against the static binary (${STATIC_TESTS[*]})" ||
	diag "$(printf '%s\n' "$OUT" | grep -v '^ok\|^t[0-9].*ok$' | tail -40)"
like "$OUT" 'Result: PASS' "prove reports PASS"

done_testing
