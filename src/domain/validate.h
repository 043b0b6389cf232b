/* Moderation rules for referenciales rows (DOMAIN.md, "Chilean
 * identifiers"): each row is judged against a context the caller builds
 * (today's date, the ROL pattern, the known CBRs, price statistics) and
 * yields findings with a translatable message and, where there is one, a
 * suggested fix. Pure: nothing reads the clock or the database. */
#ifndef DEGUX_VALIDATE_H
#define DEGUX_VALIDATE_H

#include <regex.h>
#include <stdbool.h>
#include <stddef.h>

enum validate_severity { VALIDATE_INFO, VALIDATE_WARNING, VALIDATE_ERROR };

enum validate_fix {
    VALIDATE_FIX_NONE,
    VALIDATE_FIX_VALUE,  /* fix_text is the field's corrected value */
    VALIDATE_FIX_LATLNG, /* fix_lat and fix_lng are the corrected lat, lng */
    VALIDATE_FIX_SQL,    /* fix_text is an SQL expression over the row's own
                            columns; a constant of this module, never data */
};

#define VALIDATE_ARGS 5
#define VALIDATE_ARG_SIZE 96
#define VALIDATE_FIX_SIZE 128
/* More than any row can produce: every rule once plus a few RUTs. */
#define VALIDATE_MAX_FINDINGS 32

struct finding {
    const char *rule;  /* stable id, e.g. "rol_format" (validate_rules()) */
    const char *field; /* column: "rol"; "lat,lng" for coordinates */
    enum validate_severity severity;
    const char *msgid; /* untranslated, with %s or %N$s for args */
    int nargs;
    char args[VALIDATE_ARGS][VALIDATE_ARG_SIZE]; /* values, cut to fit */
    enum validate_fix fix;
    char fix_text[VALIDATE_FIX_SIZE];
    double fix_lat, fix_lng;
};

struct validate_date {
    int year, month, day;
};

/* One referenciales row as the server returns it: text columns as text
 * (NULL is read as empty), numbers parsed by the caller, and what the
 * server computed about geom and duplicates. */
struct referencial_row {
    const char *id;
    double lat, lng;
    const char *fojas;
    int numero, anio;
    const char *cbr, *comprador, *vendedor, *predio, *comuna, *rol;
    const char *fechaescritura; /* 'YYYY-MM-DD HH:MM:SS.mmm', as printed */
    double superficie;
    long long monto;
    bool monto_null;
    const char *user_id; /* NULL for rows scraped without a user */
    bool geom_null;
    double geom_lat, geom_lng; /* ST_Y(geom), ST_X(geom) */
    int geom_srid;             /* ST_SRID(geom): 0 when it has none */
    long duplicates; /* rows with this (cbr, fojas, numero, anio), this one
                        included (count(*) over the partition); 0 = unknown */
};

/* Price per m² (monto / superficie, CLP) of one kind of property in one
 * comuna, from the caller's SQL: percentile_cont(array[0.25, 0.5, 0.75])
 * within group (...). Land costs a fraction of a built m², so a row is
 * compared with rows of its own kind (validate_property_kind): first in
 * its comuna, then, where the comuna has too few, in the whole country. */
struct validate_price_stats {
    const char *comuna; /* as stored in referenciales.comuna; NULL: every
                           comuna (the country's statistics for kind) */
    double q1, median, q3;
    long n;           /* rows behind the quartiles */
    const char *kind; /* validate_property_kind(); NULL or "": every kind */
};

struct validate_cbr;

/* Build with validate_ctx_init, configure with the setters, release with
 * validate_ctx_free. The thresholds may be changed directly. */
struct validate_ctx {
    struct validate_date today; /* for "not in the future" and anio */
    double far_km;     /* a point this close to its comuna's seat is fine */
    double far_factor; /* ...and so is one within this many times the
                          distance from the seat to the nearest other seat */
    double far_max_km; /* ...but never beyond this: island comunas have
                          their nearest neighbour hundreds of km away */
    double geom_tolerance; /* degrees between geom and (lng, lat) */
    double price_fence; /* outlier: beyond this many interquartile ranges
                           (of the logarithm) outside the quartiles */
    long price_min_n;   /* groups with fewer rows are not judged */
    /* Private: set through the functions. */
    regex_t rol_re;
    char *rol_pattern;
    struct validate_cbr *cbrs, *cbr_keys;
    size_t ncbrs;
    struct validate_price_stats *prices;
    size_t nprices;
};

/* The seed's canonical ROL: 12345-0001. */
#define VALIDATE_ROL_DEFAULT "^[0-9]{5}-[0-9]{4}$"

