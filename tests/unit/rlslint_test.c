/* The RLS lint on planted catalogs: each check fires on its case with the
 * right object and fix, a correct table gives nothing, and the combined
 * condition ORs permissive and ANDs restrictive policies. */
#include "autoconfig.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "domain/rlslint.h"

static const char *const r_public[] = { "public" };
static const char *const r_app[] = { "app" };
static const char *const m_owner[] = { "owner_group" };

/* Every command covered once, wrapped calls: no finding. */
static const struct rls_policy good_pols[] = {
    { "sel", true, RLS_CMD_SELECT, r_public, 1,
      "(( SELECT auth.uid() AS uid) = \"userId\")", NULL },
    { "ins", true, RLS_CMD_INSERT, r_public, 1, NULL,
      "(( SELECT auth.uid() AS uid) = \"userId\")" },
    { "upd", true, RLS_CMD_UPDATE, r_public, 1,
      "(( SELECT auth.uid() AS uid) = \"userId\")", NULL },
    { "del", true, RLS_CMD_DELETE, r_public, 1,
      "(( SELECT auth.uid() AS uid) = \"userId\")", NULL },
};

static const struct rls_role good_roles[] = {
    { "app", false, false, true, NULL, 0 },
    { "owner", false, false, true, NULL, 0 },
};

static struct rls_catalog cat_of(const struct rls_table *t, int n,
                                 const struct rls_role *r, int nr)
{
    return (struct rls_catalog){ t, n, r, nr, "app", true, true };
}

static const struct rls_finding *find(const struct rls_findings *f,
                                      const char *check)
{
    for (int i = 0; i < f->n; i++)
        if (strcmp(f->v[i].check, check) == 0)
            return &f->v[i];
    return NULL;
}

static void test_clean(void **state)
{
    struct rls_table t = { "public", "Good", "owner", true, false, good_pols,
                           4 };
    struct rls_catalog c = cat_of(&t, 1, good_roles, 2);
    struct rls_findings f = { 0 };

    (void)state;
    rlslint_run(&c, &f);
    assert_int_equal(f.n, 0);
    assert_int_equal(rlslint_worst(&f), -1);
    rlslint_free(&f);
}

static void test_state(void **state)
{
    struct rls_table t[] = {
        { "public", "off", "owner", false, false, good_pols, 1 },
        { "public", "nopol", "owner", true, false, NULL, 0 },
        { "s", "Mine", "owner_group", true, false, good_pols, 4 },
        { "s", "Forced", "app", true, true, good_pols, 4 },
    };
    struct rls_role roles[] = {
        { "app", false, false, true, m_owner, 1 },
    };
    struct rls_catalog c = cat_of(t, 4, roles, 1);
    struct rls_findings f = { 0 };
    const struct rls_finding *x;

    (void)state;
    rlslint_run(&c, &f);
    assert_non_null(x = find(&f, "policies_rls_disabled"));
    assert_string_equal(x->object, "public.off");
    assert_string_equal(x->fix_sql,
                        "ALTER TABLE public.off ENABLE ROW LEVEL SECURITY;");
    assert_non_null(x = find(&f, "rls_no_policy"));
    assert_string_equal(x->object, "public.nopol");
    assert_non_null(x = find(&f, "app_role_owner"));
    assert_string_equal(x->object, "s.\"Mine\"");
    assert_string_equal(x->fix_sql,
                        "ALTER TABLE s.\"Mine\" FORCE ROW LEVEL SECURITY;");
    assert_int_equal(f.n, 3);   /* Forced: owned but FORCE, so fine */
    assert_int_equal(f.v[0].severity, RLS_CRITICAL);
    assert_int_equal(rlslint_worst(&f), RLS_CRITICAL);
    rlslint_free(&f);
}

static void test_roles_and_auth(void **state)
{
    struct rls_table t = { "public", "Property", "owner", true, false,
                           good_pols, 4 };
    struct rls_role roles[] = { { "app", false, true, true, NULL, 0 } };
    struct rls_catalog c = cat_of(&t, 1, roles, 1);
    struct rls_findings f = { 0 };
    const struct rls_finding *x;

    (void)state;
    c.auth_schema = c.auth_uid = false;
    rlslint_run(&c, &f);
    assert_non_null(x = find(&f, "app_role_bypassrls"));
    assert_string_equal(x->fix_sql, "ALTER ROLE app NOBYPASSRLS;");
    assert_non_null(x = find(&f, "auth_uid_missing"));
    assert_int_equal(x->severity, RLS_WARNING);
    assert_string_equal(x->fix_sql, RLSLINT_AUTH_SHIM);
    assert_non_null(strstr(x->fix_sql, "CREATE SCHEMA IF NOT EXISTS auth;"));
    assert_int_equal(f.n, 2);
    rlslint_free(&f);
}

