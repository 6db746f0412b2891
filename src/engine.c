/*
 * engine.c: up and down, one transaction per unit (or one for all), each
 * opened with SET LOCAL timeouts and the advisory lock, then a re-read of
 * the history, so that concurrent runners apply each unit exactly once.
 *
 * Round trips per unit: the unit's own statements, then one batch that
 * writes its history row, commits, and opens the next unit's transaction
 * (BEGIN with the settings, the lock, the re-read of the next unit's row).
 * The first unit shares the opening batch that also creates the history
 * table and reads it whole.  A transactional plain-SQL unit sends its
 * statements in that same batch (engine_apply.c, sql_batch.c): one round
 * trip per unit.
 */
#include "engine.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "exitcode.h"
#include "history_shape.h"
#include "interrupt.h"
#include "log.h"
#include "protect.h"
#include "registry.h"
#include "report.h"
#include "safety.h"
#include "schema.h"
#include "step.h"
#include "engine_internal.h"

#define MAX_BATCH_RESULTS 16

long
engine_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

bool
engine_sleep_ms(long ms)
{
	return interrupt_sleep_ms(ms);
}

int
engine_check_interrupt(struct engine *e)
{
	int signo = interrupt_pending();
	char msg[256];

	if (signo == 0)
		return 0;
	engine_rollback(e->db);
	if (e->direct != NULL && e->direct != e->db)
		engine_rollback(e->direct);
	snprintf(msg, sizeof(msg),
			 "interrupted (%s): the running statement was cancelled and the open transaction "
			 "rolled back",
			 interrupt_signal_name(signo));
	report_error(128 + signo, msg, NULL, NULL, NULL, 0);
	return 128 + signo;
}

/* Backoff between lock retries: 200 ms doubling, capped at 5 s, jittered. */
bool
engine_lock_backoff(int attempt)
{
	long ms = 200L << (attempt < 5 ? attempt : 5);

	if (ms > 5000)
		ms = 5000;
	return engine_sleep_ms(ms - ms / 5 + rand() % (2 * (ms / 5) + 1));
}

static void
make_app_name(struct engine *e)
{
	char host[64] = "localhost";

	gethostname(host, sizeof(host) - 1);
	host[sizeof(host) - 1] = '\0';
	host[strcspn(host, ".")] = '\0';
	/* application_name keeps 63 bytes; the pid and start must survive */
	snprintf(e->app_name, sizeof(e->app_name), "migrate/%.24s/%ld/%ld", host, (long) getpid(),
			 (long) time(NULL));
}

/*
 * Refuses a binary holding a unit with flag bits this runner does not
 * know (MIGRATE_UNIT refuses them at build time; this catches a unit
 * object built against another unit_def.h).  Returns 0 or 1 after
 * reporting.
 */
static int
check_registry(void)
{
	size_t i;

	for (i = 0; i < registry_count; i++)
	{
		const struct unit *u = &registry_units[i];
		char msg[512];

		if (unit_def_flags_known(u->def))
			continue;
		snprintf(msg, sizeof(msg),
				 "unit %s has unknown flag bits 0x%x: it was built for another "
				 "version of migrate",
				 u->file, u->def->flags & ~MIGRATE_UNIT_KNOWN_FLAGS);
		report_error(EXIT_UNIT_FAILED, msg, NULL, NULL, u->file, 0);
		return EXIT_UNIT_FAILED;
	}
	return 0;
}

int
engine_open(struct engine *e, const struct migrate_config *cfg)
{
	struct db_options o = {0};
	struct db_error err = {0};
	int rc;

	memset(e, 0, sizeof(*e));
	e->cfg = cfg;
	e->ts.lock_timeout_ms = cfg->lock_timeout_ms;
	e->ts.statement_timeout_ms = cfg->statement_timeout_ms;
	if (check_registry() != 0)
		return EXIT_UNIT_FAILED;
	if (cfg->database_url == NULL)
	{
		report_error(EXIT_USAGE,
					 "no database given: set database_url in migrate.yaml, DATABASE_URL, or -d URL",
					 NULL, NULL, NULL, 0);
		return EXIT_USAGE;
	}
	make_app_name(e);
	o.connect_retries = cfg->connect_retries;
	o.connect_timeout_ms = cfg->connect_timeout_ms;
	o.application_name = e->app_name;
	rc = db_connect(cfg->database_url, &o, &e->db, &err);
	if (rc != 0)
	{
		report_connect_failure(rc, &err);
		db_error_clear(&err);
		return rc;
	}
	if (e->db->pooler)
		report_notice("%s is a pooled endpoint (transaction pooling); no session state is kept "
					  "between transactions%s",
					  e->db->description,
					  cfg->direct_url ? " and no-transaction units use direct_url" : "");
	if (history_table_init(e->db, cfg->history_table, &e->ht) != 0)
	{
		char msg[256];

		snprintf(msg, sizeof(msg), "invalid history_table \"%s\": expected name or schema.name",
				 cfg->history_table);
		report_error(EXIT_USAGE, msg, NULL, NULL, NULL, 0);
		return EXIT_USAGE;
	}
	return protect_on_connect(e);
}

