/* Editing a card's field in place: the prompt pre-filled with the stored
 * value, the new value read as its column's type and judged by the
 * validators on a copy of the row before anything is sent. */
#include "autoconfig.h"

#include "panes/moderation.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "core/xalloc.h"
#include "i18n.h"
#include "validate_cli.h"

const struct mod_field moderation_fields[] = {
    { "id", N_("id"), 0, NULL },
    { "rol", N_("ROL"), 11, "rol" },
    { "fojas", N_("fojas"), 3, "fojas" },
    { "numero", N_("número"), 4, "numero" },
    { "anio", N_("año"), 5, "anio" },
    { "cbr", N_("CBR"), 6, "cbr" },
    { "conservador", N_("conservador"), MOD_C_CONSERVADOR, NULL },
    { "comuna", N_("comuna"), 10, "comuna" },
    { "lat", N_("lat, lng"), -1, "lat,lng" },
    { "geom", N_("geom"), -2, NULL },
    { "fechaescritura", N_("fecha escritura"), 12, "fechaescritura" },
    { "superficie", N_("superficie m²"), 13, "superficie" },
    { "monto", N_("monto CLP"), 14, "monto" },
    { "comprador", N_("comprador"), 7, "comprador" },
    { "vendedor", N_("vendedor"), 8, "vendedor" },
    { "predio", N_("predio"), 9, "predio" },
    { "userId", N_("creator"), 15, NULL },
    { "duplicates", N_("same inscription"), 19, NULL },
    { "updatedAt", N_("updated at"), MOD_C_UPDATED, NULL },
};
const int moderation_nfields =
    (int)(sizeof moderation_fields / sizeof *moderation_fields);

/* Why a value cannot be read as its column's type. */
enum why { WHY_NONE, WHY_WHOLE, WHY_MONTO, WHY_NUMBER, WHY_DATE, WHY_EMPTY,
           WHY_LATLNG };

static void say_why(enum why why, const char *value, const char *column)
{
    switch (why) {
    case WHY_WHOLE:
        app_error(_("“%s” is not a whole number"), value);
        break;
    case WHY_MONTO:
        app_error(_("“%s” is not a whole number of pesos (empty: no "
                    "monto)"), value);
        break;
    case WHY_NUMBER:
        app_error(_("“%s” is not a number"), value);
        break;
    case WHY_DATE:
        app_error(_("“%s” is not a date (YYYY-MM-DD)"), value);
        break;
    case WHY_EMPTY:
        app_error(_("%s cannot be empty"), column);
        break;
    case WHY_LATLNG:
        app_error("%s", _("Write lat and lng as two numbers: "
                          "“-33.45, -70.66”"));
        break;
    case WHY_NONE:
        break;
    }
}

/* The value being saved: up to two columns (lat and lng go together). */
struct edit {
    const char *column[2];
    char *value[2];              /* NULL: SQL NULL */
    struct referencial_row row;  /* the row as it would be */
    char rol[VALIDATE_FIX_SIZE];
};

void moderation_edit_start(struct pane *p)
{
    struct modp *s = moderation_state(p);
    int row = moderation_row(s);
    const struct mod_field *f = &moderation_fields[s->field];
    char *initial, *question;

    if (row < 0) {
        app_error("%s", _("No card to edit"));
        return;
    }
    if (!f->column) {
        app_error(_("“%s” is not edited here: move to a field with ↑ and "
                    "↓ (or j and k)"), _(f->label));
        return;
    }
    if (f->col == -1)
        initial = xasprintf("%s, %s", PQgetvalue(s->queue, row, 1),
                            PQgetvalue(s->queue, row, 2));
    else
        initial = xstrdup(PQgetvalue(s->queue, row, f->col));
    free(s->edit_id);
    s->edit_id = xstrdup(PQgetvalue(s->queue, row, 0));
    s->edit_field = s->field;
    question = xasprintf(_("%s (Enter saves, Esc cancels): "), _(f->label));
    moderation_ask(p, MOD_PROMPT_EDIT, question, initial);
    free(question);
    free(initial);
}

/* The text without the blanks around it; the caller frees it. */
static char *trimmed(const char *line)
{
    size_t n;

    while (isspace((unsigned char)*line))
        line++;
    n = strlen(line);
    while (n > 0 && isspace((unsigned char)line[n - 1]))
        n--;
    return xasprintf("%.*s", (int)n, line);
}

static bool whole(const char *t, long long lo, long long hi, long long *out)
{
    char *end;

    errno = 0;
    *out = strtoll(t, &end, 10);
    return *t && !*end && errno == 0 && *out >= lo && *out <= hi;
}

static bool real(const char *t, double *out)
{
    char *end;

    *out = strtod(t, &end);
    return *t && end != t && !*end && isfinite(*out);
}

/* "lat, lng" or "lat lng": two numbers, each kept as typed. */
static bool read_latlng(struct edit *e, const char *t)
{
    char *end, *end2;
    const char *second;

    e->row.lat = strtod(t, &end);
    if (end == t)
        return false;
    second = end + strspn(end, " \t");
    second += *second == ',';
    second += strspn(second, " \t");
    e->row.lng = strtod(second, &end2);
    if (end2 == second || *end2 || !isfinite(e->row.lat) ||
        !isfinite(e->row.lng))
        return false;
    e->column[0] = "lat";
    e->value[0] = xasprintf("%.*s", (int)(end - t), t);
    e->column[1] = "lng";
    e->value[1] = xstrdup(second);
    /* geom follows a new lat/lng in the same statement */
    e->row.geom_null = false;
    e->row.geom_lat = e->row.lat;
    e->row.geom_lng = e->row.lng;
    e->row.geom_srid = 4326;
    return true;
}

