/*
 * cli.h: the command table and what every command receives.
 */
#ifndef MIGRATE_CLI_H
#define MIGRATE_CLI_H

#include <stdbool.h>

#include "cfg.h"

/* Command flags, handled in one place (main.c). */
#define CMD_NEEDS_CONFIG 0x1u /* loads migrate.yaml before running */
#define CMD_PROTECTED \
	0x2u /* refused in protected environments and against
							* databases marked as protected, without --force */
#define CMD_CHANGES 0x4u /* changes the database: marks it in a protected environment */

struct cli
{
	struct cfg_options copts;
	bool json;
	bool quiet;
	bool verbose;
	bool color;
	bool force;
	bool url_option; /* -d was given: it names the target */
	struct migrate_config cfg; /* loaded when CMD_NEEDS_CONFIG */
};

struct command
{
	const char *name;
	int (*run)(struct cli *cli, int argc, char **argv);
	unsigned int flags;
	const char *synopsis; /* after "migrate [OPTIONS] " */
	const char *summary; /* one line */
	const char *options; /* the command's own options, one per line */
};

/* The command named name, or NULL. */
const struct command *cli_find_command(const char *name);

/* Prints the usage of one command (or of all when cmd is NULL) to stdout. */
void cli_usage(const struct command *cmd);

/*
 * Reports a usage error: one line, then 'Try "migrate --help"...'.
 * Returns 2 for the caller to return.
 */
int cli_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Parses a whole number for option opt and checks that it lies in
 * min..max (PostgreSQL's option_parse_int).  Returns 0 and sets *out, or
 * 2 after cli_usage_error naming the option and the range.
 */
int cli_parse_int(const char *opt, const char *text, long min, long max, long *out)
	__attribute__((warn_unused_result));

/*
 * cli_parse_int for a number of units to act on (--step N): 1..INT_MAX,
 * so that 0 can never be taken for "no limit".
 */
int cli_parse_count(const char *opt, const char *text, long *out)
	__attribute__((warn_unused_result));

/*
 * Parses a version for option opt (1 to 18 digits) that must be at least
 * min.  Returns 0 and sets *out, or 2 after cli_usage_error.
 */
int cli_parse_version(const char *opt, const char *text, long long min, long long *out)
	__attribute__((warn_unused_result));

/* Command implementations (src/cmd_*.c). */
int cmd_up(struct cli *cli, int argc, char **argv);
int cmd_down(struct cli *cli, int argc, char **argv);
int cmd_redo(struct cli *cli, int argc, char **argv);
int cmd_status(struct cli *cli, int argc, char **argv);
int cmd_version(struct cli *cli, int argc, char **argv);
int cmd_schema(struct cli *cli, int argc, char **argv);
int cmd_new(struct cli *cli, int argc, char **argv);
int cmd_import(struct cli *cli, int argc, char **argv);
int cmd_baseline(struct cli *cli, int argc, char **argv);
int cmd_repair(struct cli *cli, int argc, char **argv);
int cmd_verify(struct cli *cli, int argc, char **argv);
int cmd_create_db(struct cli *cli, int argc, char **argv);
int cmd_drop_db(struct cli *cli, int argc, char **argv);
int cmd_help(struct cli *cli, int argc, char **argv);
int cmd_protect(struct cli *cli, int argc, char **argv);
int cmd_unprotect(struct cli *cli, int argc, char **argv);

#endif
