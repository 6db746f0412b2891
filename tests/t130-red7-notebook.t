#!/usr/bin/env bash
# t130: a database migrated to 0005 is indistinguishable from one built by
# the notebook's SQL, and down from 0005 to 0 leaves an empty schema.
. "$(dirname "$0")/lib/tap.sh"

dump() {
	pg_dump --schema-only --no-owner --exclude-table=public.schema_migrations "$(db_url "$1")" |
		grep -v '^\\\(un\)\?restrict '
}

migrated=$(fresh_db red7m) || BAIL_OUT "cannot create a database"
notebook=$(fresh_db red7n) || BAIL_OUT "cannot create a database"
empty=$(fresh_db red7e) || BAIL_OUT "cannot create a database"

run_migrate -d "$(db_url "$migrated")" up --to 5
is "$RC" "0" "up --to 5 applies 0001 to 0005"
run_cmd psql -XAtq -v ON_ERROR_STOP=1 -d "$(db_url "$notebook")" -f "$MIGRATE_ROOT/tests/red7/notebook.sql"
is "$RC" "0" "the notebook's SQL runs"

a=$(dump "$migrated")
b=$(dump "$notebook")
like "$a" 'CREATE TABLE public.user_room' "the dump of the migrated database holds the tables"
if is "$a" "$b" "pg_dump --schema-only of the migrated database equals the notebook's"; then :; else
	diag "$(diff <(printf '%s\n' "$a") <(printf '%s\n' "$b") | head -20)"
fi

run_migrate -d "$(db_url "$migrated")" down --all
is "$RC" "0" "down --all rolls back 0005 to 0001"
is "$(psql_val "$migrated" "SELECT count(*) FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relname NOT LIKE 'schema_migrations%'")" "0" "no table, sequence or index of the units remains"
is "$(dump "$migrated")" "$(dump "$empty")" "after down --all the schema equals an empty database's"

done_testing
