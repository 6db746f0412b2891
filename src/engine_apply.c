/*
 * engine_apply.c: running units up and down inside the transactions that
 * engine.c opens, writing their history rows and the run's fingerprint.
 *
 * A plain-SQL unit that runs in its own transaction costs one round trip
 * (sql_batch.h): its statements, its history row, COMMIT and the next
 * unit's opening go in one message.  The run's last unit sends its
 * statements alone, since the fingerprint has to follow them; dry runs,
 * verify, --single-transaction and no-transaction units send statements
 * one at a time, as .pgc units do.
 */
#include "engine.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "engine_internal.h"
#include "exitcode.h"
#include "interrupt.h"
#include "log.h"
#include "registry.h"
#include "report.h"
#include "safety.h"
#include "sql_batch.h"
#include "step.h"
#include "stmt_hook.h"
#include "unitname.h"

enum direction
{
	DIR_UP,
	DIR_DOWN
};

static const char *
dir_name(enum direction d)
{
	return d == DIR_UP ? "up" : "down";
}

static bool
no_transaction(const struct unit *u)
{
	return !unit_def_transactional(u->def);
}

/*
 * Reports a step that a SIGINT or SIGTERM cut short (its statement
 * cancelled on the server, or the step stopped between statements);
 * returns 130 or 143.
 */
static int
report_step_interrupted(const struct unit *u, enum direction d, const struct step_failure *f,
						bool rolled_back)
{
	int signo = interrupt_pending();
	char msg[512];
	char unit_label[256];
	char vt[UNITNAME_VERSION_TEXT_SIZE];

	snprintf(unit_label, sizeof(unit_label), "%s_%s",
			 unitname_version_text(u->file, u->version, vt), u->name);
	if (rolled_back)
		snprintf(msg, sizeof(msg),
				 "interrupted (%s) during unit %s (%s step): its statement was cancelled and the "
				 "unit rolled back",
				 interrupt_signal_name(signo), unit_label, dir_name(d));
	else
		snprintf(msg, sizeof(msg),
				 "interrupted (%s) during no-transaction unit %s (%s step): its statement was "
				 "cancelled; statements before it stay, and its history row stays 'running' until "
				 "you check, undo what it left and run \"migrate repair\"",
				 interrupt_signal_name(signo), unit_label, dir_name(d));
	report_error(128 + signo, msg, NULL, unit_label, f->file ? f->file : u->file, f->line);
	return 128 + signo;
}

/* Reports a failed step; returns the exit code. */
static int
report_step_failure(struct engine *e, const struct unit *u, enum direction d,
					struct step_failure *f, bool rolled_back)
{
	char msg[512];
	char unit_label[256];
	char vt[UNITNAME_VERSION_TEXT_SIZE];
	int code = EXIT_UNIT_FAILED;

	snprintf(unit_label, sizeof(unit_label), "%s_%s",
			 unitname_version_text(u->file, u->version, vt), u->name);
	if (interrupt_pending() != 0)
		return report_step_interrupted(u, d, f, rolled_back);
	if (strcmp(f->err.sqlstate, "55P03") == 0)
		code = EXIT_LOCK;
	else if (db_error_is_connection(&f->err))
		code = EXIT_CONNECT;
	if (code == 4)
		snprintf(msg, sizeof(msg),
				 "unit %s (%s) did not get a table lock within lock_timeout after %d retries; it "
				 "was rolled back",
				 unit_label, dir_name(d), e->cfg->lock_retries);
	else if (code == 5)
		snprintf(msg, sizeof(msg),
				 "lost the connection during unit %s (%s); the server rolled back its transaction",
				 unit_label, dir_name(d));
	else if (rolled_back)
		snprintf(msg, sizeof(msg), "unit %s failed (%s step); it was rolled back", unit_label,
				 dir_name(d));
	else
		snprintf(msg, sizeof(msg),
				 "no-transaction unit %s failed (%s step); statements before the failing one stay, "
				 "and its history row stays 'running' until you check, undo what it left (an "
				 "INVALID index, say) and run \"migrate repair\"",
				 unit_label, dir_name(d));
	report_error(code, msg, &f->err, unit_label, f->file ? f->file : u->file, f->line);
	return code;
}

/*
 * report_error with a hint, on stderr and in the JSON error object; unit
 * and file may be NULL.
 */
