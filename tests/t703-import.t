#!/usr/bin/env bash
# t703: migrate import --from FORMAT DIR for golang-migrate, dbmate, goose,
# flyway and diesel (SPEC 12): the
# imported units build, and up (and down) give the schema psql gives
# running the source files; refusals write nothing; nothing is ever
# overwritten.
. "$(dirname "$0")/lib/tap.sh"

build() { build_units "$@"; }
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

# The source files psql runs for the ups, in order, and for the last down.
# (For goose and dbmate, the section of each file.)
goose_section() {
	awk -v want="$2" 'tolower($0) ~ /^-- \+goose up/ { on = (want == "up"); next }
		tolower($0) ~ /^-- \+goose down/ { on = (want == "down"); next } on' "$1"
}
run_ups() {
	local f i=0
	case $1 in
	golang-migrate) for f in "$src"/*.up.sql; do psql_file "$2" "$f"; done ;;
	dbmate) for f in "$src"/*.sql; do section "$f" up >up.sql && psql_file "$2" up.sql; done ;;
	goose) for f in "$src"/*.sql; do goose_section "$f" up >up.sql && psql_file "$2" up.sql; done ;;
	flyway) for f in "$src"/V*.sql; do psql_file "$2" "$f"; done ;;
	diesel) for f in "$src"/*/up.sql; do psql_file "$2" "$f"; done ;;
	esac
}
run_last_down() {
	case $1 in
	golang-migrate) psql_file "$2" "$src/4_view_and_fix.down.sql" ;;
	dbmate) section "$src/20240101000004_view_and_fix.sql" down >down.sql && psql_file "$2" down.sql ;;
	goose) goose_section "$src/00004_view_and_fix.sql" down >down.sql && psql_file "$2" down.sql ;;
	flyway) psql_file "$2" "$src/U4__view_and_fix.sql" ;;
	diesel) psql_file "$2" "$src/2024-01-01-000004_view_and_fix/down.sql" ;;
	esac
}

for format in golang-migrate dbmate goose flyway diesel; do
	src=$MIGRATE_ROOT/tests/import/$format
	units=units-$format
	n=4
	[ "$format" = diesel ] && n=5
	printf 'migrations_dir: %s\n' "$units" >migrate.yaml
	command_checks_all 0 "import: $n written, 0 unchanged, from $n $format migrations" '^$' \
		"$format: import writes $n units" -- "$MIGRATE_BIN" import --from "$format" "$src"
	build "$units"
	is "$RC" "0" "$format: the imported units build" || diag "$ERR"

	ours=$(fresh_db) || BAIL_OUT "cannot create a database"
	ref=$(fresh_db) || BAIL_OUT "cannot create a database"
	command_checks_all 0 'up +[0-9]*4 view_and_fix +ok' '' "$format: up applies them" \
		-- "out-$units/migrate" -d "$(db_url "$ours")" up
	run_ups "$format" "$ref"
	is "$(schema "$ours")" "$(schema "$ref")" "$format: the schema equals psql running the source ups"
	is "$(psql_val "$ours" "SELECT city FROM user_cities")" "Oslo" "$format: the data fix ran"

	command_checks_all 0 'down +[0-9]*4 view_and_fix' '' "$format: down rolls the last unit back" \
		-- "out-$units/migrate" -d "$(db_url "$ours")" down
	run_last_down "$format" "$ref"
	is "$(schema "$ours")" "$(schema "$ref")" "$format: the schema equals psql running the source down"
	command_checks_all 6 '' 'irreversible: [0-9]*3 more_moods' "$format: a migration without a down is irreversible" \
		-- "out-$units/migrate" -d "$(db_url "$ours")" down
	ok "$format: the index unit runs outside a transaction" \
		grep -q '^-- migrate:up transaction:false$' "$units"/*_users_login_index.sql
	case $format in
	golang-migrate)
		ok "$format: the BEGIN/COMMIT wrapper is dropped and said so" \
			grep -q '^-- The BEGIN/COMMIT around 1_create-users.up.sql was dropped' "$units/1_create_users.sql"
		ok "$format: CONCURRENTLY makes a no-transaction unit, said so" \
			grep -q '^-- Runs outside a transaction: CREATE INDEX CONCURRENTLY' "$units/2_users_login_index.sql"
		ok "$format: a name with dots keeps its original in the first comment" \
			grep -q '^-- The source names it "users.login.index"' "$units/2_users_login_index.sql"
		;;
	diesel)
		ok "$format: version 0 (the initial setup) becomes 1, said so" \
			grep -q '^-- The source numbers it 0' "$units/1_diesel_initial_setup.sql"
		;;
	esac

	command_checks_all 0 "import: 0 written, $n unchanged" '^$' "$format: importing again changes nothing" \
		-- "$MIGRATE_BIN" import --from "$format" "$src"
done

# ---------------------------------------------------------- refusals
printf 'migrations_dir: refused\n' >migrate.yaml
mkdir -p bad
printf 'CREATE TABLE a (id int);\n' >bad/1_a.up.sql
printf 'SELECT 1;\n\\i other.sql\n' >bad/2_meta.up.sql
printf 'CREATE TABLE b (id int);\nCOMMIT;\nCREATE TABLE c (id int);\n' >bad/3_commit.up.sql
printf 'SELECT 1;\n' >bad/12345678901234567890_long.up.sql
mkdir -p fw
printf 'SELECT 1;\n' >fw/V1_1__dotted.sql
printf 'SELECT 1;\n' >fw/R__view.sql
printf 'CREATE SCHEMA ${schema};\n' >fw/V2__placeholder.sql
command_checks_all 2 '' 'bad/2_meta\.up\.sql:2: a psql meta-command' \
	"a meta-command is refused with the file and line" \
	-- "$MIGRATE_BIN" import --from golang-migrate bad
like "$ERR" 'bad/3_commit\.up\.sql:2: transaction control inside a migration' "a COMMIT inside a file is refused"
like "$ERR" '12345678901234567890_long\.up\.sql: version 12345678901234567890 has more than 18 digits' \
	"a 20-digit version is refused"
ok "nothing was written" test ! -e refused
command_checks_all 2 '' 'fw/V1_1__dotted\.sql: version 1_1 is not an integer' \
	"a Flyway version that is not an integer is refused" -- "$MIGRATE_BIN" import --from flyway fw
like "$ERR" 'fw/R__view\.sql: a repeatable migration' "a repeatable Flyway migration is refused"
like "$ERR" 'fw/V2__placeholder\.sql:1: a Flyway placeholder' "a Flyway placeholder is refused"

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
