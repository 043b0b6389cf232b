/* Comunas: folding names the way people misspell them, lookup, completion,
 * and Chile's outline for "is this point in Chile". The table itself is
 * generated into comunas_data.c. */
#include "autoconfig.h"

#include "domain/comunas.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Base letters of U+00C0..U+00FF (the second byte of UTF-8 C3 80..BF);
 * 0 keeps the character (Æ, Ð, ×, Þ, ß, ÷...). */
static const char latin1_base[64] = {
    'a', 'a', 'a', 'a', 'a', 'a', 0,   'c', 'e', 'e', 'e', 'e', 'i',
    'i', 'i', 'i', 0,   'n', 'o', 'o', 'o', 'o', 'o', 0,   'o', 'u',
    'u', 'u', 'u', 'y', 0,   0,   'a', 'a', 'a', 'a', 'a', 'a', 0,
    'c', 'e', 'e', 'e', 'e', 'i', 'i', 'i', 'i', 0,   'n', 'o', 'o',
    'o', 'o', 'o', 0,   'o', 'u', 'u', 'u', 'u', 'y', 0,   'y',
};

/* One folded character starting at p (NUL-terminated); *used gets how many
 * bytes it took. Multi-byte checks stop at the NUL, which matches nothing. */
static int fold_char(const unsigned char *p, size_t *used)
{
    *used = 1;
    if (*p >= 'A' && *p <= 'Z')
        return *p - 'A' + 'a';
    if (*p == ' ' || (*p >= '\t' && *p <= '\r'))
        return ' ';
    if (*p == '`')
        return '\'';
    if (p[0] == 0xC3 && p[1] >= 0x80 && p[1] <= 0xBF &&
        latin1_base[p[1] - 0x80]) {
        *used = 2;
        return latin1_base[p[1] - 0x80];
    }
    if (p[0] == 0xC2 && (p[1] == 0xA0 || p[1] == 0xB4)) {
        *used = 2;
        return p[1] == 0xA0 ? ' ' : '\'';
    }
    if (p[0] == 0xE2 && p[1] == 0x80 && (p[2] == 0x98 || p[2] == 0x99)) {
        *used = 3;
        return '\'';
    }
    return *p;
}

static void put_byte(char *out, size_t size, size_t at, int c)
{
    if (at + 1 < size)
        out[at] = (char)c;
}

size_t comunas_fold(const char *s, char *out, size_t size)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n = 0, used;
    bool space = false;

    while (*p) {
        int c = fold_char(p, &used);

        p += used;
        if (c == ' ') {
            space = n > 0;
            continue;
        }
        if (space)
            put_byte(out, size, n++, ' ');
        space = false;
        put_byte(out, size, n++, c);
    }
    if (size)
        out[n < size ? n : size - 1] = '\0';
    return n;
}

static const char *entry_text(unsigned short i, bool by_key)
{
    return by_key ? comunas_table[i].key : comunas_table[i].name;
}

