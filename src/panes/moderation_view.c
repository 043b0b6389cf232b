/* Drawing the moderation pane: the queue's header and the card, every
 * field with the findings that concern it beside it. */
#include "autoconfig.h"

#include "panes/moderation.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"
#include "domain/comunas.h"
#include "i18n.h"
#include "ui/text.h"
#include "ui/theme.h"
#include "validate_cli.h"

/* The card's lines: the field a finding names first (f->field up to its
 * first comma) and the queue column shown (-1: computed). */
static const struct { const char *field, *label; int col; } card[] = {
    { "id", N_("id"), 0 },
    { "rol", N_("ROL"), 11 },
    { "fojas", N_("fojas"), 3 },
    { "numero", N_("número"), 4 },
    { "anio", N_("año"), 5 },
    { "cbr", N_("CBR"), 6 },
    { "conservador", N_("conservador"), MOD_C_CONSERVADOR },
    { "comuna", N_("comuna"), 10 },
    { "lat", N_("lat, lng"), -1 },
    { "geom", N_("geom"), -2 },
    { "fechaescritura", N_("fecha escritura"), 12 },
    { "superficie", N_("superficie m²"), 13 },
    { "monto", N_("monto CLP"), 14 },
    { "comprador", N_("comprador"), 7 },
    { "vendedor", N_("vendedor"), 8 },
    { "predio", N_("predio"), 9 },
    { "userId", N_("creator"), 15 },
    { "duplicates", N_("same inscription"), 19 },
    { "updatedAt", N_("updated at"), MOD_C_UPDATED },
};

static bool finding_is(const struct finding *f, const char *field)
{
    size_t n = strcspn(f->field, ",");

    return strlen(field) == n && strncmp(f->field, field, n) == 0;
}

static char *computed(const struct referencial_row *r, int col)
{
    const struct comuna *c = NULL;

    if (col == -2)
        return r->geom_null ? xstrdup(_("none"))
                            : xasprintf("POINT(%.6f %.6f) SRID %d",
                                        r->geom_lng, r->geom_lat,
                                        r->geom_srid);
    if (comunas_lookup(r->comuna, &c) != COMUNAS_NONE && c)
        return xasprintf(_("%.6f, %.6f  (%.1f km from %s's seat)"), r->lat,
                         r->lng, comunas_distance_km(r->lat, r->lng, c->lat,
                                                     c->lng), c->name);
    return xasprintf("%.6f, %.6f", r->lat, r->lng);
}

static void draw_value(WINDOW *w, const struct modp *s, int row, int i,
                       const struct referencial_row *r, int width)
{
    int col = card[i].col;
    char *v = NULL;
    const char *text;

    if (col < 0)
        text = v = computed(r, col);
    else if (col == 15 && PQgetisnull(s->queue, row, col))
        text = _("none: scraped");
    else
        text = PQgetisnull(s->queue, row, col) ? "NULL"
                                               : PQgetvalue(s->queue, row, col);
    text_draw(w, text, width, 0);
    free(v);
}

static void draw_findings(WINDOW *w, const struct finding *f, int nf,
                          const char *field, int width)
{
    for (int k = 0; k < nf && width > 4; k++) {
        char *msg;
        attr_t a;
        if (!finding_is(&f[k], field))
            continue;
        a = theme_attr(f[k].severity == VALIDATE_ERROR ? THEME_ERROR
                       : f[k].severity == VALIDATE_WARNING ? THEME_WARNING
                                                           : THEME_INFO);
        msg = validate_finding_message(&f[k]);
        wattron(w, a);
        width -= text_draw(w, "  ● ", width, 0);
        width -= text_draw(w, msg, width, 0);
        wattroff(w, a);
        free(msg);
    }
}

