/*
 * engine_internal.h: helpers shared by the engine_*.c files and verify.
 */
#ifndef MIGRATE_ENGINE_INTERNAL_H
#define MIGRATE_ENGINE_INTERNAL_H

#include "engine.h"

/*
 * Every transaction the engine opens sets this transaction-local marker
 * (after the lock, before reading the history); ENGINE_TXN_CHECK_SQL fails
 * with SQLSTATE MG001 once the transaction it was set in has ended, as
 * when a unit sent COMMIT through EXECUTE IMMEDIATE and ecpglib then
 * opened a new transaction for its next statement.
 */
#define ENGINE_TXN_MARK_SQL "SET LOCAL migrate.unit_txn = on;\n"
#define ENGINE_TXN_CHECK_SQL                                                      \
	"DO $$BEGIN IF pg_catalog.current_setting('migrate.unit_txn', true) "         \
	"IS DISTINCT FROM 'on' THEN RAISE EXCEPTION USING ERRCODE = 'MG001', "        \
	"MESSAGE = 'the transaction that the runner opened for the unit has ended'; " \
	"END IF; END$$;\n"
#define ENGINE_TXN_ENDED_SQLSTATE "MG001"

long engine_now_ms(void);
void engine_sleep_ms(long ms);
void engine_lock_backoff(int attempt);
void engine_rollback(struct db *db);
int engine_report_db_failure(struct engine *e, const char *what, const struct db_error *err);
int engine_begin_locked(struct engine *e, bool all, long long version, struct history *h);

/*
 * Appends COMMIT to sql and sends it all in one round trip.  Returns 0, or
 * after rolling back the exit code of the failure, reported as a failure
 * of "what" -- except when txn_ended is not NULL and the batch found the
 * unit's transaction ended (ENGINE_TXN_CHECK_SQL): then *txn_ended is set
 * and the caller reports.
 */
int engine_commit_batch(struct engine *e, struct buf *sql, const char *what, bool *txn_ended);

#endif
