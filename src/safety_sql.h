/*
 * safety_sql.h: SQL fragments shared by the general observation
 * (safety.c) and the windowed one (safety_window.c).
 */
#ifndef MIGRATE_SAFETY_SQL_H
#define MIGRATE_SAFETY_SQL_H

/*
 * The ctids of the catalog rows describing relation X, a part per
 * catalog ("class|attributes|constraints|triggers|indexes", an empty part
 * for none): any DDL on X gives one of them a new ctid.  Read for the
 * relations on which earlier units of the same run hold a blocking lock
 * already, whose pg_locks rows cannot show whether a later statement
 * takes that lock again.  An index entry is "indexoid@ctid", so that the
 * entry of a dropped index can be taken out (safety_window.c); an
 * attribute with a default is marked "*", so that the window knows how
 * many defaults a relation it sees dropped took with it.
 */
#define SIGNATURE(X)                                                                       \
	"concat_ws('|', coalesce((SELECT ctid::text FROM pg_catalog.pg_class WHERE oid = " X   \
	"), ''), coalesce((SELECT string_agg(ctid::text || CASE WHEN atthasdef THEN '*' ELSE " \
	"'' END, ',') FROM pg_catalog.pg_attribute WHERE attrelid = " X                        \
	"), ''), coalesce((SELECT string_agg(ctid::text, ',' ORDER BY oid) "                   \
	"FROM pg_catalog.pg_constraint WHERE conrelid = " X "), ''), coalesce((SELECT "        \
	"string_agg(ctid::text, ',') FROM pg_catalog.pg_trigger WHERE tgrelid = " X "), ''), " \
	"coalesce((SELECT string_agg(indexrelid::text || '@' || ctid::text, ',' ORDER BY "     \
	"indexrelid) FROM pg_catalog.pg_index WHERE indrelid = " X "), ''))"

/*
 * Whether c (pg_class) in namespace n is a relation safety follows; the
 * signatures of others (TOAST tables and their indexes) would be read for
 * nothing.
 */
#define USER_RELATION                                                              \
	"(c.relkind IN ('r', 'p', 'm', 'i', 'I') AND n.nspname NOT IN ('pg_catalog', " \
	"'information_schema') AND n.nspname !~ '^pg_(toast|temp_)')"

/*
 * The window's counters, in struct safety_window's order: pg_class
 * inserts + updates, deletes; pg_attribute updates; pg_constraint inserts
 * + updates, deletes; pg_trigger the same; pg_index inserts, updates;
 * pg_attrdef inserts, updates, deletes; pg_class updates.
 */
#define CATALOG_COUNTS                                     \
	"pg_catalog.pg_stat_get_xact_tuples_inserted(1259) + " \
	"pg_catalog.pg_stat_get_xact_tuples_updated(1259), "   \
	"pg_catalog.pg_stat_get_xact_tuples_deleted(1259), "   \
	"pg_catalog.pg_stat_get_xact_tuples_updated(1249), "   \
	"pg_catalog.pg_stat_get_xact_tuples_inserted(2606) + " \
	"pg_catalog.pg_stat_get_xact_tuples_updated(2606), "   \
	"pg_catalog.pg_stat_get_xact_tuples_deleted(2606), "   \
	"pg_catalog.pg_stat_get_xact_tuples_inserted(2620) + " \
	"pg_catalog.pg_stat_get_xact_tuples_updated(2620), "   \
	"pg_catalog.pg_stat_get_xact_tuples_deleted(2620), "   \
	"pg_catalog.pg_stat_get_xact_tuples_inserted(2610), "  \
	"pg_catalog.pg_stat_get_xact_tuples_updated(2610), "   \
	"pg_catalog.pg_stat_get_xact_tuples_inserted(2604), "  \
	"pg_catalog.pg_stat_get_xact_tuples_updated(2604), "   \
	"pg_catalog.pg_stat_get_xact_tuples_deleted(2604), "   \
	"pg_catalog.pg_stat_get_xact_tuples_updated(1259), "   \
	"pg_catalog.current_setting('track_counts') = 'on'"
#define CATALOG_COUNT_COLUMNS 14
/* Their names, in the window's query (safety_window.c). */
#define CATALOG_COUNT_NAMES                                                                       \
	"class_iu, class_del, att_upd, con_iu, con_del, trg_iu, trg_del, idx_ins, idx_upd, def_ins, " \
	"def_upd, def_del, class_upd"

/*
 * Every row the transaction has touched so far: the sum
 * pg_stat_xact_user_tables gives (an index's fetches count for its
 * table), without the view's join and grouping.
 */
