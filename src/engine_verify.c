/*
 * engine_verify.c: verify's round trips (SPEC section 6 and 10).
 *
 * Everything happens in one transaction that holds the migration lock and
 * is always rolled back.  Each unit runs in savepoints:
 *
 *   SAVEPOINT up; catalog mark; up step;
 *     SAVEPOINT down; down step; catalog mark [; scan]; ROLLBACK TO down;
 *   RELEASE up                         -- the unit stays applied
 *
 * so the reference state of unit k is what the ups of the units before it
 * built, and the up step runs once.  The two catalog marks usually prove
 * that the down step left every catalog row as it was (catalog_mark.c),
 * and the unit is reversible without describing the schema.  When they
 * cannot, the exact path decides: describe the schema after the down
 * step, ROLLBACK TO up, describe it as it was before, compare, and run the
 * up step again (unobserved: its hazards were reported the first time) so
 * that the unit stays applied.  Without a usable mark (track_counts off)
 * the schema is described before the up step and after the down step.
 *
 * With --all the transaction first empties the database
 * (wipe_sql_format), so that this holds from unit 1 on whatever the
 * database held: no down step of an earlier run, with its leftovers, ever
 * builds the reference state.  A guard (guard_sql) makes any COMMIT of
 * the transaction fail, so that a unit that commits cannot make any of
 * this permanent.
 */
#include "engine_verify.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "catalog_mark.h"
#include "engine_internal.h"
#include "exitcode.h"
#include "interrupt.h"
#include "log.h"
#include "plan.h"
#include "report.h"
#include "vertext.h"
#include "safety.h"
#include "safety_window.h"
#include "schema_diff.h"
#include "step.h"

/* At most this many "-"/"+" lines of a broken unit's difference. */
#define VERIFY_DIFF_LINES 12

/*
 * Empties the database as a new one is, as far as the runner's role may:
 * drops every user schema whose owner it is a member of (public is made
 * again with its owner, privileges and comment), in the other user
 * schemas the relations, routines and types it owns, and the extensions
 * it owns but plpgsql.  What others own and it cannot drop stays, as it
 * would be there for a real run.  The commands are listed before the
 * first one runs, since each DROP ... CASCADE may take others with it
 * (hence IF EXISTS).  Notices ("drop cascades to ...") are silenced and
 * the setting restored.  Schema-qualified, so that neither the session's
 * search_path nor a unit's objects can change what it calls.
 */
#define WIPE_USER_SCHEMA                                     \
	"n.nspname NOT IN ('pg_catalog', 'information_schema') " \
	"AND pg_catalog.left(n.nspname, 8) <> 'pg_toast' "       \
	"AND pg_catalog.left(n.nspname, 7) <> 'pg_temp'"
#define WIPE_OWNED_ELSEWHERE(owner)                         \
	" AND NOT pg_catalog.pg_has_role(n.nspowner, 'MEMBER')" \
	" AND pg_catalog.pg_has_role(" owner ", 'MEMBER')"
#define WIPE_NOT_PART(catalog, oid)                                                     \
	" AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d WHERE d.classid = '" catalog \
	"'::pg_catalog.regclass AND d.objid = " oid " AND d.deptype IN ('e', 'i', 'a'))"
#define WIPE_RELATIONS                                                                     \
	"SELECT 1 AS o, pg_catalog.format('DROP %s IF EXISTS %I.%I CASCADE', "                 \
	"CASE c.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' "               \
	"WHEN 'S' THEN 'SEQUENCE' WHEN 'f' THEN 'FOREIGN TABLE' ELSE 'TABLE' END, "            \
	"n.nspname, c.relname) AS c "                                                          \
	"FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace " \
	"WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f') AND " WIPE_USER_SCHEMA              \
		WIPE_OWNED_ELSEWHERE("c.relowner") WIPE_NOT_PART("pg_class", "c.oid")
