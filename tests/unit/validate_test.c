/* Validators: a table of good and bad values per rule, applied one at a
 * time to a row that is otherwise clean; RUT parsing; message formatting;
 * and the rate at which a million rows validate. */
#include "autoconfig.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "core/xalloc.h"
#include "domain/comunas.h"
#include "domain/validate.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static const struct validate_date today = { 2025, 6, 15 };

/* A clean row in Ñuñoa, 400 m from the comuna's seat. */
static struct referencial_row good_row(void)
{
    return (struct referencial_row){
        .id = "ref-1",
        .lat = -33.4540,
        .lng = -70.5988,
        .fojas = "1234",
        .numero = 567,
        .anio = 2023,
        .cbr = "Santiago",
        .comprador = "Juan Pérez González 12.345.678-5",
        .vendedor = "Inmobiliaria Los Álamos SpA",
        .predio = "Departamento 501",
        .comuna = "Ñuñoa",
        .rol = "12345-0001",
        .fechaescritura = "2023-05-10 00:00:00.000",
        .superficie = 120.5,
        .monto = 150000000, /* 1.24 million CLP per m² */
        .user_id = "user-1",
        .geom_lat = -33.4540,
        .geom_lng = -70.5988,
        .geom_srid = 4326,
        .duplicates = 1,
    };
}

static const char *const cbrs[] = { "Santiago", "Valparaíso", "Concepción",
                                    "Puerto Montt" };

static const struct validate_price_stats prices[] = {
    { "Ñuñoa", 1000000, 1300000, 1800000, 50, NULL },
    { "Las Condes", 2000000, 2600000, 3400000, 80, NULL },
    { "Pocas", 1000000, 1300000, 1800000, 5, NULL },
};

static int setup_ctx(void **state)
{
    struct validate_ctx *ctx = xmalloc(sizeof *ctx);

    validate_ctx_init(ctx, today);
    validate_ctx_set_cbrs(ctx, cbrs, NELEM(cbrs));
    validate_ctx_set_price_stats(ctx, prices, NELEM(prices));
    *state = ctx;
    return 0;
}

static int teardown_ctx(void **state)
{
    validate_ctx_free(*state);
    free(*state);
    return 0;
}

/* Sets one field from text: "lat,lng" takes two numbers, "geom" takes
 * "lat,lng,srid" or "null", "monto" takes a number or "null". */
static void set_pair(const char *v, double *a, double *b)
{
    char *end;

    *a = strtod(v, &end);
    *b = strtod(end + 1, NULL);
}

static void set_field(struct referencial_row *r, const char *field,
                      const char *v)
{
    if (!strcmp(field, "rol")) r->rol = v;
    else if (!strcmp(field, "fojas")) r->fojas = v;
    else if (!strcmp(field, "numero")) r->numero = atoi(v);
    else if (!strcmp(field, "anio")) r->anio = atoi(v);
    else if (!strcmp(field, "cbr")) r->cbr = v;
    else if (!strcmp(field, "comuna")) r->comuna = v;
    else if (!strcmp(field, "comprador")) r->comprador = v;
    else if (!strcmp(field, "vendedor")) r->vendedor = v;
    else if (!strcmp(field, "fechaescritura")) r->fechaescritura = v;
    else if (!strcmp(field, "superficie")) r->superficie = strtod(v, NULL);
    else if (!strcmp(field, "duplicates")) r->duplicates = atol(v);
    else if (!strcmp(field, "lat,lng")) set_pair(v, &r->lat, &r->lng);
    else if (!strcmp(field, "monto")) {
        r->monto_null = !strcmp(v, "null");
        r->monto = r->monto_null ? 0 : atoll(v);
    } else if (!strcmp(field, "geom")) {
        r->geom_null = !strcmp(v, "null");
        if (!r->geom_null) {
            set_pair(v, &r->geom_lat, &r->geom_lng);
            r->geom_srid = atoi(strrchr(v, ',') + 1);
        }
    } else {
        fail_msg("unknown field %s", field);
    }
}

/* One case: fields to set ("field=value", up to three), the rule, whether
 * it must fire, and the fix it must suggest (NULL: none checked, "": none). */
struct vcase {
    const char *set[3];
    const char *rule;
    bool bad;
    const char *fix;
};

#define GEOM_FIX "ST_SetSRID(ST_MakePoint(lng, lat), 4326)"

