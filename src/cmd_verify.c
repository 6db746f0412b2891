/*
 * cmd_verify.c: the verify command (SPEC section 6): options, one line or
 * JSON event per unit's verdict, the summary and the exit code.  The
 * round trips themselves are the engine's (engine_verify.c).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "cli.h"
#include "engine.h"
#include "engine_verify.h"
#include "exitcode.h"
#include "json.h"
#include "report.h"
#include "vertext.h"
#include "safety.h"

struct verify_counts
{
	int n[VERIFY_FAILED + 1]; /* by verdict */
};

/* The diff lines as a JSON array of strings. */
static void
append_diff_array(struct buf *b, const char *diff)
{
	const char *p = diff;
	bool first = true;

	buf_append(b, "[");
	while (*p)
	{
		size_t len = strcspn(p, "\n");
		char *line = xmalloc(len + 1);

		memcpy(line, p, len);
		line[len] = '\0';
		if (!first)
			buf_append(b, ",");
		json_append_string(b, line);
		free(line);
		first = false;
		p += len;
		if (*p == '\n')
			p++;
	}
	buf_append(b, "]");
}

static void
print_json(const struct verify_result *r)
{
	struct buf b;
	char vt[VERTEXT_SIZE];

	buf_init(&b);
	buf_append(&b, "{");
	json_member_string(&b, "event", "verified");
	json_member_int(&b, "version", r->unit->version);
	json_member_string(&b, "version_text", vertext(r->unit->version, vt));
	json_member_string(&b, "name", r->unit->name);
	json_member_string(&b, "result", verify_verdict_name(r->verdict));
	if (r->reason != NULL)
		json_member_string(&b, "reason", r->reason);
	if (r->diff != NULL)
	{
		struct buf d;

		buf_init(&d);
		append_diff_array(&d, r->diff);
		json_member_raw(&b, "difference", d.data);
		json_member_int(&b, "differing_lines", (long long) r->ndiff);
		buf_free(&d);
	}
	buf_append(&b, "}\n");
	fputs(b.data, stdout);
	buf_free(&b);
}

/* Prints each line of text indented under the verdict line. */
static void
print_indented(const char *text)
{
	const char *p = text;

	while (*p)
	{
		size_t len = strcspn(p, "\n");

		printf("       %.*s\n", (int) len, p);
		p += len;
		if (*p == '\n')
			p++;
	}
}

static void
report_verdict(const struct verify_result *r, void *arg)
{
	struct verify_counts *c = arg;
	char vt[VERTEXT_SIZE];

	c->n[r->verdict]++;
	if (report_json())
	{
		print_json(r);
		return;
	}
	printf("verify %*s %-28s %s\n", vertext_width(), vertext(r->unit->version, vt), r->unit->name,
		   verify_verdict_name(r->verdict));
	if (r->reason != NULL)
		print_indented(r->reason);
	if (r->diff != NULL)
		print_indented(r->diff);
}

/*
 * The exit code of a finished verify (SPEC 8 and 10): a failed up step
 * is a unit that failed (1) and comes first, since the units after it
 * were verified without it; then a broken unit (7).  Untestable units
 * are not a failure of the history.
 */
static int
verdict_exit_code(const struct verify_counts *c)
{
	if (c->n[VERIFY_FAILED] > 0)
		return EXIT_UNIT_FAILED;
	if (c->n[VERIFY_BROKEN] > 0)
		return EXIT_BROKEN;
	return 0;
}

int
cmd_verify(struct cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
		{"all", no_argument, NULL, 'a'}, {"no-safety", no_argument, NULL, 'S'}, {NULL, 0, NULL, 0}};
	struct verify_counts c = {{0}};
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
		report_error(EXIT_USAGE,
					 "refusing \"verify --all\" on a protected environment without --force", NULL,
					 NULL, NULL, 0);
		return EXIT_USAGE;
	}
	rc = engine_open(&e, &cli->cfg);
	if (rc == 0)
		rc = engine_verify(&e, all, report_verdict, &c);
	engine_close(&e);
	if (rc == 0)
		rc = verdict_exit_code(&c);
	rc = safety_exit_code(rc);
	if (!cli->json && !cli->quiet)
		printf("verify: %d reversible, %d irreversible, %d skipped, %d broken, %d untestable, "
			   "%d failed\n",
			   c.n[VERIFY_REVERSIBLE], c.n[VERIFY_IRREVERSIBLE], c.n[VERIFY_SKIPPED],
			   c.n[VERIFY_BROKEN], c.n[VERIFY_UNTESTABLE], c.n[VERIFY_FAILED]);
	snprintf(extra, sizeof(extra),
			 "\"reversible\":%d,\"irreversible\":%d,\"skipped_units\":%d,\"broken\":%d,"
			 "\"untestable\":%d,\"failed\":%d",
			 c.n[VERIFY_REVERSIBLE], c.n[VERIFY_IRREVERSIBLE], c.n[VERIFY_SKIPPED],
			 c.n[VERIFY_BROKEN], c.n[VERIFY_UNTESTABLE], c.n[VERIFY_FAILED]);
	if (safety_summary_json()[0])
		snprintf(extra + strlen(extra), sizeof(extra) - strlen(extra), ",%s",
				 safety_summary_json());
	return report_finish(rc, extra);
}
