/*
 * cmd_verify.c: the round-trip test of SPEC section 6.  Inside one
 * transaction that is always rolled back, each unit is applied, rolled
 * back and applied again; the schema before its up and after its down
 * must be the same, byte for byte of the canonical description.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "cli.h"
#include "engine.h"
#include "engine_internal.h"
#include "json.h"
#include "log.h"
#include "registry.h"
#include "report.h"
#include "safety.h"
#include "step.h"

struct verify_counts
{
	int reversible;
	int irreversible;
	int skipped;
	int broken;
};

/* Writes the first differing line of a and b, with its number, into *out. */
static void
first_difference(const char *a, const char *b, struct buf *out)
{
	int line = 1;

	for (;;)
	{
		size_t la = strcspn(a, "\n");
		size_t lb = strcspn(b, "\n");

		if (la != lb || memcmp(a, b, la) != 0 || a[la] == '\0' || b[lb] == '\0')
			break;
		a += la + 1;
		b += lb + 1;
		line++;
	}
	buf_printf(out, "line %d: before up: %.*s; after down: %.*s", line,
			   *a ? (int) strcspn(a, "\n") : 5, *a ? a : "(end)", *b ? (int) strcspn(b, "\n") : 5,
			   *b ? b : "(end)");
}

static void
report_verdict(const struct unit *u, const char *verdict, const char *difference)
{
	if (report_json())
	{
		struct buf b;

		buf_init(&b);
		buf_append(&b, "{");
		json_member_string(&b, "event", "verified");
		json_member_int(&b, "version", u->version);
		json_member_string(&b, "name", u->name);
		json_member_string(&b, "result", verdict);
		if (difference != NULL)
			json_member_string(&b, "difference", difference);
		buf_append(&b, "}\n");
		fputs(b.data, stdout);
		buf_free(&b);
		return;
	}
	printf("verify %04lld %-28s %s\n", u->version, u->name, verdict);
	if (difference != NULL)
		printf("       %s\n", difference);
}

/* Runs one step inside the verify transaction; reports a failure. */
static int
verify_step(struct engine *e, const struct unit *u, bool up)
{
	struct step_failure f;
	char msg[512];
	char label[256];

	if (safety_step_run(u, up, e->db, &f) == 0)
		return 0;
	snprintf(label, sizeof(label), "%04lld_%s", u->version, u->name);
	snprintf(msg, sizeof(msg), "unit %s failed (%s step) during verify; nothing was changed", label,
			 up ? "up" : "down");
	report_error(1, msg, &f.err, label, f.file ? f.file : u->file, f.line);
	db_error_clear(&f.err);
	return 1;
}

/* Runs sql in the verify transaction; reports a failure. */
static int
verify_exec(struct engine *e, const char *sql)
{
	struct db_error err = {0};
	int rc = 0;

	if (db_exec(e->db, sql, &err) != 0)
		rc = engine_report_db_failure(e, "verify", &err);
	db_error_clear(&err);
	return rc;
}

/* Runs the down step; a failure is a verdict, written into *why. */
static bool
down_fails(struct engine *e, const struct unit *u, struct buf *why)
{
	struct step_failure f;

	if (safety_step_run(u, false, e->db, &f) == 0)
		return false;
	buf_printf(why, "the down step failed: %s", f.err.message);
	if (f.err.sqlstate[0])
		buf_printf(why, " (SQLSTATE %s)", f.err.sqlstate);
	db_error_clear(&f.err);
	return true;
}

/*
 * Compares the schema before up with the schema after down.  Runs in a
 * savepoint that is rolled back afterwards, so that a broken down cannot
 * leave anything for the next unit to trip over.  Returns 0 or an exit
 * code (a failing up, or a failing fingerprint).
 */
static int
round_trip(struct engine *e, const struct unit *u, struct verify_counts *c)
{
	struct buf before;
	struct buf after;
	struct buf why;
	char hex[65];
	int rc;

	buf_init(&before);
	buf_init(&after);
	buf_init(&why);
	rc = verify_exec(e, "SAVEPOINT migrate_verify");
	if (rc == 0)
		rc = engine_fingerprint(e, hex, &before);
	if (rc == 0)
		rc = verify_step(e, u, true);
	if (rc == 0 && !down_fails(e, u, &why))
	{
		rc = engine_fingerprint(e, hex, &after);
		if (rc == 0 && strcmp(before.data, after.data) != 0)
			first_difference(before.data, after.data, &why);
	}
	if (rc == 0)
	{
		report_verdict(u, why.len ? "broken" : "reversible", why.len ? why.data : NULL);
		if (why.len)
			c->broken++;
		else
			c->reversible++;
		rc = verify_exec(e,
						 "ROLLBACK TO SAVEPOINT migrate_verify; RELEASE SAVEPOINT migrate_verify");
	}
	buf_free(&before);
	buf_free(&after);
	buf_free(&why);
	return rc;
}

