/*
 * safety_window.h: the cheap observation after a statement, for a step
 * whose writes verify can tell apart from everything older.
 *
 * The general observation (safety.c) reads the runner's own locks from
 * pg_locks and, for every relation an earlier unit of the run holds a
 * blocking lock on, the ctids of its catalog rows ("signatures"): both
 * grow with the relations the run has locked, so verify --all of a long
 * history cost the square of its length.  Verify takes a catalog mark at
 * the start of each unit (catalog_mark.c): a transaction id that every
 * row version the unit's steps write is at or after.  With that floor,
 * and every relation that counts already held in ACCESS EXCLUSIVE mode
 * (nothing pg_locks could show), a statement's observation only needs
 *
 *   - the relations whose catalog rows the unit wrote since the floor
 *     (pg_class, pg_attribute, pg_constraint, pg_trigger, pg_index rows
 *     with a newer xmin that are the transaction's own), read again in
 *     full: a signature that changed there changed nowhere else;
 *   - the relations it dropped (only when pg_class rows were deleted);
 *   - the tables its scans read.
 *
 * A catalog row of a relation that survives is removed without a newer
 * version only by dropping one of its constraints, triggers or indexes.
 * Indexes are relations the observation follows (safety.c edits its
 * table's signature); a deleted constraint or trigger row (the
 * transaction's counters say so), or track_counts off, sends the
 * statement to the general observation, in the same query.
 *
 * pg_attribute is the largest catalog, and CREATE TABLE and DROP TABLE
 * update rows in it whenever a column has a default: PostgreSQL sets
 * atthasdef on the column's row when it stores a default (pg_attrdef
 * insert) and clears it when it removes one (pg_attrdef delete), one
 * update each.  So when the statement's pg_attribute updates are exactly
 * its pg_attrdef inserts plus deletes, every deleted default belonged to
 * a relation it dropped (their count equals the defaults those relations'
 * signatures marked), and the relations of the inserted defaults are
 * read (pg_attrdef rows newer than the floor), pg_attribute need not be
 * read: no other attribute row changed.  Any other statement that
 * updates pg_attribute (SET NOT NULL, RENAME COLUMN, ALTER TYPE, DROP
 * DEFAULT on a table that stays, ...) reads it as before.
 */
#ifndef MIGRATE_SAFETY_WINDOW_H
#define MIGRATE_SAFETY_WINDOW_H

#include <stdbool.h>

#include <libpq-fe.h>

struct catalog_mark;

/* The window's catalog counters, in CATALOG_COUNTS's order (safety_sql.h). */
enum window_count
{
	WC_CLASS_IU, /* pg_class inserts plus updates */
	WC_CLASS_DEL,
	WC_ATT_UPD, /* pg_attribute updates (inserts come with pg_class) */
	WC_CON_IU,
	WC_CON_DEL,
	WC_TRG_IU,
	WC_TRG_DEL,
	WC_IDX_INS,
	WC_IDX_UPD,
	WC_DEF_INS, /* pg_attrdef */
	WC_DEF_UPD,
	WC_DEF_DEL,
	WC_CLASS_UPD, /* pg_class updates alone (the insert-only path: safety_window.c) */
	WINDOW_COUNTS
};

/* The floor and the transaction's catalog counters when it was taken. */
struct safety_window
{
	bool ok;
	unsigned long long xid; /* with its epoch */
	long long count[WINDOW_COUNTS];
};

/* The window of a unit from verify's catalog mark; false when m is not usable. */
bool safety_window_from_mark(struct safety_window *w, const struct catalog_mark *m);

/*
 * The PREPARE statements (an allocated string) of the window's two
 * queries under name (unique to the run): name_g, the general
 * observation's globals (GLOBALS_SELECT's columns, the rows touched -1
 * unless asked for), and name_w, the windowed rows (OBSERVE_SELECT's
 * columns).
 */
char *safety_window_prepare_sql(const char *name);

/*
 * Their EXECUTE statements (an allocated string) after a statement, for
 * window w, the followed relations being oids ("1,2,3"), with defaults
 * the defaults each has (safety_signature_defaults, in the same order),
 * and the tables among them tables; the rows touched are summed only
 * when touched.  oid_bound is above the oid of every pg_class row the
 * transaction wrote since the floor, and at most the next oid the server
 * hands out (safety_window_saw); 0 while not known.
 */
char *safety_window_execute_sql(const char *name, const struct safety_window *w, const char *oids,
								const char *defaults, const char *tables, bool touched,
								unsigned long long oid_bound);

/*
 * Takes the catalog counters from a globals result g into w, for the
 * next statement's gates; false when g has none or track_counts is off.
 */
bool safety_window_take(struct safety_window *w, const PGresult *g);

/*
 * Raises *bound, an oid bound (safety_window_execute_sql), past the relations
 * in rows, a windowed observation's result (OBSERVE_SELECT's oid first):
 * they hold every pg_class row the transaction wrote since the floor,
 * and each oid was handed out already; 0 (not known) after the last oid
 * there is.  True when the statement's pg_class rows were read by the oid
 * range alone (the result's twelfth column).
 */
bool safety_window_saw(const PGresult *rows, unsigned long long *bound);

/*
 * The defaults a SIGNATURE's attribute part marks ("*"), or -1 when sig
 * is NULL or has no such part.
 */
int safety_signature_defaults(const char *sig);

/*
 * Removes the entry of index index_oid from a signature's index part
 * ("oid@ctid" entries); returns whether there was one (*sig is then
 * replaced by an allocated copy without it).
 */
bool safety_signature_drop_index(char **sig, unsigned int index_oid);

#endif
