/* Comunas: the generated table is complete, sorted and up to date with
 * data/comunas.tsv; lookup forgives what people type; completion; Chile's
 * outline holds every seat and keeps the neighbours out. */
#include "autoconfig.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/xalloc.h"
#include "domain/comunas.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static void test_table_complete(void **state)
{
    int per_region[17] = { 0 };
    static const int expected[17] = { 0,  7,  9,  9,  15, 38, 33, 30, 33,
                                      32, 30, 10, 11, 52, 12, 4,  21 };

    (void)state;
    assert_int_equal(comunas_count, 346);
    for (size_t i = 0; i < comunas_count; i++) {
        const struct comuna *c = &comunas_table[i];

        assert_int_equal(c->cut / 1000, c->region_code);
        assert_true(c->region_code >= 1 && c->region_code <= 16);
        per_region[c->region_code]++;
        assert_ptr_equal(comunas_by_cut(c->cut), c);
        assert_true(c->neighbour_km > 0);
    }
    assert_memory_equal(per_region, expected, sizeof expected);
    assert_string_equal(comunas_by_cut(13120)->name, "Ñuñoa");
    assert_string_equal(comunas_by_cut(8301)->name, "Los Ángeles");
    assert_null(comunas_by_cut(99999));
    /* Rapa Nui's nearest seat is on the continent or Juan Fernández. */
    assert_true(comunas_by_cut(5201)->neighbour_km > 3000);
}

static void check_order(const unsigned short *order, bool by_key)
{
    char *seen = calloc(comunas_count, 1);

    for (size_t i = 0; i < comunas_count; i++) {
        assert_true(order[i] < comunas_count);
        assert_false(seen[order[i]]);
        seen[order[i]] = 1;
        if (i == 0)
            continue;
        const struct comuna *a = &comunas_table[order[i - 1]];
        const struct comuna *b = &comunas_table[order[i]];
        /* Strictly increasing: no two comunas fold to the same key. */
        assert_true(strcmp(by_key ? a->key : a->name,
                           by_key ? b->key : b->name) < 0);
    }
    free(seen);
}

static void test_orders_sorted(void **state)
{
    (void)state;
    check_order(comunas_by_name, false);
    check_order(comunas_by_key, true);
}

/* The awk generator's folding and comunas_fold agree on every name. */
static void test_keys_are_folded_names(void **state)
{
    char buf[COMUNAS_NAME_MAX + 1];

    (void)state;
    for (size_t i = 0; i < comunas_count; i++) {
        comunas_fold(comunas_table[i].name, buf, sizeof buf);
        assert_string_equal(buf, comunas_table[i].key);
    }
}

static char *slurp(FILE *f)
{
    size_t cap = 1 << 16, n = 0, r;
    char *buf = xmalloc(cap);

    while ((r = fread(buf + n, 1, cap - n - 1, f)) > 0) {
        n += r;
        if (n + 1 == cap)
            buf = xrealloc(buf, cap *= 2);
    }
    buf[n] = '\0';
    return buf;
}

/* The committed comunas_data.c is what the generator makes of the TSV. */
static void test_generated_file_current(void **state)
{
    const char *src = getenv("top_srcdir");
    const char *awk = getenv("AWK");
    char *cmd, *fresh, *committed, *path;
    FILE *p, *f;

    (void)state;
    if (!src)
        skip();
    cmd = xasprintf("LC_ALL=C %s -f '%s/data/gen-comunas.awk' "
                    "'%s/data/comunas.tsv'",
                    awk && *awk ? awk : "awk", src, src);
    p = popen(cmd, "r");
    assert_non_null(p);
    fresh = slurp(p);
    assert_int_equal(pclose(p), 0);
    path = xasprintf("%s/src/domain/comunas_data.c", src);
    f = fopen(path, "r");
    assert_non_null(f);
    committed = slurp(f);
    fclose(f);
    if (strcmp(fresh, committed) != 0)
        fail_msg("%s is out of date: run `make regen-comunas`", path);
    free(cmd);
    free(fresh);
    free(committed);
    free(path);
}

