/*
 * sqlsplit.c: splitting SQL text into statements with psql's lexical rules
 * (see sqlsplit.h).  Each rule below names the psqlscan.l rule it mirrors;
 * fuzz/fuzz_sqlsplit.c checks the two against each other.
 */
#include "sqlsplit.h"

#include <string.h>

#define NO_START ((size_t) -1)

/* psqlscan.l's character classes */
static bool
is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

static bool
is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

static bool
is_ident_start(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c >= 0x80 || c == '_';
}

/* dolq_cont and variable_char are the same set */
static bool
is_dolq_cont(unsigned char c)
{
	return is_ident_start(c) || is_digit(c);
}

static bool
is_ident_cont(unsigned char c)
{
	return is_dolq_cont(c) || c == '$';
}

void
sqlsplit_init(struct sqlsplit *s, const char *text, size_t len, sqlsplit_marker_fn marker,
			  void *arg)
{
	memset(s, 0, sizeof(*s));
	s->text = text;
	s->len = len;
	s->marker = marker;
	s->marker_arg = arg;
	s->pos_line = 1;
}

static unsigned char
at(const struct sqlsplit *s, size_t i)
{
	return i < s->len ? (unsigned char) s->text[i] : '\0';
}

/* Moves to offset to, counting the newlines passed. */
static void
move_to(struct sqlsplit *s, size_t to)
{
	for (; s->pos < to && s->pos < s->len; s->pos++)
		if (s->text[s->pos] == '\n')
			s->pos_line++;
}

static void
reset_statement(struct sqlsplit *s)
{
	s->paren_depth = 0;
	s->begin_depth = 0;
	s->identifier_count = 0;
}

static bool
word_is(const char *w, size_t n, const char *lower)
{
	size_t i;

	if (strlen(lower) != n)
		return false;
	for (i = 0; i < n; i++)
	{
		char c = w[i];

		if (c >= 'A' && c <= 'Z')
			c = (char) (c + ('a' - 'A'));
		if (c != lower[i])
			return false;
	}
	return true;
}

/*
 * psql's {identifier} rule: inside CREATE [OR REPLACE] FUNCTION|PROCEDURE
 * a BEGIN (ATOMIC) ... END block, with CASE ... END in it, holds the
 * statement open across semicolons.
 */
static void
track_identifier(struct sqlsplit *s, const char *w, size_t n)
{
	static const char *const tracked[] = {"create", "function", "procedure", "or", "replace"};
	const char *ids = s->identifiers;
	size_t i;

	if (s->identifier_count == 0)
		memset(s->identifiers, 0, sizeof(s->identifiers));
	for (i = 0; i < sizeof(tracked) / sizeof(tracked[0]); i++)
		if (word_is(w, n, tracked[i]) && s->identifier_count < sizeof(s->identifiers))
			s->identifiers[s->identifier_count] = tracked[i][0];
	s->identifier_count++;
	if (ids[0] == 'c' &&
		(ids[1] == 'f' || ids[1] == 'p' ||
		 (ids[1] == 'o' && ids[2] == 'r' && (ids[3] == 'f' || ids[3] == 'p'))) &&
		s->paren_depth == 0)
	{
		if (word_is(w, n, "begin"))
			s->begin_depth++;
		else if (word_is(w, n, "case"))
		{
			if (s->begin_depth >= 1)
				s->begin_depth++;
		}
		else if (word_is(w, n, "end"))
		{
			if (s->begin_depth > 0)
				s->begin_depth--;
		}
	}
}

/* Skips a "--" comment from i: returns the offset of its end of line. */
static size_t
comment_end(const struct sqlsplit *s, size_t i)
{
	while (i < s->len && s->text[i] != '\n' && s->text[i] != '\r')
		i++;
	return i;
}

/*
 * psql's {quotecontinue} after a closing quote at i - 1: white space and
 * comments holding a newline, then a quote, continue the same literal.
 * psql reads a file line by line and never shows the lexer a line feed,
 * so only a carriage return counts as that newline; a closing quote that
 * ends its line carries the lookahead to the start of the next line that
 * is not empty.
 * Returns the offset after the continuing quote, or 0.
 */
