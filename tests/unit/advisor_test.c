/* The schema advisor on planted catalogs: each check fires on its case
 * with the right object and fix, and a clean table gives no finding. */
#include "autoconfig.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "domain/advisor.h"

static const char *const c_id[] = { "id" };
static const char *const c_user[] = { "userId" };
static const char *const c_user_created[] = { "userId", "createdAt" };
static const char *const c_a[] = { "a" };
static const char *const c_ab[] = { "a", "b" };

/* A clean table: primary key, analyzed, FK covered by an index, typed
 * geometry with a GIST index, every index used. */
static const struct adv_table clean_tables[] = {
    { "public", "clean", 'r', true, false, true, 100, 0, 1000, false,
      false },
};
static const struct adv_column clean_columns[] = {
    { "public", "clean", "id", "text" },
    { "public", "clean", "userId", "text" },
    { "public", "clean", "geom", "geometry(Point,4326)" },
};
static const char *const c_geom[] = { "geom" };
static const struct adv_index clean_indexes[] = {
    { "public", "clean", "clean_pkey", "btree", 1, c_id, NULL, true, true,
      true, true, 0 },
    { "public", "clean", "clean_user", "btree", 2, c_user_created, NULL,
      false, false, true, false, 5 },
    { "public", "clean", "clean_geom", "gist", 1, c_geom, NULL, false,
      false, true, false, 3 },
};
static const struct adv_constraint clean_constraints[] = {
    { "public", "clean", "clean_user_fk", 'f', 1, c_user, true },
};

static struct adv_catalog clean_catalog(void)
{
    return (struct adv_catalog){
        .tables = clean_tables, .ntables = 1,
        .columns = clean_columns, .ncolumns = 3,
        .indexes = clean_indexes, .nindexes = 3,
        .constraints = clean_constraints, .nconstraints = 1,
        .db_xid_age = 1000,
    };
}

static const struct adv_finding *find(const struct adv_findings *f,
                                      const char *check, const char *object)
{
    for (int i = 0; i < f->n; i++)
        if (strcmp(f->v[i].check, check) == 0 &&
            strcmp(f->v[i].object, object) == 0)
            return &f->v[i];
    return NULL;
}

static void test_clean_is_silent(void **state)
{
    struct adv_catalog c = clean_catalog();
    struct adv_findings f = { 0 };

    (void)state;
    advisor_run(&c, &f);
    for (int i = 0; i < f.n; i++)
        print_message("unexpected: %s %s\n", f.v[i].check, f.v[i].object);
    assert_int_equal(f.n, 0);
    assert_int_equal(advisor_worst(&f), -1);
    advisor_findings_free(&f);
}

static void test_quote_ident(void **state)
{
    char *s;

    (void)state;
    s = advisor_quote_ident("referenciales");
    assert_string_equal(s, "referenciales");
    free(s);
    s = advisor_quote_ident("userId");
    assert_string_equal(s, "\"userId\"");
    free(s);
    s = advisor_quote_ident("user");
    assert_string_equal(s, "\"user\"");
    free(s);
    s = advisor_quote_ident("a\"b");
    assert_string_equal(s, "\"a\"\"b\"");
    free(s);
    s = advisor_quote_ident("1abc");
    assert_string_equal(s, "\"1abc\"");
    free(s);
    s = advisor_qualified("public", "AuditLog");
    assert_string_equal(s, "public.\"AuditLog\"");
    free(s);
}

static void test_fk_without_index(void **state)
{
    static const struct adv_table t[] = {
        { "public", "AuditLog", 'r', true, false, true, 10, 0, 0, 0, 0 },
    };
    static const struct adv_index ix[] = {
        { "public", "AuditLog", "AuditLog_pkey", "btree", 1, c_id, NULL,
          true, true, true, true, 0 },
    };
    static const struct adv_constraint fk[] = {
        { "public", "AuditLog", "AuditLog_userId_fkey", 'f', 1, c_user,
          true },
    };
    struct adv_catalog c = { .tables = t, .ntables = 1, .indexes = ix,
                             .nindexes = 1, .constraints = fk,
                             .nconstraints = 1 };
    struct adv_findings f = { 0 };
    const struct adv_finding *x;

    (void)state;
    advisor_run(&c, &f);
    x = find(&f, "fk_without_index", "public.\"AuditLog\"");
    assert_non_null(x);
    assert_int_equal(x->severity, ADV_WARNING);
    assert_string_equal(x->fix_sql, "CREATE INDEX CONCURRENTLY ON "
                        "public.\"AuditLog\" (\"userId\");");
    assert_int_equal(f.n, 1);
    assert_int_equal(advisor_worst(&f), ADV_WARNING);
    advisor_findings_free(&f);
}

