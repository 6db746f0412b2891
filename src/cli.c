/*
 * cli.c: the command table, usage text (defined once, used by help and by
 * errors) and small option helpers.
 */
#include "cli.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

static const struct command commands[] = {
	{"up", cmd_up, CMD_NEEDS_CONFIG,
	 "up [--to V] [--step N] [--dry-run] [--single-transaction] [--out-of-order]",
	 "apply pending units in version order",
	 "      --to V                 apply up to and including version V\n"
	 "      --step N               apply at most N units\n"
	 "      --dry-run              run everything in one transaction, report, roll back\n"
	 "      --single-transaction   apply every selected unit in one transaction\n"
	 "      --out-of-order         apply pending versions below the highest applied one\n"},
	{"down", cmd_down, CMD_NEEDS_CONFIG | CMD_PROTECTED,
	 "down [--step N | --to V | --all] [--dry-run] [--single-transaction]",
	 "roll back applied units, newest first (default: one)",
	 "      --step N               roll back the newest N units\n"
	 "      --to V                 roll back every unit above version V\n"
	 "      --all                  roll back every applied unit\n"
	 "      --dry-run              run the down steps in one transaction, report, roll back\n"
	 "      --single-transaction   roll back every selected unit in one transaction\n"},
	{"redo", cmd_redo, CMD_NEEDS_CONFIG | CMD_PROTECTED, "redo [--step N]",
	 "roll back then re-apply the newest N units (default 1)",
	 "      --step N               redo the newest N units\n"},
	{"status", cmd_status, CMD_NEEDS_CONFIG, "status [--check] [--no-drift]",
	 "show every unit and history row, then schema drift",
	 "      --check                exit 6 if a unit is modified, unknown or running,\n"
	 "                             else 3 if any is pending or the schema drifted\n"
	 "      --no-drift             skip the fingerprint (most of the time on a large\n"
	 "                             schema): drift is not checked, null in JSON\n"},
	{"version", cmd_version, CMD_NEEDS_CONFIG, "version",
	 "print the highest applied version (0 when none)", ""},
	{"new", cmd_new, CMD_NEEDS_CONFIG, "new NAME [--seq] [--sql]",
	 "write migrations/<UTC timestamp>_NAME.pgc from the unit template",
	 "      --seq                  number it after the highest version (4 digits)\n"
	 "      --sql                  write a plain-SQL unit, NAME.sql\n"},
	{"import", cmd_import, CMD_NEEDS_CONFIG, "import --from FORMAT DIR",
	 "write another tool's migrations in DIR as .sql units in migrations/",
	 "      --from FORMAT          golang-migrate, dbmate, goose, flyway or diesel\n"},
	{"baseline", cmd_baseline, CMD_NEEDS_CONFIG, "baseline V",
	 "record every unit up to V as baseline without running it", ""},
	{"verify", cmd_verify, CMD_NEEDS_CONFIG, "verify [--all]",
	 "prove each pending unit's down undoes its up, in a rolled-back transaction",
	 "      --all                  verify every unit, rolling back the applied ones first\n"},
	{"repair", cmd_repair, CMD_NEEDS_CONFIG, "repair",
	 "store this binary's checksums; clear running rows whose runner is gone", ""},
	{"schema", cmd_schema, CMD_NEEDS_CONFIG, "schema",
	 "print the canonical schema description that the fingerprint hashes", ""},
	{"create-db", cmd_create_db, CMD_NEEDS_CONFIG, "create-db",
	 "create the target database if it is missing", ""},
	{"drop-db", cmd_drop_db, CMD_NEEDS_CONFIG | CMD_PROTECTED, "drop-db",
	 "drop the target database if it exists", ""},
	{"help", cmd_help, 0, "help [COMMAND]", "show this help, or one command's", ""},
};

static const char global_options[] =
	"Options:\n"
	"  -c, --config FILE          configuration file (default ./migrate.yaml; env MIGRATE_CONFIG)\n"
	"  -e, --env NAME             environment in the configuration (env MIGRATE_ENV)\n"
	"      --json                 print JSON lines on stdout, nothing else there\n"
	"  -q, --quiet                print errors only\n"
	"  -v, --verbose              print debugging detail on stderr\n"
	"      --no-color             no colour (also NO_COLOR)\n"
	"      --lock-timeout DUR     give up waiting for a lock after DUR (e.g. 5s)\n"
	"      --statement-timeout DUR  cancel statements running longer than DUR\n"
	"      --force                allow down, redo, drop-db, verify --all on protected "
	"environments\n"
	"  -h, --help                 show this help, then exit\n"
	"      --version              show the version, then exit\n"
	"\n"
	"Connection options:\n"
	"  -d, --database-url URL     connection string, URI or key=value (env DATABASE_URL)\n";

static const char exit_codes[] =
	"Exit codes: 0 success, 1 a unit failed (rolled back), 2 usage or configuration,\n"
	"3 status --check: pending or drift, 4 lock not granted, 5 cannot connect or\n"
	"read-only standby, 6 integrity refusal, 7 verify found a broken unit.\n";

const struct command *
cli_find_command(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

void
cli_usage(const struct command *cmd)
{
	size_t i;

	if (cmd != NULL)
	{
		printf("migrate %s: %s.\n\nUsage:\n  migrate [OPTIONS] %s\n", cmd->name, cmd->summary,
			   cmd->synopsis);
		if (cmd->options[0])
			printf("\nCommand options:\n%s", cmd->options);
		printf("\n%s", global_options);
		return;
	}
	printf("migrate applies and rolls back PostgreSQL schema migrations built into this binary.\n\n"
		   "Usage:\n  migrate [OPTIONS] COMMAND [COMMAND OPTIONS]\n\nCommands:\n");
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		printf("  %-10s %s\n", commands[i].name, commands[i].summary);
	printf("\n%s\n%s\nRun \"migrate help COMMAND\" for a command's options.\n", global_options,
		   exit_codes);
}

int
cli_usage_error(const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	log_error("%s", msg);
	fprintf(stderr, "Try \"migrate --help\" for more information.\n");
	return 2;
}

int
cli_parse_count(const char *opt, const char *text, long *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(text, &end, 10);
	if (errno != 0 || end == text || *end != '\0' || v < 0)
		return cli_usage_error("invalid value \"%s\" for %s: expected a whole number", text, opt);
	*out = v;
	return 0;
}

int
cmd_help(struct cli *cli, int argc, char **argv)
{
	(void) cli;
	if (argc > 1)
	{
		const struct command *c = cli_find_command(argv[1]);

		if (c == NULL)
			return cli_usage_error("unknown command \"%s\"", argv[1]);
		cli_usage(c);
		return 0;
	}
	cli_usage(NULL);
	return 0;
}
