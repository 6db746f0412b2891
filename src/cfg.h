/*
 * cfg.h: the runner's settings, from built-in defaults, migrate.yaml,
 * ./.env, the environment and the command line (SPEC section 7).
 */
#ifndef MIGRATE_CFG_H
#define MIGRATE_CFG_H

#include <stdbool.h>
#include <stddef.h>

/* What the command line says; NULL members were not given. */
struct cfg_options
{
	const char *config_file; /* -c; else MIGRATE_CONFIG; else ./migrate.yaml */
	const char *environment; /* -e; else MIGRATE_ENV; else default_environment */
	const char *database_url; /* -d; else DATABASE_URL */
	const char *lock_timeout; /* --lock-timeout, a duration string */
	const char *statement_timeout; /* --statement-timeout */
};

/* The merged result.  Strings are owned by the struct (cfg_free). */
struct migrate_config
{
	char *config_path; /* the file read, or NULL when there was none */
	char *environment; /* the selected environment, or NULL */
	char *database_url; /* NULL when nothing set it */
	char *direct_url; /* NULL when unset */
	char *history_table; /* "public.schema_migrations" by default */
	char *migrations_dir; /* "migrations" by default */
	long lock_timeout_ms; /* 5000; 0 means no limit */
	int lock_retries; /* 3 */
	long statement_timeout_ms; /* 0: no limit */
	int connect_retries; /* 5 */
	long connect_timeout_ms; /* 10000 */
	bool out_of_order; /* false */
	bool protected_env; /* false; "protected" in the file */
};

/*
 * Loads ./.env into the process environment (variables already set win),
 * then the configuration file, the selected environment, the MIGRATE_* and
 * DATABASE_URL variables and the options, in the SPEC's precedence order.
 * A missing default ./migrate.yaml is not an error; a missing file named by
 * -c or MIGRATE_CONFIG is.  Returns 0 and fills *cfg (release with
 * cfg_free), or logs the problem (file:line:column where there is one) and
 * returns 2 with *cfg left empty.
 */
int cfg_load(const struct cfg_options *opts, struct migrate_config *cfg)
	__attribute__((warn_unused_result));

/*
 * What cfg_load does once it has read the file, for tests and fuzzing: no
 * .env and no file access.  name is what messages call the file; text NULL
 * means that there is no file (then defaults, environment and options
 * only).  text need not be NUL-terminated.  Returns as cfg_load does.
 */
int cfg_load_text(const char *name, const char *text, size_t len, const struct cfg_options *opts,
				  struct migrate_config *cfg) __attribute__((warn_unused_result));

/* Fills *cfg with the built-in defaults only. */
void cfg_defaults(struct migrate_config *cfg);

/*
 * Unsets every environment variable that cfg_load() reads (MIGRATE_CONFIG
 * and each key's variable), so that tests and the fuzzer start clean.
 */
void cfg_clear_environment(void);

/* Frees what cfg owns and zeroes it; accepts NULL. */
void cfg_free(struct migrate_config *cfg);

#endif
