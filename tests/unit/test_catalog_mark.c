/*
 * test_catalog_mark.c: what two catalog marks prove (catalog_mark.c),
 * without a server: the marks are filled by hand; and the statement of a
 * run's later marks.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog_mark.h"
#include "tap.h"

/* A usable mark of three catalogs, all counters 0, taken at xid. */
static void
mark3(struct catalog_mark *m, unsigned long long xid)
{
	static const char *names[] = {"pg_type", "pg_attribute", "pg_class"};
	static const unsigned int oids[] = {1247, 1249, 1259};
	size_t i;

	catalog_mark_init(m);
	m->cat = xcalloc(3, sizeof(*m->cat));
	for (i = 0; i < 3; i++)
	{
		m->cat[i].oid = oids[i];
		m->cat[i].name = xstrdup(names[i]);
	}
	m->n = 3;
	m->xid = xid;
	m->ok = true;
}

/* Marks b and a of three catalogs, taken at xid_b and xid_a, and an empty scan. */
static void
marks_init(struct catalog_mark *b, struct catalog_mark *a, struct buf *scan,
		   unsigned long long xid_b, unsigned long long xid_a)
{
	buf_init(scan);
	mark3(b, xid_b);
	mark3(a, xid_a);
}

static void
marks_free(struct catalog_mark *b, struct catalog_mark *a, struct buf *scan)
{
	buf_free(scan);
	catalog_mark_free(b);
	catalog_mark_free(a);
}

/* Compares b and a; the scan query, if any, into *scan (reset first). */
static enum catalog_outcome
compare(const struct catalog_mark *b, const struct catalog_mark *a, struct buf *scan)
{
	buf_reset(scan);
	return catalog_mark_compare(b, a, NULL, scan);
}

static void
test_counters(void)
{
	struct catalog_mark b;
	struct catalog_mark a;
	struct buf scan;

	marks_init(&b, &a, &scan, 4294967290ULL, 4294967300ULL); /* just before the 32-bit wrap */
	cmp_ok(compare(&b, &a, &scan), ==, CATALOG_UNCHANGED, "no catalog counted anything: unchanged");
	is(scan.data, "", "and nothing to scan");

	a.cat[1].ins = 7;
	a.cat[1].del = 7;
	a.cat[2].upd = 2;
	cmp_ok(compare(&b, &a, &scan), ==, CATALOG_SCAN, "balanced inserts and deletes: scan");
	ok(strstr(scan.data, "generate_series(4294967290::pg_catalog.int8, 4294967299::") != NULL,
	   "the ids between the marks are checked for a rollback");
	ok(strstr(scan.data, "FROM pg_catalog.\"pg_attribute\" t WHERE") != NULL &&
		   strstr(scan.data, "FROM pg_catalog.\"pg_class\" t WHERE") != NULL,
	   "the catalogs that counted an insert or an update are scanned");
	ok(strstr(scan.data, "pg_type") == NULL, "one that counted nothing is not");
	ok(strstr(scan.data, "age('4294967290'::pg_catalog.xid)") != NULL,
	   "rows are new from the first mark's 32-bit id on");

	a.cat[1].del = 6;
	cmp_ok(compare(&b, &a, &scan), ==, CATALOG_IN_DOUBT, "more inserts than deletes: in doubt");
	a.cat[1].del = 8;
	cmp_ok(compare(&b, &a, &scan), ==, CATALOG_IN_DOUBT, "more deletes than inserts: in doubt");
	a.cat[1].del = 7;
	b.cat[2].upd = 3;
	cmp_ok(compare(&b, &a, &scan), ==, CATALOG_IN_DOUBT, "a counter that went down: in doubt");
	b.cat[2].upd = 0;
	cmp_ok(compare(&b, &a, &scan), ==, CATALOG_SCAN, "as it was: scan again");
	marks_free(&b, &a, &scan);
}

