#!/usr/bin/env bash
# t550: protection recorded in the database, and -e against DATABASE_URL
# (issue 10, item 9; SPEC 5).
. "$(dirname "$0")/lib/tap.sh"

prod=$(fresh_db protprod) || BAIL_OUT "cannot create a database"
demo=$(fresh_db protdemo) || BAIL_OUT "cannot create a database"
purl=$(db_url "$prod")
durl=$(db_url "$demo")
applied() { psql_val "$1" "SELECT coalesce(max(version), 0) FROM schema_migrations" 2>/dev/null || echo none; }
mark() { psql_val "$1" "SELECT coalesce(obj_description('public.schema_migrations'::regclass, 'pg_class'), '-')" 2>/dev/null || echo none; }

cat >migrate.yaml <<'YAML'
default_environment: development
environments:
  development:
    database_url: ${DEMO_URL}
  production:
    database_url: ${PROD_URL}
    protected: true
YAML
export DEMO_URL=$durl PROD_URL=$purl

# -e with its own database_url against an ambient DATABASE_URL
command_checks_all 2 '^$' 'migrate\.yaml:6:19: error: environment "production" \(selected by -e\) has its own database_url, but DATABASE_URL is also set \(in the process environment\)' \
	"-e production with DATABASE_URL exported is refused, naming both sources" -- env DATABASE_URL="$durl" "$MIGRATE_BIN" -e production up
unlike "$ERR" "$demo|$prod" "the message shows no URL"
like "$ERR" 'hint: give the target with -d' "and says how to choose"
command_checks_all 2 '^$' 'selected by MIGRATE_ENV.*DATABASE_URL is also set \(by \.env\)' \
	"MIGRATE_ENV against a DATABASE_URL from .env is refused too" -- env MIGRATE_ENV=production sh -c "printf 'DATABASE_URL=%s\n' '$durl' >.env; exec '$MIGRATE_BIN' down"
rm -f .env
is "$(applied "$prod")" "none" "production was not touched"
is "$(applied "$demo")" "none" "nor was the demo database"
command_checks_all 0 'up +0001' '' "-d names the target: no conflict" -- env DATABASE_URL="$durl" "$MIGRATE_BIN" -e production -d "$durl" up --step 1
is "$(mark "$demo")" "migrate:protected" "a changing run in the protected environment marked its target, named by -d"
command_checks_all 0 '^unprotected: ' '' "unprotect --force removes that mark" -- "$MIGRATE_BIN" -d "$durl" unprotect --force
command_checks_all 0 'up +0002' '' "DATABASE_URL without -e still wins over the default environment" -- env DATABASE_URL="$durl" "$MIGRATE_BIN" up --step 1
is "$(applied "$demo")" "2" "the demo database got both units"
run_migrate --json -e production down
is "$RC" "2" "a protected refusal exits 2 with --json"
is "$(json_event "$OUT" summary | jq -r .exit_code)" "2" "and ends with a summary object"
run_migrate --json -e production verify --all
is "$RC" "2" "verify --all --json on a protected environment exits 2"
is "$(grep -c '"event":"summary"' <<<"$OUT")" "1" "and ends with exactly one summary object"

# a changing run in a protected environment marks the database
is "$(mark "$prod")" "none" "production has no history table yet"
command_checks_all 0 'up +0003' 'marked .* as protected' "up in the protected environment marks the database" -- "$MIGRATE_BIN" -e production up --step 3
is "$(mark "$prod")" "migrate:protected" "the mark is the history table's comment"
command_checks_all 2 '^$' "refusing \"down\": the database host=.* dbname=$prod .* is marked as protected" \
	"down through -d is refused against the marked database" -- "$MIGRATE_BIN" -d "$purl" down
