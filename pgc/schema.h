/*
 * schema.h: the canonical schema description and its fingerprint.
 */
#ifndef MIGRATE_SCHEMA_H
#define MIGRATE_SCHEMA_H

#include <stddef.h>
#include <libpq-fe.h>

#include "buf.h"

/*
 * Appends to *out the canonical description of every schema except
 * pg_catalog, information_schema, pg_toast* and pg_temp*, leaving out the
 * table named history_table ("schema.name").  One round trip; no session
 * state.  Returns 0, or -1 with a one-line reason in *err (caller frees).
 */
int			schema_describe(PGconn *conn, const char *history_table,
							struct buf *out, char **err);

/* Writes the lower-case hex SHA-256 of text (65 bytes with the NUL). */
void		schema_hash_hex(const char *text, size_t len, char hex[65]);

#endif
