/*
 * test_cfg_golden.c: runs cfg_load() over the fixtures in tests/cfg and
 * compares its stderr and result with the expected files.
 *
 * Each case is named by NAME.err, the exact stderr expected (empty: the
 * load must succeed, else it must return 2).  Beside it, all optional:
 *
 *   NAME.yaml    copied into a fresh directory as migrate.yaml
 *   NAME.dotenv  copied there as .env
 *   NAME.env     VAR=value lines put into the process environment
 *   NAME.args    key=value lines: the struct cfg_options members
 *                (config_file, environment, database_url, lock_timeout,
 *                statement_timeout) and yaml_name (the name to copy
 *                NAME.yaml as)
 *   NAME.out     the merged configuration as key=value lines
 *
 * The first "# " line of NAME.yaml, NAME.args or NAME.env names the test.
 * With MIGRATE_TEST_BLESS=1 in the environment, NAME.err and NAME.out are
 * rewritten from what the code does: review the diff before committing.
 * The fixtures are found in $MIGRATE_TEST_CFG_DIR, else tests/cfg; each
 * case runs in a directory under $MIGRATE_TEST_TMP (else /tmp), which a
 * failed case keeps, saying where.
 */
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "cfg.h"
#include "dotenv.h"
#include "tap.h"

struct golden_case
{
	char dir[PATH_MAX]; /* the fixtures */
	char name[NAME_MAX + 1];
	char tmp[PATH_MAX]; /* where it runs */
	char *args; /* NAME.args, or "" */
	char *set_vars[64]; /* what to unset afterwards */
	int nset;
};

/* The file's contents, or NULL when it cannot be read. */
static char *
slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	struct buf b;
	char chunk[4096];
	size_t n;

	if (f == NULL)
		return NULL;
	buf_init(&b);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_append_len(&b, chunk, n);
	fclose(f);
	return buf_detach(&b);
}

static char *
fixture(const struct golden_case *gc, const char *ext)
{
	char path[PATH_MAX + NAME_MAX + 16];

	snprintf(path, sizeof(path), "%s/%s.%s", gc->dir, gc->name, ext);
	return slurp(path);
}

static void
put_file(const char *name, const char *text)
{
	FILE *f = fopen(name, "wb");

	if (f == NULL)
		return;
	fputs(text, f);
	fclose(f);
}

/* The value of key in "key=value" lines (a static copy), or NULL. */
static const char *
arg(const struct golden_case *gc, const char *key)
{
	static char value[1024];
	size_t klen = strlen(key);
	const char *p;

	for (p = gc->args; p != NULL && *p != '\0'; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : "")
	{
		if (strncmp(p, key, klen) == 0 && p[klen] == '=')
		{
			size_t n = strcspn(p + klen + 1, "\n");

			snprintf(value, sizeof(value), "%.*s", (int) n, p + klen + 1);
			return value;
		}
	}
	return NULL;
}

/* The first "# " line of a fixture, for the test's name. */
static void
describe(const struct golden_case *gc, char *out, size_t size)
{
	static const char *const exts[] = {"yaml", "args", "env"};
	size_t i;

	snprintf(out, size, "%s", gc->name);
	for (i = 0; i < 3; i++)
	{
		char *text = fixture(gc, exts[i]);
		char *line = text;

		while (line != NULL && *line != '\0' && strncmp(line, "# ", 2) != 0)
			line = strchr(line, '\n') ? strchr(line, '\n') + 1 : "";
		if (line != NULL && strncmp(line, "# ", 2) == 0)
		{
			snprintf(out, size, "%s: %.*s", gc->name, (int) strcspn(line + 2, "\n"), line + 2);
			free(text);
			return;
		}
		free(text);
	}
}

/* Puts NAME.env into the environment, remembering what it set. */
static void
set_environment(struct golden_case *gc)
{
	char *text = fixture(gc, "env");
	struct dotenv env;
	char *msg = NULL;
	int line;
	size_t i;

	if (text == NULL)
		return;
	if (dotenv_parse(text, strlen(text), &env, &line, &msg) != 0)
	{
		diag("%s.env:%d: %s", gc->name, line, msg);
		free(msg);
		free(text);
		return;
	}
	for (i = 0; i < env.count && gc->nset < 64; i++)
	{
		setenv(env.entries[i].name, env.entries[i].value, 1);
		gc->set_vars[gc->nset++] = xstrdup(env.entries[i].name);
	}
	dotenv_free(&env);
	free(text);
}

