/*
 * vertext.h: versions as the unit file names write them ("000118",
 * "20240101120000", "0003"), for every human and JSON output.
 */
#ifndef MIGRATE_VERTEXT_H
#define MIGRATE_VERTEXT_H

#include <stddef.h>

#include "unitname.h"

/* Room for any version's text: 18 digits (UNITNAME_MAX_DIGITS) and a NUL. */
#define VERTEXT_SIZE UNITNAME_VERSION_TEXT_SIZE

/*
 * unitname_version_text for the unit of this binary with that version, or the
 * plain number for a version the binary lacks (a history row only).
 */
const char *vertext(long long version, char buf[VERTEXT_SIZE]);

/* The length of the longest version text among the binary's units (0 without units). */
int vertext_width(void);

#endif