/* Numbers and dates: false with the reason in *why. */
static bool read_typed(struct edit *e, const char *col, const char *t,
                       enum why *why)
{
    long long n;
    struct validate_date d;

    if (strcmp(col, "numero") == 0 || strcmp(col, "anio") == 0) {
        if (!whole(t, INT_MIN, INT_MAX, &n))
            return *why = WHY_WHOLE, false;
        *(strcmp(col, "numero") == 0 ? &e->row.numero : &e->row.anio) =
            (int)n;
    } else if (strcmp(col, "monto") == 0) {
        e->row.monto_null = !*t;
        if (*t && !whole(t, LLONG_MIN, LLONG_MAX, &e->row.monto))
            return *why = WHY_MONTO, false;
    } else if (strcmp(col, "superficie") == 0) {
        if (!real(t, &e->row.superficie))
            return *why = WHY_NUMBER, false;
    } else if (strcmp(col, "fechaescritura") == 0) {
        if (!validate_date_parse(t, &d))
            return *why = WHY_DATE, false;
        e->row.fechaescritura = t;
    }
    return true;
}

/* Text columns: every one is NOT NULL, and an empty value says nothing.
 * A ROL written with other separators takes its canonical form. */
static bool read_text(struct modp *s, struct edit *e, const char *col,
                      const char *t, enum why *why)
{
    static const struct { const char *col; size_t at; } cols[] = {
        { "rol", offsetof(struct referencial_row, rol) },
        { "fojas", offsetof(struct referencial_row, fojas) },
        { "cbr", offsetof(struct referencial_row, cbr) },
        { "comuna", offsetof(struct referencial_row, comuna) },
        { "comprador", offsetof(struct referencial_row, comprador) },
        { "vendedor", offsetof(struct referencial_row, vendedor) },
        { "predio", offsetof(struct referencial_row, predio) },
    };

    for (size_t i = 0; i < sizeof cols / sizeof *cols; i++) {
        if (strcmp(cols[i].col, col) != 0)
            continue;
        if (!*t)
            return *why = WHY_EMPTY, false;
        if (strcmp(col, "rol") == 0 && s->ctx_ready &&
            !validate_rol_matches(&s->ctx, t) &&
            validate_rol_normalize(&s->ctx, t, e->rol, sizeof e->rol)) {
            free(e->value[0]);
            e->value[0] = xstrdup(e->rol);
            t = e->rol;
        }
        *(const char **)((char *)&e->row + cols[i].at) = t;
    }
    return true;
}

/* Does a finding's field list ("cbr,fojas,numero,anio") name column? */
static bool names(const char *fields, const char *column)
{
    size_t n = strlen(column);

    for (const char *f = fields; *f;) {
        size_t len = strcspn(f, ",");
        if (len == n && strncmp(f, column, n) == 0)
            return true;
        f += len + (f[len] == ',');
    }
    return false;
}

static bool concerns(const struct edit *e, const struct finding *f)
{
    if (e->column[1] && names(f->field, "geom"))
        return true;
    return names(f->field, e->column[0]) ||
           (e->column[1] && names(f->field, e->column[1]));
}

/* The validators on the row as it would be: an error, or a warning that
 * knows the right value, on the edited field refuses the edit. */
static bool judged_ok(struct modp *s, struct edit *e)
{
    struct finding f[VALIDATE_MAX_FINDINGS];
    int n;

    if (!s->ctx_ready)
        return true;
    n = validate_referencial(&e->row, &s->ctx, f, VALIDATE_MAX_FINDINGS);
    for (int k = 0; k < n && k < VALIDATE_MAX_FINDINGS; k++) {
        char *msg, *fix;
        if (!concerns(e, &f[k]) || (f[k].severity != VALIDATE_ERROR &&
                                    f[k].fix != VALIDATE_FIX_VALUE))
            continue;
        msg = validate_finding_message(&f[k]);
        fix = validate_finding_fix(&f[k]);
        if (*fix)
            app_error(_("Not saved: %s (suggestion: %s)"), msg, fix);
        else
            app_error(_("Not saved: %s"), msg);
        free(msg);
        free(fix);
        return false;
    }
    return true;
}

static bool edit_read(struct modp *s, int row, struct edit *e,
                      const char *column, const char *t)
{
    enum why why = WHY_NONE;

    validate_cli_row_read(s->queue, row, &e->row);
    if (strcmp(column, "lat,lng") == 0) {
        if (!read_latlng(e, t))
            why = WHY_LATLNG;
    } else {
        e->column[0] = column;
        e->value[0] = *t || strcmp(column, "monto") != 0 ? xstrdup(t) : NULL;
        if (read_typed(e, column, t, &why))
            read_text(s, e, column, e->value[0] ? e->value[0] : "", &why);
        /* the duplicate count is the server's: unknown for a new key */
        if (strstr("fojas numero anio cbr", column))
            e->row.duplicates = 0;
    }
    say_why(why, t, column);
    return why == WHY_NONE && judged_ok(s, e);
}

void moderation_edit_accept(struct pane *p, const char *line)
{
    struct modp *s = moderation_state(p);
    int row = moderation_row(s);
    struct edit e = { { NULL, NULL }, { NULL, NULL }, { 0 }, "" };
    char *t = trimmed(line);
    const char *column = moderation_fields[s->edit_field].column;

    if (row < 0 || !s->edit_id ||
        strcmp(PQgetvalue(s->queue, row, 0), s->edit_id) != 0)
        app_error("%s", _("The card changed while editing: nothing was "
                          "saved"));
    else if (edit_read(s, row, &e, column, t))
        moderation_edit(p, e.column[0], e.value[0], e.column[1], e.value[1]);
    free(e.value[0]);
    free(e.value[1]);
    free(t);
}
