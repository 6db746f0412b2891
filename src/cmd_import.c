/*
 * cmd_import.c: "migrate import --from FORMAT DIR" writes another tool's
 * migrations as plain-SQL units in the migrations directory (SPEC 12).
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "import.h"

static const struct
{
	const char *name;
	int (*read)(const char *dir, struct import_set *set);
} formats[] = {
	{"golang-migrate", import_golang_read}, {"dbmate", import_dbmate_read},
	{"goose", import_goose_read},           {"flyway", import_flyway_read},
	{"diesel", import_diesel_read},
};

int
cmd_import(struct cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {{"from", required_argument, NULL, 'f'},
											 {NULL, 0, NULL, 0}};
	const char *from = NULL;
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
		else
			return cli_usage_error("unknown option or missing value \"%s\" for import",
								   argv[optind - 1]);
	}
	if (from == NULL || optind != argc - 1)
		return cli_usage_error("import takes --from FORMAT and one DIR");
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
	rc = import_write(&set, cli->cfg.migrations_dir, cli->json);
	import_set_free(&set);
	return rc;
}