static const struct vcase cases[] = {
    /* ROL: the seed's pattern, 12345-0001. */
    { { "rol=12345-0001" }, "rol_format", false, NULL },
    { { "rol=00001-0000" }, "rol_format", false, NULL },
    { { "rol=admin" }, "rol_format", true, "" },
    { { "rol=" }, "rol_format", true, "" },
    { { "rol=12345 1" }, "rol_format", true, "12345-0001" },
    { { "rol= 12345-0001 " }, "rol_format", true, "12345-0001" },
    { { "rol=123-45" }, "rol_format", true, "00123-0045" },
    { { "rol=12345/12" }, "rol_format", true, "12345-0012" },
    { { "rol=123456-0001" }, "rol_format", true, "" },
    { { "rol=12345-0001-2" }, "rol_format", true, "" },
    /* fojas: digits only. */
    { { "fojas=12340" }, "fojas_digits", false, NULL },
    { { "fojas=7" }, "fojas_digits", false, NULL },
    { { "fojas=12a" }, "fojas_digits", true, "" },
    { { "fojas=" }, "fojas_digits", true, "" },
    { { "fojas=-5" }, "fojas_digits", true, "" },
    { { "fojas=12.340" }, "fojas_digits", true, "12340" },
    { { "fojas= 123 " }, "fojas_digits", true, "123" },
    { { "fojas=1234 vta" }, "fojas_digits", true, "" },
    /* número > 0. */
    { { "numero=1" }, "numero_positive", false, NULL },
    { { "numero=0" }, "numero_positive", true, "" },
    { { "numero=-3" }, "numero_positive", true, "" },
    /* año: 1900 ... this year. */
    { { "anio=1900" }, "anio_range", false, NULL },
    { { "anio=2025" }, "anio_range", false, NULL },
    { { "anio=1899" }, "anio_range", true, "" },
    { { "anio=2026" }, "anio_range", true, "" },
    { { "anio=0" }, "anio_range", true, "" },
    /* CBR: a known registry office; a different spelling of one is fixed. */
    { { "cbr=Valparaíso" }, "cbr_unknown", false, NULL },
    { { "cbr=ABC120" }, "cbr_unknown", true, "" },
    { { "cbr=" }, "cbr_unknown", true, "" },
    { { "cbr=santiago" }, "cbr_unknown", true, "Santiago" },
    { { "cbr=VALPARAISO" }, "cbr_unknown", true, "Valparaíso" },
    /* comuna: the official spelling, or the nearest one suggested. */
    { { "comuna=Ñuñoa" }, "comuna_spelling", false, NULL },
    { { "comuna=Nunoa" }, "comuna_spelling", true, "Ñuñoa" },
    { { "comuna=NUNOA" }, "comuna_spelling", true, "Ñuñoa" },
    { { "comuna=ñuñoa" }, "comuna_spelling", true, "Ñuñoa" },
    { { "comuna=Penalolen" }, "comuna_spelling", true, "Peñalolén" },
    { { "comuna=Ñuñoa" }, "comuna_unknown", false, NULL },
    { { "comuna=Nunoa" }, "comuna_unknown", false, NULL },
    { { "comuna=Springfield" }, "comuna_unknown", true, "" },
    { { "comuna=Nunoaa" }, "comuna_unknown", true, "Ñuñoa" },
    { { "comuna=" }, "comuna_unknown", true, "" },
    /* Coordinates inside Chile; slips that explain a point outside. */
    { { "lat,lng=-33.4540,-70.5988" }, "coords_outside_chile", false, NULL },
    { { "lat,lng=-27.149,-109.432", "comuna=Isla de Pascua",
        "geom=-27.149,-109.432,4326" },
      "coords_outside_chile", false, NULL },
    { { "lat,lng=-32.89,-68.83", "geom=-32.89,-68.83,4326" },
      "coords_outside_chile", true, "" },
    { { "lat,lng=0,0", "geom=0,0,4326" }, "coords_outside_chile", true, "" },
    { { "lat,lng=nan,-70.5", "geom=nan,-70.5,4326" },
      "coords_outside_chile", true, "" },
    { { "lat,lng=33.4540,70.5988", "geom=33.4540,70.5988,4326" },
      "coords_outside_chile", true, "-33.454000, -70.598800" },
    { { "lat,lng=-33.4540,70.5988", "geom=-33.4540,70.5988,4326" },
      "coords_outside_chile", true, "-33.454000, -70.598800" },
    { { "lat,lng=-33.4540,-70.5988" }, "coords_swapped", false, NULL },
    { { "lat,lng=-70.5988,-33.4540", "geom=-70.5988,-33.4540,4326" },
      "coords_swapped", true, "-33.454000, -70.598800" },
    /* Near the comuna: 30 km, or twice the distance to the next seat. */
    { { "lat,lng=-33.46,-70.62", "geom=-33.46,-70.62,4326" },
      "coords_far_from_comuna", false, NULL },
    { { "lat,lng=-51.5,-73.0", "comuna=Natales", "geom=-51.5,-73.0,4326" },
      "coords_far_from_comuna", false, NULL },
    { { "lat,lng=-33.0472,-71.6127", "geom=-33.0472,-71.6127,4326" },
      "coords_far_from_comuna", true, "" },
    { { "lat,lng=-33.15,-70.60", "geom=-33.15,-70.60,4326" },
      "coords_far_from_comuna", true, "" },
    /* geom = ST_SetSRID(ST_MakePoint(lng, lat), 4326). */
    { { "geom=-33.4540005,-70.5987995,4326" }, "geom_mismatch", false, NULL },
    { { "geom=-33.5,-70.5988,4326" }, "geom_mismatch", true, GEOM_FIX },
    { { "geom=-33.4540,-70.5988,0" }, "geom_mismatch", true, GEOM_FIX },
    { { "geom=-33.4540,-70.5988,32719" }, "geom_mismatch", true, GEOM_FIX },
    { { "geom=-70.5988,-33.4540,4326" }, "geom_mismatch", true, GEOM_FIX },
    { { "geom=-33.4540,-70.5988,4326" }, "geom_missing", false, NULL },
    { { "geom=null" }, "geom_missing", true, GEOM_FIX },
    /* fechaescritura: a real date, not in the future. */
    { { "fechaescritura=2023-05-10" }, "fecha_invalid", false, NULL },
    { { "fechaescritura=2024-02-29 13:45:07.5" }, "fecha_invalid", false, NULL },
    { { "fechaescritura=2023-05-10T10:20" }, "fecha_invalid", false, NULL },
    { { "fechaescritura=2023-02-29 00:00:00" }, "fecha_invalid", true, "" },
    { { "fechaescritura=2023-13-01" }, "fecha_invalid", true, "" },
    { { "fechaescritura=2023-05-10 25:00:00" }, "fecha_invalid", true, "" },
    { { "fechaescritura=yesterday" }, "fecha_invalid", true, "" },
    { { "fechaescritura=1850-01-01 00:00:00" }, "fecha_invalid", true, "" },
    { { "fechaescritura=" }, "fecha_invalid", true, "" },
    { { "fechaescritura=2025-06-15 23:59:59.999" }, "fecha_future", false, NULL },
    { { "fechaescritura=2025-06-16 00:00:00" }, "fecha_future", true, "" },
    { { "fechaescritura=2031-01-01" }, "fecha_future", true, "" },
    { { "fechaescritura=infinity" }, "fecha_future", true, "" },
    /* monto present and positive, superficie positive. */
    { { "monto=1" }, "monto_missing", false, NULL },
    { { "monto=null" }, "monto_missing", true, "" },
    { { "monto=150000000" }, "monto_nonpositive", false, NULL },
    { { "monto=0" }, "monto_nonpositive", true, "" },
    { { "monto=-5" }, "monto_nonpositive", true, "" },
    { { "superficie=0.5", "monto=700000" }, "superficie_nonpositive", false, NULL },
    { { "superficie=0" }, "superficie_nonpositive", true, "" },
    { { "superficie=-1" }, "superficie_nonpositive", true, "" },
    { { "superficie=nan" }, "superficie_nonpositive", true, "" },
    /* Price per m² against the comuna's quartiles (1.0 - 1.8 million). */
    { { "monto=300000000" }, "price_m2_outlier", false, NULL },
    { { "monto=60000000" }, "price_m2_outlier", false, NULL },
    { { "comuna=Providencia", "monto=1000000" }, "price_m2_outlier", false, NULL },
    { { "monto=1000000" }, "price_m2_outlier", true, "" },
    { { "monto=100000000000" }, "price_m2_outlier", true, "" },
    /* The same inscription twice. */
    { { "duplicates=1" }, "duplicate_inscription", false, NULL },
    { { "duplicates=0" }, "duplicate_inscription", false, NULL },
    { { "duplicates=2" }, "duplicate_inscription", true, "" },
    /* RUTs inside names. */
    { { "comprador=Juan Pérez 12.345.678-5" }, "rut_check_digit", false, NULL },
    { { "comprador=Soc. Agrícola 12.345.670-K" }, "rut_check_digit", false, NULL },
    { { "comprador=Ana 12345675-0 y Luis 6-K" }, "rut_check_digit", false, NULL },
    { { "vendedor=Fono 2 2345 6789, Lote 12-3, 2023-05-10" },
      "rut_check_digit", false, NULL },
    { { "vendedor=Ana Soto RUT 12.345.678-9" }, "rut_check_digit", true, "" },
    { { "comprador=12345678K" }, "rut_check_digit", true, "" },
    { { "vendedor=María (9.876.543-2)" }, "rut_check_digit", true, "" },
};