void
engine_close(struct engine *e)
{
	if (e->direct != NULL && e->direct != e->db)
		db_close(e->direct);
	db_close(e->db);
	history_table_free(&e->ht);
	free(e->stamp);
	free(e->mark_sql);
	memset(e, 0, sizeof(*e));
}

void
engine_rollback(struct db *db)
{
	engine_rollback_then(db, NULL);
}

void
engine_rollback_then(struct db *db, const char *then)
{
	struct db_error err = {0};
	char *sql = NULL;
	int attempt;

	if (then != NULL && then[0] != '\0')
	{
		struct buf b;

		buf_init(&b);
		buf_printf(&b, "ROLLBACK;%s", then);
		sql = buf_detach(&b);
		buf_free(&b);
	}
	/* stops the repeated cancel of a signal, which would cancel the ROLLBACK */
	(void) interrupt_pending();
	for (attempt = 0; attempt < 2; attempt++)
	{
		if (db == NULL || PQstatus(db->conn) != CONNECTION_OK || !db_in_transaction(db) ||
			db_exec(db, sql ? sql : "ROLLBACK", &err) == 0)
			break;
		if (!db_in_transaction(db) && PQstatus(db->conn) == CONNECTION_OK)
		{
			/* rolled back; what followed it failed */
			log_debug("after the rollback: %s", err.message);
			break;
		}
		log_debug("rollback failed: %s", err.message);
		/* a cancel sent just before may have hit it: once more */
		if (strcmp(err.sqlstate, "57014") != 0)
			break;
		db_error_clear(&err);
	}
	db_error_clear(&err);
	free(sql);
}

static void
clear_results(PGresult **res, int n)
{
	int i;

	for (i = 0; i < n; i++)
		PQclear(res[i]);
}

/* Maps an error of the runner's own statements to an exit code and reports it. */
int
engine_report_db_failure(struct engine *e, const char *what, const struct db_error *err)
{
	char msg[512];
	int code = EXIT_UNIT_FAILED;

	if (interrupt_pending() != 0)
	{
		code = interrupt_exit_code();
		snprintf(msg, sizeof(msg),
				 "%s: interrupted (%s): the statement was cancelled and the transaction rolled "
				 "back",
				 what, interrupt_signal_name(interrupt_pending()));
		report_error(code, msg, NULL, NULL, NULL, 0);
		return code;
	}
	if (strcmp(err->sqlstate, "55P03") == 0)
	{
		code = EXIT_LOCK;
		snprintf(msg, sizeof(msg),
				 "%s: the migration lock or a table lock was not granted within lock_timeout (%ld "
				 "ms) after %d retries",
				 what, e->ts.lock_timeout_ms, e->cfg->lock_retries);
	}
	else if (strcmp(err->sqlstate, "25006") == 0)
	{
		code = EXIT_CONNECT;
		snprintf(msg, sizeof(msg),
				 "%s: %s accepts no writes (a read-only standby, or default_transaction_read_only "
				 "is on)",
				 what, e->db->description);
	}
	else if (db_error_is_connection(err))
	{
		code = EXIT_CONNECT;
		snprintf(msg, sizeof(msg), "%s: lost the connection to %s", what, e->db->description);
	}
	else
		snprintf(msg, sizeof(msg), "%s failed", what);
	report_error(code, msg, err, NULL, NULL, 0);
	return code;
}

