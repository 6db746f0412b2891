/*
 * test_expand.c: ${VAR}, ${VAR:-default} and $$ in configuration values,
 * with a fixed table of variables instead of the process environment.
 */
#include <stdlib.h>
#include <string.h>

#include "expand.h"
#include "tap.h"

static const char *const vars[][2] = {
	{"HOME", "/home/red7"}, {"EMPTY", ""},    {"DOLLAR", "a$b${HOME}"},
	{"_x1", "under"},       {"PORT", "5432"},
};

static int lookups;

static const char *
lookup(const char *name, void *arg)
{
	size_t i;

	(void) arg;
	lookups++;
	for (i = 0; i < sizeof(vars) / sizeof(vars[0]); i++)
		if (strcmp(vars[i][0], name) == 0)
			return vars[i][1];
	return NULL;
}

/* The expansion of text, or "ERROR@offset: message" (static storage). */
static const char *
expand(const char *text)
{
	static char result[512];
	struct expand_error err;
	char *out;

	if (expand_vars(text, lookup, NULL, &out, &err) != 0)
	{
		snprintf(result, sizeof(result), "ERROR@%zu: %s%s%s", err.offset, err.message,
				 err.variable ? " var=" : "", err.variable ? err.variable : "");
		expand_error_free(&err);
		return result;
	}
	snprintf(result, sizeof(result), "%s", out);
	free(out);
	return result;
}

static void
test_plain(void)
{
	is(expand(""), "", "an empty value stays empty");
	is(expand("postgresql:///red7"), "postgresql:///red7", "text without $ is unchanged");
	is(expand("${HOME}"), "/home/red7", "a variable is replaced by its value");
	is(expand("host=${HOME}/.pg port=${PORT}"), "host=/home/red7/.pg port=5432",
	   "several variables in one value are all replaced");
	is(expand("${_x1}"), "under", "names may start with _ and hold digits");
	is(expand("${EMPTY}"), "", "a set but empty variable gives the empty string");
	is(expand("${DOLLAR}"), "a$b${HOME}", "a value is inserted as it is, never expanded again");
}

static void
test_dollars(void)
{
	is(expand("$$"), "$", "$$ gives a literal $");
	is(expand("a$$b"), "a$b", "$$ in the middle gives one $");
	is(expand("$${HOME}"), "${HOME}", "$${...} is literal text, not a reference");
	is(expand("$$$${HOME}"), "$${HOME}", "each $$ pair gives one $");
	is(expand("$$${HOME}"), "$/home/red7", "$$ then ${HOME} gives $ and the value");
	is(expand("cost$"), "cost$", "a $ at the end is kept");
	is(expand("$1 and $-"), "$1 and $-", "a $ before a digit or punctuation is kept");
	is(expand("$HOME"), "ERROR@0: \"$HOME\" needs braces: write ${HOME}, or $$ for a literal \"$\"",
	   "a $ before a name is refused as a forgotten brace");
}

static void
test_defaults(void)
{
	is(expand("${UNSET:-fallback}"), "fallback", "an unset variable takes its default");
	is(expand("${EMPTY:-fallback}"), "fallback", "an empty variable takes its default");
	is(expand("${HOME:-fallback}"), "/home/red7", "a set variable ignores its default");
	is(expand("${UNSET:-}"), "", "an empty default is allowed");
	is(expand("${UNSET:-a:b-c{d}"), "a:b-c{d", "a default may hold : - and {");
	is(expand("${UNSET:-${HOME}/x}"), "/home/red7/x", "a default may hold a reference");
	is(expand("${UNSET:-${ALSO_UNSET:-deep}}"), "deep", "defaults nest");
	is(expand("${UNSET:-$$}"), "$", "$$ works inside a default");
	is(expand("${HOME:-${NOT_SET}}"), "/home/red7",
	   "an unused default is not expanded, so its unset variable is no error");
	is(expand("${UNSET:-${NOT_SET}}"),
	   "ERROR@9: environment variable \"NOT_SET\" is not set var=NOT_SET",
	   "a used default with an unset variable is an error at that variable");
}

static void
test_errors(void)
{
	is(expand("${UNSET}"), "ERROR@0: environment variable \"UNSET\" is not set var=UNSET",
	   "an unset variable without default is an error naming it");
	is(expand("abc${UNSET}"), "ERROR@3: environment variable \"UNSET\" is not set var=UNSET",
	   "the error's offset is that of the $");
	is(expand("${HOME"), "ERROR@0: unterminated \"${HOME\": missing \"}\"",
	   "a missing } is an error");
	is(expand("${"), "ERROR@0: \"${\" must be followed by a variable name",
	   "a lone ${ is an error");
	is(expand("${}"), "ERROR@0: empty variable name in \"${}\"", "an empty name is an error");
	is(expand("${1X}"), "ERROR@0: \"${\" must be followed by a variable name",
	   "a name may not start with a digit");
	is(expand("${A-B}"), "ERROR@0: unsupported \"${A-...\": write ${A} or ${A:-default}",
	   "${VAR-default} without the colon is refused");
	is(expand("${A:?message}"), "ERROR@0: unsupported \"${A:...\": write ${A} or ${A:-default}",
	   "${VAR:?message} is refused");
	is(expand("${UNSET:-abc"), "ERROR@0: unterminated \"${UNSET:-\": missing \"}\"",
	   "a default without its } is an error");
	is(expand("x ${HOME:-${}"), "ERROR@10: empty variable name in \"${}\"",
	   "a syntax error in an unused default is still an error");
}

static void
test_nesting_and_syntax_only(void)
{
	char deep[400] = "";
	struct expand_error err;
	char *out = (char *) "untouched";
	int i;

	for (i = 0; i < 20; i++)
		strcat(deep, "${U:-");
	strcat(deep, "x");
	for (i = 0; i < 20; i++)
		strcat(deep, "}");
	is(expand(deep), "ERROR@80: too many nested \"${...:-...}\"", "nesting is bounded");

	lookups = 0;
	ok(expand_vars("${UNSET} ${HOME:-${ALSO}}", NULL, NULL, &out, &err) == 0,
	   "with no lookup only the syntax is checked, so unset variables pass");
	ok(out == NULL, "a syntax check gives no output");
	cmp_ok(lookups, ==, 0, "a syntax check looks nothing up");
	ok(expand_vars("${BAD", NULL, NULL, &out, &err) != 0, "a syntax check still finds errors");
	expand_error_free(&err);
	ok(expand_needed("a$b") && !expand_needed("plain") && !expand_needed(NULL),
	   "expand_needed says whether a $ is present");
}

int
main(void)
{
	test_plain();
	test_dollars();
	test_defaults();
	test_errors();
	test_nesting_and_syntax_only();
	return done_testing();
}
