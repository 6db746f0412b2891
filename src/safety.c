/*
 * safety.c: observing a unit's statements during verify and up --dry-run
 * and classifying what they would do to a live database (SPEC section
 * 11).  The run's first step lists the relations that exist (only those
 * count; each later step starts from what the previous one left, see
 * carry_forward); after each statement one query reads the runner's relation
 * locks, the relations' relfilenode and the transaction's scan counters
 * (or, in verify, what its catalog window shows: safety_window.h);
 * the step's end names the hazards.  Everything read is the runner's own
 * backend's state (pg_locks, pg_stat_xact_*), readable by any role.
 */
#include "safety.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <ecpglib.h>
#include <sqlca.h>

#include "db.h"
#include "log.h"
#include "registry.h"
#include "safety_internal.h"
#include "safety_sql.h"
#include "safety_window.h"
#include "step.h"
#include "vertext.h"

/* The runner's own granted relation locks on relation X, comma-separated. */
#define OWN_LOCKS(X)                                                         \
	"(SELECT string_agg(l.mode, ',') FROM pg_catalog.pg_locks l "            \
	"WHERE l.pid = pg_catalog.pg_backend_pid() AND l.locktype = 'relation' " \
	"AND l.relation = " X " AND l.granted)"

/* Relations in user schemas; an index names its table. */
#define SNAPSHOT_SQL                                                                              \
	"SELECT c.oid::int8, c.relfilenode::int8, c.relkind, coalesce(x.indrelid, c.oid)::int8, "     \
	"n.nspname, c.relname, coalesce(s.seq_tup_read, 0), "                                         \
	"(SELECT count(*) FROM pg_catalog.pg_index y WHERE y.indrelid = c.oid), "                     \
	"coalesce(" OWN_LOCKS(                                                                        \
		"c.oid") ", ''), "                                                                        \
				 "CASE WHEN " OWN_LOCKS(                                                          \
					 "c.oid") " ~ '(^|,)(Share|ShareRowExclusive|Exclusive|"                      \
							  "AccessExclusive)Lock' THEN " SIGNATURE(                            \
								  "c.oid") " ELSE '' END "                                        \
										   "FROM pg_catalog.pg_class c JOIN "                     \
										   "pg_catalog.pg_namespace n ON n.oid = c.relnamespace " \
										   "LEFT JOIN pg_catalog.pg_index x ON x.indexrelid = "   \
										   "c.oid "                                               \
										   "LEFT JOIN pg_catalog.pg_stat_xact_user_tables s ON "  \
										   "s.relid = c.oid "                                     \
										   "WHERE c.relkind IN ('r', 'p', 'm', 'i', 'I') "        \
										   "AND n.nspname NOT IN ('pg_catalog', "                 \
										   "'information_schema') "                               \
										   "AND n.nspname !~ '^pg_(toast|temp_)' ORDER BY c.oid;"

#define STMT_SAVEPOINT "SAVEPOINT migrate_safety_stmt;"
#define STMT_NEXT "RELEASE SAVEPOINT migrate_safety_stmt; SAVEPOINT migrate_safety_stmt;"

/* A relation that existed when the step began. */
struct rel
{
	unsigned int oid;
	unsigned int filenode;
	unsigned int table; /* its own oid, or an index's table */
	char kind;
	char *nspname;
	char *relname;
	int held; /* strongest lock held so far */
	int inherited; /* a blocking lock held before the step (earlier units) */
	char *signature; /* owned, for inherited ones: see SIGNATURE */
	int ndefaults; /* safety_signature_defaults(signature), kept with it (set_signature) */
	bool listed; /* in the window's list of the relations followed (struct followed) */
	int listed_defaults; /* its defaults there */
	long long seq; /* the transaction's seq_tup_read so far */
	long nindex;
	char *cur_nspname; /* owned: its name now, when read since the step began */
	char *cur_relname;
	bool gone; /* dropped by the step */
	bool sig_read; /* its signature was read by this statement's observation */
	bool dropped_now; /* by this statement */
	/* this statement */
	bool seen;
	int mode;
	bool new_lock;
	bool rewritten;
	bool index_built;
	long long rows;
};

struct accept
{
	char *code;
	char *relation;
};

struct line_count
{
	const char *file;
	int line;
	int count;
	double ms; /* all its runs together */
};

/* The window's lists of the relations followed (safety_window_execute_sql). */
struct followed
{
	struct buf oids;
	struct buf defaults;
	struct buf tables;
	size_t n;
};

struct done
{
	long long version;
	bool up;
};

static struct
{
	bool disabled;
	bool active;
	bool no_txn;
	struct db *db;
	const struct unit *unit;
	bool up;
	struct rel *rels;
	size_t nrels;
	bool lock_timeout_zero;
	long long touched;
	bool touched_known; /* touched is the sum after the last statement */
	struct safety_hazard *hz;
	size_t nhz;
	struct accept *acc;
	size_t nacc;
	struct line_count *lines;
	size_t nlines;
	char *observe_sql; /* owned: the globals, OBSERVE_SQL and maybe STMT_NEXT */
	double t_step;
	double t_stmt;
	int seq;
	struct done *done;
	size_t ndone;
	int hazards;
	int accepted;
	bool observed;
	struct rel *fresh; /* relations the step created, as last read */
	size_t nfresh;
	struct rel *carry; /* the relations at the next step's start */
	size_t ncarry;
	bool carry_ok;
	bool lost; /* a statement of the step was not observed */
	struct safety_window window; /* verify's floor for the current unit */
	bool windowed; /* this step is observed through the window */
	bool window_broken; /* a windowed observation failed: not again */
	unsigned int *written; /* the relations the unit's windowed statements wrote */
	size_t nwritten;
	bool written_ok; /* every statement of the unit so far was observed through the window */
	struct followed base; /* the window's list of rels, while base_ok (base_holds) */
	bool base_ok;
	unsigned long long oid_bound; /* above every oid the window has seen (safety_window_saw) */
	bool prepared; /* the window's statements are (PREPARE) */
	size_t prepared_for; /* the relations followed when they were */
	char prepared_name[48];
} sf;