static void test_duplicate_redundant_unused_invalid(void **state)
{
    static const struct adv_table t[] = {
        { "s", "t", 'r', true, false, true, 10, 0, 0, 0, 0 },
    };
    static const struct adv_index ix[] = {
        { "s", "t", "t_pkey", "btree", 1, c_id, NULL, true, true, true, true,
          9 },
        { "s", "t", "t_a", "btree", 1, c_a, NULL, false, false, true, false,
          4 },
        { "s", "t", "t_a_again", "btree", 1, c_a, NULL, false, false, true,
          false, 4 },
        { "s", "t", "t_ab", "btree", 2, c_ab, NULL, false, false, true,
          false, 7 },
        { "s", "t", "t_unused", "hash", 1, c_id, NULL, false, false, true,
          false, 0 },
        { "s", "t", "t_broken", "btree", 1, c_user, NULL, false, false,
          false, false, 0 },
    };
    struct adv_catalog c = { .tables = t, .ntables = 1, .indexes = ix,
                             .nindexes = 6 };
    struct adv_findings f = { 0 };
    const struct adv_finding *x;

    (void)state;
    advisor_run(&c, &f);
    x = find(&f, "duplicate_index", "s.t_a_again");
    assert_non_null(x);
    assert_string_equal(x->fix_sql, "DROP INDEX CONCURRENTLY s.t_a_again;");
    assert_non_null(find(&f, "redundant_index", "s.t_a"));
    assert_non_null(find(&f, "unused_index", "s.t_unused"));
    x = find(&f, "invalid_index", "s.t_broken");
    assert_non_null(x);
    assert_string_equal(x->fix_sql, "REINDEX INDEX CONCURRENTLY s.t_broken;");
    /* The primary key and the wide index are fine; the broken index is
     * not also "unused". */
    assert_null(find(&f, "unused_index", "s.t_broken"));
    assert_null(find(&f, "unused_index", "s.t_pkey"));
    assert_int_equal(f.n, 4);
    advisor_findings_free(&f);
}

static void test_unused_fk_index_is_kept(void **state)
{
    static const struct adv_table t[] = {
        { "public", "child", 'r', true, false, true, 10, 0, 0, 0, 0 },
    };
    static const struct adv_index ix[] = {
        { "public", "child", "child_pkey", "btree", 1, c_id, NULL, true,
          true, true, true, 0 },
        { "public", "child", "child_user", "btree", 1, c_user, NULL, false,
          false, true, false, 0 },
    };
    static const struct adv_constraint fk[] = {
        { "public", "child", "child_fk", 'f', 1, c_user, true },
    };
    struct adv_catalog c = { .tables = t, .ntables = 1, .indexes = ix,
                             .nindexes = 2, .constraints = fk,
                             .nconstraints = 1 };
    struct adv_findings f = { 0 };

    (void)state;
    advisor_run(&c, &f);
    assert_int_equal(f.n, 0);
    advisor_findings_free(&f);
}

static void test_geometry(void **state)
{
    static const struct adv_table t[] = {
        { "public", "referenciales", 'r', true, false, true, 10, 0, 0, 0,
          0 },
    };
    static const struct adv_column cols[] = {
        { "public", "referenciales", "geom", "geometry" },
        { "public", "referenciales", "comuna", "text" },
        { "public", "referenciales", "fechaescritura", "timestamp(3)" },
        { "public", "referenciales", "userId", "text" },
    };
    struct adv_catalog c = { .tables = t, .ntables = 1, .columns = cols,
                             .ncolumns = 4 };
    struct adv_findings f = { 0 };
    const struct adv_finding *x;

    (void)state;
    advisor_run(&c, &f);
    x = find(&f, "untyped_geometry", "public.referenciales");
    assert_non_null(x);
    assert_string_equal(x->detail, "geom");
    x = find(&f, "geometry_without_gist", "public.referenciales");
    assert_non_null(x);
    assert_string_equal(x->fix_sql, "CREATE INDEX CONCURRENTLY ON "
                        "public.referenciales USING gist (geom);");
    /* The recommended GIST index is the same statement: said once. */
    int n = 0;
    for (int i = 0; i < f.n; i++)
        n += strstr(f.v[i].fix_sql ? f.v[i].fix_sql : "", "gist") != NULL;
    assert_int_equal(n, 1);
    /* comuna, fechaescritura and userId are recommended. */
    int rec = 0;
    for (int i = 0; i < f.n; i++)
        rec += strcmp(f.v[i].check, "missing_recommended_index") == 0;
    assert_int_equal(rec, 3);
    advisor_findings_free(&f);
}