static void test_policies(void **state)
{
    static const struct rls_policy pols[] = {
        { "a", true, RLS_CMD_SELECT, r_public, 1, "(auth.uid() = owner)",
          NULL },
        { "b", true, RLS_CMD_SELECT, r_public, 1, "is_public", NULL },
        { "w", true, RLS_CMD_ALL, r_app, 1, "true", "true" },
        { "r", false, RLS_CMD_DELETE, r_public, 1, "(x > 0)", NULL },
    };
    struct rls_table t = { "public", "t", "owner", true, false, pols, 4 };
    struct rls_catalog c = cat_of(&t, 1, good_roles, 2);
    struct rls_findings f = { 0 };
    const struct rls_finding *x;

    (void)state;
    rlslint_run(&c, &f);
    assert_non_null(x = find(&f, "multiple_permissive"));
    assert_string_equal(x->detail, "public SELECT: a, b");
    assert_non_null(x = find(&f, "permissive_true"));
    assert_string_equal(x->detail, "w (ALL)");
    assert_non_null(x = find(&f, "per_row_call"));
    assert_string_equal(x->fix_sql, "ALTER POLICY a ON public.t USING "
                        "(((select auth.uid()) = owner));");
    assert_null(find(&f, "command_without_policy")); /* ALL covers them */
    assert_int_equal(f.n, 3);
    rlslint_free(&f);
}

static void test_fix_check(void **state)
{
    static const struct rls_policy pols[] = {
        { "ins", true, RLS_CMD_INSERT, r_public, 1, NULL,
          "(auth.uid() = \"requesterId\")" },
    };
    struct rls_table t = { "public", "Connection", "owner", true, true, pols,
                           1 };
    struct rls_catalog c = cat_of(&t, 1, good_roles, 2);
    struct rls_findings f = { 0 };
    const struct rls_finding *x;

    (void)state;
    rlslint_run(&c, &f);
    assert_non_null(x = find(&f, "per_row_call"));
    assert_string_equal(x->object, "public.\"Connection\"");
    assert_string_equal(x->fix_sql, "ALTER POLICY ins ON public.\"Connection\" "
                        "WITH CHECK (((select auth.uid()) = \"requesterId\"));");
    rlslint_free(&f);
}

static void test_commands(void **state)
{
    static const struct rls_policy pols[] = {
        { "s", true, RLS_CMD_SELECT, r_public, 1, "true", NULL },
        { "r", false, RLS_CMD_UPDATE, r_public, 1, "(x > 0)", NULL },
    };
    struct rls_table t = { "public", "t", "owner", true, false, pols, 2 };
    struct rls_catalog c = cat_of(&t, 1, good_roles, 2);
    struct rls_findings f = { 0 };
    int missing = 0;

    (void)state;
    rlslint_run(&c, &f);
    for (int i = 0; i < f.n; i++)
        if (strcmp(f.v[i].check, "command_without_policy") == 0)
            missing++;
    assert_int_equal(missing, 2);  /* INSERT, DELETE */
    assert_non_null(find(&f, "restrictive_only"));
    assert_string_equal(find(&f, "restrictive_only")->detail, "UPDATE");
    assert_int_equal(f.n, 3);
    rlslint_free(&f);
}

static void test_combined(void **state)
{
    static const struct rls_policy pols[] = {
        { "a", true, RLS_CMD_SELECT, r_public, 1, "p1", NULL },
        { "b", true, RLS_CMD_ALL, r_app, 1, "p2", "c2" },
        { "r", false, RLS_CMD_SELECT, r_public, 1, "r1", NULL },
        { "i", true, RLS_CMD_INSERT, r_public, 1, NULL, "c3" },
    };
    struct rls_table t = { "public", "t", "owner", true, false, pols, 4 };
    struct rls_role roles[] = {
        { "member", false, false, true, r_app, 1 },
    };
    struct rls_catalog c = cat_of(&t, 1, roles, 1);
    char *s;

    (void)state;
    s = rlslint_combined(&c, &t, RLS_CMD_SELECT, "member", false);
    assert_string_equal(s, "((p1) OR (p2)) AND (r1)");
    free(s);
    s = rlslint_combined(&c, &t, RLS_CMD_SELECT, "other", false);
    assert_string_equal(s, "((p1)) AND (r1)");
    free(s);
    s = rlslint_combined(&c, &t, RLS_CMD_INSERT, "member", true);
    assert_string_equal(s, "(c2) OR (c3)");
    free(s);
    s = rlslint_combined(&c, &t, RLS_CMD_DELETE, "other", false);
    assert_string_equal(s, "false");
    free(s);
}

static void test_wrap(void **state)
{
    char *s;

    (void)state;
    assert_null(rlslint_wrap_calls("(( SELECT auth.uid() AS uid) = a)"));
    assert_null(rlslint_wrap_calls("'auth.uid()' = a"));
    assert_null(rlslint_wrap_calls(NULL));
    s = rlslint_wrap_calls("(current_setting('x.y'::text, true) = a) AND "
                           "(b = auth.uid())");
    assert_string_equal(s, "((select current_setting('x.y'::text, true)) = a)"
                        " AND (b = (select auth.uid()))");
    free(s);
    s = rlslint_wrap_calls("myauth.uid() = a");
    assert_null(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_clean),
        cmocka_unit_test(test_state),
        cmocka_unit_test(test_roles_and_auth),
        cmocka_unit_test(test_policies),
        cmocka_unit_test(test_fix_check),
        cmocka_unit_test(test_commands),
        cmocka_unit_test(test_combined),
        cmocka_unit_test(test_wrap),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
