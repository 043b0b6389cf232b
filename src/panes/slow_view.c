/* Drawing the slow pane: the alarms line, the statements grid (or the
 * guidance when they cannot be read), the activity tree, and the grid
 * sources over the model's rows. */
#include "autoconfig.h"

#include "panes/slow.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"
#include "i18n.h"
#include "ui/text.h"
#include "ui/theme.h"

char *slow_fmt_ms(double ms)
{
    if (ms < 0)
        return xstrdup("–");
    if (ms >= 10000)
        return xasprintf("%.1f s", ms / 1000);
    return xasprintf("%.2f ms", ms);
}

/* ---- statements source ------------------------------------------------- */

static const struct {
    int col;               /* enum slow_col; -1: database, -2: user */
    const char *name;
} stmt_cols[] = {
    /* The query early, so that it shows on an 80-column terminal. */
    { SLOW_COL_MEAN, N_("mean ms") }, { SLOW_COL_CALLS, N_("calls") },
    { SLOW_COL_TOTAL, N_("total ms") }, { SLOW_COL_SHARE, N_("time %") },
    { SLOW_COL_QUERY, N_("query") }, { SLOW_COL_STDDEV, N_("stddev") },
    { SLOW_COL_MAX, N_("max ms") }, { SLOW_COL_ROWS, N_("rows") },
    { SLOW_COL_HIT, N_("hit %") }, { SLOW_COL_TEMP, N_("temp blks") },
    { SLOW_COL_QUERYID, N_("queryid") },
    /* Only for all databases: the last two. */
    { -1, N_("database") }, { -2, N_("user") },
};
#define NSTMT_COLS ((int)(sizeof stmt_cols / sizeof stmt_cols[0]))

static int stmt_ncols(void *ctx)
{
    return ((struct slowp *)ctx)->all_dbs ? NSTMT_COLS : NSTMT_COLS - 2;
}

static const char *stmt_col_name(void *ctx, int col)
{
    (void)ctx;
    return _(stmt_cols[col].name);
}

static bool stmt_numeric(void *ctx, int col)
{
    int c = stmt_cols[col].col;

    (void)ctx;
    return c >= 0 && c != SLOW_COL_QUERY;
}

static long stmt_nrows(void *ctx)
{
    const struct slowp *s = ctx;

    return slow_statements_usable(s) ? s->nrows : 0;
}

/* v with this many decimals; negative: not known. */
static const char *fmt(struct slowp *s, int decimals, double v)
{
    if (v < 0)
        return "–";
    snprintf(s->cellbuf, sizeof s->cellbuf, "%.*f", decimals, v);
    return s->cellbuf;
}

static const char *stmt_cell(void *ctx, long row, int col, enum grid_cell *st)
{
    struct slowp *s = ctx;
    const struct slow_stmt *t = &s->rows[row];

    *st = GRID_VALUE;
    switch (stmt_cols[col].col) {
    case SLOW_COL_MEAN: return fmt(s, 2, t->mean_ms);
    case SLOW_COL_CALLS: return fmt(s, 0, (double)t->calls);
    case SLOW_COL_TOTAL: return fmt(s, 1, t->total_ms);
    case SLOW_COL_SHARE: return fmt(s, 1, 100 * t->share);
    case SLOW_COL_STDDEV: return fmt(s, 2, t->stddev_ms);
    case SLOW_COL_MAX: return fmt(s, 2, t->max_ms);
    case SLOW_COL_ROWS: return fmt(s, 0, (double)t->rows);
    case SLOW_COL_HIT: return fmt(s, 1, t->hit_ratio < 0 ? -1
                                              : 100 * t->hit_ratio);
    case SLOW_COL_TEMP: return fmt(s, 0, (double)t->temp_blks);
    case SLOW_COL_QUERYID:
        if (!t->has_queryid)
            return *st = GRID_NULL, NULL;
        snprintf(s->cellbuf, sizeof s->cellbuf, "%lld", t->queryid);
        return s->cellbuf;
    case -1: return t->dbname;
    case -2: return t->user;
    default: return slow_one_line(s->cellbuf, sizeof s->cellbuf, t->query);
    }
}

static void stmt_want(void *ctx, long first, long count)
{
    (void)ctx, (void)first, (void)count;
}