int
engine_refuse_foreign(struct engine *e)
{
	struct buf sql;
	struct db_error err = {0};
	PGresult *res[1];
	int n = 0;
	const char *tool = NULL;
	char *columns = NULL;
	int rc = -1;

	buf_init(&sql);
	history_sql_columns(&sql, e->ht.regclass_literal);
	if (db_batch(e->db, sql.data, res, 1, &n, &err) == 0 && PQntuples(res[0]) == 1 &&
		!PQgetisnull(res[0], 0, 0))
	{
		columns = xstrdup(PQgetvalue(res[0], 0, 0));
		tool = history_shape_tool(columns);
	}
	if (n == 1)
		PQclear(res[0]);
	db_error_clear(&err);
	buf_free(&sql);
	if (tool != NULL)
	{
		bool known = strcmp(tool, "another tool") != 0;
		struct buf msg;
		struct buf hint;
		struct db_error why = {"",
							   "this runner's own history table has the columns version, name, "
							   "checksum, state, ...; it never reads or changes another tool's",
							   NULL, NULL};

		buf_init(&msg);
		buf_init(&hint);
		buf_printf(&msg, "the history table %s is not this runner's: its columns (%s) are %s%s",
				   e->ht.plain, columns, tool, known ? "'s" : "");
		if (known)
			buf_printf(&hint,
					   "\"migrate import --from %s DIR --adopt\" takes its history over and "
					   "moves it aside to %s_%s; or set history_table in migrate.yaml to "
					   "another name",
					   tool, e->ht.plain, history_shape_suffix(tool));
		else
			buf_printf(&hint, "set history_table in migrate.yaml to another name");
		why.hint = hint.data;
		report_error(EXIT_INTEGRITY, msg.data, &why, NULL, NULL, 0);
		buf_free(&msg);
		buf_free(&hint);
		rc = EXIT_INTEGRITY;
	}
	free(columns);
	return rc;
}

/* Refuses to write to a standby (SPEC section 5); returns 5. */
static int
refuse_standby(struct engine *e)
{
	struct db_error why = {
		"",
		"pg_is_in_recovery() is true: the server replays a primary's changes and accepts no writes",
		NULL, "connect to the primary; with several hosts, add target_session_attrs=read-write"};
	char msg[512];

	snprintf(msg, sizeof(msg),
			 "%s is a read-only standby: this command changes the database and needs the primary",
			 e->db->description);
	report_error(EXIT_CONNECT, msg, &why, NULL, NULL, 0);
	return EXIT_CONNECT;
}

void
engine_sql_open(struct engine *e, struct buf *sql, bool all, long long version)
{
	history_sql_begin(sql, &e->ts, all);
	history_sql_lock(sql, &e->ht);
	if (all)
	{
		history_sql_create(sql, &e->ht);
		history_sql_select_all(sql, &e->ht);
	}
	else
		history_sql_exists(sql, &e->ht, version);
}

/* Whether the settings row of an opening batch says the server is a standby. */
static bool
answered_standby(PGresult **res, int n)
{
	return n >= 2 && PQntuples(res[1]) == 1 && PQnfields(res[1]) == 4 &&
		   strcmp(PQgetvalue(res[1], 0, 3), "t") == 0;
}

/*
 * Sends engine_sql_open's batch, retrying lock timeouts; on success *last is the
 * batch's last result (the caller clears it).  Returns 0 or an exit code.
 */
static int
open_locked(struct engine *e, bool all, long long version, PGresult **last)
{
	int attempt;

	bool listing_failed = false;

	for (attempt = 0;; attempt++)
	{
		struct buf sql;
		PGresult *res[MAX_BATCH_RESULTS];
		int n = 0;
		struct db_error err = {0};
		/* after the history read, so that its rows count before the units' */
		const char *listing = e->list_relations && !listing_failed ? safety_listing_sql() : "";
		int tail = listing[0] ? SAFETY_LISTING_RESULTS : 0;
		int rc;

		if ((rc = engine_check_interrupt(e)) != 0)
			return rc;
		buf_init(&sql);
		engine_sql_open(e, &sql, all, version);
		buf_append(&sql, listing);
		rc = db_batch(e->db, sql.data, res, MAX_BATCH_RESULTS, &n, &err);
		buf_free(&sql);
		if (rc == 0 && n > tail)
		{
			*last = res[n - 1 - tail];
			if (tail > 0)
				safety_take_listing(res + n - tail, tail);
			clear_results(res, n - 1 - tail);
			if (tail > 0)
				clear_results(res + n - tail, tail);
			return 0;
		}
		if (tail > 0 && !(all && answered_standby(res, n)))
		{
			/* open again without it: the step lists the relations itself */
			clear_results(res, n);
			engine_rollback(e->db);
			db_error_clear(&err);
			listing_failed = true;
			attempt--;
			continue;
		}
		/* on a standby the recovery check answers before anything fails */
		if (all && answered_standby(res, n))
		{
			clear_results(res, n);
			engine_rollback(e->db);
			db_error_clear(&err);
			return refuse_standby(e);
		}
		clear_results(res, n);
		engine_rollback(e->db);
		/* a table of another tool's shape under the history table's name */
		if (all && strcmp(err.sqlstate, "42703") == 0 && (rc = engine_refuse_foreign(e)) > 0)
		{
			db_error_clear(&err);
			return rc;
		}
		if (strcmp(err.sqlstate, "55P03") == 0 && attempt < e->cfg->lock_retries)
		{
			log_debug("lock not granted within lock_timeout, retrying (%d)", attempt + 1);
			db_error_clear(&err);
			(void) engine_lock_backoff(attempt);
			continue;
		}
		rc = engine_report_db_failure(e, "opening a transaction", &err);
		db_error_clear(&err);
		return rc;
	}
}

