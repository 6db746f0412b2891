/*
 * duration.h: "250ms", "5s", "2min", "1h" and a bare "0".
 */
#ifndef MIGRATE_DURATION_H
#define MIGRATE_DURATION_H

/*
 * Parses a duration into milliseconds.  Accepts a non-negative integer
 * followed by ms, s, min or h, or a bare 0 (no limit).  Returns 0 and sets
 * *ms; -2 when the duration is longer than DURATION_MAX_MS; -1 on anything
 * else (a bare number other than 0, an unknown unit); *ms is untouched on
 * failure.
 */
/* The longest duration: PostgreSQL's timeouts are an int of milliseconds. */
#define DURATION_MAX_MS 2147483647L

int duration_parse(const char *text, long *ms) __attribute__((warn_unused_result));

#endif
