/* Validation of referenciales rows: one check per rule of DOMAIN.md's
 * "Chilean identifiers", the context they are judged in, RUT parsing, and
 * the formatting of findings in the current language. */
#include "autoconfig.h"

#include "domain/validate.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"
#include "domain/comunas.h"
#include "i18n.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))
#define IS_ASCII_ALPHA(c) (((c) >= 'a' && (c) <= 'z') || ((c) >= 'A' && (c) <= 'Z'))

/* The expression that rebuilds geom from the row's own columns. */
#define GEOM_FIX_SQL "ST_SetSRID(ST_MakePoint(lng, lat), 4326)"

static const struct validate_rule rules[] = {
    { "rol_format", "rol", VALIDATE_ERROR, N_("ROL format") },
    { "fojas_digits", "fojas", VALIDATE_ERROR, N_("Fojas are digits only") },
    { "numero_positive", "numero", VALIDATE_ERROR,
      N_("Número greater than zero") },
    { "anio_range", "anio", VALIDATE_ERROR, N_("Año between 1900 and now") },
    { "cbr_unknown", "cbr", VALIDATE_ERROR, N_("Known registry office") },
    { "comuna_spelling", "comuna", VALIDATE_WARNING,
      N_("Official comuna spelling") },
    { "comuna_unknown", "comuna", VALIDATE_ERROR, N_("Known comuna") },
    { "coords_outside_chile", "lat,lng", VALIDATE_ERROR,
      N_("Coordinates inside Chile") },
    { "coords_swapped", "lat,lng", VALIDATE_ERROR,
      N_("Latitude and longitude not swapped") },
    { "coords_far_from_comuna", "lat,lng", VALIDATE_WARNING,
      N_("Coordinates near the comuna") },
    { "geom_mismatch", "geom", VALIDATE_ERROR, N_("geom matches lat/lng") },
    { "geom_missing", "geom", VALIDATE_WARNING, N_("geom present") },
    { "fecha_invalid", "fechaescritura", VALIDATE_ERROR,
      N_("Valid date of the deed") },
    { "fecha_future", "fechaescritura", VALIDATE_ERROR,
      N_("Date of the deed not in the future") },
    { "monto_missing", "monto", VALIDATE_INFO, N_("Monto present") },
    { "monto_nonpositive", "monto", VALIDATE_ERROR,
      N_("Monto greater than zero") },
    { "superficie_nonpositive", "superficie", VALIDATE_ERROR,
      N_("Superficie greater than zero") },
    { "price_m2_outlier", "monto,superficie", VALIDATE_WARNING,
      N_("Price per m² usual for its kind of property in the comuna") },
    { "duplicate_inscription", "cbr,fojas,numero,anio", VALIDATE_WARNING,
      N_("Inscription not repeated") },
    { "rut_check_digit", "comprador,vendedor", VALIDATE_ERROR,
      N_("RUT check digit") },
};

const struct validate_rule *validate_rules(size_t *n)
{
    *n = NELEM(rules);
    return rules;
}

const char *validate_severity_name(enum validate_severity s)
{
    switch (s) {
    case VALIDATE_INFO:
        return N_("info");
    case VALIDATE_WARNING:
        return N_("warning");
    case VALIDATE_ERROR:
        return N_("error");
    }
    return N_("error");
}

static const char *text(const char *s)
{
    return s ? s : "";
}

static bool is_digit(int c)
{
    return c >= '0' && c <= '9';
}

static size_t digit_run(const char *s)
{
    size_t n = 0;

    while (is_digit((unsigned char)s[n]))
        n++;
    return n;
}

static const char *skip_blanks(const char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    return s;
}

/* Copies s into a buffer of size bytes, cutting at a UTF-8 character
 * boundary and marking the cut with an ellipsis. */
static void copy_text(char *dst, size_t size, const char *s)
{
    size_t len = strlen(s), n;

    if (size == 0)
        return;
    if (len < size) {
        memcpy(dst, s, len + 1);
        return;
    }
    n = size > 4 ? size - 4 : 0;
    while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
        n--;
    memcpy(dst, s, n);
    memcpy(dst + n, size > 4 ? "…" : "", size > 4 ? 4 : 1);
}

/* Findings are written into the caller's array while it has room and
 * counted past it, so the caller learns how many there are. */
struct sink {
    struct finding *out;
    int max, n;
    struct finding spare;
};

static struct finding *sink_add(struct sink *s, const char *rule,
                                const char *field,
                                enum validate_severity severity,
                                const char *msgid)
{
    struct finding *f = s->n < s->max ? &s->out[s->n] : &s->spare;

    s->n++;
    f->rule = rule;
    f->field = field;
    f->severity = severity;
    f->msgid = msgid;
    f->nargs = 0;
    f->fix = VALIDATE_FIX_NONE;
    f->fix_text[0] = '\0';
    f->fix_lat = f->fix_lng = 0;
    return f;
}

static void arg_text(struct finding *f, const char *s)
{
    if (f->nargs < VALIDATE_ARGS)
        copy_text(f->args[f->nargs++], VALIDATE_ARG_SIZE, s);
}

__attribute__((format(printf, 2, 3))) static void
arg_printf(struct finding *f, const char *fmt, ...)
{
    va_list ap;
    char *s;

    va_start(ap, fmt);
    s = xvasprintf(fmt, ap);
    va_end(ap);
    arg_text(f, s);
    free(s);
}

