/* Drawing the moderation pane: the queue's header and the card, every
 * field with the findings that concern it beside it, those of the field
 * under the cursor in full below; the reject presets above their prompt. */
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
    int col = moderation_fields[i].col;
    char *v = NULL;
    const char *text;

    if (col < 0)
        text = v = computed(r, col);
    else if (col == 15 && PQgetisnull(s->queue, row, col))
        text = _("none: scraped");
    else if (col == 15 && !PQgetisnull(s->queue, row, MOD_C_EMAIL))
        text = v = xasprintf("%s  <%s>", PQgetvalue(s->queue, row, col),
                             PQgetvalue(s->queue, row, MOD_C_EMAIL));
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

/* Draws s word-wrapped in width columns from (y, x), the lines after the
 * first indented by indent, no further than line ymax (exclusive); returns
 * the lines it takes, drawn or not (w NULL: only counts). */
static int draw_wrapped(WINDOW *w, int y, int x, int ymax, const char *s,
                        int width, int indent)
{
    size_t len = strlen(s);
    int lines = 0;

    while (len > 0 && width - (lines ? indent : 0) > 0) {
        int room = width - (lines ? indent : 0);
        size_t n = text_fit(s, len, room), cut = n;

        if (n < len) /* break at the last blank that fits, if any */
            while (cut > 0 && s[cut] != ' ')
                cut--;
        if (n < len && cut > 0)
            n = cut;
        if (w && y + lines < ymax) {
            char *part = xstrndup(s, n);
            wmove(w, y + lines, x + (lines ? indent : 0));
            text_draw(w, part, room, 0);
            free(part);
        }
        lines++;
        s += n;
        len -= n;
        while (len > 0 && *s == ' ')
            s++, len--;
    }
    return lines;
}

/* One finding in full: "● message", then its suggestion. */
static int draw_detail_one(WINDOW *w, int y, int ymax, const struct finding *f,
                           int W)
{
    char *msg = validate_finding_message(f), *fix = validate_finding_fix(f);
    char *line = xasprintf("● %s", msg);
    attr_t a = theme_attr(f->severity == VALIDATE_ERROR ? THEME_ERROR
                          : f->severity == VALIDATE_WARNING ? THEME_WARNING
                                                            : THEME_INFO);
    int n;

    if (w)
        wattron(w, a);
    n = draw_wrapped(w, y, 2, ymax, line, W - 3, 2);
    if (w)
        wattroff(w, a);
    free(line);
    if (*fix) {
        line = xasprintf(_("suggestion: %s"), fix);
        if (w)
            wattron(w, theme_attr(THEME_DIM));
        n += draw_wrapped(w, y + n, 4, ymax, line, W - 5, 2);
        if (w)
            wattroff(w, theme_attr(THEME_DIM));
        free(line);
    }
    free(msg);
    free(fix);
    return n;
}

/* The findings of the field under the cursor, each in full; the others
 * are named so the cursor can be taken to them. Returns the lines used. */
static int draw_detail(WINDOW *w, int y, int ymax, const struct finding *f,
                       int nf, const char *field, int W)
{
    int n = 0, elsewhere = 0;

    for (int k = 0; k < nf; k++) {
        if (finding_is(&f[k], field))
            n += draw_detail_one(w, y + n, ymax, &f[k], W);
        else
            elsewhere++;
    }
    if (elsewhere) {
        char *hint = xasprintf(P_("%d finding on other fields: ↑/↓ moves the "
                                  "cursor to it",
                                  "%d findings on other fields: ↑/↓ moves the "
                                  "cursor to them",
                                  (unsigned long)elsewhere),
                               elsewhere);
        if (w)
            wattron(w, theme_attr(THEME_DIM));
        n += draw_wrapped(w, y + n, 2, ymax, hint, W - 3, 2);
        if (w)
            wattroff(w, theme_attr(THEME_DIM));
        free(hint);
    }
    return n;
}

static void draw_field(WINDOW *w, const struct modp *s, int y, int i,
                       const struct referencial_row *r,
                       const struct finding *f, int nf)
{
    int W = getmaxx(w), vw = W - 19 > 52 ? 52 : W - 19;
    attr_t a = theme_attr(i == s->field ? THEME_CURSOR_ROW : THEME_HEADER);

    wmove(w, y, 0);
    waddstr(w, i == s->field ? "▸" : " ");
    wattron(w, a);
    text_draw(w, _(moderation_fields[i].label), 16, 1);
    wattroff(w, a);
    wmove(w, y, 18);
    draw_value(w, s, moderation_row(s), i, r, vw);
    wmove(w, y, 18 + vw);
    draw_findings(w, f, nf, moderation_fields[i].field, W - 18 - vw);
}

/* The fields beside their findings (cut to fit), then below them the
 * findings of the field under the cursor in full. When the window is too
 * short for both, the detail keeps at least a third of it and the fields
 * scroll with the cursor. */
