/*
 * schema_diff.h: a line diff of two canonical schema texts (SPEC section
 * 6), for verify's report of what a down step left or lost.
 */
#ifndef MIGRATE_SCHEMA_DIFF_H
#define MIGRATE_SCHEMA_DIFF_H

#include <stddef.h>

#include "buf.h"

/*
 * Compares the lines of before and after (a longest common subsequence,
 * so a missing line does not shift the rest) and appends to *out, in text
 * order and one per line ending with '\n':
 *   "- LINE"  a line of before that after does not have (lost),
 *   "+ LINE"  a line of after that before does not have (left over),
 *   "  LINE"  the head line of a multi-line object, as context, before a
 *             differing continuation line (one starting with a tab),
 * at most max_lines "-"/"+" lines; when more differ, a last line
 * "(N more differing lines)".  Returns how many lines differ in all (0:
 * the texts have the same lines; *out is then unchanged).
 */
size_t schema_diff(const char *before, const char *after, size_t max_lines, struct buf *out);

#endif