static size_t
quote_continues(const struct sqlsplit *s, size_t i)
{
	/* psql skips empty lines, and the lookahead waits through them */
	while (i < s->len && s->text[i] == '\n')
		i++;
	for (;;)
	{
		if (i < s->len && strchr(" \t\f", s->text[i]) != NULL)
			i++;
		else if (at(s, i) == '-' && at(s, i + 1) == '-')
			i = comment_end(s, i);
		else
			break;
	}
	if (at(s, i) != '\r' || i >= s->len)
		return 0;
	i++;
	for (;;)
	{
		if (i < s->len && strchr(" \t\r\f", s->text[i]) != NULL)
			i++;
		else if (at(s, i) == '-' && at(s, i + 1) == '-' && at(s, comment_end(s, i)) == '\r' &&
				 comment_end(s, i) < s->len)
			i = comment_end(s, i) + 1;
		else
			break;
	}
	return at(s, i) == '\'' && i < s->len ? i + 1 : 0;
}

/*
 * Skips a quoted token whose opening quote q is at s->pos.  backslash: a
 * backslash escapes the next byte (E'...').  Returns false at the end of
 * the text.
 */
static bool
skip_quoted(struct sqlsplit *s, char q, bool backslash)
{
	size_t i = s->pos + 1;
	size_t more;

	for (;;)
	{
		if (i >= s->len)
			return false;
		if (backslash && s->text[i] == '\\')
		{
			if (i + 1 >= s->len)
				return false;
			i += 2;
		}
		else if (s->text[i] == q)
		{
			if (at(s, i + 1) == q && i + 1 < s->len)
				i += 2;
			else if (q == '\'' && (more = quote_continues(s, i + 1)) != 0)
				i = more;
			else
				break;
		}
		else
			i++;
	}
	move_to(s, i + 1);
	return true;
}

/* Skips a block comment (nested) at s->pos; false at the end of the text. */
static bool
skip_block_comment(struct sqlsplit *s)
{
	size_t i = s->pos + 2;
	int depth = 0;

	for (;;)
	{
		if (i + 1 >= s->len)
			return false;
		if (s->text[i] == '/' && s->text[i + 1] == '*')
		{
			depth++;
			i += 2;
		}
		else if (s->text[i] == '*' && s->text[i + 1] == '/')
		{
			i += 2;
			if (depth-- == 0)
				break;
		}
		else
			i++;
	}
	move_to(s, i);
	return true;
}

/*
 * At a "$": a dollar quote ($$ or $tag$) is skipped to its closing
 * delimiter (returns 1, or -1 at the end of the text); otherwise a
 * parameter ($1) or a lone "$" is skipped (returns 0).
 */
static int
skip_dollar(struct sqlsplit *s)
{
	size_t i = s->pos + 1;
	size_t taglen;

	if (is_digit(at(s, i)))
	{
		/* a parameter, and its junk rule as for numbers */
		while (is_digit(at(s, i)))
			i++;
		if (i < s->len && is_ident_start(at(s, i)))
			while (i < s->len && is_ident_cont(at(s, i)))
				i++;
		move_to(s, i);
		return 0;
	}
	if (is_ident_start(at(s, i)) && !is_digit(at(s, i)))
		while (is_dolq_cont(at(s, i)))
			i++;
	if (at(s, i) != '$' || i >= s->len)
	{
		move_to(s, s->pos + 1);
		return 0;
	}
	taglen = i + 1 - s->pos;
	for (i = s->pos + taglen; i + taglen <= s->len; i++)
	{
		if (s->text[i] == '$' && memcmp(s->text + i, s->text + s->pos, taglen) == 0)
		{
			move_to(s, i + taglen);
			return 1;
		}
	}
	return -1;
}

/*
 * psql's {integer}, {decimal}, {real}, their fail rules and their junk
 * rules (a number followed by an identifier is one token, so that
 * "1e'x'" holds no E'' string and "1x$$" no dollar quote).
 */
