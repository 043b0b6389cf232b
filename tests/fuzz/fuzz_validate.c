/* fuzz-sources: src/domain/validate.c src/domain/comunas.c src/domain/comunas_data.c src/core/xalloc.c */
/* libFuzzer harness for the validators: any bytes as a comuna name, a RUT,
 * a ROL, fojas, a date, a ROL pattern, and (split at newlines) as the text
 * fields of a row. Nothing may read out of bounds, and the answers must
 * agree with each other. */
#include "autoconfig.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"
#include "domain/comunas.h"
#include "domain/validate.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_comuna(const char *s)
{
    size_t len = comunas_fold(s, NULL, 0);
    char *key = xmalloc(len + 1), *again = xmalloc(len + 1);
    const struct comuna *c = NULL, *v[8];
    enum comunas_match m = comunas_lookup(s, &c);
    size_t n;

    if (comunas_fold(s, key, len + 1) != len || len > strlen(s) ||
        strlen(key) != len)
        abort();
    /* Folding is idempotent: a key folds to itself. */
    if (comunas_fold(key, again, len + 1) != len || strcmp(key, again) != 0)
        abort();
    if ((m != COMUNAS_NONE) != (c != NULL))
        abort();
    if (m == COMUNAS_FOLDED && strcmp(c->key, key) != 0)
        abort();
    n = comunas_complete(s, v, 8);
    for (size_t i = 0; i < n && i < 8; i++)
        if (!strstr(v[i]->key, key))
            abort();
    free(key);
    free(again);
}

static void check_rut(const char *s)
{
    struct rut_token t[4];
    long body;
    char dv;
    size_t n = validate_rut_find(s, t, 4), len = strlen(s);

    if (validate_rut_parse(s, &body, &dv) == RUT_OK) {
        long b2;
        char d2, formatted[32];

        validate_rut_format(body, dv, formatted, sizeof formatted);
        if (validate_rut_parse(formatted, &b2, &d2) != RUT_OK || b2 != body ||
            d2 != dv)
            abort();
    }
    /* Every token found in text parses alone to the same RUT. */
    for (size_t i = 0; i < n && i < 4; i++) {
        char *tok = xstrndup(s + t[i].offset, t[i].len);
        long b2;
        char d2;

        if (t[i].offset + t[i].len > len ||
            validate_rut_parse(tok, &b2, &d2) != t[i].status ||
            b2 != t[i].body || d2 != t[i].dv)
            abort();
        free(tok);
    }
}

/* Any bytes as a ROL pattern: refused with a message, or compiled (the
 * module refuses what would make the regex compiler explode). */
static void check_pattern(struct validate_ctx *ctx, const char *s)
{
    char *err = NULL;

    if (!validate_ctx_set_rol_pattern(ctx, s, &err) && !err)
        abort();
    free(err);
    validate_rol_matches(ctx, s);
    validate_ctx_set_rol_pattern(ctx, NULL, NULL);
}

static void check_single(const struct validate_ctx *ctx, const char *s)
{
    char out[VALIDATE_FIX_SIZE];
    struct validate_date d;

    if (validate_rol_normalize(ctx, s, out, sizeof out) &&
        (!validate_rol_matches(ctx, out) || validate_rol_matches(ctx, s)))
        abort();
    if (validate_fojas_ok(s) && (!*s || strspn(s, "0123456789") != strlen(s)))
        abort();
    if (validate_date_parse(s, &d) &&
        (d.month < 1 || d.month > 12 || d.day < 1 || d.day > 31))
        abort();
}

/* The input split at newlines fills the row's text fields; its first bytes
 * also give the numbers. */
static void check_row(const struct validate_ctx *ctx, char *s,
                      const uint8_t *data, size_t size)
{
    const char **fields[] = { NULL, NULL, NULL, NULL, NULL, NULL, NULL };
    struct referencial_row row = { 0 };
    struct finding f[VALIDATE_MAX_FINDINGS];
    int32_t nums[6] = { 0 };
    int n;

    memcpy(nums, data, size < sizeof nums ? size : sizeof nums);
    fields[0] = &row.rol;
    fields[1] = &row.fojas;
    fields[2] = &row.cbr;
    fields[3] = &row.comuna;
    fields[4] = &row.comprador;
    fields[5] = &row.vendedor;
    fields[6] = &row.fechaescritura;
    for (size_t i = 0; i < 7 && s; i++) {
        *fields[i] = s;
        s = strchr(s, '\n');
        if (s)
            *s++ = '\0';
    }
    row.numero = nums[0];
    row.anio = nums[1];
    row.lat = nums[2] / 1e6;
    row.lng = nums[3] / 1e6;
    row.geom_lat = row.lat;
    row.geom_lng = nums[4] / 1e6;
    row.geom_srid = nums[5] & 1 ? 4326 : nums[5];
    row.monto = nums[0] * 1000LL;
    row.monto_null = nums[1] & 1;
    row.superficie = nums[2] / 100.0;
    row.duplicates = nums[3] & 3;
    n = validate_referencial(&row, ctx, f, 4);
    if (n < 0 || n > VALIDATE_MAX_FINDINGS)
        abort();
    for (int i = 0; i < n && i < 4; i++) {
        free(validate_finding_message(&f[i]));
        free(validate_finding_fix(&f[i]));
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct validate_ctx ctx;
    static bool ready;
    static const char *const cbrs[] = { "Santiago", "Valparaíso" };
    static const struct validate_price_stats prices[] = {
        { "Ñuñoa", 1000000, 1300000, 1800000, 50, NULL },
    };
    char *s = xstrndup((const char *)data, size);

    if (!ready) {
        validate_ctx_init(&ctx, (struct validate_date){ 2025, 6, 15 });
        validate_ctx_set_cbrs(&ctx, cbrs, 2);
        validate_ctx_set_price_stats(&ctx, prices, 1);
        ready = true;
    }
    check_comuna(s);
    check_rut(s);
    check_single(&ctx, s);
    check_pattern(&ctx, s);
    check_row(&ctx, s, data, size);
    free(s);
    return 0;
}
