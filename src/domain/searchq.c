/* The search query builder (see searchq.h): per target a table of columns,
 * then one condition per filled field, each value as a parameter. */
#include "autoconfig.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"
#include "domain/comunas.h"
#include "domain/searchq.h"
#include "i18n.h"

struct sortcol {
    const char *name;  /* as the user names it */
    const char *expr;  /* the SQL ordering expression */
    const char *cast;  /* the cursor parameter's type */
    const char *stand_in; /* the value NULL sorts as, or NULL: NOT NULL */
    bool indexed;      /* a plain column the seed's indexes order */
};

struct target {
    const char *table, *select;
    const char *comuna, *date, *price, *surface; /* quoted columns */
    const char *text[3];                          /* free-text columns */
    const struct sortcol *sort;
    const char *const *sortnames;
    bool geom; /* a geom column (else lat/lng only) */
};

static const struct sortcol ref_sort[] = {
    { "fechaescritura", "\"fechaescritura\"", "timestamp", NULL, true },
    { "monto", "coalesce(\"monto\", -1)", "bigint", "-1", false },
    { "superficie", "\"superficie\"", "float8", NULL, false },
    { "anio", "\"anio\"", "integer", NULL, false },
    { "comuna", "\"comuna\"", "text", NULL, true },
    { "rol", "\"rol\"", "text", NULL, false },
    { "id", "\"id\"", "text", NULL, true },
    { NULL, NULL, NULL, NULL, false },
};
static const char *const ref_names[] = {
    "fechaescritura", "monto", "superficie", "anio", "comuna", "rol", "id",
    NULL,
};

static const struct sortcol prop_sort[] = {
    { "createdAt", "\"createdAt\"", "timestamp", NULL, false },
    { "price", "\"price\"", "bigint", NULL, false },
    { "totalSurface", "coalesce(\"totalSurface\", -1)", "float8", "-1", false },
    { "commune", "\"commune\"", "text", NULL, false },
    { "title", "\"title\"", "text", NULL, false },
    { "id", "\"id\"", "text", NULL, false },
    { NULL, NULL, NULL, NULL, false },
};
static const char *const prop_names[] = {
    "createdAt", "price", "totalSurface", "commune", "title", "id", NULL,
};

static const struct target targets[] = {
    [SEARCHQ_REFERENCIALES] = {
        "referenciales",
        "\"id\", \"fechaescritura\", \"comuna\", \"rol\", \"fojas\", "
        "\"numero\", \"anio\", \"cbr\", \"comprador\", \"vendedor\", "
        "\"predio\", \"superficie\", \"monto\", \"lat\", \"lng\", "
        "\"userId\", \"conservadorId\"",
        "\"comuna\"", "\"fechaescritura\"", "\"monto\"", "\"superficie\"",
        { "\"comprador\"", "\"vendedor\"", "\"predio\"" },
        ref_sort, ref_names, true,
    },
    [SEARCHQ_PROPERTY] = {
        "\"Property\"",
        "\"id\", \"createdAt\", \"title\", \"propertyType\", \"status\", "
        "\"address\", \"commune\", \"region\", \"price\", \"currency\", "
        "\"totalSurface\", \"builtSurface\", \"bedrooms\", \"bathrooms\", "
        "\"lat\", \"lng\", \"userId\"",
        "\"commune\"", "\"createdAt\"", "\"price\"", "\"totalSurface\"",
        { "\"title\"", "\"address\"", NULL },
        prop_sort, prop_names, false,
    },
    [SEARCHQ_LISTING] = {
        "\"PropertyListing\"",
        "\"id\", \"createdAt\", \"title\", \"propertyType\", \"source\", "
        "\"address\", \"commune\", \"region\", \"price\", \"currency\", "
        "\"totalSurface\", \"builtSurface\", \"bedrooms\", \"bathrooms\", "
        "\"lat\", \"lng\", \"isActive\", \"sourceUrl\"",
        "\"commune\"", "\"createdAt\"", "\"price\"", "\"totalSurface\"",
        { "\"title\"", "\"address\"", NULL },
        prop_sort, prop_names, false,
    },
};