static void
report_with_hint(int code, const char *msg, const char *hint, const char *unit, const char *file)
{
	struct db_error h = {0};

	/* a db_error without a message carries only the hint into JSON */
	h.hint = (char *) hint;
	report_error(code, msg, &h, unit, file, 0);
	log_hint("%s", hint);
}

/*
 * Reports a unit that ended the runner's transaction itself; what ran
 * before that (in together mode: earlier units too) is committed without
 * a history row.  Returns 1.
 */
static int
report_txn_ended(const struct unit *u, enum direction d, bool together)
{
	char msg[512];
	char hint[256];
	char unit_label[256];
	char vt[UNITNAME_VERSION_TEXT_SIZE];

	snprintf(unit_label, sizeof(unit_label), "%s_%s",
			 unitname_version_text(u->file, u->version, vt), u->name);
	snprintf(msg, sizeof(msg),
			 "unit %s ended the runner's transaction itself (%s step; a COMMIT or ROLLBACK through "
			 "EXECUTE IMMEDIATE?): "
			 "what ran before that%s is committed without a history row, the rest was rolled back",
			 unit_label, dir_name(d),
			 together ? " in the transaction, earlier units' steps included," : "");
	snprintf(hint, sizeof(hint),
			 "remove the COMMIT from the unit, undo by hand what it committed, then run \"migrate "
			 "%s\" again",
			 dir_name(d));
	report_with_hint(EXIT_UNIT_FAILED, msg, hint, unit_label, u->file);
	return EXIT_UNIT_FAILED;
}

int
engine_report_refusal(const struct plan_status *st, const char *cmd, const char *why,
					  const char *extra_hint)
{
	struct buf msg;
	struct buf hint;
	bool modified = false;
	bool dead = false;
	size_t i;

	for (i = 0; i < st->n; i++)
	{
		modified |= st->entries[i].state == UNIT_MODIFIED;
		dead |= st->entries[i].state == UNIT_RUNNING && !st->entries[i].row->owner_alive;
	}
	buf_init(&hint);
	if (modified)
		buf_append(&hint,
				   "if the unit files were changed on purpose, run \"migrate repair\" to store "
				   "this binary's checksums; otherwise build from the files as they were applied");
	if (dead)
		buf_printf(&hint,
				   "%sa no-transaction unit's runner died midway: check what it left (an INVALID "
				   "index, say), undo it, then run \"migrate repair\" so that the unit runs again",
				   hint.len ? "; " : "");
	if (extra_hint != NULL)
		buf_printf(&hint, "%s%s", hint.len ? "; " : "", extra_hint);
	if (hint.len == 0)
		buf_append(&hint, "nothing was changed; see \"migrate status\"");
	buf_init(&msg);
	if (strcmp(cmd, "redo") == 0)
		buf_printf(&msg, "refusing to redo: %s", why);
	else
		buf_printf(&msg, "refusing to run %s: %s", cmd, why);
	report_with_hint(EXIT_INTEGRITY, msg.data, hint.data, NULL, NULL);
	buf_free(&msg);
	buf_free(&hint);
	return EXIT_INTEGRITY;
}

/* Computes the fingerprint if this is the run's last unit; "" otherwise. */
static int
maybe_fingerprint(struct engine *e, bool last, char hex[65])
{
	hex[0] = '\0';
	if (!last)
		return 0;
	return engine_fingerprint_record(e, hex);
}

/* "committing unit 0005_name (up step) with its history row", for messages. */
static void
unit_label_what(char *out, size_t size, const struct unit *u, enum direction d)
{
	char vt[UNITNAME_VERSION_TEXT_SIZE];

	snprintf(out, size, "committing unit %s_%s (%s step) with its history row",
			 unitname_version_text(u->file, u->version, vt), u->name, dir_name(d));
}

/*
 * Appends the check that the unit's transaction is still the runner's and
 * the unit's history change (hex: the fingerprint, or "").
 */