static int count_rule(const struct finding *f, int n, const char *rule,
                      const struct finding **found)
{
    int count = 0;

    for (int i = 0; i < n; i++) {
        if (strcmp(f[i].rule, rule) == 0) {
            *found = &f[i];
            count++;
        }
    }
    return count;
}

static bool rule_known(const char *rule)
{
    size_t n;
    const struct validate_rule *r = validate_rules(&n);

    for (size_t i = 0; i < n; i++)
        if (strcmp(r[i].id, rule) == 0)
            return true;
    return false;
}

static void run_case(const struct vcase *c, const struct validate_ctx *ctx)
{
    struct referencial_row row = good_row();
    struct finding f[VALIDATE_MAX_FINDINGS];
    const struct finding *hit = NULL;
    char field[32];
    int n, hits;

    for (int i = 0; i < 3 && c->set[i]; i++) {
        const char *eq = strchr(c->set[i], '=');

        snprintf(field, sizeof field, "%.*s", (int)(eq - c->set[i]), c->set[i]);
        set_field(&row, field, eq + 1);
    }
    n = validate_referencial(&row, ctx, f, VALIDATE_MAX_FINDINGS);
    assert_true(n <= VALIDATE_MAX_FINDINGS);
    for (int i = 0; i < n; i++)
        assert_true(rule_known(f[i].rule));
    hits = count_rule(f, n, c->rule, &hit);
    if (hits != (c->bad ? 1 : 0))
        fail_msg("%s with %s: %d findings, expected %s", c->rule, c->set[0],
                 hits, c->bad ? "one" : "none");
    if (c->bad && c->fix) {
        char *fix = validate_finding_fix(hit);

        if (strcmp(fix, c->fix) != 0)
            fail_msg("%s with %s: fix \"%s\", expected \"%s\"", c->rule,
                     c->set[0], fix, c->fix);
        free(fix);
    }
}