/* A value that does not fit is no fix at all: cut, it would be wrong. */
static void fix_value(struct finding *f, const char *value)
{
    if (strlen(value) >= VALIDATE_FIX_SIZE)
        return;
    f->fix = VALIDATE_FIX_VALUE;
    copy_text(f->fix_text, VALIDATE_FIX_SIZE, value);
}

static void fix_sql(struct finding *f, const char *expr)
{
    f->fix = VALIDATE_FIX_SQL;
    copy_text(f->fix_text, VALIDATE_FIX_SIZE, expr);
}

/* Context. */

void validate_ctx_init(struct validate_ctx *ctx, struct validate_date today)
{
    memset(ctx, 0, sizeof *ctx);
    ctx->today = today;
    ctx->far_km = 30;
    ctx->far_factor = 2;
    ctx->far_max_km = 150;
    ctx->geom_tolerance = 1e-6;
    ctx->price_fence = 3;
    ctx->price_min_n = 10;
    /* The default pattern is a constant that compiles. */
    if (regcomp(&ctx->rol_re, VALIDATE_ROL_DEFAULT, REG_EXTENDED | REG_NOSUB))
        die("%s", "the default ROL pattern does not compile");
    ctx->rol_pattern = xstrdup(VALIDATE_ROL_DEFAULT);
}

/* The POSIX spelling of a PostgreSQL class escape, or NULL. */
static const char *class_escape(char c)
{
    switch (c) {
    case 'd': return "[0-9]";
    case 'D': return "[^0-9]";
    case 's': return "[[:space:]]";
    case 'S': return "[^[:space:]]";
    case 'w': return "[[:alnum:]_]";
    case 'W': return "[^[:alnum:]_]";
    }
    return NULL;
}

/* The byte after the bracket expression starting at p ('['), or the end
 * of the string. Escapes mean nothing inside; [:alpha:], [.x.] and [=e=]
 * may hold a ']'. */
static const char *bracket_end(const char *p)
{
    p++;
    if (*p == '^')
        p++;
    if (*p == ']')
        p++;
    while (*p && *p != ']') {
        if (p[0] == '[' && p[1] && strchr(":.=", p[1])) {
            char kind = p[1];

            for (p += 2; *p && !(p[0] == kind && p[1] == ']');)
                p++;
            p += *p ? 2 : 0;
            continue;
        }
        p++;
    }
    return *p ? p + 1 : p;
}

/* Rewrites \d, \s, \w and their negations as POSIX classes. */
static char *rol_pattern_translate(const char *p)
{
    char *out = xmalloc(strlen(p) * 7 + 1), *o = out;

    while (*p) {
        const char *cls = p[0] == '\\' ? class_escape(p[1]) : NULL;

        if (cls) {
            o = stpcpy(o, cls);
            p += 2;
        } else if (p[0] == '\\' && p[1]) {
            *o++ = *p++;
            *o++ = *p++;
        } else if (*p == '[') {
            const char *end = bracket_end(p);

            memcpy(o, p, (size_t)(end - p));
            o += end - p;
            p = end;
        } else {
            *o++ = *p++;
        }
    }
    *o = '\0';
    return out;
}

/* How many copies of what it repeats a repetition at p makes: glibc
 * compiles "x+" as "xx*" and "x{2,5}" as five x's. */
static double repeat_factor(const char *p)
{
    double m = 0, n = 0;

    if (*p == '+')
        return 2;
    if (*p != '{')
        return 1;
    for (p++; is_digit((unsigned char)*p); p++)
        m = m * 10 + (*p - '0');
    if (*p == ',')
        for (p++; is_digit((unsigned char)*p); p++)
            n = n * 10 + (*p - '0');
    return fmax(1, fmax(m, n));
}

/* Repetitions multiply the compiled size, so stacked or large ones can
 * exhaust memory; a ROL needs none of that, nor back-references. Returns
 * why the (translated) pattern is refused, or NULL. */
static const char *rol_pattern_problem(const char *p)
{
    double size = 1;
    bool after_repeat = false;

    if (strlen(p) > 256)
        return N_("it is longer than 256 characters");
    while (*p) {
        bool repeat = strchr("*+?{", *p) != NULL;

        if (repeat && after_repeat)
            return N_("it repeats a repetition");
        if (p[0] == '\\' && is_digit((unsigned char)p[1]))
            return N_("back-references are not supported");
        size *= repeat ? repeat_factor(p) : 1;
        if (size > 10000)
            return N_("its repetitions are too large");
        after_repeat = repeat;
        if (*p == '[')
            p = bracket_end(p);
        else if (*p == '{' && strchr(p, '}'))
            p = strchr(p, '}') + 1;
        else
            p += p[0] == '\\' && p[1] ? 2 : 1;
    }
    return NULL;
}

static bool rol_pattern_compile(const char *pattern, regex_t *re,
                                char **error)
{
    char *posix = rol_pattern_translate(pattern), msg[256];
    const char *problem = rol_pattern_problem(posix);
    int rc = problem ? 0 : regcomp(re, posix, REG_EXTENDED | REG_NOSUB);

    free(posix);
    if (!problem && !rc)
        return true;
    if (rc)
        regerror(rc, re, msg, sizeof msg);
    if (error)
        *error = xasprintf(_("invalid ROL pattern “%s”: %s"), pattern,
                           problem ? _(problem) : msg);
    return false;
}

