/*
 * test_eng_history_shape.c: history_shape_tool(), which tool a history
 * table belongs to by its columns, as each tool creates it on PostgreSQL.
 */
#include <stddef.h>

#include "history_shape.h"
#include "tap.h"

int
main(void)
{
	ok(history_shape_tool("version name checksum state applied_at applied_by duration_ms "
						  "schema_hash owner") == NULL,
	   "this runner's own table is nobody else's");
	is(history_shape_tool("version dirty"), "golang-migrate", "version, dirty: golang-migrate");
	is(history_shape_tool("version"), "dbmate", "version alone: dbmate");
	is(history_shape_tool("id version_id is_applied tstamp"), "goose", "goose_db_version");
	is(history_shape_tool("installed_rank version description type script checksum "
						  "installed_by installed_on execution_time success"),
	   "flyway", "flyway_schema_history");
	is(history_shape_tool("version run_on"), "diesel", "version, run_on: diesel");
	is(history_shape_tool("id applied"), "another tool", "an unknown shape");
	is(history_shape_tool("versions"), "another tool", "a column name is matched whole");
	is(history_shape_suffix("golang-migrate"), "golang_migrate",
	   "golang-migrate moves aside as _golang_migrate");
	is(history_shape_suffix("dbmate"), "dbmate", "dbmate as _dbmate");
	return done_testing();
}
