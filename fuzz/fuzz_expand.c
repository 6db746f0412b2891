/*
 * fuzz_expand.c: libFuzzer harness over expand_vars(): ${VAR},
 * ${VAR:-default} and $$ with nesting, in both the expanding and the
 * syntax-only modes, checking that the two agree.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "expand.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *
lookup(const char *name, void *arg)
{
	(void) arg;
	if (strcmp(name, "A") == 0)
		return "alpha";
	if (strcmp(name, "E") == 0)
		return "";
	if (strcmp(name, "D") == 0)
		return "${A}$$"; /* never expanded again */
	if (name[0] == 'L')
		return "a longer value that makes the output grow beyond a buffer";
	return NULL;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	char *out = NULL;
	char *checked = NULL;
	struct expand_error err;
	struct expand_error serr;
	int rc, src;

	memcpy(text, data, size);
	text[size] = '\0'; /* an embedded NUL just ends the value */
	rc = expand_vars(text, lookup, NULL, &out, &err);
	src = expand_vars(text, NULL, NULL, &checked, &serr);
	if (checked != NULL)
		abort(); /* the syntax check gives no output */
	if (rc == 0 && (src != 0 || out == NULL))
		abort(); /* what expands has good syntax */
	if (rc != 0 && (out != NULL || err.message == NULL || err.offset > strlen(text) ||
					text[err.offset] != '$'))
		abort(); /* an error points at a "$" in the text */
	if (!expand_needed(text) && (rc != 0 || strcmp(out, text) != 0))
		abort(); /* text without "$" is unchanged */
	free(out);
	expand_error_free(&err);
	expand_error_free(&serr);
	free(text);
	return 0;
}