#define WIPE_ROUTINES                                                                     \
	"SELECT 2, pg_catalog.format('DROP ROUTINE IF EXISTS %I.%I(%s) CASCADE', n.nspname, " \
	"p.proname, pg_catalog.pg_get_function_identity_arguments(p.oid)) "                   \
	"FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace " \
	"WHERE " WIPE_USER_SCHEMA WIPE_OWNED_ELSEWHERE("p.proowner") WIPE_NOT_PART("pg_proc", "p.oid")
#define WIPE_TYPES                                                                        \
	"SELECT 3, pg_catalog.format('DROP %s IF EXISTS %I.%I CASCADE', "                     \
	"CASE t.typtype WHEN 'd' THEN 'DOMAIN' ELSE 'TYPE' END, n.nspname, t.typname) "       \
	"FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace " \
	"WHERE t.typtype IN ('c', 'd', 'e', 'r') AND (t.typtype <> 'c' OR (SELECT c.relkind " \
	"FROM pg_catalog.pg_class c WHERE c.oid = t.typrelid) = 'c') AND " WIPE_USER_SCHEMA   \
		WIPE_OWNED_ELSEWHERE("t.typowner") WIPE_NOT_PART("pg_type", "t.oid")
#define WIPE_SCHEMAS                                                              \
	"SELECT 4, pg_catalog.format('DROP SCHEMA IF EXISTS %I CASCADE', n.nspname) " \
	"FROM pg_catalog.pg_namespace n WHERE " WIPE_USER_SCHEMA                      \
	" AND pg_catalog.pg_has_role(n.nspowner, 'MEMBER')"
#define WIPE_EXTENSIONS                                                              \
	"SELECT 5, pg_catalog.format('DROP EXTENSION IF EXISTS %I CASCADE', x.extname) " \
	"FROM pg_catalog.pg_extension x "                                                \
	"WHERE x.extname <> 'plpgsql' AND pg_catalog.pg_has_role(x.extowner, 'MEMBER')"
static const char wipe_list_sql[] =
	WIPE_RELATIONS " UNION ALL " WIPE_ROUTINES " UNION ALL " WIPE_TYPES " UNION ALL " WIPE_SCHEMAS
				   " UNION ALL " WIPE_EXTENSIONS;

/* The DO block; %s is wipe_list_sql, a query of (o, c): DROP commands c in order o. */
static const char wipe_sql_format[] =
	"DO $migrate_verify$\n"
	"DECLARE\n"
	"  pub record;\n"
	"  r record;\n"
	"  cmd text;\n"
	"  cmds text[];\n"
	"  msgs text := pg_catalog.current_setting('client_min_messages');\n"
	"BEGIN\n"
	"  PERFORM pg_catalog.set_config('client_min_messages', 'warning', true);\n"
	"  SELECT n.nspowner::pg_catalog.regrole::text AS owner, n.nspacl AS acl,\n"
	"         pg_catalog.obj_description(n.oid, 'pg_namespace') AS note,\n"
	"         pg_catalog.pg_has_role(n.nspowner, 'MEMBER') AS mine\n"
	"    INTO pub FROM pg_catalog.pg_namespace n WHERE n.nspname = 'public';\n"
	"  SELECT pg_catalog.array_agg(x.c ORDER BY x.o) INTO cmds FROM (%s) x;\n"
	"  FOREACH cmd IN ARRAY COALESCE(cmds, '{}') LOOP\n"
	"    EXECUTE cmd;\n"
	"  END LOOP;\n"
	"  IF pub.mine THEN\n"
	"    EXECUTE pg_catalog.format('CREATE SCHEMA public AUTHORIZATION %%s', pub.owner);\n"
	"    FOR r IN SELECT a.privilege_type, a.is_grantable,\n"
	"        CASE WHEN a.grantee = 0 THEN 'PUBLIC'\n"
	"          ELSE a.grantee::pg_catalog.regrole::text END AS grantee\n"
	"        FROM pg_catalog.aclexplode(pub.acl) a LOOP\n"
	"      EXECUTE pg_catalog.format('GRANT %%s ON SCHEMA public TO %%s%%s', r.privilege_type,\n"
	"        r.grantee, CASE WHEN r.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END);\n"
	"    END LOOP;\n"
	"    IF pub.note IS NOT NULL THEN\n"
	"      EXECUTE pg_catalog.format('COMMENT ON SCHEMA public IS %%L', pub.note);\n"
	"    END IF;\n"
	"  END IF;\n"
	"  PERFORM pg_catalog.set_config('client_min_messages', msgs, true);\n"
	"END\n"
	"$migrate_verify$;\n";

