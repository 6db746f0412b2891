#!/usr/bin/env bash
# t403: pending versions below the highest applied one are "out-of-order":
# up refuses (exit 6) listing them, unless --out-of-order or
# out_of_order: true (migrate.yaml, or MIGRATE_OUT_OF_ORDER=true), which
# apply them in version order.
. "$(dirname "$0")/lib/tap.sh"
. "$MIGRATE_ROOT/tests/lib/dbstate.sh"

bin=$(set_bin guard_three)
db=$(fresh_db ooo) || BAIL_OUT "cannot create a database"
url=$(db_url "$db")

# As if 0030 came from a branch merged first: 0010 and 0020 were never
# applied here, 0030 was.
make_gap()
{
	psql_val "$db" "DELETE FROM schema_migrations WHERE version IN (10, 20);
		DROP TABLE accounts"
}

run_cmd "$bin" -d "$url" up
is "$RC" 0 "up applies every unit"
make_gap

run_cmd "$bin" -d "$url" --json status
is "$(jq -r '[.units[].state] | join(",")' <<<"$OUT")" "out-of-order,out-of-order,applied" \
	"status shows the two pending units below 0030 as out-of-order"
run_cmd "$bin" -d "$url" status --check
is "$RC" 3 "status --check exits 3 for out-of-order units"

before=$(db_state "$db")
command_checks_all 6 '' 'pending below the highest applied version \(use --out-of-order\): 0010 create_accounts; pending below the highest applied version \(use --out-of-order\): 0020 add_email' \
	"up refuses with exit 6 listing both out-of-order units" -- "$bin" -d "$url" up
is "$(db_state "$db")" "$before" "the refused up left the database exactly as it was"
run_cmd "$bin" -d "$url" up --to 10
is "$RC" 6 "up --to 10 refuses too"
is "$(db_state "$db")" "$before" "the refused up --to left the database exactly as it was"
run_cmd "$bin" -d "$url" up --dry-run
is "$RC" 6 "up --dry-run refuses too"
run_cmd "$bin" -d "$url" up --single-transaction
is "$RC" 6 "up --single-transaction refuses too"
is "$(db_state "$db")" "$before" "the refused dry and single-transaction runs left the database exactly as it was"

command_checks_all 0 '^up +0010 create_accounts +ok.*
up +0020 add_email +ok' '^$' \
	"up --out-of-order applies them in version order" -- "$bin" -d "$url" up --out-of-order
is "$(psql_val "$db" "SELECT string_agg(version::text, ',' ORDER BY version) FROM schema_migrations")" \
	"10,20,30" "every unit is recorded"
is "$(psql_val "$db" "SELECT count(*) FROM information_schema.columns WHERE table_name = 'accounts' AND column_name = 'email'")" \
	1 "the out-of-order units ran"
run_cmd "$bin" -d "$url" --json status
is "$(json_field "$OUT" drift)" false "the fingerprint is stored in the newest row, so status sees no drift"
is "$(psql_val "$db" "SELECT schema_hash IS NOT NULL FROM schema_migrations WHERE version = 30")" t \
	"the newest row (0030) carries the run's fingerprint"

make_gap
run_cmd env MIGRATE_OUT_OF_ORDER=true "$bin" -d "$url" up
is "$RC" 0 "MIGRATE_OUT_OF_ORDER=true applies out-of-order units"
like "$OUT" 'up +0010 create_accounts +ok.*
up +0020 add_email +ok' "in version order"

make_gap
printf 'out_of_order: true\n' >migrate.yaml
run_cmd "$bin" -d "$url" up
is "$RC" 0 "out_of_order: true in migrate.yaml applies out-of-order units"
like "$OUT" 'up +0010 create_accounts +ok.*
up +0020 add_email +ok' "in version order"
rm migrate.yaml

make_gap
command_checks_all 0 '^up +0010 create_accounts +ok' '' \
	"up --out-of-order --to 10 applies only the first" -- "$bin" -d "$url" up --out-of-order --to 10
unlike "$OUT" '0020' "0020 stays pending"
run_cmd "$bin" -d "$url" up
is "$RC" 6 "the remaining out-of-order unit is still refused without the option"
run_cmd env MIGRATE_OUT_OF_ORDER=false "$bin" -d "$url" up
is "$RC" 6 "MIGRATE_OUT_OF_ORDER=false refuses too"
before=$(db_state "$db")
command_checks_all 2 '' 'MIGRATE_OUT_OF_ORDER' \
	"a bad MIGRATE_OUT_OF_ORDER is a configuration error" -- env MIGRATE_OUT_OF_ORDER=maybe "$bin" -d "$url" up
is "$(db_state "$db")" "$before" "the configuration error left the database exactly as it was"

done_testing
