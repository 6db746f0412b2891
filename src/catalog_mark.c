/*
 * catalog_mark.c: proving that a unit's down step restored the catalogs,
 * from two marks and at most one scan (see catalog_mark.h).
 *
 * The argument.  Verify takes mark B in the unit's savepoint, before its
 * up step, and mark A after its down step, both in its one transaction.
 * A mark is S, the transaction id that its row in migrate_verify_mark
 * got, and, for every table in pg_catalog (shared catalogs included), the
 * transaction's pg_stat_get_xact_tuples_inserted/updated/deleted.
 *
 * 1. Ids.  B's row is the first write of the unit's savepoint, so S(B)
 *    follows every id the transaction used before: each row version the
 *    earlier units, the wipe or the guard made has an older xmin, and
 *    every version written after B (by the steps, in the savepoint or in
 *    subtransactions under it) has an xmin at or after S(B).  A's row is
 *    written in a subtransaction of its own, so S(A) follows every id
 *    used between the marks.  (pg_snapshot_xmax of the current snapshot
 *    would not do: it can be older than the transaction's own ids, making
 *    every row of the earlier units look new.)
 *
 * 2. Counters.  They count every heap insert, update and delete of a
 *    catalog by this backend, and only while track_counts is on, which
 *    both marks check (a superuser unit that turns it off and on again
 *    between them is not caught: see docs/verify.md).  They are exact at
 *    once for the own transaction, and count what a rolled-back
 *    subtransaction attempted too, so they never go down.
 *
 * 3. The catalogs that counted anything between B and A, and only those,
 *    are scanned for a live row whose xmin is at or after S(B), in
 *    wrapping 32-bit order; xmin 0 to 2 (frozen, bootstrap) is old.  The
 *    comparison can only take an xmin more than 2^31 ids old (which
 *    vacuum freezes long before) for a new one, never a new one for an
 *    old one, and the former only sends the unit to the exact path.  The
 *    same query asks whether any id in [S(B), S(A)) is marked aborted:
 *    another session's rollback only costs the exact path.
 *
 * Within one catalog, let I, U, D be the counted inserts, updates and
 * deletes.  Each insert makes one new version, each update one new
 * version and removes one, each delete removes one.  With no
 * subtransaction rolled back in between, all of them happened.  With no
 * new version alive at A, each of the I + U new versions was removed by
 * exactly one of the D + U removals, so D - I removals hit versions that
 * were live at B.  With I = D none did: live(A) = live(B) - removed_old +
 * new_alive = live(B), the very same row versions.  The fingerprint is
 * computed from pg_catalog rows, so it is the same too (a catalog's TOAST
 * rows go with the rows that point to them).  Updates made in
 * place without a new version (relpages, relhasindex; index validity
 * flags, which change in place only in CREATE/DROP INDEX CONCURRENTLY, and
 * verify runs no no-transaction unit) are not in the fingerprint.  The
 * rows other sessions commit meanwhile are nobody's change of this unit;
 * if they are new they only send it to the exact path.
 *
 * Anything else -- a counter that went down, a catalog that appeared,
 * track_counts off, a mark that could not be read, I <> D, too many ids
 * in between -- is doubt, and doubt means describing the schema.
 */
#include "catalog_mark.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * More ids than this between the marks (a busy server) and the aborted
 * check would cost more than describing the schema.
 */
#define CATALOG_MARK_MAX_IDS 100000

/* catalog_mark_sql's columns, for catalogs u(oid, relname). */
#define MARK_SELECT                                                                  \
	"WITH m AS (INSERT INTO pg_temp.migrate_verify_mark VALUES (1) RETURNING xmin) " \
	"SELECT u.oid::pg_catalog.int8, u.relname, "                                     \
	"pg_catalog.pg_stat_get_xact_tuples_inserted(u.oid), "                           \
	"pg_catalog.pg_stat_get_xact_tuples_updated(u.oid), "                            \
	"pg_catalog.pg_stat_get_xact_tuples_deleted(u.oid), "                            \
	"(SELECT m.xmin::text FROM m), pg_catalog.txid_current(), "                      \
	"pg_catalog.current_setting('track_counts') "

