/* The slow pane's logic: derived figures, the "now" difference of two
 * snapshots (new statements, subtraction, resets), classes, sorting, the
 * blocker list parser and the blocking tree. */
#include "autoconfig.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "domain/slow.h"

static struct slow_stmt st(long long qid, long long calls, double total,
                           const char *query)
{
    struct slow_stmt s = { .userid = 10, .dbid = 5, .queryid = qid,
                           .has_queryid = true, .query = query,
                           .calls = calls, .total_ms = total,
                           .rows = calls, .blks_hit = 90, .blks_read = 10,
                           .stddev_ms = 1, .max_ms = 2 };
    return s;
}

static void test_derive(void **state)
{
    struct slow_stmt v[2] = { st(1, 4, 300, "a"), st(2, 1, 100, "b") };

    (void)state;
    v[1].blks_hit = v[1].blks_read = 0;
    slow_derive(v, 2);
    assert_float_equal(v[0].mean_ms, 75, 1e-9);
    assert_float_equal(v[0].share, 0.75, 1e-9);
    assert_float_equal(v[0].hit_ratio, 0.9, 1e-9);
    assert_true(v[1].hit_ratio < 0);
}

static void test_diff_new_and_changed(void **state)
{
    struct slow_stmt prev[3] = { st(1, 10, 100, "a"), st(2, 5, 50, "b"),
                                 st(3, 1, 1, "c") };
    struct slow_stmt cur[4] = { st(2, 5, 50, "b"), st(1, 12, 700, "a"),
                                st(4, 3, 30, "d"), st(3, 1, 1, "c") };
    struct slow_stmt out[4];
    bool reset = true;
    int n;

    (void)state;
    n = slow_diff(prev, 3, cur, 4, out, &reset);
    assert_false(reset);
    assert_int_equal(n, 2);     /* b and c did not run */
    assert_int_equal(out[0].queryid, 1);
    assert_int_equal(out[0].calls, 2);
    assert_float_equal(out[0].total_ms, 600, 1e-9);
    assert_float_equal(out[0].mean_ms, 300, 1e-9);
    assert_true(out[0].max_ms < 0);
    assert_int_equal(out[1].queryid, 4);   /* new: counted whole */
    assert_int_equal(out[1].calls, 3);
    assert_float_equal(out[0].share + out[1].share, 1, 1e-9);
}

static void test_diff_other_user_is_other_statement(void **state)
{
    struct slow_stmt prev[1] = { st(1, 10, 100, "a") };
    struct slow_stmt cur[2] = { st(1, 10, 100, "a"), st(1, 2, 20, "a") };
    struct slow_stmt out[2];
    bool reset;

    (void)state;
    cur[1].userid = 11;
    assert_int_equal(slow_diff(prev, 1, cur, 2, out, &reset), 1);
    assert_int_equal(out[0].userid, 11);
    assert_int_equal(out[0].calls, 2);
}

static void test_diff_reset(void **state)
{
    struct slow_stmt prev[2] = { st(1, 10, 100, "a"), st(2, 5, 50, "b") };
    struct slow_stmt cur[1] = { st(1, 3, 30, "a") };
    struct slow_stmt out[1];
    bool reset = false;

    (void)state;
    assert_int_equal(slow_diff(prev, 2, cur, 1, out, &reset), 1);
    assert_true(reset);
    assert_int_equal(out[0].calls, 3);     /* since the reset */
    assert_float_equal(out[0].total_ms, 30, 1e-9);
}

/* Another session resets one statement: the others keep their
 * difference (the now mode must not start over). */
static void test_diff_one_statement_reset(void **state)
{
    struct slow_stmt prev[2] = { st(1, 10, 100, "a"), st(2, 5, 50, "b") };
    struct slow_stmt cur[2] = { st(1, 12, 120, "a"), st(2, 1, 10, "b") };
    struct slow_stmt out[2];
    bool reset = false;

    (void)state;
    assert_int_equal(slow_diff(prev, 2, cur, 2, out, &reset), 2);
    assert_true(reset);
    assert_int_equal(out[0].calls, 2);     /* a: difference */
    assert_int_equal(out[1].calls, 1);     /* b: since its own reset */
}

static void test_diff_hidden_queryid(void **state)
{
    struct slow_stmt cur[1] = { st(0, 3, 30, "<insufficient privilege>") };
    struct slow_stmt out[1];
    bool reset;

    (void)state;
    cur[0].has_queryid = false;
    assert_int_equal(slow_diff(NULL, 0, cur, 1, out, &reset), 0);
    assert_false(reset);
}

static void test_classify(void **state)
{
    (void)state;
    assert_int_equal(slow_classify(100, 100), SLOW_OVER);
    assert_int_equal(slow_classify(250, 100), SLOW_OVER);
    assert_int_equal(slow_classify(60, 100), SLOW_NEAR);
    assert_int_equal(slow_classify(49.9, 100), SLOW_OK);
    assert_int_equal(slow_classify(1e6, 0), SLOW_OK);
}

static void test_sort(void **state)
{
    struct slow_stmt v[3] = { st(1, 4, 300, "b"), st(2, 100, 100, "c"),
                              st(3, 1, 200, "a") };

    (void)state;
    slow_derive(v, 3);
    slow_sort(v, 3, SLOW_COL_MEAN, true);
    assert_int_equal(v[0].queryid, 3);
    assert_int_equal(v[2].queryid, 2);
    slow_sort(v, 3, SLOW_COL_CALLS, true);
    assert_int_equal(v[0].queryid, 2);
    slow_sort(v, 3, SLOW_COL_QUERY, false);
    assert_string_equal(v[0].query, "a");
    assert_string_equal(v[2].query, "c");
    slow_sort(v, 3, SLOW_COL_TOTAL, false);
    assert_int_equal(v[0].queryid, 2);
}