command_checks_all 2 '^$' 'is marked as protected' "so is down through DATABASE_URL" -- env DATABASE_URL="$purl" "$MIGRATE_BIN" down
command_checks_all 2 '^$' 'refusing "redo"' "and redo" -- "$MIGRATE_BIN" -d "$purl" redo
command_checks_all 2 '^$' 'refusing "drop-db"' "and drop-db" -- "$MIGRATE_BIN" -d "$purl" drop-db
command_checks_all 2 '' 'refusing "verify"' "and verify --all" -- "$MIGRATE_BIN" -d "$purl" verify --all
run_migrate --json -d "$purl" down
like "$(json_event "$OUT" error | jq -r .message)" '^refusing "down": the database .* is marked as protected$' "the JSON error names the refusal"
is "$(json_event "$OUT" summary | jq -r .exit_code)" "2" "the refusal ends with a JSON summary"
is "$(applied "$prod")" "3" "the refusals changed nothing"
command_checks_all 0 '^version' '' "status still reads a marked database" -- "$MIGRATE_BIN" -d "$purl" status
like "$OUT" 'protection: the database is marked as protected' "status shows the mark"
run_migrate --json -d "$purl" status
is "$(jq -r .protected <<<"$OUT")" "true" "status --json says protected: true"
command_checks_all 0 'down +0003' '' "down --force still runs against the mark" -- "$MIGRATE_BIN" -d "$purl" down --force
fp_before=$("$MIGRATE_BIN" -d "$purl" schema | sha256sum)

# protect and unprotect
command_checks_all 2 '^$' 'unprotect removes the protection mark only with --force' "unprotect without --force is refused" -- "$MIGRATE_BIN" -d "$purl" unprotect
command_checks_all 0 '^unprotected: ' '' "unprotect --force removes the mark" -- "$MIGRATE_BIN" -d "$purl" unprotect --force
is "$(mark "$prod")" "-" "the comment is gone"
is "$("$MIGRATE_BIN" -d "$purl" schema | sha256sum)" "$fp_before" "the mark does not change the schema text (fingerprint)"
command_checks_all 0 'down +0002' '' "down runs without --force once unmarked" -- "$MIGRATE_BIN" -d "$purl" down
command_checks_all 0 '^protected: ' '' "protect marks the database explicitly" -- "$MIGRATE_BIN" -d "$durl" protect
is "$(mark "$demo")" "migrate:protected" "the demo database is marked"
command_checks_all 2 '^$' 'is marked as protected' "the development environment cannot down the marked database either" -- "$MIGRATE_BIN" down
new=$(fresh_db protnew) || BAIL_OUT "cannot create a database"
command_checks_all 0 '^protected: ' '' "protect on a database without a history table creates it" -- "$MIGRATE_BIN" -d "$(db_url "$new")" protect
is "$(mark "$new")" "migrate:protected" "and marks it"
command_checks_all 2 '^$' 'refusing "drop-db"' "drop-db refuses a marked database" -- "$MIGRATE_BIN" -d "$(db_url "$new")" drop-db
command_checks_all 0 'dropped' '' "drop-db --force drops it" -- "$MIGRATE_BIN" -d "$(db_url "$new")" drop-db --force
# a role that does not own the history table cannot mark: a warning, the run goes on
other=$(fresh_db protother) || BAIL_OUT "cannot create a database"
psql_val "$other" "CREATE ROLE mig_not_owner_550 LOGIN" >/dev/null 2>&1
psql_val "$other" "CREATE TABLE public.schema_migrations (version bigint PRIMARY KEY, name text NOT NULL, checksum text NOT NULL, state text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now(), applied_by text NOT NULL DEFAULT current_user, duration_ms integer NOT NULL DEFAULT 0, schema_hash text, owner text); GRANT ALL ON SCHEMA public TO mig_not_owner_550; GRANT ALL ON public.schema_migrations TO mig_not_owner_550" >/dev/null
ourl=$(db_url "$other" | sed 's/user=postgres/user=mig_not_owner_550/')
command_checks_all 0 'up +0001' 'migrate: warning: could not mark .* as protected: must be owner' \
	"up in a protected environment by a role that cannot mark warns and applies" -- "$MIGRATE_BIN" -e production -d "$ourl" up --step 1
is "$(mark "$other")" "-" "nothing was marked"
command_checks_all 1 '' 'marking the database as protected failed' "an explicit protect by that role fails" -- "$MIGRATE_BIN" -d "$ourl" protect

command_checks_all 0 '' '' "help lists protect and unprotect" -- "$MIGRATE_BIN" help
like "$OUT" 'protect +mark the target database' "help describes protect"
like "$OUT" 'unprotect +remove' "help describes unprotect"

done_testing