static int stmt_row_attr(void *ctx, long row)
{
    const struct slowp *s = ctx;

    switch (slow_classify(s->rows[row].mean_ms, s->threshold_ms)) {
    case SLOW_OVER: return THEME_ERROR;
    case SLOW_NEAR: return THEME_WARNING;
    default: return THEME_NORMAL;
    }
}

/* ---- activity source ---------------------------------------------------- */

static const char *const act_names[] = {
    N_("pid"), N_("blocks"), N_("user"), N_("application"), N_("client"),
    N_("state"), N_("wait event"), N_("duration"), N_("in state"),
    N_("query"),
};

static int act_ncols(void *ctx)
{
    (void)ctx;
    return (int)(sizeof act_names / sizeof act_names[0]);
}

static const char *act_col_name(void *ctx, int col)
{
    (void)ctx;
    return _(act_names[col]);
}

static bool act_numeric(void *ctx, int col)
{
    (void)ctx;
    return col == 1 || col == 7 || col == 8;
}

static long act_nrows(void *ctx)
{
    return ((struct slowp *)ctx)->nact;
}

/* The pid, indented under its blocker with a tree mark. */
static const char *act_pid(struct slowp *s, const struct slow_activity_row *a)
{
    int n = 0;

    for (int d = 1; d < a->depth && n < 40; d++)
        n += snprintf(s->cellbuf + n, sizeof s->cellbuf - n, "  ");
    snprintf(s->cellbuf + n, sizeof s->cellbuf - n, "%s%d",
             a->depth ? "└ " : "", a->pid);
    return s->cellbuf;
}

static const char *act_ms(struct slowp *s, double ms)
{
    char *t = slow_fmt_ms(ms);

    snprintf(s->cellbuf, sizeof s->cellbuf, "%s", t);
    free(t);
    return s->cellbuf;
}

static const char *act_cell(void *ctx, long row, int col, enum grid_cell *st)
{
    struct slowp *s = ctx;
    const struct slow_activity_row *a = &s->act[row];

    *st = GRID_VALUE;
    switch (col) {
    case 0: return act_pid(s, a);
    case 1: return fmt(s, 0, a->blocks);
    case 2: return a->user;
    case 3: return a->app;
    case 4: return a->client;
    case 5: return a->state;
    case 6: return a->wait;
    case 7: return act_ms(s, a->query_ms);
    case 8: return act_ms(s, a->state_ms);
    default: return slow_one_line(s->cellbuf, sizeof s->cellbuf, a->query);
    }
}

/* Running a minute (pghero's alarm) or blocked: red; idle in transaction,
 * blocking others or over the threshold: yellow. */
static int act_row_attr(void *ctx, long row)
{
    const struct slowp *s = ctx;
    const struct slow_activity_row *a = &s->act[row];
    bool active = strcmp(a->state, "active") == 0;

    if (a->nblockers || (active && a->query_ms >= 60000))
        return THEME_ERROR;
    if (a->blocks || strncmp(a->state, "idle in transaction", 19) == 0 ||
        (active && a->query_ms >= s->threshold_ms))
        return THEME_WARNING;
    return THEME_NORMAL;
}

void slow_view_init(struct slowp *s)
{
    s->src = (struct grid_source){
        .ctx = s, .ncols = stmt_ncols, .col_name = stmt_col_name,
        .col_numeric = stmt_numeric, .nrows = stmt_nrows, .cell = stmt_cell,
        .want = stmt_want, .row_attr = stmt_row_attr,
    };
    s->asrc = (struct grid_source){
        .ctx = s, .ncols = act_ncols, .col_name = act_col_name,
        .col_numeric = act_numeric, .nrows = act_nrows, .cell = act_cell,
        .want = stmt_want, .row_attr = act_row_attr,
    };
    s->grid = grid_new();
    s->agrid = grid_new();
    grid_set_source(s->grid, &s->src);
    grid_set_source(s->agrid, &s->asrc);
}

int slow_sort_column(const struct slowp *s, int grid_col)
{
    if (grid_col < 0 || grid_col >= stmt_ncols((void *)s))
        return -1;
    return stmt_cols[grid_col].col;
}

/* ---- header ------------------------------------------------------------- */

