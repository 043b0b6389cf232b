/* Chile's 346 comunas (CUT code, official name, province, region, seat),
 * a lookup and completion that forgive case, accents and spacing, and the
 * geography the validators need: Chile's outline and distances. Pure. */
#ifndef DEGUX_COMUNAS_H
#define DEGUX_COMUNAS_H

#include <stdbool.h>
#include <stddef.h>

struct comuna {
    int cut;               /* Código Único Territorial: 13120 */
    const char *name;      /* official spelling, UTF-8: "Ñuñoa" */
    const char *key;       /* name as comunas_fold() folds it: "nunoa" */
    const char *provincia;
    const char *region;    /* short name: "Metropolitana de Santiago" */
    int region_code;       /* 1-16 */
    double lat, lng;       /* the seat (cabecera comunal), WGS84 degrees */
    double neighbour_km;   /* distance to the nearest other comuna's seat */
};

/* The table, in the official (CUT list) order, and two orders of its
 * indexes for binary search: by name and by key, both in strcmp order.
 * Generated into comunas_data.c by data/gen-comunas.awk. */
extern const size_t comunas_count;
extern const struct comuna comunas_table[];
extern const unsigned short comunas_by_name[];
extern const unsigned short comunas_by_key[];

/* The longest name a lookup considers, in bytes; longer input is unknown. */
#define COMUNAS_NAME_MAX 64

/* Folds s for comparison without locale functions: ASCII letters to lower
 * case, accented Latin letters (UTF-8 á, Ñ, ü...) to their base letter,
 * typographic apostrophes to ', runs of white space (including no-break
 * space) to one space, none at either end. Other bytes are kept. Writes at
 * most size - 1 bytes and a NUL (size may be 0 with out NULL) and returns
 * the folded length, like snprintf; it never exceeds strlen(s). */
size_t comunas_fold(const char *s, char *out, size_t size);

enum comunas_match {
    COMUNAS_NONE,   /* not a comuna, nothing close enough to suggest */
    COMUNAS_EXACT,  /* the official spelling */
    COMUNAS_FOLDED, /* same letters; case, accents or spacing differ */
    COMUNAS_CLOSE,  /* one comuna within edit distance 2 of the folded form */
};

/* Finds a comuna by name; *out (may be NULL) gets it unless NONE. NULL
 * name is NONE. */
enum comunas_match comunas_lookup(const char *name, const struct comuna **out);

/* The comuna with that CUT code, or NULL. */
const struct comuna *comunas_by_cut(int cut);

/* Completion, accent- and case-insensitive: comunas whose name starts with
 * prefix (in key order), then those with a later word starting with it
 * ("angeles" finds Los Ángeles). Writes at most max into out and returns
 * how many match in total. An empty prefix matches every comuna. */
size_t comunas_complete(const char *prefix, const struct comuna **out,
                        size_t max);

/* Levenshtein distance between two byte strings, or limit + 1 when it is
 * larger than limit (or a string is longer than COMUNAS_NAME_MAX). */
int comunas_edit_distance(const char *a, const char *b, int limit);

/* Whether a WGS84 point is in Chile: the continental territory and its
 * coastal islands (a simplified outline that follows the borders with
 * Peru, Bolivia and Argentina to within a few km), Rapa Nui, Salas y Gómez,
 * the Juan Fernández and the Desventuradas islands. The Antarctic claim is
 * not included. Non-finite input is outside. */
bool comunas_in_chile(double lat, double lng);

/* Great-circle distance in km between two WGS84 points (haversine). */
double comunas_distance_km(double lat1, double lng1, double lat2,
                           double lng2);

#endif
