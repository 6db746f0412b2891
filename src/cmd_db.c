/*
 * cmd_db.c: create-db and drop-db.  They connect with the configured
 * string to the "postgres" maintenance database instead of the target
 * (template1 when there is no "postgres", as createdb does), and quote the
 * target's name with libpq.  Both succeed when there is nothing to do,
 * and say so.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "cli.h"
#include "engine.h"
#include "exitcode.h"
#include "conninfo.h"
#include "db.h"
#include "json.h"
#include "log.h"
#include "report.h"

enum db_action
{
	DB_CREATE,
	DB_DROP
};

/* What the command did, for humans and for --json. */
static void
say(const char *event, const char *dbname, const char *text)
{
	if (report_json())
	{
		struct buf b;

		buf_init(&b);
		json_member_string(&b, "database", dbname);
		report_event(event, b.data);
		buf_free(&b);
	}
	else
		printf("%s\n", text);
}

/* The database the configured string names; NULL after reporting. */
static char *
target_name(const char *url)
{
	struct conninfo ci;
	char *err = NULL;
	char *name;

	if (conninfo_parse(url, &ci, &err) != 0)
	{
		report_error(EXIT_USAGE, err, NULL, NULL, NULL, 0);
		free(err);
		return NULL;
	}
	name = xstrdup(conninfo_dbname(&ci));
	conninfo_free(&ci);
	if (name == NULL)
		report_error(EXIT_USAGE,
					 "cannot tell which database to use: the connection string names none", NULL,
					 NULL, NULL, 0);
	return name;
}

/* Connects to "postgres", or to "template1" when "postgres" is missing. */
static int
connect_maintenance(const struct migrate_config *cfg, struct db **db)
{
	static const char *const names[] = {"postgres", "template1"};
	struct db_error err = {0};
	int rc = EXIT_CONNECT;
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
	{
		struct db_options o = {.connect_retries = cfg->connect_retries,
							   .connect_timeout_ms = cfg->connect_timeout_ms,
							   .application_name = "migrate",
							   .dbname = names[i]};

		db_error_clear(&err);
		rc = db_connect(cfg->database_url, &o, db, &err);
		if (rc == 0)
			break;
		if (rc != 5 || err.detail == NULL ||
			strstr(err.detail, "database \"postgres\" does not exist") == NULL)
			break;
		log_debug("no \"postgres\" database; trying template1");
	}
	if (rc != 0)
		report_connect_failure(rc, &err);
	db_error_clear(&err);
	return rc;
}

/* 1 when a database called name exists, 0 when not, -1 with *err set. */
static int
database_exists(struct db *db, const char *name, struct db_error *err)
{
	struct buf sql;
	char *lit = db_quote_literal(db, name);
	PGresult *res[1];
	int n = 0;
	int rc;

	buf_init(&sql);
	buf_printf(&sql, "SELECT 1 FROM pg_catalog.pg_database WHERE datname = %s", lit);
	rc = db_batch(db, sql.data, res, 1, &n, err);
	buf_free(&sql);
	free(lit);
	if (rc != 0)
		return -1;
	rc = n == 1 && PQntuples(res[0]) > 0 ? 1 : 0;
	if (n == 1)
		PQclear(res[0]);
	return rc;
}

/* Maps a failed statement to an exit code and reports it. */
static int
report_sql_failure(struct db *db, const char *what, const char *name, const struct db_error *err)
{
	struct buf m;
	int code = EXIT_UNIT_FAILED;

	buf_init(&m);
	if (strcmp(err->sqlstate, "25006") == 0)
	{
		code = EXIT_CONNECT;
		buf_printf(&m, "cannot %s database \"%s\": %s is a read-only standby", what, name,
				   db->description);
	}
	else if (db_error_is_connection(err))
	{
		code = EXIT_CONNECT;
		buf_printf(&m, "lost the connection to %s", db->description);
	}
	else
		buf_printf(&m, "could not %s database \"%s\"", what, name);
	report_error(code, m.data, err, NULL, NULL, 0);
	buf_free(&m);
	return code;
}