bool validate_ctx_set_rol_pattern(struct validate_ctx *ctx,
                                  const char *pattern, char **error)
{
    const char *pat = pattern && *pattern ? pattern : VALIDATE_ROL_DEFAULT;
    regex_t re;

    if (!rol_pattern_compile(pat, &re, error))
        return false;
    regfree(&ctx->rol_re);
    ctx->rol_re = re;
    free(ctx->rol_pattern);
    ctx->rol_pattern = xstrdup(pat);
    return true;
}

const char *validate_ctx_rol_pattern(const struct validate_ctx *ctx)
{
    return ctx->rol_pattern;
}

struct validate_cbr {
    char *name, *key;
};

static int cbr_cmp_name(const void *a, const void *b)
{
    return strcmp(((const struct validate_cbr *)a)->name,
                  ((const struct validate_cbr *)b)->name);
}

static int cbr_cmp_key(const void *a, const void *b)
{
    return strcmp(((const struct validate_cbr *)a)->key,
                  ((const struct validate_cbr *)b)->key);
}

static void cbrs_free(struct validate_ctx *ctx)
{
    for (size_t i = 0; i < ctx->ncbrs; i++) {
        free(ctx->cbrs[i].name);
        free(ctx->cbrs[i].key);
    }
    free(ctx->cbrs);
    free(ctx->cbr_keys);
    ctx->cbrs = ctx->cbr_keys = NULL;
    ctx->ncbrs = 0;
}

static char *fold_dup(const char *s)
{
    size_t n = comunas_fold(s, NULL, 0);
    char *key = xmalloc(n + 1);

    comunas_fold(s, key, n + 1);
    return key;
}

/* cbrs owns the strings, sorted by name; cbr_keys shares them, by key. */
void validate_ctx_set_cbrs(struct validate_ctx *ctx, const char *const *names,
                           size_t n)
{
    cbrs_free(ctx);
    if (!n)
        return;
    ctx->cbrs = xcalloc(n, sizeof *ctx->cbrs);
    ctx->cbr_keys = xcalloc(n, sizeof *ctx->cbr_keys);
    for (size_t i = 0; i < n; i++) {
        ctx->cbrs[i].name = xstrdup(text(names[i]));
        ctx->cbrs[i].key = fold_dup(ctx->cbrs[i].name);
    }
    ctx->ncbrs = n;
    memcpy(ctx->cbr_keys, ctx->cbrs, n * sizeof *ctx->cbrs);
    qsort(ctx->cbrs, n, sizeof *ctx->cbrs, cbr_cmp_name);
    qsort(ctx->cbr_keys, n, sizeof *ctx->cbr_keys, cbr_cmp_key);
}

/* NULL (every comuna) sorts before any name. */
static int null_cmp(const char *a, const char *b)
{
    if (!a || !b)
        return (a != NULL) - (b != NULL);
    return strcmp(a, b);
}

static int price_cmp(const void *a, const void *b)
{
    const struct validate_price_stats *x = a, *y = b;
    int c = strcmp(x->kind, y->kind);

    return c ? c : null_cmp(x->comuna, y->comuna);
}

static void prices_free(struct validate_ctx *ctx)
{
    for (size_t i = 0; i < ctx->nprices; i++) {
        free((char *)ctx->prices[i].comuna);
        free((char *)ctx->prices[i].kind);
    }
    free(ctx->prices);
    ctx->prices = NULL;
    ctx->nprices = 0;
}

void validate_ctx_set_price_stats(struct validate_ctx *ctx,
                                  const struct validate_price_stats *stats,
                                  size_t n)
{
    prices_free(ctx);
    if (!n)
        return;
    ctx->prices = xcalloc(n, sizeof *ctx->prices);
    for (size_t i = 0; i < n; i++) {
        ctx->prices[i] = stats[i];
        ctx->prices[i].comuna =
            stats[i].comuna ? xstrdup(stats[i].comuna) : NULL;
        ctx->prices[i].kind = xstrdup(text(stats[i].kind));
    }
    ctx->nprices = n;
    qsort(ctx->prices, n, sizeof *ctx->prices, price_cmp);
}

void validate_ctx_free(struct validate_ctx *ctx)
{
    regfree(&ctx->rol_re);
    free(ctx->rol_pattern);
    ctx->rol_pattern = NULL;
    cbrs_free(ctx);
    prices_free(ctx);
}

/* Single checks. */

bool validate_rol_matches(const struct validate_ctx *ctx, const char *rol)
{
    return regexec(&ctx->rol_re, text(rol), 0, NULL, 0) == 0;
}

/* Appends len bytes of s, zero-padded on the left to width. */
static char *put_padded(char *o, const char *s, size_t len, size_t width)
{
    for (; width > len; width--)
        *o++ = '0';
    memcpy(o, s, len);
    return o + len;
}

/* Candidates in order of preference: the value trimmed, its two digit
 * groups joined by '-', and the same zero-padded to 5 and 4 digits. */
static int rol_candidates(const char *rol, char cand[3][VALIDATE_FIX_SIZE])
{
    const char *a = skip_blanks(rol), *b;
    size_t la = digit_run(a), lb, sep = strspn(a + la, " -/._"), len;
    char *o;

    copy_text(cand[0], VALIDATE_FIX_SIZE, a);
    for (len = strlen(cand[0]); len && strchr(" \t", cand[0][len - 1]);)
        cand[0][--len] = '\0';
    b = a + la + sep;
    lb = digit_run(b);
    if (!la || la > 5 || !sep || !lb || lb > 4 || *skip_blanks(b + lb))
        return 1;
    o = put_padded(cand[1], a, la, 0);
    *o++ = '-';
    *put_padded(o, b, lb, 0) = '\0';
    o = put_padded(cand[2], a, la, 5);
    *o++ = '-';
    *put_padded(o, b, lb, 4) = '\0';
    return 3;
}