static void
sql_record(struct engine *e, struct buf *sql, const struct unit *u, enum direction d, long duration,
		   bool last, const char *hex)
{
	/*
	 * Only the run's last commit waits for the disk: it flushes the WAL of
	 * every commit before it.  A unit and its row commit together, so a
	 * crash can only lose whole units, which the next run applies again.
	 */
	buf_printf(sql, "%s%s;\n", ENGINE_TXN_CHECK_SQL,
			   last ? "" : ", pg_catalog.set_config('synchronous_commit', 'off', true)");
	if (d == DIR_UP)
		history_sql_insert(sql, e->db, &e->ht, u->version, u->name, u->checksum, "applied",
						   (int) duration, hex[0] ? hex : NULL, NULL);
	else
		history_sql_delete(sql, &e->ht, u->version);
}

/*
 * Writes the unit's history change and commits, in one round trip; with a
 * next unit, the same round trip opens its transaction (*next says how).
 */
static int
finish_unit(struct engine *e, const struct unit *u, enum direction d, long duration, bool last,
			const struct unit *next_unit, enum opened *next)
{
	char hex[65];
	char what[320];
	struct buf sql;
	bool ended = false;
	int rc;

	*next = OPENED_NOT;
	rc = maybe_fingerprint(e, last, hex);
	if (rc != 0)
	{
		engine_rollback(e->db);
		return rc;
	}
	unit_label_what(what, sizeof(what), u, d);
	buf_init(&sql);
	sql_record(e, &sql, u, d, duration, last, hex);
	/* the newest row carries the run's fingerprint, even out of order */
	if (last)
		engine_sql_store_hash(e, &sql, hex);
	if (next_unit != NULL)
		rc = engine_commit_and_open(e, &sql, what, &ended, next_unit->version, next);
	else
		rc = engine_commit_batch(e, &sql, what, &ended);
	buf_free(&sql);
	if (ended)
		return report_txn_ended(u, d, false);
	if (rc != 0)
		return rc;
	e->unflushed = !last;
	return 0;
}

/*
 * Makes the run's earlier commits durable when its last transaction was
 * not a synchronous commit (a failure, a skipped last unit).  A commit
 * waits for the disk only when its transaction wrote WAL, so this one
 * rewrites the newest history row as it is; flushing its commit record
 * flushes every record before it.
 */
static void
flush_commits(struct engine *e)
{
	struct db_error err = {0};
	struct buf sql;

	if (!e->unflushed || PQstatus(e->db->conn) != CONNECTION_OK || db_in_transaction(e->db))
		return;
	buf_init(&sql);
	buf_printf(&sql,
			   "UPDATE %s SET duration_ms = duration_ms "
			   "WHERE version = (SELECT pg_catalog.max(version) FROM %s);",
			   e->ht.qualified, e->ht.qualified);
	if (db_exec(e->db, sql.data, &err) != 0)
		log_debug("could not flush the run's commits: %s", err.message);
	buf_free(&sql);
	db_error_clear(&err);
	e->unflushed = false;
}

#define STEP_FAILED (-1) /* *f says why */
#define STEP_ENDED_TXN (-2) /* the unit ended the runner's transaction */

/*
 * Runs one transactional step in the open transaction.  Returns 0,
 * STEP_FAILED with *f filled, or STEP_ENDED_TXN when the session is no
 * longer in a transaction (a later check, ENGINE_TXN_CHECK_SQL, catches
 * the case where ecpglib opened a new one).
 */
static int
run_step(struct engine *e, const struct unit *u, enum direction d, long *duration,
		 struct step_failure *f)
{
	long t0 = engine_now_ms();
	int rc;

	rc = step_run(d == DIR_UP ? u->def->up : u->def->down, e->db, f);
	*duration = engine_now_ms() - t0;
	if (rc != 0)
		return STEP_FAILED;
	if (interrupt_pending() != 0)
	{
		/* the signal came between statements: the unit is not committed */
		db_error_from_text(&f->err, "57014", "interrupted");
		return STEP_FAILED;
	}
	if (!db_in_transaction(e->db))
		return STEP_ENDED_TXN;
	return 0;
}

#define STEP_UNPARSED (-3) /* run the step's statements one at a time instead */

/*
 * Whether u's step d may go in one message with the runner's bookkeeping
 * (a plain-SQL unit in a transaction, not too big), and its statements.
 */
static bool
message_stmts(const struct unit *u, enum direction d, const struct unit_sql_stmt **stmts, size_t *n)
{
	const struct unit_sql_steps *s = u->def->sql;

	if (s == NULL || no_transaction(u))
		return false;
	*stmts = d == DIR_UP ? s->up : s->down;
	*n = d == DIR_UP ? s->n_up : s->n_down;
	return sql_batch_fits(*stmts, *n);
}

