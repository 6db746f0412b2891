/*
 * test_duration.c: duration_parse() accepts what migrate.yaml documents
 * and nothing else.
 */
#include <limits.h>

#include "duration.h"
#include "tap.h"

/* The milliseconds for text, or -2 when it is refused. */
static long
parse(const char *text)
{
	long ms = -7;

	if (duration_parse(text, &ms) != 0)
		return ms == -7 ? -2 : -3; /* -3: refused but *ms was touched */
	return ms;
}

static void
test_accepted(void)
{
	cmp_ok(parse("0"), ==, 0, "a bare 0 means no limit");
	cmp_ok(parse("250ms"), ==, 250, "milliseconds are taken as they are");
	cmp_ok(parse("5s"), ==, 5000, "seconds are a thousand milliseconds");
	cmp_ok(parse("2min"), ==, 120000, "minutes are sixty seconds");
	cmp_ok(parse("1h"), ==, 3600000, "hours are sixty minutes");
	cmp_ok(parse("0s"), ==, 0, "zero with a unit is zero");
	cmp_ok(parse("007s"), ==, 7000, "leading zeros are allowed");
	cmp_ok(parse("00"), ==, 0, "a bare 00 is still zero");
	cmp_ok(parse("2147483647ms"), ==, INT_MAX, "the largest int of milliseconds is allowed");
	cmp_ok(parse("596h"), ==, 596L * 3600000, "596 hours still fit in an int of milliseconds");
}

static void
test_refused(void)
{
	cmp_ok(parse("5"), ==, -2, "a bare number other than 0 is refused");
	cmp_ok(parse(""), ==, -2, "an empty string is refused");
	cmp_ok(parse("s"), ==, -2, "a unit without a number is refused");
	cmp_ok(parse("-5s"), ==, -2, "a negative duration is refused");
	cmp_ok(parse("+5s"), ==, -2, "a plus sign is refused");
	cmp_ok(parse("5 s"), ==, -2, "a blank between number and unit is refused");
	cmp_ok(parse(" 5s"), ==, -2, "a leading blank is refused");
	cmp_ok(parse("5s "), ==, -2, "a trailing blank is refused");
	cmp_ok(parse("5S"), ==, -2, "units are lower case");
	cmp_ok(parse("5m"), ==, -2, "m is not a unit (minutes are min)");
	cmp_ok(parse("5sec"), ==, -2, "sec is not a unit");
	cmp_ok(parse("1.5s"), ==, -2, "fractions are refused");
	cmp_ok(parse("1h30min"), ==, -2, "compound durations are refused");
	cmp_ok(parse("2147483648ms"), ==, -2, "more than an int of milliseconds is refused");
	cmp_ok(parse("597h"), ==, -2, "597 hours overflow an int of milliseconds");
	cmp_ok(parse("99999999999999999999999s"), ==, -2, "a number beyond a long is refused");
	ok(duration_parse(NULL, &(long){0}) != 0, "NULL is refused");
}

int
main(void)
{
	test_accepted();
	test_refused();
	return done_testing();
}
