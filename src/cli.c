/*
 * cli.c: the command table, usage text (defined once, used by help and by
 * errors) and small option helpers.
 */
#include "cli.h"
#include "exitcode.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "unitname.h"

static const struct command commands[] = {
	{"up", cmd_up, CMD_NEEDS_CONFIG | CMD_CHANGES,
	 "up [--to V] [--step N] [--dry-run [--no-safety]] [--single-transaction] [--out-of-order]",
	 "apply pending units in version order",
	 "      --to V                 apply up to and including version V (V >= 1)\n"
	 "      --step N               apply at most N units (N >= 1)\n"
	 "      --dry-run              run everything in one transaction, report, roll back\n"
	 "      --single-transaction   apply every selected unit in one transaction\n"
	 "      --out-of-order         apply pending versions below the highest applied one\n"
	 "      --no-safety            with --dry-run: skip the live-database hazard report\n"},
	{"down", cmd_down, CMD_NEEDS_CONFIG | CMD_PROTECTED | CMD_CHANGES,
	 "down [--step N | --to V | --all] [--dry-run] [--single-transaction]",
	 "roll back applied units, newest first (default: one)",
	 "      --step N               roll back the newest N units\n"
	 "      --to V                 roll back every unit above version V\n"
	 "      --all                  roll back every applied unit\n"
	 "      --dry-run              run the down steps in one transaction, report, roll back\n"
	 "      --single-transaction   roll back every selected unit in one transaction\n"},
	{"redo", cmd_redo, CMD_NEEDS_CONFIG | CMD_PROTECTED | CMD_CHANGES, "redo [--step N]",
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
	{"new", cmd_new, CMD_NEEDS_CONFIG, "new NAME [--seq | --timestamp] [--sql]",
	 "write migrations/<version>_NAME.pgc (or .sql) from the unit template",
	 "      --seq                  number it after the highest version, as wide as its\n"
	 "                             number (at least 4 digits); refused after timestamps\n"
	 "      --timestamp            number it with the UTC time, YYYYMMDDHHMMSS\n"
	 "                             (default: the numbering the units there use;\n"
	 "                             timestamps in an empty directory)\n"
	 "      --sql                  write a plain-SQL unit, NAME.sql\n"},
	{"import", cmd_import, CMD_NEEDS_CONFIG, "import --from FORMAT DIR [--adopt]",
	 "write another tool's migrations in DIR as .sql units in migrations/",
	 "      --from FORMAT          golang-migrate, dbmate, goose, flyway or diesel\n"
	 "      --adopt                also take over the tool's history in the database:\n"
	 "                             its applied versions become baseline rows\n"},
	{"baseline", cmd_baseline, CMD_NEEDS_CONFIG | CMD_CHANGES, "baseline V",
	 "record every unit up to V as baseline without running it", ""},
	{"verify", cmd_verify, CMD_NEEDS_CONFIG, "verify [--all] [--no-safety]",
	 "prove each pending unit's down undoes its up, in a rolled-back transaction",
	 "      --all                  verify every unit from an empty database (emptied\n"
	 "                             inside the rolled-back transaction)\n"
	 "      --no-safety            skip the live-database hazard report (exit 8)\n\n"
	 "Verdicts: reversible, irreversible (declared), skipped (no-transaction),\n"
	 "untestable (fails only in one transaction), broken (exit 7), failed (up step\n"
	 "failed, exit 1).\n"},
	{"repair", cmd_repair, CMD_NEEDS_CONFIG | CMD_CHANGES, "repair",
	 "store this binary's checksums; clear running rows whose runner is gone", ""},
	{"schema", cmd_schema, CMD_NEEDS_CONFIG, "schema",
	 "print the canonical schema description that the fingerprint hashes", ""},
	{"create-db", cmd_create_db, CMD_NEEDS_CONFIG, "create-db",
	 "create the target database if it is missing", ""},
	{"drop-db", cmd_drop_db, CMD_NEEDS_CONFIG | CMD_PROTECTED, "drop-db",
	 "drop the target database if it exists", ""},
	{"protect", cmd_protect, CMD_NEEDS_CONFIG, "protect",
	 "mark the target database as protected: down, redo and drop-db need --force there", ""},
	{"unprotect", cmd_unprotect, CMD_NEEDS_CONFIG | CMD_PROTECTED, "unprotect --force",
	 "remove the database's protection mark", ""},
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
	"      --force                allow down, redo, drop-db, verify --all on protected\n"
	"                             environments and databases marked by \"protect\"\n"
	"  -h, --help                 show this help, then exit\n"
	"      --version              show the version, then exit\n"
	"\n"
	"Connection options:\n"
	"  -d, --database-url URL     connection string, URI or key=value (env DATABASE_URL)\n";

static const char exit_codes[] =
	"Exit codes: 0 success, 1 a unit failed (rolled back; verify: an up step failed),\n"
	"2 usage, configuration or protection refusal, 3 status --check: pending or\n"
	"drift, 4 lock not granted, 5 cannot connect or read-only standby, 6 integrity\n"
	"refusal, 7 verify found a broken unit, 8 verify or up --dry-run found a\n"
	"live-database hazard that no unit accepted, 130/143 interrupted (SIGINT/SIGTERM).\n";

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
	return EXIT_USAGE;
}

int
cli_parse_int(const char *opt, const char *text, long min, long max, long *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(text, &end, 10);
	while (*end == ' ' || *end == '\t')
		end++;
	if (end == text || *end != '\0')
		return cli_usage_error("invalid value \"%s\" for %s: expected a whole number", text, opt);
	if (errno == ERANGE || v < min || v > max)
		return cli_usage_error("%s must be in range %ld..%ld, not \"%s\"", opt, min, max, text);
	*out = v;
	return 0;
}

int
cli_parse_count(const char *opt, const char *text, long *out)
{
	return cli_parse_int(opt, text, 1, INT_MAX, out);
}

int
cli_parse_version(const char *opt, const char *text, long long min, long long *out)
{
	if (unitname_parse_version(text, out) != 0)
		return cli_usage_error("invalid version \"%s\" for %s: expected 1 to %d digits", text, opt,
							   UNITNAME_MAX_DIGITS);
	if (*out < min)
		return cli_usage_error("%s must be at least %lld, not \"%s\"", opt, min, text);
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
