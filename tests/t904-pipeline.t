#!/usr/bin/env bash
# t904: docs/examples/pipeline.sh end to end against local servers: build
# once (the static binary), then deploy: verify on a copy made on a second
# server, up on the target. A broken unit stops the deploy at verify with
# the target untouched; a modified unit stops it before the copy.
. "$(dirname "$0")/lib/tap.sh"
. "$MIGRATE_ROOT/tests/lib/dbstate.sh"

case $MIGRATE_BUILD in
*asan*) skip_all "the pipeline builds the static release binary; the plain run tests it" ;;
esac
PIPELINE=$MIGRATE_ROOT/docs/examples/pipeline.sh

# The build job.
# One make at a time in the shared build tree (t900 builds it too).
run_cmd flock "$MIGRATE_BUILD/.static.lock" env BUILD="$MIGRATE_BUILD" "$PIPELINE" build artifact
is "$RC" "0" "pipeline.sh build succeeds" || diag "$ERR"
ok "the artifact holds the binary" test -x artifact/migrate
ok "... its SHA-256" test -s artifact/migrate.sha256
is "$(cat artifact/VERSION)" "$("$MIGRATE_ROOT/tools/build-deb" --print-version)" "... and its version"

# The target: production at 0003, on the suite's server.  The copy goes
# to a second server, as a staging server would hold it.
target=$(fresh_db target) || BAIL_OUT "cannot create a database"
export TARGET_DATABASE_URL=$(db_url "$target")
"$MIGRATE_BIN" -d "$TARGET_DATABASE_URL" up --to 3 >/dev/null || BAIL_OUT "cannot apply units 1 to 3"
psql_val "$target" "INSERT INTO users (username, email, password_hash) VALUES ('ann', 'ann@example.com', 'x')" >/dev/null 2>&1 || true
PG_LISTEN='' pg_start "$PWD/pg2" >/dev/null || BAIL_OUT "cannot start the second server"
port2=$(pg_port "$PWD/pg2")
export COPY_DATABASE_URL="postgresql:///red7_copy?host=$PWD/pg2&port=$port2&user=postgres"

# The deploy job, from another directory, with a migrate.yaml there that
# must not count.
mkdir -p deployjob && cp -r artifact deployjob/ && cd deployjob || BAIL_OUT "cannot cd"
printf 'default_environment: production\nenvironments:\n  production:\n    protected: true\n' >migrate.yaml
before_rows=$(psql_val "$target" "SELECT count(*) FROM users")
run_cmd "$PIPELINE" deploy artifact
is "$RC" "0" "pipeline.sh deploy succeeds" || diag "$OUT" "$ERR"
like "$OUT" 'verify 0004 create_achievements +reversible' "verify ran on the copy for the pending units"
like "$OUT" 'verify 0005 create_game_rooms +reversible' "... each of them"
unlike "$OUT" 'verify 0001' "... and only them (the copy has the target's history)"
like "$ERR" 'verify on the copy.*up on the target' "verify ran before up on the target"
allv=$(ls "$MIGRATE_ROOT/migrations" | sed -n 's/^0*\([0-9][0-9]*\)_[a-z0-9_]*\.\(pgc\|sql\)$/\1/p' | sort -n | paste -sd,)
is "$(psql_val "$target" "SELECT string_agg(version::text, ',' ORDER BY version) FROM schema_migrations")" "$allv" \
	"the target now has every unit"
is "$(psql_val "$target" "SELECT count(*) FROM users")" "$before_rows" "the target's rows are untouched"
is "$(psql -XAtq -d "postgresql:///postgres?host=$PWD/../pg2&port=$port2&user=postgres" -c "SELECT count(*) FROM pg_database WHERE datname = 'red7_copy'")" "0" \
	"the copy is dropped at the end"

# Again: nothing to do, and still fine.
run_cmd "$PIPELINE" deploy artifact
is "$RC" "0" "a second deploy succeeds with nothing to do"
like "$OUT" 'nothing to do' "up has nothing to do"
cd .. || BAIL_OUT "cannot cd"

# A build whose unit 0002 does not undo itself: verify on the copy stops
# the deploy with exit 7, and the target is exactly as it was.
broken=$(fresh_db broken) || BAIL_OUT "cannot create a database"
export TARGET_DATABASE_URL=$(db_url "$broken")
mkdir -p bad && cp "$(set_bin verify)" bad/migrate && (cd bad && sha256sum migrate >migrate.sha256)
"$MIGRATE_BIN" -d "$TARGET_DATABASE_URL" schema >/dev/null 2>&1
before=$(db_state "$broken")
run_cmd "$PIPELINE" deploy bad
is "$RC" "7" "a unit whose down is broken stops the deploy with verify's exit 7"
like "$ERR" 'verify on the copy failed \(exit 7\)' "the message names the step"
unlike "$ERR" 'up on the target' "up on the target never ran"
is "$(db_state "$broken")" "$before" "the target is exactly as it was"

# A tampered artifact is refused before anything runs.
cp -r artifact tampered && printf 'x' >>tampered/migrate
run_cmd "$PIPELINE" deploy tampered
isnt "$RC" "0" "a binary that does not match its SHA-256 is refused"
like "$ERR" 'check the artifact failed' "the message says so"

# A target with an edited unit: status --check exits 6, before any copy.
export TARGET_DATABASE_URL=$(db_url "$target")
psql_val "$target" "UPDATE schema_migrations SET checksum = repeat('0', 64) WHERE version = 2" >/dev/null
run_cmd "$PIPELINE" deploy artifact
is "$RC" "6" "a modified unit on the target stops the deploy with exit 6"
unlike "$ERR" 'create the copy' "... before the copy is made"

# Usage.
run_cmd env -u TARGET_DATABASE_URL "$PIPELINE" deploy artifact
isnt "$RC" "0" "deploy without TARGET_DATABASE_URL fails"
like "$ERR" 'TARGET_DATABASE_URL' "... naming the variable"
run_cmd env COPY_DATABASE_URL="$TARGET_DATABASE_URL" "$PIPELINE" deploy artifact
is "$RC" "2" "the copy cannot be the target"

pg_stop "$PWD/pg2"
done_testing