/*
 * Makes every COMMIT of verify's transaction fail: a deferred constraint
 * trigger on a temporary table raises when the transaction commits, so a
 * unit that sends COMMIT (through EXECUTE IMMEDIATE) gets this error and
 * the whole transaction, --all's emptied database included, is rolled
 * back.  pg_temp objects are outside the fingerprint and go with the
 * rollback.
 */
#define VERIFY_GUARD_TEXT "verify never commits"
static const char guard_sql[] =
	"CREATE TEMPORARY TABLE migrate_verify_guard (x integer);\n"
	"CREATE FUNCTION pg_temp.migrate_verify_guard() RETURNS trigger LANGUAGE plpgsql AS\n"
	"$migrate_verify$BEGIN RAISE EXCEPTION '" VERIFY_GUARD_TEXT
	": a step ended the transaction that verify always rolls back' "
	"USING ERRCODE = '2D000'; END$migrate_verify$;\n"
	"CREATE CONSTRAINT TRIGGER migrate_verify_guard AFTER INSERT ON pg_temp.migrate_verify_guard\n"
	"  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW\n"
	"  EXECUTE FUNCTION pg_temp.migrate_verify_guard();\n"
	"INSERT INTO pg_temp.migrate_verify_guard VALUES (1);\n" CATALOG_MARK_TABLE_SQL;

/*
 * SQLSTATEs of a step that fails only because verify runs the units' steps
 * in one transaction, where a real run commits after each step:
 * 55P04  a new enum value used in the transaction that added it;
 * 55006  an object in use by this very transaction, such as a table with
 *        pending (deferred) trigger events from the up step.
 * 25001 is not one: a transactional unit's steps run in a transaction in
 * real runs too, so a step that cannot is broken there as well.
 */
static bool
untestable_sqlstate(const char *sqlstate)
{
	return strcmp(sqlstate, "55P04") == 0 || strcmp(sqlstate, "55006") == 0;
}

const char *
verify_verdict_name(enum verify_verdict v)
{
	switch (v)
	{
		case VERIFY_REVERSIBLE:
			return "reversible";
		case VERIFY_IRREVERSIBLE:
			return "irreversible";
		case VERIFY_SKIPPED:
			return "skipped";
		case VERIFY_BROKEN:
			return "broken";
		case VERIFY_UNTESTABLE:
			return "untestable";
		case VERIFY_FAILED:
			return "failed";
	}
	return "unknown";
}

/* Runs sql in the verify transaction; 0, or the exit code after reporting. */
static int
exec_sql(struct engine *e, const char *sql, const char *what)
{
	struct db_error err = {0};
	int rc = 0;

	if (db_exec(e->db, sql, &err) != 0)
		rc = engine_report_db_failure(e, what, &err);
	db_error_clear(&err);
	return rc;
}

/*
 * The savepoint a unit's round trip starts with, sent in one round trip
 * with the catalog mark (when mark is not NULL) and the relation listing
 * the safety report needs before the run's first observed step (SPEC 11:
 * at most one extra round trip per statement).  A mark or listing that
 * fails is undone: the mark is then unusable (mark->ok false), and the
 * step lists the relations itself.  Returns 0, or the exit code after
 * reporting.
 */
/* The catalog mark's statement: the run's catalogs by oid once a mark has listed them. */
static const char *
mark_sql(const struct engine *e)
{
	return e->mark_sql != NULL ? e->mark_sql : catalog_mark_sql;
}

