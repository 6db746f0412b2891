/*
 * tap.h: a tiny Test Anything Protocol emitter for the C unit tests.
 * A failure prints the file, line, what was got and what was expected.
 */
#ifndef MIGRATE_TAP_H
#define MIGRATE_TAP_H

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int tap_count;
static int tap_failed;

#define ok(cond, ...) tap_ok_at(!!(cond), __FILE__, __LINE__, __VA_ARGS__)

#define is(got, expected, ...) tap_is_at((got), (expected), __FILE__, __LINE__, __VA_ARGS__)

#define cmp_ok(got, op, expected, ...)                                                      \
	do                                                                                      \
	{                                                                                       \
		long long tap_g_ = (long long) (got);                                               \
		long long tap_e_ = (long long) (expected);                                          \
		if (!tap_ok_at(tap_g_ op tap_e_, __FILE__, __LINE__, __VA_ARGS__))                  \
			printf("#          got: %lld\n#     expected: %s %lld\n", tap_g_, #op, tap_e_); \
	} while (0)

#define diag(...)            \
	do                       \
	{                        \
		printf("# ");        \
		printf(__VA_ARGS__); \
		printf("\n");        \
	} while (0)

static inline int tap_ok_at(int pass, const char *file, int line, const char *name, ...)
	__attribute__((format(printf, 4, 5)));
static inline int tap_is_at(const char *got, const char *expected, const char *file, int line,
							const char *name, ...) __attribute__((format(printf, 5, 6)));

static inline int
tap_vok_at(int pass, const char *file, int line, const char *name, va_list ap)
{
	tap_count++;
	printf("%s %d - ", pass ? "ok" : "not ok", tap_count);
	vprintf(name, ap);
	printf("\n");
	if (!pass)
	{
		tap_failed++;
		printf("#   Failed test at %s line %d.\n", file, line);
	}
	return pass;
}

static inline int
tap_ok_at(int pass, const char *file, int line, const char *name, ...)
{
	va_list ap;

	va_start(ap, name);
	pass = tap_vok_at(pass, file, line, name, ap);
	va_end(ap);
	return pass;
}

static inline int
tap_is_at(const char *got, const char *expected, const char *file, int line, const char *name, ...)
{
	int pass;
	va_list ap;

	if (got == NULL || expected == NULL)
		pass = got == expected;
	else
		pass = strcmp(got, expected) == 0;
	va_start(ap, name);
	pass = tap_vok_at(pass, file, line, name, ap);
	va_end(ap);
	if (!pass)
		printf("#          got: %s%s%s\n#     expected: %s%s%s\n", got ? "'" : "",
			   got ? got : "NULL", got ? "'" : "", expected ? "'" : "",
			   expected ? expected : "NULL", expected ? "'" : "");
	return pass;
}

static inline int
done_testing(void)
{
	printf("1..%d\n", tap_count);
	return tap_failed ? 1 : 0;
}

#endif