static void test_parse_pids(void **state)
{
    int p[4];

    (void)state;
    assert_int_equal(slow_parse_pids("", p, 4), 0);
    assert_int_equal(slow_parse_pids(NULL, p, 4), 0);
    assert_int_equal(slow_parse_pids("123", p, 4), 1);
    assert_int_equal(p[0], 123);
    assert_int_equal(slow_parse_pids("1,22,333", p, 4), 3);
    assert_int_equal(p[2], 333);
    assert_int_equal(slow_parse_pids("1,x,3", p, 4), 1);
    assert_int_equal(slow_parse_pids("1,2,3,4,5", p, 4), 4);
    assert_int_equal(slow_parse_pids("-5", p, 4), 0);
}

static void test_tree(void **state)
{
    /* 30 blocks 10 and 20; 20 also blocks 40 (a chain); 50 is blocked by a
     * session not listed (a root); 60 stands alone. */
    static const int b10[] = { 30 }, b20[] = { 30 }, b40[] = { 20, 30 },
                     b50[] = { 999 };
    struct slow_session s[6] = {
        { 10, b10, 1 }, { 20, b20, 1 }, { 40, b40, 2 }, { 30, NULL, 0 },
        { 50, b50, 1 }, { 60, NULL, 0 },
    };
    static const int want_pid[] = { 30, 10, 20, 40, 50, 60 };
    static const int want_depth[] = { 0, 1, 1, 2, 0, 0 };
    int order[6], depth[6];

    (void)state;
    slow_tree(s, 6, order, depth);
    for (int i = 0; i < 6; i++) {
        assert_int_equal(s[order[i]].pid, want_pid[i]);
        assert_int_equal(depth[i], want_depth[i]);
    }
    assert_int_equal(slow_blocks_count(s, 6, 30), 3);
    assert_int_equal(slow_blocks_count(s, 6, 20), 1);
    assert_int_equal(slow_blocks_count(s, 6, 60), 0);
}

static void test_tree_cycle(void **state)
{
    static const int b1[] = { 2 }, b2[] = { 1 };
    struct slow_session s[2] = { { 1, b1, 1 }, { 2, b2, 1 } };
    int order[2], depth[2];

    (void)state;
    slow_tree(s, 2, order, depth);
    assert_int_equal(s[order[0]].pid, 1);
    assert_int_equal(depth[0], 0);
    assert_int_equal(s[order[1]].pid, 2);
    assert_int_equal(depth[1], 1);
}

static void test_pretty(void **state)
{
    char *p = slow_pretty_query("SELECT a, 'x from y' FROM t join u ON true"
                                " WHERE a = $1 and b_or = $2 ORDER BY 1");

    (void)state;
    assert_string_equal(p, "SELECT a, 'x from y'\nFROM t\njoin u ON true"
                           "\nWHERE a = $1\n  and b_or = $2\nORDER BY 1");
    free(p);
}

static void test_params_and_select(void **state)
{
    (void)state;
    assert_int_equal(slow_count_params("select $1, $12, '$40' -- $50\n"), 12);
    assert_int_equal(slow_count_params("select 1"), 0);
    assert_true(slow_is_select("  /* c */ SELECT 1"));
    assert_true(slow_is_select("(select 1)"));
    assert_false(slow_is_select("UPDATE t SET a = 1"));
    assert_false(slow_is_select("WITH d AS (DELETE FROM t) SELECT 1"));
    assert_false(slow_is_select("selection"));
}

static void test_one_line(void **state)
{
    char buf[16];

    (void)state;
    assert_string_equal(slow_one_line(buf, sizeof buf, "SELECT\n   a,\t b"),
                        "SELECT a, b");
    assert_string_equal(slow_one_line(buf, 7, "SELECT 1"), "SELECT");
}

static void test_plan_marks(void **state)
{
    static const char *const plan[] = {
        "Hash Join  (cost=10.00..1000.00 rows=10 width=4)",
        "  Hash Cond: (a.id = b.id)",
        "  ->  Seq Scan on a  (cost=0.00..900.00 rows=100 width=4)",
        "  ->  Hash  (cost=5.00..20.00 rows=10 width=4)",
        "        ->  Index Scan using b_pkey on b  (cost=0.1..15.00 rows=1)",
    };
    bool mark[5];

    (void)state;
    slow_plan_marks(plan, 5, mark);
    assert_false(mark[0]);      /* own: 1000 - 900 - 20 = 80 */
    assert_false(mark[1]);
    assert_true(mark[2]);       /* 900 of 1000 */
    assert_false(mark[3]);
    assert_false(mark[4]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_derive),
        cmocka_unit_test(test_diff_new_and_changed),
        cmocka_unit_test(test_diff_other_user_is_other_statement),
        cmocka_unit_test(test_diff_reset),
        cmocka_unit_test(test_diff_one_statement_reset),
        cmocka_unit_test(test_diff_hidden_queryid),
        cmocka_unit_test(test_classify),
        cmocka_unit_test(test_sort),
        cmocka_unit_test(test_parse_pids),
        cmocka_unit_test(test_tree),
        cmocka_unit_test(test_tree_cycle),
        cmocka_unit_test(test_pretty),
        cmocka_unit_test(test_params_and_select),
        cmocka_unit_test(test_one_line),
        cmocka_unit_test(test_plan_marks),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
