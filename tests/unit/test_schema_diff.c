/*
 * test_schema_diff.c: the line diff verify prints for a broken unit.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "schema_diff.h"
#include "tap.h"

/* The diff of before and after with at most max lines, as one string. */
static const char *
diff(const char *before, const char *after, size_t max, size_t *n)
{
	static struct buf out;

	buf_free(&out);
	buf_init(&out);
	*n = schema_diff(before, after, max, &out);
	return out.data;
}

static void
test_same(void)
{
	size_t n;

	is(diff("", "", 10, &n), "", "two empty texts do not differ");
	cmp_ok(n, ==, 0, "and count no difference");
	is(diff("a\nb\n", "a\nb", 10, &n), "", "a final newline is not a difference");
	cmp_ok(n, ==, 0, "and counts none");
}

static void
test_forgotten_column(void)
{
	const char *before = "table public.users owner o\n"
						 "column public.users 1 id integer not-null\n"
						 "column public.users 2 name text\n"
						 "constraint public.users users_pkey PRIMARY KEY (id)\n";
	const char *after = "table public.users owner o\n"
						"column public.users 1 id integer not-null\n"
						"column public.users 2 name text\n"
						"column public.users 3 email text\n"
						"constraint public.users users_pkey PRIMARY KEY (id)\n";
	size_t n;

	is(diff(before, after, 10, &n), "+ column public.users 3 email text\n",
	   "a column the down left is one + line, not a shift of every later line");
	cmp_ok(n, ==, 1, "one line differs");
	is(diff(after, before, 10, &n), "- column public.users 3 email text\n",
	   "a column the down lost is one - line");
}

static void
test_changed_line(void)
{
	size_t n;

	is(diff("a\ncolumn t 2 name text default 'x'\nz\n", "a\ncolumn t 2 name text\nz\n", 10, &n),
	   "- column t 2 name text default 'x'\n+ column t 2 name text\n",
	   "a changed line is its old line lost and its new line left");
	cmp_ok(n, ==, 2, "two lines differ");
	is(diff("a\nb\nc\nd\n", "b\nc\nd\ne\n", 10, &n), "- a\n+ e\n",
	   "differences at both ends are found");
	is(diff("x\n", "", 10, &n), "- x\n", "everything lost");
	is(diff("", "x\ny\n", 10, &n), "+ x\n+ y\n", "everything left");
}

static void
test_continuation(void)
{
	const char *before = "function public.f() owner o\n"
						 "\tBEGIN\n"
						 "\t  RETURN 1;\n"
						 "\tEND\n"
						 "table public.t owner o\n";
	const char *after = "function public.f() owner o\n"
						"\tBEGIN\n"
						"\t  RETURN 2;\n"
						"\tEND\n"
						"table public.t owner o\n";
	size_t n;

	is(diff(before, after, 10, &n),
	   "  function public.f() owner o\n- \t  RETURN 1;\n+ \t  RETURN 2;\n",
	   "a changed line of a body is shown under the object it belongs to, once");
}

static void
test_limit(void)
{
	struct buf a;
	struct buf b;
	const char *got;
	size_t n;
	int i;

	buf_init(&a);
	buf_init(&b);
	for (i = 0; i < 30; i++)
		buf_printf(&b, "column public.t %d c%d text\n", i + 1, i);
	got = diff(a.data, b.data, 3, &n);
	is(got,
	   "+ column public.t 1 c0 text\n+ column public.t 2 c1 text\n"
	   "+ column public.t 3 c2 text\n(27 more differing lines)\n",
	   "at most max lines, then how many more");
	cmp_ok(n, ==, 30, "all thirty are counted");
	buf_reset(&a);
	buf_reset(&b);
	/* more edits than the search follows: still a true, if longer, answer */
	for (i = 0; i < 1200; i++)
	{
		buf_printf(&a, "a%d\n", i);
		buf_printf(&b, "b%d\n", i);
	}
	diff(a.data, b.data, 5000, &n);
	cmp_ok(n, ==, 2400, "a large difference is every old line lost and every new one left");
	buf_free(&a);
	buf_free(&b);
}

int
main(void)
{
	size_t n;

	test_same();
	test_forgotten_column();
	test_changed_line();
	test_continuation();
	test_limit();
	diff("", "", 0, &n); /* frees the last result */
	return done_testing();
}
