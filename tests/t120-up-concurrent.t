#!/usr/bin/env bash
# t120: eight runners started together on an empty database apply each
# unit exactly once, every time.
. "$(dirname "$0")/lib/tap.sh"

# every version in migrations/, as the history lists them
allv=$(ls "$MIGRATE_ROOT/migrations" | sed -n 's/^0*\([0-9][0-9]*\)_[a-z0-9_]*\.\(pgc\|sql\)$/\1/p' | sort -n | paste -sd,)

for round in 1 2 3 4 5; do
	db=$(fresh_db conc) || BAIL_OUT "cannot create a database"
	url=$(db_url "$db")
	# count every CREATE TABLE: a unit applied twice would fail, or run twice
	psql_val "$db" "CREATE TABLE public.audit (tag text); CREATE FUNCTION public.audit_ddl() RETURNS event_trigger LANGUAGE plpgsql AS \$\$ BEGIN INSERT INTO public.audit SELECT object_identity FROM pg_event_trigger_ddl_commands() WHERE command_tag = 'CREATE TABLE'; END \$\$; CREATE EVENT TRIGGER audit_ddl ON ddl_command_end EXECUTE FUNCTION public.audit_ddl();" >/dev/null
	for i in 1 2 3 4 5 6 7 8; do
		run_migrate_bg "r$i" -d "$url" --lock-timeout 30s up
	done
	codes=""
	for i in 1 2 3 4 5 6 7 8; do
		wait_bg "r$i"
		codes="$codes$RC"
	done
	is "$codes" "00000000" "round $round: all eight runners exit 0"
	is "$(psql_val "$db" "SELECT string_agg(version::text, ',' ORDER BY version) FROM schema_migrations")" "$allv" "round $round: every version is recorded once"
	is "$(psql_val "$db" "SELECT count(*) FROM public.audit WHERE tag NOT LIKE '%schema_migrations'")" "7" "round $round: each of the seven tables was created exactly once"
	is "$(psql_val "$db" "SELECT count(*) FROM pg_locks l JOIN pg_database d ON d.oid = l.database WHERE l.locktype = 'advisory' AND d.datname = current_database()")" "0" "round $round: no advisory lock is left held in its database"
done

done_testing