static void
test_doubt(void)
{
	struct catalog_mark b;
	struct catalog_mark a;
	struct buf scan;

	marks_init(&b, &a, &scan, 1000, 1010);
	a.ok = false;
	cmp_ok(compare(&b, &a, &scan), ==, CATALOG_IN_DOUBT, "an unusable mark after: in doubt");
	a.ok = true;
	b.ok = false;
	cmp_ok(compare(&b, &a, &scan), ==, CATALOG_IN_DOUBT, "an unusable mark before: in doubt");
	b.ok = true;
	a.cat[2].oid = 99999;
	cmp_ok(compare(&b, &a, &scan), ==, CATALOG_IN_DOUBT, "another set of catalogs: in doubt");
	a.cat[2].oid = 1259;
	a.xid = 1000;
	cmp_ok(compare(&b, &a, &scan), ==, CATALOG_IN_DOUBT,
		   "a second id not after the first: in doubt");
	a.xid = 1000 + 200000;
	cmp_ok(compare(&b, &a, &scan), ==, CATALOG_IN_DOUBT, "too many ids in between: in doubt");
	is(scan.data, "", "nothing is scanned in doubt");
	free(a.cat[0].name);
	a.cat[0].name = xstrdup("we\"ird");
	a.cat[0].ins = a.cat[0].del = 1;
	a.xid = 1010;
	cmp_ok(compare(&b, &a, &scan), ==, CATALOG_SCAN, "a catalog with an odd name: scan");
	ok(strstr(scan.data, "pg_catalog.\"we\"\"ird\" t") != NULL, "its name is quoted");
	marks_free(&b, &a, &scan);
	catalog_mark_free(&a); /* an emptied mark may be freed again */
}

/* With the relations the unit wrote known, their catalogs are not scanned. */
static void
test_written(void)
{
	struct catalog_mark b;
	struct catalog_mark a;
	struct buf scan;

	marks_init(&b, &a, &scan, 1000, 1010);
	a.cat[0].ins = a.cat[0].del = 2; /* pg_type */
	a.cat[1].ins = a.cat[1].del = 7; /* pg_attribute */
	a.cat[2].ins = a.cat[2].del = 1; /* pg_class */
	cmp_ok(catalog_mark_compare(&b, &a, "16390,16393", &scan), ==, CATALOG_SCAN,
		   "written relations known: still a scan");
	ok(strstr(scan.data, "c.oid = ANY ('{16390,16393}'::pg_catalog.oid[])") != NULL,
	   "it asks whether any written relation still exists");
	ok(strstr(scan.data, "\"pg_attribute\" t") == NULL &&
		   strstr(scan.data, "\"pg_class\" t") == NULL,
	   "and reads neither pg_attribute nor pg_class");
	ok(strstr(scan.data, "\"pg_type\" t") != NULL, "a catalog of other objects is still read");
	ok(strstr(scan.data, "txid_status(x) = 'aborted'") != NULL, "and rollbacks still looked for");
	buf_reset(&scan);
	cmp_ok(catalog_mark_compare(&b, &a, "", &scan), ==, CATALOG_SCAN, "nothing written: a scan");
	ok(strstr(scan.data, "ANY (") == NULL, "with no relation to look for");
	a.cat[2].del = 2;
	buf_reset(&scan);
	cmp_ok(catalog_mark_compare(&b, &a, "16390", &scan), ==, CATALOG_IN_DOUBT,
		   "more pg_class deletes than inserts: in doubt, whatever was written");
	marks_free(&b, &a, &scan);
}

/* A run's later marks name its catalogs by oid instead of reading pg_class. */
static void
test_mark_sql(void)
{
	struct catalog_mark m;
	char *sql;

	catalog_mark_init(&m);
	ok(catalog_mark_sql_for(&m) == NULL, "no catalogs known: no statement of its own");
	mark3(&m, 100);
	sql = catalog_mark_sql_for(&m);
	ok(sql != NULL && strstr(sql, "unnest('{1247,1249,1259}'::pg_catalog.oid[])") != NULL &&
		   strstr(sql, "unnest('{pg_type,pg_attribute,pg_class}'::pg_catalog.text[])") != NULL,
	   "the known catalogs, by oid and name");
	ok(sql != NULL && strstr(sql, "pg_class u") == NULL, "and pg_class is not read");
	ok(sql != NULL && strncmp(sql, catalog_mark_sql, 200) == 0,
	   "the same columns as the first mark's statement");
	free(sql);
	free(m.cat[1].name);
	m.cat[1].name = xstrdup("odd'name");
	ok(catalog_mark_sql_for(&m) == NULL,
	   "a catalog named oddly: the statement that reads pg_class");
	catalog_mark_free(&m);
}

int
main(void)
{
	test_counters();
	test_doubt();
	test_written();
	test_mark_sql();
	return done_testing();
}