/*
 * The bookkeeping that follows a plain-SQL step in its message: what
 * finish_unit sends for a unit that is not the run's last (no
 * fingerprint), then the opening of next_version's transaction, as
 * engine_commit_and_open does.  The history row cannot hold the duration
 * of a round trip that has not ended: it gets the server's time from the
 * message's arrival to the end of the unit's statements.
 */
static void
sql_message_tail(struct engine *e, struct buf *sql, const struct unit *u, enum direction d,
				 long long next_version)
{
	sql_record(e, sql, u, d, HISTORY_DURATION_OF_MESSAGE, false, "");
	buf_append(sql, "COMMIT;\n");
	engine_sql_open(e, sql, false, next_version);
}

/*
 * After a message with bookkeeping (a next unit) failed or broke: 0 with
 * *committed when its COMMIT went through (the next unit's opening did
 * not: the caller opens it again), else the exit code, reported.
 */
static int
settle_message_tail(struct engine *e, const struct unit *u, enum direction d, struct sql_batch *b,
					bool *committed)
{
	char what[320];

	engine_rollback(e->db);
	if (b->committed)
	{
		log_debug("opening the next transaction failed (%s); opening it again", b->err.message);
		*committed = true;
		e->unflushed = true;
		return 0;
	}
	if (b->status == SQL_BATCH_TAIL_FAILED && engine_txn_ended(&b->err))
		return report_txn_ended(u, d, false);
	unit_label_what(what, sizeof(what), u, d);
	if (b->status == SQL_BATCH_LOST && interrupt_pending() == 0)
		return engine_report_commit_lost(e, what, &b->err);
	return engine_report_db_failure(e, what, &b->err);
}

/*
 * Hands the step's "-- migrate:accept" lines to the safety observer, as
 * the step function's MIGRATE_ACCEPT calls would: outside an observed
 * run that only warns about a code it does not know.
 */
static void
accept_lines(const struct unit *u, enum direction d)
{
	const struct unit_sql_steps *s = u->def->sql;
	const struct unit_sql_accept *a = d == DIR_UP ? s->up_accepts : s->down_accepts;
	size_t n = d == DIR_UP ? s->n_up_accepts : s->n_down_accepts;
	size_t i;

	for (i = 0; i < n; i++)
		migrate_accept(s->file, a[i].line, a[i].code, a[i].relation);
}

/*
 * Runs a plain-SQL step in one message (sql_batch.h): its n statements
 * and, with a next unit, the bookkeeping finish_unit would send in its own
 * round trip: the unit's history row, COMMIT and the next unit's opening.
 * Returns 0, with *committed when the message committed the unit (*next
 * then says how the next unit's transaction opened) and without it when
 * finish_unit is still to run (the run's last unit); STEP_FAILED,
 * STEP_ENDED_TXN as run_step; STEP_UNPARSED when the server could not
 * parse the message (nothing of it ran; the transaction is aborted); or
 * an exit code, reported.  *duration is the time of the round trip.
 */
static int
run_step_message(struct engine *e, const struct unit *u, enum direction d,
				 const struct unit_sql_stmt *stmts, size_t n, const struct unit *next_unit,
				 long *duration, struct step_failure *f, bool *committed, enum opened *next)
{
	struct sql_batch b;
	struct buf tail;
	long t0 = engine_now_ms();
	int rc = 0;

	memset(f, 0, sizeof(*f));
	*committed = false;
	accept_lines(u, d);
	buf_init(&tail);
	if (next_unit != NULL)
		sql_message_tail(e, &tail, u, d, next_unit->version);
	sql_batch_run(e->db->conn, stmts, n, tail.data, &b);
	*duration = engine_now_ms() - t0;
	buf_free(&tail);
	switch (b.status)
	{
		case SQL_BATCH_OK:
			*committed = next_unit != NULL;
			if (*committed)
			{
				*next = PQntuples(b.last) > 0 ? OPENED_RECORDED : OPENED_UNRECORDED;
				e->unflushed = true;
			}
			else if (interrupt_pending() != 0)
			{
				/* as run_step: the signal came after the statements, before the commit */
				db_error_from_text(&f->err, "57014", "interrupted");
				rc = STEP_FAILED;
			}
			else if (!db_in_transaction(e->db))
				rc = STEP_ENDED_TXN;
			break;
		case SQL_BATCH_UNPARSED:
			log_debug("unit %lld: the server could not parse its statements as one message (%s); "
					  "sending them one at a time",
					  u->version, b.err.message);
			rc = STEP_UNPARSED;
			break;
		case SQL_BATCH_STMT_FAILED:
			f->file = u->def->sql->file;
			f->line = stmts[b.stmt].line;
			f->err = b.err;
			memset(&b.err, 0, sizeof(b.err));
			rc = STEP_FAILED;
			break;
		case SQL_BATCH_NOT_SENT:
			f->err = b.err;
			memset(&b.err, 0, sizeof(b.err));
			rc = STEP_FAILED;
			break;
		case SQL_BATCH_TAIL_FAILED:
		case SQL_BATCH_LOST:
			if (next_unit == NULL)
			{
				/* no COMMIT was sent: the server rolls the unit back */
				f->err = b.err;
				memset(&b.err, 0, sizeof(b.err));
				rc = STEP_FAILED;
			}
			else
				rc = settle_message_tail(e, u, d, &b, committed);
			break;
	}
	sql_batch_clear(&b);
	return rc;
}

