/*
 * stmt_hook.c: the wrapper every unit statement runs through (see
 * stmt_hook.h).  It corrects ecpglib's -202 for SELECTs without INTO and
 * hands each statement to the live-database safety observation when
 * that is on (verify, up --dry-run).
 */
#include "stmt_hook.h"

#include <stdarg.h>
#include <string.h>

#include <ecpglib.h>
#include <ecpgerrno.h>
#include <ecpgtype.h>
#include <libpq-events.h>
#include <sqlca.h>

#include "safety.h"

static struct stmt_info current;

/* The last result libpq made on the unit's connection, while it lives. */
static PGresult *last_result;

/*
 * Tracks results so that the one ecpglib leaves behind when it raises -202
 * after the rows came back (it returns before clearing it) can be freed.
 */
static int
track_results(PGEventId id, void *info, void *pass)
{
	(void) pass;
	if (id == PGEVT_RESULTCREATE)
		last_result = ((PGEventResultCreate *) info)->result;
	else if (id == PGEVT_RESULTDESTROY && ((PGEventResultDestroy *) info)->result == last_result)
		last_result = NULL;
	return 1;
}

/* Makes sure track_results sees the results of the statement's connection. */
static void
watch_results(const char *connection_name)
{
	PGconn *conn = ECPGget_PGconn(connection_name);

	last_result = NULL;
	/* fails harmlessly when already registered on this connection */
	if (conn != NULL)
		(void) PQregisterEventProc(conn, track_results, "migrate_stmt_hook", NULL);
}

/* Skips one variable's nine arguments after its type. */
static void
skip_variable(va_list *ap)
{
	(void) va_arg(*ap, void *); /* pointer */
	(void) va_arg(*ap, long); /* varcharsize */
	(void) va_arg(*ap, long); /* arrsize */
	(void) va_arg(*ap, long); /* offset */
	(void) va_arg(*ap, int); /* ind_type */
	(void) va_arg(*ap, void *); /* ind_pointer */
	(void) va_arg(*ap, long); /* ind_varcharsize */
	(void) va_arg(*ap, long); /* ind_arrsize */
	(void) va_arg(*ap, long); /* ind_offset */
}

void
migrate_stmt_before(const char *file, const int lineno, const int compat, const int force_indicator,
					const char *connection_name, const bool questionmarks, const int st,
					const char *query, ...)
{
	va_list ap;
	int type;
	bool out = false;

	(void) compat;
	(void) force_indicator;
	(void) connection_name;
	(void) questionmarks;
	memset(&current, 0, sizeof(current));
	current.file = file;
	current.line = lineno;
	current.type = st;
	current.query = query;
	watch_results(connection_name);
	va_start(ap, query);
	/* ECPGt_EORT ends the list; ECPGt_EOIT separates inputs from outputs */
	while ((type = va_arg(ap, int)) != ECPGt_EORT)
	{
		if (type == ECPGt_EOIT)
		{
			out = true;
			continue;
		}
		skip_variable(&ap);
		if (out)
			current.n_out++;
		else
			current.n_in++;
	}
	va_end(ap);
	safety_stmt_begin(&current);
}

/*
 * ecpglib raises -202 (07002) after the server ran a statement whose rows
 * have no output variable to go to; sqlerrd[2] then holds the row count.
 * The same code for missing input variables is raised before anything is
 * sent, with no rows.  The transaction is intact either way (a client-side
 * error), so a SELECT run for its effect (setval, a count) succeeds.
 */
static bool
rows_without_into(void)
{
	struct sqlca_t *ca = ECPGget_sqlca();

	return ca != NULL && current.n_out == 0 && ca->sqlcode == ECPG_TOO_FEW_ARGUMENTS &&
		   ca->sqlerrd[2] > 0;
}

bool
migrate_stmt_after(bool ok)
{
	if (!ok && rows_without_into())
	{
		struct sqlca_t *ca = ECPGget_sqlca();

		ca->sqlcode = 0;
		memcpy(ca->sqlstate, "00000", 5);
		ca->sqlerrm.sqlerrml = 0;
		ca->sqlerrm.sqlerrmc[0] = '\0';
		ok = true;
		if (last_result != NULL)
			PQclear(last_result);
		last_result = NULL;
	}
	ok = safety_stmt_end(&current, ok);
	return ok;
}

/* The result's SQLSTATE as the runner's observation reads it (sqlca). */
static void
set_sqlstate(const char *state)
{
	struct sqlca_t *ca = ECPGget_sqlca();

	if (ca != NULL && state != NULL && strlen(state) == 5)
		memcpy(ca->sqlstate, state, 5);
}

PGresult *
migrate_sql_exec(PGconn *conn, const char *file, int line, const char *sql)
{
	PGresult *res;
	ExecStatusType st;
	struct sqlca_t *ca = ECPGget_sqlca();
	char saved[5] = "00000";
	bool ok;

	memset(&current, 0, sizeof(current));
	current.file = file;
	current.line = line;
	current.type = ECPGst_exec_immediate;
	current.query = sql;
	safety_stmt_begin(&current);
	res = PQexec(conn, sql);
	st = PQresultStatus(res);
	ok = st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK || st == PGRES_EMPTY_QUERY;
	if (!ok && ca != NULL)
	{
		memcpy(saved, ca->sqlstate, 5);
		set_sqlstate(PQresultErrorField(res, PG_DIAG_SQLSTATE));
	}
	if (safety_stmt_end(&current, ok) && !ok)
	{
		/* skipped as refusing a transaction block: the unit goes on */
		PQclear(res);
		return PQmakeEmptyPGresult(conn, PGRES_COMMAND_OK);
	}
	if (!ok && ca != NULL)
		memcpy(ca->sqlstate, saved, 5);
	return res;
}

const struct stmt_info *
stmt_hook_current(void)
{
	return &current;
}