bool validate_rol_normalize(const struct validate_ctx *ctx, const char *rol,
                            char *out, size_t size)
{
    char cand[3][VALIDATE_FIX_SIZE];
    int n = rol_candidates(text(rol), cand);

    if (validate_rol_matches(ctx, rol))
        return false;
    for (int i = 0; i < n; i++) {
        if (!cand[i][0] || strcmp(cand[i], text(rol)) == 0 ||
            strlen(cand[i]) >= size || !validate_rol_matches(ctx, cand[i]))
            continue;
        strcpy(out, cand[i]);
        return true;
    }
    return false;
}

bool validate_fojas_ok(const char *fojas)
{
    const char *s = text(fojas);

    return *s && s[digit_run(s)] == '\0';
}

/* Digits only, when everything else in fojas is spacing or a thousands
 * separator ("12.340", " 123 "). */
static bool fojas_fix(const char *fojas, char *out, size_t size)
{
    size_t n = 0;

    for (const char *p = fojas; *p; p++) {
        if (is_digit((unsigned char)*p) && n + 1 < size)
            out[n++] = *p;
        else if (!strchr(" .,\t", *p))
            return false;
    }
    out[n] = '\0';
    return n > 0;
}

static bool read_int(const char **p, size_t min, size_t max, int *out)
{
    size_t n = digit_run(*p);

    if (n < min || n > max)
        return false;
    *out = 0;
    for (size_t i = 0; i < n; i++)
        *out = *out * 10 + ((*p)[i] - '0');
    *p += n;
    return true;
}

static bool date_valid(const struct validate_date *d)
{
    static const int days[12] = { 31, 29, 31, 30, 31, 30,
                                  31, 31, 30, 31, 30, 31 };
    bool leap = (d->year % 4 == 0 && d->year % 100 != 0) || d->year % 400 == 0;

    if (d->year < 1 || d->month < 1 || d->month > 12 || d->day < 1)
        return false;
    return d->day <= days[d->month - 1] && (d->month != 2 || leap ||
                                            d->day <= 28);
}

/* ' HH:MM[:SS[.fff]]' or 'THH:MM...' after a date, up to the end. */
static bool time_ok(const char *p)
{
    int h, m, s = 0;

    if (*p == '\0')
        return true;
    if (*p != ' ' && *p != 'T')
        return false;
    p++;
    if (!read_int(&p, 2, 2, &h) || *p++ != ':' || !read_int(&p, 2, 2, &m))
        return false;
    if (*p == ':' && (++p, !read_int(&p, 2, 2, &s)))
        return false;
    if (*p == '.' && (++p, digit_run(p) == 0))
        return false;
    p += digit_run(p);
    return *p == '\0' && h <= 23 && m <= 59 && s <= 60;
}

bool validate_date_parse(const char *t, struct validate_date *out)
{
    const char *p = text(t);
    struct validate_date d;

    if (strcmp(p, "infinity") == 0) {
        *out = (struct validate_date){ 9999, 12, 31 };
        return true;
    }
    if (!read_int(&p, 4, 6, &d.year) || *p++ != '-' ||
        !read_int(&p, 2, 2, &d.month) || *p++ != '-' ||
        !read_int(&p, 2, 2, &d.day) || !date_valid(&d) || !time_ok(p))
        return false;
    *out = d;
    return true;
}

static int date_cmp(const struct validate_date *a,
                    const struct validate_date *b)
{
    if (a->year != b->year)
        return a->year < b->year ? -1 : 1;
    if (a->month != b->month)
        return a->month < b->month ? -1 : 1;
    return a->day < b->day ? -1 : a->day > b->day;
}

/* RUT. */

char validate_rut_check_digit(long body)
{
    long sum = 0;
    int factor = 2, r;

    for (; body > 0; body /= 10) {
        sum += (body % 10) * factor;
        factor = factor == 7 ? 2 : factor + 1;
    }
    r = 11 - (int)(sum % 11);
    return r == 11 ? '0' : r == 10 ? 'K' : (char)('0' + r);
}

/* Reads a RUT body at p: 1-3 digits then groups of ".ddd", or a plain run
 * of digits. Returns the byte after it, NULL if none; *digits counts them. */
static const char *scan_body(const char *p, long *body, int *digits,
                             bool *dotted)
{
    size_t n = digit_run(p);

    *body = 0;
    *digits = 0;
    *dotted = n >= 1 && n <= 3 && p[n] == '.' && digit_run(p + n + 1) == 3;
    for (;;) {
        if (n == 0 || *digits + (int)n > 9)
            return NULL;
        for (size_t i = 0; i < n; i++)
            *body = *body * 10 + (p[i] - '0');
        *digits += (int)n;
        p += n;
        if (!*dotted || *p != '.' || digit_run(p + 1) != 3)
            return p;
        n = 3;
        p++;
    }
}

/* A RUT at p: body, then '-' and a check digit, or K, or (plain bodies
 * only, strict) the body's last digit. Returns the byte after it. */