static const char *const property_types[] = {
    "CASA", "DEPARTAMENTO", "TERRENO", "LOCAL_COMERCIAL", "OFICINA",
    "BODEGA", "PARCELA", "OTRO", NULL,
};
static const char *const property_statuses[] = {
    "available", "reserved", "sold", "inactive", NULL,
};
/* A listing has no status column: its "isActive" answers active/inactive. */
static const char *const listing_statuses[] = { "active", "inactive", NULL };

/* ---- small string builder ---- */

struct sb {
    char *s;
    size_t len, cap;
};

static void sb_add(struct sb *b, const char *s)
{
    size_t n = strlen(s);

    if (b->len + n + 1 > b->cap) {
        b->cap = (b->len + n + 1) * 2;
        b->s = xrealloc(b->s, b->cap);
    }
    memcpy(b->s + b->len, s, n + 1);
    b->len += n;
}

static void sb_addf(struct sb *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void sb_addf(struct sb *b, const char *fmt, ...)
{
    va_list ap;
    char *s;

    va_start(ap, fmt);
    s = xvasprintf(fmt, ap);
    va_end(ap);
    sb_add(b, s);
    free(s);
}

/* ---- parsing the fields ---- */

static bool filled(const char *s)
{
    return s && *s;
}

static bool parse_num(const char *s, double *v)
{
    char *end;

    while (*s == ' ')
        s++;
    *v = strtod(s, &end);
    while (*end == ' ')
        end++;
    return end != s && !*end && isfinite(*v);
}

static bool parse_int(const char *s, long long *v)
{
    double d;

    if (!parse_num(s, &d) || d != floor(d) || fabs(d) > 9e15)
        return false;
    *v = (long long)d;
    return true;
}

static bool leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static bool parse_date(const char *s, int *ymd)
{
    static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
                                 30, 31 };
    int y, m, d, n = 0;

    if (sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &n) != 3 || s[n] ||
        strlen(s) != 10 || y < 1800 || m < 1 || m > 12 || d < 1)
        return false;
    if (d > mdays[m - 1] + (m == 2 && leap(y)))
        return false;
    *ymd = y * 10000 + m * 100 + d;
    return true;
}

static bool in_list(const char *s, const char *const *list)
{
    for (; *list; list++)
        if (strcmp(s, *list) == 0)
            return true;
    return false;
}

static const struct sortcol *find_sort(const struct searchq_filter *f)
{
    const struct sortcol *c = targets[f->target].sort;

    if (!filled(f->sort))
        return c;
    for (; c->name; c++)
        if (strcmp(c->name, f->sort) == 0)
            return c;
    return NULL;
}

/* The official region name the text names: its folded name, a code 1-16,
 * or a part of one region's name only ("metropolitana"). */
static const char *region_resolve(const char *s)
{
    char want[128], have[128];
    long long code = 0;
    bool bycode = parse_int(s, &code);
    const char *part = NULL;
    bool ambiguous = false;

    comunas_fold(s, want, sizeof want);
    for (size_t i = 0; i < comunas_count; i++) {
        const struct comuna *c = &comunas_table[i];

        if (bycode && c->region_code == code)
            return c->region;
        comunas_fold(c->region, have, sizeof have);
        if (bycode || !*want)
            continue;
        if (strcmp(want, have) == 0)
            return c->region;
        if (strstr(have, want)) {
            ambiguous = ambiguous || (part && strcmp(part, c->region) != 0);
            part = c->region;
        }
    }
    return ambiguous ? NULL : part;
}

/* ---- validation ---- */

struct checker {
    struct searchq_error *errs;
    size_t max, n;
};

static void fail(struct checker *c, const char *field, const char *msgid)
{
    if (c->n < c->max)
        c->errs[c->n] = (struct searchq_error){ field, msgid };
    c->n++;
}

/* A number field: parsed into *v when filled and valid. */
static bool check_num(struct checker *c, const char *field, const char *s,
                      bool integer, double lo, double hi, double *v)
{
    long long i;

    if (!filled(s))
        return false;
    if (integer ? !parse_int(s, &i) : !parse_num(s, v)) {
        fail(c, field,
             integer ? N_("not a whole number") : N_("not a number"));
        return false;
    }
    if (integer)
        *v = (double)i;
    if (*v < lo || *v > hi) {
        fail(c, field, N_("out of range"));
        return false;
    }
    return true;
}