/*
 * For units run together in one transaction, after a step: 0 while the
 * transaction the runner opened is still open, STEP_ENDED_TXN when it has
 * ended, STEP_FAILED with *f filled when the check itself failed (a lost
 * connection, say).  One round trip.
 */
static int
check_txn_intact(struct engine *e, struct step_failure *f)
{
	if (db_exec(e->db, ENGINE_TXN_CHECK_SQL ";", &f->err) == 0)
		return 0;
	if (engine_txn_ended(&f->err))
		return STEP_ENDED_TXN;
	return STEP_FAILED;
}

/*
 * The connection for no-transaction steps: direct_url when set (a
 * transaction pooler cannot run them), else the main one.
 */
static int
direct_db(struct engine *e, struct db **out)
{
	struct db_options o = {.connect_retries = e->cfg->connect_retries,
						   .connect_timeout_ms = e->cfg->connect_timeout_ms,
						   .application_name = e->app_name};
	struct db_error err = {0};
	int rc;

	if (e->direct == NULL && e->cfg->direct_url != NULL)
	{
		rc = db_connect(e->cfg->direct_url, &o, &e->direct, &err);
		if (rc != 0)
		{
			report_connect_failure(rc, &err);
			db_error_clear(&err);
			return rc;
		}
	}
	*out = e->direct != NULL ? e->direct : e->db;
	return 0;
}

/*
 * A no-transaction unit: mark it running and commit, run the step in
 * autocommit, then settle the row under the lock.  Called inside the
 * unit's opened transaction.
 */
static int
apply_no_transaction(struct engine *e, const struct unit *u, enum direction d, bool last)
{
	struct buf sql;
	struct step_failure f;
	struct db *target;
	bool recorded;
	long t0;
	long duration;
	char hex[65] = "";
	int rc;

	buf_init(&sql);
	if (d == DIR_UP)
		history_sql_insert(&sql, e->db, &e->ht, u->version, u->name, u->checksum, "running", 0,
						   NULL, e->app_name);
	else
	{
		char *owner = db_quote_literal(e->db, e->app_name);

		buf_printf(&sql, "UPDATE %s SET state = 'running', owner = %s WHERE version = %lld;\n",
				   e->ht.qualified, owner, u->version);
		free(owner);
	}
	rc = engine_commit_batch(e, &sql, "marking a no-transaction unit running", NULL);
	buf_free(&sql);
	if (rc != 0)
		return rc;
	rc = direct_db(e, &target);
	if (rc != 0)
		return rc;
	db_set_autocommit(target, true);
	t0 = engine_now_ms();
	rc = step_run(d == DIR_UP ? u->def->up : u->def->down, target, &f);
	duration = engine_now_ms() - t0;
	/*
	 * ECPG turns autocommit off on an idle connection with a BEGIN of its
	 * own: a round trip, and a "transaction in progress" WARNING in the
	 * server's log at the runner's BEGIN.  On the runner's connection it is
	 * turned off once that BEGIN has opened the transaction.
	 */
	if (rc != 0 || target != e->db)
		db_set_autocommit(target, false);
	if (rc != 0)
	{
		rc = report_step_failure(e, u, d, &f, false);
		db_error_clear(&f.err);
		return rc;
	}
	/* the row is this runner's own 'running' row: the lock is what matters */
	rc = engine_begin_unit(e, u->version, &recorded);
	if (target == e->db)
		db_set_autocommit(target, false);
	if (rc != 0)
		return rc;
	if ((rc = maybe_fingerprint(e, last, hex)) != 0)
	{
		engine_rollback(e->db);
		return rc;
	}
	buf_init(&sql);
	if (d == DIR_UP)
		history_sql_settle(&sql, e->db, &e->ht, u->version, (int) duration, hex[0] ? hex : NULL);
	else
		history_sql_delete(&sql, &e->ht, u->version);
	if (last)
		engine_sql_store_hash(e, &sql, hex);
	rc = engine_commit_batch(e, &sql, "settling a no-transaction unit", NULL);
	buf_free(&sql);
	if (rc != 0)
		return rc;
	report_unit(dir_name(d), u->version, u->name, "ok", duration);
	return 0;
}

