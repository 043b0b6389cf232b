/* The search query builder: user text only in parameters, keyset paging,
 * comuna spellings, LIKE escaping, radius bounds, and form validation. */
#include "autoconfig.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "domain/comunas.h"
#include "domain/searchq.h"

static const char *hostile = "'); drop table x; -- 100% _a\\b\"";

static bool has_param(const struct searchq *q, const char *needle)
{
    for (int i = 0; i < q->nparams; i++)
        if (strstr(q->params[i], needle))
            return true;
    return false;
}

/* Every $n in the SQL is one of the parameters and every parameter is used. */
static void assert_placeholders(const struct searchq *q)
{
    for (int i = 1; i <= q->nparams; i++) {
        char ph[16];
        const char *p = q->sql;
        bool found = false;

        snprintf(ph, sizeof ph, "$%d", i);
        while ((p = strstr(p, ph))) {
            p += strlen(ph);
            if (*p < '0' || *p > '9')
                found = true;
        }
        assert_true(found);
    }
    {
        char ph[16];

        snprintf(ph, sizeof ph, "$%d", q->nparams + 1);
        assert_null(strstr(q->sql, ph));
    }
}

static void test_hostile_text_is_a_parameter(void **state)
{
    struct searchq_filter f = { .target = SEARCHQ_REFERENCIALES,
                                .text = hostile, .comuna = hostile,
                                .cbr = hostile, .rol = hostile };
    struct searchq q;

    (void)state;
    assert_true(searchq_build(&f, SEARCHQ_PAGE, &q));
    assert_null(strstr(q.sql, "drop table"));
    assert_null(strstr(q.sql, "100%"));
    assert_true(has_param(&q, "%'); drop table x; -- 100\\% \\_a\\\\b\"%"));
    assert_true(has_param(&q, hostile));
    assert_non_null(strstr(q.sql, "ILIKE"));
    assert_placeholders(&q);
    searchq_free(&q);
}

static void test_like_escape(void **state)
{
    char *s = searchq_like_escape("a%b_c\\d");

    (void)state;
    assert_string_equal(s, "a\\%b\\_c\\\\d");
    free(s);
}

static void test_keyset_never_offset(void **state)
{
    struct searchq_filter f = { .target = SEARCHQ_REFERENCIALES,
                                .sort = "monto", .limit = 20,
                                .after_value = "-1", .after_id = "abc" };
    struct searchq q;

    (void)state;
    assert_true(searchq_build(&f, SEARCHQ_PAGE, &q));
    assert_null(strstr(q.sql, "OFFSET"));
    assert_non_null(strstr(q.sql, "(coalesce(\"monto\", -1), \"id\") > "
                                  "($1::bigint, $2)"));
    assert_non_null(
        strstr(q.sql, "ORDER BY coalesce(\"monto\", -1), \"id\""));
    assert_non_null(strstr(q.sql, "LIMIT 20"));
    assert_string_equal(q.params[0], "-1");
    assert_string_equal(q.params[1], "abc");
    searchq_free(&q);
    f.desc = true;
    assert_true(searchq_build(&f, SEARCHQ_PAGE, &q));
    assert_non_null(strstr(q.sql, "\"id\") < ($1::bigint, $2)"));
    assert_non_null(strstr(q.sql, "-1) DESC, \"id\" DESC"));
    searchq_free(&q);
    assert_string_equal(searchq_cursor_value(&f, NULL), "-1");
    assert_string_equal(searchq_cursor_value(&f, "5"), "5");
}

static void test_default_sort_and_all(void **state)
{
    struct searchq_filter f = { .target = SEARCHQ_PROPERTY };
    struct searchq q;

    (void)state;
    assert_true(searchq_build(&f, SEARCHQ_ALL, &q));
    assert_non_null(strstr(q.sql, "FROM \"Property\""));
    assert_non_null(strstr(q.sql, "ORDER BY \"createdAt\", \"id\""));
    assert_null(strstr(q.sql, "LIMIT"));
    assert_null(strstr(q.sql, "WHERE"));
    assert_int_equal(q.nparams, 0);
    searchq_free(&q);
}

static void test_comuna_spellings(void **state)
{
    struct searchq_filter f = { .target = SEARCHQ_REFERENCIALES,
                                .comuna = "nunoa" };
    struct searchq q;

    (void)state;
    assert_true(searchq_build(&f, SEARCHQ_PAGE, &q));
    assert_non_null(strstr(q.sql, "\"comuna\" = ANY($1::text[])"));
    assert_string_equal(q.params[0],
                        "{\"Ñuñoa\",\"ÑUÑOA\",\"ñuñoa\",\"Nunoa\",\"NUNOA\","
                        "\"nunoa\",\"nunoa\"}");
    searchq_free(&q);
    f.comuna = "Chicureo"; /* not a comuna: the raw value, any case */
    assert_true(searchq_build(&f, SEARCHQ_PAGE, &q));
    assert_non_null(strstr(q.sql, "lower(\"comuna\") = lower($1)"));
    assert_string_equal(q.params[0], "Chicureo");
    searchq_free(&q);
}