static void test_good_row_is_clean(void **state)
{
    struct referencial_row row = good_row();
    struct finding f[VALIDATE_MAX_FINDINGS];
    int n = validate_referencial(&row, *state, f, VALIDATE_MAX_FINDINGS);

    for (int i = 0; i < n; i++)
        print_message("# unexpected %s\n", f[i].rule);
    assert_int_equal(n, 0);
}

static void test_case_table(void **state)
{
    for (size_t i = 0; i < NELEM(cases); i++)
        run_case(&cases[i], *state);
}

/* Each rule has at least one good and one bad case in the table. */
static void test_table_covers_rules(void **state)
{
    size_t n;
    const struct validate_rule *r = validate_rules(&n);

    (void)state;
    assert_int_equal(n, 20);
    for (size_t i = 0; i < n; i++) {
        int good = 0, bad = 0;

        for (size_t j = 0; j < NELEM(cases); j++)
            if (strcmp(cases[j].rule, r[i].id) != 0)
                continue;
            else if (cases[j].bad)
                bad++;
            else
                good++;
        if (!good || !bad)
            fail_msg("rule %s: %d good, %d bad cases", r[i].id, good, bad);
        assert_non_null(r[i].title);
        assert_non_null(r[i].field);
    }
}

static void test_severities(void **state)
{
    struct referencial_row row = good_row();
    struct finding f[VALIDATE_MAX_FINDINGS];
    int n;

    row.comuna = "NUNOA";
    row.rol = "admin";
    row.monto_null = true;
    n = validate_referencial(&row, *state, f, VALIDATE_MAX_FINDINGS);
    assert_int_equal(n, 3);
    assert_string_equal(f[0].rule, "rol_format");
    assert_int_equal(f[0].severity, VALIDATE_ERROR);
    assert_string_equal(f[0].field, "rol");
    assert_string_equal(f[1].rule, "comuna_spelling");
    assert_int_equal(f[1].severity, VALIDATE_WARNING);
    assert_int_equal(f[1].fix, VALIDATE_FIX_VALUE);
    assert_string_equal(f[2].rule, "monto_missing");
    assert_string_equal(validate_severity_name(VALIDATE_INFO), "info");
    assert_string_equal(validate_severity_name(VALIDATE_WARNING), "warning");
    assert_string_equal(validate_severity_name(VALIDATE_ERROR), "error");
}

/* Counted like snprintf: all findings counted, only max written. */
static void test_overflow(void **state)
{
    struct referencial_row row = good_row();
    struct finding f[2];
    int all;

    row.rol = "admin";
    row.fojas = "x";
    row.numero = 0;
    row.anio = 0;
    row.comuna = "Springfield";
    row.geom_null = true;
    all = validate_referencial(&row, *state, NULL, 0);
    assert_int_equal(all, 6);
    assert_int_equal(validate_referencial(&row, *state, f, 2), 6);
    assert_string_equal(f[0].rule, "rol_format");
    assert_string_equal(f[1].rule, "fojas_digits");
}

static void test_skipped_without_context(void **state)
{
    struct validate_ctx bare;
    struct referencial_row row = good_row();
    struct finding f[VALIDATE_MAX_FINDINGS];

    (void)state;
    validate_ctx_init(&bare, today);
    row.cbr = "ABC120";
    row.monto = 1000000; /* an outlier, but no statistics to say so */
    assert_int_equal(validate_referencial(&row, &bare, f, VALIDATE_MAX_FINDINGS),
                     0);
    /* A comuna with too few rows is not judged. */
    row.comuna = "Pocas";
    validate_ctx_set_price_stats(&bare, prices, NELEM(prices));
    validate_ctx_set_cbrs(&bare, cbrs, NELEM(cbrs));
    validate_ctx_set_cbrs(&bare, cbrs, 2); /* replaces the list */
    int n = validate_referencial(&row, &bare, f, VALIDATE_MAX_FINDINGS);
    const struct finding *hit;
    assert_int_equal(count_rule(f, n, "price_m2_outlier", &hit), 0);
    assert_int_equal(count_rule(f, n, "cbr_unknown", &hit), 1);
    validate_ctx_free(&bare);
}

