/*
 * registry.h: the units linked into this binary, in version order.
 * The build generates the table from the files in migrations/.
 */
#ifndef MIGRATE_REGISTRY_H
#define MIGRATE_REGISTRY_H

#include <stddef.h>

#include "unit_def.h"

struct unit
{
	long long version;
	const char *name;
	const char *file; /* as given to the build, for messages */
	const char *checksum; /* lower-case hex SHA-256 of the file */
	const struct unit_def *def;
};

/* Sorted by version, no duplicates (the build guarantees both). */
extern const struct unit registry_units[];
extern const size_t registry_count;

#endif
