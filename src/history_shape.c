/*
 * history_shape.c: which tool a history table belongs to, from its column
 * names (history_shape.h).  The layouts are the ones each tool creates on
 * PostgreSQL: golang-migrate (version bigint, dirty boolean), dbmate
 * (version varchar), goose (id, version_id, is_applied, tstamp), Flyway
 * (installed_rank, version, ..., success) and diesel (version, run_on).
 */
#include "history_shape.h"

#include <string.h>

/* Whether the space-separated list has name as one of its words. */
static bool
has(const char *columns, const char *name)
{
	size_t len = strlen(name);
	const char *p = columns;

	while ((p = strstr(p, name)) != NULL)
	{
		bool starts = p == columns || p[-1] == ' ';
		bool ends = p[len] == '\0' || p[len] == ' ';

		if (starts && ends)
			return true;
		p += len;
	}
	return false;
}

const char *
history_shape_tool(const char *columns)
{
	if (has(columns, "version") && has(columns, "name") && has(columns, "checksum") &&
		has(columns, "state"))
		return NULL;
	if (has(columns, "installed_rank") && has(columns, "success"))
		return "flyway";
	if (has(columns, "version_id") && has(columns, "is_applied"))
		return "goose";
	if (has(columns, "version") && has(columns, "dirty"))
		return "golang-migrate";
	if (has(columns, "version") && has(columns, "run_on"))
		return "diesel";
	if (strcmp(columns, "version") == 0)
		return "dbmate";
	return "another tool";
}

const char *
history_shape_suffix(const char *format)
{
	return strcmp(format, "golang-migrate") == 0 ? "golang_migrate" : format;
}