static void test_region(void **state)
{
    struct searchq_filter f = { .target = SEARCHQ_REFERENCIALES,
                                .region = "nuble" };
    struct searchq q;

    (void)state;
    assert_true(searchq_build(&f, SEARCHQ_COUNT, &q));
    assert_non_null(strstr(q.params[0], "\"Chillán\""));
    assert_non_null(strstr(q.params[0], "\"CHILLAN\""));
    assert_null(strstr(q.params[0], "Santiago"));
    assert_non_null(strstr(q.sql, "LIMIT 10001"));
    searchq_free(&q);
    f.target = SEARCHQ_PROPERTY;
    assert_true(searchq_build(&f, SEARCHQ_PAGE, &q));
    assert_string_equal(q.params[0], "Ñuble");
    searchq_free(&q);
}

static void test_radius(void **state)
{
    struct searchq_filter f = { .target = SEARCHQ_REFERENCIALES,
                                .near_lat = "-33.45", .near_lng = "-70.66",
                                .radius_km = "5" };
    struct searchq q;
    double dlat, dlng;

    (void)state;
    assert_true(searchq_build(&f, SEARCHQ_PAGE, &q));
    assert_non_null(strstr(q.sql, "\"geom\" && ST_Expand("));
    assert_non_null(strstr(q.sql, "ST_DistanceSpheroid(\"geom\", "));
    /* No geography cast: its SRID look-up costs each new session. */
    assert_null(strstr(q.sql, "geography"));
    assert_true(has_param(&q, "5000"));
    assert_placeholders(&q);
    /* Sorted by an indexed column: the bounded walk, then the circle. */
    assert_non_null(strstr(q.sql, "WITH walk AS MATERIALIZED"));
    assert_non_null(strstr(q.sql, "LIMIT 5000) w"));
    assert_null(strstr(q.sql, "OFFSET"));
    searchq_free(&q);
    f.sort = "monto"; /* no index orders it: the circle alone */
    assert_true(searchq_build(&f, SEARCHQ_PAGE, &q));
    assert_null(strstr(q.sql, "walk"));
    searchq_free(&q);
    f.sort = NULL;
    f.limit = 1000; /* a page the walk would rarely fill */
    assert_true(searchq_build(&f, SEARCHQ_PAGE, &q));
    assert_null(strstr(q.sql, "walk"));
    searchq_free(&q);
    f.limit = 0;
    assert_true(searchq_build(&f, SEARCHQ_ALL, &q)); /* export: no walk */
    assert_null(strstr(q.sql, "walk"));
    searchq_free(&q);
    /* The box holds the circle: 5 km is at most 5/110.57 degrees north and
     * 5/(111.32 cos 33.5°) east. */
    searchq_degree_bounds(-33.45, 5, &dlat, &dlng);
    assert_true(dlat >= 5 / 110.57 && dlat < 0.05);
    assert_true(dlng >= 5 / (111.32 * cos(33.5 * M_PI / 180)) && dlng < 0.06);
    searchq_degree_bounds(89.99, 5, &dlat, &dlng);
    assert_true(dlng == 180);
    f.target = SEARCHQ_PROPERTY;
    assert_true(searchq_build(&f, SEARCHQ_PAGE, &q));
    assert_non_null(strstr(q.sql, "\"lat\" BETWEEN"));
    assert_null(strstr(q.sql, "\"geom\""));
    searchq_free(&q);
}

static void test_ranges_and_dates(void **state)
{
    struct searchq_filter f = { .target = SEARCHQ_REFERENCIALES,
                                .date_from = "2023-01-01",
                                .date_to = "2023-12-31",
                                .anio_min = "2020", .price_min = "1000",
                                .surface_max = "80.5", .rol = "123*" };
    struct searchq q;

    (void)state;
    assert_true(searchq_build(&f, SEARCHQ_PAGE, &q));
    assert_non_null(strstr(q.sql, "\"fechaescritura\" >= $1::date"));
    assert_non_null(strstr(q.sql, "\"fechaescritura\" < $2::date + 1"));
    assert_non_null(strstr(q.sql, "\"anio\" >= $3::integer"));
    assert_non_null(strstr(q.sql, "\"monto\" >= $4::bigint"));
    assert_non_null(strstr(q.sql, "\"superficie\" <= $5::float8"));
    assert_non_null(strstr(q.sql, "\"rol\" LIKE $6"));
    assert_string_equal(q.params[5], "123%");
    searchq_free(&q);
}

static size_t errors_for(struct searchq_filter *f, const char *field)
{
    struct searchq_error e[SEARCHQ_MAX_ERRORS];
    size_t n = searchq_validate(f, e, SEARCHQ_MAX_ERRORS), hits = 0;

    for (size_t i = 0; i < n && i < SEARCHQ_MAX_ERRORS; i++)
        if (strcmp(e[i].field, field) == 0)
            hits++;
    return hits;
}

