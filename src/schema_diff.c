/*
 * schema_diff.c: a line diff of two canonical schema texts.
 *
 * The fingerprint's lines are ordered by object, not bytewise, so a
 * merge of sorted lines would not do: this is Myers' O((N+M)D) shortest
 * edit script over the lines between the common prefix and suffix.  A
 * down step that forgets something differs from its before text in a few
 * lines, so D is small; past MAX_EDITS the middle is reported as all lost
 * and all left over, which is still true, only longer.
 */
#include "schema_diff.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define MAX_EDITS 1000

struct line
{
	const char *s;
	size_t len;
};

struct lines
{
	struct line *v; /* owned */
	size_t n;
};

/* One edit: a line of before lost ('-') or a line of after left ('+'). */
struct edit
{
	char op;
	size_t index; /* into before for '-', into after for '+' */
};

struct script
{
	struct edit *v; /* owned */
	size_t n;
	size_t cap;
};

static void
split_lines(const char *text, struct lines *out)
{
	const char *p = text;
	size_t cap = 16;

	out->v = xmalloc(cap * sizeof(*out->v));
	out->n = 0;
	while (*p)
	{
		size_t len = strcspn(p, "\n");

		if (out->n == cap)
		{
			cap *= 2;
			out->v = xrealloc(out->v, cap * sizeof(*out->v));
		}
		out->v[out->n].s = p;
		out->v[out->n].len = len;
		out->n++;
		p += len;
		if (*p == '\n')
			p++;
	}
}

static bool
same(const struct line *a, const struct line *b)
{
	return a->len == b->len && memcmp(a->s, b->s, a->len) == 0;
}

static void
add_edit(struct script *s, char op, size_t index)
{
	if (s->n == s->cap)
	{
		s->cap = s->cap ? s->cap * 2 : 16;
		s->v = xrealloc(s->v, s->cap * sizeof(*s->v));
	}
	s->v[s->n].op = op;
	s->v[s->n].index = index;
	s->n++;
}

/* The middle as all lost, then all left over. */
static void
replace_all(size_t a0, size_t n, size_t b0, size_t m, struct script *s)
{
	size_t i;

	for (i = 0; i < n; i++)
		add_edit(s, '-', a0 + i);
	for (i = 0; i < m; i++)
		add_edit(s, '+', b0 + i);
}

/*
 * Myers' greedy forward search over a[a0..a0+n) and b[b0..b0+m), keeping
 * each round's frontier (2d+1 values) to walk the path back.  Appends the
 * edits in text order; false when more than MAX_EDITS would be needed.
 */
static bool
myers(const struct lines *a, size_t a0, size_t n, const struct lines *b, size_t b0, size_t m,
	  struct script *s)
{
	long max = (long) (n + m) < MAX_EDITS ? (long) (n + m) : MAX_EDITS;
	long off = max + 1;
	long *v = xcalloc((size_t) (2 * off + 1), sizeof(*v));
	long **trace = xcalloc((size_t) max + 1, sizeof(*trace));
	long d;
	long k;
	long found = -1;

	for (d = 0; d <= max && found < 0; d++)
	{
		for (k = -d; k <= d; k += 2)
		{
			long x = (k == -d || (k != d && v[off + k - 1] < v[off + k + 1])) ? v[off + k + 1]
																			  : v[off + k - 1] + 1;
			long y = x - k;

			while (x < (long) n && y < (long) m &&
				   same(&a->v[a0 + (size_t) x], &b->v[b0 + (size_t) y]))
				x++, y++;
			v[off + k] = x;
			if (x >= (long) n && y >= (long) m)
				found = d;
		}
		trace[d] = xmalloc((size_t) (2 * d + 1) * sizeof(long));
		memcpy(trace[d], &v[off - d], (size_t) (2 * d + 1) * sizeof(long));
	}
	if (found >= 0)
	{
		struct script rev = {0};
		long x = (long) n;
		long y = (long) m;
		size_t i;

		for (d = found; d > 0; d--)
		{
			const long *pv = trace[d - 1] + (d - 1); /* pv[k] for k in [-(d-1), d-1] */
			long pk;

			k = x - y;
			pk = (k == -d || (k != d && pv[k - 1] < pv[k + 1])) ? k + 1 : k - 1;
			x = pv[pk];
			y = x - pk;
			if (pk == k + 1)
				add_edit(&rev, '+', b0 + (size_t) y);
			else
				add_edit(&rev, '-', a0 + (size_t) x);
		}
		for (i = rev.n; i > 0; i--)
			add_edit(s, rev.v[i - 1].op, rev.v[i - 1].index);
		free(rev.v);
	}
	for (d = 0; d <= max; d++)
		free(trace[d]);
	free(trace);
	free(v);
	return found >= 0;
}

/* The line that starts the object holding line i (itself unless a continuation). */
static const struct line *
head_of(const struct lines *l, size_t i)
{
	while (i > 0 && l->v[i].len > 0 && l->v[i].s[0] == '\t')
		i--;
	return &l->v[i];
}

static void
print_script(const struct lines *a, const struct lines *b, const struct script *s, size_t max_lines,
			 struct buf *out)
{
	const struct line *last_head = NULL;
	size_t i;

	for (i = 0; i < s->n && i < max_lines; i++)
	{
		const struct lines *l = s->v[i].op == '-' ? a : b;
		const struct line *ln = &l->v[s->v[i].index];

		if (ln->len > 0 && ln->s[0] == '\t')
		{
			const struct line *h = head_of(l, s->v[i].index);

			if (last_head == NULL || !same(h, last_head))
			{
				buf_append(out, "  ");
				buf_append_len(out, h->s, h->len);
				buf_append_char(out, '\n');
			}
			last_head = h;
		}
		else
			last_head = ln;
		buf_append_char(out, s->v[i].op);
		buf_append_char(out, ' ');
		buf_append_len(out, ln->s, ln->len);
		buf_append_char(out, '\n');
	}
	if (s->n > max_lines)
		buf_printf(out, "(%zu more differing lines)\n", s->n - max_lines);
}

size_t
schema_diff(const char *before, const char *after, size_t max_lines, struct buf *out)
{
	struct lines a;
	struct lines b;
	struct script s = {0};
	size_t pre = 0;
	size_t suf = 0;
	size_t n;

	split_lines(before, &a);
	split_lines(after, &b);
	while (pre < a.n && pre < b.n && same(&a.v[pre], &b.v[pre]))
		pre++;
	while (suf < a.n - pre && suf < b.n - pre && same(&a.v[a.n - 1 - suf], &b.v[b.n - 1 - suf]))
		suf++;
	if (!myers(&a, pre, a.n - pre - suf, &b, pre, b.n - pre - suf, &s))
		replace_all(pre, a.n - pre - suf, pre, b.n - pre - suf, &s);
	print_script(&a, &b, &s, max_lines, out);
	n = s.n;
	free(s.v);
	free(a.v);
	free(b.v);
	return n;
}