void
safety_set_window(const struct safety_window *w)
{
	if (w != NULL)
		sf.window = *w;
	else
		memset(&sf.window, 0, sizeof(sf.window));
	free(sf.written);
	sf.written = NULL;
	sf.nwritten = 0;
	sf.written_ok = w != NULL && !sf.disabled;
}

/* A windowed observation's row for a relation the statement wrote (column 10). */
static void
note_written(const PGresult *r, int i)
{
	unsigned int oid;
	size_t k;

	if (PQnfields(r) < 11 || strcmp(PQgetvalue(r, i, 10), "t") != 0)
		return;
	oid = (unsigned int) strtoul(PQgetvalue(r, i, 0), NULL, 10);
	for (k = 0; k < sf.nwritten; k++)
		if (sf.written[k] == oid)
			return;
	sf.written = xrealloc(sf.written, (sf.nwritten + 1) * sizeof(*sf.written));
	sf.written[sf.nwritten++] = oid;
}

bool
safety_written(struct buf *oids)
{
	size_t i;

	if (!sf.written_ok)
		return false;
	for (i = 0; i < sf.nwritten; i++)
		buf_printf(oids, "%s%u", i > 0 ? "," : "", sf.written[i]);
	return true;
}

/*
 * Whether the window may stand in for pg_locks: every relation that
 * counts is held in ACCESS EXCLUSIVE mode already, so that no lock on it
 * can be newly granted, and the step runs in the unit's transaction.
 */
static bool
window_applies(void)
{
	size_t i;

	if (!sf.window.ok || sf.no_txn || sf.window_broken)
		return false;
	if (sf.prepared_name[0] == '\0')
		snprintf(sf.prepared_name, sizeof(sf.prepared_name), "migrate_safety_%ld", (long) getpid());
	for (i = 0; i < sf.nrels; i++)
		if (sf.rels[i].held != MODE_ACCESS_EXCLUSIVE)
			return false;
	return true;
}

void
safety_set_enabled(bool on)
{
	sf.disabled = !on;
}

static char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static char *
xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = xvasprintf(fmt, ap);
	va_end(ap);
	return s;
}

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double) ts.tv_sec * 1000.0 + (double) ts.tv_nsec / 1e6;
}

static int
mode_from_name(const char *s, size_t n)
{
	static const char *const names[] = {"",
										"AccessShareLock",
										"RowShareLock",
										"RowExclusiveLock",
										"ShareUpdateExclusiveLock",
										"ShareLock",
										"ShareRowExclusiveLock",
										"ExclusiveLock",
										"AccessExclusiveLock"};
	int m;

	for (m = MODE_ACCESS_EXCLUSIVE; m > MODE_NONE; m--)
		if (strlen(names[m]) == n && strncmp(names[m], s, n) == 0)
			return m;
	return MODE_NONE;
}

/* The strongest mode in pg_locks' comma-separated list. */
static int
strongest_mode(const char *list)
{
	int best = MODE_NONE;

	while (*list)
	{
		size_t n = strcspn(list, ",");
		int m = mode_from_name(list, n);

		if (m > best)
			best = m;
		list += n;
		if (*list == ',')
			list++;
	}
	return best;
}

static void
followed_init(struct followed *f)
{
	buf_init(&f->oids);
	buf_init(&f->defaults);
	buf_init(&f->tables);
	f->n = 0;
}

static void
followed_free(struct followed *f)
{
	buf_free(&f->oids);
	buf_free(&f->defaults);
	buf_free(&f->tables);
	f->n = 0;
}

static void
free_rels(struct rel *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
	{
		free(v[i].nspname);
		free(v[i].relname);
		free(v[i].signature);
		free(v[i].cur_nspname);
		free(v[i].cur_relname);
	}
	free(v);
}

static void
drop_carry(void)
{
	free_rels(sf.carry, sf.ncarry);
	sf.carry = NULL;
	sf.ncarry = 0;
	sf.carry_ok = false;
}

static char *
dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

/*
 * x's signature becomes a copy of sig, with the count of defaults the
 * window is given for it: every observation lists them all, so they are
 * counted once here rather than read out of the signature each time.
 */
static void
set_signature(struct rel *x, const char *sig)
{
	free(x->signature);
	x->signature = xstrdup(sig);
	x->ndefaults = safety_signature_defaults(sig);
}

/* y becomes x as a relation at a step's start, its strings still to set. */
static void
start_from(struct rel *y, const struct rel *x)
{
	memset(y, 0, sizeof(*y));
	y->oid = x->oid;
	y->filenode = x->filenode;
	y->table = x->table;
	y->kind = x->kind;
	y->held = x->held;
	y->inherited = x->held >= MODE_SHARE ? x->held : MODE_NONE;
	y->seq = x->seq;
	y->nindex = x->nindex;
	y->ndefaults = x->ndefaults;
}

/*
 * y becomes x as a relation at a step's start, under its current name,
 * taking x's strings (x keeps none): the carry is handed on, not copied,
 * when the old one is not needed again.
 */
static void
move_rel(struct rel *y, struct rel *x)
{
	start_from(y, x);
	y->nspname = x->cur_nspname ? x->cur_nspname : x->nspname;
	y->relname = x->cur_relname ? x->cur_relname : x->relname;
	if (x->cur_nspname)
		free(x->nspname);
	if (x->cur_relname)
		free(x->relname);
	y->signature = x->signature;
	x->nspname = x->relname = x->signature = x->cur_nspname = x->cur_relname = NULL;
}

/* y becomes a copy of x as a relation at a step's start, under its current name. */
static void
copy_rel(struct rel *y, const struct rel *x)
{
	start_from(y, x);
	y->nspname = xstrdup(x->cur_nspname ? x->cur_nspname : x->nspname);
	y->relname = xstrdup(x->cur_relname ? x->cur_relname : x->relname);
	y->signature = dup_or_null(x->signature);
}

/* A copy of v[0..n) as relations at a step's start (an array of n + 1). */
static struct rel *
copy_rels(const struct rel *v, size_t n)
{
	struct rel *w = xcalloc(n + 1, sizeof(*w));
	size_t i;

	for (i = 0; i < n; i++)
		copy_rel(&w[i], &v[i]);
	return w;
}