const char catalog_mark_sql[] =
	MARK_SELECT "FROM pg_catalog.pg_class u "
				"WHERE u.relnamespace = 'pg_catalog'::pg_catalog.regnamespace AND u.relkind = 'r' "
				"ORDER BY u.oid;";

char *
catalog_mark_sql_for(const struct catalog_mark *known)
{
	struct buf stmt;
	struct buf names;
	char *sql;
	size_t i;

	if (known == NULL || !known->ok || known->n == 0)
		return NULL;
	for (i = 0; i < known->n; i++)
		if (known->cat[i]
				.name[strspn(known->cat[i].name, "abcdefghijklmnopqrstuvwxyz0123456789_")] != '\0')
			return NULL;
	buf_init(&stmt);
	buf_init(&names);
	buf_append(&stmt, MARK_SELECT "FROM ROWS FROM (pg_catalog.unnest('{");
	for (i = 0; i < known->n; i++)
	{
		buf_printf(&stmt, "%s%u", i > 0 ? "," : "", known->cat[i].oid);
		buf_printf(&names, "%s%s", i > 0 ? "," : "", known->cat[i].name);
	}
	buf_printf(&stmt,
			   "}'::pg_catalog.oid[]), pg_catalog.unnest('{%s}'::pg_catalog.text[])) AS "
			   "u(oid, relname) ORDER BY u.oid;",
			   names.data);
	sql = buf_detach(&stmt);
	buf_free(&stmt);
	buf_free(&names);
	return sql;
}

void
catalog_mark_init(struct catalog_mark *m)
{
	memset(m, 0, sizeof(*m));
}

void
catalog_mark_free(struct catalog_mark *m)
{
	size_t i;

	for (i = 0; i < m->n; i++)
		free(m->cat[i].name);
	free(m->cat);
	catalog_mark_init(m);
}

/* Parses a non-negative integer field; false when it is not one. */
static bool
read_count(const PGresult *res, int row, int col, unsigned long long *out)
{
	const char *s = PQgetvalue(res, row, col);
	char *end;

	if (PQgetisnull(res, row, col) || s[0] < '0' || s[0] > '9')
		return false;
	*out = strtoull(s, &end, 10);
	return *end == '\0';
}

/* The row's counters into *c; false when one is not a count. */
static bool
read_catalog(const PGresult *res, int row, struct catalog_count *c)
{
	unsigned long long oid;
	unsigned long long v[3];
	int i;

	if (!read_count(res, row, 0, &oid) || oid > UINT32_MAX || PQgetisnull(res, row, 1))
		return false;
	for (i = 0; i < 3; i++)
		if (!read_count(res, row, 2 + i, &v[i]) || v[i] > INT64_MAX)
			return false;
	c->oid = (unsigned int) oid;
	c->name = xstrdup(PQgetvalue(res, row, 1));
	c->ins = (long long) v[0];
	c->upd = (long long) v[1];
	c->del = (long long) v[2];
	return true;
}

bool
catalog_mark_read(struct catalog_mark *m, const PGresult *res)
{
	unsigned long long xid32;
	unsigned long long top;
	int rows = PQntuples(res);
	int i;

	catalog_mark_free(m);
	if (PQresultStatus(res) != PGRES_TUPLES_OK || PQnfields(res) != 8 || rows < 1 ||
		!read_count(res, 0, 5, &xid32) || xid32 > UINT32_MAX || !read_count(res, 0, 6, &top) ||
		strcmp(PQgetvalue(res, 0, 7), "on") != 0)
		return false;
	/* the row's id came after the transaction's top-level id, within 2^31 */
	m->xid = top + (uint32_t) ((uint32_t) xid32 - (uint32_t) top);
	m->cat = xcalloc((size_t) rows, sizeof(*m->cat));
	for (i = 0; i < rows; i++)
	{
		if (!read_catalog(res, i, &m->cat[i]))
		{
			catalog_mark_free(m);
			return false;
		}
		m->n++;
	}
	m->ok = true;
	return true;
}

