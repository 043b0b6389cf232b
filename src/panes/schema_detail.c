/* The schema pane's detail of one object (a table's columns, indexes,
 * constraints, triggers, RLS, activity and DDL; a function's signature; an
 * enum's labels) and the advisor's findings list. */
#include "autoconfig.h"

#include "panes/schema.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"
#include "i18n.h"
#include "ui/text.h"
#include "ui/theme.h"

static void line(struct schemap *s, int role, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void line(struct schemap *s, int role, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    s->lines = xrealloc(s->lines, (s->nlines + 1) * sizeof *s->lines);
    s->lines[s->nlines].text = xvasprintf(fmt, ap);
    s->lines[s->nlines++].role = role;
    va_end(ap);
}

static const char *or_dash(const char *v)
{
    return v ? v : "-";
}

static void detail_columns(struct schemap *s, const struct schema_rel *r)
{
    const struct schema_model *m = &s->m;

    line(s, THEME_TITLE, "%s", _("Columns"));
    for (int i = r->cols.first; i < r->cols.first + r->cols.n; i++) {
        const char *type = schema_val(m, SQ_COLUMNS, i, CC_TYPE);
        const char *def = schema_val(m, SQ_COLUMNS, i, CC_DEFAULT);
        const char *com = schema_val(m, SQ_COLUMNS, i, CC_COMMENT);
        char *geo = schema_geometry_note(type);
        line(s, THEME_NORMAL, "  %-24s %-28s %-8s%s%s%s%s%s",
             schema_val(m, SQ_COLUMNS, i, CC_NAME), type,
             !schema_bool(m, SQ_COLUMNS, i, CC_NULLABLE) ? "not null" : "",
             def ? " default " : "", def ? def : "", geo ? "  [" : "",
             geo ? geo : "", geo ? "]" : "");
        if (com)
            line(s, THEME_DIM, "      -- %s", com);
        free(geo);
    }
}

static void detail_indexes(struct schemap *s, const struct schema_rel *r)
{
    const struct schema_model *m = &s->m;

    line(s, THEME_TITLE, "%s", _("Indexes"));
    for (int i = r->idx.first; i < r->idx.first + r->idx.n; i++) {
        bool valid = schema_bool(m, SQ_INDEXES, i, IC_VALID);
        bool unused = schema_ll(m, SQ_INDEXES, i, IC_SCANS) == 0 &&
                      !schema_bool(m, SQ_INDEXES, i, IC_UNIQUE) &&
                      !schema_bool(m, SQ_INDEXES, i, IC_CONSTRAINT);
        line(s, !valid ? THEME_ERROR : unused ? THEME_WARNING : THEME_NORMAL,
             "  %-32s %9s %8lld %s%s%s",
             schema_val(m, SQ_INDEXES, i, IC_NAME),
             schema_size(schema_ll(m, SQ_INDEXES, i, IC_SIZE)),
             schema_ll(m, SQ_INDEXES, i, IC_SCANS), _("scans"),
             !valid ? _("  INVALID") : "", unused ? _("  unused") : "");
        line(s, THEME_DIM, "      %s", schema_val(m, SQ_INDEXES, i, IC_DEF));
    }
}

static void detail_constraints(struct schemap *s, const struct schema_rel *r)
{
    const struct schema_model *m = &s->m;

    line(s, THEME_TITLE, "%s", _("Constraints"));
    for (int i = r->cons.first; i < r->cons.first + r->cons.n; i++)
        line(s, schema_bool(m, SQ_CONSTRAINTS, i, KC_VALID) ? THEME_NORMAL
                                                            : THEME_WARNING,
             "  %-32s %s%s", schema_val(m, SQ_CONSTRAINTS, i, KC_NAME),
             schema_val(m, SQ_CONSTRAINTS, i, KC_DEF),
             schema_bool(m, SQ_CONSTRAINTS, i, KC_VALID) ? ""
                                                         : _("  (not valid)"));
    line(s, THEME_TITLE, "%s", _("Triggers"));
    for (int i = r->trg.first; i < r->trg.first + r->trg.n; i++)
        line(s, THEME_NORMAL, "  %s", schema_val(m, SQ_TRIGGERS, i, TC_DEF));
}

static void detail_activity(struct schemap *s, int row)
{
    const struct schema_model *m = &s->m;

    line(s, THEME_TITLE, "%s", _("Row level security and activity"));
    line(s, THEME_NORMAL, _("  RLS %s%s, %lld policies"),
         schema_bool(m, SQ_RELATIONS, row, RC_RLS) ? _("enabled")
                                                   : _("disabled"),
         schema_bool(m, SQ_RELATIONS, row, RC_RLS_FORCED) ? _(" (forced)")
                                                          : "",
         schema_ll(m, SQ_RELATIONS, row, RC_POLICIES));
    line(s, THEME_NORMAL, _("  scans: %lld sequential, %lld index; rows: "
                            "%lld live, %lld dead"),
         schema_ll(m, SQ_RELATIONS, row, RC_SEQ_SCAN),
         schema_ll(m, SQ_RELATIONS, row, RC_IDX_SCAN),
         schema_ll(m, SQ_RELATIONS, row, RC_LIVE),
         schema_ll(m, SQ_RELATIONS, row, RC_DEAD));
    line(s, THEME_NORMAL, _("  vacuum: %s (auto %s); analyze: %s (auto %s)"),
         or_dash(schema_val(m, SQ_RELATIONS, row, RC_LAST_VACUUM)),
         or_dash(schema_val(m, SQ_RELATIONS, row, RC_LAST_AUTOVACUUM)),
         or_dash(schema_val(m, SQ_RELATIONS, row, RC_LAST_ANALYZE)),
         or_dash(schema_val(m, SQ_RELATIONS, row, RC_LAST_AUTOANALYZE)));
}

static void detail_ddl(struct schemap *s, const struct schema_rel *r)
{
    char *ddl = schema_ddl(&s->m, r), *p = ddl;

    line(s, THEME_TITLE, "%s", _("DDL (y copies it)"));
    while (*p) {
        size_t n = strcspn(p, "\n");
        line(s, THEME_NORMAL, "  %.*s", (int)n, p);
        p += n + (p[n] == '\n');
    }
    free(s->copy);
    s->copy = ddl;
}

static void detail_sequence(struct schemap *s, int row)
{
    const struct schema_model *m = &s->m;
    int i = schema_sequence_row(m, schema_val(m, SQ_RELATIONS, row,
                                              RC_SCHEMA),
                                schema_val(m, SQ_RELATIONS, row, RC_NAME));

    if (i < 0)
        return;
    line(s, THEME_NORMAL, _("  %s, last value %s of %s"),
         schema_val(m, SQ_SEQUENCES, i, 8),
         or_dash(schema_val(m, SQ_SEQUENCES, i, 2)),
         schema_val(m, SQ_SEQUENCES, i, 3));
    if (schema_val(m, SQ_SEQUENCES, i, 6))
        line(s, THEME_NORMAL, _("  owned by %s.%s.%s"),
             schema_val(m, SQ_SEQUENCES, i, 4),
             schema_val(m, SQ_SEQUENCES, i, 5),
             schema_val(m, SQ_SEQUENCES, i, 6));
}

static void detail_rel(struct schemap *s, int row)
{
    const struct schema_model *m = &s->m;
    const struct schema_rel *r = &m->rels[row];

    s->detail_rel = row;
    line(s, THEME_TITLE, "%s.%s  (%s, %s)",
         schema_val(m, SQ_RELATIONS, row, RC_SCHEMA),
         schema_val(m, SQ_RELATIONS, row, RC_NAME),
         schema_kind_name(*schema_val(m, SQ_RELATIONS, row, RC_KIND)),
         or_dash(schema_val(m, SQ_RELATIONS, row, RC_OWNER)));
    line(s, THEME_NORMAL, _("  ~%lld rows; total %s"),
         schema_ll(m, SQ_RELATIONS, row, RC_ROWS),
         schema_size(r->size[SZ_TOTAL]));
    if (schema_val(m, SQ_RELATIONS, row, RC_COMMENT))
        line(s, THEME_DIM, "  -- %s",
             schema_val(m, SQ_RELATIONS, row, RC_COMMENT));
    if (*schema_val(m, SQ_RELATIONS, row, RC_KIND) == 'S') {
        detail_sequence(s, row);
    } else {
        detail_columns(s, r);
        detail_indexes(s, r);
        detail_constraints(s, r);
        detail_activity(s, row);
    }
    detail_ddl(s, r);
}

void schema_detail_build(struct schemap *s, const struct schema_item *it)
{
    const struct schema_model *m = &s->m;

    schema_detail_free(s);
    if (it->kind == SI_REL)
        detail_rel(s, it->row);
    else if (it->kind == SI_FUNC) {
        line(s, THEME_TITLE, "%s", schema_val(m, SQ_FUNCTIONS, it->row,
                                              FC_SIGNATURE));
        line(s, THEME_NORMAL, _("  returns %s, language %s%s%s"),
             schema_val(m, SQ_FUNCTIONS, it->row, FC_RESULT),
             schema_val(m, SQ_FUNCTIONS, it->row, FC_LANG),
             schema_bool(m, SQ_FUNCTIONS, it->row, FC_SECDEF)
                 ? _(", security definer") : "",
             schema_bool(m, SQ_FUNCTIONS, it->row, FC_SEARCH_PATH)
                 ? _(", fixed search_path") : "");
    } else if (it->kind == SI_ENUM) {
        line(s, THEME_TITLE, "%s.%s", schema_val(m, SQ_ENUMS, it->row, 0),
             schema_val(m, SQ_ENUMS, it->row, 1));
        line(s, THEME_NORMAL, "  %s", schema_val(m, SQ_ENUMS, it->row, 2));
    } else if (it->kind == SI_EXT) {
        line(s, THEME_TITLE, "%s", schema_val(m, SQ_EXTENSIONS, it->row, 0));
        line(s, THEME_NORMAL, "  %s",
             or_dash(schema_val(m, SQ_EXTENSIONS, it->row, XC_COMMENT)));
    }
}

void schema_detail_free(struct schemap *s)
{
    for (int i = 0; i < s->nlines; i++)
        free(s->lines[i].text);
    free(s->lines);
    free(s->copy);
    s->lines = NULL;
    s->copy = NULL;
    s->nlines = s->scroll = 0;
    s->detail_rel = -1;
}

void schema_detail_draw(struct schemap *s, WINDOW *w)
{
    int height = getmaxy(w), width = getmaxx(w);

    if (s->scroll > s->nlines - 1)
        s->scroll = s->nlines > 0 ? s->nlines - 1 : 0;
    for (int y = 0; y < height && s->scroll + y < s->nlines; y++) {
        const struct schema_line *l = &s->lines[s->scroll + y];
        wattrset(w, theme_attr(l->role));
        wmove(w, y, 0);
        text_draw(w, l->text, width, 1);
    }
}

/* ---- advisor ----------------------------------------------------------- */

static int severity_role(enum adv_severity sev)
{
    return sev == ADV_CRITICAL ? THEME_ERROR
         : sev == ADV_WARNING ? THEME_WARNING : THEME_INFO;
}

static void draw_finding(WINDOW *w, const struct adv_finding *f, bool cur,
                         int width)
{
    char *t = xasprintf(" %-20s %s%s%s", f->object, _(f->message),
                        f->detail ? ": " : "", f->detail ? f->detail : "");

    wattrset(w, theme_attr(severity_role(f->severity)) |
                    (cur ? A_REVERSE : 0));
    text_draw(w, advisor_severity_name(f->severity), 9, 1);
    wattrset(w, theme_attr(cur ? THEME_CURSOR_ROW : THEME_NORMAL));
    text_draw(w, t, width - 9, 1);
    free(t);
}

void schema_advisor_draw(struct schemap *s, WINDOW *w)
{
    const struct adv_findings *f = &s->m.findings;
    int height = getmaxy(w) - 4, width = getmaxx(w);
    char *h = xasprintf(_("Schema advisor: %d findings (y copies the fix, "
                          "x runs it in write mode)"), f->n);

    wattrset(w, theme_attr(THEME_TITLE));
    wmove(w, 0, 0);
    text_draw(w, h, width, 1);
    free(h);
    if (s->adv_cur < s->adv_top)
        s->adv_top = s->adv_cur;
    if (height > 0 && s->adv_cur >= s->adv_top + height)
        s->adv_top = s->adv_cur - height + 1;
    for (int y = 0; y < height && s->adv_top + y < f->n; y++) {
        wmove(w, 1 + y, 0);
        draw_finding(w, &f->v[s->adv_top + y], s->adv_top + y == s->adv_cur,
                     width);
    }
    if (s->adv_cur < f->n && height > 0) {
        const struct adv_finding *x = &f->v[s->adv_cur];
        wattrset(w, theme_attr(THEME_DIM));
        wmove(w, getmaxy(w) - 3, 0);
        text_draw(w, x->check, width, 1);
        wattrset(w, theme_attr(THEME_NORMAL));
        wmove(w, getmaxy(w) - 2, 0);
        text_draw(w, x->fix_sql ? x->fix_sql : _("(no fix statement)"),
                  width, 1);
    } else if (!f->n) {
        wattrset(w, theme_attr(THEME_OK));
        mvwaddstr(w, 2, 2, _("No findings: the schema looks healthy"));
    }
}

/* ---- Prisma migrations ------------------------------------------------- */

/* The statuses SQL_SCHEMA_MIGRATIONS computes, for translation. */
static const char *const statuses[] = { N_("applied"), N_("failed"),
                                        N_("rolled back") };

static const char *status_label(const char *status)
{
    for (size_t i = 0; i < sizeof statuses / sizeof *statuses; i++)
        if (strcmp(statuses[i], status) == 0)
            return _(statuses[i]);
    return status;
}

static int migration_role(const char *status)
{
    return strcmp(status, "applied") == 0 ? THEME_OK
         : strcmp(status, "failed") == 0 ? THEME_ERROR : THEME_WARNING;
}

/* The name column: as wide as the longest name while the dates and the
 * steps keep their room; a longer name is cut with "…" (Enter shows the
 * migration whole). */
static int name_width(const PGresult *res, int width)
{
    int w = 4, room = width - 12 - 2 * 20 - 7;

    for (int i = 0; i < PQntuples(res); i++) {
        int n = text_width(PQgetvalue(res, i, MC_NAME));
        if (n > w)
            w = n;
    }
    if (room < 16)
        room = 16;
    return w < room ? w : room;
}

/* A timestamp to the second (the fraction and the zone left out). */
static void draw_time(WINDOW *w, const char *v)
{
    char *t = xstrndup(v, 19);

    text_draw(w, t, 19, 1);
    free(t);
}

static void draw_migration(WINDOW *w, const PGresult *res, int i, bool cur,
                           int nw)
{
    const char *status = PQgetvalue(res, i, MC_STATUS);

    wattrset(w, theme_attr(migration_role(status)) | (cur ? A_REVERSE : 0));
    text_draw(w, status_label(status), 12, 1);
    wattrset(w, theme_attr(cur ? THEME_CURSOR_ROW : THEME_NORMAL));
    text_draw(w, " ", 1, 1);
    text_draw(w, PQgetvalue(res, i, MC_NAME), nw, 1);
    text_draw(w, " ", 1, 1);
    draw_time(w, PQgetvalue(res, i, MC_STARTED));
    text_draw(w, " ", 1, 1);
    draw_time(w, PQgetisnull(res, i, MC_FINISHED)
                     ? "-" : PQgetvalue(res, i, MC_FINISHED));
    text_draw(w, " ", 1, 1);
    text_draw(w, PQgetvalue(res, i, MC_STEPS), 6, 1);
}

/* Splits text into lines of at most width columns, breaking at its own
 * newlines first; calls add(s, line) for each. Returns the count. */
static int wrap_lines(const char *text, int width, struct schemap *s,
                      void (*add)(struct schemap *s, const char *line))
{
    int n = 0;

    if (width < 8)
        width = 8;
    for (const char *p = text; *p;) {
        size_t len = strcspn(p, "\r\n");
        const char *end = p + len;
        do {
            size_t fit = len ? text_fit(p, (size_t)(end - p), width) : 0;
            char *l = xstrndup(p, fit);
            if (add)
                add(s, l);
            free(l);
            n++;
            p += fit;
        } while (p < end);
        p = end + (*end == '\r' && end[1] == '\n' ? 2 : *end ? 1 : 0);
    }
    return n;
}

static void add_log_line(struct schemap *s, const char *l)
{
    line(s, THEME_NORMAL, "  %s", l);
}

bool schema_migration_log(struct schemap *s, int width)
{
    const PGresult *res = s->m.migrations;
    const char *log;

    if (!res || s->mig_cur >= PQntuples(res) ||
        PQgetisnull(res, s->mig_cur, MC_LOGS))
        return false;
    log = PQgetvalue(res, s->mig_cur, MC_LOGS);
    schema_detail_free(s);
    line(s, THEME_TITLE, "%s", PQgetvalue(res, s->mig_cur, MC_NAME));
    line(s, THEME_DIM, _("%s · started %s · finished %s · %s steps"),
         status_label(PQgetvalue(res, s->mig_cur, MC_STATUS)),
         PQgetvalue(res, s->mig_cur, MC_STARTED),
         PQgetisnull(res, s->mig_cur, MC_FINISHED)
             ? "-" : PQgetvalue(res, s->mig_cur, MC_FINISHED),
         PQgetvalue(res, s->mig_cur, MC_STEPS));
    line(s, THEME_TITLE, "%s", _("Log"));
    wrap_lines(log, width - 2, s, add_log_line);
    s->copy = xstrdup(log);
    return true;
}

/* The selected migration's log under the list, wrapped, in at most max
 * lines (the last says when there is more: Enter shows it whole). */
static void draw_log(WINDOW *w, const char *log, int y, int max, int width)
{
    struct schemap tmp = { 0 };
    int n;

    wattrset(w, theme_attr(THEME_DIM));
    wmove(w, y, 0);
    text_draw(w, _("log (Enter shows it whole, y copies it):"), width, 1);
    wrap_lines(log, width - 2, &tmp, add_log_line);
    n = tmp.nlines;
    wattrset(w, theme_attr(THEME_NORMAL));
    for (int i = 0; i < max && i < n; i++) {
        wmove(w, y + 1 + i, 0);
        text_draw(w, i == max - 1 && n > max ? "  …" : tmp.lines[i].text,
                  width, 1);
    }
    schema_detail_free(&tmp);
}

/* Lines the log takes under the list: all of them up to a third of the
 * window, at least three. */
static int log_height(const char *log, int rows, int width)
{
    int n = wrap_lines(log, width - 2, NULL, NULL);
    int most = rows / 3 > 3 ? rows / 3 : 3;

    return n < most ? n : most;
}

void schema_migrations_draw(struct schemap *s, WINDOW *w)
{
    const PGresult *res = s->m.migrations;
    int n = res ? PQntuples(res) : 0, width = getmaxx(w);
    int rows = getmaxy(w), height, logh = 0, nw;
    const char *log = NULL;

    wattrset(w, theme_attr(THEME_TITLE));
    wmove(w, 0, 0);
    text_draw(w, res ? _("Migrations, Prisma's and the console's (newest "
                         "first): status, name, started, finished, steps")
                     : _("No _prisma_migrations table on the search_path and "
                         "no degux_console migrations"),
              width, 1);
    if (s->mig_cur >= n)
        s->mig_cur = n ? n - 1 : 0;
    if (n && !PQgetisnull(res, s->mig_cur, MC_LOGS))
        log = PQgetvalue(res, s->mig_cur, MC_LOGS);
    if (log)
        logh = log_height(log, rows, width);
    /* The last row stays free, as in the other views. */
    height = rows - 2 - (log ? logh + 2 : 0);
    if (s->mig_cur < s->mig_top)
        s->mig_top = s->mig_cur;
    if (height > 0 && s->mig_cur >= s->mig_top + height)
        s->mig_top = s->mig_cur - height + 1;
    nw = n ? name_width(res, width) : 0;
    for (int y = 0; y < height && s->mig_top + y < n; y++) {
        wmove(w, 1 + y, 0);
        draw_migration(w, res, s->mig_top + y, s->mig_top + y == s->mig_cur,
                       nw);
    }
    if (log)
        draw_log(w, log, rows - 2 - logh, logh, width);
}
