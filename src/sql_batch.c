/*
 * sql_batch.c: a plain-SQL unit's step and the runner's bookkeeping in
 * one simple-query message (see sql_batch.h).
 */
#include "sql_batch.h"

#include <string.h>

#include "buf.h"

/*
 * Answers its parse: the server sends this result only when the whole
 * message parsed, before it runs the first statement of the unit.
 */
#define SQL_BATCH_SENTINEL "SELECT;"

bool
sql_batch_fits(const struct unit_sql_stmt *stmts, size_t n)
{
	size_t bytes = 0;
	size_t i;

	for (i = 0; i < n; i++)
	{
		bytes += strlen(stmts[i].text);
		if (bytes > SQL_BATCH_MAX_BYTES)
			return false;
	}
	return true;
}

static void
build_message(struct buf *msg, const struct unit_sql_stmt *stmts, size_t n, const char *tail)
{
	size_t i;

	buf_init(msg);
	buf_append(msg, SQL_BATCH_SENTINEL);
	for (i = 0; i < n; i++)
	{
		buf_append_char(msg, '\n');
		buf_append(msg, stmts[i].text);
		/* on a line of its own: the statement may end inside a "--" comment */
		if (!stmts[i].terminated)
			buf_append(msg, "\n;");
	}
	if (tail[0] != '\0')
		buf_printf(msg, "\n%s", tail);
}

/*
 * A COPY cannot come from a .sql unit (sql_unit refuses it), but were
 * one to start, the connection must not stay in it: end it, so that the
 * statement fails or finishes and the next result comes.
 */
static void
end_copy(PGconn *conn, ExecStatusType st)
{
	char *row;

	if (st == PGRES_COPY_IN)
		(void) PQputCopyEnd(conn, "COPY is not supported in a one-message step");
	else
		while (PQgetCopyData(conn, &row, 0) > 0)
			PQfreemem(row);
}

/* The first error result, at index idx of the message's results. */
static void
take_error(struct sql_batch *b, PGconn *conn, const PGresult *res, size_t idx, size_t n)
{
	db_error_from_result(&b->err, res, conn);
	/* an error libpq made (the connection broke): the server's progress is unknown */
	if (PQresultErrorField(res, PG_DIAG_SQLSTATE) == NULL)
		b->status = SQL_BATCH_LOST;
	else if (idx == 0)
		b->status = SQL_BATCH_UNPARSED;
	else if (idx <= n)
	{
		b->status = SQL_BATCH_STMT_FAILED;
		b->stmt = idx - 1;
	}
	else
		b->status = SQL_BATCH_TAIL_FAILED;
}

void
sql_batch_run(PGconn *conn, const struct unit_sql_stmt *stmts, size_t n, const char *tail,
			  struct sql_batch *b)
{
	struct buf msg;
	PGresult *res;
	size_t idx = 0;
	bool failed = false;

	memset(b, 0, sizeof(*b));
	build_message(&msg, stmts, n, tail);
	if (!PQsendQuery(conn, msg.data))
	{
		buf_free(&msg);
		db_error_from_result(&b->err, NULL, conn);
		b->status = SQL_BATCH_NOT_SENT;
		return;
	}
	buf_free(&msg);
	while ((res = PQgetResult(conn)) != NULL)
	{
		ExecStatusType st = PQresultStatus(res);

		if (st == PGRES_COPY_IN || st == PGRES_COPY_OUT)
			end_copy(conn, st);
		else if (!failed && (st == PGRES_FATAL_ERROR || st == PGRES_BAD_RESPONSE))
		{
			failed = true;
			take_error(b, conn, res, idx, n);
		}
		else if (!failed)
		{
			b->committed |= idx > n && strcmp(PQcmdStatus(res), "COMMIT") == 0;
			PQclear(b->last);
			b->last = res;
			res = NULL;
		}
		if (st != PGRES_COPY_IN && st != PGRES_COPY_OUT)
			idx++;
		PQclear(res);
	}
	if (!failed && PQstatus(conn) == CONNECTION_BAD)
	{
		failed = true;
		db_error_from_result(&b->err, NULL, conn);
		b->status = SQL_BATCH_LOST;
	}
	if (failed)
	{
		PQclear(b->last);
		b->last = NULL;
	}
}

void
sql_batch_clear(struct sql_batch *b)
{
	PQclear(b->last);
	db_error_clear(&b->err);
	memset(b, 0, sizeof(*b));
}
