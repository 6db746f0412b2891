/*
 * test_safety_window.c: safety_signature_drop_index() takes exactly the
 * dropped index's entry out of a signature's index part,
 * safety_signature_defaults() counts the attribute part's defaults, and
 * safety_window_saw() raises the oid bound past a result's oids.
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "safety_window.h"
#include "tap.h"

/* The signature after dropping index oid, or "(none)" when it had no entry. */
static char *
dropped(const char *sig, unsigned int oid)
{
	char *s = xstrdup(sig);

	if (!safety_signature_drop_index(&s, oid))
	{
		free(s);
		return xstrdup("(none)");
	}
	return s;
}

/*
 * A windowed observation's result: oids one per row, and the twelfth
 * column ranged on every row (NULL: only eleven columns).
 */
static PGresult *
result(const char *const *oids, int n, const char *ranged)
{
	PGresAttDesc attrs[12];
	PGresult *r = PQmakeEmptyPGresult(NULL, PGRES_TUPLES_OK);
	int ncols = ranged ? 12 : 11;
	int i;

	memset(attrs, 0, sizeof(attrs));
	for (i = 0; i < ncols; i++)
		attrs[i].name = "c";
	PQsetResultAttrs(r, ncols, attrs);
	for (i = 0; i < n; i++)
	{
		PQsetvalue(r, i, 0, (char *) oids[i], (int) strlen(oids[i]));
		if (ranged)
			PQsetvalue(r, i, 11, (char *) ranged, (int) strlen(ranged));
	}
	return r;
}

/* The bound after safety_window_saw from bound over oids; *ranged its return. */
static unsigned long long
saw(unsigned long long bound, const char *const *oids, int n, const char *col, bool *ranged)
{
	PGresult *r = result(oids, n, col);

	*ranged = safety_window_saw(r, &bound);
	PQclear(r);
	return bound;
}

static void
check(const char *sig, unsigned int oid, const char *want, const char *name)
{
	char *got = dropped(sig, oid);

	is(got, want, "%s", name);
	free(got);
}

int
main(void)
{
	check("(0,1)|(0,2),(0,3)|||10@(4,5)", 10, "(0,1)|(0,2),(0,3)|||",
		  "the only index goes, and the part is empty");
	check("(0,1)|(0,2)|||10@(4,5),11@(4,6),12@(7,1)", 11, "(0,1)|(0,2)|||10@(4,5),12@(7,1)",
		  "an index in the middle goes with one comma");
	check("(0,1)|(0,2)|||10@(4,5),11@(4,6)", 11, "(0,1)|(0,2)|||10@(4,5)",
		  "the last index goes with the comma before it");
	check("(0,1)|(0,2)|||10@(4,5),11@(4,6)", 10, "(0,1)|(0,2)|||11@(4,6)",
		  "the first index goes with the comma after it");
	check("(0,1)|(0,2)|||110@(4,5),10@(4,6)", 10, "(0,1)|(0,2)|||110@(4,5)",
		  "an oid is matched whole, not as the end of a longer one");
	check("(0,1)|(0,2)|||110@(4,5)", 10, "(none)", "an index not in the part: nothing changes");
	check("(0,1)|(0,2)|10@(9,9)||", 10, "(none)",
		  "only the fifth part holds indexes (a constraints part is not searched)");
	check("(0,1)|(0,2)", 10, "(none)", "a signature with fewer parts is left alone");
	check("", 10, "(none)", "a gone relation's empty signature is left alone");
	ok(safety_signature_defaults("(0,1)|(0,2),(0,3)*,(1,4)*|(2,1)*||") == 2,
	   "the defaults are the attribute part's marks, not another part's");
	ok(safety_signature_defaults("(0,1)|(0,2),(0,3)|||10@(4,5)") == 0, "no mark, no default");
	ok(safety_signature_defaults(NULL) == -1, "no signature: not known");
	ok(safety_signature_defaults("(0,1)") == -1, "no attribute part: not known");
	ok(safety_signature_defaults("(0,1)|(0,2)*") == -1,
	   "an attribute part without its end: not known");
	{
		static const char *const some[] = {"16500", "16384", "17001"};
		static const char *const last[] = {"16500", "4294967295"};
		static const char *const top[] = {"4294967294"};
		bool ranged;

		ok(saw(0, some, 3, "f", &ranged) == 17002 && !ranged,
		   "the bound goes past the largest oid seen; the rows say pg_class was read in full");
		ok(saw(20000, some, 3, "t", &ranged) == 20000 && ranged,
		   "a bound above every oid seen stays; the rows say the oid range did");
		ok(saw(16000, some, 0, "t", &ranged) == 16000 && !ranged,
		   "no rows: the bound stays, and nothing was read by the range");
		ok(saw(16000, some, 3, NULL, &ranged) == 17002 && !ranged,
		   "a result without the twelfth column: not read by the range");
		ok(saw(16000, last, 2, "f", &ranged) == 0,
		   "the last oid there is seen: the next ones wrap around, the bound is not known");
		ok(saw(0, top, 1, "f", &ranged) == 4294967295ULL,
		   "the oid before the last: the bound is the last");
	}
	return done_testing();
}
