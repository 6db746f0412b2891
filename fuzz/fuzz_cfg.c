/*
 * fuzz_cfg.c: libFuzzer harness over cfg_load_text(), the whole of
 * migrate.yaml loading from bytes: libyaml, the tree, the key table,
 * environments, ${VAR} expansion and the located error messages.
 *
 * An input whose first line is "#env:NAME" loads with -e NAME, so that
 * the fuzzer reaches the selected-environment paths as well.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cfg.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void) argc;
	(void) argv;
	cfg_clear_environment();
	/* a few variables for ${...} to find */
	setenv("A", "5s", 1);
	setenv("N", "3", 1);
	setenv("E", "", 1);
	setenv("T", "ops.history", 1);
	setenv("U", "postgresql://u:pw@h/db", 1);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cfg_options opts;
	struct migrate_config cfg;
	char *env = NULL;

	memset(&opts, 0, sizeof(opts));
	if (size > 5 && memcmp(data, "#env:", 5) == 0)
	{
		const uint8_t *nl = memchr(data, '\n', size);
		size_t n = nl ? (size_t) (nl - data) - 5 : size - 5;

		env = malloc(n + 1);
		memcpy(env, data + 5, n);
		env[n] = '\0';
		opts.environment = env;
	}
	if (cfg_load_text("fuzz.yaml", (const char *) data, size, &opts, &cfg) == 0)
	{
		/* a loaded configuration always has what the defaults promise */
		if (cfg.history_table == NULL || cfg.migrations_dir == NULL ||
			strchr(cfg.history_table, '.') == NULL || cfg.lock_retries < 0 ||
			cfg.connect_retries < 0 || cfg.lock_timeout_ms < 0)
			abort();
		cfg_free(&cfg);
	}
	else if (cfg.history_table != NULL || cfg.config_path != NULL)
		abort(); /* a failed load leaves the struct empty */
	free(env);
	return 0;
}
