/*
 * cmd_admin.c: baseline and repair.
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
cmd_baseline(struct cli *cli, int argc, char **argv)
{
	(void) cli, (void) argc, (void) argv;
	return not_yet("baseline");
}

int
cmd_repair(struct cli *cli, int argc, char **argv)
{
	(void) cli, (void) argc, (void) argv;
	return not_yet("repair");
}
