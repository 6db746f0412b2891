/*
 * unitname.c: parsing unit file names and versions.
 */
#include "unitname.h"

#include <stdio.h>
#include <string.h>

static int
parse_digits(const char *s, size_t n, long long *value)
{
	long long v = 0;
	size_t i;

	if (n == 0 || n > UNITNAME_MAX_DIGITS)
		return -1;
	for (i = 0; i < n; i++)
	{
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*value = v;
	return 0;
}

int
unitname_parse_version(const char *text, long long *version)
{
	if (text == NULL)
		return -1;
	return parse_digits(text, strlen(text), version);
}

int
unitname_valid_name(const char *name)
{
	size_t n = strlen(name);

	if (n == 0 || n > 200)
		return -1;
	return strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789_") == n ? 0 : -1;
}

int
unitname_parse(const char *file, long long *version, char *name, size_t name_size, const char **why)
{
	size_t len = strlen(file);
	size_t digits = strspn(file, "0123456789");
	size_t name_len;

	if (len < 4 || (strcmp(file + len - 4, ".pgc") != 0 && strcmp(file + len - 4, ".sql") != 0))
		return *why = "does not end in .pgc or .sql", -1;
	if (digits == 0 || file[digits] != '_')
		return *why = "does not start with <version>_", -1;
	if (digits > UNITNAME_MAX_DIGITS)
		return *why = "version has more than 18 digits", -1;
	name_len = len - 4 - digits - 1;
	if (name_len == 0 || name_len >= name_size)
		return *why = "name is empty or too long", -1;
	memcpy(name, file + digits + 1, name_len);
	name[name_len] = '\0';
	if (unitname_valid_name(name) != 0)
		return *why = "name may contain only a-z, 0-9 and _", -1;
	if (parse_digits(file, digits, version) != 0 || *version == 0)
		return *why = "version must be greater than 0", -1;
	return 0;
}

const char *
unitname_version_text(const char *file, long long version, char buf[UNITNAME_VERSION_TEXT_SIZE])
{
	const char *base = file != NULL ? strrchr(file, '/') : NULL;
	size_t n;
	long long v = 0;
	size_t i;

	base = base != NULL ? base + 1 : file;
	n = base != NULL ? strspn(base, "0123456789") : 0;
	for (i = 0; i < n && i < UNITNAME_MAX_DIGITS; i++)
		v = v * 10 + (base[i] - '0');
	if (n == 0 || n > UNITNAME_MAX_DIGITS || v != version)
		snprintf(buf, UNITNAME_VERSION_TEXT_SIZE, "%lld", version);
	else
	{
		memcpy(buf, base, n);
		buf[n] = '\0';
	}
	return buf;
}
