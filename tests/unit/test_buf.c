/*
 * test_buf.c: a buffer costs nothing until something is appended, grows
 * as needed, and hands its string over with buf_detach, after which it is
 * empty and usable again, a buf_free being harmless (run under ASan, a
 * leak or a double free fails the suite).
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "tap.h"

static void
test_empty(void)
{
	struct buf b;
	struct buf zero = {0};
	char *s;

	buf_init(&b);
	ok(b.data != NULL && b.data[0] == '\0' && b.len == 0, "a new buffer is \"\", never NULL");
	cmp_ok(b.cap, ==, 0, "and holds no storage");
	buf_reset(&b);
	is(b.data, "", "resetting an empty buffer keeps it \"\"");
	s = buf_detach(&b);
	is(s, "", "detaching an empty buffer gives an owned \"\"");
	free(s);
	buf_free(&b);
	buf_free(&zero);
	ok(zero.data != NULL && zero.cap == 0, "freeing a zeroed buffer leaves it empty");
}

static void
test_growth(void)
{
	struct buf b;
	char big[5000];
	char *s;

	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	buf_init(&b);
	buf_append(&b, "ab");
	buf_append_char(&b, 'c');
	buf_printf(&b, "%d", 42);
	is(b.data, "abc42", "appends and printf accumulate");
	buf_printf(&b, "%s", big);
	cmp_ok(b.len, ==, 5 + strlen(big), "a long printf grows the buffer");
	ok(b.cap > b.len && b.data[b.len] == '\0', "which stays terminated");
	s = buf_detach(&b);
	cmp_ok(strlen(s), ==, 5 + strlen(big), "detach hands the whole string over");
	free(s);
	cmp_ok(b.cap, ==, 0, "and leaves the buffer holding nothing");
	buf_append(&b, "again");
	is(b.data, "again", "a detached buffer is usable again");
	buf_reset(&b);
	is(b.data, "", "reset empties it");
	buf_free(&b);
	buf_free(&b);
	cmp_ok(b.cap, ==, 0, "buf_free twice is harmless");
}

static void
test_xstrdup(void)
{
	char *s = xstrdup("kept");

	is(s, "kept", "xstrdup copies");
	free(s);
	ok(xstrdup(NULL) == NULL, "xstrdup(NULL) is NULL");
}

int
main(void)
{
	test_empty();
	test_growth();
	test_xstrdup();
	return done_testing();
}
