/* Backups pane: the view. A summary (folder, verification progress,
 * policy stated and met, missing nights, restore points, the server), the
 * findings, the list of files in the grid (which asks only for the rows it
 * draws, so 10,000 files paint as fast as ten) and the log's tail. */
#include "autoconfig.h"

#include "panes/backups.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"
#include "i18n.h"
#include "panes/backups_run.h"
#include "ui/text.h"
#include "ui/theme.h"

/* The state next to the name: on an 80-column terminal it must show. */
enum col { COL_FILE, COL_STATE, COL_TIME, COL_SIZE, COL_CHANGE, COL_AGE,
           COL_KEPT, NCOLS };

/* ---- the list as a grid source ------------------------------------------ */

static int src_ncols(void *ctx)
{
    (void)ctx;
    return NCOLS;
}

static const char *src_col_name(void *ctx, int col)
{
    static const char *const names[NCOLS] = {
        N_("file"), N_("state"), N_("time"), N_("size"), N_("change"),
        N_("age"), N_("kept by"),
    };

    (void)ctx;
    return _(names[col]);
}

static bool src_col_numeric(void *ctx, int col)
{
    (void)ctx;
    return col == COL_SIZE || col == COL_CHANGE;
}

static long src_nrows(void *ctx)
{
    const struct backups *b = ctx;

    return b->bd ? (long)b->bd->n : 0;
}

static const char *kind_text(const struct backups *b,
                             const struct backupdir_entry *e)
{
    switch (e->kind) {
    case BACKUPDIR_OTHER:
        return _("other name");
    case BACKUPDIR_BAD_DATE:
        return _("impossible date");
    case BACKUPDIR_SUBDIR:
        return _("folder");
    case BACKUPDIR_SPECIAL:
        return _("special file");
    case BACKUPDIR_VANISHED:
        return _("vanished");
    case BACKUPDIR_SYMLINK:
        return e->link == BACKUPDIR_LINK_INSIDE ? _("link")
               : e->link == BACKUPDIR_LINK_DANGLING ? _("dangling link")
                                                    : _("link outside");
    default:
        (void)b;
        return NULL;
    }
}

static char *state_text(const struct backups *b,
                        const struct backupdir_entry *e)
{
    const char *kind = kind_text(b, e);
    enum backupverify_state st = backups_entry_state(b, e);
    enum backupverify_state cl = backupverify_state_class(st);
    char buf[128];
    const char *state = buf;

    /* The six states, with the exact verdict when it says more. */
    if (st == cl)
        state = _(backupverify_state_name(st));
    else
        snprintf(buf, sizeof buf, "%s: %s", _(backupverify_state_name(cl)),
                 _(backupverify_state_name(st)));

    /* A link inside the folder has its target's state (the target is a
     * row of its own); one pointing elsewhere shows where. */
    if (e->kind == BACKUPDIR_SYMLINK && e->link == BACKUPDIR_LINK_INSIDE)
        return xasprintf("%s (%s)", state, kind);
    if (e->kind == BACKUPDIR_SYMLINK)
        return xasprintf("%s → %s", kind,
                         e->link_target ? e->link_target : "?");
    if (e->kind == BACKUPDIR_SUBDIR || e->kind == BACKUPDIR_SPECIAL ||
        e->kind == BACKUPDIR_VANISHED)
        return xstrdup(kind);
    if (kind)
        return xasprintf("%s (%s)", state, kind);
    return xstrdup(state);
}

static char *change_text(const struct backupdir_entry *e)
{
    char *sz, *out;

    if (!e->has_prev)
        return xstrdup("");
    sz = backups_format_size(e->size_change);
    out = xasprintf("%s%s%s", e->size_change > 0 ? "+" : "", sz,
                    e->size_drop ? _(" DROP") : "");
    free(sz);
    return out;
}

static char *kept_text(const struct backupdir_entry *e)
{
    if (e->kind != BACKUPDIR_BACKUP)
        return xstrdup("");
    if (!e->keep.rules)
        return xstrdup(_("would be pruned"));
    return backups_kept_text(e);
}

/* Minutes are enough on screen (the report has seconds); a time read from
 * the mtime is marked. */
static char *time_text(const struct backupdir_entry *e)
{
    const struct civil_time *t = &e->time;

    if (e->time_from_mtime)
        return xasprintf(_("%04d-%02d-%02d %02d:%02d mtime"), t->year,
                         t->month, t->day, t->hour, t->minute);
    return xasprintf("%04d-%02d-%02d %02d:%02d", t->year, t->month, t->day,
                     t->hour, t->minute);
}

static char *cell_text(const struct backups *b,
                       const struct backupdir_entry *e, int col)
{
    switch (col) {
    case COL_FILE: return xstrdup(e->name);
    case COL_TIME: return time_text(e);
    case COL_SIZE: return backups_format_size((int64_t)e->size);
    case COL_CHANGE: return change_text(e);
    case COL_AGE: return backups_format_age(e->age);
    case COL_STATE: return state_text(b, e);
    default: return kept_text(e);
    }
}