/* Whether a unit's re-read row shows that another runner did it first. */
static bool
done_already(bool recorded, enum direction d)
{
	return recorded != (d == DIR_DOWN);
}

/*
 * Makes sure the unit's transaction is open (next says whether the
 * previous unit's last batch opened it) and that the unit is still to do;
 * *skipped when another runner already did it.
 */
static int
begin_unit(struct engine *e, const struct unit *u, enum direction d, enum opened next,
		   bool *skipped)
{
	bool recorded = next == OPENED_RECORDED;
	int rc = 0;

	if (next == OPENED_NOT)
		rc = engine_begin_unit(e, u->version, &recorded);
	*skipped = rc == 0 && done_already(recorded, d);
	if (*skipped)
		engine_rollback(e->db);
	return rc;
}

/*
 * Applies (or rolls back) one unit in the transaction already open and
 * locked, retrying lock timeouts.  *skipped is set when a re-read shows
 * another runner did it first.  On success with a next unit, *next says
 * whether its transaction is open too.
 */
static int
run_unit(struct engine *e, const struct unit *u, enum direction d, bool last,
		 const struct unit *next_unit, bool *skipped, enum opened *next)
{
	bool one_message = true;
	int attempt;

	*skipped = false;
	*next = OPENED_NOT;
	if (no_transaction(u))
		return apply_no_transaction(e, u, d, last);
	for (attempt = 0;; attempt++)
	{
		struct step_failure f;
		long duration;
		bool committed = false;
		const struct unit_sql_stmt *stmts;
		size_t n;
		int rc;

		/* a last unit without statements has nothing to send before finish_unit */
		if (one_message && message_stmts(u, d, &stmts, &n) && (n > 0 || next_unit != NULL))
			rc = run_step_message(e, u, d, stmts, n, next_unit, &duration, &f, &committed, next);
		else
			rc = run_step(e, u, d, &duration, &f);
		if (rc == 0)
		{
			if (!committed)
				rc = finish_unit(e, u, d, duration, last, next_unit, next);
			if (rc == 0)
				report_unit(dir_name(d), u->version, u->name, "ok", duration);
			return rc;
		}
		if (rc > 0)
			return rc;
		engine_rollback(e->db);
		if (rc == STEP_ENDED_TXN)
			return report_txn_ended(u, d, false);
		if (rc == STEP_UNPARSED)
		{
			/* none of it ran: the statements one at a time report the failure as ever */
			one_message = false;
			attempt--;
			rc = begin_unit(e, u, d, OPENED_NOT, skipped);
			if (rc != 0 || *skipped)
				return rc;
			continue;
		}
		if (strcmp(f.err.sqlstate, "55P03") != 0 || attempt >= e->cfg->lock_retries)
		{
			rc = report_step_failure(e, u, d, &f, true);
			db_error_clear(&f.err);
			return rc;
		}
		db_error_clear(&f.err);
		log_debug("unit %lld waited longer than lock_timeout; retrying", u->version);
		if (!engine_lock_backoff(attempt))
			return engine_check_interrupt(e);
		rc = begin_unit(e, u, d, OPENED_NOT, skipped);
		if (rc != 0 || *skipped)
			return rc;
	}
}

