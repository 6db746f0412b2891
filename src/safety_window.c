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
 * it is planned once.  Its parameters: $1 the followed relations' oids
 * (an oid[] as text: see WINDOW_IDS);
 * $2 the counters of CATALOG_COUNTS after the previous statement (the
 * gates, as p: CATALOG_COUNT_NAMES); $3 the floor as an xid, $4 with its
 * epoch, $5 its low 32 bits; $6 the followed tables' oids (the relations
 * that sequential scans read); $7 the defaults of each followed relation,
 * in $1's order (-1: not known; an int4[] as text); $8 the window's oid
 * bound (0: not known; see CLASS_WRITTEN).
 */
#define WINDOW_PARAMS                                                                         \
	"(pg_catalog.text, pg_catalog.int8[], pg_catalog.xid, pg_catalog.int8, pg_catalog.int8, " \
	"pg_catalog.oid[], pg_catalog.text, pg_catalog.int8)"

/*
 * The tables that sequential scans read, and how many rows (the counter
 * read once per table: OFFSET 0 keeps the filter from evaluating it
 * again).
 */
#define WINDOW_SCANS                                                           \
	"s AS (SELECT t.oid, t.seq_tup_read FROM (SELECT u.oid, "                  \
	"pg_catalog.pg_stat_get_xact_tuples_returned(u.oid) AS seq_tup_read FROM " \
	"pg_catalog.unnest($6) AS u(oid) OFFSET 0) t WHERE t.seq_tup_read > 0)"

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
 * The counters now (k) and after the previous statement (p); whether to
 * read as the general observation does: a constraint or trigger row
 * deleted by the statement (the window cannot see whose), or track_counts
 * off (the counters cannot be trusted); the floor, as age() counts it.
 */
#define WINDOW_GATES                                                                              \
	"k AS (SELECT * FROM (SELECT " CATALOG_COUNTS ") k0(" CATALOG_COUNT_NAMES ", counting)), "    \
	"p AS (SELECT * FROM (SELECT $2[1], $2[2], $2[3], $2[4], $2[5], $2[6], $2[7], $2[8], $2[9], " \
	"$2[10], $2[11], $2[12], $2[13]) p0(" CATALOG_COUNT_NAMES ")), "                              \
	"fb AS (SELECT NOT k.counting OR k.con_del > p.con_del OR k.trg_del > p.trg_del AS fallback " \
	"FROM k, p), "                                                                                \
	"f AS (SELECT pg_catalog.age($3) AS a)"

_Static_assert(WINDOW_COUNTS == CATALOG_COUNT_COLUMNS - 1,
			   "struct safety_window holds every counter of CATALOG_COUNTS but track_counts");

/* Counter C now, and after the previous statement. */
#define NOW(C) "(SELECT " C " FROM k)"
#define PREV(C) "(SELECT " C " FROM p)"
#define WENT_UP(C) NOW(C) " > " PREV(C)
#define CLASS_DEL_UP WENT_UP("class_del")
#define IDX_INS_UP WENT_UP("idx_ins")

/*
 * A catalog's rows written at or after the floor, when COND (or a
 * fallback): the relation COL whose signature the row is part of, and
 * OWN, the relation the row goes with when it is dropped (0: none that
 * safety_written reports).
 */
#define NEWER_IF(COL, OWN, CATALOG, COND)                                                  \
	"SELECT " COL " AS oid, " OWN " AS own, xmin FROM pg_catalog." CATALOG " WHERE (" COND \
	" OR (SELECT fallback FROM fb)) AND pg_catalog.age(xmin) <= (SELECT a FROM f)"

/* The same, when the statement wrote the catalog (its counter C went up). */
#define NEWER(COL, OWN, CATALOG, C) NEWER_IF(COL, OWN, CATALOG, WENT_UP(C))

/*
 * Whether pg_attribute must be read: the statement updated rows in it,
 * and not only the atthasdef of columns whose defaults it stored or
 * removed, the removed ones all of relations it dropped (see
 * safety_window.h).
 */
#define ATTRIBUTE_GATE                                                                      \
	"(SELECT k.att_upd > p.att_upd AND (k.att_upd - p.att_upd - (k.def_ins - p.def_ins) - " \
	"(k.def_del - p.def_del) <> 0 OR k.def_upd <> p.def_upd OR k.def_del - p.def_del <> "   \
	"(SELECT coalesce(sum(g.nd), 0) FROM g) OR EXISTS (SELECT 1 FROM g WHERE g.nd < 0)) "   \
	"FROM k, p)"

/* Whether the row version of xmin X is this transaction's (in progress). */
#define OURS(X)                                                                          \
	"pg_catalog.txid_status($4 + ((" X "::text::pg_catalog.int8 - $5) & 4294967295)) = " \
	"'in progress'"