/* Land is judged against land: a parcela at 8,000 CLP/m² is normal for
 * parcelas even where departamentos cost 1.3 million, and a departamento
 * priced in UF (1/38,000 of its CLP price) is still far out. A kind with
 * too few rows in the comuna is judged against the whole country. */
static const struct validate_price_stats kind_prices[] = {
    { "Ñuñoa", 1000000, 1300000, 1800000, 50, "departamento" },
    { "Ñuñoa", 5000, 8000, 11000, 12, "parcela" },
    { "Ñuñoa", 300000, 350000, 400000, 3, "sitio" },
    { NULL, 90000, 120000, 160000, 400, "sitio" },
    { NULL, 4000, 7000, 12000, 900, "parcela" },
};

static int price_findings(const struct validate_ctx *ctx, const char *predio,
                          double superficie, long long monto, char **msg)
{
    struct referencial_row row = good_row();
    struct finding f[VALIDATE_MAX_FINDINGS];
    const struct finding *hit = NULL;
    int n, k;

    row.predio = predio;
    row.superficie = superficie;
    row.monto = monto;
    n = validate_referencial(&row, ctx, f, VALIDATE_MAX_FINDINGS);
    k = count_rule(f, n, "price_m2_outlier", &hit);
    *msg = hit ? validate_finding_message(hit) : NULL;
    return k;
}

static void test_price_by_kind(void **state)
{
    struct validate_ctx ctx;
    char kind[16], *msg;

    (void)state;
    validate_property_kind("Parcela 132, proyecto", kind, sizeof kind);
    assert_string_equal(kind, "parcela");
    validate_property_kind("  Casa, Chacabuco 1306", kind, sizeof kind);
    assert_string_equal(kind, "casa");
    validate_property_kind("12 Ñandú", kind, sizeof kind);
    assert_string_equal(kind, "and");
    validate_property_kind(NULL, kind, sizeof kind);
    assert_string_equal(kind, "");
    validate_property_kind("Departamento", kind, 5);
    assert_string_equal(kind, "depa");
    validate_ctx_init(&ctx, today);
    validate_ctx_set_price_stats(&ctx, kind_prices, NELEM(kind_prices));
    /* A clean 5,600 m² parcela: 45 million, 8,036 CLP/m². */
    assert_int_equal(price_findings(&ctx, "Parcela 3, proyecto de "
                                    "parcelación", 5600, 45000000, &msg), 0);
    /* The same parcela priced in UF. */
    assert_int_equal(price_findings(&ctx, "Parcela 3", 5600, 1184, &msg), 1);
    assert_string_equal(msg, "price per m² 0 is far outside the usual range "
                             "for “parcela” in Ñuñoa (middle half 5000 to "
                             "11000)");
    free(msg);
    /* A departamento in UF; one in CLP is fine. */
    assert_int_equal(price_findings(&ctx, "Departamento 501", 62, 2200, &msg),
                     1);
    free(msg);
    assert_int_equal(price_findings(&ctx, "Departamento 501", 62, 80600000,
                                    &msg), 0);
    /* Three sitios in Ñuñoa are too few: the country's sitios judge. */
    assert_int_equal(price_findings(&ctx, "Sitio 4", 420, 50400000, &msg), 0);
    assert_int_equal(price_findings(&ctx, "Sitio 4", 420, 1300, &msg), 1);
    assert_non_null(strstr(msg, "“sitio” in all of Chile"));
    free(msg);
    /* A kind with no statistics at all is not judged. */
    assert_int_equal(price_findings(&ctx, "Bodega 7", 14, 100, &msg), 0);
    validate_ctx_free(&ctx);
}

/* The comuna filter: any spelling of the same comuna, through the official
 * names; a name that is no comuna matches its own folded spelling. */
static void test_comuna_selects(void **state)
{
    (void)state;
    assert_true(validate_comuna_selects("nunoa", "Ñuñoa"));
    assert_true(validate_comuna_selects("nunoa", "NUNOA"));
    assert_true(validate_comuna_selects("Ñuñoa", "Nunoa"));
    assert_true(validate_comuna_selects("ÑUÑOA", "ñuñoa"));
    assert_true(validate_comuna_selects(" san  joaquin ", "San Joaquín"));
    assert_false(validate_comuna_selects("Ñuñoa", "Providencia"));
    assert_false(validate_comuna_selects("Ñuñoa", ""));
    assert_false(validate_comuna_selects("Ñuñoa", NULL));
    assert_true(validate_comuna_selects("Villa Nowhere", "VILLA NOWHERE"));
    assert_false(validate_comuna_selects("Villa Nowhere", "Ñuñoa"));
}