/* Runs CREATE or DROP DATABASE; the outcome is reported.  Returns the code. */
static int
create_or_drop(struct db *db, enum db_action action, const char *name)
{
	struct db_error err = {0};
	char *ident = db_quote_ident(db, name);
	struct buf sql;
	struct buf text;
	int exists = database_exists(db, name, &err);
	int rc = 0;

	buf_init(&sql);
	buf_init(&text);
	if (exists < 0)
		rc = report_sql_failure(db, "look up", name, &err);
	else if (action == DB_CREATE && exists)
	{
		buf_printf(&text, "database \"%s\" already exists, nothing to do", name);
		say("database_exists", name, text.data);
	}
	else if (action == DB_DROP && !exists)
	{
		buf_printf(&text, "database \"%s\" does not exist, nothing to do", name);
		say("database_missing", name, text.data);
	}
	else
	{
		buf_printf(&sql, "%s DATABASE %s", action == DB_CREATE ? "CREATE" : "DROP", ident);
		if (db_exec(db, sql.data, &err) == 0)
		{
			buf_printf(&text, "%s database \"%s\"", action == DB_CREATE ? "created" : "dropped",
					   name);
			say(action == DB_CREATE ? "database_created" : "database_dropped", name, text.data);
		}
		/* another runner got there between the look-up and the statement */
		else if (strcmp(err.sqlstate, action == DB_CREATE ? "42P04" : "3D000") == 0)
		{
			buf_printf(&text, "database \"%s\" %s, nothing to do", name,
					   action == DB_CREATE ? "already exists" : "does not exist");
			say(action == DB_CREATE ? "database_exists" : "database_missing", name, text.data);
		}
		else
			rc = report_sql_failure(db, action == DB_CREATE ? "create" : "drop", name, &err);
	}
	db_error_clear(&err);
	buf_free(&sql);
	buf_free(&text);
	free(ident);
	return rc;
}

/*
 * drop-db refuses a database marked as protected: when the target exists,
 * engine_open connects to it, and its protection check (protect.c, armed
 * by main for protected commands) refuses.  Returns 0 or the exit code.
 */
static int
check_target_mark(struct cli *cli, struct db *maintenance, const char *name)
{
	struct db_error err = {0};
	struct engine e;
	int exists = database_exists(maintenance, name, &err);
	int rc = 0;

	if (exists < 0)
		rc = report_sql_failure(maintenance, "look up", name, &err);
	else if (exists)
	{
		rc = engine_open(&e, &cli->cfg);
		/*
		 * The session ends itself on the server, so that a pooler in
		 * between (PgBouncer) keeps no connection to the database open
		 * for the DROP to trip over; DROP DATABASE waits for it to go.
		 */
		if (e.db != NULL &&
			db_exec(e.db, "SELECT pg_catalog.pg_terminate_backend(pg_catalog.pg_backend_pid())",
					&err) != 0)
			log_debug("the session that read the protection mark ended: %s", err.message);
		db_error_clear(&err);
		engine_close(&e);
	}
	db_error_clear(&err);
	return rc;
}

static int
run(struct cli *cli, int argc, char **argv, enum db_action action)
{
	const char *cmd = action == DB_CREATE ? "create-db" : "drop-db";
	struct db *db = NULL;
	char *name;
	int rc;

	if (argc > 1)
		return cli_usage_error("unexpected argument \"%s\" for %s", argv[1], cmd);
	if (cli->cfg.database_url == NULL)
	{
		report_error(EXIT_USAGE,
					 "no database given: set database_url in migrate.yaml, DATABASE_URL, or -d URL",
					 NULL, NULL, NULL, 0);
		return EXIT_USAGE;
	}
	name = target_name(cli->cfg.database_url);
	if (name == NULL)
		return EXIT_USAGE;
	if (action == DB_DROP && (strcmp(name, "postgres") == 0 || strcmp(name, "template1") == 0))
	{
		report_error(EXIT_USAGE, "refusing to drop a maintenance database", NULL, NULL, NULL, 0);
		free(name);
		return EXIT_USAGE;
	}
	rc = connect_maintenance(&cli->cfg, &db);
	if (rc == 0 && action == DB_DROP)
		rc = check_target_mark(cli, db, name);
	if (rc == 0)
		rc = create_or_drop(db, action, name);
	db_close(db);
	free(name);
	return rc;
}

int
cmd_create_db(struct cli *cli, int argc, char **argv)
{
	return run(cli, argc, argv, DB_CREATE);
}

int
cmd_drop_db(struct cli *cli, int argc, char **argv)
{
	return run(cli, argc, argv, DB_DROP);
}
