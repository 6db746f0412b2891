/*
 * catalog_mark.h: verify's cheap proof that a unit's down step left the
 * catalogs exactly as they were before its up step, so that the schema
 * need not be described twice per unit (SPEC section 10, issue 13).
 *
 * A mark, taken in verify's transaction, is a fresh transaction id and
 * this transaction's insert, update and delete counters of every table in
 * pg_catalog; catalog_mark.c explains why two marks and at most one scan
 * of the catalogs that changed prove the catalogs, and so the schema
 * fingerprint, unchanged.  Plain C: the caller sends the SQL.
 */
#ifndef MIGRATE_CATALOG_MARK_H
#define MIGRATE_CATALOG_MARK_H

#include <stdbool.h>
#include <stddef.h>

#include <libpq-fe.h>

#include "buf.h"

/*
 * The temporary table whose rows give each mark a transaction id of its
 * own; made once per verify run, next to verify's guard.  pg_temp is
 * outside the fingerprint and goes with verify's rollback.
 */
#define CATALOG_MARK_TABLE_SQL "CREATE TEMPORARY TABLE migrate_verify_mark (x integer);\n"

/*
 * Takes a mark: one statement, one result, for catalog_mark_read.  For
 * the mark's id to follow every id the transaction has used so far, send
 * it in a subtransaction that has not written yet (just after a
 * SAVEPOINT).
 */
extern const char catalog_mark_sql[];

/* One catalog's counters in this transaction. */
struct catalog_count
{
	unsigned int oid;
	char *name; /* owned */
	long long ins;
	long long upd;
	long long del;
};

struct catalog_mark
{
	bool ok; /* read completely, with track_counts on */
	unsigned long long xid; /* the mark row's transaction id, with its epoch */
	struct catalog_count *cat; /* owned, in oid order */
	size_t n;
};

/* What comparing two marks proved. */
enum catalog_outcome
{
	CATALOG_UNCHANGED, /* no catalog row differs: the schema is the same */
	CATALOG_SCAN, /* unchanged if the query catalog_mark_compare wrote says false */
	CATALOG_IN_DOUBT /* something may differ: describe the schema to know */
};

/* An empty mark (not ok). */
void catalog_mark_init(struct catalog_mark *m);
/* Frees what m holds and empties it; accepts an empty mark. */
void catalog_mark_free(struct catalog_mark *m);

/*
 * Reads the result of catalog_mark_sql into *m, emptied first.  Returns
 * m->ok: false when the result is not the expected shape or track_counts
 * is off (the counters then miss changes), the mark then being unusable.
 */
bool catalog_mark_read(struct catalog_mark *m, const PGresult *res);

/*
 * The same statement (allocated) for the catalogs that mark known lists,
 * by their oids: no scan of pg_class, which grows with every relation a
 * long verify makes (the catalogs of a server do not change while it
 * runs).  NULL when known is not ok or names a catalog oddly.
 */
char *catalog_mark_sql_for(const struct catalog_mark *known);

/*
 * Compares the mark taken before a unit's up step with one taken after
 * its down step.  When the counters alone decide, returns
 * CATALOG_UNCHANGED or CATALOG_IN_DOUBT; else appends to *scan one
 * statement whose single boolean is true when the catalogs may differ
 * (a row written since before, or a subtransaction rolled back in
 * between) and returns CATALOG_SCAN.
 *
 * written, when not NULL, lists (comma-separated oids) every relation
 * whose rows the unit wrote in pg_class, pg_attribute, pg_attrdef,
 * pg_index and pg_trigger (safety_written): those catalogs are then not
 * scanned; the statement asks instead whether any of those relations
 * still exists.  With equal inserts and deletes in pg_class, none of them
 * can be one that existed before (its row's delete would need an insert
 * that is not gone), so when all are gone every row written for them is
 * gone with them, and no row older than the mark was removed.
 */
enum catalog_outcome catalog_mark_compare(const struct catalog_mark *before,
										  const struct catalog_mark *after, const char *written,
										  struct buf *scan);

#endif