/* Defaults: the seed's ROL pattern, 30 km, factor 2, at most 150 km, 1e-6
 * degrees, fence 3 (Tukey's "far out"), 10 rows; no CBR list and no price
 * statistics, so those rules are skipped until set. */
void validate_ctx_init(struct validate_ctx *ctx, struct validate_date today);
/* POSIX extended regex; \d \D \s \S \w as PostgreSQL writes them are
 * accepted outside brackets. NULL or "" restores the default. On error the
 * previous pattern stays and *error (if not NULL) gets a message the
 * caller frees. */
bool validate_ctx_set_rol_pattern(struct validate_ctx *ctx,
                                  const char *pattern, char **error);
/* The registry offices' names (conservadores.nombre), copied. */
void validate_ctx_set_cbrs(struct validate_ctx *ctx, const char *const *names,
                           size_t n);
/* Per-comuna statistics, copied. */
void validate_ctx_set_price_stats(struct validate_ctx *ctx,
                                  const struct validate_price_stats *stats,
                                  size_t n);
void validate_ctx_free(struct validate_ctx *ctx);
const char *validate_ctx_rol_pattern(const struct validate_ctx *ctx);

/* Judges a row: writes at most max findings (in field order) into out and
 * returns how many there are in total, like snprintf. */
int validate_referencial(const struct referencial_row *row,
                         const struct validate_ctx *ctx, struct finding *out,
                         int max);

/* The finding's message in the current language, arguments in place;
 * the caller frees it. */
char *validate_finding_message(const struct finding *f);
/* The suggested fix as text for display ("" when there is none); the
 * caller frees it. */
char *validate_finding_fix(const struct finding *f);
/* "info", "warning", "error": untranslated, pass through _(). */
const char *validate_severity_name(enum validate_severity s);

/* Every rule: id, the field it judges, its worst severity and a title
 * (untranslated, pass through _()). */
struct validate_rule {
    const char *id;
    const char *field;
    enum validate_severity severity;
    const char *title;
};
const struct validate_rule *validate_rules(size_t *n);

/* The kind of property a predio describes, as price statistics group it:
 * its first run of ASCII letters, lower-cased ("Parcela 3, proyecto..." ->
 * "parcela"); "" when it has none. SQL_VALIDATE_PRICES computes the same
 * key with lower(substring(predio from '[A-Za-z]+')). */
void validate_property_kind(const char *predio, char *out, size_t size);

/* Whether a stored comuna spelling names the comuna a user asked for,
 * however either is spelt: through the official names when wanted is (or
 * is close to) one, else by folded text (case, accents, spacing). The
 * rule of `validate --comuna` and the moderation pane's filter. */
bool validate_comuna_selects(const char *wanted, const char *stored);

/* Single checks, for the search pane and the edit form. */
bool validate_rol_matches(const struct validate_ctx *ctx, const char *rol);
/* The canonical form of a ROL written with other separators, padding or
 * spaces ("12345 1" -> "12345-0001") if that form matches the pattern. */
bool validate_rol_normalize(const struct validate_ctx *ctx, const char *rol,
                            char *out, size_t size);
bool validate_fojas_ok(const char *fojas);
/* Reads 'YYYY-MM-DD' with an optional time ('T' or ' ', seconds and
 * fraction optional) as PostgreSQL prints a timestamp; "infinity" is
 * year 9999-12-31. False for anything else or an impossible date. */
bool validate_date_parse(const char *text, struct validate_date *out);

/* RUT (Rol Único Tributario). */
enum rut_status {
    RUT_OK,
    RUT_BAD_DIGIT, /* well formed, wrong check digit */
    RUT_MALFORMED,
};
/* Modulo-11 check digit of a RUT body: '0'-'9' or 'K'. */
char validate_rut_check_digit(long body);
/* Parses a whole RUT: "12.345.678-5", "12345678-K", "12345678k",
 * "123456785"; blanks around it allowed, dots only in groups of three.
 * *body and *dv (upper case) are set unless MALFORMED. */
enum rut_status validate_rut_parse(const char *s, long *body, char *dv);
/* "12.345.678-5" */
void validate_rut_format(long body, char dv, char *out, size_t size);

/* A RUT-looking token inside free text such as a buyer's name: with a
 * dash ("12.345.678-5", "12345678-5") or a trailing K ("12345678K"). */
struct rut_token {
    size_t offset, len;
    long body;
    char dv;
    enum rut_status status;
};
/* Writes at most max tokens; returns how many there are. */
size_t validate_rut_find(const char *text, struct rut_token *out, size_t max);

#endif
