/*
 * fuzz_dotenv.c: libFuzzer harness over dotenv_parse(), the .env format.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dotenv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
good_name(const char *s)
{
	if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') || *s == '_'))
		return 0;
	for (s++; *s != '\0'; s++)
		if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
			  *s == '_'))
			return 0;
	return 1;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dotenv env;
	char *msg = NULL;
	int line = 0;
	size_t i;

	if (dotenv_parse((const char *) data, size, &env, &line, &msg) != 0)
	{
		if (msg == NULL || line < 1 || env.count != 0)
			abort();
		free(msg);
		return 0;
	}
	for (i = 0; i < env.count; i++)
		if (!good_name(env.entries[i].name) || env.entries[i].value == NULL ||
			env.entries[i].line < 1)
			abort();
	dotenv_free(&env);
	return 0;
}
