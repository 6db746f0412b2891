/*
 * protect.c: the protection mark in the database (protect.h), read after
 * every connection and set by protect, unprotect and changing runs in
 * protected environments.
 */
#include "protect.h"

#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "engine.h"
#include "engine_internal.h"
#include "exitcode.h"
#include "history.h"
#include "log.h"
#include "report.h"

static struct
{
	const char *command;
	bool check;
	bool force;
	bool mark;
} armed;

void
protect_arm(const char *command, bool check, bool force, bool mark)
{
	armed.command = command;
	armed.check = check;
	armed.force = force;
	armed.mark = mark;
}

void
protect_sql_read(struct buf *sql, const struct engine *e)
{
	/* schema-qualified, so that no search_path of the session matters */
	buf_printf(sql,
			   "SELECT pg_catalog.obj_description(pg_catalog.to_regclass(%s), 'pg_class') "
			   "OPERATOR(pg_catalog.=) '" PROTECT_MARK "'",
			   e->ht.regclass_literal);
}

bool
protect_parse(const PGresult *res)
{
	return PQntuples(res) == 1 && !PQgetisnull(res, 0, 0) &&
		   strcmp(PQgetvalue(res, 0, 0), "t") == 0;
}

int
protect_read(struct engine *e, bool *marked)
{
	struct buf sql;
	struct db_error err = {0};
	PGresult *res[1];
	int n = 0;
	int rc = 0;

	*marked = false;
	buf_init(&sql);
	protect_sql_read(&sql, e);
	if (db_batch(e->db, sql.data, res, 1, &n, &err) != 0)
		rc = engine_report_db_failure(e, "reading the protection mark", &err);
	else if (n == 1)
		*marked = protect_parse(res[0]);
	if (n == 1)
		PQclear(res[0]);
	db_error_clear(&err);
	buf_free(&sql);
	return rc;
}

/* protect_set; with quiet_denial a refused privilege is a warning only. */
static int
set_mark(struct engine *e, bool on, bool quiet_denial)
{
	struct buf sql;
	struct db_error err = {0};
	int rc = 0;

	buf_init(&sql);
	history_sql_begin(&sql, &e->ts, false);
	history_sql_lock(&sql, &e->ht);
	if (on)
		history_sql_create(&sql, &e->ht);
	buf_printf(&sql, "COMMENT ON TABLE %s IS %s;\n", e->ht.qualified,
			   on ? "'" PROTECT_MARK "'" : "NULL");
	buf_append(&sql, "COMMIT;");
	if (db_exec(e->db, sql.data, &err) != 0)
	{
		engine_rollback(e->db);
		if (quiet_denial && strcmp(err.sqlstate, "42501") == 0)
			report_warning("could not mark %s as protected: %s (only the history table's owner "
						   "can; \"migrate protect\" as that role does it)",
						   e->db->description, err.message);
		else
			rc = engine_report_db_failure(
				e, on ? "marking the database as protected" : "removing the protection mark", &err);
	}
	db_error_clear(&err);
	buf_free(&sql);
	return rc;
}

int
protect_set(struct engine *e, bool on)
{
	return set_mark(e, on, false);
}

/* The refusal of a protected command against a marked database. */
static int
refuse(struct engine *e)
{
	struct db_error why = {
		"", "a \"migrate protect\", or a run in a protected environment, marked it", NULL,
		"add --force if you mean it; \"migrate unprotect --force\" removes the mark"};
	char msg[512];

	snprintf(msg, sizeof(msg), "refusing \"%s\": the database %s is marked as protected",
			 armed.command, e->db->description);
	report_error(EXIT_USAGE, msg, &why, NULL, NULL, 0);
	return EXIT_USAGE;
}

int
protect_on_connect(struct engine *e)
{
	bool marked = false;
	int rc;

	if (armed.check && !armed.force)
	{
		rc = protect_read(e, &marked);
		if (rc != 0)
			return rc;
		if (marked)
			return refuse(e);
	}
	if (armed.mark)
	{
		rc = protect_read(e, &marked);
		if (rc == 0 && !marked)
		{
			rc = set_mark(e, true, true);
			if (rc == 0 && protect_read(e, &marked) == 0 && marked)
				report_notice("marked %s as protected (a run in a protected environment)",
							  e->db->description);
		}
		return rc;
	}
	return EXIT_OK;
}