/* Also forgets what the case's .env put into the environment. */
static void
clear_environment(struct golden_case *gc)
{
	char *text = fixture(gc, "dotenv");
	struct dotenv env;
	char *msg = NULL;
	int line, i;
	size_t j;

	cfg_clear_environment();
	for (i = 0; i < gc->nset; i++)
	{
		unsetenv(gc->set_vars[i]);
		free(gc->set_vars[i]);
	}
	gc->nset = 0;
	if (text != NULL && dotenv_parse(text, strlen(text), &env, &line, &msg) == 0)
	{
		for (j = 0; j < env.count; j++)
			unsetenv(env.entries[j].name);
		dotenv_free(&env);
	}
	free(msg);
	free(text);
}

/* The merged configuration as key=value lines (free() it). */
static char *
dump(const struct migrate_config *cfg)
{
	struct buf b;

#define S(x) ((x) != NULL ? (x) : "(unset)")
	buf_init(&b);
	buf_printf(&b, "config_path=%s\nenvironment=%s\n", S(cfg->config_path), S(cfg->environment));
	buf_printf(&b, "database_url=%s\ndirect_url=%s\n", S(cfg->database_url), S(cfg->direct_url));
	buf_printf(&b, "history_table=%s\nmigrations_dir=%s\n", S(cfg->history_table),
			   S(cfg->migrations_dir));
	buf_printf(&b, "lock_timeout_ms=%ld\nlock_retries=%d\n", cfg->lock_timeout_ms,
			   cfg->lock_retries);
	buf_printf(&b, "statement_timeout_ms=%ld\nconnect_retries=%d\n", cfg->statement_timeout_ms,
			   cfg->connect_retries);
	buf_printf(&b, "connect_timeout_ms=%ld\nout_of_order=%s\nprotected=%s\n",
			   cfg->connect_timeout_ms, cfg->out_of_order ? "true" : "false",
			   cfg->protected_env ? "true" : "false");
#undef S
	return buf_detach(&b);
}

/* Runs cfg_load() in the case's directory; returns its stderr. */
static char *
run_load(struct golden_case *gc, int *rc, char **out)
{
	struct cfg_options opts = {NULL, NULL, NULL, NULL, NULL};
	struct migrate_config cfg;
	char *opt[5];
	int saved, fd;

	opt[0] = xstrdup(arg(gc, "config_file"));
	opt[1] = xstrdup(arg(gc, "environment"));
	opt[2] = xstrdup(arg(gc, "database_url"));
	opt[3] = xstrdup(arg(gc, "lock_timeout"));
	opt[4] = xstrdup(arg(gc, "statement_timeout"));
	opts.config_file = opt[0];
	opts.environment = opt[1];
	opts.database_url = opt[2];
	opts.lock_timeout = opt[3];
	opts.statement_timeout = opt[4];
	fflush(stdout);
	saved = dup(2);
	fd = open("stderr.txt", O_WRONLY | O_CREAT | O_TRUNC, 0644);
	dup2(fd, 2);
	close(fd);
	*rc = cfg_load(&opts, &cfg);
	dup2(saved, 2);
	close(saved);
	*out = *rc == 0 ? dump(&cfg) : NULL;
	cfg_free(&cfg);
	for (fd = 0; fd < 5; fd++)
		free(opt[fd]);
	return slurp("stderr.txt");
}

/* Adds text to the report, line by line, as TAP comments. */
static void
report_lines(struct buf *report, const char *label, const char *text)
{
	const char *p = text ? text : "(nothing)\n";

	buf_printf(report, "# %s:\n", label);
	while (*p != '\0')
	{
		int n = (int) strcspn(p, "\n");

		buf_printf(report, "#   |%.*s\n", n, p);
		p += n + (p[n] == '\n');
	}
}

static void
copy_inputs(struct golden_case *gc)
{
	char *yaml = fixture(gc, "yaml");
	char *dotenv = fixture(gc, "dotenv");
	const char *as = arg(gc, "yaml_name");

	if (yaml != NULL)
		put_file(as ? as : "migrate.yaml", yaml);
	if (dotenv != NULL)
		put_file(".env", dotenv);
	free(yaml);
	free(dotenv);
}

