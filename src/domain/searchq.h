/* The search pane's query builder: a filter form's text fields become one
 * SQL statement with $n placeholders and its parameter values, with keyset
 * pagination (never OFFSET). Form validation too. Pure: user text only ever
 * lands in the parameters, never in the SQL. */
#ifndef DEGUX_SEARCHQ_H
#define DEGUX_SEARCHQ_H

#include <stdbool.h>
#include <stddef.h>

enum searchq_target {
    SEARCHQ_REFERENCIALES,
    SEARCHQ_PROPERTY,
    SEARCHQ_LISTING, /* "PropertyListing" */
};

/* Every field is the text the user typed; NULL or "" means "no filter". */
struct searchq_filter {
    enum searchq_target target;
    const char *comuna, *region;
    const char *date_from, *date_to;   /* YYYY-MM-DD, both inclusive */
    const char *anio_min, *anio_max;   /* referenciales */
    const char *price_min, *price_max; /* monto, or price */
    const char *surface_min, *surface_max;
    /* Property / PropertyListing; a listing's status: active, inactive */
    const char *property_type, *status;
    const char *rol;                   /* exact, or a prefix ending in '*' */
    const char *cbr;
    const char *text;                  /* free text, matched literally */
    const char *near_lat, *near_lng, *radius_km;
    const char *sort;                  /* a column of searchq_sortable() */
    bool desc;
    long limit;                        /* page size; 0: 50 */
    /* Keyset cursor: the last row's sort value (searchq_cursor_value) and
     * id. Both NULL on the first page. */
    const char *after_value, *after_id;
};

struct searchq_error {
    const char *field; /* the filter field: "near_lat", "date_from"... */
    const char *msgid; /* untranslated message */
};

#define SEARCHQ_MAX_ERRORS 24

/* Checks every field; returns how many are wrong (at most max written to
 * errs). A filter with errors must not be built. */
size_t searchq_validate(const struct searchq_filter *f,
                        struct searchq_error *errs, size_t max);

enum searchq_kind {
    SEARCHQ_PAGE,    /* one page, keyset from the cursor */
    SEARCHQ_ALL,     /* every matching row, sorted (export) */
    SEARCHQ_COUNT,   /* count(*) of at most SEARCHQ_COUNT_CAP + 1 rows */
    SEARCHQ_SUMMARY, /* count, median monto, median CLP/m² (referenciales) */
};

#define SEARCHQ_COUNT_CAP 10000
/* A radius page walks the sort column's index over at most this many rows
 * before it searches the circle instead (see build_walk in searchq.c). */
#define SEARCHQ_WALK 5000

struct searchq {
    char *sql;
    int nparams;
    char **params;
};

/* Builds the statement for a valid filter (see searchq_validate); false
 * when the filter is invalid. Free with searchq_free. */
bool searchq_build(const struct searchq_filter *f, enum searchq_kind kind,
                   struct searchq *out);
void searchq_free(struct searchq *q);

/* The sortable columns of a target, NULL-terminated; the first one is the
 * default sort. */
const char *const *searchq_sortable(enum searchq_target t);
/* The table name as written in SQL ("referenciales", "\"Property\""). */
const char *searchq_table(enum searchq_target t);
/* The target named by s ("referenciales", "property", "listing"), or -1. */
int searchq_target_parse(const char *s);

/* The cursor value for a row whose sort column holds cell (NULL for SQL
 * NULL): nullable sort columns are ordered by a stand-in value. */
const char *searchq_cursor_value(const struct searchq_filter *f,
                                 const char *cell);

/* s escaped for LIKE/ILIKE with the default escape (backslash): %, _ and \
 * are preceded by a backslash. Caller frees. */
char *searchq_like_escape(const char *s);

/* The comuna field's completions of prefix, accent- and case-insensitive:
 * the official comunas (comunas_complete's order), then the database's own
 * spellings (known, sorted) that are no official comuna. Writes at most max
 * names into out (pointers into the comunas table or known) and returns how
 * many it wrote. An empty prefix completes nothing. */
size_t searchq_complete_comuna(const char *prefix, const char *const *known,
                               size_t nknown, const char **out, size_t max);

/* Degrees of latitude and longitude that surely contain every point within
 * km of (lat, lng) on the WGS84 ellipsoid. */
void searchq_degree_bounds(double lat, double km, double *dlat, double *dlng);

#endif
