/*
 * adopt.c: taking over another tool's history (adopt.h).  Everything is
 * read and checked inside the transaction that then writes: the lock is
 * held from the first read, so that no runner (of either tool, when it
 * takes a lock on the same table) slips in between.
 */
#include "adopt.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "engine_internal.h"
#include "exitcode.h"
#include "history_name.h"
#include "history_shape.h"
#include "log.h"
#include "report.h"
#include "schema.h"
#include "unitname.h"

struct adopt
{
	struct engine *e;
	struct import_set *set;
	char *schema; /* as the catalogs store it (owned) */
	char *table;
	char *src_qualified; /* "schema"."goose_db_version" (owned) */
	char *src_plain; /* schema.goose_db_version (owned) */
	char *aside; /* <table>_<format> (owned) */
	bool rename; /* the source is the history table: move it aside */
	bool own_table; /* this runner's history table exists */
	bool *applied; /* per unit of set */
	struct buf why; /* refusals, one line each */
	const char *hint;
};

const char *
adopt_source_table(const char *format)
{
	if (strcmp(format, "goose") == 0)
		return "goose_db_version";
	if (strcmp(format, "flyway") == 0)
		return "flyway_schema_history";
	if (strcmp(format, "diesel") == 0)
		return "__diesel_schema_migrations";
	return "schema_migrations";
}

/*
 * Each source row as (version text, what it says): "applied", "upto"
 * (golang-migrate keeps only the current version: it and every version
 * below it are applied), "covers" (a Flyway baseline: every version up
 * to it is applied, whether or not it is a migration's own), "dirty",
 * "failed", or "gone" (rolled back, undone, or not a migration).
 */
static void
source_sql(struct buf *sql, const char *format, const char *t)
{
	if (strcmp(format, "golang-migrate") == 0)
		buf_printf(
			sql, "SELECT version::text, CASE WHEN dirty THEN 'dirty' ELSE 'upto' END FROM %s;", t);
	else if (strcmp(format, "goose") == 0)
		/* goose's down deletes the row (v3) or adds one with is_applied false (v2):
		 * the newest row of a version says; version 0 is goose's own first row */
		buf_printf(sql,
				   "SELECT DISTINCT ON (version_id) version_id::text, "
				   "CASE WHEN is_applied THEN 'applied' ELSE 'gone' END FROM %s "
				   "WHERE version_id <> 0 ORDER BY version_id, id DESC;",
				   t);
	else if (strcmp(format, "flyway") == 0)
		/* the newest row of each version; a failed row anywhere refuses */
		buf_printf(sql,
				   "SELECT coalesce(version, script), CASE WHEN NOT success THEN 'failed' "
				   "WHEN version IS NULL OR type = 'SCHEMA' THEN 'gone' "
				   "WHEN type = 'BASELINE' THEN 'covers' "
				   "WHEN type LIKE 'UNDO%%' OR type = 'DELETE' THEN 'gone' ELSE 'applied' END "
				   "FROM (SELECT DISTINCT ON (coalesce(version, script)) version, script, type, "
				   "success FROM %s ORDER BY coalesce(version, script), installed_rank DESC) s "
				   "UNION ALL SELECT coalesce(version, script), 'failed' FROM %s "
				   "WHERE NOT success;",
				   t, t);
	else /* dbmate, diesel: a row per applied version */
		buf_printf(sql, "SELECT version::text, 'applied' FROM %s;", t);
}

