/*
 * buf.h: a growable, always NUL-terminated byte string.
 */
#ifndef MIGRATE_BUF_H
#define MIGRATE_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct buf
{
	char *data; /* owned once cap > 0; "" after buf_init, never NULL */
	size_t len;
	size_t cap;
};

/*
 * Makes an empty buffer, allocating nothing until something is appended.
 * Allocation failure aborts the process.
 */
void buf_init(struct buf *b);
/* Frees the storage and leaves b empty; accepts a zeroed or freed buffer. */
void buf_free(struct buf *b);
/* Empties the buffer, keeping its storage. */
void buf_reset(struct buf *b);
void buf_append(struct buf *b, const char *s);
void buf_append_len(struct buf *b, const char *s, size_t n);
void buf_append_char(struct buf *b, char c);
void buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_vprintf(struct buf *b, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
/*
 * Hands the string to the caller (free() it) and leaves b empty, holding
 * nothing: a buf_free after it is harmless, never needed.
 */
char *buf_detach(struct buf *b) __attribute__((warn_unused_result));

/* The formatted string, malloc'd (free() it); aborts on allocation failure. */
char *xvasprintf(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));
/* strdup() that aborts on allocation failure; NULL gives NULL. */
char *xstrdup(const char *s);
/* malloc/calloc/realloc that abort on allocation failure. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);

#endif
