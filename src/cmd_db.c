/*
 * cmd_db.c: create-db and drop-db, through the postgres maintenance database.
 */
#include <stdio.h>

#include "cli.h"
#include "report.h"

static int
not_yet(const char *name)
{
	char		msg[128];

	snprintf(msg, sizeof(msg), "\"%s\" is not available in this build yet", name);
	report_error(2, msg, NULL, NULL, NULL, 0);
	return 2;
}

int
cmd_create_db(struct cli *cli, int argc, char **argv)
{
	(void) cli, (void) argc, (void) argv;
	return not_yet("create-db");
}

int
cmd_drop_db(struct cli *cli, int argc, char **argv)
{
	(void) cli, (void) argc, (void) argv;
	return not_yet("drop-db");
}