static const char *scan_rut(const char *p, bool strict, long *body, char *dv,
                            int *digits)
{
    bool dotted;
    const char *q = scan_body(p, body, digits, &dotted);

    if (!q)
        return NULL;
    if (*q == '-')
        q++;
    if (*q == 'k' || *q == 'K' ||
        (q[-1] == '-' && is_digit((unsigned char)*q))) {
        *dv = (char)(*q == 'k' ? 'K' : *q);
        return q + 1;
    }
    if (!strict || dotted || q[-1] == '-' || *digits < 2)
        return NULL;
    *dv = (char)('0' + *body % 10);
    *body /= 10;
    (*digits)--;
    return q;
}

enum rut_status validate_rut_parse(const char *s, long *body, char *dv)
{
    int digits;
    const char *p = scan_rut(skip_blanks(text(s)), true, body, dv, &digits);

    if (!p || *skip_blanks(p) || digits > 8 || *body <= 0)
        return RUT_MALFORMED;
    return validate_rut_check_digit(*body) == *dv ? RUT_OK : RUT_BAD_DIGIT;
}

/* Built right to left: digits, a dot every three. */
void validate_rut_format(long body, char dv, char *out, size_t size)
{
    char buf[40], *o = buf + sizeof buf;
    int i = 0;

    *--o = '\0';
    *--o = dv;
    *--o = '-';
    body = body < 0 ? 0 : body;
    do {
        if (i > 0 && i % 3 == 0)
            *--o = '.';
        *--o = (char)('0' + body % 10);
        body /= 10;
        i++;
    } while (body > 0);
    copy_text(out, size, o);
}

static bool is_alnum(int c)
{
    return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           c >= 0x80;
}

/* A token stands alone: no letter, digit or joining dot/dash around it. */
static bool token_bounded(const char *text_start, const char *p,
                          const char *end)
{
    if (p > text_start && (is_alnum((unsigned char)p[-1]) || p[-1] == '.' ||
                           p[-1] == '-'))
        return false;
    return !is_alnum((unsigned char)*end) &&
           !(*end == '.' && is_digit((unsigned char)end[1])) && *end != '-';
}

size_t validate_rut_find(const char *s, struct rut_token *out, size_t max)
{
    size_t count = 0;

    s = text(s);
    for (const char *p = s; *p;) {
        struct rut_token t;
        int digits;
        const char *end = is_digit((unsigned char)*p)
                              ? scan_rut(p, false, &t.body, &t.dv, &digits)
                              : NULL;

        /* "000000-K" is no RUT: parsing it alone says malformed too. */
        if (!end || digits < 6 || digits > 8 || t.body <= 0 ||
            !token_bounded(s, p, end)) {
            p += is_digit((unsigned char)*p) ? digit_run(p) : 1;
            continue;
        }
        t.offset = (size_t)(p - s);
        t.len = (size_t)(end - p);
        t.status = validate_rut_check_digit(t.body) == t.dv ? RUT_OK
                                                             : RUT_BAD_DIGIT;
        if (count < max)
            out[count] = t;
        count++;
        p = end;
    }
    return count;
}

/* The rules, one function each, in field order. */

static void check_rol(struct sink *s, const struct referencial_row *row,
                      const struct validate_ctx *ctx)
{
    struct finding *f;
    char fix[VALIDATE_FIX_SIZE];

    if (validate_rol_matches(ctx, row->rol))
        return;
    f = sink_add(s, "rol_format", "rol", VALIDATE_ERROR,
                 N_("ROL “%s” does not match the pattern %s"));
    arg_text(f, text(row->rol));
    arg_text(f, ctx->rol_pattern);
    if (validate_rol_normalize(ctx, row->rol, fix, sizeof fix))
        fix_value(f, fix);
}

static void check_fojas(struct sink *s, const struct referencial_row *row)
{
    struct finding *f;
    char fix[VALIDATE_FIX_SIZE];

    if (validate_fojas_ok(row->fojas))
        return;
    f = sink_add(s, "fojas_digits", "fojas", VALIDATE_ERROR,
                 N_("fojas “%s” must be digits only"));
    arg_text(f, text(row->fojas));
    if (fojas_fix(text(row->fojas), fix, sizeof fix))
        fix_value(f, fix);
}

static void check_numero_anio(struct sink *s, const struct referencial_row *row,
                              const struct validate_ctx *ctx)
{
    struct finding *f;

    if (row->numero <= 0) {
        f = sink_add(s, "numero_positive", "numero", VALIDATE_ERROR,
                     N_("número %s must be greater than zero"));
        arg_printf(f, "%d", row->numero);
    }
    if (row->anio < 1900 || row->anio > ctx->today.year) {
        f = sink_add(s, "anio_range", "anio", VALIDATE_ERROR,
                     N_("año %s is not between 1900 and %s"));
        arg_printf(f, "%d", row->anio);
        arg_printf(f, "%d", ctx->today.year);
    }
}

static const struct validate_cbr *cbr_find(const struct validate_cbr *v,
                                           size_t n, const char *s,
                                           bool by_key)
{
    struct validate_cbr probe = { (char *)s, (char *)s };

    return bsearch(&probe, v, n, sizeof *v, by_key ? cbr_cmp_key
                                                   : cbr_cmp_name);
}

