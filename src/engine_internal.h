/*
 * engine_internal.h: helpers shared by the engine_*.c files and verify.
 */
#ifndef MIGRATE_ENGINE_INTERNAL_H
#define MIGRATE_ENGINE_INTERNAL_H

#include "engine.h"

/*
 * Fails once the transaction in which history_sql_begin set
 * HISTORY_TXN_MARK has ended, as when a unit sent COMMIT through EXECUTE
 * IMMEDIATE and ecpglib then opened a new transaction for its next
 * statement.  Plain SQL rather than a DO block, which PL/pgSQL would
 * compile on every call: the text cannot be cast to integer, and the
 * stable concat() keeps the planner from failing on it in advance.  Ends
 * without ";" so that the commit batch can add columns.
 */
#define ENGINE_TXN_ENDED_TEXT "the transaction that the runner opened for the unit has ended"
#define ENGINE_TXN_CHECK_SQL                                         \
	"SELECT CASE WHEN pg_catalog.current_setting('" HISTORY_TXN_MARK \
	"', true) = " HISTORY_TXN_TOKEN " THEN 0 "                       \
	"ELSE pg_catalog.concat('" ENGINE_TXN_ENDED_TEXT "', "           \
	"pg_catalog.current_setting('" HISTORY_TXN_MARK "', true))::integer END"

/* Whether err is ENGINE_TXN_CHECK_SQL failing. */
bool engine_txn_ended(const struct db_error *err);

long engine_now_ms(void);
/* Sleeps; false when a signal (SIGINT, SIGTERM) cut the sleep short. */
bool engine_sleep_ms(long ms);
/* Sleeps the backoff before lock retry attempt + 1; false when interrupted. */
bool engine_lock_backoff(int attempt);
/* Rolls back db's open transaction, if any (db may be NULL). */
void engine_rollback(struct db *db);
/*
 * engine_rollback, with then (SQL, or NULL) sent in the same message
 * after the ROLLBACK, on the same session even behind a transaction-mode
 * pooler; a failure of then only goes to the debug log.
 */
void engine_rollback_then(struct db *db, const char *then);
/*
 * 0, or after a SIGINT or SIGTERM: rolls back what is open, reports the
 * interruption and returns its exit code (130, 143).
 */
int engine_check_interrupt(struct engine *e);
/*
 * After the history table's statements failed with 42703 (no such
 * column): when the table under the history table's name has another
 * tool's shape, reports it (naming the tool, history_shape.h) and returns
 * 6; otherwise returns -1 and reports nothing.  Outside a transaction.
 */
int engine_refuse_foreign(struct engine *e);
int engine_report_db_failure(struct engine *e, const char *what, const struct db_error *err);

/*
 * Appends the batch that opens a locked transaction: BEGIN and the
 * settings, the lock, then (all) the history table's creation and every
 * row, or (otherwise) whether version has a row.
 */
void engine_sql_open(struct engine *e, struct buf *sql, bool all, long long version);

/*
 * The connection was lost while a batch ending with COMMIT was out:
 * reports that whether it committed is unknown (what names the batch).
 * Returns 5.
 */
int engine_report_commit_lost(struct engine *e, const char *what, const struct db_error *err);

/*
 * Opens a transaction holding the lock, creates the history table when
 * missing and reads every row into *h.  Retries lock timeouts; returns 0
 * or an exit code.
 */
int engine_begin_locked(struct engine *e, struct history *h);

/*
 * Opens a transaction holding the lock and sets *recorded to whether
 * version has a history row.  Retries lock timeouts; returns 0 or an exit
 * code.
 */
int engine_begin_unit(struct engine *e, long long version, bool *recorded);

/*
 * Appends COMMIT to sql and sends it all in one round trip.  Returns 0, or
 * after rolling back the exit code of the failure, reported as a failure
 * of "what" -- except when txn_ended is not NULL and the batch found the
 * unit's transaction ended (ENGINE_TXN_CHECK_SQL): then *txn_ended is set
 * and the caller reports.
 */
int engine_commit_batch(struct engine *e, struct buf *sql, const char *what, bool *txn_ended);

/* Whether engine_commit_and_open opened the next transaction, and what it read. */
enum opened
{
	OPENED_NOT, /* not opened (the caller opens it, with engine_begin_unit) */
	OPENED_UNRECORDED, /* open and locked; the version has no history row */
	OPENED_RECORDED /* open and locked; the version has a history row */
};

/*
 * engine_commit_batch, and in the same round trip the opening of version's
 * transaction, as engine_begin_unit would; *next says how that went.
 */
int engine_commit_and_open(struct engine *e, struct buf *sql, const char *what, bool *txn_ended,
						   long long version, enum opened *next);

/*
 * Opens the first transaction and plans: *h holds every history row and
 * *st the status built from it (release both).  While a no-transaction
 * unit of a live runner is in flight, waits in short transactions.
 * Returns 0 with the transaction open and locked, or an exit code.
 */
int engine_begin_and_wait(struct engine *e, struct history *h, struct plan_status *st);

/*
 * Reports an integrity refusal of cmd ("up", "down", "redo") for the
 * planner's reasons in why, with a hint for each kind of problem in st
 * and extra_hint (may be NULL).  Returns 6.
 */
int engine_report_refusal(const struct plan_status *st, const char *cmd, const char *why,
						  const char *extra_hint);

/*
 * Runs u's up (or down) step in the open transaction that other units'
 * steps share, then checks that the transaction is still the runner's.
 * Returns 0 with *duration set, or rolls back, reports (a failure, a
 * unit that ended the transaction, a signal) and returns the exit code.
 */
int engine_step_together(struct engine *e, const struct unit *u, bool up, long *duration);

#endif