/* Checks one unit, then applies it so that the next one sees it. */
static int
verify_unit(struct engine *e, const struct unit *u, struct verify_counts *c)
{
	int rc = 0;

	if (u->def->flags & MIGRATE_NO_TRANSACTION)
	{
		safety_observe_no_transaction(e->db, u, true);
		report_verdict(u, "skipped", NULL);
		c->skipped++;
		return 0;
	}
	if ((u->def->flags & MIGRATE_IRREVERSIBLE) || u->def->down == NULL)
	{
		report_verdict(u, "irreversible", NULL);
		c->irreversible++;
	}
	else
		rc = round_trip(e, u, c);
	if (rc == 0)
		rc = verify_step(e, u, true);
	return rc;
}

/*
 * With --all, rolls back every applied unit first (newest first), refusing
 * unknown or irreversible ones on the way, and selects every unit.
 */
static int
select_units(struct engine *e, const struct plan_status *st, bool all, const struct unit **units,
			 size_t *n)
{
	size_t i;

	*n = 0;
	if (all)
	{
		struct down_options o = {.to = 0, .all = true};
		const struct plan_entry **down = xcalloc(st->n + 1, sizeof(*down));
		struct buf why;
		size_t nd = 0;
		int rc;

		buf_init(&why);
		rc = plan_down(st, &o, down, &nd, &why);
		if (rc != 0)
			report_error(rc, why.data, NULL, NULL, NULL, 0);
		for (i = 0; rc == 0 && i < nd; i++)
			if (!(down[i]->unit->def->flags & MIGRATE_NO_TRANSACTION))
				rc = verify_step(e, down[i]->unit, false);
		buf_free(&why);
		free(down);
		if (rc != 0)
			return rc;
	}
	for (i = 0; i < st->n; i++)
	{
		const struct plan_entry *p = &st->entries[i];

		if (p->unit == NULL)
			continue;
		if (all || p->state == UNIT_PENDING || p->state == UNIT_OUT_OF_ORDER)
			units[(*n)++] = p->unit;
	}
	return 0;
}

static int
run_verify(struct engine *e, bool all, struct verify_counts *c)
{
	struct history h = {0};
	struct plan_status st = {0};
	const struct unit **units = xcalloc(registry_count + 1, sizeof(*units));
	size_t n = 0;
	size_t i;
	int rc;

	rc = engine_begin_locked(e, &h);
	if (rc == 0)
	{
		plan_status_build(registry_units, registry_count, &h, &st);
		rc = select_units(e, &st, all, units, &n);
	}
	for (i = 0; rc == 0 && i < n; i++)
		rc = verify_unit(e, units[i], c);
	/* verify never changes anything */
	engine_rollback(e->db);
	plan_status_free(&st);
	history_free(&h);
	free(units);
	return rc;
}

int
cmd_verify(struct cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
		{"all", no_argument, NULL, 'a'}, {"no-safety", no_argument, NULL, 'S'}, {NULL, 0, NULL, 0}};
	struct verify_counts c = {0};
	struct engine e;
	bool all = false;
	char extra[256];
	int opt;
	int rc;

	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "", longopts, NULL)) != -1)
	{
		if (opt == 'a')
			all = true;
		else if (opt == 'S')
			safety_set_enabled(false);
		else
			return cli_usage_error("unknown option \"%s\" for verify", argv[optind - 1]);
	}
	if (optind < argc)
		return cli_usage_error("unexpected argument \"%s\" for verify", argv[optind]);
	if (all && cli->cfg.protected_env && !cli->force)
	{
		report_error(2, "refusing \"verify --all\" on a protected environment without --force",
					 NULL, NULL, NULL, 0);
		return 2;
	}
	rc = engine_open(&e, &cli->cfg);
	if (rc == 0)
		rc = run_verify(&e, all, &c);
	engine_close(&e);
	if (rc == 0 && c.broken > 0)
		rc = 7;
	rc = safety_exit_code(rc);
	if (!cli->json && !cli->quiet)
		printf("verify: %d reversible, %d irreversible, %d skipped, %d broken\n", c.reversible,
			   c.irreversible, c.skipped, c.broken);
	snprintf(extra, sizeof(extra),
			 "\"reversible\":%d,\"irreversible\":%d,\"skipped_units\":%d,\"broken\":%d",
			 c.reversible, c.irreversible, c.skipped, c.broken);
	if (safety_summary_json()[0])
		snprintf(extra + strlen(extra), sizeof(extra) - strlen(extra), ",%s",
				 safety_summary_json());
	return report_finish(rc, extra);
}