static int
by_oid(const void *a, const void *b)
{
	const struct rel *x = a;
	const struct rel *y = b;

	return x->oid < y->oid ? -1 : x->oid > y->oid;
}

/*
 * After a step that stays applied (an up step in the run's transaction):
 * the relations at the next step's start are those of this one, as the
 * step's last observation left them, and those it created; the runner
 * between two steps reads only the catalogs.
 */
static void
carry_forward(void)
{
	struct rel *v = xcalloc(sf.nrels + sf.nfresh + 1, sizeof(*v));
	size_t n = 0;
	size_t i;

	/* the step's own relations are freed next: their strings move */
	for (i = 0; i < sf.nrels; i++)
		if (!sf.rels[i].gone)
			move_rel(&v[n++], &sf.rels[i]);
	for (i = 0; i < sf.nfresh; i++)
		if (!sf.fresh[i].gone)
			move_rel(&v[n++], &sf.fresh[i]);
	if (n > 1)
		qsort(v, n, sizeof(*v), by_oid);
	drop_carry();
	sf.carry = v;
	sf.ncarry = n;
	sf.carry_ok = true;
}

/*
 * After a step that is rolled back (verify's down step, a no-transaction
 * step in its savepoint): the next step starts where this one did, but
 * the scan counters are not rolled back.
 */
static void
carry_back(void)
{
	size_t i;

	for (i = 0; i < sf.nrels && i < sf.ncarry; i++)
		if (sf.carry[i].oid == sf.rels[i].oid)
			sf.carry[i].seq = sf.rels[i].seq;
}

static void
free_step_state(void)
{
	size_t i;

	free_rels(sf.rels, sf.nrels);
	free_rels(sf.fresh, sf.nfresh);
	sf.fresh = NULL;
	sf.nfresh = 0;
	followed_free(&sf.base);
	sf.base_ok = false;
	free(sf.observe_sql);
	sf.observe_sql = NULL;
	for (i = 0; i < sf.nhz; i++)
	{
		free(sf.hz[i].relation);
		free(sf.hz[i].qualified);
	}
	for (i = 0; i < sf.nacc; i++)
	{
		free(sf.acc[i].code);
		free(sf.acc[i].relation);
	}
	free(sf.hz);
	free(sf.acc);
	free(sf.lines);
	sf.rels = NULL;
	sf.hz = NULL;
	sf.acc = NULL;
	sf.lines = NULL;
	sf.nrels = sf.nhz = sf.nacc = sf.nlines = 0;
	sf.active = false;
}

static bool
observed_before(const struct unit *u, bool up)
{
	size_t i;

	for (i = 0; i < sf.ndone; i++)
		if (sf.done[i].version == u->version && sf.done[i].up == up)
			return true;
	sf.done = xrealloc(sf.done, (sf.ndone + 1) * sizeof(*sf.done));
	sf.done[sf.ndone].version = u->version;
	sf.done[sf.ndone].up = up;
	sf.ndone++;
	return false;
}

static void
read_globals(const PGresult *g)
{
	sf.lock_timeout_zero = strcmp(PQgetvalue(g, 0, 0), "0") == 0;
	sf.touched = atoll(PQgetvalue(g, 0, 1));
	sf.touched_known = true;
}

static void
read_snapshot(const PGresult *r)
{
	int i;

	sf.nrels = (size_t) PQntuples(r);
	sf.rels = xcalloc(sf.nrels + 1, sizeof(*sf.rels));
	for (i = 0; i < PQntuples(r); i++)
	{
		struct rel *x = &sf.rels[i];

		x->oid = (unsigned int) strtoul(PQgetvalue(r, i, 0), NULL, 10);
		x->filenode = (unsigned int) strtoul(PQgetvalue(r, i, 1), NULL, 10);
		x->kind = PQgetvalue(r, i, 2)[0];
		x->table = (unsigned int) strtoul(PQgetvalue(r, i, 3), NULL, 10);
		x->nspname = xstrdup(PQgetvalue(r, i, 4));
		x->relname = xstrdup(PQgetvalue(r, i, 5));
		x->seq = atoll(PQgetvalue(r, i, 6));
		x->nindex = atol(PQgetvalue(r, i, 7));
		x->held = strongest_mode(PQgetvalue(r, i, 8));
		if (x->held >= MODE_SHARE)
		{
			x->inherited = x->held;
			set_signature(x, PQgetvalue(r, i, 9));
		}
	}
}

/*
 * Runs sql (the globals query, then one more query) in one round trip,
 * inside a savepoint of its own so that a failure leaves the unit's
 * transaction as it was, then suffix.  Returns 0 with *g and *r (the two
 * results; PQclear both), or -1 after a warning, the observation of the
 * step then being off.
 */
static int
observation(const char *sql, const char *suffix, PGresult **g, PGresult **r)
{
	PGresult *res[2] = {NULL, NULL};
	struct db_error err = {0};
	bool undone;
	int n = 0;
	int i;
	int rc = db_batch_guarded(sf.db, "migrate_safety_obs", sql, suffix, res, 2, &n, &undone, &err);

	if (rc == 0 && n == 2)
	{
		*g = res[0];
		*r = res[1];
		return 0;
	}
	log_warning("the live-database observation of this step failed, so it is not reported: %s",
				err.message ? err.message : "no result");
	db_error_clear(&err);
	for (i = 0; i < n; i++)
		PQclear(res[i]);
	*g = *r = NULL;
	return -1;
}

/*
 * Appends ",n" (no comma first) for n >= -1: thousands of times per
 * statement, so not printf.
 */
static void
append_number(struct buf *b, long long n)
{
	char digits[24];
	size_t i = sizeof(digits);
	unsigned long long u = n < 0 ? 1 : (unsigned long long) n;

	do
	{
		digits[--i] = (char) ('0' + u % 10);
		u /= 10;
	} while (u > 0);
	if (n < 0)
		digits[--i] = '-';
	if (b->len > 0)
		digits[--i] = ',';
	buf_append_len(b, digits + i, sizeof(digits) - i);
}