/* Runs the selected units one transaction each; the first is open already. */
static int
run_each(struct engine *e, const struct unit *const *units, size_t n, enum direction d)
{
	/* the planning transaction is the first unit's, and it is to do */
	enum opened next = d == DIR_UP ? OPENED_UNRECORDED : OPENED_RECORDED;
	size_t i;

	for (i = 0; i < n; i++)
	{
		bool skipped = false;
		int rc = engine_check_interrupt(e);

		if (rc == 0)
			rc = begin_unit(e, units[i], d, next, &skipped);
		next = OPENED_NOT;
		if (rc == 0 && !skipped)
			rc = run_unit(e, units[i], d, i == n - 1, i + 1 < n ? units[i + 1] : NULL, &skipped,
						  &next);
		if (rc != 0)
		{
			flush_commits(e);
			return rc;
		}
		if (skipped)
		{
			report_unit("skip", units[i]->version, units[i]->name,
						d == DIR_UP ? "applied by another runner" : "rolled back by another runner",
						-1);
			report_counts()->skipped++;
		}
		else if (d == DIR_UP)
			report_counts()->applied++;
		else
			report_counts()->rolled_back++;
	}
	flush_commits(e);
	return engine_check_interrupt(e);
}

int
engine_step_together(struct engine *e, const struct unit *u, bool up, long *duration)
{
	enum direction d = up ? DIR_UP : DIR_DOWN;
	struct step_failure f;
	int rc = run_step(e, u, d, duration, &f);

	if (rc == 0)
		rc = check_txn_intact(e, &f);
	if (rc == 0)
		return 0;
	engine_rollback(e->db);
	if (rc == STEP_ENDED_TXN)
		rc = report_txn_ended(u, d, true);
	else
		rc = report_step_failure(e, u, d, &f, true);
	db_error_clear(&f.err);
	return rc;
}

/*
 * Runs every selected unit in the one open transaction: for --dry-run
 * (then rolled back) and --single-transaction (then recorded and
 * committed in one batch).
 */
static int
run_together(struct engine *e, const struct unit *const *units, size_t n, enum direction d,
			 bool dry_run)
{
	long *durations = xcalloc(n + 1, sizeof(long));
	struct buf sql;
	char hex[65] = "";
	size_t i;
	int rc = 0;

	for (i = 0; i < n && rc == 0; i++)
	{
		if (no_transaction(units[i]))
		{
			if (dry_run && d == DIR_UP)
				safety_observe_no_transaction(e->db, units[i], true);
			report_unit("skip", units[i]->version, units[i]->name,
						"no-transaction unit, not run in a dry run", -1);
			report_counts()->skipped++;
			continue;
		}
		if (dry_run && d == DIR_UP)
			safety_begin(e->db, units[i], true);
		rc = engine_step_together(e, units[i], d == DIR_UP, &durations[i]);
		safety_end(rc == 0);
		if (rc != 0)
			break;
		if (dry_run)
			report_unit(d == DIR_UP ? "would-up" : "would-down", units[i]->version, units[i]->name,
						"ok (rolled back)", durations[i]);
	}
	if (rc != 0 || dry_run)
	{
		engine_rollback(e->db);
		free(durations);
		return rc;
	}
	if ((rc = maybe_fingerprint(e, true, hex)) != 0)
	{
		engine_rollback(e->db);
		free(durations);
		return rc;
	}
	buf_init(&sql);
	for (i = 0; i < n; i++)
	{
		if (d == DIR_UP)
			history_sql_insert(&sql, e->db, &e->ht, units[i]->version, units[i]->name,
							   units[i]->checksum, "applied", (int) durations[i], NULL, NULL);
		else
			history_sql_delete(&sql, &e->ht, units[i]->version);
	}
	engine_sql_store_hash(e, &sql, hex);
	rc = engine_commit_batch(e, &sql, "recording the units in the history table", NULL);
	buf_free(&sql);
	if (rc != 0)
	{
		free(durations);
		return rc;
	}
	for (i = 0; i < n; i++)
	{
		report_unit(dir_name(d), units[i]->version, units[i]->name, "ok", durations[i]);
		if (d == DIR_UP)
			report_counts()->applied++;
		else
			report_counts()->rolled_back++;
	}
	free(durations);
	return 0;
}

