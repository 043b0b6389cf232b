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
    { "public", "clean", "id", "text", NULL, NULL },
    { "public", "clean", "userId", "text", NULL, NULL },
    { "public", "clean", "geom", "geometry(Point,4326)", NULL, NULL },
};
static const char *const c_geom[] = { "geom" };
static const struct adv_index clean_indexes[] = {
    { "public", "clean", "clean_pkey", "btree", 1, c_id, NULL, true, true,
      true, true, 0, NULL },
    { "public", "clean", "clean_user", "btree", 2, c_user_created, NULL,
      false, false, true, false, 5, NULL },
    { "public", "clean", "clean_geom", "gist", 1, c_geom, NULL, false,
      false, true, false, 3, NULL },
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
          true, true, true, true, 0, NULL },
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
          9, NULL },
        { "s", "t", "t_a", "btree", 1, c_a, NULL, false, false, true, false,
          4, NULL },
        { "s", "t", "t_a_again", "btree", 1, c_a, NULL, false, false, true,
          false, 4, NULL },
        { "s", "t", "t_ab", "btree", 2, c_ab, NULL, false, false, true,
          false, 7, NULL },
        { "s", "t", "t_unused", "hash", 1, c_id, NULL, false, false, true,
          false, 0, NULL },
        { "s", "t", "t_broken", "btree", 1, c_user, NULL, false, false,
          false, false, 0, NULL },
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
          true, true, true, 0, NULL },
        { "public", "child", "child_user", "btree", 1, c_user, NULL, false,
          false, true, false, 0, NULL },
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
        { "public", "referenciales", "geom", "geometry", NULL, NULL },
        { "public", "referenciales", "comuna", "text", NULL, NULL },
        { "public", "referenciales", "fechaescritura", "timestamp(3)", NULL,
          NULL },
        { "public", "referenciales", "userId", "text", NULL, NULL },
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
        { "public", "User", "email", "text", NULL, NULL },
    };
    static const char *const c_email[] = { "email" };
    static const struct adv_index ix[] = {
        { "public", "User", "User_email_key", "btree", 1, c_email, NULL,
          true, false, true, false, 3, NULL },
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

/* Connection's pairs: Prisma's index and a hand-made twin. Prisma's is
 * kept whatever the scans say (dropping it makes migrate report drift),
 * and the choice does not depend on the order the rows came in. */
static void test_duplicate_keeps_prisma(void **state)
{
    static const struct adv_table t[] = {
        { "public", "Connection", 'r', true, false, true, 10, 0, 0, 0, 0 },
    };
    static const char *const c_recv[] = { "receiverId", "status" };
    static const char *const c_req[] = { "requesterId", "status" };
    struct adv_index ix[] = {
        { "public", "Connection", "Connection_receiverId_status_idx",
          "btree", 2, c_recv, NULL, false, false, true, false, 0, NULL },
        { "public", "Connection", "idx_connection_receiver", "btree", 2,
          c_recv, NULL, false, false, true, false, 7, NULL },
        { "public", "Connection", "idx_connection_requester", "btree", 2,
          c_req, NULL, false, false, true, false, 0, NULL },
        { "public", "Connection", "Connection_requesterId_status_idx",
          "btree", 2, c_req, NULL, false, false, true, false, 3, NULL },
    };
    struct adv_catalog c = { .tables = t, .ntables = 1, .indexes = ix,
                             .nindexes = 4 };

    (void)state;
    for (int round = 0; round < 2; round++) {
        struct adv_findings f = { 0 };
        const struct adv_finding *x;
        advisor_run(&c, &f);
        x = find(&f, "duplicate_index", "public.idx_connection_receiver");
        assert_non_null(x);
        assert_string_equal(x->detail, "Connection_receiverId_status_idx");
        assert_string_equal(x->fix_sql, "DROP INDEX CONCURRENTLY "
                            "public.idx_connection_receiver;");
        x = find(&f, "duplicate_index", "public.idx_connection_requester");
        assert_non_null(x);
        assert_string_equal(x->detail,
                            "Connection_requesterId_status_idx");
        for (int i = 0; i < f.n; i++)
            assert_null(strstr(f.v[i].fix_sql ? f.v[i].fix_sql : "",
                               "Connection_"));
        assert_int_equal(f.n, 2);
        advisor_findings_free(&f);
        /* The same rows in the other order. */
        struct adv_index tmp = ix[0];
        ix[0] = ix[1];
        ix[1] = tmp;
        tmp = ix[2];
        ix[2] = ix[3];
        ix[3] = tmp;
    }
}

/* Two twins neither of which Prisma names: more scans, then the name. */
static void test_duplicate_by_scans_then_name(void **state)
{
    static const struct adv_table t[] = {
        { "s", "t", 'r', true, false, true, 10, 0, 0, 0, 0 },
    };
    struct adv_index ix[] = {
        { "s", "t", "b_idx", "btree", 1, c_a, NULL, false, false, true,
          false, 2, NULL },
        { "s", "t", "a_idx", "btree", 1, c_a, NULL, false, false, true,
          false, 2, NULL },
    };
    struct adv_catalog c = { .tables = t, .ntables = 1, .indexes = ix,
                             .nindexes = 2 };
    struct adv_findings f = { 0 };

    (void)state;
    advisor_run(&c, &f);
    assert_non_null(find(&f, "duplicate_index", "s.b_idx"));
    assert_string_equal(find(&f, "duplicate_index", "s.b_idx")->detail,
                        "a_idx");
    advisor_findings_free(&f);
    ix[0].scans = 3;
    advisor_run(&c, &f);
    assert_non_null(find(&f, "duplicate_index", "s.a_idx"));
    assert_null(find(&f, "duplicate_index", "s.b_idx"));
    advisor_findings_free(&f);
}

/* The typed-column fix uses the type and SRID the sampled rows agree on. */
static void test_untyped_geometry_type(void **state)
{
    static const struct adv_table t[] = {
        { "public", "referenciales", 'r', true, false, true, 10, 0, 0, 0,
          0 },
        { "public", "shapes", 'r', true, false, true, 10, 0, 0, 0, 0 },
        { "public", "lines", 'r', true, false, true, 10, 0, 0, 0, 0 },
    };
    static const struct adv_column cols[] = {
        { "public", "referenciales", "geom", "geometry", "POINT", "4326" },
        { "public", "shapes", "g", "geometry", NULL, NULL },
        { "public", "lines", "g", "geometry", "MULTILINESTRING", "32719" },
    };
    struct adv_catalog c = { .tables = t, .ntables = 3, .columns = cols,
                             .ncolumns = 3 };
    struct adv_findings f = { 0 };

    (void)state;
    advisor_run(&c, &f);
    assert_string_equal(find(&f, "untyped_geometry",
                             "public.referenciales")->fix_sql,
                        "ALTER TABLE public.referenciales ALTER COLUMN geom "
                        "TYPE geometry(Point, 4326) USING "
                        "ST_SetSRID(geom, 4326);");
    assert_string_equal(find(&f, "untyped_geometry", "public.shapes")->fix_sql,
                        "ALTER TABLE public.shapes ALTER COLUMN g TYPE "
                        "geometry(Geometry, 4326) USING ST_SetSRID(g, 4326);");
    assert_string_equal(find(&f, "untyped_geometry", "public.lines")->fix_sql,
                        "ALTER TABLE public.lines ALTER COLUMN g TYPE "
                        "geometry(MultiLineString, 32719) USING "
                        "ST_SetSRID(g, 32719);");
    advisor_findings_free(&f);
}

/* Free text: a trigram index per column the search reads, with the
 * operator class from pg_trgm's schema; without pg_trgm, one note. */
static void test_trigram(void **state)
{
    static const struct adv_table t[] = {
        { "public", "referenciales", 'r', true, false, true, 10, 0, 0, 0,
          0 },
    };
    static const struct adv_column cols[] = {
        { "public", "referenciales", "comprador", "text", NULL, NULL },
        { "public", "referenciales", "vendedor", "text", NULL, NULL },
        { "public", "referenciales", "predio", "text", NULL, NULL },
    };
    static const char *const c_comprador[] = { "comprador" };
    static const struct adv_index ix[] = {
        { "public", "referenciales", "ref_comprador_trgm", "gin", 1,
          c_comprador, NULL, false, false, true, false, 1,
          "CREATE INDEX ref_comprador_trgm ON public.referenciales USING gin "
          "(comprador extensions.gin_trgm_ops)" },
    };
    static const struct adv_extension trgm[] = { { "pg_trgm",
                                                   "extensions" } };
    struct adv_catalog c = { .tables = t, .ntables = 1, .columns = cols,
                             .ncolumns = 3, .indexes = ix, .nindexes = 1,
                             .extensions = trgm, .nextensions = 1 };
    struct adv_findings f = { 0 };
    int n = 0;

    (void)state;
    advisor_run(&c, &f);
    for (int i = 0; i < f.n; i++)
        if (strcmp(f.v[i].check, "trigram_index_missing") == 0) {
            n++;
            assert_int_not_equal(strcmp(f.v[i].detail, "comprador"), 0);
        }
    assert_int_equal(n, 2);
    /* Sorted by detail within the table: predio, then vendedor. */
    const struct adv_finding *x = find(&f, "trigram_index_missing",
                                       "public.referenciales");
    assert_string_equal(x->detail, "predio");
    assert_string_equal(x->fix_sql, "CREATE INDEX CONCURRENTLY ON "
                        "public.referenciales USING gin "
                        "(predio extensions.gin_trgm_ops);");
    advisor_findings_free(&f);
    c.nextensions = 0;
    advisor_run(&c, &f);
    assert_null(find(&f, "trigram_index_missing", "public.referenciales"));
    x = find(&f, "pg_trgm_missing", "pg_trgm");
    assert_non_null(x);
    assert_int_equal(x->severity, ADV_INFO);
    advisor_findings_free(&f);
}

/* An unused or redundant index Prisma named is reported without a DROP:
 * it is removed in schema.prisma, or migrate reports drift. */
static void test_prisma_index_not_dropped(void **state)
{
    static const struct adv_table t[] = {
        { "public", "PropertyListing", 'r', true, false, true, 10, 0, 0, 0,
          0 },
    };
    static const struct adv_index ix[] = {
        { "public", "PropertyListing", "PropertyListing_a_idx", "btree", 1,
          c_a, NULL, false, false, true, false, 0, NULL },
        { "public", "PropertyListing", "PropertyListing_a_b_idx", "btree",
          2, c_ab, NULL, false, false, true, false, 5, NULL },
        { "public", "PropertyListing", "pl_user", "btree", 1, c_user, NULL,
          false, false, true, false, 0, NULL },
    };
    struct adv_catalog c = { .tables = t, .ntables = 1, .indexes = ix,
                             .nindexes = 3 };
    struct adv_findings f = { 0 };
    const struct adv_finding *x;

    (void)state;
    advisor_run(&c, &f);
    x = find(&f, "redundant_index", "public.\"PropertyListing_a_idx\"");
    assert_non_null(x);
    assert_null(x->fix_sql);
    assert_non_null(strstr(x->message, "schema.prisma"));
    assert_string_equal(x->detail, "PropertyListing_a_b_idx");
    x = find(&f, "unused_index", "public.pl_user");
    assert_non_null(x);
    assert_string_equal(x->fix_sql, "DROP INDEX CONCURRENTLY public.pl_user;");
    assert_int_equal(f.n, 2);
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
        cmocka_unit_test(test_duplicate_keeps_prisma),
        cmocka_unit_test(test_duplicate_by_scans_then_name),
        cmocka_unit_test(test_untyped_geometry_type),
        cmocka_unit_test(test_trigram),
        cmocka_unit_test(test_prisma_index_not_dropped),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