static void check_cbr(struct sink *s, const struct referencial_row *row,
                      const struct validate_ctx *ctx)
{
    const char *cbr = text(row->cbr);
    const struct validate_cbr *known;
    struct finding *f;
    char key[256];

    if (!ctx->ncbrs || cbr_find(ctx->cbrs, ctx->ncbrs, cbr, false))
        return;
    known = comunas_fold(cbr, key, sizeof key) < sizeof key && *key
                ? cbr_find(ctx->cbr_keys, ctx->ncbrs, key, true)
                : NULL;
    if (known) {
        f = sink_add(s, "cbr_unknown", "cbr", VALIDATE_WARNING,
                     N_("CBR “%s” is written “%s” in the registry list"));
        arg_text(f, cbr);
        arg_text(f, known->name);
        fix_value(f, known->name);
        return;
    }
    f = sink_add(s, "cbr_unknown", "cbr", VALIDATE_ERROR,
                 N_("CBR “%s” is not a known registry office"));
    arg_text(f, cbr);
}

/* Returns the comuna the row names when it is certain enough to measure
 * distances from (exact or folded spelling), else NULL. */
static const struct comuna *check_comuna(struct sink *s,
                                         const struct referencial_row *row)
{
    const struct comuna *c = NULL;
    struct finding *f;

    switch (comunas_lookup(text(row->comuna), &c)) {
    case COMUNAS_EXACT:
        return c;
    case COMUNAS_FOLDED:
        f = sink_add(s, "comuna_spelling", "comuna", VALIDATE_WARNING,
                     N_("comuna “%s” is officially written “%s”"));
        arg_text(f, text(row->comuna));
        arg_text(f, c->name);
        fix_value(f, c->name);
        return c;
    case COMUNAS_CLOSE:
        f = sink_add(s, "comuna_unknown", "comuna", VALIDATE_ERROR,
                     N_("“%s” is not a Chilean comuna; did you mean “%s”?"));
        arg_text(f, text(row->comuna));
        arg_text(f, c->name);
        fix_value(f, c->name);
        return NULL;
    case COMUNAS_NONE:
        break;
    }
    f = sink_add(s, "comuna_unknown", "comuna", VALIDATE_ERROR,
                 N_("“%s” is not a Chilean comuna"));
    arg_text(f, text(row->comuna));
    return NULL;
}

static void arg_coords(struct finding *f, double lat, double lng)
{
    arg_printf(f, "%.6f", lat);
    arg_printf(f, "%.6f", lng);
}

static void check_far(struct sink *s, const struct referencial_row *row,
                      const struct validate_ctx *ctx, const struct comuna *c)
{
    double d = comunas_distance_km(row->lat, row->lng, c->lat, c->lng);
    double limit = ctx->far_factor * c->neighbour_km;
    struct finding *f;

    limit = fmin(fmax(limit, ctx->far_km), ctx->far_max_km);
    if (d <= limit)
        return;
    f = sink_add(s, "coords_far_from_comuna", "lat,lng", VALIDATE_WARNING,
                 N_("the point is %s km from the centre of %s (more than %s "
                    "km)"));
    arg_printf(f, "%.1f", d);
    arg_text(f, c->name);
    arg_printf(f, "%.0f", limit);
}

/* Points outside Chile that a common slip explains: swapped, or signs
 * lost. The first that lands in Chile is the suggestion. */
static void check_outside(struct sink *s, double lat, double lng)
{
    static const struct {
        bool swap;
        double sign_lat, sign_lng;
    } slips[] = {
        { true, 1, 1 },  { false, -1, -1 }, { false, -1, 1 },
        { false, 1, -1 }, { true, -1, -1 },
    };
    struct finding *f;

    for (size_t i = 0; i < NELEM(slips); i++) {
        double la = slips[i].sign_lat * (slips[i].swap ? lng : lat);
        double ln = slips[i].sign_lng * (slips[i].swap ? lat : lng);

        if (!comunas_in_chile(la, ln))
            continue;
        if (slips[i].swap)
            f = sink_add(s, "coords_swapped", "lat,lng", VALIDATE_ERROR,
                         N_("latitude and longitude look swapped: (%s, %s) "
                            "is outside Chile, (%s, %s) is inside"));
        else
            f = sink_add(s, "coords_outside_chile", "lat,lng", VALIDATE_ERROR,
                         N_("(%s, %s) is outside Chile; with the signs "
                            "corrected, (%s, %s) is inside"));
        arg_coords(f, lat, lng);
        arg_coords(f, la, ln);
        f->fix = VALIDATE_FIX_LATLNG;
        f->fix_lat = la;
        f->fix_lng = ln;
        return;
    }
    f = sink_add(s, "coords_outside_chile", "lat,lng", VALIDATE_ERROR,
                 N_("(%s, %s) is outside Chile"));
    arg_coords(f, lat, lng);
}

static void check_coords(struct sink *s, const struct referencial_row *row,
                         const struct validate_ctx *ctx,
                         const struct comuna *c)
{
    if (!isfinite(row->lat) || !isfinite(row->lng)) {
        struct finding *f =
            sink_add(s, "coords_outside_chile", "lat,lng", VALIDATE_ERROR,
                     N_("the coordinates (%s, %s) are not numbers"));
        arg_coords(f, row->lat, row->lng);
        return;
    }
    if (!comunas_in_chile(row->lat, row->lng))
        check_outside(s, row->lat, row->lng);
    else if (c)
        check_far(s, row, ctx, c);
}

static bool near(double a, double b, double tolerance)
{
    return fabs(a - b) <= tolerance; /* false for NaN */
}

