/*
 * test_report.c: what report.c writes for errors, versions and summaries,
 * without a database: the server's message labelled "server:", every
 * line of a DETAIL, the runner's hints for SQLSTATEs 25001 and 07002
 * (issue 10, items 18 and 22), versions as their files write them (item
 * 24), and one summary per run (item 16).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "registry.h"
#include "report.h"
#include "tap.h"
#include "vertext.h"

/* The binary's units, for vertext(): one six-digit and one timestamp. */
const struct unit registry_units[] = {
	{118, "create_a", "migrations/000118_create_a.pgc", "x", NULL},
	{20240101120000LL, "create_c", "migrations/20240101120000_create_c.pgc", "x", NULL},
};
const size_t registry_count = 2;

static char out_text[8192];
static char err_text[8192];

/* Reads what fd wrote into the temporary file f, into text. */
static void
slurp(FILE *f, char *text, size_t size)
{
	size_t n;

	rewind(f);
	n = fread(text, 1, size - 1, f);
	text[n] = '\0';
	fclose(f);
}

/* Runs fn with stdout and stderr going to out_text and err_text. */
static void
capture(void (*fn)(void))
{
	FILE *out = tmpfile();
	FILE *err = tmpfile();
	int saved_out = dup(STDOUT_FILENO);
	int saved_err = dup(STDERR_FILENO);

	fflush(stdout);
	fflush(stderr);
	dup2(fileno(out), STDOUT_FILENO);
	dup2(fileno(err), STDERR_FILENO);
	fn();
	fflush(stdout);
	fflush(stderr);
	dup2(saved_out, STDOUT_FILENO);
	dup2(saved_err, STDERR_FILENO);
	close(saved_out);
	close(saved_err);
	slurp(out, out_text, sizeof(out_text));
	slurp(err, err_text, sizeof(err_text));
}

static int
lines(const char *s)
{
	int n = 0;

	for (; *s != '\0'; s++)
		n += *s == '\n';
	return n;
}

static void
two_views(void)
{
	struct db_error e = {"2BP01", "cannot drop table t because other objects depend on it",
						 "view v1 depends on table t\nview v2 depends on table t",
						 "Use DROP ... CASCADE to drop the dependent objects too."};

	report_error(1, "unit 0002_drop_t failed (up step); it was rolled back", &e, "0002_drop_t",
				 "migrations/0002_drop_t.pgc", 12);
}

static void
select_without_into(void)
{
	struct db_error e = {"07002", "too few arguments", NULL, NULL};

	report_error(1, "unit 000118_create_a failed (up step); it was rolled back", &e, NULL, NULL, 0);
}

static void
in_transaction_block(void)
{
	struct db_error e = {"25001", "CREATE INDEX CONCURRENTLY cannot run inside a transaction block",
						 NULL, NULL};

	report_error(1, "unit failed", &e, NULL, NULL, 0);
}

static void
units_and_summary(void)
{
	report_unit("up", 118, "create_a", "ok", 3);
	report_unit("up", 20240101120000LL, "create_c", "ok", 4);
	report_counts()->applied += 2;
	report_finish(0, NULL);
	report_finish(0, NULL);
}

static void
dry_run_json(void)
{
	report_unit("would-up", 118, "create_a", "ok (rolled back)", 3);
	report_finish(0, NULL);
}

int
main(void)
{
	char vt[VERTEXT_SIZE];

	report_init("up", false, false, false);
	capture(two_views);
	ok(strstr(err_text, "\nserver: cannot drop table t because other objects depend on it "
						"(SQLSTATE 2BP01)\n") != NULL,
	   "the server's message is labelled server:, with its SQLSTATE");
	ok(strstr(err_text, "detail: cannot drop") == NULL, "and not detail:");
	ok(strstr(err_text, "\ndetail: view v1 depends on table t\ndetail: view v2 depends on table "
						"t\n") != NULL,
	   "every line of the DETAIL is a detail: line");
	ok(strstr(err_text, "hint: Use DROP ... CASCADE") != NULL, "the server's hint follows");
	capture(select_without_into);
	ok(strstr(err_text, "hint: a SELECT in a unit needs INTO host variables") != NULL,
	   "SQLSTATE 07002 gets a hint: a SELECT needs INTO");
	capture(in_transaction_block);
	ok(strstr(err_text, "MIGRATE_NO_TRANSACTION") != NULL,
	   "SQLSTATE 25001 gets a hint: MIGRATE_NO_TRANSACTION");

	is(vertext(118, vt), "000118", "a unit's version prints as its file writes it");
	is(vertext(7, vt), "7", "a version without a unit prints as a plain number");
	cmp_ok(vertext_width(), ==, 14, "the widest version text is the timestamp's");
	capture(units_and_summary);
	ok(strncmp(out_text,
			   "up    000118         create_a                     ok  3 ms\n"
			   "up    20240101120000 create_c                     ok  4 ms\n"
			   "up: 2 applied, 0 rolled back, 0 skipped in ",
			   strlen("up    000118         create_a                     ok  3 ms\n"
					  "up    20240101120000 create_c                     ok  4 ms\n"
					  "up: 2 applied, 0 rolled back, 0 skipped in ")) == 0,
	   "unit lines put the names in one column after the widest version, then the summary");
	cmp_ok(lines(out_text), ==, 3, "a second report_finish prints nothing");
	is(err_text, "", "nothing goes to stderr");

	report_init("up", true, false, false);
	capture(dry_run_json);
	ok(strstr(out_text, "\"event\":\"would_apply\",\"version\":118,\"version_text\":\"000118\"") !=
		   NULL,
	   "JSON events keep the version a number and add version_text");
	ok(strstr(out_text, "\"would_apply\":1") != NULL, "the dry run's summary counts would_apply");
	done_testing();
}