static void draw_card(WINDOW *w, const struct modp *s, int y, int h)
{
    int row = moderation_row(s), W = getmaxx(w), rows, first = 0;
    const char *field = moderation_fields[s->field].field;
    struct referencial_row r;
    struct finding f[VALIDATE_MAX_FINDINGS];
    int nf = 0, need;

    validate_cli_row_read(s->queue, row, &r);
    if (s->ctx_ready)
        nf = validate_referencial(&r, &s->ctx, f, VALIDATE_MAX_FINDINGS);
    if (nf > VALIDATE_MAX_FINDINGS)
        nf = VALIDATE_MAX_FINDINGS;
    need = draw_detail(NULL, 0, 0, f, nf, field, W);
    rows = h - y - (need ? need + 1 : 0);
    if (rows < moderation_nfields && need)
        rows = h - y - 1 - (need < (h - y) / 3 ? need : (h - y) / 3);
    if (rows > moderation_nfields)
        rows = moderation_nfields;
    if (rows < 1)
        rows = 1;
    if (s->field >= rows)
        first = s->field - rows + 1;
    for (int i = first; i < moderation_nfields && i < first + rows; i++)
        draw_field(w, s, y++, i, &r, f, nf);
    if (need)
        draw_detail(w, y + 1, h, f, nf, field, W);
}

/* "   table: 3 pending, 1 approved, ...", each count with its plural. */
static char *table_counts(const struct modp *s)
{
    const long long *c = s->counts;
    char *parts[4], *out;

    parts[0] = xasprintf(P_("%lld pending", "%lld pending",
                            (unsigned long)c[0]), c[0]);
    parts[1] = xasprintf(P_("%lld approved", "%lld approved",
                            (unsigned long)c[1]), c[1]);
    parts[2] = xasprintf(P_("%lld rejected", "%lld rejected",
                            (unsigned long)c[2]), c[2]);
    parts[3] = xasprintf(P_("%lld flagged", "%lld flagged",
                            (unsigned long)c[3]), c[3]);
    out = xasprintf(_("   table: %s, %s, %s, %s"), parts[0], parts[1],
                    parts[2], parts[3]);
    for (int i = 0; i < 4; i++)
        free(parts[i]);
    return out;
}

static void draw_header(WINDOW *w, const struct modp *s, bool write)
{
    char *h = xasprintf(_("Review queue: %d cards from the %d oldest rows "
                          "to review%s%s%s%s%s%s%s  decided here: %ld"),
                        s->n, PQntuples(s->queue),
                        s->failing_only ? _(", failing only") : "",
                        s->scraped_only ? _(", scraped only") : "",
                        s->comuna ? _(", comuna ") : "",
                        s->comuna ? s->comuna : "",
                        s->creator ? _(", creator ") : "",
                        s->creator ? s->creator : "",
                        s->at_end ? "" : _(" (more as you go)"), s->decided);

    wmove(w, 0, 1);
    wattron(w, theme_attr(THEME_TITLE));
    text_draw(w, h, getmaxx(w) - 2, 0);
    wattroff(w, theme_attr(THEME_TITLE));
    free(h);
    if (moderation_row(s) >= 0) {
        const char *st = PQgetisnull(s->queue, moderation_row(s), MOD_C_STATUS)
                             ? _("never reviewed")
                             : _("changed since review");
        char *counts = s->counted ? table_counts(s) : xstrdup("");
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

/* The preset reasons, one a line above the reject prompt: a prompt line
 * holding them all would be cut on any usual terminal. */
static int draw_reasons(WINDOW *w, int y)
{
    int W = getmaxx(w);

    wmove(w, y, 1);
    wattron(w, theme_attr(THEME_TITLE));
    text_draw(w, _("Reject: type 1, 2 or 3 for a preset, or a reason of "
                   "your own"), W - 2, 0);
    wattroff(w, theme_attr(THEME_TITLE));
    for (int i = 0; i < moderation_nreasons; i++) {
        char *line = xasprintf("  %d  %s", i + 1, _(moderation_reasons[i]));

        wmove(w, y + 1 + i, 1);
        text_draw(w, line, W - 2, 0);
        free(line);
    }
    return 1 + moderation_nreasons;
}

void moderation_view_draw(struct pane *p, WINDOW *w)
{
    struct modp *s = moderation_state(p);
    bool prompt = s->prompt && cmdline_active(s->prompt);
    bool reasons = prompt && s->prompt_kind == MOD_PROMPT_REASON;
    int h = getmaxy(w) - (prompt ? 1 : 0) - (reasons ? 2 + moderation_nreasons
                                                     : 0);

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
        if (s->auditlog_missing)
            draw_note(w, _("moderator_user_id is set but this database has "
                           "no \"AuditLog\" table: decisions are audited in "
                           "degux_console.audit only"));
        else if (s->moderator_unknown)
            draw_note(w, _("moderator_user_id is not a \"User\" of this "
                           "database: decisions are audited in "
                           "degux_console.audit only, not in \"AuditLog\""));
        if (moderation_row(s) >= 0)
            draw_card(w, s, 3, h);
        else
            draw_note(w, _("Nothing to review with these filters"));
    }
    if (reasons) {
        wmove(w, h, 0);
        whline(w, ACS_HLINE, getmaxx(w));
        draw_reasons(w, h + 1);
    }
    if (prompt)
        cmdline_draw(s->prompt, w, getmaxy(w) - 1);
}