char *slow_header_text(const struct slowp *s)
{
    const struct slow_header *h = &s->hdr;

    if (!h->known)
        return xstrdup(_("Reading the alarms…"));
    if (h->hit_rate < 0)
        return xasprintf(_("Connections %ld/%ld · idle in transaction %ld · "
                           "over 60 s %ld · cache hit –"),
                         h->connections, h->max_connections, h->idle_in_tx,
                         h->over_60s);
    return xasprintf(_("Connections %ld/%ld · idle in transaction %ld · "
                       "over 60 s %ld · cache hit %.2f%%"),
                     h->connections, h->max_connections, h->idle_in_tx,
                     h->over_60s, 100 * h->hit_rate);
}

/* Alarmed: connections over 80% of the maximum, any session idle in
 * transaction or running over a minute, cache hits under 99%. */
static bool header_alarm(const struct slow_header *h)
{
    return h->known && (h->connections * 5 > h->max_connections * 4 ||
                        h->idle_in_tx > 0 || h->over_60s > 0 ||
                        (h->hit_rate >= 0 && h->hit_rate < 0.99));
}

/* ---- drawing ------------------------------------------------------------ */

static void draw_line(WINDOW *w, int y, enum theme_role role, const char *s)
{
    int width = getmaxx(w);

    wmove(w, y, 0);
    wattrset(w, theme_attr(role));
    text_draw(w, s, width, 1);
    wattrset(w, A_NORMAL);
}

static char *mode_text(const struct slowp *s)
{
    const char *mode = s->now_mode ? _("now (since the pane opened or b)")
                                   : _("since the statistics reset");
    const char *scope = s->all_dbs ? _("all databases") : _("this database");

    if (s->view == SLOW_VIEW_ACTIVITY)
        return xasprintf(P_("Activity · %d session · every %.1f s%s · "
                            "query %.1f ms",
                            "Activity · %d sessions · every %.1f s%s · "
                            "query %.1f ms", (unsigned long)s->nact),
                         s->nact, s->refresh_ms / 1000.0,
                         s->paused ? _(" (paused: p)") : "", s->act_ms);
    return xasprintf(P_("Statements · %s · %s · %d shown · over %.0f ms "
                        "in red%s · query %.1f ms",
                        "Statements · %s · %s · %d shown · over %.0f ms "
                        "in red%s · query %.1f ms", (unsigned long)s->nrows),
                     mode, scope, s->nrows,
                     s->threshold_ms, s->reset_seen
                         ? _(" · statistics were reset") : "", s->stmt_ms);
}

/* Lines from y on; returns the next free line. */
static int draw_lines(WINDOW *w, int y, char **lines, enum theme_role role)
{
    for (int i = 0; lines && lines[i] && y < getmaxy(w); i++)
        draw_line(w, y++, role, lines[i]);
    return y;
}

static WINDOW *sub_from(WINDOW *w, int y)
{
    int h = getmaxy(w) - y;

    return h > 1 ? derwin(w, h, getmaxx(w), y, 0) : NULL;
}

static void draw_grid(struct grid *g, WINDOW *w, int y)
{
    WINDOW *sub = sub_from(w, y);

    if (!sub)
        return;
    grid_draw(g, sub);
    delwin(sub);
}

static void draw_statements(struct slowp *s, WINDOW *w, int y)
{
    char **guide = slow_guidance(s);

    if (s->missing != SLOW_HAVE_PGSS) {
        draw_lines(w, y, guide, THEME_INFO);
    } else if (s->stmt_error) {
        char *t = xasprintf(_("pg_stat_statements: %s"), s->stmt_error);
        draw_line(w, y, THEME_ERROR, t);
        free(t);
    } else {
        y = draw_lines(w, y, guide, THEME_INFO);
        draw_grid(s->grid, w, y);
    }
    slow_guidance_free(guide);
}

/* The detail's text as screen lines: the statement and the plan with each
 * line wrapped at the window's width, so nothing is cut; scrolled by
 * s->scroll screen lines. */
struct detail_out {
    WINDOW *w;
    int y, h, line, width, skip;
};

static void detail_put(struct detail_out *o, enum theme_role role,
                       const char *text, size_t len)
{
    char *one = xstrndup(text, len);

    if (o->line++ >= o->skip && o->y < o->h)
        draw_line(o->w, o->y++, role, one);
    free(one);
}

/* The bytes of text that go on one screen line of width columns: cut
 * after the last space that fits, when there is one. */
