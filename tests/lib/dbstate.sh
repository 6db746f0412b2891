# dbstate.sh: helpers for tests that must show a database was left exactly
# as it was, or that wait for runners to go away.  Source after tap.sh.
#
#   db_state DB         print pg_dump --schema-only of DB (without pg_dump's
#                       random \restrict lines) and every history row, so
#                       that two calls can be compared with "is"
#   wait_no_runner DB   wait (up to 15 s) until no session named migrate/...
#                       is left on DB; returns 1 on time-out
#   runner_pids DB      print the OS pids of the migrate runners that own
#                       sessions on DB (from their application_name)

db_state()
{
	local db=${1:?usage: db_state DB}
	pg_dump --schema-only --no-owner -d "$db" 2>&1 | grep -v -e '^\\restrict ' -e '^\\unrestrict '
	echo "-- history rows"
	psql -XAtq -d "$db" -c "SELECT CASE WHEN to_regclass('public.schema_migrations') IS NULL
		THEN 'no history table' END" </dev/null
	if [ "$(psql -XAtq -d "$db" -c "SELECT to_regclass('public.schema_migrations') IS NOT NULL" </dev/null)" = t ]; then
		psql -XAtq -d "$db" -c "SELECT version, name, checksum, state, applied_at,
			applied_by, duration_ms, schema_hash, owner
			FROM public.schema_migrations ORDER BY version" </dev/null
	fi
}

wait_no_runner()
{
	local db=${1:?usage: wait_no_runner DB} i n
	for ((i = 0; i < 150; i++)); do
		n=$(psql -XAtq -d "$db" -c "SELECT count(*) FROM pg_stat_activity
			WHERE datname = current_database() AND application_name LIKE 'migrate/%'" </dev/null)
		[ "$n" = 0 ] && return 0
		sleep 0.1
	done
	return 1
}

runner_pids()
{
	psql -XAtq -d "${1:?usage: runner_pids DB}" -c "SELECT DISTINCT split_part(application_name, '/', 3)
		FROM pg_stat_activity WHERE datname = current_database()
		AND application_name LIKE 'migrate/%'" </dev/null
}
