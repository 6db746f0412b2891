/*
 * history.h: the history table (SPEC section 3): its name, the advisory
 * lock derived from it, and the statements that read and change it.
 */
#ifndef MIGRATE_HISTORY_H
#define MIGRATE_HISTORY_H

#include <stdbool.h>
#include <libpq-fe.h>

#include "buf.h"
#include "db.h"
#include "history_row.h"

struct history_table
{
	char *qualified; /* quoted "schema"."table", owned */
	char *schema; /* quoted "schema", owned */
	char *regclass_literal; /* 'schema.table' as a literal, owned */
	char *plain; /* schema.table as configured, owned */
	long long lock_key; /* pg_advisory_xact_lock key */
};

/* Timeouts applied with SET LOCAL at the start of every transaction. */
struct txn_settings
{
	long lock_timeout_ms;
	long statement_timeout_ms;
};

/*
 * Prepares names from "schema.table" or "table" (schema public).
 * Returns 0, or -1 when the name is not one or two identifiers.
 */
int history_table_init(struct db *db, const char *configured, struct history_table *ht)
	__attribute__((warn_unused_result));
void history_table_free(struct history_table *ht);

/*
 * The transaction-local setting that history_sql_begin turns on: once it
 * reads as anything else, the transaction the runner opened has ended.
 */
#define HISTORY_TXN_MARK "migrate.unit_txn"

/*
 * The mark's value: this backend and the start of its transaction, which
 * no role or database default of the setting can hold, and which prints
 * the same under any session settings (an integer, not a timestamp).
 */
#define HISTORY_TXN_TOKEN                                                \
	"pg_catalog.concat(pg_catalog.pg_backend_pid(), ':', "               \
	"(EXTRACT(epoch FROM pg_catalog.transaction_timestamp()) * 1000000)" \
	"::bigint)"

/*
 * Appends BEGIN and one SELECT that sets the timeouts and HISTORY_TXN_MARK
 * (to HISTORY_TXN_TOKEN) for the transaction (and with recovery, also returns
 * pg_is_in_recovery() as its fourth column): two results.
 */
void history_sql_begin(struct buf *sql, const struct txn_settings *ts, bool recovery);

/* Appends the transaction-scoped advisory lock: one result. */
void history_sql_lock(struct buf *sql, const struct history_table *ht);

/* CREATE TABLE IF NOT EXISTS, quiet about it existing. */
void history_sql_create(struct buf *sql, const struct history_table *ht);

/*
 * SELECT of every row (with whether a running row's owner still has a
 * session), sorted by version: parse with history_parse.
 */
void history_sql_select_all(struct buf *sql, const struct history_table *ht);

/*
 * SELECT of the names of the table's columns, in order, separated by
 * spaces (one row; NULL when the table does not exist): see
 * history_shape_tool.
 */
void history_sql_columns(struct buf *sql, const char *regclass_literal);

/* SELECT that returns one row when version has a row, none otherwise. */
void history_sql_exists(struct buf *sql, const struct history_table *ht, long long version);

/*
 * duration_ms for history_sql_insert: the server's time from the arrival
 * of the message that holds the INSERT, for a row written in the same
 * message as the unit's statements.
 */
#define HISTORY_DURATION_OF_MESSAGE (-1)

/* INSERT of a row; schema_hash and owner may be NULL. */
void history_sql_insert(struct buf *sql, struct db *db, const struct history_table *ht,
						long long version, const char *name, const char *checksum,
						const char *state, int duration_ms, const char *schema_hash,
						const char *owner);

/* UPDATE a running row to applied. */
void history_sql_settle(struct buf *sql, struct db *db, const struct history_table *ht,
						long long version, int duration_ms, const char *schema_hash);

void history_sql_delete(struct buf *sql, const struct history_table *ht, long long version);

/* Stores schema_hash in the newest remaining row, if any. */
void history_sql_store_hash(struct buf *sql, struct db *db, const struct history_table *ht,
							const char *schema_hash);

/*
 * Reads the rows of a history_sql_select_* result into *h (release with
 * history_free).  Returns 0, or -1 when the result does not have the
 * expected columns.
 */
int history_parse(const PGresult *res, struct history *h) __attribute__((warn_unused_result));

#endif
