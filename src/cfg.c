/*
 * cfg.c: placeholder loader (defaults and DATABASE_URL) until the
 * migrate.yaml loader lands.
 */
#include "cfg.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "duration.h"
#include "log.h"

void
cfg_defaults(struct migrate_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->history_table = xstrdup("public.schema_migrations");
	cfg->migrations_dir = xstrdup("migrations");
	cfg->lock_timeout_ms = 5000;
	cfg->lock_retries = 3;
	cfg->connect_retries = 5;
	cfg->connect_timeout_ms = 10000;
}

int
cfg_load(const struct cfg_options *opts, struct migrate_config *cfg)
{
	const char *url = opts->database_url ? opts->database_url : getenv("DATABASE_URL");

	cfg_defaults(cfg);
	cfg->database_url = xstrdup(url);
	cfg->direct_url = xstrdup(getenv("MIGRATE_DIRECT_URL"));
	if (opts->lock_timeout && duration_parse(opts->lock_timeout, &cfg->lock_timeout_ms) != 0)
	{
		log_error("invalid duration \"%s\" for --lock-timeout", opts->lock_timeout);
		cfg_free(cfg);
		return 2;
	}
	if (getenv("MIGRATE_LOCK_RETRIES"))
		cfg->lock_retries = atoi(getenv("MIGRATE_LOCK_RETRIES"));
	if (getenv("MIGRATE_OUT_OF_ORDER"))
	{
		const char *v = getenv("MIGRATE_OUT_OF_ORDER");

		if (strcmp(v, "true") == 0 || strcmp(v, "1") == 0)
			cfg->out_of_order = true;
		else if (strcmp(v, "false") != 0 && strcmp(v, "0") != 0)
		{
			log_error("invalid value \"%s\" for MIGRATE_OUT_OF_ORDER: expected true or false", v);
			cfg_free(cfg);
			return 2;
		}
	}
	if (getenv("MIGRATE_CONNECT_RETRIES"))
		cfg->connect_retries = atoi(getenv("MIGRATE_CONNECT_RETRIES"));
	return 0;
}

void
cfg_free(struct migrate_config *cfg)
{
	if (cfg == NULL)
		return;
	free(cfg->config_path);
	free(cfg->environment);
	free(cfg->database_url);
	free(cfg->direct_url);
	free(cfg->history_table);
	free(cfg->migrations_dir);
	memset(cfg, 0, sizeof(*cfg));
}