static const char *src_cell(void *ctx, long row, int col, enum grid_cell *st)
{
    struct backups *b = ctx;
    char *text;

    *st = GRID_VALUE;
    if (!b->bd || row < 0 || (size_t)row >= b->bd->n)
        return "";
    text = cell_text(b, &b->bd->entries[row], col);
    snprintf(b->cell, sizeof b->cell, "%s", text);
    free(text);
    return b->cell;
}

static void src_want(void *ctx, long first, long count)
{
    (void)ctx;
    (void)first;
    (void)count;
}

static int src_row_attr(void *ctx, long row)
{
    const struct backups *b = ctx;
    const struct backupdir_entry *e;
    enum backupverify_state s;

    if (!b->bd || row < 0 || (size_t)row >= b->bd->n)
        return THEME_NORMAL;
    e = &b->bd->entries[row];
    s = backupverify_state_class(backups_entry_state(b, e));
    if (e->kind == BACKUPDIR_SYMLINK && e->link != BACKUPDIR_LINK_INSIDE)
        return THEME_WARNING;
    if (s == BACKUPVERIFY_CORRUPT || s == BACKUPVERIFY_EMPTY ||
        s == BACKUPVERIFY_UNREADABLE)
        return THEME_ERROR;
    if (e->future || e->size_drop || s == BACKUPVERIFY_PARTIAL)
        return THEME_WARNING;
    if (e->kind != BACKUPDIR_BACKUP && e->kind != BACKUPDIR_SYMLINK)
        return THEME_DIM;
    return s == BACKUPVERIFY_VERIFIED ? THEME_OK : THEME_NORMAL;
}

void backups_view_init(struct backups *b)
{
    b->grid = grid_new();
    b->src = (struct grid_source){
        .ctx = b, .ncols = src_ncols, .col_name = src_col_name,
        .col_numeric = src_col_numeric, .nrows = src_nrows,
        .nrows_known = src_nrows, .cell = src_cell, .want = src_want,
        .row_attr = src_row_attr,
    };
}

/* ---- the summary lines -------------------------------------------------- */

static void line(WINDOW *w, int y, enum theme_role role, const char *text)
{
    wattrset(w, theme_attr(role));
    wmove(w, y, 0);
    text_draw(w, text, getmaxx(w), 1);
    wattrset(w, A_NORMAL);
}

/* What verification found, counted over the backups (a link counts as its
 * target, which is a row of its own): "6 verified · 1 failing". */
static char *verdict_text(const struct backups *b)
{
    size_t ok = 0, bad = 0;
    char *v, *f, *out;

    for (size_t i = 0; i < b->bd->n; i++) {
        const struct backupdir_entry *e = &b->bd->entries[i];
        enum backupverify_state st = backupverify_state_class(e->state);
        if (e->kind != BACKUPDIR_BACKUP && e->kind != BACKUPDIR_PARTIAL)
            continue;
        ok += st == BACKUPVERIFY_VERIFIED;
        bad += st != BACKUPVERIFY_VERIFIED && st != BACKUPVERIFY_UNVERIFIED;
    }
    if (!bad)
        return xasprintf(P_("%zu verified", "%zu verified", ok), ok);
    v = xasprintf(P_("%zu verified", "%zu verified", ok), ok);
    f = xasprintf(P_("%zu failing", "%zu failing", bad), bad);
    out = xasprintf("%s · %s", v, f);
    free(v);
    free(f);
    return out;
}

static char *progress_text(const struct backups *b)
{
    double pct;

    if (b->bd->err)
        return xstrdup(_("cannot be read"));
    if (!b->timer)
        return verdict_text(b);
    pct = b->bytes_total ? 100.0 * (double)(b->bytes_done +
                                            (b->job ? backupverify_bytes_read(
                                                          b->job)
                                                    : 0)) /
                               (double)b->bytes_total
                         : 0;
    return xasprintf(_("verifying %zu of %zu files (%.0f%%)"),
                     b->files_done + 1, b->files_total, pct);
}

static char *folder_text(const struct backups *b)
{
    char *prog = progress_text(b);
    char *out = xasprintf(P_("Folder %s · %zu file · %s",
                             "Folder %s · %zu files · %s", b->bd->n),
                          b->dir, b->bd->n, prog);

    free(prog);
    return out;
}

static char *policy_text(const struct backups *b)
{
    char *s = backups_policy_counts(&b->stated);
    char *m = backups_policy_counts(&b->sum.met);
    char *out = xasprintf(_("Policy stated: %s · met: %s"), s, m);

    free(s);
    free(m);
    return out;
}

static char *day_text(int64_t day)
{
    int y, m, d;

    retention_civil_from_days(day, &y, &m, &d);
    return xasprintf("%04d-%02d-%02d", y, m, d);
}