/*
 * The pg_class rows written since the floor, as wc.  A statement that
 * only inserted there (no update, no fallback) made new relations, whose
 * oids the server handed out after every oid the window has seen: above
 * the oid bound $8, unless the oid counter wrapped around.  So those are
 * read by the oid index from $8 up, and the pass over pg_class is made
 * only when that range holds fewer rows of this transaction than the
 * statement inserted (a wrap, or an insert rolled back inside it).  The
 * range's top bound makes the planner take the index in a generic plan.
 */
/* clang-format off */
#define INSERTS_ONLY                                                                \
	"($8 > 0 AND " WENT_UP("class_iu") " AND NOT " WENT_UP("class_upd") " AND NOT " \
	"(SELECT fallback FROM fb))"
#define CLASS_WRITTEN                                                                     \
	"wr AS MATERIALIZED (SELECT oid, oid AS own, xmin FROM pg_catalog.pg_class WHERE "  \
	INSERTS_ONLY " AND oid BETWEEN $8::pg_catalog.oid AND 4294967295::pg_catalog.oid " \
	"AND pg_catalog.age(xmin) <= (SELECT a FROM f)), "                                  \
	"rk AS (SELECT " INSERTS_ONLY " AND (SELECT count(*) FROM wr WHERE "                \
	OURS("wr.xmin") ") = " NOW("class_iu") " - " PREV("class_iu") " AS ok), "         \
	"wc AS MATERIALIZED (SELECT * FROM wr WHERE (SELECT ok FROM rk) UNION ALL "         \
	NEWER_IF("oid", "oid", "pg_class",                                                  \
			 WENT_UP("class_iu") " AND NOT (SELECT ok FROM rk)") "), "
/* clang-format on */

/*
 * The relations whose catalog rows this transaction wrote since the
 * floor; a row counts only if it is this transaction's (in progress, and
 * visible): another session's committed DDL is not the statement's.
 */
#define NEWER_ATTRIBUTE NEWER_IF("attrelid", "attrelid", "pg_attribute", ATTRIBUTE_GATE)
#define NEWER_ATTRDEF NEWER("adrelid", "adrelid", "pg_attrdef", "def_ins + def_upd")
#define NEWER_CONSTRAINT NEWER("conrelid", "0::pg_catalog.oid", "pg_constraint", "con_iu")
#define NEWER_TRIGGER NEWER("tgrelid", "tgrelid", "pg_trigger", "trg_iu")
#define NEWER_INDEX NEWER("indrelid", "indexrelid", "pg_index", "idx_upd")

/*
 * The pg_index rows the statement inserted: each is an index it made,
 * whose pg_class row is newer too, so they are looked up from those one
 * by one (LATERAL, OFFSET 0: a plan made on a small pg_index hashes all
 * of it, a pass that grows with the history); its table's signature is
 * read again.
 */
#define NEW_INDEXES                                                                            \
	"SELECT x.indrelid AS oid, x.indexrelid AS own, x.xmin FROM wc, LATERAL (SELECT "          \
	"x.indrelid, x.indexrelid, x.xmin FROM pg_catalog.pg_index x WHERE x.indexrelid = wc.oid " \
	"OFFSET 0) x WHERE " IDX_INS_UP " AND NOT (SELECT fallback FROM fb) AND "                  \
	"pg_catalog.age(x.xmin) <= (SELECT a FROM f)"

/*
 * w: the relations to read again; wo: those whose rows the statement
 * wrote (safety_written).
 */
/* clang-format off */
#define WINDOW_WRITTEN                                                                  \
	CLASS_WRITTEN                                                                       \
	"w0 AS (SELECT * FROM wc UNION ALL " NEWER_ATTRIBUTE " UNION ALL " NEWER_CONSTRAINT \
	" UNION ALL " NEWER_TRIGGER " UNION ALL " NEWER_INDEX " UNION ALL " NEW_INDEXES     \
	" UNION ALL " NEWER_ATTRDEF "), "                                                   \
	"w1 AS MATERIALIZED (SELECT oid, own FROM w0 WHERE " OURS("xmin") "), "            \
	"w AS (SELECT DISTINCT oid FROM w1 WHERE oid <> 0), "                               \
	"wo AS (SELECT DISTINCT own AS oid FROM w1 WHERE own <> 0)"
/* clang-format on */

/*
 * The followed relations, read only when the statement deleted pg_class
 * rows or in a fallback: $1 and $7 come as text and are made arrays only
 * then, since a long history follows thousands of relations and most
 * statements drop none.
 */