static void test_rol_pattern(void **state)
{
    struct validate_ctx ctx;
    char out[64], *err = NULL;

    (void)state;
    validate_ctx_init(&ctx, today);
    assert_string_equal(validate_ctx_rol_pattern(&ctx), VALIDATE_ROL_DEFAULT);
    /* PostgreSQL's \d is accepted, as the seed writes it. */
    assert_true(validate_ctx_set_rol_pattern(&ctx, "^\\d{5}-\\d{4}$", NULL));
    assert_true(validate_rol_matches(&ctx, "12345-0001"));
    assert_false(validate_rol_matches(&ctx, "1234-0001"));
    /* The shorter manzana-predio form. */
    assert_true(validate_ctx_set_rol_pattern(&ctx, "^\\d{1,5}-\\d{1,4}$", NULL));
    assert_true(validate_rol_matches(&ctx, "123-45"));
    assert_true(validate_rol_normalize(&ctx, "123 45", out, sizeof out));
    assert_string_equal(out, "123-45");
    assert_false(validate_rol_normalize(&ctx, "123-45", out, sizeof out));
    /* Escapes inside brackets and POSIX classes are left alone. */
    assert_true(validate_ctx_set_rol_pattern(&ctx, "^[[:digit:]\\s]+-\\w$", NULL));
    assert_true(validate_rol_matches(&ctx, "12s3\\-_"));
    assert_false(validate_rol_matches(&ctx, "12 3-a"));
    assert_true(validate_ctx_set_rol_pattern(&ctx, "^[\\d]$", NULL));
    assert_true(validate_rol_matches(&ctx, "d"));
    assert_false(validate_rol_matches(&ctx, "5"));
    /* A bad pattern keeps the previous one and says why. */
    assert_false(validate_ctx_set_rol_pattern(&ctx, "^(12", &err));
    assert_non_null(err);
    assert_non_null(strstr(err, "^(12"));
    free(err);
    assert_true(validate_rol_matches(&ctx, "d"));
    /* Patterns whose compiled form would explode are refused. */
    assert_false(validate_ctx_set_rol_pattern(&ctx, "^1+++++++++++++++++++$", &err));
    assert_non_null(strstr(err, "repeats a repetition"));
    free(err);
    assert_false(validate_ctx_set_rol_pattern(&ctx, "^((((((((((((((1+)+)+)+)+)+)+)+)+)+)+)+)+)+)+$", &err));
    assert_non_null(strstr(err, "too large"));
    free(err);
    assert_false(validate_ctx_set_rol_pattern(&ctx, "^((\\d{100}){100}){100}$", &err));
    free(err);
    assert_false(validate_ctx_set_rol_pattern(&ctx, "^(1)\\1$", &err));
    assert_non_null(strstr(err, "back-references"));
    free(err);
    assert_true(validate_ctx_set_rol_pattern(&ctx, "^[0-9]{1,5}(-[0-9kK]{1,4})?$", NULL));
    assert_true(validate_rol_matches(&ctx, "123-4k"));
    assert_true(validate_ctx_set_rol_pattern(&ctx, "", NULL));
    assert_string_equal(validate_ctx_rol_pattern(&ctx), VALIDATE_ROL_DEFAULT);
    validate_ctx_free(&ctx);
}

struct rut_case {
    const char *text;
    enum rut_status status;
    long body;
    char dv;
};

static const struct rut_case ruts[] = {
    { "12.345.678-5", RUT_OK, 12345678, '5' },
    { "12345678-5", RUT_OK, 12345678, '5' },
    { "123456785", RUT_OK, 12345678, '5' },
    { " 12.345.670-K ", RUT_OK, 12345670, 'K' },
    { "12345670k", RUT_OK, 12345670, 'K' },
    { "12345670-k", RUT_OK, 12345670, 'K' },
    { "6-K", RUT_OK, 6, 'K' },
    { "12.345.675-0", RUT_OK, 12345675, '0' },
    { "76.086.428-5", RUT_OK, 76086428, '5' },
    { "1.234.567-4", RUT_OK, 1234567, '4' },
    { "12.345.678-9", RUT_BAD_DIGIT, 12345678, '9' },
    { "12345678-K", RUT_BAD_DIGIT, 12345678, 'K' },
    { "12345670-0", RUT_BAD_DIGIT, 12345670, '0' },
    { "", RUT_MALFORMED, 0, 0 },
    { "abc", RUT_MALFORMED, 0, 0 },
    { "12.34.567-8", RUT_MALFORMED, 0, 0 },
    { "12.345.6785", RUT_MALFORMED, 0, 0 },
    { "12345678-", RUT_MALFORMED, 0, 0 },
    { "-5", RUT_MALFORMED, 0, 0 },
    { "5", RUT_MALFORMED, 0, 0 },
    { "0-0", RUT_MALFORMED, 0, 0 },
    { "123.456.789-1", RUT_MALFORMED, 0, 0 },
    { "12345678-55", RUT_MALFORMED, 0, 0 },
    { "12345678-5 x", RUT_MALFORMED, 0, 0 },
};

