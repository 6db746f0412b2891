/*
 * cmd_new.c: "migrate new NAME [--seq] [--sql]" writes a unit from the
 * template (--sql: a plain-SQL unit).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "cli.h"
#include "exitcode.h"
#include "json.h"
#include "log.h"
#include "report.h"
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

/* The numbering a new unit gets. */
enum numbering
{
	NUMBER_TIMESTAMP, /* the UTC time, YYYYMMDDHHMMSS */
	NUMBER_SEQUENTIAL /* the highest version plus one, zero-padded */
};

/* The unit with the highest version in migrations/. */
struct highest
{
	long long version; /* 0 when there is no unit */
	int digits; /* how many digits its file name writes */
};

static void
find_highest(const char *dir, struct highest *h)
{
	DIR *d = opendir(dir);
	struct dirent *de;

	h->version = 0;
	h->digits = 0;
	if (d == NULL)
		return;
	while ((de = readdir(d)) != NULL)
	{
		long long v;
		char name[256];
		const char *why;

		if (unitname_parse(de->d_name, &v, name, sizeof(name), &why) == 0 && v > h->version)
		{
			h->version = v;
			h->digits = (int) strspn(de->d_name, "0123456789");
		}
	}
	closedir(d);
}

/* Whether a version reads as a UTC timestamp YYYYMMDDHHMMSS. */
static bool
timestamp_like(long long v)
{
	int sec = (int) (v % 100), min = (int) (v / 100 % 100), hour = (int) (v / 10000 % 100);
	int day = (int) (v / 1000000 % 100), month = (int) (v / 100000000 % 100);
	long long year = v / 10000000000LL;

	return year >= 1970 && year <= 9999 && month >= 1 && month <= 12 && day >= 1 && day <= 31 &&
		   hour < 24 && min < 60 && sec < 60;
}

/*
 * The version text of the new unit: the numbering asked for, else the one
 * the highest unit uses (timestamps in an empty directory).  Returns 0, or
 * 2 after a usage error when --seq would give a timestamp-like number.
 */
static int
choose_version(const char *dir, int asked, char *out, size_t size, enum numbering *chosen)
{
	struct highest h;

	find_highest(dir, &h);
	if (asked >= 0)
		*chosen = (enum numbering) asked;
	else
		*chosen =
			h.version > 0 && !timestamp_like(h.version) ? NUMBER_SEQUENTIAL : NUMBER_TIMESTAMP;
	if (*chosen == NUMBER_SEQUENTIAL && timestamp_like(h.version))
	{
		cli_usage_error("cannot number sequentially after the timestamp version %lld: the next "
						"number would read as a timestamp",
						h.version);
		log_hint("leave out --seq: new units in %s get UTC timestamps", dir);
		return EXIT_USAGE;
	}
	if (*chosen == NUMBER_SEQUENTIAL)
	{
		/* as wide as the highest's name writes it, at least 4 digits */
		int width = h.digits < 4                     ? 4
					: h.digits > UNITNAME_MAX_DIGITS ? UNITNAME_MAX_DIGITS
													 : h.digits;

		snprintf(out, size, "%0*lld", width, h.version + 1);
	}
	else
	{
		time_t now = time(NULL);
		struct tm tm;
		long long v;

		gmtime_r(&now, &tm);
		strftime(out, size, "%Y%m%d%H%M%S", &tm);
		v = atoll(out);
		/* a clock behind the newest unit must not number a unit below it */
		if (v <= h.version)
			snprintf(out, size, "%lld", h.version + 1);
	}
	return 0;
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
		return EXIT_USAGE;
	}
	f = fdopen(fd, "w");
	if (f == NULL)
	{
		close(fd);
		return EXIT_USAGE;
	}
	fprintf(f, template, label);
	bad = ferror(f);
	if (fclose(f) != 0 || bad)
	{
		log_error("could not write \"%s\": %s", path, strerror(errno));
		unlink(path);
		return EXIT_USAGE;
	}
	return 0;
}

int
cmd_new(struct cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {{"seq", no_argument, NULL, 's'},
											 {"timestamp", no_argument, NULL, 't'},
											 {"sql", no_argument, NULL, 'q'},
											 {NULL, 0, NULL, 0}};
	const char *dir = cli->cfg.migrations_dir;
	int asked = -1;
	enum numbering chosen;
	bool sql = false;
	char version[32];
	struct buf path;
	int c;
	int rc;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1)
	{
		if ((c == 's' || c == 't') && asked >= 0)
			return cli_usage_error("new takes only one of --seq and --timestamp");
		if (c == 's')
			asked = NUMBER_SEQUENTIAL;
		else if (c == 't')
			asked = NUMBER_TIMESTAMP;
		else if (c == 'q')
			sql = true;
		else
			return cli_usage_error("unknown option \"%s\" for new", argv[optind - 1]);
	}
	if (optind != argc - 1)
		return cli_usage_error("new takes one NAME");
	if (unitname_valid_name(argv[optind]) != 0)
		return cli_usage_error("invalid unit name \"%s\": use a-z, 0-9 and _", argv[optind]);
	rc = choose_version(dir, asked, version, sizeof(version), &chosen);
	if (rc != 0)
		return rc;
	if (mkdir(dir, 0755) != 0 && errno != EEXIST)
	{
		log_error("could not create directory \"%s\": %s", dir, strerror(errno));
		return EXIT_USAGE;
	}
	buf_init(&path);
	buf_printf(&path, "%s/%s_%s.%s", dir, version, argv[optind], sql ? "sql" : "pgc");
	rc =
		write_unit(path.data, sql ? sql_unit_template : unit_template, path.data + strlen(dir) + 1);
	if (rc == 0 && cli->json)
	{
		struct buf b;

		buf_init(&b);
		json_member_string(&b, "path", path.data);
		json_member_string(&b, "numbering",
						   chosen == NUMBER_SEQUENTIAL ? "sequential" : "timestamp");
		report_event("created", b.data);
		buf_free(&b);
	}
	else if (rc == 0)
	{
		printf("%s\n", path.data);
		if (!cli->quiet)
			log_info(
				"numbered %s%s", chosen == NUMBER_SEQUENTIAL ? "sequentially" : "by UTC timestamp",
				asked >= 0 ? " (as asked)"
						   : " (as the units in the directory are; --seq or --timestamp chooses)");
	}
	buf_free(&path);
	return rc;
}