static void test_recommended_only_existing(void **state)
{
    static const struct adv_table t[] = {
        { "public", "User", 'r', true, false, true, 10, 0, 0, 0, 0 },
    };
    static const struct adv_column cols[] = {
        { "public", "User", "email", "text" },
    };
    static const char *const c_email[] = { "email" };
    static const struct adv_index ix[] = {
        { "public", "User", "User_email_key", "btree", 1, c_email, NULL,
          true, false, true, false, 3 },
    };
    struct adv_catalog c = { .tables = t, .ntables = 1, .columns = cols,
                             .ncolumns = 1, .indexes = ix, .nindexes = 1 };
    struct adv_findings f = { 0 };

    (void)state;
    /* email is indexed; profession, region, commune do not exist. */
    advisor_run(&c, &f);
    assert_int_equal(f.n, 0);
    c.nindexes = 0;
    advisor_run(&c, &f);
    assert_int_equal(f.n, 1);
    assert_string_equal(f.v[0].fix_sql, "CREATE INDEX CONCURRENTLY ON "
                        "public.\"User\" (email);");
    advisor_findings_free(&f);
}

static void test_health(void **state)
{
    static const struct adv_table t[] = {
        { "public", "nopk", 'r', false, false, false, 50, 0, 0, 0, 0 },
        { "public", "bloat", 'r', true, false, true, 1000, 3000,
          1700000000LL, 0, 0 },
        { "public", "v", 'v', false, false, false, 0, 0, 0, false, true },
        { "public", "v_ok", 'v', false, false, false, 0, 0, 0, true, true },
    };
    static const struct adv_sequence seq[] = {
        { "public", "s_full", 95, 100, NULL, NULL, NULL, 0 },
        { "public", "t_id_seq", 2000000000LL, 9223372036854775807LL,
          "public", "t", "id", 2147483647LL },
        { "public", "s_ok", 5, 100, NULL, NULL, NULL, 0 },
    };
    static const struct adv_constraint k[] = {
        { "public", "bloat", "bloat_check", 'c', 0, NULL, false },
    };
    static const struct adv_function fn[] = {
        { "auth.uid()", false, false },
        { "public.safe()", true, true },
    };
    static const struct adv_extension ext[] = {
        { "postgis", "public" }, { "plpgsql", "pg_catalog" },
    };
    struct adv_catalog c = {
        .tables = t, .ntables = 4, .sequences = seq, .nsequences = 3,
        .constraints = k, .nconstraints = 1, .functions = fn,
        .nfunctions = 2, .extensions = ext, .nextensions = 2,
        .db_xid_age = 5,
    };
    struct adv_findings f = { 0 };
    const struct adv_finding *x;

    (void)state;
    advisor_run(&c, &f);
    assert_non_null(find(&f, "no_primary_key", "public.nopk"));
    assert_non_null(find(&f, "never_analyzed", "public.nopk"));
    assert_non_null(find(&f, "dead_tuples", "public.bloat"));
    x = find(&f, "xid_age", "public.bloat");
    assert_non_null(x);
    assert_int_equal(x->severity, ADV_CRITICAL);
    assert_non_null(find(&f, "view_bypasses_rls", "public.v"));
    assert_null(find(&f, "view_bypasses_rls", "public.v_ok"));
    assert_non_null(find(&f, "sequence_exhaustion", "public.s_full"));
    assert_null(find(&f, "sequence_exhaustion", "public.s_ok"));
    x = find(&f, "integer_key_exhaustion", "public.t");
    assert_non_null(x);
    assert_string_equal(x->fix_sql, "ALTER TABLE public.t ALTER COLUMN id "
                        "TYPE bigint; ALTER SEQUENCE public.t_id_seq AS "
                        "bigint;");
    x = find(&f, "constraint_not_valid", "public.bloat");
    assert_non_null(x);
    assert_string_equal(x->fix_sql, "ALTER TABLE public.bloat VALIDATE "
                        "CONSTRAINT bloat_check;");
    assert_non_null(find(&f, "function_search_path", "auth.uid()"));
    assert_null(find(&f, "function_search_path", "public.safe()"));
    assert_non_null(find(&f, "extension_in_public", "postgis"));
    assert_null(find(&f, "extension_in_public", "plpgsql"));
    /* Worst first. */
    assert_int_equal(f.v[0].severity, ADV_CRITICAL);
    assert_string_equal(advisor_severity_name(f.v[0].severity), "critical");
    advisor_findings_free(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_clean_is_silent),
        cmocka_unit_test(test_quote_ident),
        cmocka_unit_test(test_fk_without_index),
        cmocka_unit_test(test_duplicate_redundant_unused_invalid),
        cmocka_unit_test(test_unused_fk_index_is_kept),
        cmocka_unit_test(test_geometry),
        cmocka_unit_test(test_recommended_only_existing),
        cmocka_unit_test(test_health),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
