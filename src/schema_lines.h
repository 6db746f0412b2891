/*
 * schema_lines.h: the fingerprint's lean text (docs/fingerprint.md, "The
 * lean describe"), assembled on the client from the rows of one cheap
 * statement instead of aggregated by a costly one on the server.
 */
#ifndef MIGRATE_SCHEMA_LINES_H
#define MIGRATE_SCHEMA_LINES_H

#include <libpq-fe.h>

#include "buf.h"

/*
 * The row statement: UNION ALL branches, each a catalog scan, every row
 * (sec integer, o oid, a ... m text).  A caller may add branches of its
 * own with sec SCHEMA_LINES_OWN or more; schema_lines_text skips them.
 * The branches that grow with the schema return nothing unless the
 * setting SCHEMA_LINES_SMALL_SETTING is "on", which the statements
 * before it set from SCHEMA_LINES_SMALL.
 */
extern const char schema_lines_sql[];

#define SCHEMA_LINES_OWN 10
#define SCHEMA_LINES_NFIELDS 15

/*
 * Whether the schema is small enough for rows: at most 250 relations
 * (tables, indexes, sequences, TOAST tables) that initdb did not make,
 * about fifty tables.  Beyond, a row per object costs the client more
 * than the server's aggregation costs the server (docs/fingerprint.md).
 * A boolean SQL expression, bounded by its LIMIT, and the transaction's
 * setting that carries it to the statement.
 */
#define SCHEMA_LINES_SMALL                                                                 \
	"((SELECT count(*) FROM (SELECT FROM pg_catalog.pg_class x WHERE x.oid >= 16384::oid " \
	"LIMIT 251) s) <= 250)"
#define SCHEMA_LINES_SMALL_SETTING "migrate.lean_small"

/*
 * Appends to *out the lean canonical text of the rows in res (of
 * schema_lines_sql), leaving out the relation named hist_rel in schema
 * hist_nsp and what hangs off it, exactly as the full describe statement
 * would write it for a schema that has none of the kinds the lean text
 * leaves out.  Returns 0, or -1 with *out unchanged when the rows hold
 * something the lean text cannot vouch for (the caller then describes
 * with the full statement).
 */
int schema_lines_text(const PGresult *res, const char *hist_nsp, const char *hist_rel,
					  struct buf *out) __attribute__((warn_unused_result));

#endif
