/*
 * safety_window.c: the windowed observation (see safety_window.h).
 */
#include "safety_window.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "buf.h"
#include "catalog_mark.h"
#include "safety_sql.h"

/*
 * The statement is prepared once per run (PREPARE, see safety.c), so that
 * it is planned once.  Its parameters: $1 the followed relations' oids;
 * $2 to $9 the counters of CATALOG_COUNTS after the previous statement
 * (the gates); $10 the floor as an xid, $11 with its epoch, $12 its low
 * 32 bits.
 */
#define WINDOW_PARAMS                                                                         \
	"(pg_catalog.oid[], pg_catalog.int8, pg_catalog.int8, pg_catalog.int8, pg_catalog.int8, " \
	"pg_catalog.int8, pg_catalog.int8, pg_catalog.int8, pg_catalog.int8, pg_catalog.xid, "    \
	"pg_catalog.int8, pg_catalog.int8)"

/* The followed relations; those that sequential scans read, and how many rows. */
#define WINDOW_IDS                                                                      \
	"ids AS (SELECT pg_catalog.unnest($1) AS oid), "                                    \
	"s AS (SELECT ids.oid, pg_catalog.pg_stat_get_xact_tuples_returned(ids.oid) AS "    \
	"seq_tup_read FROM ids WHERE pg_catalog.pg_stat_get_xact_tuples_returned(ids.oid) " \
	"> 0)"

/*
 * The counters now; whether to read as the general observation does: a
 * constraint or trigger row deleted by the statement (the window cannot
 * see whose), or track_counts off (the counters cannot be trusted); the
 * floor, as age() counts it.
 */
#define WINDOW_GATES                                                                            \
	"k AS (SELECT * FROM (SELECT " CATALOG_COUNTS ") k0(class_iu, class_del, att_upd, con_iu, " \
	"con_del, trg_iu, trg_del, idx_iu, counting)), "                                            \
	"fb AS (SELECT NOT counting OR con_del > $6 OR trg_del > $8 AS fallback FROM k), "          \
	"f AS (SELECT pg_catalog.age($10) AS a)"

/* A catalog's rows written at or after the floor, when the statement wrote it. */
#define NEWER(COL, CATALOG, GATE, PREV)                                                        \
	"SELECT " COL " AS oid, xmin FROM pg_catalog." CATALOG " WHERE ((SELECT " GATE " FROM k) " \
	"> " PREV " OR (SELECT fallback FROM fb)) AND pg_catalog.age(xmin) <= (SELECT a FROM f)"

/*
 * The relations whose catalog rows this transaction wrote since the
 * floor; a row counts only if it is this transaction's (in progress, and
 * visible): another session's committed DDL is not the statement's.
 */
#define NEWER_CLASS NEWER("oid", "pg_class", "class_iu", "$2")
#define NEWER_ATTRIBUTE NEWER("attrelid", "pg_attribute", "att_upd", "$4")
#define NEWER_CONSTRAINT NEWER("conrelid", "pg_constraint", "con_iu", "$5")
#define NEWER_TRIGGER NEWER("tgrelid", "pg_trigger", "trg_iu", "$7")
#define NEWER_INDEX NEWER("indrelid", "pg_index", "idx_iu", "$9")
#define WINDOW_WRITTEN                                                                   \
	"w0 AS (" NEWER_CLASS " UNION ALL " NEWER_ATTRIBUTE " UNION ALL " NEWER_CONSTRAINT   \
	" UNION ALL " NEWER_TRIGGER " UNION ALL " NEWER_INDEX "), "                          \
	"w AS (SELECT DISTINCT oid FROM w0 WHERE oid <> 0 AND pg_catalog.txid_status($11 + " \
	"((xmin::text::pg_catalog.int8 - $12) & 4294967295)) = 'in progress')"

/*
 * The followed relations that are gone, when the statement deleted
 * pg_class rows: one pass over pg_class (a hashed NOT IN), not a probe per
 * followed relation.
 */
#define WINDOW_GONE                                                                   \
	"g AS (SELECT ids.oid FROM ids WHERE ((SELECT class_del FROM k) > $3 OR (SELECT " \
	"fallback FROM fb)) AND ids.oid NOT IN (SELECT c.oid FROM pg_catalog.pg_class c))"

/* What to read: written, gone, scanned; every followed one in a fallback. */
#define WINDOW_RELATIONS                                                        \
	"(SELECT oid FROM w UNION SELECT oid FROM g UNION SELECT oid FROM s UNION " \
	"SELECT oid FROM ids WHERE (SELECT fallback FROM fb)) o"

/* Whether to read o's SIGNATURE: written, gone, or a fallback. */
#define WINDOW_SIGNED                                                           \
	"c.oid IS NULL OR (" USER_RELATION " AND (o.oid IN (SELECT oid FROM w) OR " \
	"(SELECT fallback FROM fb)))"

/*
 * The windowed observation, in OBSERVE_SELECT's columns.  pg_locks is
 * never read: every relation that counts is held in ACCESS EXCLUSIVE mode
 * already, and so is every relation a statement creates.  The gates are
 * scalar subqueries, so that a catalog the statement did not write is not
 * read at all.
 */
