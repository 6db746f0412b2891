#!/usr/bin/env bash
# t703: migrate import --from golang-migrate|dbmate DIR (SPEC 12): the
# imported units build, and up (and down) give the schema psql gives
# running the source files; refusals write nothing; nothing is ever
# overwritten.
. "$(dirname "$0")/lib/tap.sh"

san=0
case $MIGRATE_BUILD in *asan*) san=1 ;; esac
build() {
	run_cmd make -C "$MIGRATE_ROOT" SAN=$san BUILD="$MIGRATE_BUILD" MIGRATIONS_DIR="$PWD/$1" \
		UNITS_OUT="$PWD/out-$1" BIN="$PWD/out-$1/migrate" "$PWD/out-$1/migrate"
}
schema() {
	# pg_dump's \restrict lines carry a random key
	pg_dump --schema-only --no-owner -T schema_migrations "$(db_url "$1")" |
		grep -v -e '^--' -e '^\\restrict' -e '^\\unrestrict'
}
# The up (or down) section of a dbmate file, for psql.
section() {
	awk -v want="$2" '/^-- migrate:up/ { on = (want == "up"); next }
		/^-- migrate:down/ { on = (want == "down"); next } on' "$1"
}
psql_file() {
	psql -X -q -v ON_ERROR_STOP=1 -d "$(db_url "$1")" -f "$2" >/dev/null
}

for format in golang-migrate dbmate; do
	src=$MIGRATE_ROOT/tests/import/$format
	units=units-$format
	printf 'migrations_dir: %s\n' "$units" >migrate.yaml
	command_checks_all 0 "import: 4 written, 0 unchanged, from 4 $format migrations" '^$' \
		"$format: import writes four units" -- "$MIGRATE_BIN" import --from "$format" "$src"
	build "$units"
	is "$RC" "0" "$format: the imported units build" || diag "$ERR"

	ours=$(fresh_db) || BAIL_OUT "cannot create a database"
	ref=$(fresh_db) || BAIL_OUT "cannot create a database"
	command_checks_all 0 'up +[0-9]*4 view_and_fix +ok' '' "$format: up applies them" \
		-- "out-$units/migrate" -d "$(db_url "$ours")" up
	for f in "$src"/*; do
		case $f in
		*.down.sql) continue ;;
		*.up.sql) psql_file "$ref" "$f" ;;
		*) section "$f" up >up.sql && psql_file "$ref" up.sql ;;
		esac
	done
	is "$(schema "$ours")" "$(schema "$ref")" "$format: the schema equals psql running the source ups"
	is "$(psql_val "$ours" "SELECT city FROM user_cities")" "Oslo" "$format: the data fix ran"

	command_checks_all 0 'down +[0-9]*4 view_and_fix' '' "$format: down rolls the last unit back" \
		-- "out-$units/migrate" -d "$(db_url "$ours")" down
	if [ "$format" = golang-migrate ]; then
		psql_file "$ref" "$src/4_view_and_fix.down.sql"
	else
		section "$src/20240101000004_view_and_fix.sql" down >down.sql && psql_file "$ref" down.sql
	fi
	is "$(schema "$ours")" "$(schema "$ref")" "$format: the schema equals psql running the source down"
	command_checks_all 6 '' 'irreversible: [0-9]*3 more_moods' "$format: a migration without a down is irreversible" \
		-- "out-$units/migrate" -d "$(db_url "$ours")" down
	if [ "$format" = golang-migrate ]; then
		ok "$format: the BEGIN/COMMIT wrapper is dropped and said so" \
			grep -q '^-- The BEGIN/COMMIT around 1_create-users.up.sql was dropped' "$units/1_create_users.sql"
		ok "$format: CONCURRENTLY makes a no-transaction unit, said so" \
			grep -q '^-- Runs outside a transaction: CREATE INDEX CONCURRENTLY' "$units/2_users_login_index.sql"
		ok "$format: a name with dots keeps its original in the first comment" \
			grep -q '^-- The source names it "users.login.index"' "$units/2_users_login_index.sql"
	else
		ok "$format: transaction:false is kept" \
			grep -q '^-- migrate:up transaction:false$' "$units/20240101000002_users_login_index.sql"
	fi

	command_checks_all 0 "import: 0 written, 4 unchanged" '^$' "$format: importing again changes nothing" \
		-- "$MIGRATE_BIN" import --from "$format" "$src"
done

# ---------------------------------------------------------- refusals
printf 'migrations_dir: refused\n' >migrate.yaml
mkdir -p bad
printf 'CREATE TABLE a (id int);\n' >bad/1_a.up.sql
printf 'SELECT 1;\n\\i other.sql\n' >bad/2_meta.up.sql
printf 'CREATE TABLE b (id int);\nCOMMIT;\nCREATE TABLE c (id int);\n' >bad/3_commit.up.sql
printf 'SELECT 1;\n' >bad/12345678901234567890_long.up.sql
command_checks_all 2 '' 'bad/2_meta\.up\.sql:2: a psql meta-command' \
	"a meta-command is refused with the file and line" \
	-- "$MIGRATE_BIN" import --from golang-migrate bad
like "$ERR" 'bad/3_commit\.up\.sql:2: transaction control inside a migration' "a COMMIT inside a file is refused"
like "$ERR" '12345678901234567890_long\.up\.sql: version 12345678901234567890 has more than 18 digits' \
	"a 20-digit version is refused"
ok "nothing was written" test ! -e refused

printf 'migrations_dir: mine\n' >migrate.yaml
mkdir -p mine good
printf -- '-- migrate:up\nSELECT 1;\n' >mine/1_a.sql
printf 'SELECT 2;\n' >good/1_a.up.sql
printf 'SELECT 3;\n' >good/2_b.up.sql
command_checks_all 2 '' 'mine/1_a\.sql: a unit with version 1 is already there' \
	"a different unit with the same version is refused" -- "$MIGRATE_BIN" import --from golang-migrate good
is "$(cat mine/1_a.sql)" "$(printf -- '-- migrate:up\nSELECT 1;')" "and left as it was"
ok "and nothing else was written" test ! -e mine/2_b.sql

done_testing
