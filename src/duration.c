/*
 * duration.c: parse durations written as in migrate.yaml.
 */
#include "duration.h"

#include <ctype.h>
#include <limits.h>
#include <string.h>

int
duration_parse(const char *text, long *ms)
{
	static const struct
	{
		const char *unit;
		long factor;
	} units[] = {{"ms", 1}, {"s", 1000}, {"min", 60000}, {"h", 3600000}};
	long value = 0;
	const char *p = text;
	size_t i;

	if (text == NULL || !isdigit((unsigned char) *p))
		return -1;
	for (; isdigit((unsigned char) *p); p++)
	{
		if (value > (LONG_MAX - 9) / 10)
			value = (LONG_MAX - 9) / 10; /* saturate: out of range below */
		else
			value = value * 10 + (*p - '0');
	}
	if (*p == '\0')
	{
		if (value != 0)
			return -1;
		*ms = 0;
		return 0;
	}
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++)
	{
		if (strcmp(p, units[i].unit) == 0)
		{
			/* keep every duration within an int of milliseconds for libpq */
			if (value > DURATION_MAX_MS / units[i].factor)
				return -2;
			*ms = value * units[i].factor;
			return 0;
		}
	}
	return -1;
}
