/*
 * cmd_migrate.c: the up, down and redo commands.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "engine.h"
#include "exitcode.h"
#include "report.h"
#include "safety.h"
#include "unitname.h"

/*
 * Handles getopt's answer c when it is an option that up and down share
 * (--dry-run, --single-transaction) or an unknown one.  Returns 0, or 2
 * after a usage error.
 */
static int
shared_option(int c, const char *cmd, char **argv, bool *dry_run, bool *single_transaction)
{
	if (c == 'n')
		*dry_run = true;
	if (c == '1')
		*single_transaction = true;
	if (c == '?')
		return cli_usage_error("unknown or incomplete option \"%s\" for %s", argv[optind - 1], cmd);
	return 0;
}

static int
finish(struct engine *e, int rc)
{
	engine_close(e);
	return report_finish(safety_exit_code(rc), safety_summary_json());
}

int
cmd_up(struct cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {{"to", required_argument, NULL, 't'},
											 {"step", required_argument, NULL, 's'},
											 {"dry-run", no_argument, NULL, 'n'},
											 {"single-transaction", no_argument, NULL, '1'},
											 {"out-of-order", no_argument, NULL, 'o'},
											 {"no-safety", no_argument, NULL, 'S'},
											 {NULL, 0, NULL, 0}};
	struct up_options o = {0};
	bool dry_run = false;
	struct engine e;
	int c;
	int rc;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1)
	{
		if (c == 't' && cli_parse_version("--to", optarg, 1, &o.to) != 0)
			return EXIT_USAGE;
		if (c == 's' && cli_parse_count("--step", optarg, &o.step) != 0)
			return EXIT_USAGE;
		if (c == 'o')
			o.out_of_order = true;
		if (c == 'S')
			safety_set_enabled(false);
		if (shared_option(c, "up", argv, &dry_run, &o.single_transaction) != 0)
			return EXIT_USAGE;
	}
	if (optind < argc)
		return cli_usage_error("unexpected argument \"%s\" for up", argv[optind]);
	o.out_of_order = o.out_of_order || cli->cfg.out_of_order;
	rc = engine_open(&e, &cli->cfg);
	if (rc != 0)
		return finish(&e, rc);
	return finish(&e, engine_up(&e, &o, dry_run));
}

int
cmd_down(struct cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {{"to", required_argument, NULL, 't'},
											 {"step", required_argument, NULL, 's'},
											 {"all", no_argument, NULL, 'a'},
											 {"dry-run", no_argument, NULL, 'n'},
											 {"single-transaction", no_argument, NULL, '1'},
											 {NULL, 0, NULL, 0}};
	struct down_options o = {.to = -1};
	bool dry_run = false;
	int given = 0;
	struct engine e;
	int c;
	int rc;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1)
	{
		if (c == 't' && (given++, cli_parse_version("--to", optarg, 0, &o.to) != 0))
			return EXIT_USAGE;
		if (c == 's' && (given++, cli_parse_count("--step", optarg, &o.step) != 0))
			return EXIT_USAGE;
		if (c == 'a')
			given++, o.all = true;
		if (shared_option(c, "down", argv, &dry_run, &o.single_transaction) != 0)
			return EXIT_USAGE;
	}
	if (optind < argc)
		return cli_usage_error("unexpected argument \"%s\" for down", argv[optind]);
	if (given > 1)
		return cli_usage_error("down takes only one of --step, --to and --all");
	if (o.step == 0 && !o.all && o.to < 0)
		o.step = 1;
	rc = engine_open(&e, &cli->cfg);
	if (rc != 0)
		return finish(&e, rc);
	return finish(&e, engine_down(&e, &o, dry_run));
}

int
cmd_redo(struct cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {{"step", required_argument, NULL, 's'},
											 {NULL, 0, NULL, 0}};
	long step = 1;
	struct engine e;
	int c;
	int rc;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1)
	{
		if (c == 's' && cli_parse_count("--step", optarg, &step) != 0)
			return EXIT_USAGE;
		if (c == '?')
			return cli_usage_error("unknown or incomplete option \"%s\" for redo",
								   argv[optind - 1]);
	}
	if (optind < argc)
		return cli_usage_error("unexpected argument \"%s\" for redo", argv[optind]);
	if (step == 0)
		step = 1;
	rc = engine_open(&e, &cli->cfg);
	if (rc == 0)
		rc = engine_redo(&e, step);
	return finish(&e, rc);
}