/*
 * The general observation after each statement, with the inherited
 * relations' oids: made when first needed, which a step observed through
 * the window never is.
 */
static const char *
observe_sql(void)
{
	struct buf oids;
	size_t i;

	if (sf.observe_sql != NULL)
		return sf.observe_sql;
	buf_init(&oids);
	for (i = 0; i < sf.nrels; i++)
		if (sf.rels[i].inherited)
			append_number(&oids, sf.rels[i].oid);
	sf.observe_sql = xasprintf(GLOBALS_SQL OBSERVE_SQL, oids.data);
	buf_free(&oids);
	return sf.observe_sql;
}

static void
begin_step(struct db *db, const struct unit *u, bool up, bool no_txn)
{
	PGresult *g;
	PGresult *r;

	if (sf.active)
		free_step_state();
	if (sf.disabled || u == NULL || observed_before(u, up))
	{
		sf.written_ok = false;
		drop_carry(); /* the step runs unobserved */
		return;
	}
	sf.db = db;
	sf.unit = u;
	sf.up = up;
	sf.no_txn = no_txn;
	sf.seq = 0;
	sf.lost = false;
	if (sf.carry_ok && up && !no_txn)
	{
		/*
		 * Where the previous step left them, no round trip.  This step ends
		 * by carrying its own relations forward (or by dropping the carry),
		 * so the carry is handed over rather than copied.
		 */
		sf.rels = sf.carry;
		sf.nrels = sf.ncarry;
		sf.carry = NULL;
		sf.ncarry = 0;
		sf.carry_ok = false;
	}
	else if (sf.carry_ok)
	{
		/* the same, kept for the step after this one (carry_back) */
		sf.rels = copy_rels(sf.carry, sf.ncarry);
		sf.nrels = sf.ncarry;
	}
	else
	{
		if (observation(GLOBALS_SQL SNAPSHOT_SQL, "", &g, &r) != 0)
		{
			sf.written_ok = false;
			return;
		}
		read_globals(g);
		read_snapshot(r);
		PQclear(g);
		PQclear(r);
		drop_carry();
		sf.carry = copy_rels(sf.rels, sf.nrels);
		sf.ncarry = sf.nrels;
		sf.carry_ok = true;
	}
	sf.base_ok = false; /* a new step's relations */
	free(sf.observe_sql);
	sf.observe_sql = NULL; /* the new step's relations: observe_sql() */
	sf.windowed = window_applies();
	sf.written_ok = sf.written_ok && sf.windowed;
	if (sf.windowed)
		log_debug("%s %s: observed through the catalog window", sf.unit->name, up ? "up" : "down");
	sf.active = true;
	sf.observed = true;
	sf.t_step = now_ms();
}

const char *
safety_listing_sql(void)
{
	if (sf.disabled || sf.carry_ok || sf.active)
		return "";
	return "SAVEPOINT migrate_safety_obs;" GLOBALS_SQL SNAPSHOT_SQL
		   "RELEASE SAVEPOINT migrate_safety_obs;";
}

void
safety_take_listing(PGresult *const *res, int n)
{
	if (n != SAFETY_LISTING_RESULTS || PQresultStatus(res[1]) != PGRES_TUPLES_OK ||
		PQresultStatus(res[2]) != PGRES_TUPLES_OK || sf.active)
		return;
	read_globals(res[1]);
	read_snapshot(res[2]);
	drop_carry();
	sf.carry = copy_rels(sf.rels, sf.nrels);
	sf.ncarry = sf.nrels;
	sf.carry_ok = true;
	free_rels(sf.rels, sf.nrels);
	sf.rels = NULL;
	sf.nrels = 0;
}

void
safety_begin(struct db *db, const struct unit *u, bool up)
{
	begin_step(db, u, up, false);
}

