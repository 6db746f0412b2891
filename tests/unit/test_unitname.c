/*
 * test_unitname.c: unit file names and versions.
 */
#include <string.h>

#include "tap.h"
#include "unitname.h"

static void
good(const char *file, long long want_version, const char *want_name)
{
	long long v = -1;
	char name[64] = "";
	const char *why = NULL;

	ok(unitname_parse(file, &v, name, sizeof(name), &why) == 0, "accepts %s", file);
	cmp_ok(v, ==, want_version, "version of %s", file);
	is(name, want_name, "name of %s", file);
}

static void
bad(const char *file, const char *want_why)
{
	long long v = 0;
	char name[64];
	const char *why = "";

	ok(unitname_parse(file, &v, name, sizeof(name), &why) != 0, "rejects %s", file);
	ok(strstr(why, want_why) != NULL, "says why %s is rejected (%s)", file, why);
}

int
main(void)
{
	long long v;

	good("0001_create_users.pgc", 1, "create_users");
	good("7_b.pgc", 7, "b");
	good("20261126120000_add_index_2.pgc", 20261126120000LL, "add_index_2");
	good("999999999999999999_max.pgc", 999999999999999999LL, "max");
	bad("0000_zero.pgc", "greater than 0");
	bad("1_Upper.pgc", "a-z");
	bad("1_dash-name.pgc", "a-z");
	bad("1_.pgc", "empty");
	bad("create_users.pgc", "<version>_");
	good("0001_create_users.sql", 1, "create_users");
	bad("0001_create_users.txt", ".pgc or .sql");
	bad("1234567890123456789_long.pgc", "18 digits");
	bad("0001-create.pgc", "<version>_");
	ok(unitname_valid_name("add_thing_2") == 0, "valid unit name");
	ok(unitname_valid_name("Add") != 0, "upper case is not a valid unit name");
	ok(unitname_valid_name("") != 0, "empty is not a valid unit name");
	ok(unitname_parse_version("0042", &v) == 0 && v == 42, "parses 0042 as 42");
	ok(unitname_parse_version("4x", &v) != 0, "rejects 4x as a version");
	ok(unitname_parse_version("", &v) != 0, "rejects an empty version");
	return done_testing();
}