static void
notice_unknown(const struct plan_status *st)
{
	size_t i;

	for (i = 0; i < st->n; i++)
		if (st->entries[i].state == UNIT_UNKNOWN)
			report_warning("version %lld (%s) is applied but unknown to this binary",
						   st->entries[i].version, st->entries[i].name);
}

/*
 * Opens the first transaction and plans.  While a no-transaction unit of
 * a live runner is in flight, waits in short transactions (holding no
 * snapshot that would stall CREATE INDEX CONCURRENTLY).
 */
int
engine_begin_and_wait(struct engine *e, struct history *h, struct plan_status *st)
{
	long limit = e->ts.lock_timeout_ms * (e->cfg->lock_retries + 1);
	long start = engine_now_ms();

	for (;;)
	{
		size_t i;
		bool waiting = false;
		int rc = engine_begin_locked(e, h);

		if (rc != 0)
			return rc;
		plan_status_build(registry_units, registry_count, h, st);
		for (i = 0; i < st->n; i++)
			if (st->entries[i].state == UNIT_RUNNING && st->entries[i].row->owner_alive)
				waiting = true;
		if (!waiting)
			return 0;
		engine_rollback(e->db);
		plan_status_free(st);
		history_free(h);
		if (limit > 0 && engine_now_ms() - start > limit)
		{
			report_error(EXIT_LOCK,
						 "another runner's no-transaction unit is still running; gave up waiting "
						 "after lock_timeout x (lock_retries + 1)",
						 NULL, NULL, NULL, 0);
			return EXIT_LOCK;
		}
		if (!engine_sleep_ms(250))
			return engine_check_interrupt(e);
	}
}

int
engine_up(struct engine *e, const struct up_options *o, bool dry_run)
{
	struct history h = {0};
	struct plan_status st = {0};
	const struct unit **units = xcalloc(registry_count + 1, sizeof(*units));
	struct buf why;
	bool wait = false;
	size_t n = 0;
	int rc;

	buf_init(&why);
	e->list_relations = dry_run;
	rc = engine_begin_and_wait(e, &h, &st);
	e->list_relations = false;
	if (rc == 0)
	{
		notice_unknown(&st);
		rc = plan_up(&st, o, units, &n, &wait, &why);
		if (rc != 0)
		{
			engine_rollback(e->db);
			rc = engine_report_refusal(&st, "up", why.data, NULL);
		}
	}
	if (rc == 0 && n == 0 && dry_run)
		engine_rollback(e->db);
	else if (rc == 0 && n == 0)
	{
		struct db_error err = {0};

		/* commits the history table when this run created it */
		if (db_exec(e->db, "COMMIT", &err) != 0)
			rc = engine_report_db_failure(e, "committing", &err);
		db_error_clear(&err);
	}
	else if (rc == 0 && (dry_run || o->single_transaction))
		rc = run_together(e, units, n, DIR_UP, dry_run);
	else if (rc == 0)
		rc = run_each(e, units, n, DIR_UP);
	buf_free(&why);
	free(units);
	plan_status_free(&st);
	history_free(&h);
	return rc;
}

int
engine_down(struct engine *e, const struct down_options *o, bool dry_run)
{
	struct history h = {0};
	struct plan_status st = {0};
	const struct plan_entry **entries = xcalloc(registry_count + 1 + 1024, sizeof(*entries));
	const struct unit **units = NULL;
	struct buf why;
	size_t n = 0;
	size_t i;
	int rc;

	buf_init(&why);
	rc = engine_begin_and_wait(e, &h, &st);
	if (rc == 0)
	{
		free(entries);
		entries = xcalloc(st.n + 1, sizeof(*entries));
		rc = plan_down(&st, o, entries, &n, &why);
		if (rc != 0)
		{
			engine_rollback(e->db);
			rc = engine_report_refusal(&st, "down", why.data, NULL);
		}
	}
	units = xcalloc(n + 1, sizeof(*units));
	for (i = 0; i < n; i++)
		units[i] = entries[i]->unit;
	if (rc == 0 && n == 0)
		engine_rollback(e->db);
	else if (rc == 0 && (dry_run || o->single_transaction))
		rc = run_together(e, units, n, DIR_DOWN, dry_run);
	else if (rc == 0)
		rc = run_each(e, units, n, DIR_DOWN);
	buf_free(&why);
	free(units);
	free(entries);
	plan_status_free(&st);
	history_free(&h);
	return rc;
}
