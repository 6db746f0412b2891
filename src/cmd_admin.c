/*
 * cmd_admin.c: baseline and repair, which change the history table
 * without running any unit (the work is in engine_admin.c).
 */
#include <getopt.h>
#include <stdio.h>

#include "cli.h"
#include "engine_admin.h"
#include "exitcode.h"
#include "report.h"

/* Rejects options; commands here take none of their own. */
static int
no_options(const char *command, int argc, char **argv)
{
	static const struct option longopts[] = {{NULL, 0, NULL, 0}};

	optind = 1;
	opterr = 0;
	if (getopt_long(argc, argv, "", longopts, NULL) != -1)
		return cli_usage_error("unknown option \"%s\" for %s", argv[optind - 1], command);
	return 0;
}

static int
finish(struct engine *e, int rc, const char *counter, int count)
{
	char extra[64];

	engine_close(e);
	snprintf(extra, sizeof(extra), "\"%s\":%d", counter, count);
	report_summary_add(extra);
	return rc;
}

int
cmd_baseline(struct cli *cli, int argc, char **argv)
{
	struct engine e;
	long long v;
	int recorded = 0;
	int rc;

	if (no_options("baseline", argc, argv) != 0)
		return EXIT_USAGE;
	if (optind >= argc)
		return cli_usage_error("baseline needs a version: migrate baseline V");
	if (optind + 1 < argc)
		return cli_usage_error("unexpected argument \"%s\" for baseline", argv[optind + 1]);
	if (cli_parse_version("baseline", argv[optind], 1, &v) != 0)
		return EXIT_USAGE;
	rc = engine_open(&e, &cli->cfg);
	if (rc == 0)
		rc = engine_baseline(&e, v, &recorded);
	if (rc == 0 && recorded > 0 && !report_json() && !cli->quiet)
		printf("baseline: %d unit%s recorded up to version %lld, none run\n", recorded,
			   recorded == 1 ? "" : "s", v);
	return finish(&e, rc, "baselined", recorded);
}

int
cmd_repair(struct cli *cli, int argc, char **argv)
{
	struct engine e;
	int repaired = 0;
	int rc;

	if (no_options("repair", argc, argv) != 0)
		return EXIT_USAGE;
	if (optind < argc)
		return cli_usage_error("unexpected argument \"%s\" for repair", argv[optind]);
	rc = engine_open(&e, &cli->cfg);
	if (rc == 0)
		rc = engine_repair(&e, &repaired);
	if (rc == 0 && !report_json() && !cli->quiet)
	{
		if (repaired == 0)
			printf("nothing to repair\n");
		else
			printf("repair: %d row%s changed\n", repaired, repaired == 1 ? "" : "s");
	}
	return finish(&e, rc, "repaired", repaired);
}