static void test_fold(void **state)
{
    char buf[64];

    (void)state;
    assert_int_equal(comunas_fold("  Ñuñoa \t ", buf, sizeof buf), 5);
    assert_string_equal(buf, "nunoa");
    comunas_fold("VIÑA   DEL\xc2\xa0MAR", buf, sizeof buf);
    assert_string_equal(buf, "vina del mar");
    comunas_fold("O’Higgins", buf, sizeof buf);
    assert_string_equal(buf, "o'higgins");
    comunas_fold("ÁÉÍÓÚÜÇ äöø Straße", buf, sizeof buf);
    assert_string_equal(buf, "aeiouuc aoo stra\xc3\x9f" "e");
    /* Like snprintf: the full length back, the output cut and ended. */
    assert_int_equal(comunas_fold("Peñalolén", buf, 4), 9);
    assert_string_equal(buf, "pen");
    assert_int_equal(comunas_fold("Peñalolén", NULL, 0), 9);
    assert_int_equal(comunas_fold("", buf, sizeof buf), 0);
    assert_string_equal(buf, "");
    /* A lone lead byte at the end is kept, not read past. */
    comunas_fold("a\xc3", buf, sizeof buf);
    assert_string_equal(buf, "a\xc3");
}

struct lookup_case {
    const char *input;
    enum comunas_match match;
    const char *name; /* expected comuna, NULL for none */
};

static const struct lookup_case lookups[] = {
    { "Ñuñoa", COMUNAS_EXACT, "Ñuñoa" },
    { "Nunoa", COMUNAS_FOLDED, "Ñuñoa" },
    { "NUNOA", COMUNAS_FOLDED, "Ñuñoa" },
    { "ñuñoa", COMUNAS_FOLDED, "Ñuñoa" },
    { "ÑUÑOA", COMUNAS_FOLDED, "Ñuñoa" },
    { "Penalolen", COMUNAS_FOLDED, "Peñalolén" },
    { "Vina del Mar", COMUNAS_FOLDED, "Viña del Mar" },
    { "LOS ANGELES", COMUNAS_FOLDED, "Los Ángeles" },
    { "Los Angeles", COMUNAS_FOLDED, "Los Ángeles" },
    { "  santiago ", COMUNAS_FOLDED, "Santiago" },
    { "Santiago", COMUNAS_EXACT, "Santiago" },
    { "Concepcion", COMUNAS_FOLDED, "Concepción" },
    { "San  Pedro de   la Paz", COMUNAS_FOLDED, "San Pedro de la Paz" },
    { "O’Higgins", COMUNAS_FOLDED, "O'Higgins" },
    { "Isla de Pascua", COMUNAS_EXACT, "Isla de Pascua" },
    { "Nunoaa", COMUNAS_CLOSE, "Ñuñoa" },
    { "Sntiago", COMUNAS_CLOSE, "Santiago" },
    { "Valparaizo", COMUNAS_CLOSE, "Valparaíso" },
    { "Llay-Llay", COMUNAS_CLOSE, "Llaillay" },
    { "Springfield", COMUNAS_NONE, NULL },
    { "ab", COMUNAS_NONE, NULL },
    { "", COMUNAS_NONE, NULL },
    { "Santiago de Chile, Región Metropolitana, Chile, Sudamérica, Tierra",
      COMUNAS_NONE, NULL },
};

static void test_lookup_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < NELEM(lookups); i++) {
        const struct comuna *c = NULL;
        enum comunas_match m = comunas_lookup(lookups[i].input, &c);

        if (m != lookups[i].match)
            fail_msg("\"%s\": match %d, expected %d", lookups[i].input, m,
                     lookups[i].match);
        if (lookups[i].name) {
            assert_non_null(c);
            assert_string_equal(c->name, lookups[i].name);
        }
    }
    assert_int_equal(comunas_lookup(NULL, NULL), COMUNAS_NONE);
    assert_int_equal(comunas_lookup("Nunoa", NULL), COMUNAS_FOLDED);
}

