/*
 * test_cfg.c: cfg_load() and cfg_load_text(): defaults, the precedence of
 * options, variables, environments and the top level, and what errors
 * leave behind and print.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "cfg.h"
#include "tap.h"

static char last_stderr[8192];

static void
clear_vars(void)
{
	cfg_clear_environment();
}

/* cfg_load_text() on yaml with stderr kept in last_stderr. */
static int
load(const char *yaml, const struct cfg_options *opts, struct migrate_config *cfg)
{
	char path[] = "/tmp/test_cfg.stderr.XXXXXX";
	int fd = mkstemp(path);
	int saved = dup(2);
	int rc;
	ssize_t n;

	fflush(stdout);
	dup2(fd, 2);
	rc = cfg_load_text("migrate.yaml", yaml, yaml ? strlen(yaml) : 0, opts, cfg);
	dup2(saved, 2);
	close(saved);
	lseek(fd, 0, SEEK_SET);
	n = read(fd, last_stderr, sizeof(last_stderr) - 1);
	last_stderr[n > 0 ? n : 0] = '\0';
	close(fd);
	unlink(path);
	return rc;
}

static void
test_defaults(void)
{
	struct migrate_config cfg;

	cfg_defaults(&cfg);
	is(cfg.history_table, "public.schema_migrations",
	   "the history table defaults to public.schema_migrations");
	is(cfg.migrations_dir, "migrations", "the migrations directory defaults to migrations");
	cmp_ok(cfg.lock_timeout_ms, ==, 5000, "lock_timeout defaults to 5 s");
	cmp_ok(cfg.lock_retries, ==, 3, "lock_retries defaults to 3");
	cmp_ok(cfg.statement_timeout_ms, ==, 0, "statement_timeout defaults to no limit");
	cmp_ok(cfg.connect_retries, ==, 5, "connect_retries defaults to 5");
	cmp_ok(cfg.connect_timeout_ms, ==, 10000, "connect_timeout defaults to 10 s");
	ok(!cfg.out_of_order && !cfg.protected_env, "out_of_order and protected default to false");
	ok(cfg.database_url == NULL && cfg.direct_url == NULL && cfg.environment == NULL &&
		   cfg.config_path == NULL,
	   "no url, environment or path by default");
	cfg_free(&cfg);
	ok(cfg.history_table == NULL, "cfg_free zeroes the struct");
	cfg_free(&cfg);
	cfg_free(NULL);
	ok(1, "cfg_free accepts a freed struct and NULL");
}

static const char precedence_yaml[] = "lock_timeout: 1s\n"
									  "statement_timeout: 1s\n"
									  "database_url: postgresql://top/red7\n"
									  "default_environment: staging\n"
									  "environments:\n"
									  "  staging:\n"
									  "    lock_timeout: 2s\n"
									  "    statement_timeout: 2s\n"
									  "    database_url: postgresql://staging/red7\n"
									  "  other:\n"
									  "    lock_timeout: 9min\n";

static void
test_precedence(void)
{
	struct cfg_options opts = {NULL, NULL, NULL, NULL, NULL};
	struct migrate_config cfg;

	clear_vars();
	cmp_ok(load(precedence_yaml, &opts, &cfg), ==, 0, "the precedence file loads");
	cmp_ok(cfg.lock_timeout_ms, ==, 2000, "the selected environment beats the top level");
	is(cfg.environment, "staging", "default_environment selects the environment");
	cfg_free(&cfg);

	setenv("MIGRATE_LOCK_TIMEOUT", "3s", 1);
	setenv("DATABASE_URL", "postgresql://variable/red7", 1);
	cmp_ok(load(precedence_yaml, &opts, &cfg), ==, 0, "the file loads with variables set");
	cmp_ok(cfg.lock_timeout_ms, ==, 3000, "MIGRATE_LOCK_TIMEOUT beats the environment");
	cmp_ok(cfg.statement_timeout_ms, ==, 2000,
		   "keys without a variable keep the environment's value");
	is(cfg.database_url, "postgresql://variable/red7", "DATABASE_URL beats the file");
	cfg_free(&cfg);

	opts.lock_timeout = "4s";
	opts.database_url = "postgresql://option/red7";
	opts.environment = "other";
	cmp_ok(load(precedence_yaml, &opts, &cfg), ==, 0, "the file loads with options given");
	cmp_ok(cfg.lock_timeout_ms, ==, 4000, "--lock-timeout beats MIGRATE_LOCK_TIMEOUT");
	is(cfg.database_url, "postgresql://option/red7", "--database-url beats DATABASE_URL");
	is(cfg.environment, "other", "-e beats default_environment");
	cmp_ok(cfg.statement_timeout_ms, ==, 1000,
		   "a key the environment does not set falls back to the top level");
	cfg_free(&cfg);

	setenv("MIGRATE_LOCK_TIMEOUT", "", 1);
	opts.lock_timeout = NULL;
	cmp_ok(load(precedence_yaml, &opts, &cfg), ==, 0, "an empty variable is accepted");
	cmp_ok(cfg.lock_timeout_ms, ==, 9 * 60000, "an empty variable counts as unset");
	cfg_free(&cfg);
	clear_vars();
}