int
engine_begin_locked(struct engine *e, struct history *h)
{
	PGresult *last;
	int rc = open_locked(e, true, 0, &last);

	if (rc != 0)
		return rc;
	rc = history_parse(last, h);
	PQclear(last);
	if (rc != 0)
	{
		engine_rollback(e->db);
		report_error(EXIT_UNIT_FAILED, "unexpected result reading the history table", NULL, NULL,
					 NULL, 0);
		return EXIT_UNIT_FAILED;
	}
	return 0;
}

int
engine_begin_unit(struct engine *e, long long version, bool *recorded)
{
	PGresult *last;
	int rc = open_locked(e, false, version, &last);

	if (rc != 0)
		return rc;
	*recorded = PQntuples(last) > 0;
	PQclear(last);
	return 0;
}

bool
engine_txn_ended(const struct db_error *err)
{
	return strcmp(err->sqlstate, "22P02") == 0 && err->message != NULL &&
		   strstr(err->message, ENGINE_TXN_ENDED_TEXT) != NULL;
}

/* Reports a failed describe or stamp statement; returns the exit code. */
static int
report_describe_failure(struct engine *e, const char *sqlstate, char *err)
{
	struct db_error de = {0};
	int rc;

	db_error_from_text(&de, sqlstate, err);
	rc = engine_report_db_failure(e, "describing the schema", &de);
	db_error_clear(&de);
	free(err);
	return rc;
}

int
engine_fingerprint(struct engine *e, char hex[65], struct buf *text)
{
	char *err = NULL;
	char sqlstate[6] = "";
	int rc;

	/* without the text, the server hashes it: 64 bytes, not the whole text */
	if (text == NULL)
		rc = schema_fingerprint(e->db->conn, e->ht.plain, hex, &err, sqlstate);
	else
		rc = schema_describe(e->db->conn, e->ht.plain, text, &err, sqlstate);
	if (rc != 0)
		return report_describe_failure(e, sqlstate, err);
	if (text != NULL)
		schema_hash_hex(text->data, text->len, hex);
	return 0;
}

int
engine_fingerprint_record(struct engine *e, char hex[65])
{
	char *err = NULL;
	char sqlstate[6] = "";

	free(e->stamp);
	e->stamp = NULL;
	if (schema_fingerprint_stamped(e->db->conn, e->ht.plain, hex, &e->stamp, &err, sqlstate) != 0)
		return report_describe_failure(e, sqlstate, err);
	log_debug("fingerprint %.12s recorded %s", hex,
			  e->stamp != NULL ? "with a stamp" : "without a stamp (another transaction was open)");
	return 0;
}

void
engine_sql_store_hash(struct engine *e, struct buf *sql, const char hex[65])
{
	history_sql_store_hash(sql, e->db, &e->ht, hex);
	schema_stamp_sql_store(sql, e->db->conn, e->ht.qualified, e->stamp);
}

/*
 * engine_status, and with marked the protection mark and with current
 * (when not NULL) whether the fingerprint's stamp holds, read in the same
 * round trip.
 */