static void
skip_number(struct sqlsplit *s, size_t i)
{
	unsigned char e;

	while (is_digit(at(s, i)))
		i++;
	if (at(s, i) == '.' && at(s, i + 1) != '.')
	{
		i++;
		while (is_digit(at(s, i)))
			i++;
	}
	e = at(s, i);
	if ((e == 'e' || e == 'E') && (at(s, i + 1) == '+' || at(s, i + 1) == '-'))
	{
		/* {real} with a signed exponent, else {realfail} takes "e" and sign */
		if (!is_digit(at(s, i + 2)))
		{
			move_to(s, i + 2);
			return;
		}
		i += 2;
		while (is_digit(at(s, i)))
			i++;
	}
	/* the junk rules; "1e5" is {real} and the same length */
	if (i < s->len && is_ident_start(at(s, i)))
		while (i < s->len && is_ident_cont(at(s, i)))
			i++;
	move_to(s, i);
}

/* psql's variable rules (:name, :'name', :"name", :{?name}) and "::". */
static void
skip_colon(struct sqlsplit *s)
{
	size_t i = s->pos + 1;
	unsigned char open = at(s, i);

	if (open == ':')
	{
		move_to(s, i + 1);
		return;
	}
	if (is_dolq_cont(open))
	{
		while (is_dolq_cont(at(s, i)))
			i++;
		move_to(s, i);
		return;
	}
	if (open == '\'' || open == '"' || (open == '{' && at(s, i + 1) == '?'))
	{
		unsigned char close = open == '{' ? '}' : open;
		size_t j = i + (open == '{' ? 2 : 1);
		size_t name = j;

		while (is_dolq_cont(at(s, j)))
			j++;
		if (j > name && at(s, j) == close && j < s->len)
		{
			move_to(s, j + 1);
			return;
		}
	}
	move_to(s, s->pos + 1);
}

/*
 * An identifier, or a string with a letter prefix (E'', B'', X'', N'',
 * U&'', U&"").  Returns false when a quoted part does not end.
 */
static bool
skip_word(struct sqlsplit *s, const char **what)
{
	unsigned char c = at(s, s->pos);
	unsigned char next = at(s, s->pos + 1);
	size_t i;

	if (next == '\'' && strchr("eEbBxXnN", c) != NULL)
	{
		move_to(s, s->pos + 1);
		*what = "quoted string";
		return skip_quoted(s, '\'', c == 'e' || c == 'E');
	}
	if ((c == 'u' || c == 'U') && next == '&')
	{
		unsigned char q = at(s, s->pos + 2);

		if (q == '\'' || q == '"')
		{
			move_to(s, s->pos + 2);
			*what = q == '\'' ? "quoted string" : "quoted identifier";
			return skip_quoted(s, (char) q, false);
		}
		/* psql's {xufailed}: the "u" alone, not an identifier */
		move_to(s, s->pos + 1);
		return true;
	}
	for (i = s->pos; is_ident_cont(at(s, i)) && i < s->len; i++)
		;
	/* psql 15 counts only the words outside parentheses */
	if (s->paren_depth == 0)
		track_identifier(s, s->text + s->pos, i - s->pos);
	move_to(s, i);
	return true;
}

/* Ends the statement at end (exclusive); at the end of text or section
 * its final newlines are not part of it (psql reads lines without them
 * and drops empty ones). */
static enum sqlsplit_status
statement(struct sqlsplit *s, size_t start, size_t end, int line, bool at_semicolon)
{
	while (!at_semicolon && end > start && s->text[end - 1] == '\n')
		end--;
	s->start = start;
	s->end = end;
	s->line = line;
	s->terminated = at_semicolon;
	reset_statement(s);
	return SQLSPLIT_STATEMENT;
}

static enum sqlsplit_status
fail(struct sqlsplit *s, enum sqlsplit_status st, size_t where, int line)
{
	s->start = where;
	s->end = where;
	s->line = line;
	s->pos = s->len;
	reset_statement(s);
	return st;
}

static bool
at_marker(struct sqlsplit *s)
{
	const char *eol;

	if (s->marker == NULL || (s->pos > 0 && s->text[s->pos - 1] != '\n'))
		return false;
	eol = memchr(s->text + s->pos, '\n', s->len - s->pos);
	return s->marker(s->text + s->pos, (eol != NULL ? (size_t) (eol - s->text) : s->len) - s->pos,
					 s->marker_arg);
}

