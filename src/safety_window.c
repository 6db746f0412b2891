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
 * (the gates; $9 pg_index inserts); $10 the floor as an xid, $11 with its epoch, $12 its low
 * 32 bits; $13 the followed tables' oids (the relations that sequential
 * scans read); $14 the defaults of each followed relation, in $1's order
 * (-1: not known); $15 to $17 the pg_attrdef counters of CATALOG_COUNTS;
 * $18 pg_index updates.
 */
#define WINDOW_PARAMS                                                                         \
	"(pg_catalog.oid[], pg_catalog.int8, pg_catalog.int8, pg_catalog.int8, pg_catalog.int8, " \
	"pg_catalog.int8, pg_catalog.int8, pg_catalog.int8, pg_catalog.int8, pg_catalog.xid, "    \
	"pg_catalog.int8, pg_catalog.int8, pg_catalog.oid[], pg_catalog.int4[], "                 \
	"pg_catalog.int8, pg_catalog.int8, pg_catalog.int8, pg_catalog.int8)"

/*
 * The followed relations; the tables that sequential scans read, and how
 * many rows (the counter read once per table: OFFSET 0 keeps the filter
 * from evaluating it again).
 */
#define WINDOW_IDS                                                             \
	"ids AS (SELECT u.oid, u.nd FROM ROWS FROM (pg_catalog.unnest($1), "       \
	"pg_catalog.unnest($14)) AS u(oid, nd)), "                                 \
	"s AS (SELECT t.oid, t.seq_tup_read FROM (SELECT u.oid, "                  \
	"pg_catalog.pg_stat_get_xact_tuples_returned(u.oid) AS seq_tup_read FROM " \
	"pg_catalog.unnest($13) AS u(oid) OFFSET 0) t WHERE t.seq_tup_read > 0)"

/*
 * The globals: GLOBALS_SELECT's columns, the rows touched only when $1
 * (-1 otherwise): they matter only while an earlier statement of the
 * step holds a lock that a statement doing work would hold across
 * (safety.c), and summing them reads every relation's counters.
 */
#define WINDOW_GLOBALS                                                                      \
	"SELECT pg_catalog.current_setting('lock_timeout'), CASE WHEN $1 THEN (" TOUCHED_SELECT \
	") ELSE -1 END, " CATALOG_COUNTS

/*
 * The counters now; whether to read as the general observation does: a
 * constraint or trigger row deleted by the statement (the window cannot
 * see whose), or track_counts off (the counters cannot be trusted); the
 * floor, as age() counts it.
 */
#define WINDOW_GATES                                                                            \
	"k AS (SELECT * FROM (SELECT " CATALOG_COUNTS ") k0(class_iu, class_del, att_upd, con_iu, " \
	"con_del, trg_iu, trg_del, idx_ins, idx_upd, def_ins, def_upd, def_del, counting)), "       \
	"fb AS (SELECT NOT counting OR con_del > $6 OR trg_del > $8 AS fallback FROM k), "          \
	"f AS (SELECT pg_catalog.age($10) AS a)"

/*
 * A catalog's rows written at or after the floor, when COND (or a
 * fallback): the relation COL whose signature the row is part of, and
 * OWN, the relation the row goes with when it is dropped (0: none that
 * safety_written reports).
 */
#define NEWER_IF(COL, OWN, CATALOG, COND)                                                  \
	"SELECT " COL " AS oid, " OWN " AS own, xmin FROM pg_catalog." CATALOG " WHERE (" COND \
	" OR (SELECT fallback FROM fb)) AND pg_catalog.age(xmin) <= (SELECT a FROM f)"

/* The same, when the statement wrote the catalog (its counter GATE passed PREV). */
#define NEWER(COL, OWN, CATALOG, GATE, PREV) \
	NEWER_IF(COL, OWN, CATALOG, "(SELECT " GATE " FROM k) > " PREV)

/*
 * Whether pg_attribute must be read: the statement updated rows in it,
 * and not only the atthasdef of columns whose defaults it stored or
 * removed, the removed ones all of relations it dropped (see
 * safety_window.h).
 */
#define ATTRIBUTE_GATE                                                                        \
	"((SELECT att_upd FROM k) > $4 AND ((SELECT att_upd - $4 - (def_ins - $15) - (def_del - " \
	"$17) FROM k) <> 0 OR (SELECT def_upd FROM k) <> $16 OR (SELECT def_del - $17 FROM k) "   \
	"<> (SELECT coalesce(sum(g.nd), 0) FROM g) OR EXISTS (SELECT 1 FROM g WHERE g.nd < 0)))"