static void check_range(struct checker *c, const char *field_lo,
                        const char *lo, const char *hi, bool integer,
                        double min)
{
    double a = 0, b = 0;
    bool has_a = check_num(c, field_lo, lo, integer, min, 9e15, &a);
    const char *field_hi = field_lo;

    /* The upper bound's field shares the name stem: *_min / *_max. */
    if (strstr(field_lo, "_min"))
        field_hi = strcmp(field_lo, "anio_min") == 0 ? "anio_max"
                 : strcmp(field_lo, "price_min") == 0 ? "price_max"
                                                      : "surface_max";
    if (check_num(c, field_hi, hi, integer, min, 9e15, &b) && has_a && a > b)
        fail(c, field_lo, N_("the lower bound is above the upper bound"));
}

static void check_dates(struct checker *c, const struct searchq_filter *f)
{
    int a = 0, b = 0;
    bool ok_a = false, ok_b = false;

    if (filled(f->date_from) && !(ok_a = parse_date(f->date_from, &a)))
        fail(c, "date_from", N_("not a date (YYYY-MM-DD)"));
    if (filled(f->date_to) && !(ok_b = parse_date(f->date_to, &b)))
        fail(c, "date_to", N_("not a date (YYYY-MM-DD)"));
    if (ok_a && ok_b && a > b)
        fail(c, "date_from", N_("the start date is after the end date"));
}

static void check_near(struct checker *c, const struct searchq_filter *f)
{
    double v;
    int n = filled(f->near_lat) + filled(f->near_lng) + filled(f->radius_km);

    check_num(c, "near_lat", f->near_lat, false, -90, 90, &v);
    check_num(c, "near_lng", f->near_lng, false, -180, 180, &v);
    if (filled(f->radius_km) && parse_num(f->radius_km, &v) && !(v > 0))
        fail(c, "radius_km", N_("the radius must be positive"));
    else
        check_num(c, "radius_km", f->radius_km, false, 0, 20000, &v);
    if (n != 0 && n != 3)
        fail(c, "radius_km",
             N_("a radius search needs latitude, longitude and radius"));
}

static void check_target(struct checker *c, const struct searchq_filter *f)
{
    bool ref = f->target == SEARCHQ_REFERENCIALES;

    if (ref && (filled(f->property_type) || filled(f->status)))
        fail(c, filled(f->status) ? "status" : "property_type",
             N_("only for properties"));
    if (!ref && (filled(f->anio_min) || filled(f->anio_max) ||
                 filled(f->rol) || filled(f->cbr)))
        fail(c, filled(f->rol) ? "rol" : filled(f->cbr) ? "cbr" : "anio_min",
             N_("only for referenciales"));
    if (!ref && filled(f->property_type) &&
        !in_list(f->property_type, property_types))
        fail(c, "property_type", N_("not a property type"));
    if (f->target == SEARCHQ_PROPERTY && filled(f->status) &&
        !in_list(f->status, property_statuses))
        fail(c, "status", N_("not a property status"));
    if (f->target == SEARCHQ_LISTING && filled(f->status) &&
        !in_list(f->status, listing_statuses))
        fail(c, "status", N_("not a listing status (active or inactive)"));
}

static void check_page(struct checker *c, const struct searchq_filter *f)
{
    if (!find_sort(f))
        fail(c, "sort", N_("not a sortable column"));
    if (f->limit < 0 || f->limit > 100000)
        fail(c, "limit", N_("out of range"));
    if ((f->after_value != NULL) != (f->after_id != NULL))
        fail(c, "after_id", N_("a cursor needs both the value and the id"));
    if (filled(f->region) && !region_resolve(f->region))
        fail(c, "region", N_("not a region of Chile"));
}

size_t searchq_validate(const struct searchq_filter *f,
                        struct searchq_error *errs, size_t max)
{
    struct checker c = { errs, max, 0 };