/* First position in the order whose text is not below s. */
static size_t lower_bound(bool by_key, const char *s)
{
    const unsigned short *order = by_key ? comunas_by_key : comunas_by_name;
    size_t lo = 0, hi = comunas_count;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;

        if (strcmp(entry_text(order[mid], by_key), s) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static const struct comuna *find_sorted(bool by_key, const char *s)
{
    const unsigned short *order = by_key ? comunas_by_key : comunas_by_name;
    size_t at = lower_bound(by_key, s);

    if (at < comunas_count && strcmp(entry_text(order[at], by_key), s) == 0)
        return &comunas_table[order[at]];
    return NULL;
}

int comunas_edit_distance(const char *a, const char *b, int limit)
{
    int row[COMUNAS_NAME_MAX + 1];
    int la = (int)strnlen(a, COMUNAS_NAME_MAX + 1);
    int lb = (int)strnlen(b, COMUNAS_NAME_MAX + 1);

    if (la > COMUNAS_NAME_MAX || lb > COMUNAS_NAME_MAX || abs(la - lb) > limit)
        return limit + 1;
    for (int j = 0; j <= lb; j++)
        row[j] = j;
    for (int i = 1; i <= la; i++) {
        int diag = row[0], best = i;

        row[0] = i;
        for (int j = 1; j <= lb; j++) {
            int up = row[j];
            int cost = diag + (a[i - 1] != b[j - 1]);

            cost = cost < up + 1 ? cost : up + 1;
            row[j] = cost < row[j - 1] + 1 ? cost : row[j - 1] + 1;
            diag = up;
            best = row[j] < best ? row[j] : best;
        }
        if (best > limit) /* every later row is at least this */
            return limit + 1;
    }
    return row[lb] <= limit ? row[lb] : limit + 1;
}

/* The one comuna nearest to key by edit distance, if it is close both in
 * absolute terms (2 edits) and relative to the length (so "ab" does not
 * become "Lota"), and no other comuna is as close. */
static const struct comuna *closest(const char *key)
{
    const struct comuna *best = NULL;
    int best_d = 3, ties = 0, len = (int)strlen(key);

    for (size_t i = 0; i < comunas_count; i++) {
        int d = comunas_edit_distance(key, comunas_table[i].key, 2);

        if (d < best_d) {
            best_d = d;
            best = &comunas_table[i];
            ties = 0;
        } else if (d == best_d) {
            ties++;
        }
    }
    if (!best || ties || best_d * 3 > len)
        return NULL;
    return best;
}

enum comunas_match comunas_lookup(const char *name, const struct comuna **out)
{
    char key[COMUNAS_NAME_MAX + 1];
    const struct comuna *c;
    enum comunas_match m = COMUNAS_NONE;

    if (!name)
        return COMUNAS_NONE;
    if ((c = find_sorted(false, name)))
        m = COMUNAS_EXACT;
    else if (comunas_fold(name, key, sizeof key) > COMUNAS_NAME_MAX)
        return COMUNAS_NONE;
    else if ((c = find_sorted(true, key)))
        m = COMUNAS_FOLDED;
    else if ((c = closest(key)))
        m = COMUNAS_CLOSE;
    if (out && c)
        *out = c;
    return m;
}

const struct comuna *comunas_by_cut(int cut)
{
    for (size_t i = 0; i < comunas_count; i++)
        if (comunas_table[i].cut == cut)
            return &comunas_table[i];
    return NULL;
}

/* Whether a word after the first of key starts with prefix. */
static bool later_word_starts(const char *key, const char *prefix,
                              size_t len)
{
    for (const char *sp = strchr(key, ' '); sp; sp = strchr(sp + 1, ' '))
        if (strncmp(sp + 1, prefix, len) == 0)
            return true;
    return false;
}

size_t comunas_complete(const char *prefix, const struct comuna **out,
                        size_t max)
{
    char key[COMUNAS_NAME_MAX + 1];
    size_t len = comunas_fold(prefix ? prefix : "", key, sizeof key);
    size_t total = 0, i;

    if (len > COMUNAS_NAME_MAX)
        return 0;
    for (i = lower_bound(true, key); i < comunas_count; i++) {
        const struct comuna *c = &comunas_table[comunas_by_key[i]];

        if (strncmp(c->key, key, len) != 0)
            break;
        if (total < max)
            out[total] = c;
        total++;
    }
    for (i = 0; i < comunas_count && len; i++) {
        const struct comuna *c = &comunas_table[comunas_by_key[i]];

        if (strncmp(c->key, key, len) == 0 ||
            !later_word_starts(c->key, key, len))
            continue;
        if (total < max)
            out[total] = c;
        total++;
    }
    return total;
}

/* Geography. Points are (lat, lng) in WGS84 degrees. */
struct geo_point {
    double lat, lng;
};

/* Continental Chile and its coastal islands, clockwise from the maritime
 * boundary with Peru: the land borders follow the Andes passes and peaks
 * named below (to within a few km, keeping Chilean border towns inside and
 * the neighbouring ones out); the sea side is open ocean, so it is a
 * meridian well west of the outermost islands. */
static const struct geo_point chile_outline[] = {
    { -18.36, -77.00 }, /* the sea boundary with Peru, offshore */
    { -18.35, -70.37 }, /* Concordia: the Peru border meets the coast */
    { -17.50, -69.48 }, /* tripoint with Peru and Bolivia, by Visviri */
    { -18.20, -69.05 }, /* Parinacota, Chungará */
    { -19.00, -68.85 }, { -19.30, -68.50 }, /* Isluga, Colchane */
    { -20.00, -68.40 }, { -21.30, -68.10 }, /* Coipasa, Ollagüe */
    { -22.00, -67.90 }, { -22.83, -67.85 }, /* Licancabur */
    { -22.82, -67.18 }, /* Zapaleri: tripoint with Bolivia and Argentina */
    { -23.25, -67.00 }, { -23.80, -67.20 }, /* Paso de Jama, Paso Sico */
    { -24.40, -68.20 }, { -24.72, -68.50 }, /* Socompa, Llullaillaco */
    { -25.50, -68.35 }, { -26.90, -68.30 }, /* Paso San Francisco */
    { -27.11, -68.50 }, { -28.00, -69.00 }, /* Ojos del Salado */
    { -29.00, -69.75 }, { -30.20, -69.78 }, /* Paso Agua Negra */
    { -31.00, -70.15 }, { -32.00, -70.20 },
    { -32.83, -70.03 }, { -33.36, -69.75 }, /* Cristo Redentor, Tupungato */
    { -34.50, -70.10 }, { -35.20, -70.50 },
    { -36.00, -70.35 }, { -37.00, -70.85 }, /* Paso Pehuenche */
    { -37.50, -71.08 }, { -38.66, -70.85 }, /* Pichachén, Pino Hachado */
    { -39.60, -71.45 }, { -40.70, -71.90 }, /* Lanín, Cardenal Samoré */
    { -43.20, -71.68 }, { -44.50, -71.45 }, /* Futaleufú */
    { -45.50, -71.55 }, { -46.00, -71.50 }, /* Coyhaique Alto */
    { -46.55, -71.67 }, /* between Chile Chico and Los Antiguos */
    { -47.20, -71.88 }, { -48.50, -72.30 }, /* Paso Roballos */
    { -49.30, -72.98 }, /* Fitz Roy, west of El Chaltén */
    { -50.50, -73.15 }, /* the ice field, west of El Calafate */
    { -51.00, -72.30 }, { -51.25, -72.22 }, /* Cerro Castillo */
    { -51.55, -72.38 }, /* west of Río Turbio */
    { -52.00, -71.95 }, { -52.00, -70.00 }, /* along the 52nd parallel */
    { -52.15, -69.50 }, { -52.40, -68.43 }, /* Monte Aymond, Dungeness */
    { -52.66, -68.61 }, /* Cabo Espíritu Santo, Tierra del Fuego */
    { -54.88, -68.61 }, /* the border meridian reaches the Beagle Channel */
    { -54.88, -66.40 }, /* Navarino, Picton, Nueva, Lennox */
    { -56.60, -66.40 }, /* Cabo de Hornos, Diego Ramírez */
    { -56.60, -77.00 },
};

struct geo_box {
    double lat_min, lat_max, lng_min, lng_max;
};

/* The oceanic islands, each in a box that holds the whole island. */
static const struct geo_box chile_islands[] = {
    { -27.25, -27.00, -109.50, -109.20 }, /* Rapa Nui */
    { -26.52, -26.42, -105.42, -105.30 }, /* Salas y Gómez */
    { -33.80, -33.55, -79.00, -78.70 },   /* Robinson Crusoe, Santa Clara */
    { -33.85, -33.70, -80.85, -80.70 },   /* Alejandro Selkirk */
    { -26.40, -26.25, -80.15, -79.85 },   /* San Félix, San Ambrosio */
};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* Even-odd ray casting along the parallel through the point. */
static bool outline_contains(double lat, double lng)
{
    const struct geo_point *v = chile_outline;
    size_t n = NELEM(chile_outline);
    bool in = false;

    for (size_t i = 0, j = n - 1; i < n; j = i++) {
        if ((v[i].lat > lat) != (v[j].lat > lat) &&
            lng < (v[j].lng - v[i].lng) * (lat - v[i].lat) /
                          (v[j].lat - v[i].lat) +
                      v[i].lng)
            in = !in;
    }
    return in;
}

static bool box_contains(const struct geo_box *b, double lat, double lng)
{
    return lat >= b->lat_min && lat <= b->lat_max && lng >= b->lng_min &&
           lng <= b->lng_max;
}

bool comunas_in_chile(double lat, double lng)
{
    if (!isfinite(lat) || !isfinite(lng) || lat > -17.4 || lat < -56.7 ||
        lng < -109.6 || lng > -66.3)
        return false;
    for (size_t i = 0; i < NELEM(chile_islands); i++)
        if (box_contains(&chile_islands[i], lat, lng))
            return true;
    return outline_contains(lat, lng);
}

static double radians(double deg)
{
    return deg * (M_PI / 180.0);
}

double comunas_distance_km(double lat1, double lng1, double lat2,
                           double lng2)
{
    double sa = sin(radians(lat2 - lat1) / 2);
    double so = sin(radians(lng2 - lng1) / 2);
    double a = sa * sa + cos(radians(lat1)) * cos(radians(lat2)) * so * so;

    a = a > 1 ? 1 : a; /* rounding, for antipodal points */
    return 2 * 6371.0088 * atan2(sqrt(a), sqrt(1 - a));
}