/* The most recent missing nights, newest first, at most three. */
static char *missing_list(const struct backups *b)
{
    char buf[64] = "";

    for (size_t i = 0; i < b->sum.missing_n && i < 3; i++) {
        char *d = day_text(b->sum.missing[b->sum.missing_n - 1 - i]);
        snprintf(buf + strlen(buf), sizeof buf - strlen(buf), "%s%s",
                 i ? ", " : "", d);
        free(d);
    }
    return xstrdup(buf);
}

static char *points_text(const struct backups *b)
{
    char *miss = missing_list(b), *oldest, *out;
    ptrdiff_t o = b->sum.oldest_restorable;

    oldest = o >= 0 ? backups_format_time(&b->bd->entries[o].time)
                    : xstrdup(_("none verified yet"));
    out = xasprintf(_("Missing nights: %zu%s%s%s · oldest restorable: %s"),
                    b->sum.missing_total, *miss ? " (" : "", miss,
                    *miss ? ")" : "", oldest);
    free(miss);
    free(oldest);
    return out;
}

static char *server_text(const struct backups *b)
{
    const char *wait = "…";

    return xasprintf(_("Server: WAL archiving %s · replication %s · "
                       "database %s"),
                     b->archiver ? b->archiver : wait,
                     b->replication ? b->replication : wait,
                     b->dbsize ? b->dbsize : wait);
}

static char *cron_text(const struct backups *b)
{
    if (!b->cron)
        return xstrdup(_("Cron: no backup entry found in /etc/crontab, "
                         "/etc/cron.d or your crontab (where readable)"));
    return xasprintf(_("Cron: %s: %s"), b->cron, b->cron_line);
}

static int draw_summary(struct backups *b, WINDOW *w)
{
    char *lines[] = { folder_text(b), policy_text(b), points_text(b),
                      server_text(b), cron_text(b) };
    enum theme_role roles[] = { THEME_TITLE, THEME_NORMAL, THEME_NORMAL,
                                THEME_NORMAL, b->cron ? THEME_NORMAL
                                                      : THEME_WARNING };
    int y = 0;

    for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
        line(w, y++, roles[i], lines[i]);
        free(lines[i]);
    }
    return y;
}

static int draw_findings(struct backups *b, WINDOW *w, int y, int max)
{
    int n = 0;

    for (size_t i = 0; i < b->nfindings && n < max; i++, n++)
        line(w, y + n, (enum theme_role)b->findings[i].severity,
             b->findings[i].text);
    if (!b->nfindings && max > 0 && !b->timer) {
        line(w, y, THEME_OK, _("No findings: the backups are recent, whole "
                               "and meet the policy."));
        n = 1;
    }
    return n;
}

static void draw_log(struct backups *b, WINDOW *w, int y, int rows)
{
    char *title = xasprintf(_("Log %s (last lines):"),
                            b->log_path ? b->log_path : "-");

    line(w, y++, THEME_HEADER, title);
    free(title);
    if (b->log_error) {
        line(w, y, THEME_WARNING, b->log_error);
        return;
    }
    int first = b->nlog - (rows - 1) > 0 ? b->nlog - (rows - 1) : 0;
    int last_error = -1;

    for (int i = 0; i < b->nlog; i++)
        if (backups_host_log_error(b->log[i]))
            last_error = i;
    /* An error older than the tail shown still deserves a line. */
    if (last_error >= 0 && last_error < first) {
        char *text = xasprintf(_("last error: %s"), b->log[last_error]);
        line(w, y++, THEME_ERROR, text);
        free(text);
        first++;
    }
    for (int i = first; i < b->nlog; i++)
        line(w, y++, backups_host_log_error(b->log[i]) ? THEME_ERROR
                                                        : THEME_DIM,
             b->log[i]);
}

/* Back up now / restore test: progress, or the outcome's first lines. */
static int draw_run(struct backups *b, WINDOW *w, int y)
{
    const struct backups_run *r = b->run;
    int n = 0;

    if (!r)
        return 0;
    if (!r->done) {
        char *text = backups_run_progress(r);
        line(w, y, THEME_INFO, text);
        free(text);
        return 1;
    }
    if (r->failed)
        line(w, y + n++, THEME_ERROR, r->error);
    for (int i = 0; i < r->nlines && i < 3; i++)
        line(w, y + n++, r->diffs || r->sql_errors ? THEME_WARNING : THEME_OK,
             r->lines[i]);
    return n;
}

void backups_view_draw(struct backups *b, WINDOW *w)
{
    int h = getmaxy(w), width = getmaxx(w);
    int y = draw_summary(b, w);
    int log_rows = h >= 30 ? 7 : 4;
    int grid_rows;

    y += draw_findings(b, w, y, 3);
    y += draw_run(b, w, y);
    grid_rows = h - y - log_rows;
    b->grid_top = b->bd->err ? h : y;   /* clicks below land in the list */
    if (b->bd->err) {
        draw_log(b, w, h - log_rows, log_rows);
        return;
    }
    if (grid_rows >= 2) {
        WINDOW *area = derwin(w, grid_rows, width, y, 0);
        grid_draw(b->grid, area);
        delwin(area);
    }
    draw_log(b, w, h - log_rows, log_rows);
}
