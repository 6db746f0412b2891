/*
 * json.c: JSON string escaping and object members.
 */
#include "json.h"

#include <stdio.h>
#include <string.h>

/* Length of the valid UTF-8 sequence at s, or 0 when it is not valid. */
static size_t
utf8_sequence_length(const unsigned char *s)
{
	size_t n;
	size_t i;
	unsigned int cp;

	if (s[0] < 0x80)
		return 1;
	if ((s[0] & 0xE0) == 0xC0)
		n = 2, cp = s[0] & 0x1F;
	else if ((s[0] & 0xF0) == 0xE0)
		n = 3, cp = s[0] & 0x0F;
	else if ((s[0] & 0xF8) == 0xF0)
		n = 4, cp = s[0] & 0x07;
	else
		return 0;
	for (i = 1; i < n; i++)
	{
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3F);
	}
	/* overlong forms, surrogates and values past U+10FFFF are invalid */
	if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
		cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	return n;
}

void
json_append_string(struct buf *b, const char *s)
{
	const unsigned char *p = (const unsigned char *) s;

	if (s == NULL)
	{
		buf_append(b, "null");
		return;
	}
	buf_append_char(b, '"');
	while (*p)
	{
		size_t n;

		switch (*p)
		{
			case '"':
				buf_append(b, "\\\"");
				break;
			case '\\':
				buf_append(b, "\\\\");
				break;
			case '\n':
				buf_append(b, "\\n");
				break;
			case '\r':
				buf_append(b, "\\r");
				break;
			case '\t':
				buf_append(b, "\\t");
				break;
			default:
				if (*p < 0x20 || *p == 0x7F)
				{
					buf_printf(b, "\\u%04x", *p);
					break;
				}
				n = utf8_sequence_length(p);
				if (n == 0)
				{
					buf_append(b, "\\ufffd");
					break;
				}
				buf_append_len(b, (const char *) p, n);
				p += n;
				continue;
		}
		p++;
	}
	buf_append_char(b, '"');
}

static void
json_key(struct buf *b, const char *key)
{
	if (b->len > 0 && b->data[b->len - 1] != '{')
		buf_append_char(b, ',');
	json_append_string(b, key);
	buf_append_char(b, ':');
}

void
json_member_string(struct buf *b, const char *key, const char *value)
{
	json_key(b, key);
	json_append_string(b, value);
}

void
json_member_int(struct buf *b, const char *key, long long value)
{
	json_key(b, key);
	buf_printf(b, "%lld", value);
}

void
json_member_bool(struct buf *b, const char *key, bool value)
{
	json_key(b, key);
	buf_append(b, value ? "true" : "false");
}

void
json_member_raw(struct buf *b, const char *key, const char *raw)
{
	json_key(b, key);
	buf_append(b, raw);
}