static void test_rut_parse(void **state)
{
    (void)state;
    for (size_t i = 0; i < NELEM(ruts); i++) {
        long body = -1;
        char dv = 0;
        enum rut_status st = validate_rut_parse(ruts[i].text, &body, &dv);

        if (st != ruts[i].status)
            fail_msg("\"%s\": status %d, expected %d", ruts[i].text, st,
                     ruts[i].status);
        if (st != RUT_MALFORMED) {
            assert_int_equal(body, ruts[i].body);
            assert_int_equal(dv, ruts[i].dv);
        }
    }
    assert_int_equal(validate_rut_parse(NULL, &(long){ 0 }, &(char){ 0 }),
                     RUT_MALFORMED);
}

static void test_rut_digit_and_format(void **state)
{
    char buf[32];

    (void)state;
    assert_int_equal(validate_rut_check_digit(12345678), '5');
    assert_int_equal(validate_rut_check_digit(12345670), 'K');
    assert_int_equal(validate_rut_check_digit(12345675), '0');
    assert_int_equal(validate_rut_check_digit(11111111), '1');
    validate_rut_format(12345678, '5', buf, sizeof buf);
    assert_string_equal(buf, "12.345.678-5");
    validate_rut_format(1234567, '4', buf, sizeof buf);
    assert_string_equal(buf, "1.234.567-4");
    validate_rut_format(6, 'K', buf, sizeof buf);
    assert_string_equal(buf, "6-K");
    validate_rut_format(123456, '0', buf, sizeof buf);
    assert_string_equal(buf, "123.456-0");
}

static void test_rut_find(void **state)
{
    const char *s = "Compra de Juan Pérez, RUT 12.345.678-5, y María "
                    "(9.876.543-2); teléfono 22345678, folio 123-4, "
                    "12345670K.";
    struct rut_token t[4];
    size_t n;

    (void)state;
    n = validate_rut_find(s, t, NELEM(t));
    assert_int_equal(n, 3);
    assert_memory_equal(s + t[0].offset, "12.345.678-5", t[0].len);
    assert_int_equal(t[0].len, 12);
    assert_int_equal(t[0].status, RUT_OK);
    assert_int_equal(t[1].body, 9876543);
    assert_int_equal(t[1].dv, '2');
    assert_int_equal(t[1].status, RUT_BAD_DIGIT);
    assert_int_equal(t[2].body, 12345670);
    assert_int_equal(t[2].status, RUT_OK);
    assert_int_equal(validate_rut_find(s, NULL, 0), 3);
    /* Parts of longer numbers and codes are not RUTs. */
    assert_int_equal(validate_rut_find("ABC12345678-5", t, 4), 0);
    assert_int_equal(validate_rut_find("1.12.345.678-5", t, 4), 0);
    assert_int_equal(validate_rut_find("12345678-5-1", t, 4), 0);
    assert_int_equal(validate_rut_find("2024-01-15", t, 4), 0);
    assert_int_equal(validate_rut_find(NULL, t, 4), 0);
}

static void test_dates(void **state)
{
    struct validate_date d;

    (void)state;
    assert_true(validate_date_parse("2023-05-10 14:30:00.123", &d));
    assert_int_equal(d.year, 2023);
    assert_int_equal(d.month, 5);
    assert_int_equal(d.day, 10);
    assert_true(validate_date_parse("2000-02-29", &d));
    assert_false(validate_date_parse("1900-02-29", &d));
    assert_false(validate_date_parse("2023-04-31", &d));
    assert_false(validate_date_parse("2023-5-10", &d));
    assert_false(validate_date_parse("2023-05-10 10", &d));
    assert_false(validate_date_parse("2023-05-10 10:00:00.", &d));
    assert_false(validate_date_parse("2023-05-10 10:00:00 BC", &d));
    assert_false(validate_date_parse("-infinity", &d));
    assert_false(validate_date_parse(NULL, &d));
    assert_true(validate_date_parse("infinity", &d));
    assert_int_equal(d.year, 9999);
}

static void test_messages(void **state)
{
    struct referencial_row row = good_row();
    struct finding f[VALIDATE_MAX_FINDINGS];
    struct finding manual = { .msgid = "%2$s then %1$s, 100%%, %d %s %9$s",
                              .nargs = 2,
                              .args = { "a", "b" } };
    char *msg;

    row.comuna = "Nunoa";
    row.lat = -70.5988;
    row.lng = -33.4540;
    assert_int_equal(validate_referencial(&row, *state, f, VALIDATE_MAX_FINDINGS), 3);
    msg = validate_finding_message(&f[0]);
    assert_string_equal(msg, "comuna “Nunoa” is officially written “Ñuñoa”");
    free(msg);
    msg = validate_finding_message(&f[1]);
    assert_string_equal(msg, "latitude and longitude look swapped: "
                             "(-70.598800, -33.454000) is outside Chile, "
                             "(-33.454000, -70.598800) is inside");
    free(msg);
    msg = validate_finding_fix(&f[1]);
    assert_string_equal(msg, "-33.454000, -70.598800");
    free(msg);
    assert_string_equal(f[2].rule, "geom_mismatch");
    msg = validate_finding_message(&f[2]);
    assert_string_equal(msg, "geom has x and y swapped: it is "
                             "(-33.454000, -70.598800), lat/lng say "
                             "(-70.598800, -33.454000)");
    free(msg);
    /* Positional arguments, %%, and conversions it does not know. */
    msg = validate_finding_message(&manual);
    assert_string_equal(msg, "b then a, 100%, %d a ");
    free(msg);
    msg = validate_finding_fix(&manual);
    assert_string_equal(msg, "");
    free(msg);
}