static struct rel *
find_rel(unsigned int oid)
{
	size_t lo = 0;
	size_t hi = sf.nrels;

	while (lo < hi)
	{
		size_t mid = (lo + hi) / 2;

		if (sf.rels[mid].oid == oid)
			return &sf.rels[mid];
		if (sf.rels[mid].oid < oid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static bool
is_index(const struct rel *x)
{
	return x->kind == 'i' || x->kind == 'I';
}

static size_t
count_char(const char *s, size_t n, char c)
{
	size_t k = 0;

	while (n-- > 0)
		k += *s++ == c;
	return k;
}

/*
 * Whether only existing constraint rows changed between two SIGNATUREs
 * ("class|attributes|constraints|triggers|indexes"): VALIDATE CONSTRAINT,
 * which takes SHARE UPDATE EXCLUSIVE.
 */
static bool
only_constraints_updated(const char *a, const char *b)
{
	int part;

	for (part = 0; part < 5; part++)
	{
		size_t la = strcspn(a, "|");
		size_t lb = strcspn(b, "|");

		if (la != lb || strncmp(a, b, la) != 0)
		{
			/* the constraints part may differ, with as many rows as before */
			if (part != 2 || count_char(a, la, ',') != count_char(b, lb, ','))
				return false;
		}
		a += la + (a[la] == '|');
		b += lb + (b[lb] == '|');
	}
	return true;
}

/*
 * On a relation an earlier unit of the same run holds a blocking lock on,
 * pg_locks cannot show a statement taking it again: DDL on it (a changed
 * SIGNATURE) is taken to need that lock, except VALIDATE CONSTRAINT.
 */
static void
inherited_lock(struct rel *x, const char *signature)
{
	const char *before = x->signature ? x->signature : "";

	if (strcmp(signature, before) == 0)
		return;
	if (!only_constraints_updated(before, signature))
	{
		x->new_lock = true;
		x->mode = x->inherited > x->mode ? x->inherited : x->mode;
	}
	set_signature(x, signature);
}

/* A relation's name now, or that it is gone, from a row of OBSERVE_SQL. */
static void
read_now(struct rel *x, const PGresult *r, int i)
{
	bool gone = PQgetvalue(r, i, 6)[0] == '\0';

	x->dropped_now = gone && !x->gone;
	x->gone = gone;
	if (gone)
		return;
	free(x->cur_nspname);
	free(x->cur_relname);
	x->cur_nspname = xstrdup(PQgetvalue(r, i, 8));
	x->cur_relname = xstrdup(PQgetvalue(r, i, 9));
}

/*
 * A row of OBSERVE_SQL for a relation that did not exist at the step's
 * start: kept (never reported) for the next step's start.
 */
static void
read_fresh(const PGresult *r, int i, unsigned int oid)
{
	struct rel *x = NULL;
	unsigned int filenode = (unsigned int) strtoul(PQgetvalue(r, i, 1), NULL, 10);
	const char *sig = PQgetvalue(r, i, 5);
	size_t k;

	for (k = 0; k < sf.nfresh && x == NULL; k++)
		if (sf.fresh[k].oid == oid)
			x = &sf.fresh[k];
	if (x == NULL)
	{
		if (PQgetvalue(r, i, 6)[0] == '\0')
			return; /* not a user relation */
		sf.fresh = xrealloc(sf.fresh, (sf.nfresh + 1) * sizeof(*sf.fresh));
		x = &sf.fresh[sf.nfresh++];
		memset(x, 0, sizeof(*x));
		x->oid = oid;
		x->kind = PQgetvalue(r, i, 6)[0];
		x->table = (unsigned int) strtoul(PQgetvalue(r, i, 7), NULL, 10);
		x->nspname = xstrdup(PQgetvalue(r, i, 8));
		x->relname = xstrdup(PQgetvalue(r, i, 9));
	}
	else
		read_now(x, r, i);
	if (filenode != 0)
		x->filenode = filenode;
	x->seq = atoll(PQgetvalue(r, i, 2));
	x->nindex = atol(PQgetvalue(r, i, 3));
	x->held = strongest_mode(PQgetvalue(r, i, 4));
	if (!PQgetisnull(r, i, 5))
	{
		set_signature(x, sig);
		x->sig_read = true;
	}
}

/* Reads one row of OBSERVE_SQL into its relation's "this statement" fields. */
static struct rel *
read_observed(const PGresult *r, int i)
{
	unsigned int oid = (unsigned int) strtoul(PQgetvalue(r, i, 0), NULL, 10);
	struct rel *x = find_rel(oid);
	unsigned int filenode;
	long long seq;
	long nindex;

	if (x == NULL)
	{
		read_fresh(r, i, oid); /* created by the unit, or not a user relation */
		return NULL;
	}
	filenode = (unsigned int) strtoul(PQgetvalue(r, i, 1), NULL, 10);
	seq = atoll(PQgetvalue(r, i, 2));
	nindex = atol(PQgetvalue(r, i, 3));
	read_now(x, r, i);
	x->seen = true;
	x->mode = strongest_mode(PQgetvalue(r, i, 4));
	x->new_lock = x->mode > x->held;
	x->rewritten = filenode != 0 && x->filenode != 0 && filenode != x->filenode;
	x->index_built = nindex > x->nindex;
	x->rows = seq > x->seq ? seq - x->seq : 0;
	x->sig_read = !PQgetisnull(r, i, 5); /* NULL: not read, as it was */
	if (x->sig_read && x->inherited)
		inherited_lock(x, PQgetvalue(r, i, 5));
	else if (x->sig_read)
		set_signature(x, PQgetvalue(r, i, 5));
	if (filenode != 0)
		x->filenode = filenode;
	x->seq = seq;
	x->nindex = nindex;
	if (x->mode > x->held)
		x->held = x->mode;
	return x;
}

static char *
display_name(const struct rel *x)
{
	if (strcmp(x->nspname, "public") == 0)
		return xstrdup(x->relname);
	return xasprintf("%s.%s", x->nspname, x->relname);
}

/* The most specific code wins (SPEC 11); NULL is no hazard (yet). */
static int
code_rank(const char *code)
{
	static const char *const order[] = {"no-lock-timeout", "held-across",     "blocks-writes",
										"blocks-reads",    "validation-scan", "rewrite"};
	int i;

	for (i = 0; code != NULL && i < 6; i++)
		if (strcmp(order[i], code) == 0)
			return i + 1;
	return 0;
}

/* Adds (or, for a statement in a loop, counts again) one entry. */
static void
add_entry(const struct stmt_info *s, const struct rel *x, const char *code, double dur)
{
	struct safety_hazard *h;
	size_t i;

	for (i = 0; i < sf.nhz; i++)
	{
		h = &sf.hz[i];
		if (h->line == s->line && h->oid == x->oid && strcmp(h->file, s->file) == 0)
		{
			h->rows += x->rows;
			h->rewrite = h->rewrite || x->rewritten;
			if (code_rank(code) > code_rank(h->code))
				h->code = code;
			if (x->held > h->mode)
				h->mode = x->held;
			return;
		}
	}
	sf.hz = xrealloc(sf.hz, (sf.nhz + 1) * sizeof(*sf.hz));
	h = &sf.hz[sf.nhz++];
	memset(h, 0, sizeof(*h));
	h->code = code;
	h->file = s->file;
	h->line = s->line;
	h->oid = x->oid;
	h->relation = display_name(x);
	h->qualified = xasprintf("%s.%s", x->nspname, x->relname);
	h->mode = x->held;
	h->rewrite = x->rewritten;
	h->rows = x->rows;
	h->taken_ms = sf.t_stmt - sf.t_step;
	h->stmt_ms = dur;
	h->seq = sf.seq;
	h->lock_timeout_zero = sf.lock_timeout_zero;
}

static bool
table_rewritten(unsigned int table)
{
	struct rel *t = find_rel(table);

	return t != NULL && t->seen && t->rewritten;
}

/* What one statement did to one relation that existed before the step. */
static void
classify(const struct stmt_info *s, const struct rel *x, double dur)
{
	bool blocking = x->held >= MODE_SHARE;

	if (x->rewritten && !(is_index(x) && table_rewritten(x->table)))
		add_entry(s, x, "rewrite", dur);
	else if (is_index(x))
		return; /* the lock that matters is its table's */
	else if (x->rows > 0 && blocking && x->index_built)
		add_entry(s, x, x->held == MODE_ACCESS_EXCLUSIVE ? "blocks-reads" : "blocks-writes", dur);
	else if (x->rows > 0 && blocking && x->new_lock)
		add_entry(s, x, "validation-scan", dur);
	else if (x->new_lock && x->mode >= MODE_SHARE)
		add_entry(s, x, NULL, dur); /* a catalog change, so far */
}

/* A statement that touched rows makes every earlier catalog-only lock a hazard. */
static void
mark_held_across(void)
{
	size_t i;

	for (i = 0; i < sf.nhz; i++)
		if (sf.hz[i].code == NULL && sf.hz[i].seq < sf.seq)
			sf.hz[i].code = "held-across";
}

/* The followed relation (or one the step created) with this oid. */
static struct rel *
find_any(unsigned int oid)
{
	struct rel *x = find_rel(oid);
	size_t i;

	for (i = 0; x == NULL && i < sf.nfresh; i++)
		if (sf.fresh[i].oid == oid)
			x = &sf.fresh[i];
	return x;
}

/*
 * An index the statement dropped took its row out of its table's
 * signature; when the table's signature was not read again (the window
 * reads only what was written), that entry is taken out here, and the
 * table counts one index less.  On a relation held before the step that
 * is DDL on it, as a signature read again would have shown.
 */
static void
dropped_index(const struct rel *idx)
{
	struct rel *t = find_any(idx->table);
	char *sig;

	if (t == NULL || t->gone || t->sig_read || t->signature == NULL)
		return;
	sig = xstrdup(t->signature);
	if (!safety_signature_drop_index(&sig, idx->oid))
	{
		free(sig);
		return;
	}
	if (t->nindex > 0)
		t->nindex--;
	if (t->inherited)
	{
		if (!t->seen)
		{
			t->seen = true;
			t->mode = MODE_NONE;
			t->new_lock = t->rewritten = t->index_built = false;
			t->rows = 0;
		}
		inherited_lock(t, sig);
	}
	else
		set_signature(t, sig);
	t->sig_read = true;
	free(sig);
}

static void
dropped_indexes(void)
{
	size_t i;

	for (i = 0; i < sf.nrels; i++)
		if (sf.rels[i].dropped_now && is_index(&sf.rels[i]))
			dropped_index(&sf.rels[i]);
	for (i = 0; i < sf.nfresh; i++)
		if (sf.fresh[i].dropped_now && is_index(&sf.fresh[i]))
			dropped_index(&sf.fresh[i]);
}

static bool
is_table(const struct rel *x)
{
	return x->kind == 'r' || x->kind == 'p' || x->kind == 'm';
}

/* The count of defaults the window is given for x (-1: not known). */
static int
rel_defaults(const struct rel *x)
{
	return x->signature != NULL ? x->ndefaults : -1;
}

/* Adds the relations in xs that are not gone to f, marking them listed. */
static void
add_followed(struct followed *f, struct rel *xs, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
	{
		xs[i].listed = !xs[i].gone;
		if (xs[i].gone)
			continue;
		xs[i].listed_defaults = rel_defaults(&xs[i]);
		append_number(&f->oids, xs[i].oid);
		append_number(&f->defaults, xs[i].listed_defaults);
		f->n++;
		if (is_table(&xs[i]))
			append_number(&f->tables, xs[i].oid);
	}
}

/*
 * Whether sf.base still lists the step's relations as they are: built
 * once per step and again only when one of them was dropped or its
 * defaults changed, since a long history follows thousands of them in
 * every statement.
 */
static bool
base_holds(void)
{
	size_t i;

	if (!sf.base_ok)
		return false;
	for (i = 0; i < sf.nrels; i++)
		if (sf.rels[i].listed != !sf.rels[i].gone ||
			(sf.rels[i].listed && sf.rels[i].listed_defaults != rel_defaults(&sf.rels[i])))
			return false;
	return true;
}

/*
 * Whether an earlier statement of the step left a catalog-only lock that
 * a statement touching rows would turn into a hazard (mark_held_across).
 */
static bool
pending_hazard(void)
{
	size_t i;

	for (i = 0; i < sf.nhz; i++)
		if (sf.hz[i].code == NULL)
			return true;
	return false;
}

/* Appends list b to a, comma-separated. */
static void
append_list(struct buf *a, const struct buf *b)
{
	if (a->len > 0 && b->len > 0)
		buf_append_char(a, ',');
	buf_append_len(a, b->data, b->len);
}

/*
 * The windowed observation's statements: prepared in the run's first
 * windowed observation, executed in every one.  They are prepared again
 * (in the same message) each time the relations followed have doubled:
 * the server keeps the plan it made on the catalogs of that time, and a
 * lookup that was cheapest as a scan of a small pg_index is not once a
 * long history has filled it.
 */
static char *
window_sql(bool touched)
{
	struct followed fresh;
	struct followed f;
	struct buf sql;
	char *exec;
	char *prep;
	size_t n;

	if (!base_holds())
	{
		followed_free(&sf.base);
		add_followed(&sf.base, sf.rels, sf.nrels);
		sf.base_ok = true;
	}
	followed_init(&fresh);
	add_followed(&fresh, sf.fresh, sf.nfresh);
	followed_init(&f);
	append_list(&f.oids, &sf.base.oids);
	append_list(&f.oids, &fresh.oids);
	append_list(&f.defaults, &sf.base.defaults);
	append_list(&f.defaults, &fresh.defaults);
	append_list(&f.tables, &sf.base.tables);
	append_list(&f.tables, &fresh.tables);
	n = sf.base.n + fresh.n;
	followed_free(&fresh);
	/*
	 * Every oid the window saw was handed out, so the next ones come after
	 * the run's bound; that no row written since the floor lies above it
	 * holds only while the window saw every statement since (a new floor
	 * starts with none).
	 */
	exec = safety_window_execute_sql(sf.prepared_name, &sf.window, f.oids.data, f.defaults.data,
									 f.tables.data, touched, sf.written_ok ? sf.oid_bound : 0);
	followed_free(&f);
	if (sf.prepared && (n < 64 || n / 2 < sf.prepared_for))
		return exec;
	buf_init(&sql);
	if (sf.prepared)
		buf_append(&sql, safety_release_sql());
	prep = safety_window_prepare_sql(sf.prepared_name);
	buf_append(&sql, prep);
	buf_append(&sql, exec);
	free(prep);
	free(exec);
	sf.prepared = true;
	sf.prepared_for = n;
	return buf_detach(&sql);
}

const char *
safety_release_sql(void)
{
	static char sql[2 * sizeof(sf.prepared_name) + 32];

	if (!sf.prepared)
		return "";
	sf.prepared = false;
	snprintf(sql, sizeof(sql), "DEALLOCATE %s_g;DEALLOCATE %s_w;", sf.prepared_name,
			 sf.prepared_name);
	return sql;
}

/*
 * The rows touched so far, when the windowed observation did not sum
 * them and a statement observed left a lock to hold across: the baseline
 * for the next statement, read just before it runs (so never for a
 * step's last statement).  Returns -1 after a warning.
 */
static int
read_touched(void)
{
	PGresult *g = NULL;
	struct db_error err = {0};
	char sql[sizeof(sf.prepared_name) + 32];
	bool undone;
	int n = 0;

	snprintf(sql, sizeof(sql), "EXECUTE %s_g(true);", sf.prepared_name);
	if (db_batch_guarded(sf.db, "migrate_safety_obs", sql, "", &g, 1, &n, &undone, &err) != 0 ||
		n != 1)
	{
		log_warning("the live-database observation of this step failed, so it is not reported: %s",
					err.message ? err.message : "no result");
		db_error_clear(&err);
		if (n == 1)
			PQclear(g);
		return -1;
	}
	sf.touched = atoll(PQgetvalue(g, 0, 1));
	sf.touched_known = sf.touched >= 0;
	PQclear(g);
	return sf.touched_known ? 0 : -1;
}

static void
observe(const struct stmt_info *s, double dur)
{
	PGresult *g;
	PGresult *res;
	long long touched;
	char *sql = NULL;
	size_t i;
	int r;
	int rc;

	/* the general observation always sums the rows touched; the window when they matter */
	if (sf.windowed)
		sql = window_sql(pending_hazard());
	else
		sf.written_ok = false;
	rc = observation(sql ? sql : observe_sql(), sf.no_txn ? STMT_NEXT : "", &g, &res);
	free(sql);
	if (rc != 0)
	{
		sf.written_ok = false;
		if (sf.windowed)
			sf.window_broken = true; /* the general observation from now on */
		drop_carry();
		free_step_state();
		return;
	}
	if (sf.windowed && !safety_window_take(&sf.window, g))
		sf.windowed = sf.written_ok =
			false; /* track_counts went off: the gates cannot be trusted */
	if (sf.windowed && safety_window_saw(res, &sf.oid_bound))
	{
		char vt[VERTEXT_SIZE];

		log_debug("%s:%d (%s_%s %s): new relations read by their oids", s->file, s->line,
				  vertext(sf.unit->version, vt), sf.unit->name, sf.up ? "up" : "down");
	}
	touched = atoll(PQgetvalue(g, 0, 1));
	sf.lock_timeout_zero = strcmp(PQgetvalue(g, 0, 0), "0") == 0;
	for (i = 0; i < sf.nrels; i++)
		sf.rels[i].seen = sf.rels[i].sig_read = sf.rels[i].dropped_now = false;
	for (i = 0; i < sf.nfresh; i++)
		sf.fresh[i].sig_read = sf.fresh[i].dropped_now = false;
	for (r = 0; r < PQntuples(res); r++)
	{
		if (sf.written_ok)
			note_written(res, r);
		read_observed(res, r);
	}
	dropped_indexes();
	for (i = 0; i < sf.nrels; i++)
		if (sf.rels[i].seen)
			classify(s, &sf.rels[i], dur);
	PQclear(g);
	PQclear(res);
	if (touched >= 0)
	{
		if (sf.touched_known && touched > sf.touched)
			mark_held_across();
		sf.touched = touched;
		sf.touched_known = true;
	}
	else
		sf.touched_known = false;
}

/* Counts how often a line ran (statements in C loops run many times). */
static struct line_count *
count_line(const char *file, int line, bool add)
{
	size_t i;

	for (i = 0; i < sf.nlines; i++)
		if (sf.lines[i].line == line && strcmp(sf.lines[i].file, file) == 0)
		{
			sf.lines[i].count += add;
			return &sf.lines[i];
		}
	if (!add)
		return NULL;
	sf.lines = xrealloc(sf.lines, (sf.nlines + 1) * sizeof(*sf.lines));
	sf.lines[sf.nlines].file = file;
	sf.lines[sf.nlines].line = line;
	sf.lines[sf.nlines].count = 1;
	sf.lines[sf.nlines].ms = 0;
	return &sf.lines[sf.nlines++];
}

void
safety_stmt_begin(const struct stmt_info *s)
{
	if (!sf.active)
		return;
	if (!sf.touched_known && pending_hazard() && read_touched() != 0)
	{
		sf.window_broken = true;
		sf.written_ok = false;
		drop_carry();
		free_step_state();
		return;
	}
	count_line(s->file, s->line, true);
	sf.seq++;
	sf.t_stmt = now_ms();
}

/* In a no-transaction step: the statement refused a transaction block. */
static bool
skip_outside_block(const struct stmt_info *s)
{
	struct sqlca_t *ca = ECPGget_sqlca();
	struct db_error err = {0};

	if (!sf.no_txn || ca == NULL || strncmp(ca->sqlstate, "25001", 5) != 0)
		return false;
	if (db_exec(sf.db, "ROLLBACK TO SAVEPOINT migrate_safety_stmt;", &err) != 0)
	{
		db_error_clear(&err);
		return false;
	}
	log_debug("%s:%d cannot run in a transaction block: not observed", s->file, s->line);
	ca->sqlcode = 0;
	memcpy(ca->sqlstate, "00000", 5);
	ca->sqlerrm.sqlerrml = 0;
	ca->sqlerrm.sqlerrmc[0] = '\0';
	return true;
}

bool
safety_stmt_end(const struct stmt_info *s, bool ok)
{
	double dur;

	if (!sf.active)
		return ok;
	dur = now_ms() - sf.t_stmt;
	count_line(s->file, s->line, false)->ms += dur;
	if (!ok)
	{
		if (skip_outside_block(s))
			return true;
		sf.lost = true;
		sf.written_ok = false;
		return false;
	}
	/* a COPY still open, or a unit that ended the transaction: look no further */
	if (PQtransactionStatus(sf.db->conn) != PQTRANS_INTRANS)
	{
		sf.lost = true;
		sf.written_ok = false;
		return ok;
	}
	observe(s, dur);
	return ok;
}

void
migrate_accept(const char *file, int line, const char *code, const char *relation)
{
	struct accept *a;

	if (code == NULL || relation == NULL || safety_code_hint(code) == NULL)
	{
		log_warning("%s:%d: MIGRATE_ACCEPT names no known hazard code (\"%s\")", file, line,
					code ? code : "(null)");
		return;
	}
	if (!sf.active)
		return;
	sf.acc = xrealloc(sf.acc, (sf.nacc + 1) * sizeof(*sf.acc));
	a = &sf.acc[sf.nacc++];
	a->code = xstrdup(code);
	a->relation = xstrdup(relation);
}

static bool
is_accepted(const struct safety_hazard *h)
{
	size_t i;

	for (i = 0; i < sf.nacc; i++)
		if (strcmp(sf.acc[i].code, h->code) == 0 && (strcmp(sf.acc[i].relation, h->relation) == 0 ||
													 strcmp(sf.acc[i].relation, h->qualified) == 0))
			return true;
	return false;
}

/* How often each hazard's line ran: stmt counts are kept per line. */
static void
finish_entry(struct safety_hazard *h, double end)
{
	h->held_ms = (long) (sf.no_txn ? h->stmt_ms : end - sf.t_step - h->taken_ms);
	if (h->code == NULL && (sf.no_txn || h->lock_timeout_zero))
		h->code = "no-lock-timeout";
	if (h->code != NULL)
		h->accepted = is_accepted(h);
}

static int
by_line(const void *a, const void *b)
{
	const struct safety_hazard *x = a;
	const struct safety_hazard *y = b;

	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

void
safety_end(bool step_ok)
{
	struct safety_step st;
	char label[256];
	char vt[VERTEXT_SIZE];
	double end = now_ms();
	size_t i;

	if (!sf.active)
		return;
	if (!step_ok || sf.lost)
		drop_carry(); /* where the next step starts is not known */
	else if (sf.up && !sf.no_txn)
		carry_forward();
	else
		carry_back();
	if (!step_ok)
	{
		free_step_state();
		return;
	}
	snprintf(label, sizeof(label), "%s_%s", vertext(sf.unit->version, vt), sf.unit->name);
	st.label = label;
	st.version = sf.unit->version;
	st.name = sf.unit->name;
	st.up = sf.up;
	for (i = 0; i < sf.nlines; i++)
		log_debug("%s:%d (%s %s): ran %d time%s, %.0f ms", sf.lines[i].file, sf.lines[i].line,
				  label, sf.up ? "up" : "down", sf.lines[i].count,
				  sf.lines[i].count == 1 ? "" : "s", sf.lines[i].ms);
	if (sf.nhz > 1)
		qsort(sf.hz, sf.nhz, sizeof(*sf.hz), by_line);
	for (i = 0; i < sf.nhz; i++)
	{
		struct safety_hazard *h = &sf.hz[i];
		struct line_count *lc = count_line(h->file, h->line, false);

		finish_entry(h, end);
		h->count = lc != NULL ? lc->count : 1;
		h->duration_ms = lc != NULL ? (long) lc->ms : (long) h->stmt_ms;
		if (h->code == NULL)
		{
			safety_report_listed(&st, h);
			continue;
		}
		safety_report_hazard(&st, h);
		sf.hazards++;
		if (h->accepted)
			sf.accepted++;
	}
	free_step_state();
}

int
safety_step_run(const struct unit *u, bool up, struct db *db, struct step_failure *f)
{
	int rc;

	safety_begin(db, u, up);
	rc = step_run(up ? u->def->up : u->def->down, db, f);
	safety_end(rc == 0);
	return rc;
}

void
safety_observe_no_transaction(struct db *db, const struct unit *u, bool up)
{
	struct step_failure f;
	struct db_error err = {0};
	unit_step_fn fn = up ? u->def->up : u->def->down;

	if (sf.disabled || fn == NULL || sf.active)
		return;
	if (db_exec(db, "SAVEPOINT migrate_safety_unit; " STMT_SAVEPOINT, &err) != 0)
	{
		log_debug("could not set the safety savepoint: %s", err.message);
		db_error_clear(&err);
		return;
	}
	begin_step(db, u, up, true);
	if (sf.active && step_run(fn, db, &f) != 0)
	{
		log_debug("observing no-transaction unit %lld failed: %s", u->version,
				  f.err.message ? f.err.message : "");
		db_error_clear(&f.err);
		safety_end(false);
	}
	safety_end(true); /* nothing when the step failed or was not observed */
	if (db_exec(db,
				"ROLLBACK TO SAVEPOINT migrate_safety_unit; RELEASE SAVEPOINT migrate_safety_unit;",
				&err) != 0)
	{
		log_debug("could not roll back the safety savepoint: %s", err.message);
		db_error_clear(&err);
	}
}

int
safety_exit_code(int rc)
{
	if (rc == 0 && sf.hazards > sf.accepted)
		return 8;
	return rc;
}

int
safety_hazard_count(void)
{
	return sf.hazards;
}

int
safety_accepted_count(void)
{
	return sf.accepted;
}

const char *
safety_summary_json(void)
{
	static char out[96];

	if (!sf.observed)
		return "";
	snprintf(out, sizeof(out), "\"hazards\":%d,\"accepted_hazards\":%d", sf.hazards, sf.accepted);
	return out;
}
