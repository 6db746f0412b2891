/*
 * test_safety_window.c: safety_signature_drop_index() takes exactly the
 * dropped index's entry out of a signature's index part, and
 * safety_signature_defaults() counts the attribute part's defaults.
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
	return done_testing();
}
