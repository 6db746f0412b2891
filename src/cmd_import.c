/*
 * cmd_import.c: "migrate import --from FORMAT DIR" writes another tool's
 * migrations as plain-SQL units in the migrations directory (SPEC 12).
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "adopt.h"
#include "cli.h"
#include "engine.h"
#include "import.h"
#include "report.h"

static const struct
{
	const char *name;
	int (*read)(const char *dir, struct import_set *set);
} formats[] = {
	{"golang-migrate", import_golang_read}, {"dbmate", import_dbmate_read},
	{"goose", import_goose_read},           {"flyway", import_flyway_read},
	{"diesel", import_diesel_read},
};

/* import_plan, then adopt_run, which writes the files with the history. */
static int
adopt(struct cli *cli, struct import_set *set)
{
	struct engine e;
	int recorded = 0;
	char extra[64];
	int rc = import_plan(set, cli->cfg.migrations_dir);

	if (rc != 0)
		return rc;
	rc = engine_open(&e, &cli->cfg);
	if (rc == 0)
		rc = adopt_run(&e, set, cli->cfg.migrations_dir, cli->json, &recorded);
	if (rc == 0 && !cli->json && !cli->quiet)
		printf("adopt: %d version%s of %s's history recorded as baseline, none run\n", recorded,
			   recorded == 1 ? "" : "s", set->format);
	engine_close(&e);
	snprintf(extra, sizeof(extra), "\"baselined\":%d", recorded);
	report_summary_add(extra);
	return rc;
}

int
cmd_import(struct cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {{"from", required_argument, NULL, 'f'},
											 {"adopt", no_argument, NULL, 'a'},
											 {NULL, 0, NULL, 0}};
	const char *from = NULL;
	bool adopting = false;
	struct import_set set = {0};
	size_t i;
	int c;
	int rc;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1)
	{
		if (c == 'f')
			from = optarg;
		else if (c == 'a')
			adopting = true;
		else
			return cli_usage_error("unknown option or missing value \"%s\" for import",
								   argv[optind - 1]);
	}
	if (from == NULL || optind != argc - 1)
		return cli_usage_error("import takes --from FORMAT and one DIR (and --adopt)");
	for (i = 0; i < sizeof(formats) / sizeof(formats[0]); i++)
		if (strcmp(formats[i].name, from) == 0)
			break;
	if (i == sizeof(formats) / sizeof(formats[0]))
		return cli_usage_error(
			"unknown format \"%s\": golang-migrate, dbmate, goose, flyway or diesel", from);
	set.format = formats[i].name;
	/* after a refusal, the checks still run to report every problem at once;
	 * import_write writes nothing once anything was refused */
	(void) formats[i].read(argv[optind], &set);
	rc = adopting ? adopt(cli, &set) : import_write(&set, cli->cfg.migrations_dir, cli->json);
	import_set_free(&set);
	return rc;
}
