#!/usr/bin/env bash
# pipeline.sh: build migrate once, then deploy that one build: verify it
# on a copy of the target database, then apply it to the target.  The
# same steps as .github/workflows/deploy-example.yml, for any CI system
# or a terminal; docs/pipeline.md explains them, tests/t904-pipeline.t
# runs them end to end against local servers.
#
#   docs/examples/pipeline.sh build ARTIFACT_DIR
#       make static; put the binary, its SHA-256 and its version in
#       ARTIFACT_DIR (the one thing the deploy job needs)
#   docs/examples/pipeline.sh deploy ARTIFACT_DIR
#       1. check the binary against its SHA-256
#       2. status --check on the target: stop on modified, unknown or
#          running units (exit 6) before touching anything
#       3. make the copy: drop-db and create-db on COPY_DATABASE_URL, then
#          the target's schema and history rows (pg_dump | psql)
#       4. verify on the copy: every pending unit's up, down, up, rolled
#          back (exit 7 stops the deploy), then up on the copy: the
#          rehearsal, with the target's schema
#       5. up on the target, then status --check there (must be 0)
#       6. drop the copy
#
# Environment (deploy):
#   TARGET_DATABASE_URL  the database to migrate (required)
#   COPY_DATABASE_URL    a scratch database this job may drop and create,
#                        on a server that is not production's (required);
#                        its name must differ from the target's
#   HISTORY_TABLE        default public.schema_migrations
#   COPY_WITH_DATA=1     copy every table's rows too, not only the
#                        schema and the history rows (data migrations
#                        then run against real rows; mind its size and
#                        what it holds)
#   KEEP_COPY=1          leave the copy for inspection
# Passwords belong in ~/.pgpass, PGPASSFILE or PGPASSWORD (CI secrets),
# not in the URLs that this script prints.  A migrate.yaml in the current
# directory is ignored (MIGRATE_CONFIG=/dev/null): the URLs say it all.
#
# Exit: 0 deployed (or nothing to do); otherwise the exit code of the
# step that failed (migrate's: 1 unit failed, 4 lock, 5 connect, 6
# integrity, 7 verify found a broken unit; 2 for usage and copy errors).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

say()
{
	printf 'pipeline: %s\n' "$*" >&2
}

die()
{
	local rc=$1
	shift
	say "error: $*"
	exit "$rc"
}

# run STEP CMD...: run a step, stop the pipeline with its exit code.
run()
{
	local step=$1 rc=0
	shift
	say "$step"
	"$@" || rc=$?
	[ $rc = 0 ] || die "$rc" "$step failed (exit $rc)"
}

build()
{
	local out=${1:?usage: pipeline.sh build ARTIFACT_DIR}
	mkdir -p "$out"
	out=$(cd "$out" && pwd)
	run "build the static binary" make -C "$ROOT" -s static STATIC_BIN="$out/migrate"
	"$ROOT/tools/build-deb" --print-version >"$out/VERSION"
	(cd "$out" && sha256sum migrate >migrate.sha256)
	say "built migrate $(cat "$out/VERSION") into $out"
}

check_artifact()
{
	(cd "$1" && sha256sum --quiet -c migrate.sha256)
}

deploy()
{
	local dir=${1:?usage: pipeline.sh deploy ARTIFACT_DIR} rc
	: "${TARGET_DATABASE_URL:?set TARGET_DATABASE_URL to the database to migrate}"
	: "${COPY_DATABASE_URL:?set COPY_DATABASE_URL to a scratch database for verify}"
	local table=${HISTORY_TABLE:-public.schema_migrations}
	[ "$TARGET_DATABASE_URL" != "$COPY_DATABASE_URL" ] || die 2 "the copy must not be the target"
	export MIGRATE_CONFIG=/dev/null
	unset DATABASE_URL MIGRATE_ENV

	run "check the artifact" check_artifact "$dir"
	local migrate=$dir/migrate
	say "$("$migrate" --version)"

	# Nothing happens on a target that holds edited, unknown or running
	# units; pending units (3) are what we came for.
	say "status of the target"
	rc=0
	"$migrate" -d "$TARGET_DATABASE_URL" --no-color status --check --no-drift || rc=$?
	case $rc in
	0 | 3) ;;
	*) die "$rc" "the target is not in a state to migrate (status --check exit $rc)" ;;
	esac

	# The copy is scratch: --force, as it may carry the target's
	# protection (a protected environment's mark travels with the schema
	# and history rows).
	run "drop the old copy" "$migrate" -d "$COPY_DATABASE_URL" -q --force drop-db
	run "create the copy" "$migrate" -d "$COPY_DATABASE_URL" -q create-db
	say "copy the target's schema and history rows"
	local dump_data=(--data-only "--table=$table") has_history
	[ "${COPY_WITH_DATA:-0}" = 1 ] && dump_data=(--data-only)
	# A target never migrated has no history table (and no rows to copy).
	has_history=$(psql -XAtq -v ON_ERROR_STOP=1 -d "$TARGET_DATABASE_URL" \
		-c "SELECT to_regclass('$table') IS NOT NULL" </dev/null) ||
		die 5 "could not read the target"
	{
		pg_dump --schema-only --no-owner --no-privileges -d "$TARGET_DATABASE_URL"
		if [ "$has_history" = t ] || [ "${COPY_WITH_DATA:-0}" = 1 ]; then
			pg_dump "${dump_data[@]}" --no-owner --no-privileges -d "$TARGET_DATABASE_URL"
		fi
	} | psql -X -q -v ON_ERROR_STOP=1 -d "$COPY_DATABASE_URL" >/dev/null ||
		die 2 "could not copy the target into the copy"

	run "verify on the copy" "$migrate" -d "$COPY_DATABASE_URL" --no-color verify
	run "rehearse up on the copy" "$migrate" -d "$COPY_DATABASE_URL" --no-color up
	run "up on the target" "$migrate" -d "$TARGET_DATABASE_URL" --no-color up
	run "status --check on the target" "$migrate" -d "$TARGET_DATABASE_URL" --no-color status --check

	if [ "${KEEP_COPY:-0}" != 1 ]; then
		run "drop the copy" "$migrate" -d "$COPY_DATABASE_URL" -q --force drop-db
	fi
	say "deployed"
}

case ${1:-} in
build) build "${2:-}" ;;
deploy) deploy "${2:-}" ;;
*)
	echo "usage: pipeline.sh build ARTIFACT_DIR | deploy ARTIFACT_DIR" >&2
	exit 2
	;;
esac
