/*
 * schema.h: the schema fingerprint (SPEC section 6): a canonical text
 * describing every user schema, and its SHA-256.
 *
 * The text and its rules are described in docs/fingerprint.md.
 */
#ifndef MIGRATE_SCHEMA_H
#define MIGRATE_SCHEMA_H

#include <stdbool.h>
#include <stddef.h>

#include <libpq-fe.h>

#include "buf.h"

/*
 * Appends to *out the canonical description of every schema except
 * pg_catalog, information_schema, pg_toast* and pg_temp*, leaving out the
 * table named history_table (read by history_name_split, as when it was
 * created: "schema.name" or "name" in public, case kept; NULL leaves
 * nothing out).
 *
 * Uses conn (an open libpq connection, possibly inside a transaction that
 * the caller owns) for one simple query, one round trip: it pins the
 * settings that change deparsed text (search_path, DateStyle, TimeZone,
 * ...; docs/fingerprint.md) transaction-locally for the query alone --
 * inside the caller's transaction under a savepoint that is rolled back,
 * so that the caller's settings stay as they were -- and never ends the
 * caller's transaction or prepares a named statement, so it works through
 * PgBouncer in transaction mode.  The text therefore does not depend on
 * the session's or the role's settings.
 *
 * Returns 0, or -1 with a one-line reason in *err (the caller frees *err
 * with free()) and the SQLSTATE in sqlstate (the server's, 08006 for a
 * lost connection, "" when there is none) when the query fails; *out is
 * then left as it was.
 */
int schema_describe(PGconn *conn, const char *history_table, struct buf *out, char **err,
					char sqlstate[6]) __attribute__((warn_unused_result));

/*
 * Writes into hex the lower-case hex SHA-256 of the text that
 * schema_describe would append, and a NUL, computed by the server (one
 * statement, as schema_describe): only 64 characters cross the wire and
 * the client's memory does not grow with the schema.  Returns 0, or -1
 * with a one-line reason in *err (the caller frees it) and sqlstate as
 * schema_describe sets it.
 */
int schema_fingerprint(PGconn *conn, const char *history_table, char hex[65], char **err,
					   char sqlstate[6]) __attribute__((warn_unused_result));

/*
 * schema_fingerprint, and in the same statement the stamp that lets
 * status trust the hash later without recomputing it (docs/fingerprint.md,
 * "When status need not recompute"), for the runs that store the hash.
 * *stamp is NULL when no stamp can be given: another transaction was in
 * progress, an index changed validity meanwhile, or the role does not own
 * the history table.  It may assign the caller's transaction an id.  The
 * caller frees *stamp.
 */
int schema_fingerprint_stamped(PGconn *conn, const char *history_table, char hex[65], char **stamp,
							   char **err, char sqlstate[6]) __attribute__((warn_unused_result));

/*
 * Appends the statement that reads what the stamp stored with the history
 * table's schema_hash column is checked against (one row); outside a
 * transaction.  schema_stamp_check_result then sets *matches when the
 * stamp still holds: no transaction has completed since the one that
 * stored it, and nothing it covers changed, so the newest row's
 * schema_hash is the live fingerprint.  It returns -1 when res is not
 * that statement's row.
 */
void schema_stamp_sql_check(struct buf *sql, PGconn *conn, const char *history_table);
int schema_stamp_check_result(PGconn *conn, const PGresult *res, bool *matches)
	__attribute__((warn_unused_result));

/* Appends the statement that stores stamp (nothing when it is NULL). */
void schema_stamp_sql_store(struct buf *sql, PGconn *conn, const char *qualified_table,
							const char *stamp);

/*
 * Writes the lower-case hex SHA-256 of text[0..len) and a NUL into hex,
 * using libcrypto (OpenSSL EVP).  Aborts the process if libcrypto fails,
 * as allocation failure does.
 */
void schema_hash_hex(const char *text, size_t len, char hex[65]);

#endif
