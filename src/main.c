/*
 * main.c: global options (accepted before or after the command), then
 * dispatch through the command table, with configuration loading and the
 * protected-environment refusal handled once here.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "exitcode.h"
#include "log.h"
#include "protect.h"
#include "report.h"

#ifndef MIGRATE_VERSION
#define MIGRATE_VERSION "0.0.0"
#endif

/* Global options that take a value, and where each one goes. */
static const char **
value_slot(struct cli *cli, const char *name)
{
	if (strcmp(name, "-c") == 0 || strcmp(name, "--config") == 0)
		return &cli->copts.config_file;
	if (strcmp(name, "-e") == 0 || strcmp(name, "--env") == 0)
		return &cli->copts.environment;
	if (strcmp(name, "-d") == 0 || strcmp(name, "--database-url") == 0)
		return &cli->copts.database_url;
	if (strcmp(name, "--lock-timeout") == 0)
		return &cli->copts.lock_timeout;
	if (strcmp(name, "--statement-timeout") == 0)
		return &cli->copts.statement_timeout;
	return NULL;
}

static bool
global_flag(struct cli *cli, const char *arg)
{
	if (strcmp(arg, "--json") == 0)
		cli->json = true;
	else if (strcmp(arg, "-q") == 0 || strcmp(arg, "--quiet") == 0)
		cli->quiet = true;
	else if (strcmp(arg, "-v") == 0 || strcmp(arg, "--verbose") == 0)
		cli->verbose = true;
	else if (strcmp(arg, "--no-color") == 0)
		cli->color = false;
	else if (strcmp(arg, "--force") == 0)
		cli->force = true;
	else
		return false;
	return true;
}

/*
 * Takes the global options out of argv wherever they are, leaving the
 * command and its own arguments in rest[].  Returns 0 or 2.
 */
static int
split_globals(struct cli *cli, int argc, char **argv, char **rest, int *nrest, bool *help,
			  bool *version)
{
	int i;
	bool dashdash = false;

	*nrest = 0;
	for (i = 1; i < argc; i++)
	{
		char *arg = argv[i];
		char *eq = strchr(arg, '=');
		const char **slot;

		if (dashdash || arg[0] != '-' || strcmp(arg, "-") == 0)
		{
			rest[(*nrest)++] = arg;
			continue;
		}
		if (strcmp(arg, "--") == 0)
		{
			dashdash = true;
			rest[(*nrest)++] = arg;
			continue;
		}
		if (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0)
			*help = true;
		else if (strcmp(arg, "--version") == 0 || strcmp(arg, "-V") == 0)
			*version = true;
		else if (global_flag(cli, arg))
			;
		else if (eq != NULL && strncmp(arg, "--", 2) == 0 &&
				 (*eq = '\0', slot = value_slot(cli, arg), *eq = '=', slot != NULL))
			*slot = eq + 1;
		else if ((slot = value_slot(cli, arg)) != NULL)
		{
			if (i + 1 >= argc)
				return cli_usage_error("option %s needs a value", arg);
			if (slot == &cli->copts.database_url)
				cli->url_option = true;
			*slot = argv[++i];
		}
		else
			rest[(*nrest)++] = arg;
	}
	rest[*nrest] = NULL;
	return 0;
}

/*
 * Loads the configuration and refuses protected commands in protected
 * environments; the database's own mark is checked after connecting
 * (protect.c).  Returns 0 or the exit code.
 */
/* Whether argv[1..argc-1] holds arg before any "--". */
static bool
has_arg(int argc, char **argv, const char *arg)
{
	int i;

	for (i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
		if (strcmp(argv[i], arg) == 0)
			return true;
	return false;
}

static int
prepare_command(struct cli *cli, const struct command *cmd, int argc, char **argv)
{
	int rc;

	if (!(cmd->flags & CMD_NEEDS_CONFIG))
		return EXIT_OK;
	rc = cfg_load(&cli->copts, &cli->cfg);
	if (rc != 0)
		return rc; /* logged with its place; report_finish puts it in JSON */
	if ((cmd->flags & CMD_PROTECTED) && cli->cfg.protected_env && !cli->force)
	{
		char msg[256];

		snprintf(msg, sizeof(msg),
				 "refusing \"%s\" on protected environment \"%s\" without --force", cmd->name,
				 cli->cfg.environment ? cli->cfg.environment : "(top level)");
		report_error(EXIT_USAGE, msg, NULL, NULL, NULL, 0);
		return EXIT_USAGE;
	}
	/* a dry run changes nothing, so it does not mark the database */
	protect_arm(cmd->name,
				(cmd->flags & CMD_PROTECTED) != 0 ||
					(strcmp(cmd->name, "verify") == 0 && has_arg(argc, argv, "--all")),
				cli->force,
				cli->cfg.protected_env && (cmd->flags & CMD_CHANGES) &&
					!has_arg(argc, argv, "--dry-run"));
	return EXIT_OK;
}

int
main(int argc, char **argv)
{
	struct cli cli = {0};
	char **rest = calloc((size_t) argc + 1, sizeof(char *));
	int nrest = 0;
	bool help = false;
	bool version = false;
	const struct command *cmd = NULL;
	int rc;

	if (rest == NULL)
		return EXIT_UNIT_FAILED;
	cli.color = isatty(STDOUT_FILENO) && getenv("NO_COLOR") == NULL;
	rc = split_globals(&cli, argc, argv, rest, &nrest, &help, &version);
	log_set_level(cli.quiet ? LOG_QUIET : cli.verbose ? LOG_VERBOSE : LOG_NORMAL);
	if (rc == 0 && nrest > 0 && (cmd = cli_find_command(rest[0])) == NULL)
		rc = cli_usage_error("unknown command \"%s\"", rest[0]);
	if (rc == 0 && cmd == NULL && !help && !version && cli.json)
		rc = cli_usage_error("no command given");
	/* --help, help and --version print text, never JSON */
	if (help || version || (cmd != NULL && cmd->run == cmd_help))
		cli.json = false;
	report_init(cmd ? cmd->name : NULL, cli.json, cli.quiet, cli.color);
	if (rc == 0 && version)
		printf("migrate %s\n", MIGRATE_VERSION);
	else if (rc == 0 && (help || cmd == NULL))
	{
		cli_usage(cmd);
		if (!help && cmd == NULL)
			rc = EXIT_USAGE;
	}
	else if (rc == 0)
	{
		rc = prepare_command(&cli, cmd, nrest, rest);
		if (rc == 0)
			rc = cmd->run(&cli, nrest, rest);
	}
	if (!help && !version)
		rc = report_finish(rc, NULL);
	cfg_free(&cli.cfg);
	free(rest);
	if (fflush(stdout) != 0 || ferror(stdout))
	{
		log_error("could not write to standard output");
		return rc ? rc : EXIT_UNIT_FAILED;
	}
	return rc;
}