static void draw_card(WINDOW *w, const struct modp *s, int y, int h)
{
    int row = moderation_row(s), W = getmaxx(w);
    struct referencial_row r;
    struct finding f[VALIDATE_MAX_FINDINGS];
    int nf = 0;

    validate_cli_row_read(s->queue, row, &r);
    if (s->ctx_ready)
        nf = validate_referencial(&r, &s->ctx, f, VALIDATE_MAX_FINDINGS);
    if (nf > VALIDATE_MAX_FINDINGS)
        nf = VALIDATE_MAX_FINDINGS;
    for (size_t i = 0; i < sizeof card / sizeof *card && y < h; i++, y++) {
        int vw = W - 19 > 52 ? 52 : W - 19;
        wmove(w, y, 1);
        wattron(w, theme_attr(THEME_HEADER));
        text_draw(w, _(card[i].label), 16, 1);
        wattroff(w, theme_attr(THEME_HEADER));
        wmove(w, y, 18);
        draw_value(w, s, row, (int)i, &r, vw);
        wmove(w, y, 18 + vw);
        draw_findings(w, f, nf, card[i].field, W - 18 - vw);
    }
    for (int k = 0; k < nf && y + 1 < h; k++) {
        char *fix = validate_finding_fix(&f[k]);
        if (*fix) {
            wmove(w, ++y, 1);
            wattron(w, theme_attr(THEME_DIM));
            text_draw(w, _("suggestion: "), 14, 0);
            text_draw(w, fix, W - 16, 0);
            wattroff(w, theme_attr(THEME_DIM));
        }
        free(fix);
    }
}

static void draw_header(WINDOW *w, const struct modp *s, bool write)
{
    char *h = xasprintf(_("Review queue: %d cards from the %d oldest rows "
                          "to review%s%s%s%s  decided here: %ld"),
                        s->n, PQntuples(s->queue), s->failing_only ? _(", failing only") : "",
                        s->scraped_only ? _(", scraped only") : "",
                        s->comuna ? _(", comuna ") : "",
                        s->comuna ? s->comuna : "", s->decided);

    wmove(w, 0, 1);
    wattron(w, theme_attr(THEME_TITLE));
    text_draw(w, h, getmaxx(w) - 2, 0);
    wattroff(w, theme_attr(THEME_TITLE));
    free(h);
    if (moderation_row(s) >= 0) {
        const char *st = PQgetisnull(s->queue, moderation_row(s), MOD_C_STATUS)
                             ? _("never reviewed")
                             : _("changed since review");
        char *counts = s->counted
            ? xasprintf(_("   table: %lld pending, %lld approved, %lld "
                          "rejected, %lld flagged"), s->counts[0],
                        s->counts[1], s->counts[2], s->counts[3])
            : xstrdup("");
        h = xasprintf(_("card %d of %d: %s%s%s"), s->cur + 1, s->n, st,
                      counts, write ? "" : _("  (read-only: decisions need "
                                             "write mode)"));
        free(counts);
        wmove(w, 1, 1);
        text_draw(w, h, getmaxx(w) - 2, 0);
        free(h);
    }
}

static void draw_note(WINDOW *w, const char *text)
{
    wmove(w, 2, 1);
    text_draw(w, text, getmaxx(w) - 2, 0);
}

void moderation_view_draw(struct pane *p, WINDOW *w)
{
    struct modp *s = moderation_state(p);
    bool prompt = s->prompt && cmdline_active(s->prompt);
    int h = getmaxy(w) - (prompt ? 1 : 0);

    werase(w);
    if (s->error)
        draw_note(w, s->error);
    else if (!s->checked)
        draw_note(w, _("Loading…"));
    else if (!s->migrated)
        draw_note(w, _("The console's schema (degux_console) is missing: "
                       "create it with  degux-console --write migrate up"));
    else if (!s->loaded)
        draw_note(w, _("Loading the queue…"));
    else {
        draw_header(w, s, db_write_mode(p->db));
        if (moderation_row(s) >= 0)
            draw_card(w, s, 3, h);
        else
            draw_note(w, _("Nothing to review with these filters"));
    }
    if (prompt)
        cmdline_draw(s->prompt, w, getmaxy(w) - 1);
}