/*
 * The relations whose catalog rows this transaction wrote since the
 * floor; a row counts only if it is this transaction's (in progress, and
 * visible): another session's committed DDL is not the statement's.
 */
#define NEWER_CLASS NEWER("oid", "oid", "pg_class", "class_iu", "$2")
#define NEWER_ATTRIBUTE NEWER_IF("attrelid", "attrelid", "pg_attribute", ATTRIBUTE_GATE)
#define NEWER_ATTRDEF NEWER("adrelid", "adrelid", "pg_attrdef", "def_ins + def_upd", "$15 + $16")
#define NEWER_CONSTRAINT NEWER("conrelid", "0::pg_catalog.oid", "pg_constraint", "con_iu", "$5")
#define NEWER_TRIGGER NEWER("tgrelid", "tgrelid", "pg_trigger", "trg_iu", "$7")
#define NEWER_INDEX NEWER("indrelid", "indexrelid", "pg_index", "idx_upd", "$18")

/*
 * The pg_index rows the statement inserted: each is an index it made,
 * whose pg_class row is newer too, so they are looked up from those (no
 * pass over pg_index); its table's signature is read again.
 */
#define NEW_INDEXES                                                                              \
	"SELECT x.indrelid AS oid, x.indexrelid AS own, x.xmin FROM wc JOIN pg_catalog.pg_index x "  \
	"ON x.indexrelid = wc.oid WHERE (SELECT idx_ins FROM k) > $9 AND NOT (SELECT fallback FROM " \
	"fb) AND pg_catalog.age(x.xmin) <= (SELECT a FROM f)"

/*
 * w: the relations to read again; wo: those whose rows the statement
 * wrote (safety_written).
 */
#define WINDOW_WRITTEN                                                                  \
	"wc AS MATERIALIZED (" NEWER_CLASS "), "                                            \
	"w0 AS (SELECT * FROM wc UNION ALL " NEWER_ATTRIBUTE " UNION ALL " NEWER_CONSTRAINT \
	" UNION ALL " NEWER_TRIGGER " UNION ALL " NEWER_INDEX " UNION ALL " NEW_INDEXES     \
	" UNION ALL " NEWER_ATTRDEF "), "                                                   \
	"w1 AS MATERIALIZED (SELECT oid, own FROM w0 WHERE pg_catalog.txid_status($11 + "   \
	"((xmin::text::pg_catalog.int8 - $12) & 4294967295)) = 'in progress'), "            \
	"w AS (SELECT DISTINCT oid FROM w1 WHERE oid <> 0), "                               \
	"wo AS (SELECT DISTINCT own AS oid FROM w1 WHERE own <> 0)"

/*
 * The followed relations that are gone, when the statement deleted
 * pg_class rows: a cache lookup each (pg_relation_filenode is NULL for a
 * relation that is not there, and for one without storage, which
 * pg_table_is_visible then tells apart), not a pass over pg_class.
 */
#define WINDOW_GONE                                                                           \
	"g AS (SELECT ids.oid, ids.nd FROM ids WHERE ((SELECT class_del FROM k) > $3 OR (SELECT " \
	"fallback FROM fb)) AND pg_catalog.pg_relation_filenode(ids.oid::pg_catalog.regclass) "   \
	"IS NULL AND pg_catalog.pg_table_is_visible(ids.oid) IS NULL)"

/* o's pg_class, pg_namespace and pg_index rows, and its scans. */
#define WINDOW_LOOKUPS                                                                           \
	"LEFT JOIN LATERAL (SELECT c.oid, c.relfilenode, c.relkind, c.relnamespace, c.relname FROM " \
	"pg_catalog.pg_class c WHERE c.oid = o.oid OFFSET 0) c ON true "                             \
	"LEFT JOIN s ON s.oid = o.oid LEFT JOIN LATERAL (SELECT n.nspname FROM "                     \
	"pg_catalog.pg_namespace n WHERE n.oid = c.relnamespace OFFSET 0) n ON true "                \
	"LEFT JOIN LATERAL (SELECT x.indrelid FROM pg_catalog.pg_index x WHERE x.indexrelid = "      \
	"o.oid OFFSET 0) x ON true"

/* What to read: written, gone, scanned; every followed one in a fallback. */
#define WINDOW_RELATIONS                                                         \
	"(SELECT oid FROM w UNION SELECT oid FROM wo UNION SELECT oid FROM g UNION " \
	"SELECT oid FROM s UNION SELECT oid FROM ids WHERE (SELECT fallback FROM fb)) o"