static int
savepoint_up(struct engine *e, struct catalog_mark *mark)
{
	const char *listing = safety_listing_sql();
	PGresult *res[SAFETY_LISTING_RESULTS + 2];
	int first = mark != NULL ? 2 : 1; /* the listing's first result */
	struct db_error err = {0};
	struct buf sql;
	bool set;
	int n = 0;
	int i;
	int rc;

	if (listing[0] == '\0' && mark == NULL)
		return exec_sql(e, "SAVEPOINT migrate_verify_up", "verify");
	buf_init(&sql);
	buf_printf(&sql, "SAVEPOINT migrate_verify_up;%s%s", mark != NULL ? mark_sql(e) : "", listing);
	rc = db_batch(e->db, sql.data, res, SAFETY_LISTING_RESULTS + 2, &n, &err);
	buf_free(&sql);
	if (mark != NULL && n >= 2 && catalog_mark_read(mark, res[1]) && e->mark_sql == NULL)
		e->mark_sql = catalog_mark_sql_for(mark);
	if (rc == 0 && listing[0] != '\0')
		safety_take_listing(res + first, n - first);
	set = n >= 1 && PQresultStatus(res[0]) == PGRES_COMMAND_OK;
	for (i = 0; i < n; i++)
		PQclear(res[i]);
	if (rc == 0)
		return 0;
	if (set && !db_error_is_connection(&err) && interrupt_pending() == 0)
	{
		log_debug("%s failed (%s); the step goes on without it",
				  n < first ? "the catalog mark" : "the relation listing", err.message);
		db_error_clear(&err);
		return exec_sql(e,
						n < first ? "ROLLBACK TO SAVEPOINT migrate_verify_up"
								  : "ROLLBACK TO SAVEPOINT migrate_safety_obs; "
									"RELEASE SAVEPOINT migrate_safety_obs;",
						"verify");
	}
	rc = engine_report_db_failure(e, "verify", &err);
	db_error_clear(&err);
	return rc;
}

/*
 * The one place where verify runs a unit's step, inside the verify
 * transaction: whatever observes a step during verify (the safety report
 * of SPEC 11) wraps this call.  Returns 0, or -1 with *f filled (release
 * with db_error_clear(&f->err)).
 */
static int
run_step(struct engine *e, const struct unit *u, bool up, struct step_failure *f)
{
	return safety_step_run(u, up, e->db, f);
}

/*
 * After a failed step: when the step ended verify's transaction (a COMMIT,
 * which the guard turned into an error and a rollback), verify cannot go
 * on.  Returns 0 while the transaction is open, else 1 after reporting
 * (130 or 143 when a signal cancelled the step).
 */
static int
check_transaction(struct engine *e, const struct unit *u, const struct step_failure *f)
{
	char label[256];
	char vt[VERTEXT_SIZE];
	char msg[512];

	/* a SIGINT or SIGTERM cancelled the step: stop, as apply does */
	if (interrupt_pending() != 0)
		return engine_check_interrupt(e);
	if (db_in_transaction(e->db))
		return 0;
	snprintf(label, sizeof(label), "%s_%s", vertext(u->version, vt), u->name);
	snprintf(msg, sizeof(msg),
			 "unit %s ended verify's transaction; verify stopped and nothing was changed", label);
	report_error(EXIT_UNIT_FAILED, msg, &f->err, label, f->file ? f->file : u->file, f->line);
	return EXIT_UNIT_FAILED;
}

/* Describes a failed step into *why; returns its verdict. */
static enum verify_verdict
judge_failure(const struct unit *u, bool up, const struct step_failure *f, struct buf *why)
{
	const char *step = up ? "up" : "down";
	bool untestable = untestable_sqlstate(f->err.sqlstate);

	if (untestable)
		buf_printf(why,
				   "the %s step failed only because verify runs it in the same transaction "
				   "as the steps before it: ",
				   step);
	else
		buf_printf(why, "the %s step failed: ", step);
	buf_append(why, f->err.message ? f->err.message : "unknown error");
	if (f->err.sqlstate[0])
		buf_printf(why, " (SQLSTATE %s)", f->err.sqlstate);
	buf_printf(why, ", at %s:%d", f->file ? f->file : u->file, f->line);
	if (untestable)
	{
		buf_printf(why,
				   "; in a real %s each step commits first, so test it with \"migrate up\" "
				   "and \"migrate down\" on a copy",
				   step);
		return VERIFY_UNTESTABLE;
	}
	return up ? VERIFY_FAILED : VERIFY_BROKEN;
}

