/*
 * cmd_protect.c: "migrate protect" and "migrate unprotect --force", which
 * set and remove the protection mark in the database (protect.h).
 */
#include <stdio.h>

#include "cli.h"
#include "engine.h"
#include "exitcode.h"
#include "protect.h"
#include "report.h"

/* Connects, reads the mark and sets it to on.  Returns the exit code. */
static int
change_mark(struct cli *cli, bool on)
{
	struct engine e;
	bool marked = false;
	int rc = engine_open(&e, &cli->cfg);

	if (rc == 0)
		rc = protect_read(&e, &marked);
	if (rc == 0 && marked == on)
		report_notice("%s is %s, nothing to do", e.db->description,
					  on ? "already marked as protected" : "not marked as protected");
	else if (rc == 0)
	{
		rc = protect_set(&e, on);
		if (rc == 0 && !cli->json && !cli->quiet)
			printf("%s %s\n", on ? "protected:" : "unprotected:", e.db->description);
	}
	engine_close(&e);
	report_summary_add(on ? "\"protected\":true" : "\"protected\":false");
	return rc;
}

int
cmd_protect(struct cli *cli, int argc, char **argv)
{
	if (argc > 1)
		return cli_usage_error("unexpected argument \"%s\" for protect", argv[1]);
	return change_mark(cli, true);
}

int
cmd_unprotect(struct cli *cli, int argc, char **argv)
{
	if (argc > 1)
		return cli_usage_error("unexpected argument \"%s\" for unprotect", argv[1]);
	if (!cli->force)
		return cli_usage_error("unprotect removes the protection mark only with --force");
	return change_mark(cli, false);
}
