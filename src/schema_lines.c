/*
 * schema_lines.c: the lean canonical text, from rows.
 *
 * The lean describe statement that aggregated the text on the server
 * cost a new session 10 to 11 ms on Red7, most of it parse analysis and
 * planning: forty-odd joins, a CTE read four times, a window, a dozen
 * subplans.  schema_lines_sql instead scans each catalog once with no
 * more than one plain join (5 to 6 ms), and this file does on the client
 * what the subplans and the final string_agg did: it leaves out the
 * history table and extension members, numbers the columns, sorts ACL
 * items and options, names parents and owning columns, looks up
 * comments, and sorts and joins the lines.  Everything that needs the
 * server's knowledge (quote_ident's keywords, pg_get_*def, format_type,
 * the text of ACL items) still comes from the server, in the rows; where
 * the full statement joins catalogs to write a name as format('%I.%I'),
 * the rows carry pg_identify_object's identity, the same quote_identifier
 * text (its "pg_temp" for a temporary schema never shows: those are not
 * described).  The result is describe_sql's text byte for byte whenever
 * the lean text is complete; t502 holds the two to the same hash, and a
 * row from which describe_sql would have made a NULL line or an error
 * makes schema_lines_text give up, so that the full statement decides.
 */
#include "schema_lines.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/*
 * Relations of the user schemas (sec 2) and, by OID from 16384 up (all
 * that initdb did not make), their columns (3), constraints (4) and
 * indexes (5); every pg_inherits row (6); the dependencies that leave a
 * relation out or name a sequence's column (7); the comments (8).  Each
 * piece of text that the server must write is written as describe_sql
 * writes it (format's %I is quote_ident).
 */
#define NS_USER(N)                                                                    \
	"  AND " N ".nspname <> 'pg_catalog' AND " N ".nspname <> 'information_schema'\n" \
	"  AND left(" N ".nspname, 8) <> 'pg_toast' AND left(" N ".nspname, 7) <> 'pg_temp'\n"
/* a one-time filter: the setting is the same for every row */
#define SMALL "pg_catalog.current_setting('" SCHEMA_LINES_SMALL_SETTING "') = 'on'"
#define NULLS(N) NULLS_##N
#define NULLS_1 ", NULL"
#define NULLS_2 NULLS_1 NULLS_1
#define NULLS_4 NULLS_2 NULLS_2
#define NULLS_8 NULLS_4 NULLS_4

/* the SQL text laid out as it reads, not as clang-format would cut it */
/* clang-format off */
const char schema_lines_sql[] =
	"-- extensions, wherever they live\n"
	"SELECT 0 AS sec, x.oid AS o, x.extname::text AS a,\n"
	"  format('extension %I version %s schema %I', x.extname, x.extversion, xn.nspname) AS b,\n"
	"  NULL::text AS c, NULL::text AS d, NULL::text AS e, NULL::text AS f, NULL::text AS g,\n"
	"  NULL::text AS h, NULL::text AS i, NULL::text AS j, NULL::text AS k, NULL::text AS l,\n"
	"  NULL::text AS m\n"
	"FROM pg_extension x JOIN pg_namespace xn ON xn.oid = x.extnamespace\n"
	"UNION ALL\n"
	"-- schemas\n"
	"SELECT 1, n.oid, n.nspname::text,\n"
	"  format('schema %I owner %I acl {', n.nspname, pg_get_userbyid(n.nspowner)),\n"
	"  coalesce(n.nspacl, acldefault('n', n.nspowner))::text" NULLS(8) NULLS(2) "\n"
	"FROM pg_namespace n\n"
	"WHERE true\n" NS_USER("n")
	"UNION ALL\n"
	"-- relations: the head up to the ACL, the ACL, what follows up to the\n"
	"-- options, the options, then up to the parent, the bound, the\n"
	"-- sequence, and a view's definition\n"
	"SELECT 2, c.oid, n.nspname::text, c.relname::text, c.relkind::text,\n"
	"  CASE WHEN c.relispartition THEN 't' ELSE 'f' END,\n"
	"  format('%I.%I', n.nspname, c.relname), format('%I', pg_get_userbyid(c.relowner)),\n"
	"  coalesce(c.relacl, acldefault(CASE WHEN c.relkind = 'S' THEN 's' ELSE 'r' END::\"char\",\n"
	"    c.relowner))::text,\n"
	"  CASE c.relpersistence WHEN 'u' THEN ' unlogged' ELSE '' END\n"
	"  || CASE WHEN c.relrowsecurity THEN ' row-security' ELSE '' END\n"
	"  || CASE WHEN c.relforcerowsecurity THEN ' force-row-security' ELSE '' END\n"
	"  || CASE WHEN c.relkind IN ('r', 'p', 'm') AND c.relreplident <> 'd' THEN\n"
	"    ' replica-identity ' || c.relreplident::text ELSE '' END,\n"
	"  c.reloptions::text,\n"
	"  CASE WHEN c.reltablespace = 0::oid THEN '' ELSE ' tablespace '\n"
	"    || (pg_identify_object('pg_tablespace'::regclass::oid, c.reltablespace, 0)).identity END\n"
	"  || CASE WHEN c.relam IN (0::oid, 2::oid) THEN '' ELSE ' access-method '\n"
	"    || (pg_identify_object('pg_am'::regclass::oid, c.relam, 0)).identity END\n"
	"  || CASE WHEN c.reloftype <> 0::oid THEN\n"
	"    ' of-type ' || format_type(c.reloftype, NULL) ELSE '' END\n"
	"  || CASE WHEN c.relkind = 'p' THEN\n"
	"    ' partition-key ' || pg_get_partkeydef(c.oid) ELSE '' END,\n"
	"  CASE WHEN c.relispartition THEN pg_get_expr(c.relpartbound, c.oid) END,\n"
	"  CASE WHEN c.relkind = 'S' THEN\n"
	"    format(' type %s start %s increment %s min %s max %s cache %s cycle %s',\n"
	"      format_type(s.seqtypid, NULL), s.seqstart, s.seqincrement,\n"
	"      s.seqmin, s.seqmax, s.seqcache, s.seqcycle) END,\n"
	"  CASE WHEN c.relkind IN ('v', 'm') THEN\n"
	"    E'\\n\\t' || replace(rtrim(pg_get_viewdef(c.oid), E'\\n'), E'\\n', E'\\n\\t')\n"
	"    ELSE '' END\n"
	"FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace\n"
	"LEFT JOIN pg_sequence s ON s.seqrelid = c.oid\n"
	"WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')\n" NS_USER("n")
	"  AND " SMALL "\n"
	"UNION ALL\n"
	"-- columns, in order: the name, then up to the default, then from the\n"
	"-- storage to the statistics target, and the three arrays\n"
	"SELECT 3, a.attrelid, a.attnum::text, format('%I', a.attname),\n"
	"  format('%s', format_type(a.atttypid, a.atttypmod))\n"
	"  || CASE WHEN a.attcollation <> at.typcollation THEN ' collate '\n"
	"    || (pg_identify_object('pg_collation'::regclass::oid, a.attcollation, 0)).identity\n"
	"    ELSE '' END\n"
	"  || CASE WHEN a.attnotnull THEN ' not-null' ELSE '' END\n"
	"  || CASE a.attidentity WHEN 'a' THEN ' identity-always'\n"
	"    WHEN 'd' THEN ' identity-by-default' ELSE '' END\n"
	"  || CASE WHEN ad.adbin IS NULL THEN ''\n"
	"    WHEN a.attgenerated = 's' THEN ' generated-stored '\n"
	"    ELSE ' default ' END\n"
	"  || coalesce(pg_get_expr(ad.adbin,\n"
	"    CASE WHEN a.attgenerated = '' THEN 0 ELSE ad.adrelid END), ''),\n"
	"  CASE WHEN a.attislocal THEN 't' ELSE 'f' END,\n"
	"  CASE WHEN a.attstorage <> at.typstorage THEN\n"
	"    ' storage ' || a.attstorage::text ELSE '' END\n"
	"  || CASE WHEN a.attcompression <> '' THEN\n"
	"    ' compression ' || a.attcompression::text ELSE '' END\n"
	"  || CASE WHEN a.attstattarget >= 0 THEN\n"
	"    ' statistics ' || a.attstattarget ELSE '' END,\n"
	"  a.attoptions::text, a.attfdwoptions::text, a.attacl::text" NULLS(4) NULLS(1) "\n"
	"FROM pg_attribute a\n"
	"JOIN pg_class c ON c.oid = a.attrelid AND c.relkind IN ('r', 'p', 'v', 'm', 'f')\n"
	"JOIN pg_type at ON at.oid = a.atttypid\n"
	"LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum\n"
	"WHERE a.attrelid >= 16384::oid AND a.attnum > 0 AND NOT a.attisdropped\n"
	"  AND " SMALL "\n"
	"UNION ALL\n"
	"-- table constraints (the copies of a partitioned foreign key follow from it)\n"
	"SELECT 4, co.conrelid, co.conname::text,\n"
	"  format('%I %s', co.conname, pg_get_constraintdef(co.oid)),\n"
	"  CASE WHEN co.conislocal THEN 't' ELSE 'f' END, co.oid::text" NULLS(8) NULLS(1) "\n"
	"FROM pg_constraint co\n"
	"WHERE co.conrelid >= 16384::oid AND NOT (co.contype = 'f' AND co.conparentid <> 0::oid)\n"
	"  AND " SMALL "\n"
	"UNION ALL\n"
	"-- indexes, including those behind constraints\n"
	"SELECT 5, x.indrelid, ic.relname::text,\n"
	"  format('%I %s', ic.relname, pg_get_indexdef(ic.oid))\n"
	"  || CASE WHEN NOT x.indisvalid THEN ' invalid' ELSE '' END\n"
	"  || CASE WHEN x.indisclustered THEN ' clustered' ELSE '' END\n"
	"  || CASE WHEN x.indisreplident THEN ' replica-identity' ELSE '' END\n"
	"  || CASE WHEN ic.reltablespace = 0::oid THEN '' ELSE ' tablespace '\n"
	"    || (pg_identify_object('pg_tablespace'::regclass::oid, ic.reltablespace, 0)).identity\n"
	"    END,\n"
	"  ic.oid::text" NULLS(8) NULLS(2) "\n"
	"FROM pg_index x JOIN pg_class ic ON ic.oid = x.indexrelid\n"
	"WHERE x.indrelid >= 16384::oid\n"
	"  AND " SMALL "\n"
	"UNION ALL\n"
	"-- parents: of partitions and of attached indexes (and whether any other\n"
	"-- inherits, which the lean text leaves out)\n"
	"SELECT 6, i.inhrelid, (pg_identify_object('pg_class'::regclass::oid, i.inhparent, 0)).identity,\n"
	"  CASE WHEN c.relispartition THEN 't' ELSE 'f' END" NULLS(8) NULLS(2) NULLS(1) "\n"
	"FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid\n"
	"WHERE " SMALL "\n"
	"UNION ALL\n"
	"-- extension members; a sequence's owning column or identity\n"
	"SELECT 7, d.objid, d.deptype::text, d.refobjid::text, d.refobjsubid::text" NULLS(8) NULLS(2) "\n"
	"FROM pg_depend d\n"
	"WHERE d.classid = 'pg_class'::regclass::oid AND d.objid >= 16384::oid AND d.deptype = 'e'\n"
	"  AND " SMALL "\n"
	"UNION ALL\n"
	"SELECT 7, d.objid, d.deptype::text, d.refobjid::text, d.refobjsubid::text" NULLS(8) NULLS(2) "\n"
	"FROM pg_sequence s JOIN pg_depend d ON d.classid = 'pg_class'::regclass::oid\n"
	"  AND d.objid = s.seqrelid AND d.refclassid = 'pg_class'::regclass::oid\n"
	"  AND d.deptype IN ('a', 'i')\n"
	"WHERE " SMALL "\n"
	"UNION ALL\n"
	"-- comments: of user objects, and of the schemas and extensions initdb made\n"
	"SELECT 8, ds.objoid, ds.classoid::regclass::text, ds.objsubid::text,\n"
	"  quote_literal(ds.description)" NULLS(8) NULLS(2) "\n"
	"FROM pg_description ds\n"
	"WHERE ds.objoid >= 16384::oid AND ds.classoid IN ('pg_class'::regclass::oid,\n"
	"  'pg_constraint'::regclass::oid, 'pg_namespace'::regclass::oid,\n"
	"  'pg_extension'::regclass::oid)\n"
	"  AND " SMALL "\n"
	"UNION ALL\n"
	"SELECT 8, ds.objoid, ds.classoid::regclass::text, ds.objsubid::text,\n"
	"  quote_literal(ds.description)" NULLS(8) NULLS(2) "\n"
	"FROM pg_namespace n JOIN pg_description ds ON ds.objoid = n.oid\n"
	"  AND ds.classoid = 'pg_namespace'::regclass::oid AND ds.objsubid = 0\n"
	"WHERE n.oid < 16384::oid\n"
	"UNION ALL\n"
	"SELECT 8, ds.objoid, ds.classoid::regclass::text, ds.objsubid::text,\n"
	"  quote_literal(ds.description)" NULLS(8) NULLS(2) "\n"
	"FROM pg_extension x JOIN pg_description ds ON ds.objoid = x.oid\n"
	"  AND ds.classoid = 'pg_extension'::regclass::oid AND ds.objsubid = 0\n"
	"WHERE x.oid < 16384::oid\n"
	"UNION ALL\n"
	"-- types the lean text leaves out (neither a relation's row type nor\n"
	"-- an array made for another type)\n"
	"SELECT 9, t.oid" NULLS(8) NULLS(4) NULLS(1) "\n"
	"FROM pg_type t LEFT JOIN pg_class c ON c.oid = t.typrelid\n"
	"LEFT JOIN pg_type e ON e.oid = t.typelem\n"
	"WHERE t.oid >= 16384::oid\n"
	"  AND NOT (t.typtype = 'c' AND coalesce(c.relkind, 'c') <> 'c')\n"
	"  AND NOT (t.typtype = 'b' AND t.typelem <> 0::oid AND coalesce(e.typarray = t.oid, false))\n"
	"  AND " SMALL "\n";
/* clang-format on */

/* the columns after sec and o */
enum
{
	F_SEC,
	F_O,
	F_A,
	F_B,
	F_C,
	F_D,
	F_E,
	F_F,
	F_G,
	F_H,
	F_I,
	F_J,
	F_K,
	F_L,
	F_M
};

struct rel
{
	unsigned long oid;
	int row;
	bool left_out;
};

struct column
{
	unsigned long relid;
	long attnum;
	int row;
	long number; /* its place among the relation's columns, from 1 */
};

struct comment
{
	const char *cls;
	unsigned long oid;
	long sub;
	const char *text;
};

struct link
{
	unsigned long oid; /* the relation (or index) that has it */
	int row;
};

struct line
{
	const char *k[5];
	int nk;
	long ord;
	char *text;
};

struct rows
{
	const PGresult *res;
	struct rel *rels;
	int nrels;
	struct column *cols;
	int ncols;
	struct comment *comments;
	int ncomments;
	struct link *parents; /* sec 6, by inhrelid */
	int nparents;
	struct link *deps; /* sec 7, by objid */
	int ndeps;
	int ntypes; /* sec 9 */
	struct line *lines;
	int nlines;
};

static const char *
val(const struct rows *r, int row, int field)
{
	return PQgetisnull(r->res, row, field) ? NULL : PQgetvalue(r->res, row, field);
}

/*
 * Whether the fields named by letters (F_A is 'a') are all set: where
 * describe_sql would have made a NULL line of a NULL, -1 sends the
 * caller to it.
 */
static bool
set(const struct rows *r, int row, const char *letters)
{
	for (const char *l = letters; *l != '\0'; l++)
		if (PQgetisnull(r->res, row, F_A + (*l - 'a')))
			return false;
	return true;
}

static unsigned long
oid_at(const struct rows *r, int row, int field)
{
	return strtoul(PQgetvalue(r->res, row, field), NULL, 10);
}

static int
cmp_ulong(unsigned long a, unsigned long b)
{
	return a < b ? -1 : a > b;
}

static int
cmp_rel(const void *a, const void *b)
{
	return cmp_ulong(((const struct rel *) a)->oid, ((const struct rel *) b)->oid);
}

static int
cmp_column(const void *a, const void *b)
{
	const struct column *x = a;
	const struct column *y = b;

	if (x->relid != y->relid)
		return cmp_ulong(x->relid, y->relid);
	return x->attnum < y->attnum ? -1 : x->attnum > y->attnum;
}

static int
cmp_comment(const void *a, const void *b)
{
	const struct comment *x = a;
	const struct comment *y = b;
	int c = strcmp(x->cls, y->cls);

	if (c != 0)
		return c;
	if (x->oid != y->oid)
		return cmp_ulong(x->oid, y->oid);
	return x->sub < y->sub ? -1 : x->sub > y->sub;
}

static int
cmp_link(const void *a, const void *b)
{
	return cmp_ulong(((const struct link *) a)->oid, ((const struct link *) b)->oid);
}

/* describe_sql's ORDER BY k COLLATE "C", ord, line COLLATE "C" */
static int
cmp_line(const void *a, const void *b)
{
	const struct line *x = a;
	const struct line *y = b;
	int i;

	for (i = 0; i < x->nk && i < y->nk; i++)
	{
		int c = strcmp(x->k[i], y->k[i]);

		if (c != 0)
			return c;
	}
	if (x->nk != y->nk)
		return x->nk < y->nk ? -1 : 1;
	if (x->ord != y->ord)
		return x->ord < y->ord ? -1 : 1;
	return strcmp(x->text, y->text);
}

static struct rel *
find_rel(const struct rows *r, unsigned long oid)
{
	struct rel key = {oid, 0, false};

	return r->nrels > 0 ? bsearch(&key, r->rels, (size_t) r->nrels, sizeof(key), cmp_rel) : NULL;
}

static const struct column *
find_column(const struct rows *r, unsigned long relid, long attnum)
{
	struct column key = {relid, attnum, 0, 0};

	return r->ncols > 0 ? bsearch(&key, r->cols, (size_t) r->ncols, sizeof(key), cmp_column) : NULL;
}

static const char *
find_comment(const struct rows *r, const char *cls, unsigned long oid, long sub)
{
	struct comment key = {cls, oid, sub, NULL};
	const struct comment *c = r->ncomments > 0 ? bsearch(&key, r->comments, (size_t) r->ncomments,
														 sizeof(key), cmp_comment)
											   : NULL;

	return c != NULL ? c->text : NULL;
}

/* The rows of links (sorted by oid) for oid: *first and the count. */
static int
find_links(const struct link *links, int n, unsigned long oid, int *first)
{
	int lo = 0;
	int hi = n;
	int count = 0;

	while (lo < hi)
	{
		int mid = lo + (hi - lo) / 2;

		if (links[mid].oid < oid)
			lo = mid + 1;
		else
			hi = mid;
	}
	*first = lo;
	while (lo + count < n && links[lo + count].oid == oid)
		count++;
	return count;
}

static int
cmp_strp(const void *a, const void *b)
{
	return strcmp(*(char *const *) a, *(char *const *) b);
}

/*
 * One item of an array's text at *p (array_out's quoting: double quotes
 * and backslashes when needed; an unquoted NULL is no item), into *item;
 * returns 1 for an item, 0 for a NULL, -1 for text it does not expect.
 */
static int
array_item(const char **p, struct buf *item)
{
	const char *s = *p;

	if (*s == '"')
	{
		for (s++; *s != '\0' && *s != '"'; s++)
		{
			if (*s == '\\' && s[1] != '\0')
				s++;
			buf_append_len(item, s, 1);
		}
		if (*s != '"')
			return -1;
		*p = s + 1;
		return 1;
	}
	else
	{
		size_t len = strcspn(s, ",}");

		if (len == 0)
			return -1;
		buf_append_len(item, s, len);
		*p = s + len;
		return strcmp(item->data, "NULL") != 0;
	}
}

/*
 * Appends the items of a one-dimensional array's text to *items, sorted
 * bytewise and joined with commas (describe_sql's string_agg(... ORDER
 * BY ... COLLATE "C")), keeping only those keep() accepts (all when keep
 * is NULL); *kept counts them.  Returns -1 on array text it does not
 * expect.
 */
static int
sorted_items(const char *array, bool (*keep)(const char *), struct buf *items, int *kept)
{
	char **v = NULL;
	int n = 0;
	int cap = 0;
	const char *p = array;
	int rc = 0;

	*kept = 0;
	if (p == NULL || *p++ != '{')
		return -1;
	while (rc == 0 && *p != '}')
	{
		struct buf item;
		int got;

		buf_init(&item);
		got = array_item(&p, &item);
		if (got < 0)
			rc = -1;
		else if (got > 0 && (keep == NULL || keep(item.data)))
		{
			if (n == cap)
			{
				cap = cap ? 2 * cap : 8;
				v = xrealloc(v, (size_t) cap * sizeof(*v));
			}
			v[n++] = buf_detach(&item);
		}
		buf_free(&item);
		if (rc == 0 && *p == ',')
			p++;
		else if (rc == 0 && *p != '}')
			rc = -1;
	}
	if (rc == 0 && p[1] != '\0')
		rc = -1;
	if (rc == 0)
	{
		if (n > 1)
			qsort(v, (size_t) n, sizeof(*v), cmp_strp);
		for (int i = 0; i < n; i++)
		{
			if (i > 0)
				buf_append_char(items, ',');
			buf_append(items, v[i]);
		}
		*kept = n;
	}
	for (int i = 0; i < n; i++)
		free(v[i]);
	free(v);
	return rc;
}

/* the attoptions that describe_sql keeps */
static bool
n_distinct(const char *option)
{
	size_t len = strcspn(option, "=");

	return (len == strlen("n_distinct") && strncmp(option, "n_distinct", len) == 0) ||
		   (len == strlen("n_distinct_inherited") &&
			strncmp(option, "n_distinct_inherited", len) == 0);
}

/*
 * Appends " WORD {items}" for the array text a (nothing when a is NULL);
 * with empty_is_null, an array with no item kept makes the line NULL in
 * describe_sql (-1 here); without it, it writes nothing.
 */
static int
append_items(struct buf *b, const char *word, const char *a, bool (*keep)(const char *),
			 bool empty_is_null)
{
	struct buf items;
	int kept;
	int rc;

	if (a == NULL)
		return 0;
	buf_init(&items);
	rc = sorted_items(a, keep, &items, &kept);
	if (rc == 0 && kept == 0 && empty_is_null)
		rc = -1;
	if (rc == 0 && kept > 0)
		buf_printf(b, " %s {%s}", word, items.data);
	buf_free(&items);
	return rc;
}

static void
add_line(struct rows *r, const char *const *k, int nk, long ord, struct buf *text, const char *cls,
		 unsigned long oid, long sub, const char *tail)
{
	struct line *l;
	const char *comment = find_comment(r, cls, oid, sub);

	if (comment != NULL)
		buf_printf(text, " comment %s", comment);
	if (tail != NULL)
		buf_append(text, tail);
	l = &r->lines[r->nlines++];
	memcpy(l->k, k, (size_t) nk * sizeof(*k));
	l->nk = nk;
	l->ord = ord;
	l->text = buf_detach(text);
}

static const char *
kind_word(char relkind)
{
	switch (relkind)
	{
		case 'r':
			return "table";
		case 'p':
			return "partitioned-table";
		case 'v':
			return "view";
		case 'm':
			return "materialized-view";
		case 'S':
			return "sequence";
		default:
			return "foreign-table";
	}
}

/* " owned-by T.C" or " identity-of T.C" for a sequence, or nothing */
static int
append_owner(const struct rows *r, unsigned long seq, struct buf *b)
{
	int first;
	int n = find_links(r->deps, r->ndeps, seq, &first);
	int found = 0;

	for (int i = first; i < first + n; i++)
	{
		int row = r->deps[i].row;
		const char *type = val(r, row, F_A);
		long sub = strtol(val(r, row, F_C), NULL, 10);
		const struct rel *table;
		const struct column *col;

		if (sub <= 0 || (strcmp(type, "a") != 0 && strcmp(type, "i") != 0))
			continue;
		table = find_rel(r, oid_at(r, row, F_B));
		col = find_column(r, oid_at(r, row, F_B), sub);
		/* a second owner is an error there; an owner not described, a doubt */
		if (++found > 1 || table == NULL || col == NULL)
			return -1;
		buf_printf(b, " %s %s.%s", type[0] == 'i' ? "identity-of" : "owned-by",
				   val(r, table->row, F_E), val(r, col->row, F_B));
	}
	return 0;
}

/* " attached-to P" for an index, or nothing */
static int
append_attached(const struct rows *r, unsigned long oid, struct buf *b)
{
	int first;
	int n = find_links(r->parents, r->nparents, oid, &first);

	if (n > 1)
		return -1;
	if (n == 1)
		buf_printf(b, " attached-to %s", val(r, r->parents[first].row, F_A));
	return 0;
}

static int
relation_line(struct rows *r, const struct rel *rel)
{
	int row = rel->row;
	char kind = val(r, row, F_C)[0];
	bool partition = strcmp(val(r, row, F_D), "t") == 0;
	const char *k[3] = {val(r, row, F_A), "r", val(r, row, F_B)};
	struct buf b;
	int first;
	int kept;
	int rc = 0;

	if (!set(r, row, "efghjm") || (kind == 'S' && !set(r, row, "l")))
		return -1;
	buf_init(&b);
	buf_printf(&b, "%s %s owner %s acl {", kind_word(kind), val(r, row, F_E), val(r, row, F_F));
	rc = sorted_items(val(r, row, F_G), NULL, &b, &kept);
	buf_printf(&b, "}%s", val(r, row, F_H));
	if (rc == 0)
		rc = append_items(&b, "options", val(r, row, F_I), NULL, true);
	if (rc == 0)
		buf_append(&b, val(r, row, F_J));
	if (rc == 0 && partition)
	{
		/* exactly one parent, and a bound; otherwise NULL or an error there */
		if (find_links(r->parents, r->nparents, rel->oid, &first) != 1 || val(r, row, F_K) == NULL)
			rc = -1;
		else
			buf_printf(&b, " partition-of %s %s", val(r, r->parents[first].row, F_A),
					   val(r, row, F_K));
	}
	if (rc == 0 && kind == 'S')
	{
		buf_append(&b, val(r, row, F_L));
		rc = append_owner(r, rel->oid, &b);
	}
	if (rc == 0)
		add_line(r, k, 3, 0, &b, "pg_class", rel->oid, 0, val(r, row, F_M));
	buf_free(&b);
	return rc;
}

static int
column_line(struct rows *r, const struct column *col)
{
	int row = col->row;
	const struct rel *rel = find_rel(r, col->relid);
	int rr = rel->row;
	bool partition = strcmp(val(r, rr, F_D), "t") == 0;
	const char *k[4] = {val(r, rr, F_A), "r", val(r, rr, F_B), "b"};
	struct buf b;
	int rc;

	if (!set(r, row, "bcde"))
		return -1;
	buf_init(&b);
	buf_printf(&b, "column %s %ld %s %s%s%s", val(r, rr, F_E), col->number, val(r, row, F_B),
			   val(r, row, F_C),
			   !partition && strcmp(val(r, row, F_D), "f") == 0 ? " inherited" : "",
			   val(r, row, F_E));
	rc = append_items(&b, "options", val(r, row, F_F), n_distinct, false);
	if (rc == 0)
		rc = append_items(&b, "fdw-options", val(r, row, F_G), NULL, false);
	if (rc == 0)
		rc = append_items(&b, "acl", val(r, row, F_H), NULL, false);
	if (rc == 0)
		add_line(r, k, 4, col->number, &b, "pg_class", col->relid, col->attnum, NULL);
	buf_free(&b);
	return rc;
}

/* constraint (sec 4) and index (sec 5) lines */
static int
part_line(struct rows *r, int row, const struct rel *rel, int sec)
{
	int rr = rel->row;
	bool partition = strcmp(val(r, rr, F_D), "t") == 0;
	const char *k[5] = {val(r, rr, F_A), "r", val(r, rr, F_B), sec == 4 ? "c" : "i",
						val(r, row, F_A)};
	unsigned long oid;
	struct buf b;
	int rc = 0;

	if (!set(r, row, sec == 4 ? "abcd" : "abc"))
		return -1;
	oid = oid_at(r, row, sec == 4 ? F_D : F_C);
	buf_init(&b);
	buf_printf(&b, "%s %s %s", sec == 4 ? "constraint" : "index", val(r, rr, F_E),
			   val(r, row, F_B));
	if (sec == 4 && !partition && strcmp(val(r, row, F_C), "f") == 0)
		buf_append(&b, " inherited");
	if (sec == 5)
		rc = append_attached(r, oid, &b);
	if (rc == 0)
		add_line(r, k, 5, 0, &b, sec == 4 ? "pg_constraint" : "pg_class", oid, 0, NULL);
	buf_free(&b);
	return rc;
}

/* Sorts the rows into their kinds; returns how many lines there can be. */
static int
gather(struct rows *r)
{
	int nrows = PQntuples(r->res);

	r->rels = xcalloc((size_t) nrows + 1, sizeof(*r->rels));
	r->cols = xcalloc((size_t) nrows + 1, sizeof(*r->cols));
	r->comments = xcalloc((size_t) nrows + 1, sizeof(*r->comments));
	r->parents = xcalloc((size_t) nrows + 1, sizeof(*r->parents));
	r->deps = xcalloc((size_t) nrows + 1, sizeof(*r->deps));
	for (int row = 0; row < nrows; row++)
	{
		int sec = atoi(PQgetvalue(r->res, row, F_SEC));
		unsigned long o = PQgetisnull(r->res, row, F_O) ? 0 : oid_at(r, row, F_O);

		if (sec == 2)
			r->rels[r->nrels++] = (struct rel){o, row, false};
		else if (sec == 3)
			r->cols[r->ncols++] = (struct column){o, strtol(val(r, row, F_A), NULL, 10), row, 0};
		else if (sec == 6)
			r->parents[r->nparents++] = (struct link){o, row};
		else if (sec == 7)
			r->deps[r->ndeps++] = (struct link){o, row};
		else if (sec == 9)
			r->ntypes++;
		else if (sec == 8)
			r->comments[r->ncomments++] = (struct comment){
				val(r, row, F_A), o, strtol(val(r, row, F_B), NULL, 10), val(r, row, F_C)};
	}
	qsort(r->rels, (size_t) r->nrels, sizeof(*r->rels), cmp_rel);
	qsort(r->cols, (size_t) r->ncols, sizeof(*r->cols), cmp_column);
	qsort(r->comments, (size_t) r->ncomments, sizeof(*r->comments), cmp_comment);
	qsort(r->parents, (size_t) r->nparents, sizeof(*r->parents), cmp_link);
	qsort(r->deps, (size_t) r->ndeps, sizeof(*r->deps), cmp_link);
	return nrows;
}

/*
 * Whether the rows show none of three kinds of object the lean text
 * leaves out (DESCRIBE_LEAN_COMPLETE tests the others): a type the full
 * statement would list (sec 9 has only those: a domain, enum, range or
 * multirange, a base type that is not an array made for another type, a
 * composite type made by CREATE TYPE), inheritance other than
 * partitioning, and a foreign table.
 */
static bool
covers_all(const struct rows *r)
{
	for (int i = 0; i < r->nparents; i++)
		if (strcmp(val(r, r->parents[i].row, F_B), "t") != 0)
			return false;
	for (int i = 0; i < r->nrels; i++)
		if (val(r, r->rels[i].row, F_C)[0] == 'f')
			return false;
	/* sec 9 lists only the types the full statement would describe */
	if (r->ntypes > 0)
		return false;
	return true;
}

/*
 * Leaves out the history table, extension members, and what depends on
 * the history table automatically or internally (its sequences).
 */
static void
leave_out(struct rows *r, const char *hist_nsp, const char *hist_rel)
{
	unsigned long hist = 0;
	bool found = false;

	for (int i = 0; i < r->nrels; i++)
		if (strcmp(val(r, r->rels[i].row, F_A), hist_nsp) == 0 &&
			strcmp(val(r, r->rels[i].row, F_B), hist_rel) == 0)
		{
			hist = r->rels[i].oid;
			found = r->rels[i].left_out = true;
		}
	for (int i = 0; i < r->ndeps; i++)
	{
		int row = r->deps[i].row;
		const char *type = val(r, row, F_A);
		struct rel *rel = find_rel(r, r->deps[i].oid);

		if (rel != NULL && (strcmp(type, "e") == 0 ||
							(found && oid_at(r, row, F_B) == hist && strcmp(type, "e") != 0)))
			rel->left_out = true;
	}
}

static void
free_rows(struct rows *r)
{
	for (int i = 0; i < r->nlines; i++)
		free(r->lines[i].text);
	free(r->lines);
	free(r->rels);
	free(r->cols);
	free(r->comments);
	free(r->parents);
	free(r->deps);
}

int
schema_lines_text(const PGresult *res, const char *hist_nsp, const char *hist_rel, struct buf *out)
{
	struct rows r = {0};
	int nrows;
	int rc = 0;

	if (PQnfields(res) != SCHEMA_LINES_NFIELDS)
		return -1;
	r.res = res;
	nrows = gather(&r);
	if (!covers_all(&r))
	{
		free_rows(&r);
		return -1;
	}
	r.lines = xcalloc((size_t) nrows + 1, sizeof(*r.lines));
	leave_out(&r, hist_nsp, hist_rel);
	/* each column's place among its relation's, counted as row_number() does */
	for (int i = 0; i < r.ncols; i++)
		r.cols[i].number =
			i > 0 && r.cols[i - 1].relid == r.cols[i].relid ? r.cols[i - 1].number + 1 : 1;
	for (int row = 0; rc == 0 && row < nrows; row++)
	{
		int sec = atoi(PQgetvalue(res, row, F_SEC));
		struct buf b;
		int kept;

		buf_init(&b);
		if ((sec == 0 || sec == 1) && !set(&r, row, sec == 0 ? "ab" : "abc"))
			rc = -1;
		else if (sec == 0)
		{
			const char *k[3] = {"", "e", val(&r, row, F_A)};

			buf_append(&b, val(&r, row, F_B));
			add_line(&r, k, 3, 0, &b, "pg_extension", oid_at(&r, row, F_O), 0, NULL);
		}
		else if (sec == 1)
		{
			const char *k[1] = {val(&r, row, F_A)};

			buf_append(&b, val(&r, row, F_B));
			rc = sorted_items(val(&r, row, F_C), NULL, &b, &kept);
			buf_append_char(&b, '}');
			if (rc == 0)
				add_line(&r, k, 1, 0, &b, "pg_namespace", oid_at(&r, row, F_O), 0, NULL);
		}
		buf_free(&b);
	}
	for (int i = 0; rc == 0 && i < r.nrels; i++)
		if (!r.rels[i].left_out)
			rc = relation_line(&r, &r.rels[i]);
	for (int i = 0; rc == 0 && i < r.ncols; i++)
	{
		const struct rel *rel = find_rel(&r, r.cols[i].relid);

		if (rel != NULL && !rel->left_out)
			rc = column_line(&r, &r.cols[i]);
	}
	for (int row = 0; rc == 0 && row < nrows; row++)
	{
		int sec = atoi(PQgetvalue(res, row, F_SEC));
		const struct rel *rel;

		if (sec != 4 && sec != 5)
			continue;
		rel = find_rel(&r, oid_at(&r, row, F_O));
		if (rel != NULL && !rel->left_out)
			rc = part_line(&r, row, rel, sec);
	}
	if (rc == 0)
	{
		qsort(r.lines, (size_t) r.nlines, sizeof(*r.lines), cmp_line);
		for (int i = 0; i < r.nlines; i++)
		{
			buf_append(out, r.lines[i].text);
			buf_append_char(out, '\n');
		}
	}
	free_rows(&r);
	return rc;
}