/* Sets the verdict from the schema's canonical text before and after. */
static void
judge_schema(const struct buf *before, const struct buf *after, struct verify_result *r,
			 struct buf *why, struct buf *diff)
{
	r->ndiff = schema_diff(before->data, after->data, VERIFY_DIFF_LINES, diff);
	r->verdict = r->ndiff > 0 ? VERIFY_BROKEN : VERIFY_REVERSIBLE;
	if (r->ndiff > 0)
		buf_printf(why,
				   "the down step did not restore the schema: %zu line%s of the "
				   "canonical text differ%s (- lost, + left over)",
				   r->ndiff, r->ndiff == 1 ? "" : "s", r->ndiff == 1 ? "s" : "");
}

/*
 * Runs sql, one statement, in a savepoint of its own and hands its result
 * to *res (PQclear it).  A failure other than a lost connection or a
 * signal is undone and leaves *res NULL: the caller then takes the exact
 * path.  Returns 0, or the exit code after reporting.
 */
static int
guarded_query(struct engine *e, const char *sql, PGresult **res)
{
	struct db_error err = {0};
	bool undone;
	int n = 0;
	int rc;

	*res = NULL;
	rc = db_batch_guarded(e->db, "migrate_verify_mark", sql, NULL, res, 1, &n, &undone, &err);
	if (rc == 0 && n == 1)
		return 0;
	if (rc == 0 || (undone && interrupt_pending() == 0))
	{
		log_debug("the catalog check failed (%s); the schema is described",
				  err.message ? err.message : "no result");
		db_error_clear(&err);
		return 0;
	}
	rc = engine_report_db_failure(e, "verify", &err);
	db_error_clear(&err);
	return rc;
}

/*
 * After the down step: takes the second catalog mark and, when the
 * counters leave it open, scans the catalogs that changed.  Sets *same
 * when the catalogs are proven as they were at *mark (catalog_mark.c);
 * anything less leaves it false.  Returns 0, or the exit code after
 * reporting.
 */
static int
catalog_check(struct engine *e, const struct catalog_mark *mark, bool *same)
{
	struct catalog_mark after;
	struct buf written;
	struct buf scan;
	PGresult *res;
	bool known;
	int rc;

	*same = false;
	catalog_mark_init(&after);
	buf_init(&written);
	buf_init(&scan);
	known = safety_written(&written);
	rc = guarded_query(e, mark_sql(e), &res);
	if (rc == 0 && res != NULL && catalog_mark_read(&after, res))
	{
		switch (catalog_mark_compare(mark, &after, known ? written.data : NULL, &scan))
		{
			case CATALOG_UNCHANGED:
				*same = true;
				break;
			case CATALOG_SCAN:
				PQclear(res);
				rc = guarded_query(e, scan.data, &res);
				*same = rc == 0 && res != NULL && PQresultStatus(res) == PGRES_TUPLES_OK &&
						PQntuples(res) == 1 && strcmp(PQgetvalue(res, 0, 0), "f") == 0;
				break;
			case CATALOG_IN_DOUBT:
				break;
		}
	}
	PQclear(res);
	buf_free(&written);
	buf_free(&scan);
	catalog_mark_free(&after);
	return rc;
}

/*
 * Applies u's up step again after the exact path rolled it back, so that
 * the units after it see it.  Its hazards were reported the first time
 * (safety_begin observes a step once per run).  Should the step that
 * passed on this very schema fail now, that failure is the verdict,
 * rather than verifying the units after it without it.  Returns 0 or the
 * exit code after reporting.
 */
