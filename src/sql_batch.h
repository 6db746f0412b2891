/*
 * sql_batch.h: a plain-SQL unit's step and the runner's bookkeeping sent
 * as one simple-query message, and which statement of it failed.
 *
 * The server runs the statements of such a message in order and stops at
 * the first failure, skipping the rest (the bookkeeping's COMMIT
 * included), so the index of the first error result names the failed
 * statement.  It parses the whole message before running any of it,
 * though: a syntax error anywhere fails the message as a whole.  A
 * leading "SELECT;" tells the two apart, since its result comes back
 * only when the message parsed.
 */
#ifndef MIGRATE_SQL_BATCH_H
#define MIGRATE_SQL_BATCH_H

#include <stdbool.h>
#include <stddef.h>

#include <libpq-fe.h>

#include "db.h"
#include "unit_def.h"

/* Beyond this many bytes of statements a step is sent one statement at a time. */
#define SQL_BATCH_MAX_BYTES (1024 * 1024)

enum sql_batch_status
{
	SQL_BATCH_OK, /* every statement and the tail ran; last is the tail's last result */
	SQL_BATCH_UNPARSED, /* the server could not parse the message: none of it ran */
	SQL_BATCH_STMT_FAILED, /* statement stmt failed; nothing after it ran */
	SQL_BATCH_TAIL_FAILED, /* a statement of the tail failed; nothing after it ran */
	SQL_BATCH_NOT_SENT, /* the message could not be sent: none of it ran */
	SQL_BATCH_LOST /* the connection was lost after sending: the outcome is unknown
					* but for committed */
};

struct sql_batch
{
	enum sql_batch_status status;
	size_t stmt; /* SQL_BATCH_STMT_FAILED: the index of the failed statement */
	bool committed; /* a COMMIT of the tail came back as such */
	PGresult *last; /* SQL_BATCH_OK: the message's last result, owned */
	struct db_error err; /* any other status: what went wrong, owned */
};

/* Whether n statements are few and small enough for one message. */
bool sql_batch_fits(const struct unit_sql_stmt *stmts, size_t n);

/*
 * Sends "SELECT;", the n statements (their exact text; a statement that the
 * end of its section ended gets a ";" on a line of its own) and tail (SQL,
 * may be empty) as one message on conn, then reads every result into *b
 * (release with sql_batch_clear).  Rows that statements return are
 * dropped.
 */
void sql_batch_run(PGconn *conn, const struct unit_sql_stmt *stmts, size_t n, const char *tail,
				   struct sql_batch *b);

/* Frees what *b holds; accepts a cleared *b. */
void sql_batch_clear(struct sql_batch *b);

#endif
