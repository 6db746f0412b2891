/*
 * db.h: the runner's database connections.  Each is an ECPG connection
 * (so that units' EXEC SQL statements run on it) whose libpq handle the
 * runner uses for its own bookkeeping, batching statements so that each
 * step costs one round trip.
 */
#ifndef MIGRATE_DB_H
#define MIGRATE_DB_H

#include <stdbool.h>
#include <libpq-fe.h>

#include "db_error.h"

struct db_options
{
	int connect_retries; /* retries after the first attempt */
	long connect_timeout_ms; /* per attempt, unless the string sets
									 * connect_timeout; 0: libpq's default */
	const char *application_name; /* set on the session */
	const char *dbname; /* NULL, or the database to use instead of
								 * the string's (create-db's maintenance
								 * database) */
};

struct db
{
	char name[32]; /* the ECPG connection name */
	PGconn *conn; /* owned by ecpglib */
	char *description; /* "host=... port=... dbname=... user=..." of
								 * the server reached, owned */
	bool pooler; /* the host is a Neon "-pooler." endpoint */
	long connect_ms; /* how long connecting took, retries included */
	int attempts; /* how many attempts it took */
};

/*
 * Connects with any connection string psql accepts, retrying failures that
 * can pass (refused, timeout, name resolution, starting up) with backoff
 * (conninfo_backoff_ms) up to opts->connect_retries times; failures that
 * cannot pass (authentication, missing database, SSL required...) are
 * not retried.  Returns 0 and *out (close with db_close), 2 when the
 * string is invalid or cannot be handed to ECPG, or 5 when no attempt
 * succeeded, with *failure saying why: host, port, database and user in
 * the message, libpq's reason for the last attempt in the detail, maybe a
 * hint; never the password (release with db_error_clear).
 */
int db_connect(const char *url, const struct db_options *opts, struct db **out,
			   struct db_error *failure) __attribute__((warn_unused_result));

/* Disconnects (rolling back anything open) and frees db; accepts NULL. */
void db_close(struct db *db);

/* Makes db the connection that units' EXEC SQL statements use. */
void db_make_current(struct db *db);

/* Switches ECPG's autocommit for db (for no-transaction units). */
void db_set_autocommit(struct db *db, bool on);

/*
 * Sends sql, one or more statements, in one round trip and collects every
 * result into results[0..*n-1].  Returns 0, or -1 with *err filled from the
 * first failing statement (the results before it are still returned), or
 * -1 with an internal error when results is not NULL and the batch
 * returned more than max results (never a silently shortened list).
 * With results NULL every result is discarded.  The caller PQclear()s
 * results.
 */
int db_batch(struct db *db, const char *sql, PGresult **results, int max, int *n,
			 struct db_error *err) __attribute__((warn_unused_result));

/* db_batch for statements whose results are not needed. */
int db_exec(struct db *db, const char *sql, struct db_error *err)
	__attribute__((warn_unused_result));

/* The most statements a db_batch_guarded suffix may hold. */
#define DB_GUARD_EXTRA_RESULTS 8

/*
 * Runs sql inside savepoint name, in one round trip with the savepoint
 * and its release ("SAVEPOINT name;" sql "RELEASE SAVEPOINT name;" then
 * suffix, at most DB_GUARD_EXTRA_RESULTS - 2 statements), so that a
 * statement that fails leaves the transaction as it was: the savepoint is
 * then rolled back (one more round trip, unless the connection is gone;
 * *undone says whether that worked).  results[0..*n-1] are the result
 * sets (tuples) of sql, at most max, in order; the caller PQclear()s
 * them.  Returns 0, or -1 with *err from the first failing statement.
 */
int db_batch_guarded(struct db *db, const char *name, const char *sql, const char *suffix,
					 PGresult **results, int max, int *n, bool *undone, struct db_error *err)
	__attribute__((warn_unused_result));

/* True when the session is inside a transaction block (or a failed one). */
bool db_in_transaction(struct db *db);

/* Quotes an identifier or literal for SQL text; caller frees. */
char *db_quote_ident(struct db *db, const char *s);
char *db_quote_literal(struct db *db, const char *s);

/* Fills err from a failed result, or from the connection's last error. */
void db_error_from_result(struct db_error *err, const PGresult *res, PGconn *conn);
/* Parses "ERROR:  m\nDETAIL:  d\nHINT:  h" text into err. */
void db_error_from_text(struct db_error *err, const char *sqlstate, const char *text);
void db_error_clear(struct db_error *err);

/* True when the error means a connection was lost (08*, 57P01..57P03). */
bool db_error_is_connection(const struct db_error *err);

/* Disconnects everything; registered with atexit by the first connect. */
void db_close_all(void);

#endif