static int
status_read(struct engine *e, struct history *h, struct plan_status *st, bool *marked,
			bool *current)
{
	struct buf sql;
	PGresult *res[3];
	int n = 0;
	int i;
	struct db_error err = {0};
	int rc;

	h->rows = NULL;
	h->n = 0;
	buf_init(&sql);
	history_sql_select_all(&sql, &e->ht);
	if (marked != NULL)
	{
		buf_append(&sql, ";\n");
		protect_sql_read(&sql, e);
	}
	if (current != NULL)
	{
		buf_append(&sql, ";\n");
		schema_stamp_sql_check(&sql, e->db->conn, e->ht.plain);
	}
	rc = db_batch(e->db, sql.data, res, 1 + (marked != NULL) + (current != NULL), &n, &err);
	buf_free(&sql);
	if (rc != 0 && strcmp(err.sqlstate, "42703") == 0 && (rc = engine_refuse_foreign(e)) > 0)
	{
		db_error_clear(&err);
		return rc;
	}
	/* without a history table there is neither a mark nor a stamp */
	if (rc != 0 && (strcmp(err.sqlstate, "42P01") != 0 || n > 0))
	{
		for (i = 0; i < n; i++)
			PQclear(res[i]);
		rc = engine_report_db_failure(e, "reading the history table", &err);
		db_error_clear(&err);
		return rc;
	}
	db_error_clear(&err);
	if (rc != 0)
		rc = 0; /* 42P01: no history table yet, so no rows, mark or stamp */
	else if ((rc = history_parse(res[0], h)) == 0)
	{
		if (marked != NULL)
			*marked = protect_parse(res[1]);
		if (current != NULL)
			rc = schema_stamp_check_result(e->db->conn, res[n - 1], current);
	}
	for (i = 0; i < n; i++)
		PQclear(res[i]);
	if (rc != 0)
	{
		report_error(EXIT_UNIT_FAILED, "unexpected result reading the history table", NULL, NULL,
					 NULL, 0);
		return EXIT_UNIT_FAILED;
	}
	plan_status_build(registry_units, registry_count, h, st);
	return 0;
}

int
engine_status(struct engine *e, struct history *h, struct plan_status *st)
{
	return status_read(e, h, st, NULL, NULL);
}

int
engine_status_drift(struct engine *e, struct history *h, struct plan_status *st, bool *marked,
					bool *current)
{
	*marked = false;
	if (current != NULL)
		*current = false;
	return status_read(e, h, st, marked, current);
}

/*
 * Sends sql (which ends with COMMIT) and, when open_next, the opening of
 * version's transaction after it, in one round trip.  A failure after the
 * COMMIT leaves the next transaction unopened (*next = OPENED_NOT): the
 * caller opens it again, which retries and reports as usual.
 */
/*
 * The connection was lost while a commit batch was out: the server may
 * or may not have committed it, and only the database can say which.
 * Returns 5.
 */
int
engine_report_commit_lost(struct engine *e, const char *what, const struct db_error *err)
{
	struct db_error why = {"", err->message, err->detail,
						   "whether the server committed it is unknown; the unit and its history "
						   "row commit together, never one without the other: run \"migrate "
						   "status\" to see whether it is applied"};
	char msg[512];

	memcpy(why.sqlstate, err->sqlstate, sizeof(why.sqlstate));
	snprintf(msg, sizeof(msg), "%s: lost the connection to %s", what, e->db->description);
	report_error(EXIT_CONNECT, msg, &why, NULL, NULL, 0);
	return EXIT_CONNECT;
}

static int
commit_batch(struct engine *e, struct buf *sql, const char *what, bool *txn_ended, bool open_next,
			 long long version, enum opened *next)
{
	PGresult *res[MAX_BATCH_RESULTS];
	struct db_error err = {0};
	bool committed = false;
	int n = 0;
	int i;
	int rc;

	if (open_next)
		engine_sql_open(e, sql, false, version);
	/*
	 * Only opening the next transaction needs the results: a batch that
	 * ends with its COMMIT may hold any number of history rows (up
	 * --single-transaction, baseline).
	 */
	rc = db_batch(e->db, sql->data, open_next ? res : NULL, MAX_BATCH_RESULTS, &n, &err);
	if (rc == 0 && open_next)
		*next = PQntuples(res[n - 1]) > 0 ? OPENED_RECORDED : OPENED_UNRECORDED;
	for (i = 0; i < n; i++)
		committed |= strcmp(PQcmdStatus(res[i]), "COMMIT") == 0;
	clear_results(res, n);
	if (rc != 0)
	{
		engine_rollback(e->db);
		if (committed)
		{
			log_debug("opening the next transaction failed (%s); opening it again", err.message);
			rc = 0;
		}
		else if (txn_ended != NULL && engine_txn_ended(&err))
			*txn_ended = true;
		else if (db_error_is_connection(&err) && interrupt_pending() == 0)
			rc = engine_report_commit_lost(e, what, &err);
		else
			rc = engine_report_db_failure(e, what, &err);
	}
	db_error_clear(&err);
	return rc;
}

int
engine_commit_batch(struct engine *e, struct buf *sql, const char *what, bool *txn_ended)
{
	buf_append(sql, "COMMIT;");
	return commit_batch(e, sql, what, txn_ended, false, 0, NULL);
}

int
engine_commit_and_open(struct engine *e, struct buf *sql, const char *what, bool *txn_ended,
					   long long version, enum opened *next)
{
	*next = OPENED_NOT;
	buf_append(sql, "COMMIT;\n");
	return commit_batch(e, sql, what, txn_ended, true, version, next);
}