static int
apply_again(struct engine *e, const struct unit *u, struct verify_result *r, struct buf *why,
			struct buf *diff)
{
	struct step_failure f;
	int rc;

	if (run_step(e, u, true, &f) == 0)
		return 0;
	buf_reset(why);
	buf_reset(diff);
	r->ndiff = 0;
	r->verdict = judge_failure(u, true, &f, why);
	rc = check_transaction(e, u, &f);
	db_error_clear(&f.err);
	if (rc == 0)
		rc = exec_sql(e, "ROLLBACK TO SAVEPOINT migrate_verify_up", "verify");
	return rc;
}

/*
 * The exact path when the catalog marks could not prove the down step
 * exact: describes the schema after the down step, rolls back to before
 * the up step (migrate_verify_down goes with it) and describes it there,
 * compares, and applies the up step again.  Returns 0 or the exit code
 * after reporting.
 */
static int
exact_path(struct engine *e, const struct unit *u, struct verify_result *r, struct buf *why,
		   struct buf *diff)
{
	struct buf before;
	struct buf after;
	char hex[65];
	int rc;

	buf_init(&before);
	buf_init(&after);
	rc = engine_fingerprint(e, hex, &after);
	if (rc == 0)
		rc = exec_sql(e, "ROLLBACK TO SAVEPOINT migrate_verify_up", "verify");
	if (rc == 0)
		rc = engine_fingerprint(e, hex, &before);
	if (rc == 0)
	{
		judge_schema(&before, &after, r, why, diff);
		rc = apply_again(e, u, r, why, diff);
	}
	buf_free(&before);
	buf_free(&after);
	return rc;
}

/*
 * The down half, in savepoint migrate_verify_down: runs the down step and
 * judges what it left, against mark when it is usable, else against the
 * text *before.  Sets *rolled_back when the exact path rolled back to
 * migrate_verify_up (and so past migrate_verify_down).  Returns 0 or the
 * exit code after reporting.
 */
static int
down_half(struct engine *e, const struct unit *u, const struct catalog_mark *mark,
		  const struct buf *before, struct verify_result *r, struct buf *why, struct buf *diff,
		  bool *rolled_back)
{
	struct step_failure f;
	struct buf after;
	char vt[VERTEXT_SIZE];
	char hex[65];
	bool same;
	int rc;

	if (run_step(e, u, false, &f) != 0)
	{
		r->verdict = judge_failure(u, false, &f, why);
		rc = check_transaction(e, u, &f);
		db_error_clear(&f.err);
		return rc;
	}
	if (mark->ok)
	{
		rc = catalog_check(e, mark, &same);
		if (rc != 0)
			return rc;
		log_debug("%s_%s: %s", vertext(u->version, vt), u->name,
				  same ? "the catalog marks prove the down step exact"
					   : "the catalog marks leave it open: describing the schema");
		if (same)
		{
			r->verdict = VERIFY_REVERSIBLE;
			return 0;
		}
		*rolled_back = true;
		return exact_path(e, u, r, why, diff);
	}
	buf_init(&after);
	rc = engine_fingerprint(e, hex, &after);
	if (rc == 0)
		judge_schema(before, &after, r, why, diff);
	buf_free(&after);
	return rc;
}

/*
 * Runs one transactional unit's round trip and leaves it applied when its
 * up step succeeded.  Fills *r; returns 0 or a runner failure's exit code.
 */
static int
round_trip(struct engine *e, const struct unit *u, struct verify_result *r, struct buf *why,
		   struct buf *diff)
{
	const char *release = "RELEASE SAVEPOINT migrate_verify_up";
	bool reversible = unit_def_reversible(u->def);
	bool rolled_back = false;
	struct catalog_mark mark;
	struct safety_window window;
	struct step_failure f;
	struct buf before;
	char vt[VERTEXT_SIZE];
	char hex[65];
	int rc;