#define WINDOW_IDS                                                                         \
	"ids AS (SELECT u.oid, u.nd FROM ROWS FROM (pg_catalog.unnest($1::pg_catalog.oid[]), " \
	"pg_catalog.unnest($7::pg_catalog.int4[])) AS u(oid, nd) WHERE " CLASS_DEL_UP          \
	" OR (SELECT fallback FROM fb))"

/*
 * The followed relations that are gone, when the statement deleted
 * pg_class rows: a cache lookup each (pg_relation_filenode is NULL for a
 * relation that is not there, and for one without storage, which
 * pg_table_is_visible then tells apart), not a pass over pg_class.
 */
#define WINDOW_GONE                                                                           \
	"g AS (SELECT ids.oid, ids.nd FROM ids WHERE (" CLASS_DEL_UP " OR (SELECT fallback FROM " \
	"fb)) AND pg_catalog.pg_relation_filenode(ids.oid::pg_catalog.regclass) IS NULL AND "     \
	"pg_catalog.pg_table_is_visible(ids.oid) IS NULL)"

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
 * The windowed observation, in OBSERVE_SELECT's columns, an eleventh:
 * whether the statement wrote the relation (safety_written), and a
 * twelfth: whether its pg_class rows were read by the oid range alone
 * (CLASS_WRITTEN, the same on every row).  pg_locks is
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
	"coalesce(n.nspname, ''), coalesce(c.relname, ''), o.oid IN (SELECT oid FROM wo), "    \
	"(SELECT ok FROM rk)"
#define WINDOW_SQL                                                                              \
	"WITH " WINDOW_SCANS ", " WINDOW_GATES ", " WINDOW_IDS ", " WINDOW_GONE ", " WINDOW_WRITTEN \
	" "                                                                                         \
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
						  const char *defaults, const char *tables, bool touched,
						  unsigned long long oid_bound)
{
	unsigned long long low = w->xid & 0xffffffffULL;
	struct buf b;
	char *s;
	int i;

	/* the lists run to thousands of oids on a long history: appended, not printf'd */
	buf_init(&b);
	buf_printf(&b, "EXECUTE %s_g(%s);EXECUTE %s_w('{", name, touched ? "true" : "false", name);
	buf_append(&b, oids);
	buf_append(&b, "}', '{");
	for (i = 0; i < WINDOW_COUNTS; i++)
		buf_printf(&b, "%s%lld", i > 0 ? "," : "", w->count[i]);
	buf_printf(&b, "}', '%llu', %llu, %llu, '{", low, w->xid, low);
	buf_append(&b, tables);
	buf_append(&b, "}', '{");
	buf_append(&b, defaults);
	buf_printf(&b, "}', %llu);", oid_bound);
	s = buf_detach(&b);
	buf_free(&b);
	return s;
}

bool
safety_window_saw(const PGresult *rows, unsigned long long *bound)
{
	bool wrapped = false;
	int i;

	for (i = 0; i < PQntuples(rows); i++)
	{
		unsigned long long oid = strtoull(PQgetvalue(rows, i, 0), NULL, 10);

		/* the last oid there is: the next ones wrap around, below any bound */
		if (oid >= 0xffffffffULL)
			wrapped = true;
		else if (oid >= *bound)
			*bound = oid + 1;
	}
	if (wrapped)
		*bound = 0;
	return PQntuples(rows) > 0 && PQnfields(rows) > 11 && strcmp(PQgetvalue(rows, 0, 11), "t") == 0;
}

bool
safety_window_take(struct safety_window *w, const PGresult *g)
{
	int i;

	if (PQnfields(g) < 2 + CATALOG_COUNT_COLUMNS || PQntuples(g) != 1)
		return false;
	for (i = 0; i < WINDOW_COUNTS; i++)
		w->count[i] = atoll(PQgetvalue(g, 0, 2 + i));
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
	w->count[WC_CLASS_IU] = cl->ins + cl->upd;
	w->count[WC_CLASS_DEL] = cl->del;
	w->count[WC_ATT_UPD] = at->upd;
	w->count[WC_CON_IU] = co->ins + co->upd;
	w->count[WC_CON_DEL] = co->del;
	w->count[WC_TRG_IU] = tg->ins + tg->upd;
	w->count[WC_TRG_DEL] = tg->del;
	w->count[WC_IDX_INS] = ix->ins;
	w->count[WC_IDX_UPD] = ix->upd;
	w->count[WC_DEF_INS] = df->ins;
	w->count[WC_DEF_UPD] = df->upd;
	w->count[WC_DEF_DEL] = df->del;
	w->count[WC_CLASS_UPD] = cl->upd;
	w->ok = true;
	return true;
}