static void check_geom(struct sink *s, const struct referencial_row *row,
                       const struct validate_ctx *ctx)
{
    double tol = ctx->geom_tolerance;
    struct finding *f;

    if (row->geom_null) {
        f = sink_add(s, "geom_missing", "geom", VALIDATE_WARNING,
                     N_("geom is empty: map and distance searches miss this "
                        "row"));
    } else if (row->geom_srid != 4326) {
        f = sink_add(s, "geom_mismatch", "geom", VALIDATE_ERROR,
                     N_("geom has SRID %s, not 4326 (WGS84)"));
        arg_printf(f, "%d", row->geom_srid);
    } else if (near(row->geom_lng, row->lng, tol) &&
               near(row->geom_lat, row->lat, tol)) {
        return;
    } else {
        f = sink_add(s, "geom_mismatch", "geom", VALIDATE_ERROR,
                     near(row->geom_lng, row->lat, tol) &&
                             near(row->geom_lat, row->lng, tol)
                         ? N_("geom has x and y swapped: it is (%s, %s), "
                              "lat/lng say (%s, %s)")
                         : N_("geom is at (%s, %s), lat/lng say (%s, %s)"));
        arg_coords(f, row->geom_lat, row->geom_lng);
        arg_coords(f, row->lat, row->lng);
    }
    fix_sql(f, GEOM_FIX_SQL);
}

static void check_fecha(struct sink *s, const struct referencial_row *row,
                        const struct validate_ctx *ctx)
{
    struct validate_date d;
    struct finding *f;

    if (!validate_date_parse(row->fechaescritura, &d) || d.year < 1900) {
        f = sink_add(s, "fecha_invalid", "fechaescritura", VALIDATE_ERROR,
                     N_("date of the deed “%s” is not a valid date since "
                        "1900"));
        arg_text(f, text(row->fechaescritura));
    } else if (date_cmp(&d, &ctx->today) > 0) {
        f = sink_add(s, "fecha_future", "fechaescritura", VALIDATE_ERROR,
                     N_("date of the deed %s is in the future (today is %s)"));
        arg_printf(f, "%04d-%02d-%02d", d.year, d.month, d.day);
        arg_printf(f, "%04d-%02d-%02d", ctx->today.year, ctx->today.month,
                   ctx->today.day);
    }
}

static void check_amounts(struct sink *s, const struct referencial_row *row)
{
    struct finding *f;

    if (row->monto_null) {
        sink_add(s, "monto_missing", "monto", VALIDATE_INFO,
                 N_("monto is missing: the sale price is unknown"));
    } else if (row->monto <= 0) {
        f = sink_add(s, "monto_nonpositive", "monto", VALIDATE_ERROR,
                     N_("monto %s must be greater than zero"));
        arg_printf(f, "%lld", row->monto);
    }
    if (!(row->superficie > 0) || !isfinite(row->superficie)) {
        f = sink_add(s, "superficie_nonpositive", "superficie",
                     VALIDATE_ERROR,
                     N_("superficie %s must be greater than zero"));
        arg_printf(f, "%g", row->superficie);
    }
}

void validate_property_kind(const char *predio, char *out, size_t size)
{
    const char *p = text(predio);
    size_t n = 0;

    if (!size)
        return;
    while (*p && !IS_ASCII_ALPHA(*p))
        p++;
    for (; IS_ASCII_ALPHA(*p) && n + 1 < size; p++)
        out[n++] = (char)(*p | 0x20);
    out[n] = '\0';
}

bool validate_comuna_selects(const char *wanted, const char *stored)
{
    const struct comuna *w = NULL, *c = NULL;
    char a[COMUNAS_NAME_MAX + 1], b[COMUNAS_NAME_MAX + 1];

    if (comunas_lookup(wanted, &w) != COMUNAS_NONE && w)
        return comunas_lookup(stored, &c) != COMUNAS_NONE && c == w;
    comunas_fold(text(wanted), a, sizeof a);
    comunas_fold(text(stored), b, sizeof b);
    return strcmp(a, b) == 0;
}

static const struct validate_price_stats *
price_get(const struct validate_ctx *ctx, const char *comuna, const char *kind)
{
    struct validate_price_stats probe = { .comuna = comuna, .kind = kind };
    const struct validate_price_stats *st;

    st = bsearch(&probe, ctx->prices, ctx->nprices, sizeof probe, price_cmp);
    if (!st || st->n < ctx->price_min_n || !(st->q1 > 0) ||
        !(st->q3 >= st->q1))
        return NULL;
    return st;
}

/* Like with like: the row's kind in its comuna, else its kind in the whole
 * country, else (statistics without kinds) every sale in the comuna. */
static const struct validate_price_stats *
price_find(const struct validate_ctx *ctx, const char *comuna,
           const char *kind)
{
    const struct validate_price_stats *st;

    if (!ctx->nprices)
        return NULL;
    if (*kind && ((st = price_get(ctx, comuna, kind)) ||
                  (st = price_get(ctx, NULL, kind))))
        return st;
    return price_get(ctx, comuna, "");
}

static struct finding *price_finding(struct sink *s,
                                     const struct validate_price_stats *st)
{
    if (!*st->kind)
        return sink_add(s, "price_m2_outlier", "monto,superficie",
                        VALIDATE_WARNING,
                        N_("price per m² %s is far outside the usual range "
                           "in %s (middle half %s to %s)"));
    return sink_add(s, "price_m2_outlier", "monto,superficie",
                    VALIDATE_WARNING,
                    N_("price per m² %s is far outside the usual range for "
                       "“%s” in %s (middle half %s to %s)"));
}