static void
remove_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char path[PATH_MAX + NAME_MAX + 2];

	while (d != NULL && (e = readdir(d)) != NULL)
	{
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		unlink(path);
	}
	if (d != NULL)
		closedir(d);
	rmdir(dir);
}

/* Writes what the code did as the expected files. */
static void
bless(const struct golden_case *gc, const char *err, const char *out)
{
	char path[PATH_MAX + NAME_MAX + 16];

	snprintf(path, sizeof(path), "%s/%s.err", gc->dir, gc->name);
	put_file(path, err ? err : "");
	snprintf(path, sizeof(path), "%s/%s.out", gc->dir, gc->name);
	if (out != NULL)
		put_file(path, out);
}

/* Checks one case: stderr, exit code and, when given, the result. */
static bool
check_case(struct golden_case *gc, const char *cwd, struct buf *report)
{
	char *want_err = fixture(gc, "err");
	char *want_out = fixture(gc, "out");
	char *got_err, *got_out = NULL;
	int rc;
	int want_rc;
	bool pass;

	want_rc = want_err != NULL && want_err[0] != '\0' ? 2 : 0;
	clear_environment(gc);
	set_environment(gc);
	copy_inputs(gc);
	got_err = run_load(gc, &rc, &got_out);
	if (getenv("MIGRATE_TEST_BLESS") != NULL)
	{
		bless(gc, got_err, got_out);
		free(want_err);
		free(want_out);
		want_err = fixture(gc, "err");
		want_out = fixture(gc, "out");
		want_rc = want_err != NULL && want_err[0] != '\0' ? 2 : 0;
	}
	pass = rc == want_rc && got_err != NULL && strcmp(got_err, want_err) == 0 &&
		   (want_out == NULL || (got_out != NULL && strcmp(got_out, want_out) == 0));
	if (!pass)
	{
		buf_printf(report, "# exit code %d, expected %d; kept %s\n", rc, want_rc, gc->tmp);
		report_lines(report, "stderr", got_err);
		report_lines(report, "expected stderr", want_err);
		if (want_out != NULL)
		{
			report_lines(report, "result", got_out);
			report_lines(report, "expected result", want_out);
		}
	}
	clear_environment(gc);
	if (chdir(cwd) != 0)
		diag("could not return to %s", cwd);
	free(want_err);
	free(want_out);
	free(got_err);
	free(got_out);
	return pass;
}

static void
run_case(const char *dir, const char *name, const char *cwd)
{
	struct golden_case gc;
	char title[512];
	bool pass = false;
	struct buf report;

	memset(&gc, 0, sizeof(gc));
	snprintf(gc.dir, sizeof(gc.dir), "%s", dir);
	snprintf(gc.name, sizeof(gc.name), "%s", name);
	snprintf(gc.tmp, sizeof(gc.tmp), "%s/cfg_golden.XXXXXX",
			 getenv("MIGRATE_TEST_TMP") ? getenv("MIGRATE_TEST_TMP") : "/tmp");
	gc.args = fixture(&gc, "args");
	describe(&gc, title, sizeof(title));
	buf_init(&report);
	if (mkdtemp(gc.tmp) != NULL && chdir(gc.tmp) == 0)
		pass = check_case(&gc, cwd, &report);
	ok(pass, "%s", title);
	fputs(report.data, stdout);
	if (pass)
		remove_dir(gc.tmp);
	buf_free(&report);
	free(gc.args);
}

static int
is_err_file(const struct dirent *e)
{
	size_t n = strlen(e->d_name);

	return n > 4 && strcmp(e->d_name + n - 4, ".err") == 0;
}

int
main(void)
{
	const char *dir = getenv("MIGRATE_TEST_CFG_DIR");
	char fixtures[PATH_MAX];
	char cwd[PATH_MAX];
	struct dirent **list;
	int n, i;

	if (realpath(dir ? dir : "tests/cfg", fixtures) == NULL || getcwd(cwd, sizeof(cwd)) == NULL)
	{
		ok(0, "the fixtures directory tests/cfg is found (run from the top of the tree)");
		return done_testing();
	}
	n = scandir(fixtures, &list, is_err_file, alphasort);
	ok(n >= 20, "there are at least 20 golden cases");
	for (i = 0; i < n; i++)
	{
		list[i]->d_name[strlen(list[i]->d_name) - 4] = '\0';
		run_case(fixtures, list[i]->d_name, cwd);
		free(list[i]);
	}
	if (n > 0)
		free(list);
	return done_testing();
}