#define WINDOW_SQL                                                                                \
	"WITH " WINDOW_IDS ", " WINDOW_GATES ", " WINDOW_WRITTEN ", " WINDOW_GONE " "                 \
	"SELECT o.oid::int8, coalesce(c.relfilenode, 0)::int8, coalesce(s.seq_tup_read, 0), "         \
	"(SELECT count(*) FROM pg_catalog.pg_index y WHERE y.indrelid = o.oid), "                     \
	"'AccessExclusiveLock', CASE WHEN " WINDOW_SIGNED " THEN " SIGNATURE(                         \
		"o.oid") " END, "                                                                         \
				 "CASE WHEN " USER_RELATION " THEN c.relkind ELSE '' END, "                       \
				 "coalesce(x.indrelid, o.oid)::int8, coalesce(n.nspname, ''), "                   \
				 "coalesce(c.relname, '') "                                                       \
				 "FROM " WINDOW_RELATIONS " "                                                     \
				 "LEFT JOIN pg_catalog.pg_class c ON c.oid = o.oid LEFT JOIN s ON s.oid = o.oid " \
				 "LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "                 \
				 "LEFT JOIN pg_catalog.pg_index x ON x.indexrelid = o.oid"

char *
safety_window_prepare_sql(const char *name)
{
	struct buf b;
	char *s;

	buf_init(&b);
	buf_printf(&b, "PREPARE %s_g AS %s;PREPARE %s_w%s AS %s;", name, GLOBALS_SELECT, name,
			   WINDOW_PARAMS, WINDOW_SQL);
	s = buf_detach(&b);
	buf_free(&b);
	return s;
}

char *
safety_window_execute_sql(const char *name, const struct safety_window *w, const char *oids)
{
	unsigned long long low = w->xid & 0xffffffffULL;
	struct buf b;
	char *s;

	buf_init(&b);
	buf_printf(&b,
			   "EXECUTE %s_g;EXECUTE %s_w('{%s}', %lld, %lld, %lld, %lld, %lld, %lld, %lld, %lld, "
			   "'%llu', %llu, %llu);",
			   name, name, oids, w->class_iu, w->class_del, w->att_upd, w->con_iu, w->con_del,
			   w->trg_iu, w->trg_del, w->idx_iu, low, w->xid, low);
	s = buf_detach(&b);
	buf_free(&b);
	return s;
}

bool
safety_window_take(struct safety_window *w, const PGresult *g)
{
	long long v[CATALOG_COUNT_COLUMNS - 1];
	int i;

	if (PQnfields(g) < 2 + CATALOG_COUNT_COLUMNS || PQntuples(g) != 1)
		return false;
	for (i = 0; i < CATALOG_COUNT_COLUMNS - 1; i++)
		v[i] = atoll(PQgetvalue(g, 0, 2 + i));
	w->class_iu = v[0];
	w->class_del = v[1];
	w->att_upd = v[2];
	w->con_iu = v[3];
	w->con_del = v[4];
	w->trg_iu = v[5];
	w->trg_del = v[6];
	w->idx_iu = v[7];
	return strcmp(PQgetvalue(g, 0, 1 + CATALOG_COUNT_COLUMNS), "t") == 0;
}

bool
safety_signature_drop_index(char **sig, unsigned int index_oid)
{
	char key[32];
	const char *s = *sig;
	const char *part = s;
	const char *p;
	const char *end;
	size_t klen;
	int bars;
	struct buf out;

	/* the index part is the fifth: after four '|' */
	for (bars = 0; bars < 4; bars++)
	{
		part = strchr(part, '|');
		if (part == NULL)
			return false;
		part++;
	}
	klen = (size_t) snprintf(key, sizeof(key), "%u@", index_oid);
	for (p = part; *p; p = end + (*end == ','))
	{
		/* an entry is "oid@(block,offset)": it ends after its ')' */
		end = strchr(p, ')');
		if (end == NULL)
			return false;
		end++;
		if (strncmp(p, key, klen) != 0)
			continue;
		buf_init(&out);
		buf_append_len(&out, s, (size_t) (p - s));
		if (*end == ',')
			end++;
		else if (p > part)
			out.data[--out.len] = '\0'; /* the last entry: drop the ',' before it */
		buf_append(&out, end);
		free(*sig);
		*sig = buf_detach(&out);
		buf_free(&out);
		return true;
	}
	return false;
}

/* The counters of catalog name in m, or NULL. */
static const struct catalog_count *
counts_of(const struct catalog_mark *m, const char *name)
{
	size_t i;

	for (i = 0; i < m->n; i++)
		if (strcmp(m->cat[i].name, name) == 0)
			return &m->cat[i];
	return NULL;
}

bool
safety_window_from_mark(struct safety_window *w, const struct catalog_mark *m)
{
	const struct catalog_count *cl = counts_of(m, "pg_class");
	const struct catalog_count *at = counts_of(m, "pg_attribute");
	const struct catalog_count *co = counts_of(m, "pg_constraint");
	const struct catalog_count *tg = counts_of(m, "pg_trigger");
	const struct catalog_count *ix = counts_of(m, "pg_index");

	memset(w, 0, sizeof(*w));
	if (!m->ok || cl == NULL || at == NULL || co == NULL || tg == NULL || ix == NULL)
		return false;
	w->xid = m->xid;
	w->class_iu = cl->ins + cl->upd;
	w->class_del = cl->del;
	w->att_upd = at->upd;
	w->con_iu = co->ins + co->upd;
	w->con_del = co->del;
	w->trg_iu = tg->ins + tg->upd;
	w->trg_del = tg->del;
	w->idx_iu = ix->ins + ix->upd;
	w->ok = true;
	return true;
}