static void test_every_name_exact(void **state)
{
    (void)state;
    for (size_t i = 0; i < comunas_count; i++) {
        const struct comuna *c = NULL;

        assert_int_equal(comunas_lookup(comunas_table[i].name, &c),
                         COMUNAS_EXACT);
        assert_ptr_equal(c, &comunas_table[i]);
        assert_int_equal(comunas_lookup(comunas_table[i].key, &c),
                         strcmp(comunas_table[i].key, comunas_table[i].name)
                             ? COMUNAS_FOLDED
                             : COMUNAS_EXACT);
        assert_ptr_equal(c, &comunas_table[i]);
    }
}

static void test_edit_distance(void **state)
{
    (void)state;
    assert_int_equal(comunas_edit_distance("kitten", "sitting", 5), 3);
    assert_int_equal(comunas_edit_distance("kitten", "sitting", 2), 3);
    assert_int_equal(comunas_edit_distance("", "abc", 3), 3);
    assert_int_equal(comunas_edit_distance("nunoa", "nunoa", 2), 0);
    assert_int_equal(comunas_edit_distance("nunoaa", "nunoa", 2), 1);
    assert_int_equal(comunas_edit_distance("a", "abcdef", 2), 3);
}

static bool has(const struct comuna **v, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(v[i]->name, name) == 0)
            return true;
    return false;
}

static void test_complete(void **state)
{
    const struct comuna *v[400];
    size_t n;

    (void)state;
    n = comunas_complete("nun", v, NELEM(v));
    assert_int_equal(n, 1);
    assert_string_equal(v[0]->name, "Ñuñoa");
    n = comunas_complete("PEÑ", v, NELEM(v));
    assert_true(has(v, n, "Peñalolén") && has(v, n, "Penco") &&
                has(v, n, "Peñaflor"));
    for (size_t i = 0; i < n; i++)
        assert_memory_equal(v[i]->key, "pen", 3);
    n = comunas_complete("san", v, NELEM(v));
    assert_true(n > 20);
    for (size_t i = 1; i < n; i++)
        assert_true(strcmp(v[i - 1]->key, v[i]->key) < 0);
    /* A later word: Los Ángeles, after the names that start with it. */
    n = comunas_complete("angeles", v, NELEM(v));
    assert_int_equal(n, 1);
    assert_string_equal(v[0]->name, "Los Ángeles");
    n = comunas_complete("puerto", v, NELEM(v));
    assert_true(has(v, n, "Puerto Montt") && has(v, n, "Puerto Varas"));
    assert_int_equal(comunas_complete("", v, NELEM(v)), 346);
    assert_int_equal(comunas_complete("zzz", v, NELEM(v)), 0);
    /* Counted past max, only max written. */
    assert_true(comunas_complete("san", v, 2) > 2);
    assert_int_equal(comunas_complete("san", NULL, 0),
                     comunas_complete("san", v, NELEM(v)));
}

static void test_every_seat_in_chile(void **state)
{
    int misses = 0;

    (void)state;
    for (size_t i = 0; i < comunas_count; i++) {
        const struct comuna *c = &comunas_table[i];

        if (!comunas_in_chile(c->lat, c->lng)) {
            print_message("# seat of %s (%.4f, %.4f) outside\n", c->name,
                          c->lat, c->lng);
            misses++;
        }
    }
    assert_int_equal(misses, 0);
}

struct place {
    const char *name;
    double lat, lng;
};

/* Chilean places near the borders and on the islands. */
static const struct place inside[] = {
    { "Visviri", -17.595, -69.478 },     { "Putre", -18.195, -69.559 },
    { "Arica", -18.478, -70.321 },       { "Colchane", -19.276, -68.639 },
    { "Ollagüe", -21.224, -68.253 },     { "San Pedro de Atacama", -22.911, -68.200 },
    { "Portillo", -32.835, -70.130 },    { "Valle Nevado", -33.355, -70.250 },
    { "Futaleufú", -43.185, -71.866 },   { "Chile Chico", -46.541, -71.724 },
    { "Villa O'Higgins", -48.467, -72.560 }, { "Cerro Castillo", -51.262, -72.340 },
    { "Puerto Natales", -51.730, -72.506 }, { "Punta Arenas", -53.163, -70.917 },
    { "Porvenir", -53.296, -70.368 },    { "Puerto Williams", -54.934, -67.610 },
    { "Hanga Roa, Rapa Nui", -27.149, -109.432 },
    { "Anakena, Rapa Nui", -27.073, -109.323 },
    { "Robinson Crusoe", -33.638, -78.831 },
    { "Alejandro Selkirk", -33.760, -80.770 },
    { "San Félix", -26.285, -80.090 },
};