static void
test_environment_selection(void)
{
	struct cfg_options opts = {NULL, NULL, NULL, NULL, NULL};
	struct migrate_config cfg;

	clear_vars();
	setenv("MIGRATE_ENV", "other", 1);
	cmp_ok(load(precedence_yaml, &opts, &cfg), ==, 0, "MIGRATE_ENV selects an environment");
	is(cfg.environment, "other", "MIGRATE_ENV beats default_environment");
	cfg_free(&cfg);
	opts.environment = "staging";
	cmp_ok(load(precedence_yaml, &opts, &cfg), ==, 0, "-e selects an environment");
	is(cfg.environment, "staging", "-e beats MIGRATE_ENV");
	cfg_free(&cfg);
	opts.environment = "nowhere";
	cmp_ok(load(precedence_yaml, &opts, &cfg), ==, 2, "a missing selected environment is exit 2");
	ok(strstr(last_stderr, "\"nowhere\"") != NULL, "the error names the missing environment");
	ok(cfg.history_table == NULL && cfg.environment == NULL,
	   "after an error the struct is left empty");
	clear_vars();
	cmp_ok(load("lock_timeout: 5s\n", NULL, &cfg), ==, 0,
		   "no environments and none selected is fine");
	ok(cfg.environment == NULL, "then no environment is recorded");
	cfg_free(&cfg);
	cmp_ok(load(NULL, NULL, &cfg), ==, 0, "no file at all gives the defaults");
	ok(cfg.config_path == NULL, "and no path");
	cfg_free(&cfg);
}

/* Loads "key: value" and says whether it was accepted. */
static int
load_one(const char *key, const char *value, struct migrate_config *cfg)
{
	char yaml[512];

	snprintf(yaml, sizeof(yaml), "%s: %s\n", key, value);
	return load(yaml, NULL, cfg);
}

static void
test_values(void)
{
	struct migrate_config cfg;

	clear_vars();
	cmp_ok(load_one("history_table", "history", &cfg), ==, 0, "a bare table name is accepted");
	is(cfg.history_table, "public.history", "a bare table name is stored in public");
	cfg_free(&cfg);
	cmp_ok(load_one("history_table", "_Ops.h$1", &cfg), ==, 0,
		   "_ $ digits and capitals are accepted");
	is(cfg.history_table, "_Ops.h$1", "a qualified name is stored as it is");
	cfg_free(&cfg);
	cmp_ok(load_one("history_table", ".x", &cfg), ==, 2, "an empty schema is refused");
	cmp_ok(load_one("history_table", "x.", &cfg), ==, 2, "an empty name is refused");
	cmp_ok(load_one("history_table", "'\"Quoted\"'", &cfg), ==, 2,
		   "quoted identifiers are refused");
	cmp_ok(load_one("lock_retries", "0", &cfg), ==, 0, "zero retries are allowed");
	cfg_free(&cfg);
	cmp_ok(load_one("lock_retries", "100", &cfg), ==, 0, "100 retries are allowed");
	cfg_free(&cfg);
	cmp_ok(load_one("lock_retries", "101", &cfg), ==, 2, "101 retries are refused (range 0..100)");
	cmp_ok(load_one("lock_retries", "2147483647", &cfg), ==, 2,
		   "INT_MAX retries are refused (lock_retries + 1 overflowed)");
	cmp_ok(load_one("connect_retries", "2147483648", &cfg), ==, 2,
		   "INT_MAX + 1 retries are refused");
	cmp_ok(load_one("lock_retries", "3.0", &cfg), ==, 2, "a fraction is refused");
	cmp_ok(load_one("lock_retries", "0x10", &cfg), ==, 2, "hexadecimal is refused");
	cmp_ok(load_one("out_of_order", "TRUE", &cfg), ==, 0, "TRUE is a boolean");
	ok(cfg.out_of_order, "TRUE is true");
	cfg_free(&cfg);
	cmp_ok(load_one("out_of_order", "on", &cfg), ==, 2, "on is refused");
	cmp_ok(load_one("protected", "1", &cfg), ==, 2, "1 is refused as a boolean");
	cmp_ok(load_one("migrations_dir", "''", &cfg), ==, 2, "an empty migrations_dir is refused");
	cmp_ok(load_one("database_url", "''", &cfg), ==, 0, "an empty database_url is accepted");
	ok(cfg.database_url == NULL, "an empty database_url means none");
	cfg_free(&cfg);
	cmp_ok(load_one("database_url", "~", &cfg), ==, 0, "a null database_url is accepted");
	cfg_free(&cfg);
	cmp_ok(load_one("protected", "true\nenvironments:\n  a: {protected: false}", &cfg), ==, 0,
		   "protected is valid at the top level and in an environment");
	ok(cfg.protected_env, "the top-level protected applies with no environment selected");
	cfg_free(&cfg);
}

