/*
 * ecpg_keepnl.c: build-time filter that makes ecpg's output send SQL
 * exactly as the .pgc file wrote it.
 *
 * Usage: ecpg_keepnl SOURCE.pgc < ecpg-output.c > output.c
 *
 * ecpg writes a statement that spans lines as one C string literal whose
 * lines end in a backslash-newline, which the C compiler splices away: the
 * server then receives a dollar-quoted body or a string literal without
 * its line breaks (a "--" comment in a PL/pgSQL body swallows the rest of
 * the body).  This filter rewrites, inside the SQL string literals of
 * ecpg's statement calls only, each such continuation into "\n" (or
 * "\r\n" for a CRLF line end) followed by the continuation, so that the
 * compiled string holds the newline again.  A raw newline inside such a
 * literal (EXECUTE IMMEDIATE "..." spanning lines) becomes "\n" likewise.
 *
 * One case cannot be repaired from the output: ecpg drops a backslash
 * that ends a line (blanks may follow it), taking it for a continuation.
 * The source is checked for such lines first (preprocessor continuations
 * aside) and the unit is refused with its file and line.
 *
 * Exit 0 on success, 1 after printing "FILE:LINE: error: ..." lines.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * Refuses source lines that end in a backslash (blanks allowed after it)
 * outside a preprocessor directive: ecpg would drop that backslash.
 */
static int
check_source(const char *path)
{
	FILE *f = fopen(path, "rb");
	char line[65536];
	long lineno = 0;
	bool directive = false;
	int bad = 0;

	if (f == NULL)
	{
		perror(path);
		return -1;
	}
	while (fgets(line, sizeof(line), f) != NULL)
	{
		size_t n = strlen(line);
		size_t start = strspn(line, " \t");
		bool is_directive;

		lineno++;
		is_directive = directive || line[start] == '#';
		while (n > 0 && strchr(" \t\r\n", line[n - 1]) != NULL)
			n--;
		directive = is_directive && n > 0 && line[n - 1] == '\\';
		if (!is_directive && n > 0 && line[n - 1] == '\\')
		{
			fprintf(stderr,
					"%s:%ld: error: a line ends in a backslash, which ecpg drops (it takes it "
					"for a line continuation)\n"
					"hint: move the backslash off the end of the line, or write the "
					"statement as a .sql unit\n",
					path, lineno);
			bad = 1;
		}
	}
	fclose(f);
	return bad ? -1 : 0;
}

/* Copies ecpg's output from in to out, restoring newlines in SQL strings. */
static void
filter(FILE *in, FILE *out)
{
	enum
	{
		CODE,
		STRING,
		CHAR,
		LINE_COMMENT,
		BLOCK_COMMENT
	} state = CODE;
	bool sql_string = false;
	bool ecpg_call = false; /* "{ ECPG" seen on this line, outside strings */
	char recent[8] = "";
	int c;

	while ((c = getc(in)) != EOF)
	{
		if (state == STRING && c == '\\')
		{
			size_t run = 1;
			int next;

			while ((next = getc(in)) == '\\')
				run++;
			if (sql_string && (next == '\n' || next == '\r'))
			{
				bool crlf = next == '\r';

				if (crlf && (next = getc(in)) != '\n')
				{
					/* a lone CR: keep it as written */
					for (; run > 0; run--)
						putc('\\', out);
					putc('\r', out);
					if (next != EOF)
						ungetc(next, in);
					continue;
				}
				/* an odd run ends in ecpg's continuation, an even one is text */
				if (run % 2 == 1)
					run--;
				for (; run > 0; run--)
					putc('\\', out);
				fputs(crlf ? "\\r\\n\\\n" : "\\n\\\n", out);
				continue;
			}
			for (; run > 0; run--)
				putc('\\', out);
			if (next == EOF)
				break;
			/* an odd run escapes the next character (a quote, say) */
			putc(next, out);
			if (next == '\n')
				ecpg_call = false;
			continue;
		}
		if (state == STRING && sql_string && (c == '\n' || c == '\r'))
		{
			int next = c == '\r' ? getc(in) : '\n';

			if (next == '\n')
			{
				fputs(c == '\r' ? "\\r\\n\\\n" : "\\n\\\n", out);
				continue;
			}
			if (next != EOF)
				ungetc(next, in);
		}
		putc(c, out);
		if (c == '\n')
			ecpg_call = false;
		switch (state)
		{
			case CODE:
				memmove(recent, recent + 1, sizeof(recent) - 2);
				recent[sizeof(recent) - 2] = (char) c;
				if (strstr(recent, "{ ECPG") != NULL)
					ecpg_call = true;
				if (c == '"')
				{
					state = STRING;
					sql_string = ecpg_call;
				}
				else if (c == '\'')
					state = CHAR;
				else if (c == '*' && recent[sizeof(recent) - 3] == '/')
				{
					state = BLOCK_COMMENT;
					recent[sizeof(recent) - 2] = '\0'; /* a star-slash must follow */
				}
				else if (c == '/' && recent[sizeof(recent) - 3] == '/')
					state = LINE_COMMENT;
				break;
			case STRING:
				if (c == '"')
					state = CODE;
				break;
			case CHAR:
				if (c == '\\')
				{
					c = getc(in);
					if (c == EOF)
						return;
					putc(c, out);
				}
				else if (c == '\'')
					state = CODE;
				break;
			case LINE_COMMENT:
				if (c == '\n')
					state = CODE;
				break;
			case BLOCK_COMMENT:
				if (c == '/' && recent[sizeof(recent) - 2] == '*')
					state = CODE;
				recent[sizeof(recent) - 2] = (char) c;
				break;
		}
		if (state != CODE && state != BLOCK_COMMENT)
			memset(recent, 0, sizeof(recent));
	}
}

int
main(int argc, char **argv)
{
	if (argc != 2)
	{
		fprintf(stderr, "usage: ecpg_keepnl SOURCE.pgc < ecpg-output.c > output.c\n");
		return 2;
	}
	if (check_source(argv[1]) != 0)
		return 1;
	filter(stdin, stdout);
	if (ferror(stdin) || fflush(stdout) != 0 || ferror(stdout))
	{
		fprintf(stderr, "%s: error: could not filter ecpg's output\n", argv[1]);
		return 1;
	}
	return 0;
}