static void refuse(struct adopt *a, const char *hint, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void
refuse(struct adopt *a, const char *hint, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	buf_vprintf(&a->why, fmt, ap);
	va_end(ap);
	buf_append_char(&a->why, '\n');
	if (a->hint == NULL)
		a->hint = hint;
}

/*
 * The version the source's text names, in *v: digits (diesel's dashes,
 * which its directory names carry, are skipped).  Returns -1 when the
 * text is no such number.
 */
static int
parse_version(const char *text, long long *v)
{
	size_t digits = 0;
	const char *p;

	*v = 0;
	for (p = text; *p; p++)
	{
		if (*p == '-' && p != text)
			continue;
		if (*p < '0' || *p > '9' || ++digits > UNITNAME_MAX_DIGITS)
			return -1;
		*v = *v * 10 + (*p - '0');
	}
	return digits > 0 ? 0 : -1;
}

/* The unit whose source version is v, or -1. */
static long
unit_for(const struct adopt *a, long long v)
{
	size_t i;

	for (i = 0; i < a->set->n; i++)
		if (a->set->units[i].source_value == v)
			return (long) i;
	return -1;
}

static const char missing_hint[] =
	"every applied version needs its migration in DIR: import from the directory this database "
	"was migrated from";

/* Marks the applied units from the source's rows; refusals go to a->why. */
static void
read_rows(struct adopt *a, const PGresult *res)
{
	int i;

	for (i = 0; i < PQntuples(res); i++)
	{
		const char *v = PQgetvalue(res, i, 0);
		const char *what = PQgetvalue(res, i, 1);
		long long value;
		long u;
		size_t j;

		if (strcmp(what, "gone") == 0)
			continue;
		if (strcmp(what, "dirty") == 0)
		{
			refuse(a,
				   "golang-migrate marks the version it failed in as dirty: finish or undo that "
				   "migration by hand, record the outcome with golang-migrate's \"force V\", "
				   "then adopt again",
				   "%s records version %s as dirty (a migration failed midway)", a->src_plain, v);
			continue;
		}
		if (strcmp(what, "failed") == 0)
		{
			refuse(a,
				   "undo what the failed migration left, remove its row with \"flyway repair\", "
				   "then adopt again",
				   "%s records a failed migration: %s", a->src_plain, v);
			continue;
		}
		if (parse_version(v, &value) == 0 && strcmp(what, "covers") == 0)
		{
			/* a Flyway baseline need not be a migration's own version */
			for (j = 0; j < a->set->n; j++)
				if (a->set->units[j].source_value <= value)
					a->applied[j] = true;
			continue;
		}
		u = parse_version(v, &value) == 0 ? unit_for(a, value) : -1;
		if (u < 0)
		{
			refuse(a, missing_hint, "%s records version %s as applied, and no imported unit has it",
				   a->src_plain, v);
			continue;
		}
		a->applied[u] = true;
		if (strcmp(what, "upto") == 0)
			for (j = 0; j < a->set->n; j++)
				if (a->set->units[j].source_value <= value)
					a->applied[j] = true;
	}
}

static int
names_init(struct adopt *a)
{
	char *q;
	struct buf b;

	if (history_name_split(a->e->cfg->history_table, &a->schema, &a->table) != 0)
		return -1;
	buf_init(&b);
	q = db_quote_ident(a->e->db, adopt_source_table(a->set->format));
	buf_printf(&b, "%s.%s", a->e->ht.schema, q);
	free(q);
	a->src_qualified = buf_detach(&b);
	buf_printf(&b, "%s.%s", a->schema, adopt_source_table(a->set->format));
	a->src_plain = buf_detach(&b);
	buf_printf(&b, "%s_%s", a->table, history_shape_suffix(a->set->format));
	a->aside = buf_detach(&b);
	buf_free(&b);
	return 0;
}

static void
adopt_free(struct adopt *a)
{
	free(a->schema);
	free(a->table);
	free(a->src_qualified);
	free(a->src_plain);
	free(a->aside);
	free(a->applied);
	buf_free(&a->why);
}

/* SELECT of whether a table named schema.name exists. */
static void
sql_exists(struct buf *sql, struct db *db, const char *schema_quoted, const char *name)
{
	char *q = db_quote_ident(db, name);
	char *lit;
	struct buf b;

	buf_init(&b);
	buf_printf(&b, "%s.%s", schema_quoted, q);
	lit = db_quote_literal(db, b.data);
	buf_printf(sql, "SELECT pg_catalog.to_regclass(%s) IS NOT NULL;\n", lit);
	free(lit);
	free(q);
	buf_free(&b);
}

/*
 * Opens the locked transaction and checks both tables: this runner's
 * (missing, or its own and empty, or the source itself) and the source's
 * (present, of the format's shape).  Refusals go to a->why.  Returns 0
 * or an exit code after reporting.
 */
static int
open_and_check(struct adopt *a)
{
	struct engine *e = a->e;
	const char *format = a->set->format;
	struct buf sql;
	struct db_error err = {0};
	PGresult *res[8];
	int n = 0;
	int rc;
	char *src_lit;
	const char *ours = NULL;
	const char *theirs = NULL;

	buf_init(&sql);
	history_sql_begin(&sql, &e->ts, false);
	history_sql_lock(&sql, &e->ht);
	history_sql_columns(&sql, e->ht.regclass_literal);
	src_lit = db_quote_literal(e->db, a->src_qualified);
	history_sql_columns(&sql, src_lit);
	free(src_lit);
	sql_exists(&sql, e->db, e->ht.schema, a->aside);
	rc = db_batch(e->db, sql.data, res, 8, &n, &err);
	buf_free(&sql);
	if (rc != 0)
	{
		for (int i = 0; i < n; i++)
			PQclear(res[i]);
		engine_rollback(e->db);
		rc = engine_report_db_failure(e, "reading the histories", &err);
		db_error_clear(&err);
		return rc;
	}
	if (!PQgetisnull(res[3], 0, 0))
		ours = history_shape_tool(PQgetvalue(res[3], 0, 0));
	if (!PQgetisnull(res[4], 0, 0))
		theirs = history_shape_tool(PQgetvalue(res[4], 0, 0));
	if (PQgetisnull(res[4], 0, 0))
		refuse(a, "adopt reads the table the tool keeps in the history table's schema",
			   "there is no %s history: %s does not exist", format, a->src_plain);
	else if (theirs == NULL || strcmp(theirs, format) != 0)
		refuse(a, "choose the format of the tool that keeps this table",
			   "%s is not %s's history table: its columns (%s) are %s", a->src_plain, format,
			   PQgetvalue(res[4], 0, 0), theirs == NULL ? "this runner's" : theirs);
	if (!PQgetisnull(res[3], 0, 0) && ours != NULL)
	{
		/* another tool's table under the history table's name: only the source moves */
		if (strcmp(a->src_plain, e->ht.plain) == 0 && theirs != NULL && strcmp(theirs, format) == 0)
			a->rename = true;
		else
			refuse(a, "set history_table in migrate.yaml to another name",
				   "the history table %s has %s's columns (%s)", e->ht.plain, ours,
				   PQgetvalue(res[3], 0, 0));
		if (a->rename && strcmp(PQgetvalue(res[5], 0, 0), "t") == 0)
			refuse(a, "rename or drop that table first",
				   "%s cannot be moved aside: %s.%s already exists", e->ht.plain, a->schema,
				   a->aside);
	}
	a->own_table = !PQgetisnull(res[3], 0, 0) && ours == NULL;
	for (int i = 0; i < n; i++)
		PQclear(res[i]);
	return 0;
}

/* Reads the source's rows (and this runner's row count); refusals to a->why. */
static int
read_source(struct adopt *a)
{
	struct engine *e = a->e;
	struct buf sql;
	struct db_error err = {0};
	PGresult *res[2];
	int n = 0;
	int rc;

	buf_init(&sql);
	source_sql(&sql, a->set->format, a->src_qualified);
	if (a->own_table)
		buf_printf(&sql, "\nSELECT pg_catalog.count(*) FROM %s;", e->ht.qualified);
	rc = db_batch(e->db, sql.data, res, 2, &n, &err);
	buf_free(&sql);
	if (rc == 0)
	{
		read_rows(a, res[0]);
		if (a->own_table && strcmp(PQgetvalue(res[1], 0, 0), "0") != 0)
			refuse(a, "adopt starts this runner's history; \"migrate status\" shows what it holds",
				   "the history table %s already has %s row%s", e->ht.plain,
				   PQgetvalue(res[1], 0, 0), strcmp(PQgetvalue(res[1], 0, 0), "1") ? "s" : "");
	}
	for (int i = 0; i < n; i++)
		PQclear(res[i]);
	if (rc != 0)
	{
		engine_rollback(e->db);
		rc = engine_report_db_failure(e, "reading the source history", &err);
	}
	db_error_clear(&err);
	return rc;
}

static int
report_refusal(struct adopt *a, const char *dir)
{
	struct db_error why = {"", NULL, NULL, NULL};
	char msg[512];

	engine_rollback(a->e->db);
	if (a->why.len > 0 && a->why.data[a->why.len - 1] == '\n')
		a->why.data[--a->why.len] = '\0';
	why.message = a->why.data;
	why.hint = (char *) a->hint;
	snprintf(msg, sizeof(msg),
			 "refusing to adopt %s's history: nothing was changed, in the database or in %s/",
			 a->set->format, dir);
	report_error(EXIT_INTEGRITY, msg, &why, NULL, NULL, 0);
	return EXIT_INTEGRITY;
}

/* The statements that move the source aside, create the history table and
 * record the applied units; the newest row carries hex. */
static void
sql_record(struct adopt *a, struct buf *sql, const char *hex)
{
	struct engine *e = a->e;
	size_t newest = a->set->n;
	size_t i;

	for (i = 0; i < a->set->n; i++)
		if (a->applied[i])
			newest = i;
	for (i = 0; i < a->set->n; i++)
	{
		const struct import_unit *u = &a->set->units[i];
		char sum[65];

		if (!a->applied[i])
			continue;
		schema_hash_hex(u->text.data, u->text.len, sum);
		history_sql_insert(sql, e->db, &e->ht, u->value, u->name, sum, "baseline", 0,
						   i == newest ? hex : NULL, NULL);
	}
}

static int
move_and_create(struct adopt *a)
{
	struct engine *e = a->e;
	struct buf sql;
	struct db_error err = {0};
	int rc;

	buf_init(&sql);
	if (a->rename)
	{
		char *q = db_quote_ident(e->db, a->aside);

		buf_printf(&sql, "ALTER TABLE %s RENAME TO %s;\n", e->ht.qualified, q);
		free(q);
	}
	history_sql_create(&sql, &e->ht);
	rc = db_exec(e->db, sql.data, &err);
	buf_free(&sql);
	if (rc != 0)
	{
		engine_rollback(e->db);
		rc = engine_report_db_failure(e, "creating the history table", &err);
	}
	db_error_clear(&err);
	return rc;
}

int
adopt_run(struct engine *e, struct import_set *set, const char *dir, bool json, int *recorded)
{
	struct adopt a = {0};
	struct buf sql;
	char hex[65];
	size_t i;
	int rc;

	*recorded = 0;
	a.e = e;
	a.set = set;
	a.applied = xcalloc(set->n + 1, sizeof(bool));
	buf_init(&a.why);
	if (names_init(&a) != 0)
	{
		adopt_free(&a);
		report_error(EXIT_USAGE, "invalid history_table", NULL, NULL, NULL, 0);
		return EXIT_USAGE;
	}
	rc = open_and_check(&a);
	if (rc == 0 && a.why.len == 0)
		rc = read_source(&a);
	if (rc == 0 && a.why.len > 0)
		rc = report_refusal(&a, dir);
	/* the fingerprint sees the table moved aside: it stays part of the schema */
	if (rc == 0)
		rc = move_and_create(&a);
	if (rc == 0 && (rc = engine_fingerprint(e, hex, NULL)) != 0)
		engine_rollback(e->db);
	if (rc == 0 && (rc = import_emit(set, dir, json)) != 0)
		engine_rollback(e->db);
	if (rc == 0)
	{
		buf_init(&sql);
		sql_record(&a, &sql, hex);
		rc = engine_commit_batch(e, &sql, "recording the adopted history", NULL);
		buf_free(&sql);
		if (rc != 0)
		{
			import_unwrite(set);
			log_hint("the unit files were removed again");
		}
	}
	for (i = 0; rc == 0 && i < set->n; i++)
		if (a.applied[i])
		{
			report_unit("baseline", set->units[i].value, set->units[i].name, "ok", -1);
			(*recorded)++;
		}
	if (rc == 0 && a.rename)
		report_notice("%s's history table %s was moved aside to %s.%s", set->format, e->ht.plain,
					  a.schema, a.aside);
	adopt_free(&a);
	return rc;
}