	buf_init(&before);
	catalog_mark_init(&mark);
	/* an irreversible unit's round trip ends after its up step: no mark */
	rc = savepoint_up(e, reversible ? &mark : NULL);
	if (safety_window_from_mark(&window, &mark))
		safety_set_window(&window);
	if (rc == 0 && reversible && !mark.ok)
	{
		log_debug("%s_%s: no catalog mark (track_counts off?): describing the schema",
				  vertext(u->version, vt), u->name);
		rc = engine_fingerprint(e, hex, &before);
	}
	if (rc == 0 && run_step(e, u, true, &f) != 0)
	{
		r->verdict = judge_failure(u, true, &f, why);
		rc = check_transaction(e, u, &f);
		db_error_clear(&f.err);
		if (rc == 0)
			rc = exec_sql(e, "ROLLBACK TO SAVEPOINT migrate_verify_up", "verify");
	}
	else if (rc == 0 && !reversible)
		r->verdict = VERIFY_IRREVERSIBLE;
	else if (rc == 0)
	{
		rc = exec_sql(e, "SAVEPOINT migrate_verify_down", "verify");
		if (rc == 0)
			rc = down_half(e, u, &mark, &before, r, why, diff, &rolled_back);
		/* back to after the up step, the unit staying applied, in the same round trip */
		if (!rolled_back)
			release = "ROLLBACK TO SAVEPOINT migrate_verify_down; "
					  "RELEASE SAVEPOINT migrate_verify_down; "
					  "RELEASE SAVEPOINT migrate_verify_up";
	}
	if (rc == 0)
		rc = exec_sql(e, release, "verify");
	safety_set_window(NULL);
	catalog_mark_free(&mark);
	buf_free(&before);
	return rc;
}

/* Verifies one unit and reports its verdict; 0 or an exit code. */
static int
verify_unit(struct engine *e, const struct unit *u, verify_report_fn report, void *arg)
{
	struct verify_result r = {.unit = u, .verdict = VERIFY_SKIPPED};
	struct buf why;
	struct buf diff;
	int rc = 0;

	buf_init(&why);
	buf_init(&diff);
	/* a no-transaction step cannot run in verify's transaction */
	if (unit_def_transactional(u->def))
		rc = round_trip(e, u, &r, &why, &diff);
	else
		safety_observe_no_transaction(e->db, u, true);
	if (rc == 0)
	{
		r.reason = why.len ? why.data : NULL;
		r.diff = diff.len ? diff.data : NULL;
		report(&r, arg);
	}
	buf_free(&why);
	buf_free(&diff);
	return rc;
}

/* Empties the database for --all and makes the history table again. */
static int
wipe(struct engine *e)
{
	struct buf sql;
	int rc;

	buf_init(&sql);
	buf_printf(&sql, wipe_sql_format, wipe_list_sql);
	if (strcmp(e->ht.schema, "\"public\"") != 0)
		buf_printf(&sql, "CREATE SCHEMA IF NOT EXISTS %s;\n", e->ht.schema);
	history_sql_create(&sql, &e->ht);
	rc = exec_sql(e, sql.data, "verify --all: emptying the database inside the transaction");
	buf_free(&sql);
	return rc;
}

int
engine_verify(struct engine *e, bool all, verify_report_fn report, void *arg)
{
	struct history h = {0};
	struct plan_status st = {0};
	size_t i;
	int rc;

	rc = engine_begin_locked(e, &h);
	if (rc != 0)
		return rc;
	plan_status_build(registry_units, registry_count, &h, &st);
	rc = exec_sql(e, guard_sql, "verify: guarding the transaction against a commit");
	if (rc == 0 && all)
		rc = wipe(e);
	for (i = 0; rc == 0 && i < st.n; i++)
	{
		const struct plan_entry *p = &st.entries[i];

		if (p->unit != NULL && (all || p->state == UNIT_PENDING || p->state == UNIT_OUT_OF_ORDER))
			rc = verify_unit(e, p->unit, report, arg);
	}
	/* verify never changes anything */
	engine_rollback_then(e->db, safety_release_sql());
	plan_status_free(&st);
	history_free(&h);
	return rc;
}