/* Prices are compared on a log scale, where a group's prices are roughly
 * symmetric; a spread of at least 25% keeps a group whose sales all cost
 * the same from flagging every other price. */
static void check_price(struct sink *s, const struct referencial_row *row,
                        const struct validate_ctx *ctx)
{
    const struct validate_price_stats *st;
    double price, iqr, lp, k = ctx->price_fence;
    char kind[64];
    struct finding *f;

    if (row->monto_null || row->monto <= 0 || !(row->superficie > 0) ||
        !isfinite(row->superficie))
        return;
    validate_property_kind(row->predio, kind, sizeof kind);
    if (!(st = price_find(ctx, text(row->comuna), kind)))
        return;
    price = (double)row->monto / row->superficie;
    lp = log(price);
    iqr = fmax(log(st->q3 / st->q1), log(1.25));
    if (lp >= log(st->q1) - k * iqr && lp <= log(st->q3) + k * iqr)
        return;
    f = price_finding(s, st);
    arg_printf(f, "%.0f", price);
    if (*st->kind)
        arg_text(f, st->kind);
    arg_text(f, st->comuna ? st->comuna : _("all of Chile"));
    arg_printf(f, "%.0f", st->q1);
    arg_printf(f, "%.0f", st->q3);
}

static void check_duplicate(struct sink *s, const struct referencial_row *row)
{
    struct finding *f;

    if (row->duplicates <= 1)
        return;
    f = sink_add(s, "duplicate_inscription", "cbr,fojas,numero,anio",
                 VALIDATE_WARNING,
                 N_("%s rows have this same CBR, fojas, número and año"));
    arg_printf(f, "%ld", row->duplicates);
}

static void check_ruts(struct sink *s, const char *field, const char *value)
{
    struct rut_token tok[8];
    size_t n = validate_rut_find(value, tok, NELEM(tok));

    for (size_t i = 0; i < n && i < NELEM(tok); i++) {
        struct finding *f;

        if (tok[i].status == RUT_OK)
            continue;
        f = sink_add(s, "rut_check_digit", field, VALIDATE_ERROR,
                     N_("RUT %s ends in %s; its check digit is %s"));
        arg_printf(f, "%.*s", (int)tok[i].len, text(value) + tok[i].offset);
        arg_printf(f, "%c", tok[i].dv);
        arg_printf(f, "%c", validate_rut_check_digit(tok[i].body));
    }
}

int validate_referencial(const struct referencial_row *row,
                         const struct validate_ctx *ctx, struct finding *out,
                         int max)
{
    struct sink s = { .out = out, .max = max > 0 ? max : 0 };
    const struct comuna *c;

    check_rol(&s, row, ctx);
    check_fojas(&s, row);
    check_numero_anio(&s, row, ctx);
    check_cbr(&s, row, ctx);
    c = check_comuna(&s, row);
    check_coords(&s, row, ctx, c);
    check_geom(&s, row, ctx);
    check_fecha(&s, row, ctx);
    check_amounts(&s, row);
    check_price(&s, row, ctx);
    check_duplicate(&s, row);
    check_ruts(&s, "comprador", row->comprador);
    check_ruts(&s, "vendedor", row->vendedor);
    return s.n;
}

/* Messages. Arguments are substituted here rather than by printf, so a
 * translation with a stray conversion prints it instead of crashing. */

/* The argument a conversion at p refers to ("%s", "%2$s"), with *len set
 * to the conversion's length; NULL if p is not one. */
static const char *conversion(const char *p, const struct finding *f,
                              int *next, size_t *len)
{
    size_t n = digit_run(p + 1);
    int idx;

    if (p[1] == 's') {
        *len = 2;
        idx = (*next)++;
    } else if (n > 0 && n < 3 && p[1 + n] == '$' && p[2 + n] == 's') {
        *len = n + 3;
        idx = atoi(p + 1) - 1;
    } else {
        return NULL;
    }
    return idx >= 0 && idx < f->nargs ? f->args[idx] : "";
}

static size_t render(const char *fmt, const struct finding *f, char *out)
{
    size_t n = 0, len = 0;
    int next = 0;

    for (const char *p = fmt; *p;) {
        const char *arg = *p == '%' ? conversion(p, f, &next, &len) : NULL;
        size_t alen = arg ? strlen(arg) : 1;

        if (out)
            memcpy(out + n, arg ? arg : p, alen);
        n += alen;
        p += arg ? len : (p[0] == '%' && p[1] == '%') ? 2 : 1;
    }
    if (out)
        out[n] = '\0';
    return n;
}

char *validate_finding_message(const struct finding *f)
{
    const char *fmt = f->msgid ? _(f->msgid) : "";
    char *out = xmalloc(render(fmt, f, NULL) + 1);

    render(fmt, f, out);
    return out;
}

char *validate_finding_fix(const struct finding *f)
{
    switch (f->fix) {
    case VALIDATE_FIX_VALUE:
    case VALIDATE_FIX_SQL:
        return xstrdup(f->fix_text);
    case VALIDATE_FIX_LATLNG:
        return xasprintf("%.6f, %.6f", f->fix_lat, f->fix_lng);
    case VALIDATE_FIX_NONE:
        break;
    }
    return xstrdup("");
}
