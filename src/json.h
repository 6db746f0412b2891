/*
 * json.h: building the JSON lines that --json prints.
 */
#ifndef MIGRATE_JSON_H
#define MIGRATE_JSON_H

#include <stdbool.h>

#include "buf.h"

/*
 * Appends s as a JSON string literal, quotes included; NULL appends null.
 * Control characters are escaped; bytes >= 0x80 are copied as they are
 * (the runner's strings are UTF-8), except that invalid UTF-8 is replaced
 * by U+FFFD so that the output always parses.
 */
void json_append_string(struct buf *b, const char *s);

/* Appends ,"key": followed by the value; the first member omits the comma. */
void json_member_string(struct buf *b, const char *key, const char *value);
void json_member_int(struct buf *b, const char *key, long long value);
void json_member_bool(struct buf *b, const char *key, bool value);
/* Appends the key and a raw JSON value (an array or object built already). */
void json_member_raw(struct buf *b, const char *key, const char *raw);

#endif
