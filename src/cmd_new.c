/*
 * cmd_new.c: "migrate new NAME [--seq] [--sql]" writes a unit from the
 * template (--sql: a plain-SQL unit).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "cli.h"
#include "json.h"
#include "log.h"
#include "unitname.h"

static const char unit_template[] =
	"/*\n"
	" * %s: say what this change does and why.\n"
	" *\n"
	" * up() applies the change and down() undoes it exactly; the runner wraps\n"
	" * each in a transaction with its history row.  The first failing\n"
	" * statement ends the step and rolls the unit back.\n"
	" */\n"
	"EXEC SQL INCLUDE migrate_unit;\n"
	"\n"
	"static int\n"
	"up(void)\n"
	"{\n"
	"\t/* EXEC SQL CREATE TABLE example (id bigint PRIMARY KEY); */\n"
	"\treturn 0;\n"
	"}\n"
	"\n"
	"static int\n"
	"down(void)\n"
	"{\n"
	"\t/* EXEC SQL DROP TABLE example; */\n"
	"\treturn 0;\n"
	"}\n"
	"\n"
	"/* flags: 0, MIGRATE_IRREVERSIBLE (down refused), MIGRATE_NO_TRANSACTION */\n"
	"MIGRATE_UNIT(up, down, 0);\n";

static const char sql_unit_template[] =
	"-- %s: say what this change does and why.\n"
	"-- The up section runs in one transaction with the unit's history row\n"
	"-- (add transaction:false to its marker line for CREATE INDEX\n"
	"-- CONCURRENTLY and the like); without a down section the unit is\n"
	"-- irreversible.\n"
	"\n"
	"-- migrate:up\n"
	"-- CREATE TABLE example (id bigint PRIMARY KEY);\n"
	"\n"
	"-- migrate:down\n"
	"-- DROP TABLE example;\n";

/* The highest version among the unit files in dir (0 when none). */
static long long
highest_version(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	long long max = 0;

	if (d == NULL)
		return 0;
	while ((de = readdir(d)) != NULL)
	{
		long long v;
		char name[256];
		const char *why;

		if (unitname_parse(de->d_name, &v, name, sizeof(name), &why) == 0 && v > max)
			max = v;
	}
	closedir(d);
	return max;
}

static int
write_unit(const char *path, const char *template, const char *label)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);
	FILE *f;
	int bad;

	if (fd < 0)
	{
		log_error("could not create \"%s\": %s", path, strerror(errno));
		return 2;
	}
	f = fdopen(fd, "w");
	if (f == NULL)
	{
		close(fd);
		return 2;
	}
	fprintf(f, template, label);
	bad = ferror(f);
	if (fclose(f) != 0 || bad)
	{
		log_error("could not write \"%s\": %s", path, strerror(errno));
		unlink(path);
		return 2;
	}
	return 0;
}

int
cmd_new(struct cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
		{"seq", no_argument, NULL, 's'}, {"sql", no_argument, NULL, 'q'}, {NULL, 0, NULL, 0}};
	const char *dir = cli->cfg.migrations_dir;
	bool seq = false;
	bool sql = false;
	char version[32];
	struct buf path;
	int c;
	int rc;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1)
	{
		if (c == 's')
			seq = true;
		else if (c == 'q')
			sql = true;
		else
			return cli_usage_error("unknown option \"%s\" for new", argv[optind - 1]);
	}
	if (optind != argc - 1)
		return cli_usage_error("new takes one NAME");
	if (unitname_valid_name(argv[optind]) != 0)
		return cli_usage_error("invalid unit name \"%s\": use a-z, 0-9 and _", argv[optind]);
	if (seq)
		snprintf(version, sizeof(version), "%04lld", highest_version(dir) + 1);
	else
	{
		time_t now = time(NULL);
		struct tm tm;

		gmtime_r(&now, &tm);
		strftime(version, sizeof(version), "%Y%m%d%H%M%S", &tm);
	}
	if (mkdir(dir, 0755) != 0 && errno != EEXIST)
	{
		log_error("could not create directory \"%s\": %s", dir, strerror(errno));
		return 2;
	}
	buf_init(&path);
	buf_printf(&path, "%s/%s_%s.%s", dir, version, argv[optind], sql ? "sql" : "pgc");
	rc =
		write_unit(path.data, sql ? sql_unit_template : unit_template, path.data + strlen(dir) + 1);
	if (rc == 0 && cli->json)
	{
		struct buf b;

		buf_init(&b);
		buf_append(&b, "{");
		json_member_string(&b, "event", "created");
		json_member_string(&b, "path", path.data);
		buf_append(&b, "}\n");
		fputs(b.data, stdout);
		buf_free(&b);
	}
	else if (rc == 0)
		printf("%s\n", path.data);
	buf_free(&path);
	return rc;
}