/* Whether to read o's SIGNATURE: written, gone, or a fallback. */
#define WINDOW_SIGNED                                                           \
	"c.oid IS NULL OR (" USER_RELATION " AND (o.oid IN (SELECT oid FROM w) OR " \
	"(SELECT fallback FROM fb)))"

/*
 * The windowed observation, in OBSERVE_SELECT's columns and an eleventh:
 * whether the statement wrote the relation (safety_written).  pg_locks is
 * never read: every relation that counts is held in ACCESS EXCLUSIVE mode
 * already, and so is every relation a statement creates.  The gates are
 * scalar subqueries, so that a catalog the statement did not write is not
 * read at all.  The few relations read are looked up one by one (LATERAL,
 * OFFSET 0): a plan made for any $1 would otherwise hash all of pg_class.
 */
#define WINDOW_SIGNATURE "CASE WHEN " WINDOW_SIGNED " THEN " SIGNATURE("o.oid") " END"
#define WINDOW_KIND "CASE WHEN " USER_RELATION " THEN c.relkind ELSE '' END"
#define WINDOW_COLUMNS                                                                     \
	"o.oid::int8, coalesce(c.relfilenode, 0)::int8, coalesce(s.seq_tup_read, 0), (SELECT " \
	"count(*) FROM pg_catalog.pg_index y WHERE y.indrelid = o.oid), "                      \
	"'AccessExclusiveLock', " WINDOW_SIGNATURE ", " WINDOW_KIND                            \
	", coalesce(x.indrelid, o.oid)::int8, "                                                \
	"coalesce(n.nspname, ''), coalesce(c.relname, ''), o.oid IN (SELECT oid FROM wo)"
#define WINDOW_SQL                                                                \
	"WITH " WINDOW_IDS ", " WINDOW_GATES ", " WINDOW_GONE ", " WINDOW_WRITTEN " " \
	"SELECT " WINDOW_COLUMNS " FROM " WINDOW_RELATIONS " " WINDOW_LOOKUPS

char *
safety_window_prepare_sql(const char *name)
{
	struct buf b;
	char *s;

	buf_init(&b);
	buf_printf(&b, "PREPARE %s_g(pg_catalog.bool) AS %s;PREPARE %s_w%s AS %s;", name,
			   WINDOW_GLOBALS, name, WINDOW_PARAMS, WINDOW_SQL);
	s = buf_detach(&b);
	buf_free(&b);
	return s;
}

char *
safety_window_execute_sql(const char *name, const struct safety_window *w, const char *oids,
						  const char *defaults, const char *tables, bool touched)
{
	unsigned long long low = w->xid & 0xffffffffULL;
	struct buf b;
	char *s;

	buf_init(&b);
	buf_printf(&b,
			   "EXECUTE %s_g(%s);EXECUTE %s_w('{%s}', %lld, %lld, %lld, %lld, %lld, %lld, %lld, "
			   "%lld, '%llu', %llu, %llu, '{%s}', '{%s}', %lld, %lld, %lld, %lld);",
			   name, touched ? "true" : "false", name, oids, w->class_iu, w->class_del, w->att_upd,
			   w->con_iu, w->con_del, w->trg_iu, w->trg_del, w->idx_ins, low, w->xid, low, tables,
			   defaults, w->def_ins, w->def_upd, w->def_del, w->idx_upd);
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
	w->idx_ins = v[7];
	w->idx_upd = v[8];
	w->def_ins = v[9];
	w->def_upd = v[10];
	w->def_del = v[11];
	return strcmp(PQgetvalue(g, 0, 1 + CATALOG_COUNT_COLUMNS), "t") == 0;
}

int
safety_signature_defaults(const char *sig)
{
	const char *part;
	int n = 0;

	if (sig == NULL || (part = strchr(sig, '|')) == NULL)
		return -1;
	for (part++; *part && *part != '|'; part++)
		n += *part == '*';
	return *part == '|' ? n : -1;
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
	const struct catalog_count *df = counts_of(m, "pg_attrdef");

	memset(w, 0, sizeof(*w));
	if (!m->ok || cl == NULL || at == NULL || co == NULL || tg == NULL || ix == NULL || df == NULL)
		return false;
	w->xid = m->xid;
	w->class_iu = cl->ins + cl->upd;
	w->class_del = cl->del;
	w->att_upd = at->upd;
	w->con_iu = co->ins + co->upd;
	w->con_del = co->del;
	w->trg_iu = tg->ins + tg->upd;
	w->trg_del = tg->del;
	w->idx_ins = ix->ins;
	w->idx_upd = ix->upd;
	w->def_ins = df->ins;
	w->def_upd = df->upd;
	w->def_del = df->del;
	w->ok = true;
	return true;
}
