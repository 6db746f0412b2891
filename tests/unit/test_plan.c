/*
 * test_plan.c: status merging and up/down planning, without a database.
 */
#include <stdlib.h>
#include <string.h>

#include "plan.h"
#include "tap.h"

static int
step_ok(void)
{
	return 0;
}

static const struct unit_def plain = {.up = step_ok, .down = step_ok};
static const struct unit_def irreversible = {.up = step_ok, .flags = MIGRATE_IRREVERSIBLE};
static const struct unit_def notx = {
	.up = step_ok, .down = step_ok, .flags = MIGRATE_NO_TRANSACTION};

static struct unit units[] = {
	{1, "one", "m/0001_one.pgc", "c1", &plain},
	{2, "two", "m/0002_two.pgc", "c2", &irreversible},
	{3, "three", "m/0003_three.pgc", "c3", &plain},
	{5, "five", "m/0005_five.pgc", "c5", &notx},
};
#define NUNITS (sizeof(units) / sizeof(units[0]))

static struct history_row rows[8];

static void
set_rows(struct history *h, const long long *versions, const char *const *checksums,
		 const char *const *states, int n)
{
	int i;

	memset(rows, 0, sizeof(rows));
	for (i = 0; i < n; i++)
	{
		rows[i].version = versions[i];
		rows[i].name = (char *) "row";
		rows[i].checksum = (char *) checksums[i];
		rows[i].state = (char *) states[i];
	}
	h->rows = rows;
	h->n = n;
}

static void
test_status(void)
{
	struct history h;
	struct plan_status st;
	const long long v[] = {1, 3, 4};
	const char *const c[] = {"c1", "changed", "c4"};
	const char *const s[] = {"applied", "applied", "baseline"};

	set_rows(&h, v, c, s, 3);
	plan_status_build(units, NUNITS, &h, &st);
	cmp_ok(st.n, ==, 5, "status lists every unit and every row once");
	is(plan_state_name(st.entries[0].state), "applied", "version 1 is applied");
	is(plan_state_name(st.entries[1].state), "out-of-order",
	   "version 2 is pending below the highest applied");
	is(plan_state_name(st.entries[2].state), "modified", "version 3's checksum differs");
	is(plan_state_name(st.entries[3].state), "unknown", "version 4 is a row the binary lacks");
	is(plan_state_name(st.entries[4].state), "pending", "version 5 is pending");
	cmp_ok(st.highest_applied, ==, 4, "highest applied counts every row");
	plan_status_free(&st);
}

static void
test_up(void)
{
	struct history h;
	struct plan_status st;
	const struct unit *out[NUNITS];
	struct up_options o = {0};
	struct buf why;
	size_t n;
	bool wait;
	const long long v[] = {1};
	const char *const c[] = {"c1"};
	const char *const s[] = {"applied"};

	buf_init(&why);
	set_rows(&h, v, c, s, 1);
	plan_status_build(units, NUNITS, &h, &st);
	ok(plan_up(&st, &o, out, &n, &wait, &why) == 0, "up plans without refusal");
	cmp_ok(n, ==, 3, "up selects every pending unit");
	cmp_ok(out[0]->version, ==, 2, "up starts at the lowest pending version");
	o.step = 2;
	ok(plan_up(&st, &o, out, &n, &wait, &why) == 0 && n == 2, "--step 2 selects two units");
	o.step = 0;
	o.to = 3;
	ok(plan_up(&st, &o, out, &n, &wait, &why) == 0 && n == 2 && out[1]->version == 3,
	   "--to 3 stops at version 3");
	o.to = 0;
	o.single_transaction = true;
	cmp_ok(plan_up(&st, &o, out, &n, &wait, &why), ==, 6,
		   "--single-transaction refuses a no-transaction unit");
	ok(strstr(why.data, "5 five") != NULL, "the refusal names the unit (%s)", why.data);
	plan_status_free(&st);
	buf_free(&why);
}

static void
test_up_out_of_order(void)
{
	struct history h;
	struct plan_status st;
	const struct unit *out[NUNITS];
	struct up_options o = {0};
	struct buf why;
	size_t n;
	bool wait;
	const long long v[] = {1, 3};
	const char *const c[] = {"c1", "c3"};
	const char *const s[] = {"applied", "applied"};

	buf_init(&why);
	set_rows(&h, v, c, s, 2);
	plan_status_build(units, NUNITS, &h, &st);
	cmp_ok(plan_up(&st, &o, out, &n, &wait, &why), ==, 6,
		   "a pending version below the highest is refused");
	ok(strstr(why.data, "2 two") != NULL, "the refusal names version 2");
	buf_reset(&why);
	o.out_of_order = true;
	ok(plan_up(&st, &o, out, &n, &wait, &why) == 0 && n == 2 && out[0]->version == 2,
	   "--out-of-order applies it in version order");
	plan_status_free(&st);
	buf_free(&why);
}

static void
test_down(void)
{
	struct history h;
	struct plan_status st;
	const struct plan_entry *out[8];
	struct down_options o = {.to = -1, .step = 1};
	struct buf why;
	size_t n;
	const long long v[] = {1, 2, 3, 4};
	const char *const c[] = {"c1", "c2", "c3", "c4"};
	const char *const s[] = {"applied", "applied", "applied", "applied"};

	buf_init(&why);
	set_rows(&h, v, c, s, 4);
	plan_status_build(units, NUNITS, &h, &st);
	cmp_ok(plan_down(&st, &o, out, &n, &why), ==, 6, "down refuses to cross an unknown version");
	ok(strstr(why.data, "unknown") != NULL, "the refusal says unknown");
	plan_status_free(&st);
	buf_reset(&why);
	set_rows(&h, v, c, s, 3);
	plan_status_build(units, NUNITS, &h, &st);
	ok(plan_down(&st, &o, out, &n, &why) == 0 && n == 1 && out[0]->version == 3,
	   "down rolls back the newest unit by default");
	o.step = 2;
	cmp_ok(plan_down(&st, &o, out, &n, &why), ==, 6, "down refuses to cross an irreversible unit");
	ok(strstr(why.data, "irreversible: 0002") != NULL, "the refusal names the irreversible unit");
	buf_reset(&why);
	o.step = 0;
	o.to = 2;
	ok(plan_down(&st, &o, out, &n, &why) == 0 && n == 1, "--to 2 rolls back only version 3");
	plan_status_free(&st);
	buf_free(&why);
}

static void
test_down_single_transaction(void)
{
	struct history h;
	struct plan_status st;
	const struct plan_entry *out[8];
	struct down_options o = {.to = 2, .single_transaction = true};
	struct buf why;
	size_t n;
	const long long v[] = {1, 2, 3, 5};
	const char *const c[] = {"c1", "c2", "c3", "c5"};
	const char *const s[] = {"applied", "applied", "applied", "applied"};

	buf_init(&why);
	set_rows(&h, v, c, s, 4);
	plan_status_build(units, NUNITS, &h, &st);
	cmp_ok(plan_down(&st, &o, out, &n, &why), ==, 6,
		   "down --single-transaction refuses a no-transaction unit");
	ok(strstr(why.data, "--single-transaction: 0005 five") != NULL,
	   "the refusal names the unit (%s)", why.data);
	buf_reset(&why);
	o.single_transaction = false;
	ok(plan_down(&st, &o, out, &n, &why) == 0 && n == 2, "without it the same range plans");
	plan_status_free(&st);
	buf_free(&why);
}

int
main(void)
{
	test_status();
	test_up();
	test_up_out_of_order();
	test_down();
	test_down_single_transaction();
	return done_testing();
}