/* Places in Peru, Bolivia and Argentina, some a few km from the border. */
static const struct place outside[] = {
    { "Mendoza", -32.89, -68.83 },       { "Tacna", -18.013, -70.251 },
    { "Ilo", -17.640, -71.340 },         { "La Paz", -16.500, -68.150 },
    { "Uyuni", -20.460, -66.825 },       { "Laguna Colorada", -22.200, -67.780 },
    { "Salta", -24.783, -65.412 },       { "San Juan", -31.537, -68.536 },
    { "Uspallata", -32.593, -69.346 },   { "Malargüe", -35.475, -69.585 },
    { "Neuquén", -38.952, -68.059 },     { "Bariloche", -41.133, -71.310 },
    { "Esquel", -42.911, -71.319 },      { "Los Antiguos", -46.549, -71.630 },
    { "El Chaltén", -49.331, -72.886 },  { "El Calafate", -50.340, -72.265 },
    { "Río Gallegos", -51.623, -69.216 }, { "Ushuaia", -54.801, -68.303 },
    { "Buenos Aires", -34.603, -58.381 }, { "Lima", -12.046, -77.043 },
    { "Null Island", 0, 0 },             { "Antarctica", -62.2, -58.97 },
    { "Pacific off Rapa Nui", -27.5, -109.0 },
};

static void test_outline(void **state)
{
    (void)state;
    for (size_t i = 0; i < NELEM(inside); i++)
        if (!comunas_in_chile(inside[i].lat, inside[i].lng))
            fail_msg("%s should be in Chile", inside[i].name);
    for (size_t i = 0; i < NELEM(outside); i++)
        if (comunas_in_chile(outside[i].lat, outside[i].lng))
            fail_msg("%s should not be in Chile", outside[i].name);
    assert_false(comunas_in_chile(NAN, -70));
    assert_false(comunas_in_chile(-33, INFINITY));
}

/* The generator's nearest-seat distances agree with comunas_distance_km
 * (to the 0.1 km it prints); seats shared by two comunas do not count. */
static void test_neighbour_km(void **state)
{
    (void)state;
    for (size_t i = 0; i < comunas_count; i++) {
        const struct comuna *a = &comunas_table[i];
        double best = INFINITY;

        for (size_t j = 0; j < comunas_count; j++) {
            const struct comuna *b = &comunas_table[j];
            double d = comunas_distance_km(a->lat, a->lng, b->lat, b->lng);

            if (j != i && d > 0.05 && d < best)
                best = d;
        }
        assert_float_equal(a->neighbour_km, best, 0.051);
    }
}

static void test_distance(void **state)
{
    (void)state;
    /* One degree along a meridian is pi/180 of the mean radius. */
    assert_float_equal(comunas_distance_km(0, 0, 1, 0), 111.1951, 1e-3);
    assert_float_equal(comunas_distance_km(-33.45, -70.66, -33.45, -70.66),
                       0, 1e-9);
    double d = comunas_distance_km(-33.4489, -70.6693, -33.0472, -71.6127);
    assert_float_equal(d, comunas_distance_km(-33.0472, -71.6127, -33.4489,
                                              -70.6693), 1e-9);
    assert_true(d > 95 && d < 105); /* Santiago - Valparaíso */
    assert_float_equal(comunas_distance_km(0, 0, 0, 180), 20015.1, 0.1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table_complete),
        cmocka_unit_test(test_orders_sorted),
        cmocka_unit_test(test_keys_are_folded_names),
        cmocka_unit_test(test_generated_file_current),
        cmocka_unit_test(test_fold),
        cmocka_unit_test(test_lookup_table),
        cmocka_unit_test(test_every_name_exact),
        cmocka_unit_test(test_edit_distance),
        cmocka_unit_test(test_complete),
        cmocka_unit_test(test_every_seat_in_chile),
        cmocka_unit_test(test_outline),
        cmocka_unit_test(test_neighbour_km),
        cmocka_unit_test(test_distance),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