enum sqlsplit_status
sqlsplit_next(struct sqlsplit *s)
{
	size_t start = NO_START;
	int line = 0;

	s->empty = true;
	s->terminated = false;
	s->what = NULL;
	while (s->pos < s->len)
	{
		size_t here = s->pos;
		int here_line = s->pos_line;
		unsigned char c = at(s, here);
		unsigned char next = at(s, here + 1);
		bool token = true; /* anything but white space and -- comments */
		bool real = true; /* a token other than a comment or ";" */
		const char *what = NULL;
		bool ok = true;

		if (at_marker(s))
		{
			if (start != NO_START)
				return statement(s, start, here, line, false);
			s->start = here;
			s->line = here_line;
			while (s->pos < s->len && s->text[s->pos] != '\n')
				s->pos++;
			s->end = s->pos;
			move_to(s, s->pos + 1);
			reset_statement(s);
			return SQLSPLIT_MARKER;
		}
		if (is_space(c))
		{
			move_to(s, here + 1);
			token = false;
		}
		else if (c == '-' && next == '-')
		{
			while (s->pos < s->len && s->text[s->pos] != '\n' && s->text[s->pos] != '\r')
				s->pos++;
			token = false;
		}
		else if (c == '/' && next == '*')
		{
			what = "comment";
			ok = skip_block_comment(s);
			real = false;
		}
		else if (c == '\'' || c == '"')
		{
			what = c == '\'' ? "quoted string" : "quoted identifier";
			ok = skip_quoted(s, (char) c, false);
		}
		else if (c == '$')
		{
			what = "dollar-quoted string";
			ok = skip_dollar(s) >= 0;
		}
		else if (is_ident_start(c))
			ok = skip_word(s, &what);
		else if (is_digit(c) || (c == '.' && is_digit(next)))
			skip_number(s, here);
		else if (c == ':')
			skip_colon(s);
		else if (c == '\\')
			return fail(s, SQLSPLIT_BACKSLASH, here, here_line);
		else
		{
			if (c == '(')
				s->paren_depth++;
			else if (c == ')' && s->paren_depth > 0)
				s->paren_depth--;
			else if (c == ';')
				real = false;
			/* {dot_dot} is one token: "..2" is not ". .2" */
			move_to(s, here + (c == '.' && next == '.' ? 2 : 1));
		}
		if (!ok)
		{
			s->what = what;
			return fail(s, SQLSPLIT_UNTERMINATED, here, here_line);
		}
		if (token && start == NO_START)
		{
			start = here;
			line = here_line;
		}
		if (token && real)
			s->empty = false;
		if (c == ';' && s->paren_depth == 0 && s->begin_depth == 0)
			return statement(s, start, s->pos, line, true);
	}
	if (start == NO_START)
		return SQLSPLIT_END;
	return statement(s, start, s->len, line, false);
}

int
sqlsplit_words(const char *p, size_t len, char w[][SQLSPLIT_WORD_MAX], int n)
{
	const char *end = p + len;
	int k = 0;

	while (p < end && k < n)
	{
		size_t wl = 0;

		if (strchr(" \t\r\n\f(", *p) != NULL)
			p++;
		else if (end - p >= 2 && p[0] == '-' && p[1] == '-')
			while (p < end && *p != '\n')
				p++;
		else if (end - p >= 2 && p[0] == '/' && p[1] == '*')
		{
			int depth = 0;

			for (p += 2; p < end; p++)
			{
				if (end - p >= 2 && p[0] == '/' && p[1] == '*')
					depth++, p++;
				else if (end - p >= 2 && p[0] == '*' && p[1] == '/' && depth-- == 0)
				{
					p += 2;
					break;
				}
				else if (end - p >= 2 && p[0] == '*' && p[1] == '/')
					p++;
			}
		}
		else if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || *p == '_')
		{
			while (p < end && ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || *p == '_'))
			{
				if (wl + 1 < SQLSPLIT_WORD_MAX)
					w[k][wl++] = (char) (*p | 0x20);
				p++;
			}
			w[k++][wl] = '\0';
		}
		else
			break;
	}
	return k;
}
