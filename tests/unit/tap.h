/*
 * tap.h: a tiny Test Anything Protocol emitter for the C unit tests.
 * A failure prints the file, line, what was got and what was expected.
 */
#ifndef MIGRATE_TAP_H
#define MIGRATE_TAP_H

#include <stdio.h>
#include <string.h>

static int	tap_count;
static int	tap_failed;

#define ok(cond, ...) \
	tap_ok_at(!!(cond), __FILE__, __LINE__, __VA_ARGS__)

#define is(got, expected, ...) \
	tap_is_at((got), (expected), __FILE__, __LINE__, __VA_ARGS__)

#define cmp_ok(got, op, expected, ...) \
	do { \
		long long tap_g_ = (long long) (got); \
		long long tap_e_ = (long long) (expected); \
		if (!tap_ok_at(tap_g_ op tap_e_, __FILE__, __LINE__, __VA_ARGS__)) \
			printf("#          got: %lld\n#     expected: %s %lld\n", \
				   tap_g_, #op, tap_e_); \
	} while (0)

#define diag(...) \
	do { printf("# "); printf(__VA_ARGS__); printf("\n"); } while (0)

static inline int
tap_ok_at(int pass, const char *file, int line, const char *name, ...)
{
	tap_count++;
	printf("%s %d - %s\n", pass ? "ok" : "not ok", tap_count, name);
	if (!pass)
	{
		tap_failed++;
		printf("#   Failed test at %s line %d.\n", file, line);
	}
	return pass;
}

static inline int
tap_is_at(const char *got, const char *expected, const char *file, int line,
		  const char *name, ...)
{
	int			pass;

	if (got == NULL || expected == NULL)
		pass = got == expected;
	else
		pass = strcmp(got, expected) == 0;
	if (!tap_ok_at(pass, file, line, name))
		printf("#          got: %s%s%s\n#     expected: %s%s%s\n",
			   got ? "'" : "", got ? got : "NULL", got ? "'" : "",
			   expected ? "'" : "", expected ? expected : "NULL",
			   expected ? "'" : "");
	return pass;
}

static inline int
done_testing(void)
{
	printf("1..%d\n", tap_count);
	return tap_failed ? 1 : 0;
}

#endif
