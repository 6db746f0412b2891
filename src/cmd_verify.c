/*
 * cmd_verify.c: the round-trip test of SPEC section 6.
 */
#include <stdio.h>

#include "cli.h"
#include "report.h"

int
cmd_verify(struct cli *cli, int argc, char **argv)
{
	(void) cli, (void) argc, (void) argv;
	report_error(2, "\"verify\" is not available in this build yet", NULL, NULL, NULL, 0);
	return 2;
}