#define TOUCHED_SELECT                                                                       \
	"SELECT coalesce(sum(CASE WHEN c.relkind IN ('i', 'I') THEN "                            \
	"pg_catalog.pg_stat_get_xact_tuples_fetched(c.oid) ELSE "                                \
	"pg_catalog.pg_stat_get_xact_tuples_returned(c.oid) + "                                  \
	"pg_catalog.pg_stat_get_xact_tuples_fetched(c.oid) + "                                   \
	"pg_catalog.pg_stat_get_xact_tuples_inserted(c.oid) + "                                  \
	"pg_catalog.pg_stat_get_xact_tuples_updated(c.oid) + "                                   \
	"pg_catalog.pg_stat_get_xact_tuples_deleted(c.oid) END), 0)::int8 "                      \
	"FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "   \
	"WHERE c.relkind IN ('r', 't', 'm', 'p', 'i', 'I') AND n.nspname NOT IN ('pg_catalog', " \
	"'information_schema') AND n.nspname !~ '^pg_toast'"

/*
 * lock_timeout, the rows touched (TOUCHED_SELECT), then the transaction's
 * own insert, update and delete counts of the catalogs the window reads
 * (safety_window.h), by their fixed oids: pg_class 1259, pg_attribute
 * 1249, pg_constraint 2606, pg_trigger 2620, pg_index 2610, pg_attrdef
 * 2604.
 */
#define GLOBALS_SELECT \
	"SELECT pg_catalog.current_setting('lock_timeout'), (" TOUCHED_SELECT "), " CATALOG_COUNTS
#define GLOBALS_SQL GLOBALS_SELECT ";"

/* The relations the step follows; %s is their oids, comma-separated. */
#define IDS_CTE "ids AS (SELECT pg_catalog.unnest('{%s}'::pg_catalog.oid[]) AS oid)"

/* The tables the transaction's sequential scans read, and how many rows. */
#define SCANS_CTE                                                                             \
	"s AS (SELECT c.oid, pg_catalog.pg_stat_get_xact_tuples_returned(c.oid) AS seq_tup_read " \
	"FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "    \
	"WHERE c.relkind IN ('r', 't', 'm', 'p') AND n.nspname NOT IN ('pg_catalog', "            \
	"'information_schema') AND n.nspname !~ '^pg_toast' "                                     \
	"AND pg_catalog.pg_stat_get_xact_tuples_returned(c.oid) > 0)"

/* The runner's granted relation locks, and SCANS_CTE. */
#define LOCKS_SCANS_CTES                                                \
	"l AS (SELECT relation AS oid, string_agg(mode, ',') AS modes "     \
	"FROM pg_catalog.pg_locks WHERE pid = pg_catalog.pg_backend_pid() " \
	"AND locktype = 'relation' AND granted GROUP BY relation), " SCANS_CTE

/*
 * The general observation's rows, over ids, l and s: the relations locked
 * or scanned by this transaction.  Columns: oid, relfilenode (0 when
 * gone), rows read by sequential scans so far, its number of indexes, the
 * lock modes held, its SIGNATURE (NULL when not read), its kind ("" when
 * safety does not follow it), its table (an index's), schema, name.
 */
#define OBSERVE_SELECT                                                                            \
	"SELECT o.oid::int8, coalesce(c.relfilenode, 0)::int8, coalesce(s.seq_tup_read, 0), "         \
	"(SELECT count(*) FROM pg_catalog.pg_index y WHERE y.indrelid = o.oid), "                     \
	"coalesce(l.modes, ''), CASE WHEN o.oid IN (SELECT oid FROM ids) "                            \
	"OR (l.modes ~ '(^|,)(Share|ShareRowExclusive|Exclusive|AccessExclusive)Lock' "               \
	"AND " USER_RELATION ") THEN " SIGNATURE(                                                     \
		"o.oid") " END, "                                                                         \
				 "CASE WHEN " USER_RELATION                                                       \
				 " THEN c.relkind ELSE '' END, coalesce(x.indrelid, o.oid)::int8, "               \
				 "coalesce(n.nspname, ''), coalesce(c.relname, '') "                              \
				 "FROM (SELECT oid FROM l UNION SELECT oid FROM s) o "                            \
				 "LEFT JOIN pg_catalog.pg_class c ON c.oid = o.oid LEFT JOIN l ON l.oid = o.oid " \
				 "LEFT JOIN s ON s.oid = o.oid LEFT JOIN pg_catalog.pg_namespace n ON n.oid = "   \
				 "c.relnamespace LEFT JOIN pg_catalog.pg_index x ON x.indexrelid = o.oid"

/* The general observation; %s as in IDS_CTE. */
#define OBSERVE_SQL "WITH " IDS_CTE ", " LOCKS_SCANS_CTES " " OBSERVE_SELECT ";"

#endif
