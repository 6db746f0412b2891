/*
 * test_json.c: JSON escaping of what the runner prints.
 */
#include "json.h"
#include "tap.h"

static void
check(const char *in, const char *want, const char *name)
{
	struct buf b;

	buf_init(&b);
	json_append_string(&b, in);
	is(b.data, want, "%s", name);
	buf_free(&b);
}

int
main(void)
{
	struct buf b;

	check("plain", "\"plain\"", "plain text is quoted");
	check("a\"b\\c", "\"a\\\"b\\\\c\"", "quotes and backslashes are escaped");
	check("l1\nl2\tx\r", "\"l1\\nl2\\tx\\r\"", "newline, tab and return are escaped");
	check("\x01\x1f", "\"\\u0001\\u001f\"", "control characters become \\u escapes");
	check("caf\xc3\xa9 \xe2\x82\xac", "\"caf\xc3\xa9 \xe2\x82\xac\"", "valid UTF-8 passes through");
	check("bad\xff", "\"bad\\ufffd\"", "invalid UTF-8 becomes U+FFFD");
	check("\xc0\xaf", "\"\\ufffd\\ufffd\"", "overlong sequences are invalid");
	check(NULL, "null", "NULL becomes null");
	buf_init(&b);
	buf_append(&b, "{");
	json_member_string(&b, "event", "applied");
	json_member_int(&b, "version", 3);
	json_member_bool(&b, "ok", true);
	json_member_raw(&b, "drift", "null");
	buf_append(&b, "}");
	is(b.data, "{\"event\":\"applied\",\"version\":3,\"ok\":true,\"drift\":null}",
	   "members are separated by commas");
	buf_free(&b);
	return done_testing();
}