static void
test_secrets_and_columns(void)
{
	struct migrate_config cfg;

	clear_vars();
	setenv("MIGRATE_LOCK_TIMEOUT", "s3cret-value", 1);
	cmp_ok(load("lock_timeout: 5s\n", NULL, &cfg), ==, 2, "a bad MIGRATE_LOCK_TIMEOUT is exit 2");
	ok(strstr(last_stderr, "MIGRATE_LOCK_TIMEOUT") != NULL, "the error names the variable");
	ok(strstr(last_stderr, "s3cret") == NULL, "the error does not show the variable's value");
	clear_vars();
	setenv("TEST_CFG_PORT", "s3cret", 1);
	cmp_ok(load("connect_retries: ${TEST_CFG_PORT}\n", NULL, &cfg), ==, 2,
		   "a bad expanded value is exit 2");
	ok(strstr(last_stderr, "s3cret") == NULL, "the error does not show the expanded value");
	ok(strstr(last_stderr, "${TEST_CFG_PORT}") != NULL, "the error shows what was written");
	unsetenv("TEST_CFG_PORT");
	cmp_ok(load("migrations_dir: \"é/${NOPE}\"\n", NULL, &cfg), ==, 2,
		   "an unset variable is exit 2");
	ok(strncmp(last_stderr, "migrate.yaml:1:20: error: ", 26) == 0,
	   "the column points at the $, counting characters, past the quote");
	cmp_ok(load("migrations_dir: \"\\t${NOPE}\"\n", NULL, &cfg), ==, 2,
		   "an unset variable after an escape is exit 2");
	ok(strncmp(last_stderr, "migrate.yaml:1:17: error: ", 26) == 0,
	   "after an escape the column falls back to the start of the value");
	cmp_ok(load("database_url: [\"postgresql://u:pw@h/db?password=pw2\"]\n", NULL, &cfg), ==, 2,
		   "a sequence for database_url is exit 2");
	ok(strstr(last_stderr, "pw") == NULL || strstr(last_stderr, ":pw@") == NULL,
	   "a password in a connection string is masked in the quoted line");
	ok(strstr(last_stderr, "pw2") == NULL, "a password= parameter is masked in the quoted line");
}

static void
put_file(const char *name, const char *text)
{
	FILE *f = fopen(name, "w");

	if (f != NULL)
	{
		fputs(text, f);
		fclose(f);
	}
}

/* cfg_load() with stderr sent to /dev/null. */
static int
load_files(const struct cfg_options *opts, struct migrate_config *cfg)
{
	int saved = dup(2);
	int null = open("/dev/null", O_WRONLY);
	int rc;

	dup2(null, 2);
	close(null);
	rc = cfg_load(opts, cfg);
	dup2(saved, 2);
	close(saved);
	return rc;
}

static void
test_files(void)
{
	struct cfg_options opts = {NULL, NULL, NULL, NULL, NULL};
	struct migrate_config cfg;
	char dir[] = "/tmp/test_cfg.XXXXXX";
	char cwd[4096];

	clear_vars();
	if (getcwd(cwd, sizeof(cwd)) == NULL || mkdtemp(dir) == NULL || chdir(dir) != 0)
	{
		ok(0, "a temporary directory can be entered");
		return;
	}
	cmp_ok(load_files(&opts, &cfg), ==, 0, "a missing default migrate.yaml is no error");
	ok(cfg.config_path == NULL, "then no file is recorded");
	cfg_free(&cfg);
	opts.config_file = "absent.yaml";
	cmp_ok(load_files(&opts, &cfg), ==, 2, "a missing file named with -c is exit 2");
	opts.config_file = NULL;
	put_file("migrate.yaml", "lock_retries: ${TEST_CFG_RETRIES}\ndatabase_url: ${DATABASE_URL}\n");
	put_file(".env", "TEST_CFG_RETRIES=9\nDATABASE_URL=postgresql://dotenv/red7\n");
	setenv("DATABASE_URL", "postgresql://process/red7", 1);
	cmp_ok(load_files(&opts, &cfg), ==, 0, "migrate.yaml with ./.env loads");
	cmp_ok(cfg.lock_retries, ==, 9, ".env supplies variables for ${...}");
	is(cfg.database_url, "postgresql://process/red7", "a variable already set wins over .env");
	is(cfg.config_path, "migrate.yaml", "the default file is recorded as migrate.yaml");
	cfg_free(&cfg);
	put_file("other.yaml", "lock_retries: 4\n");
	setenv("MIGRATE_CONFIG", "other.yaml", 1);
	cmp_ok(load_files(&opts, &cfg), ==, 0, "MIGRATE_CONFIG names the file");
	cmp_ok(cfg.lock_retries, ==, 4, "the file MIGRATE_CONFIG names is read");
	cfg_free(&cfg);
	put_file(".env", "broken\n");
	cmp_ok(load_files(&opts, &cfg), ==, 2, "a malformed .env is exit 2");
	unlink(".env");
	unlink("migrate.yaml");
	unlink("other.yaml");
	unsetenv("TEST_CFG_RETRIES");
	clear_vars();
	if (chdir(cwd) != 0 || rmdir(dir) != 0)
		diag("could not clean %s", dir);
}

int
main(void)
{
	test_defaults();
	test_precedence();
	test_environment_selection();
	test_values();
	test_secrets_and_columns();
	test_files();
	return done_testing();
}