    if ((int)f->target < 0 || f->target > SEARCHQ_LISTING) {
        fail(&c, "target", N_("unknown target"));
        return c.n;
    }
    check_dates(&c, f);
    check_range(&c, "anio_min", f->anio_min, f->anio_max, true, 0);
    check_range(&c, "price_min", f->price_min, f->price_max, true, 0);
    check_range(&c, "surface_min", f->surface_min, f->surface_max, false, 0);
    check_near(&c, f);
    check_target(&c, f);
    check_page(&c, f);
    return c.n;
}

/* ---- building ---- */

struct builder {
    struct sb where;
    char **params;
    int n;
};

/* Adds a parameter; returns its number. */
static int param(struct builder *b, const char *value)
{
    b->params = xrealloc(b->params, sizeof *b->params * (size_t)(b->n + 1));
    b->params[b->n] = xstrdup(value);
    return ++b->n;
}

static int paramf(struct builder *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static int paramf(struct builder *b, const char *fmt, ...)
{
    va_list ap;
    char *s;
    int n;

    va_start(ap, fmt);
    s = xvasprintf(fmt, ap);
    va_end(ap);
    n = param(b, s);
    free(s);
    return n;
}

static void cond(struct builder *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void cond(struct builder *b, const char *fmt, ...)
{
    va_list ap;
    char *s;

    va_start(ap, fmt);
    s = xvasprintf(fmt, ap);
    va_end(ap);
    sb_add(&b->where, b->where.len ? "\n  AND " : "\nWHERE ");
    sb_add(&b->where, s);
    free(s);
}

char *searchq_like_escape(const char *s)
{
    char *out = xmalloc(strlen(s) * 2 + 1), *o = out;

    for (; *s; s++) {
        if (*s == '%' || *s == '_' || *s == '\\')
            *o++ = '\\';
        *o++ = *s;
    }
    *o = 0;
    return out;
}

/* Latin-1 supplement letters in UTF-8 (C3 xx) and ASCII, in another case
 * (-1 lower, 0 as is, 1 upper), without accents when strip. */
static void latin_map(const char *s, char *out, size_t size, int kase,
                      bool strip)
{
    static const char bare[] = "AAAAAAECEEEEIIIIDNOOOOOxOUUUUYTs"
                               "aaaaaaeceeeeiiiidnooooo/ouuuuyty";
    size_t o = 0;

    for (; *s && o + 3 < size; s++) {
        unsigned char c = (unsigned char)*s, d = (unsigned char)s[1];

        if (c == 0xC3 && d >= 0x80 && d <= 0xBF) {
            if (kase > 0 && d >= 0xA0 && d != 0xB7 && d != 0xBF)
                d -= 0x20;
            else if (kase < 0 && d <= 0x9E && d != 0x97)
                d += 0x20;
            if (strip && bare[d - 0x80] != 'x' && bare[d - 0x80] != '/')
                out[o++] = bare[d - 0x80];
            else {
                out[o++] = (char)c;
                out[o++] = (char)d;
            }
            s++;
        } else if (kase > 0 && c >= 'a' && c <= 'z')
            out[o++] = (char)(c - 32);
        else if (kase < 0 && c >= 'A' && c <= 'Z')
            out[o++] = (char)(c + 32);
        else
            out[o++] = (char)c;
    }
    out[o] = 0;
}

/* Appends "s" to a text[] literal, quoted and escaped. */
static void array_add(struct sb *a, const char *s)
{
    sb_add(a, a->len > 1 ? ",\"" : "\"");
    for (; *s; s++) {
        char ch[3] = { *s, 0, 0 };

        if (*s == '"' || *s == '\\') {
            ch[0] = '\\';
            ch[1] = *s;
        }
        sb_add(a, ch);
    }
    sb_add(a, "\"");
}

/* The spellings a known comuna is found under: as is, upper case, lower
 * case, each with and without accents. */
static void comuna_variants(struct sb *a, const char *name)
{
    char v[COMUNAS_NAME_MAX * 2];

    for (int strip = 0; strip <= 1; strip++)
        for (int kase = 0; kase <= 2; kase++) {
            latin_map(name, v, sizeof v, kase == 2 ? -1 : kase, strip);
            array_add(a, v);
        }
}

static void add_comuna(struct builder *b, const struct target *t,
                       const char *s)
{
    const struct comuna *c = NULL;
    enum comunas_match m = comunas_lookup(s, &c);
    struct sb a = { 0 };

    if (m != COMUNAS_EXACT && m != COMUNAS_FOLDED) {
        cond(b, "lower(%s) = lower($%d)", t->comuna, param(b, s));
        return;
    }
    sb_add(&a, "{");
    comuna_variants(&a, c->name);
    array_add(&a, s);
    sb_add(&a, "}");
    /* One = ANY over the spellings, so the comuna index is used. */
    cond(b, "%s = ANY($%d::text[])", t->comuna, param(b, a.s));
    free(a.s);
}

static void add_region(struct builder *b, const struct searchq_filter *f)
{
    const char *region = region_resolve(f->region);
    struct sb a = { 0 };

    if (f->target != SEARCHQ_REFERENCIALES) {
        cond(b, "lower(\"region\") = lower($%d)", param(b, region));
        return;
    }
    /* referenciales has no region: the region's comunas. */
    sb_add(&a, "{");
    for (size_t i = 0; i < comunas_count; i++)
        if (strcmp(comunas_table[i].region, region) == 0)
            comuna_variants(&a, comunas_table[i].name);
    sb_add(&a, "}");
    cond(b, "\"comuna\" = ANY($%d::text[])", param(b, a.s));
    free(a.s);
}

/* Whole numbers without an exponent, for ::bigint. */
static int num_param(struct builder *b, double v, bool real)
{
    return real ? paramf(b, "%.15g", v) : paramf(b, "%.0f", v);
}

static void add_range(struct builder *b, const char *col, const char *lo,
                      const char *hi, const char *cast)
{
    bool real = strcmp(cast, "float8") == 0;
    double v;

    if (filled(lo) && parse_num(lo, &v))
        cond(b, "%s >= $%d::%s", col, num_param(b, v, real), cast);
    if (filled(hi) && parse_num(hi, &v))
        cond(b, "%s <= $%d::%s", col, num_param(b, v, real), cast);
}

static void add_dates(struct builder *b, const struct target *t,
                      const struct searchq_filter *f)
{
    if (filled(f->date_from))
        cond(b, "%s >= $%d::date", t->date, param(b, f->date_from));
    /* The whole last day: before the next midnight. */
    if (filled(f->date_to))
        cond(b, "%s < $%d::date + 1", t->date, param(b, f->date_to));
}

static void add_text(struct builder *b, const struct target *t,
                     const char *s)
{
    char *esc = searchq_like_escape(s);
    int n = paramf(b, "%%%s%%", esc);
    struct sb c = { 0 };

    free(esc);
    for (int i = 0; i < 3 && t->text[i]; i++)
        sb_addf(&c, "%s%s ILIKE $%d", i ? " OR " : "(", t->text[i], n);
    sb_add(&c, ")");
    cond(b, "%s", c.s);
    free(c.s);
}

static void add_rol(struct builder *b, const char *s)
{
    size_t n = strlen(s);

    if (n > 1 && s[n - 1] == '*') {
        char *prefix = xstrndup(s, n - 1), *esc = searchq_like_escape(prefix);

        cond(b, "\"rol\" LIKE $%d", paramf(b, "%s%%", esc));
        free(prefix);
        free(esc);
    } else
        cond(b, "\"rol\" = $%d", param(b, s));
}

/* Whether the folded name starts with the folded prefix, or one of its
 * later words does ("angeles" completes "Los Ángeles"). */
static bool folded_completes(const char *name, const char *prefix, size_t n)
{
    const char *w;

    if (strncmp(name, prefix, n) == 0)
        return true;
    for (w = strchr(name, ' '); w; w = strchr(w + 1, ' '))
        if (strncmp(w + 1, prefix, n) == 0)
            return true;
    return false;
}

/* A database spelling worth offering: it completes the prefix, and it is
 * not an official comuna under another case or accents. */
static bool known_completes(const char *name, const char *prefix, size_t n)
{
    char key[COMUNAS_NAME_MAX + 1];
    const struct comuna *c;

    if (comunas_fold(name, key, sizeof key) > COMUNAS_NAME_MAX)
        return false;
    if (!folded_completes(key, prefix, n))
        return false;
    return comunas_lookup(name, &c) != COMUNAS_EXACT &&
           comunas_lookup(name, &c) != COMUNAS_FOLDED;
}

/* Whether name folds as one of out[from..got) does. */
static bool folded_among(const char *name, const char **out, size_t from,
                         size_t got)
{
    char a[COMUNAS_NAME_MAX + 1], b[COMUNAS_NAME_MAX + 1];

    comunas_fold(name, a, sizeof a);
    for (size_t i = from; i < got; i++) {
        comunas_fold(out[i], b, sizeof b);
        if (strcmp(a, b) == 0)
            return true;
    }
    return false;
}

size_t searchq_complete_comuna(const char *prefix, const char *const *known,
                               size_t nknown, const char **out, size_t max)
{
    const struct comuna *official[64];
    char key[COMUNAS_NAME_MAX + 1];
    size_t n, got = 0, len;

    if (!prefix || !*prefix || max == 0)
        return 0;
    len = comunas_fold(prefix, key, sizeof key);
    if (len == 0 || len > COMUNAS_NAME_MAX)
        return 0;
    n = comunas_complete(prefix, official, max < 64 ? max : 64);
    for (size_t i = 0; i < n && i < max && i < 64; i++)
        out[got++] = official[i]->name;
    n = got;
    for (size_t i = 0; i < nknown && got < max; i++)
        if (known[i] && known_completes(known[i], key, len) &&
            !folded_among(known[i], out, n, got))
            out[got++] = known[i];
    return got;
}

void searchq_degree_bounds(double lat, double km, double *dlat, double *dlng)
{
    /* A degree of latitude is at least 110.57 km, one of longitude at
     * least 111.32 km × cos(lat) on the ellipsoid: 110 and 111 are safe. */
    double far;

    *dlat = km / 110.0;
    far = fabs(lat) + *dlat;
    *dlng = far >= 89.9 ? 180 : km / (111.0 * cos(far * M_PI / 180));
    if (*dlng > 180)
        *dlng = 180;
}

/* The spheroid distance in metres from the point ($lng, $lat) to a point
 * expression: what ST_Distance(geography) computes for two points (the same
 * geodesic, to 1e-8 m), without the geography cast, whose first use in a
 * session looks the SRID up through PROJ (tens of ms per connection). */
static void spheroid_distance(struct sb *c, const char *point, int plng,
                              int plat)
{
    sb_addf(c, "ST_DistanceSpheroid(%s, ST_SetSRID(ST_MakePoint($%d::float8, "
               "$%d::float8), 4326), 'SPHEROID[\"WGS 84\",6378137,"
               "298.257223563]')", point, plng, plat);
}

static void add_near(struct builder *b, const struct target *t,
                     const struct searchq_filter *f)
{
    double lat, lng, km, dlat, dlng;
    int plat, plng, pm, pa, pb;
    struct sb d = { 0 };

    parse_num(f->near_lat, &lat);
    parse_num(f->near_lng, &lng);
    parse_num(f->radius_km, &km);
    searchq_degree_bounds(lat, km, &dlat, &dlng);
    plat = paramf(b, "%.15g", lat);
    plng = paramf(b, "%.15g", lng);
    pm = paramf(b, "%.15g", km * 1000);
    if (t->geom) {
        pa = paramf(b, "%.17g", dlng);
        pb = paramf(b, "%.17g", dlat);
        /* geom && box: the GIST index, typed column or not. Then the exact
         * distance, a filter only: ST_DWithin(geography) would be as exact,
         * but its estimate, multiplied by the box's, makes the planner
         * expect a handful of rows and sort them all instead of walking
         * the sort column's index. */
        cond(b, "\"geom\" && ST_Expand(ST_SetSRID(ST_MakePoint($%d::float8, "
                "$%d::float8), 4326), $%d::float8, $%d::float8)",
             plng, plat, pa, pb);
        spheroid_distance(&d, "\"geom\"", plng, plat);
    } else {
        pa = paramf(b, "%.17g", lat - dlat);
        pb = paramf(b, "%.17g", lat + dlat);
        cond(b, "\"lat\" BETWEEN $%d::float8 AND $%d::float8", pa, pb);
        pa = paramf(b, "%.17g", lng - dlng);
        pb = paramf(b, "%.17g", lng + dlng);
        cond(b, "\"lng\" BETWEEN $%d::float8 AND $%d::float8", pa, pb);
        spheroid_distance(&d, "ST_SetSRID(ST_MakePoint(\"lng\", \"lat\"), "
                              "4326)", plng, plat);
    }
    cond(b, "%s <= $%d::float8", d.s, pm);
    free(d.s);
}

static void add_filters(struct builder *b, const struct searchq_filter *f)
{
    const struct target *t = &targets[f->target];

    if (filled(f->comuna))
        add_comuna(b, t, f->comuna);
    if (filled(f->region))
        add_region(b, f);
    add_dates(b, t, f);
    add_range(b, "\"anio\"", f->anio_min, f->anio_max, "integer");
    add_range(b, t->price, f->price_min, f->price_max, "bigint");
    add_range(b, t->surface, f->surface_min, f->surface_max, "float8");
    if (filled(f->property_type))
        cond(b, "\"propertyType\" = $%d::\"PropertyType\"",
             param(b, f->property_type));
    if (filled(f->status) && f->target == SEARCHQ_LISTING)
        cond(b, "\"isActive\" = $%d::boolean",
             param(b, strcmp(f->status, "active") == 0 ? "true" : "false"));
    else if (filled(f->status))
        cond(b, "\"status\" = $%d::\"PropertyStatus\"", param(b, f->status));
    if (filled(f->rol))
        add_rol(b, f->rol);
    if (filled(f->cbr))
        cond(b, "lower(\"cbr\") = lower($%d)", param(b, f->cbr));
    if (filled(f->text))
        add_text(b, t, f->text);
    if (filled(f->near_lat))
        add_near(b, t, f);
}

/* The keyset condition: rows after the cursor in the sort order. */
static char *keyset(struct builder *b, const struct searchq_filter *f,
                    const struct sortcol *s)
{
    int pv = param(b, f->after_value), pid = param(b, f->after_id);

    return xasprintf("(%s, \"id\") %c ($%d::%s, $%d)", s->expr,
                     f->desc ? '<' : '>', pv, s->cast, pid);
}

/* Rows within a radius, a page sorted by an indexed column. The planner
 * chooses between walking the sort column's index and sorting every row of
 * the circle on its estimate of the box, which can be five times too low,
 * and then sorts 20,000 rows where 3,000 index entries would do. So the
 * walk is tried first, over at most SEARCHQ_WALK rows; only when it finds
 * less than a page (for 50 rows: the circle holds under 1% of the table,
 * few rows to sort) does the plain search run. The walk's rows are the
 * first matches in the sort order, so both give the same page. */
static void build_walk(struct builder *b, const struct searchq_filter *f,
                       const struct sortcol *s, struct sb *sql)
{
    const struct target *t = &targets[f->target];
    const char *dir = f->desc ? " DESC" : "";
    const char *where = b->where.s ? b->where.s : "";
    char *after = f->after_value ? keyset(b, f, s) : NULL;
    long n = f->limit > 0 ? f->limit : 50;
    char *order = xasprintf("ORDER BY %s%s, \"id\"%s", s->expr, dir, dir);

    sb_addf(sql, "WITH walk AS MATERIALIZED (\nSELECT %s\nFROM (SELECT * FROM "
                 "%s%s%s %s LIMIT %ld) w%s\n%s\nLIMIT %ld)\n",
            t->select, t->table, after ? " WHERE " : "", after ? after : "",
            order, (long)SEARCHQ_WALK, where, order, n);
    sb_addf(sql, "SELECT * FROM walk WHERE (SELECT count(*) FROM walk) = %ld"
                 "\nUNION ALL\n(SELECT %s\nFROM %s%s%s%s\n  AND (SELECT "
                 "count(*) FROM walk) < %ld\n%s\nLIMIT %ld)\n%s\nLIMIT %ld",
            n, t->select, t->table, where, after ? "\n  AND " : "",
            after ? after : "", n, order, n, order, n);
    free(after);
    free(order);
}

static void build_page(struct builder *b, const struct searchq_filter *f,
                       enum searchq_kind kind, struct sb *sql)
{
    const struct target *t = &targets[f->target];
    const struct sortcol *s = find_sort(f);
    const char *dir = f->desc ? " DESC" : "";

    /* A page of over 5% of the walk would rarely be found by it. */
    if (kind == SEARCHQ_PAGE && t->geom && s->indexed && filled(f->near_lat) &&
        f->limit * 20 <= SEARCHQ_WALK) {
        build_walk(b, f, s, sql);
        return;
    }
    if (kind == SEARCHQ_PAGE && f->after_value) {
        char *after = keyset(b, f, s);

        cond(b, "%s", after);
        free(after);
    }
    sb_addf(sql, "SELECT %s\nFROM %s%s\nORDER BY %s%s, \"id\"%s", t->select,
            t->table, b->where.s ? b->where.s : "", s->expr, dir, dir);
    if (kind == SEARCHQ_PAGE)
        sb_addf(sql, "\nLIMIT %ld", f->limit > 0 ? f->limit : 50);
}

static void build_aggregate(struct builder *b, const struct searchq_filter *f,
                            enum searchq_kind kind, struct sb *sql)
{
    const struct target *t = &targets[f->target];
    const char *where = b->where.s ? b->where.s : "";

    if (kind == SEARCHQ_COUNT) {
        sb_addf(sql, "SELECT count(*) AS count FROM (SELECT 1 FROM %s%s\n"
                     "LIMIT %d) s", t->table, where, SEARCHQ_COUNT_CAP + 1);
        return;
    }
    sb_addf(sql, "SELECT count(*) AS count,\n"
                 "  percentile_cont(0.5) WITHIN GROUP (ORDER BY %s) AS "
                 "median_price,\n"
                 "  percentile_cont(0.5) WITHIN GROUP (ORDER BY %s / "
                 "NULLIF(%s, 0)) AS median_price_m2\nFROM %s%s",
            t->price, t->price, t->surface, t->table, where);
}

bool searchq_build(const struct searchq_filter *f, enum searchq_kind kind,
                   struct searchq *out)
{
    struct searchq_error err[1];
    struct builder b = { { 0 }, NULL, 0 };
    struct sb sql = { 0 };

    memset(out, 0, sizeof *out);
    if (searchq_validate(f, err, 1))
        return false;
    add_filters(&b, f);
    if (kind == SEARCHQ_PAGE || kind == SEARCHQ_ALL)
        build_page(&b, f, kind, &sql);
    else
        build_aggregate(&b, f, kind, &sql);
    free(b.where.s);
    out->sql = sql.s;
    out->nparams = b.n;
    out->params = b.params;
    return true;
}

void searchq_free(struct searchq *q)
{
    for (int i = 0; i < q->nparams; i++)
        free(q->params[i]);
    free(q->params);
    free(q->sql);
    memset(q, 0, sizeof *q);
}

const char *const *searchq_sortable(enum searchq_target t)
{
    return targets[t].sortnames;
}

const char *searchq_table(enum searchq_target t)
{
    return targets[t].table;
}

int searchq_target_parse(const char *s)
{
    if (strcmp(s, "referenciales") == 0)
        return SEARCHQ_REFERENCIALES;
    if (strcmp(s, "property") == 0 || strcmp(s, "Property") == 0)
        return SEARCHQ_PROPERTY;
    if (strcmp(s, "listing") == 0 || strcmp(s, "PropertyListing") == 0)
        return SEARCHQ_LISTING;
    return -1;
}

const char *searchq_cursor_value(const struct searchq_filter *f,
                                 const char *cell)
{
    const struct sortcol *s = find_sort(f);

    if (!cell && s && s->stand_in)
        return s->stand_in;
    return cell;
}