/* Long values are cut at a character boundary, never mid-UTF-8. */
static void test_long_values(void **state)
{
    struct referencial_row row = good_row();
    struct finding f[VALIDATE_MAX_FINDINGS];
    char name[400] = "";
    size_t len;

    for (int i = 0; i < 150; i++)
        strcat(name, "ñ");
    row.comuna = name;
    assert_int_equal(validate_referencial(&row, *state, f, VALIDATE_MAX_FINDINGS), 1);
    assert_string_equal(f[0].rule, "comuna_unknown");
    len = strlen(f[0].args[0]);
    assert_true(len < VALIDATE_ARG_SIZE);
    assert_string_equal(f[0].args[0] + len - 3, "…");
    assert_memory_equal(f[0].args[0], "ñññ", 6);
    assert_true((len - 3) % 2 == 0);
}

/* A thousand distinct rows (one in ten with a problem) validated a
 * thousand times: the rate is reported, the count of findings must equal
 * a thousand times that of one pass. */
static void make_rows(struct referencial_row *rows, char (*text)[3][32],
                      size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const struct comuna *c = &comunas_table[(i * 7) % comunas_count];
        struct referencial_row *r = &rows[i];

        *r = good_row();
        snprintf(text[i][0], 32, "%05zu-%04zu", i * 13 % 100000, i % 10000);
        snprintf(text[i][1], 32, "%zu", 100 + i);
        snprintf(text[i][2], 32, "Comprador %zu 12.345.678-%c", i,
                 i % 10 == 3 ? '1' : '5');
        r->rol = i % 10 == 1 ? "admin" : text[i][0];
        r->fojas = text[i][1];
        r->comprador = text[i][2];
        r->comuna = i % 10 == 2 ? "Nunoa" : c->name;
        r->lat = r->geom_lat = c->lat + 0.01;
        r->lng = r->geom_lng = c->lng - 0.01;
        if (i % 10 == 4) {
            r->lat = c->lng;
            r->lng = c->lat;
        }
        r->monto_null = i % 10 == 5;
        r->duplicates = i % 10 == 6 ? 2 : 1;
    }
}

static void test_million_rows(void **state)
{
    enum { DISTINCT = 1000, ROUNDS = 1000 };
    struct referencial_row *rows = xcalloc(DISTINCT, sizeof *rows);
    char(*text)[3][32] = xcalloc(DISTINCT, sizeof *text);
    struct finding f[VALIDATE_MAX_FINDINGS];
    long once = 0, total = 0;
    struct timespec t0, t1;
    double secs;

    make_rows(rows, text, DISTINCT);
    for (int i = 0; i < DISTINCT; i++)
        once += validate_referencial(&rows[i], *state, f, VALIDATE_MAX_FINDINGS);
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t0);
    for (int r = 0; r < ROUNDS; r++)
        for (int i = 0; i < DISTINCT; i++)
            total += validate_referencial(&rows[i], *state, f,
                                          VALIDATE_MAX_FINDINGS);
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t1);
    secs = (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
    print_message("# validated %d rows in %.2f s of CPU (%.0f rows/s), "
                  "%ld findings\n", DISTINCT * ROUNDS, secs,
                  DISTINCT * ROUNDS / secs, total);
    /* Rows 1-6 of every ten carry one problem each, plus the geom of the
     * swapped row (4) and the comuna's seat far from swapped points. */
    assert_true(once >= DISTINCT / 10 * 6);
    assert_int_equal(total, once * ROUNDS);
    free(rows);
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_good_row_is_clean),
        cmocka_unit_test(test_case_table),
        cmocka_unit_test(test_table_covers_rules),
        cmocka_unit_test(test_severities),
        cmocka_unit_test(test_overflow),
        cmocka_unit_test(test_skipped_without_context),
        cmocka_unit_test(test_price_by_kind),
        cmocka_unit_test(test_comuna_selects),
        cmocka_unit_test(test_rol_pattern),
        cmocka_unit_test(test_rut_parse),
        cmocka_unit_test(test_rut_digit_and_format),
        cmocka_unit_test(test_rut_find),
        cmocka_unit_test(test_dates),
        cmocka_unit_test(test_messages),
        cmocka_unit_test(test_long_values),
        cmocka_unit_test(test_million_rows),
    };

    return cmocka_run_group_tests(tests, setup_ctx, teardown_ctx);
}