static void test_validation(void **state)
{
    struct searchq_filter f = { .target = SEARCHQ_REFERENCIALES };
    struct searchq q;

    (void)state;
    assert_int_equal(searchq_validate(&f, NULL, 0), 0);
    f.price_min = "12a";
    assert_int_equal(errors_for(&f, "price_min"), 1);
    assert_false(searchq_build(&f, SEARCHQ_PAGE, &q));
    assert_null(q.sql);
    f = (struct searchq_filter){ .near_lat = "95", .near_lng = "-70",
                                 .radius_km = "-1" };
    assert_int_equal(errors_for(&f, "near_lat"), 1);
    assert_int_equal(errors_for(&f, "radius_km"), 1);
    f = (struct searchq_filter){ .near_lat = "-33" };
    assert_int_equal(errors_for(&f, "radius_km"), 1);
    f = (struct searchq_filter){ .date_from = "2024-02-01",
                                 .date_to = "2024-01-31" };
    assert_int_equal(errors_for(&f, "date_from"), 1);
    f = (struct searchq_filter){ .date_to = "2023-02-29" };
    assert_int_equal(errors_for(&f, "date_to"), 1);
    f = (struct searchq_filter){ .date_to = "2024-02-29" };
    assert_int_equal(searchq_validate(&f, NULL, 0), 0);
    f = (struct searchq_filter){ .anio_min = "2024", .anio_max = "2020" };
    assert_int_equal(errors_for(&f, "anio_min"), 1);
    f = (struct searchq_filter){ .region = "Atlantis" };
    assert_int_equal(errors_for(&f, "region"), 1);
    f.region = "metropolitana"; /* part of one region's name */
    assert_int_equal(searchq_validate(&f, NULL, 0), 0);
    f.region = "los"; /* Los Lagos, Los Ríos: ambiguous */
    assert_int_equal(errors_for(&f, "region"), 1);
    f.region = "13";
    assert_int_equal(searchq_validate(&f, NULL, 0), 0);
    f = (struct searchq_filter){ .sort = "password" };
    assert_int_equal(errors_for(&f, "sort"), 1);
    f = (struct searchq_filter){ .target = SEARCHQ_PROPERTY,
                                 .property_type = "CASTLE" };
    assert_int_equal(errors_for(&f, "property_type"), 1);
    f.property_type = "CASA";
    f.status = "available";
    assert_int_equal(searchq_validate(&f, NULL, 0), 0);
}

/* A listing's status is its "isActive": active or inactive, as a
 * parameter. */
static void test_listing_status(void **state)
{
    struct searchq_filter f = { .target = SEARCHQ_LISTING,
                                .status = "inactive" };
    struct searchq q;

    (void)state;
    assert_true(searchq_build(&f, SEARCHQ_PAGE, &q));
    assert_non_null(strstr(q.sql, "\"isActive\" = $1::boolean"));
    assert_true(has_param(&q, "false"));
    searchq_free(&q);
    f.status = "available"; /* a Property's status, not a listing's */
    assert_int_equal(errors_for(&f, "status"), 1);
    f.target = SEARCHQ_REFERENCIALES;
    f.status = "active";
    assert_int_equal(errors_for(&f, "status"), 1);
}

/* Completion: the official comunas first (accents and case forgiven),
 * then the database's own spellings that are no official comuna, each
 * spelling once. */
static void test_complete_comuna(void **state)
{
    const char *const known[] = { "ÑUÑOA", "Nunoa Oriente", "NUNOA ORIENTE",
                                  "Santiago Centro", NULL };
    const char *out[8];
    size_t n;

    (void)state;
    n = searchq_complete_comuna("nun", known, 4, out, 8);
    assert_int_equal(n, 2);
    assert_string_equal(out[0], "Ñuñoa");
    assert_string_equal(out[1], "Nunoa Oriente");
    n = searchq_complete_comuna("centro", known, 4, out, 8);
    assert_int_equal(n, 1);
    assert_string_equal(out[0], "Santiago Centro");
    n = searchq_complete_comuna("ANGELES", NULL, 0, out, 8);
    assert_int_equal(n, 1);
    assert_string_equal(out[0], "Los Ángeles");
    assert_int_equal(searchq_complete_comuna("", known, 4, out, 8), 0);
    assert_int_equal(searchq_complete_comuna("s", known, 4, out, 3), 3);
    assert_int_equal(searchq_complete_comuna("zzz", known, 4, out, 8), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hostile_text_is_a_parameter),
        cmocka_unit_test(test_like_escape),
        cmocka_unit_test(test_keyset_never_offset),
        cmocka_unit_test(test_default_sort_and_all),
        cmocka_unit_test(test_comuna_spellings),
        cmocka_unit_test(test_region),
        cmocka_unit_test(test_radius),
        cmocka_unit_test(test_ranges_and_dates),
        cmocka_unit_test(test_validation),
        cmocka_unit_test(test_listing_status),
        cmocka_unit_test(test_complete_comuna),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