/* Appends name as a quoted identifier. */
static void
append_ident(struct buf *b, const char *name)
{
	buf_append_char(b, '"');
	for (; *name; name++)
	{
		if (*name == '"')
			buf_append_char(b, '"');
		buf_append_char(b, *name);
	}
	buf_append_char(b, '"');
}

/*
 * The scan of step 3 over the catalogs flagged in active.  age(xid) is
 * the signed 32-bit distance from the transaction's own id (or the next
 * id) to xid, INT_MAX for non-normal ids, so that age(xmin) <= age(s)
 * compares in wrapping order without converting every xmin to text.
 */
/* The catalogs whose rows all belong to a relation (catalog_mark_compare's written). */
static bool
of_relations(const char *catalog)
{
	static const char *const names[] = {"pg_class", "pg_attribute", "pg_attrdef", "pg_index",
										"pg_trigger"};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(catalog, names[i]) == 0)
			return true;
	return false;
}

static void
write_scan(const struct catalog_mark *before, const struct catalog_mark *after, const bool *active,
		   const char *written, struct buf *scan)
{
	size_t i;

	buf_printf(scan,
			   "SELECT EXISTS (SELECT 1 FROM pg_catalog.generate_series(%llu::pg_catalog.int8, "
			   "%llu::pg_catalog.int8) x WHERE pg_catalog.txid_status(x) = 'aborted')",
			   before->xid, after->xid - 1);
	if (written != NULL && written[0] != '\0')
		buf_printf(scan,
				   " OR EXISTS (SELECT 1 FROM pg_catalog.pg_class c WHERE c.oid = "
				   "ANY ('{%s}'::pg_catalog.oid[]))",
				   written);
	for (i = 0; i < after->n; i++)
	{
		if (!active[i] || (written != NULL && of_relations(after->cat[i].name)))
			continue;
		buf_append(scan, " OR EXISTS (SELECT 1 FROM pg_catalog.");
		append_ident(scan, after->cat[i].name);
		buf_printf(scan,
				   " t WHERE pg_catalog.age(t.xmin) <= "
				   "(SELECT pg_catalog.age('%llu'::pg_catalog.xid)))",
				   before->xid & UINT32_MAX);
	}
	buf_append(scan, ";");
}

enum catalog_outcome
catalog_mark_compare(const struct catalog_mark *before, const struct catalog_mark *after,
					 const char *written, struct buf *scan)
{
	enum catalog_outcome out = CATALOG_UNCHANGED;
	bool *active;
	size_t i;

	if (!before->ok || !after->ok || before->n != after->n || after->xid <= before->xid ||
		after->xid - before->xid > CATALOG_MARK_MAX_IDS)
		return CATALOG_IN_DOUBT;
	active = xcalloc(after->n + 1, sizeof(*active));
	for (i = 0; i < after->n && out != CATALOG_IN_DOUBT; i++)
	{
		const struct catalog_count *b = &before->cat[i];
		const struct catalog_count *a = &after->cat[i];

		if (a->oid != b->oid || a->ins < b->ins || a->upd < b->upd || a->del < b->del ||
			a->ins - b->ins != a->del - b->del)
			out = CATALOG_IN_DOUBT;
		else if (a->ins != b->ins || a->upd != b->upd)
			active[i] = true;
	}
	if (out != CATALOG_IN_DOUBT)
		for (i = 0; i < after->n; i++)
			if (active[i])
				out = CATALOG_SCAN;
	if (out == CATALOG_SCAN)
		write_scan(before, after, active, written, scan);
	free(active);
	return out;
}