static size_t wrap_at(const char *text, size_t len, int width)
{
    size_t n = text_fit(text, len, width);

    if (n < len && text[n] != ' ') {
        size_t sp = n;
        while (sp > 0 && text[sp - 1] != ' ')
            sp--;
        if (sp > 0)
            n = sp;
    }
    return n;
}

/* One logical line, wrapped; continuation lines are indented by two. */
static void detail_wrap(struct detail_out *o, enum theme_role role,
                        const char *text, size_t len)
{
    size_t n = wrap_at(text, len, o->width);

    detail_put(o, role, text, n);
    while ((text += n, len -= n) > 0) {
        char *cont;
        n = wrap_at(text, len, o->width > 4 ? o->width - 2 : o->width);
        cont = xasprintf("  %.*s", (int)n, text);
        detail_put(o, role, cont, strlen(cont));
        free(cont);
    }
}

static void detail_text(struct detail_out *o, enum theme_role role,
                        const char *text)
{
    for (const char *q = text; q;) {
        const char *nl = strchr(q, '\n');
        detail_wrap(o, role, q, nl ? (size_t)(nl - q) : strlen(q));
        q = nl ? nl + 1 : NULL;
    }
}

static char *detail_title(const struct slowp *s);

/* The title (wrapped, never scrolled) from line y, then the statement. */
static void draw_detail(struct slowp *s, WINDOW *w, int y)
{
    struct detail_out o = {
        .w = w, .y = y, .width = getmaxx(w),
        .h = getmaxy(w) - (s->prompt && cmdline_active(s->prompt) ? 1 : 0),
    };
    char *title = detail_title(s);

    detail_text(&o, THEME_TITLE, title);
    free(title);
    y = o.y;
    o.line = 0;
    o.skip = s->scroll;
    detail_text(&o, THEME_NORMAL, s->pretty ? s->pretty : "");
    if (s->plan_error)
        detail_text(&o, THEME_ERROR, s->plan_error);
    for (int i = 0; i < s->nplan; i++) {
        char *t = xasprintf("%s %s", s->plan_mark[i] ? "▶" : " ", s->plan[i]);
        detail_text(&o, s->plan_mark[i] ? THEME_WARNING : THEME_NORMAL, t);
        free(t);
    }
    /* Scrolling stops when the last line is on screen. */
    s->detail_lines = o.line;
    s->detail_height = o.h - y;
    if (s->prompt && cmdline_active(s->prompt))
        cmdline_draw(s->prompt, w, getmaxy(w) - 1);
}

static char *detail_title(const struct slowp *s)
{
    char *mean = slow_fmt_ms(s->sel.mean_ms), *max = slow_fmt_ms(s->sel.max_ms);
    char *calls = xasprintf(P_("%lld call", "%lld calls",
                               (unsigned long)s->sel.calls), s->sel.calls);
    char *rows = xasprintf(P_("%lld row", "%lld rows",
                              (unsigned long)s->sel.rows), s->sel.rows);
    char *t = xasprintf(_("queryid %lld · %s@%s · %s · mean %s · max %s · "
                          "%s · e: EXPLAIN, E: ANALYZE"),
                        s->sel.queryid, s->sel.user ? s->sel.user : "",
                        s->sel.dbname ? s->sel.dbname : "", calls, mean, max,
                        rows);

    free(mean);
    free(max);
    free(calls);
    free(rows);
    return t;
}

void slow_view_draw(struct pane *p, WINDOW *w)
{
    struct slowp *s = slow_state(p);
    char *head = slow_header_text(s), *mode;

    werase(w);
    draw_line(w, 0, header_alarm(&s->hdr) ? THEME_WARNING : THEME_OK, head);
    free(head);
    if (s->view != SLOW_VIEW_DETAIL) {
        mode = mode_text(s);
        draw_line(w, 1, THEME_TITLE, mode);
        free(mode);
    }
    if (s->view == SLOW_VIEW_STATEMENTS)
        draw_statements(s, w, 2);
    else if (s->view == SLOW_VIEW_ACTIVITY)
        draw_grid(s->agrid, w, 2);
    else
        draw_detail(s, w, 1);
    if (s->search && cmdline_active(s->search))
        cmdline_draw(s->search, w, getmaxy(w) - 1);
}
