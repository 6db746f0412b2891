/*
 * test_dotenv.c: the .env format, and loading it without overriding the
 * environment.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dotenv.h"
#include "tap.h"

/*
 * Parses text and describes the result as "NAME=VALUE;..." or
 * "ERROR line N: message" (static storage).
 */
static const char *
parse(const char *text)
{
	static char result[1024];
	struct dotenv env;
	char *msg = NULL;
	int line = 0;
	size_t i, n = 0;

	if (dotenv_parse(text, strlen(text), &env, &line, &msg) != 0)
	{
		snprintf(result, sizeof(result), "ERROR line %d: %s", line, msg);
		free(msg);
		return result;
	}
	result[0] = '\0';
	for (i = 0; i < env.count; i++)
		n += (size_t) snprintf(result + n, sizeof(result) - n, "%s=%s;", env.entries[i].name,
							   env.entries[i].value);
	dotenv_free(&env);
	return result;
}

static void
test_lines(void)
{
	is(parse(""), "", "an empty file sets nothing");
	is(parse("\n\n   \n\t\n"), "", "blank lines are skipped");
	is(parse("# a comment\n   # an indented comment\n"), "", "comment lines are skipped");
	is(parse("A=1\nB=2"), "A=1;B=2;", "the last line needs no newline");
	is(parse("A=1\r\nB=2\r\n"), "A=1;B=2;", "CRLF line ends are accepted");
	is(parse("export A=1\nexport\tB=2\n"), "A=1;B=2;", "an export prefix is dropped");
	is(parse("export=1\n"), "export=1;", "a variable may be called export");
	is(parse("  A = 1  \n"), "A=1;", "blanks around the name, = and value are dropped");
	is(parse("_a9=x\n"), "_a9=x;", "names may hold _ and digits");
}

static void
test_values(void)
{
	is(parse("A=\n"), "A=;", "an empty value is allowed");
	is(parse("A=plain value\n"), "A=plain value;", "inner blanks of an unquoted value stay");
	is(parse("A=value # comment\n"), "A=value;", "a blank then # starts a comment");
	is(parse("A=val#ue\n"), "A=val#ue;", "a # inside a word is kept");
	is(parse("A=#value\n"), "A=#value;", "a # right after = is kept");
	is(parse("A= # only a comment\n"), "A=;", "a value that is only a comment is empty");
	is(parse("A='x # y $HOME \\n'\n"), "A=x # y $HOME \\n;",
	   "single quotes keep everything literally");
	is(parse("A='x' # comment\n"), "A=x;", "a comment may follow a closing quote");
	is(parse("A=\"a\\nb\"\n"), "A=a\nb;", "\\n in double quotes is a newline");
	is(parse("A=\"say \\\"hi\\\" \\\\ \\t\"\n"), "A=say \"hi\" \\ \t;",
	   "\\\" \\\\ and \\t are escapes");
	is(parse("A=\"C:\\path\"\n"), "A=C:\\path;", "an unknown escape keeps its backslash");
	is(parse("A=\"# not a comment\"\n"), "A=# not a comment;", "a # in double quotes is text");
	is(parse("A=it's\n"), "A=it's;", "a quote inside an unquoted value is text");
	is(parse("A=postgres://u:p%40ss@h/db?sslmode=require\n"),
	   "A=postgres://u:p%40ss@h/db?sslmode=require;", "a connection string is kept whole");
	is(parse("A=1\nA=2\n"), "A=1;A=2;", "repeated names are all parsed, in order");
}

static void
test_errors(void)
{
	is(parse("A=1\nnot an assignment\n"), "ERROR line 2: expected \"=\" after the variable name",
	   "a line without = is an error at its line");
	is(parse("1A=x\n"),
	   "ERROR line 1: expected NAME=VALUE, NAME being a letter or \"_\" then letters, digits or "
	   "\"_\"",
	   "a name may not start with a digit");
	is(parse("=x\n"),
	   "ERROR line 1: expected NAME=VALUE, NAME being a letter or \"_\" then letters, digits or "
	   "\"_\"",
	   "a name is required");
	is(parse("A-B=x\n"), "ERROR line 1: expected \"=\" after the variable name",
	   "a - is not allowed in a name");
	is(parse("\n\nA='open\n"), "ERROR line 3: unterminated single-quoted value",
	   "an unclosed single quote is an error");
	is(parse("A=\"open\\\"\n"), "ERROR line 1: unterminated double-quoted value",
	   "an unclosed double quote is an error");
	is(parse("A='x'y\n"), "ERROR line 1: unexpected text after the closing quote",
	   "text after a closing quote is an error");
	ok(strstr(parse("A=\"s3cret\n"), "s3cret") == NULL, "an error never quotes the value");
	{
		struct dotenv env;
		char *msg = NULL;
		int line = 0;

		ok(dotenv_parse("A=1\nB=x\0y\n", 10, &env, &line, &msg) != 0 && line == 2,
		   "a NUL byte is an error at its line");
		free(msg);
	}
}

/* dotenv_load() with stderr sent to /dev/null, for the expected errors. */
static int
load_quietly(const char *path)
{
	int saved = dup(2);
	int null = open("/dev/null", O_WRONLY);
	int rc;

	dup2(null, 2);
	close(null);
	rc = dotenv_load(path);
	dup2(saved, 2);
	close(saved);
	return rc;
}

static void
test_load(void)
{
	char dir[] = "/tmp/test_dotenv.XXXXXX";
	char path[64];
	FILE *f;

	if (mkdtemp(dir) == NULL)
	{
		ok(0, "a temporary directory can be made");
		return;
	}
	snprintf(path, sizeof(path), "%s/.env", dir);
	cmp_ok(dotenv_load(path), ==, 0, "a missing .env is not an error");
	f = fopen(path, "w");
	fputs("TD_NEW=from-file\nTD_SET=from-file\nTD_TWICE=first\nTD_TWICE=second\n", f);
	fclose(f);
	setenv("TD_SET", "from-environment", 1);
	unsetenv("TD_NEW");
	unsetenv("TD_TWICE");
	cmp_ok(dotenv_load(path), ==, 0, "a good .env loads");
	is(getenv("TD_NEW"), "from-file", "a variable not yet set is taken from .env");
	is(getenv("TD_SET"), "from-environment", "a variable already set wins over .env");
	is(getenv("TD_TWICE"), "second", "of two lines for one name the later wins");
	f = fopen(path, "w");
	fputs("TD_BAD_FIRST=x\nbroken line\n", f);
	fclose(f);
	unsetenv("TD_BAD_FIRST");
	cmp_ok(load_quietly(path), ==, 2, "a malformed .env gives exit code 2");
	ok(getenv("TD_BAD_FIRST") == NULL, "a malformed .env sets nothing at all");
	unlink(path);
	rmdir(dir);
}

int
main(void)
{
	test_lines();
	test_values();
	test_errors();
	test_load();
	return done_testing();
}
