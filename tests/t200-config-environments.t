#!/usr/bin/env bash
# t200: the real binary with migrate.yaml, .env, environments, precedence
# and protected environments.
. "$(dirname "$0")/lib/tap.sh"

dev=$(fresh_db cfgdev) || BAIL_OUT "cannot create a database"
prod=$(fresh_db cfgprod) || BAIL_OUT "cannot create a database"
other=$(fresh_db cfgother) || BAIL_OUT "cannot create a database"
applied() { psql_val "$1" "SELECT coalesce(max(version), 0) FROM schema_migrations" 2>/dev/null || echo none; }

cat >migrate.yaml <<'YAML'
lock_timeout: 2s
default_environment: development
environments:
  development:
    database_url: ${DEV_URL}
  production:
    database_url: ${PROD_URL}
    protected: true
YAML
printf 'DEV_URL=%s\n# a comment\nexport PROD_URL="%s"\n' "$(db_url "$dev")" "$(db_url "$prod")" >.env

command_checks_all 0 'up +0001' '^$' "up uses the default environment, its URL from .env" -- "$MIGRATE_BIN" up --step 1
is "$(applied "$dev")" "1" "the development database got the unit"
is "$(applied "$prod")" "none" "the production database was not touched"

command_checks_all 0 'up +0002' 'marked .* as protected' "-e production selects the other environment (and marks its protected database)" -- "$MIGRATE_BIN" -e production up --step 2
is "$(applied "$prod")" "2" "the production database got two units"
command_checks_all 0 'up +0003' '^$' "MIGRATE_ENV selects the environment too" -- env MIGRATE_ENV=production "$MIGRATE_BIN" up --step 1
is "$(applied "$prod")" "3" "MIGRATE_ENV=production applied to production"

command_checks_all 2 '^$' 'refusing "down" on protected environment "production" without --force' "down is refused on a protected environment" -- "$MIGRATE_BIN" -e production down
command_checks_all 2 '^$' 'refusing "redo"' "redo is refused on a protected environment" -- "$MIGRATE_BIN" redo -e production
command_checks_all 2 '^$' 'refusing "drop-db"' "drop-db is refused on a protected environment" -- "$MIGRATE_BIN" -e production drop-db
is "$(applied "$prod")" "3" "the refusals changed nothing"
command_checks_all 0 'down +0003' '^$' "down --force runs on a protected environment" -- "$MIGRATE_BIN" -e production down --force
is "$(applied "$prod")" "2" "down --force rolled back one unit"
command_checks_all 0 'version|applied' '^$' "status is allowed on a protected environment" -- "$MIGRATE_BIN" -e production status

command_checks_all 0 'up +0001' '^$' "DATABASE_URL beats the environment's URL" -- env DATABASE_URL="$(db_url "$other")" "$MIGRATE_BIN" up --step 1
is "$(applied "$other")" "1" "the DATABASE_URL database got the unit"
command_checks_all 0 'up +0002' '^$' "-d beats DATABASE_URL" -- env DATABASE_URL=postgresql:///nowhere "$MIGRATE_BIN" -d "$(db_url "$other")" up --step 1
is "$(applied "$other")" "2" "the -d database got the unit"
command_checks_all 0 'up +0002' '^$' "a variable already set beats .env" -- env DEV_URL="$(db_url "$dev")" "$MIGRATE_BIN" up --step 1
is "$(applied "$dev")" "2" "the development database got the unit"

command_checks_all 2 '^$' 'environment.*staging' "a missing environment is a configuration error" -- "$MIGRATE_BIN" -e staging status
run_migrate -e staging --json status
is "$RC" "2" "a missing environment exits 2 with --json too"
is "$(json_event "$OUT" error | jq -r .exit_code)" "2" "--json prints an error object for a configuration error"

cat >broken.yaml <<'YAML'
lock_timeout: 5
environments:
  development:
    database_url: x
YAML
command_checks_all 2 '^$' 'broken\.yaml:1:15: error: .*lock_timeout' "a bad duration names file, line and column" -- "$MIGRATE_BIN" -c broken.yaml status
command_checks_all 2 '^$' 'broken\.yaml:1:15' "MIGRATE_CONFIG names the file too" -- env MIGRATE_CONFIG=broken.yaml "$MIGRATE_BIN" status
command_checks_all 2 '^$' 'could not open "missing\.yaml"' "a named file that is missing is an error" -- "$MIGRATE_BIN" -c missing.yaml status

printf 'lock_timeout: 1s\nunknwon_key: 1\n' >typo.yaml
command_checks_all 2 '^$' 'typo\.yaml:2:1: error: unknown key "unknwon_key"' "an unknown key is an error at the key" -- "$MIGRATE_BIN" -c typo.yaml status

rm -f migrate.yaml .env
command_checks_all 0 '^0002$' '^$' "without any configuration file -d is enough" -- "$MIGRATE_BIN" -d "$(db_url "$dev")" version

done_testing
