/* Drawing the grid: widths from the header and the visible rows only, the
 * first column frozen left of a '│', the others scrolled so the column
 * cursor is in view, then the header line and the rows. */
#include "autoconfig.h"

#include "core/xalloc.h"
#include "ui/grid_priv.h"
#include "ui/text.h"
#include "ui/theme.h"

#define GAP 2                 /* spaces between columns */
#define FROZEN_SEP " \u2502 " /* after the first column */
#define FROZEN_SEP_W 3
#define MAX_SPANS 16
#define NULL_MARK "\u2205"    /* ∅ */
#define PENDING_MARK "\u2026" /* … */

struct layout {
    WINDOW *win;
    int width;      /* of the window */
    int ncols;
    int *w;         /* natural width per column, -1 until measured */
    long first;     /* rows top .. top + nvis - 1 are drawn */
    long nvis;
};

/* Width of column c from its header and the visible rows, capped. */
static int col_width(struct grid *g, struct layout *L, int c)
{
    const struct grid_source *s = g->src;
    int w;

    if (L->w[c] >= 0)
        return L->w[c];
    w = text_width_max(s->col_name(s->ctx, c), GRID_MAX_WIDTH);
    for (long r = L->first; r < L->first + L->nvis && w < GRID_MAX_WIDTH;
         r++) {
        enum grid_cell st;
        const char *v = s->cell(s->ctx, r, c, &st);
        int cw = st == GRID_VALUE ? text_width_max(v, GRID_MAX_WIDTH) : 1;
        if (cw > w)
            w = cw;
    }
    if (w > GRID_MAX_WIDTH)
        w = GRID_MAX_WIDTH;
    /* The frozen column leaves at least half the window to the others. */
    if (c == 0 && L->ncols > 1 && w > L->width / 2)
        w = L->width / 2;
    return L->w[c] = w < 1 ? 1 : w;
}

static int scrolled_x0(struct grid *g, struct layout *L)
{
    return col_width(g, L, 0) + FROZEN_SEP_W;
}

/* Scrolls so the column cursor fits right of the frozen column: the least
 * scrolling that shows it whole. */
static void layout_scroll(struct grid *g, struct layout *L)
{
    int room, need = 0, l;

    if (g->left < 1)
        g->left = 1;
    if (g->col < 1)
        return;
    if (g->col < g->left) {
        g->left = g->col;
        return;
    }
    room = L->width - scrolled_x0(g, L);
    for (int c = g->col; c >= g->left && need <= room; c--)
        need += col_width(g, L, c) + (c < g->col ? GAP : 0);
    if (need <= room)
        return;
    l = g->col;
    need = col_width(g, L, l);
    while (l > 1 && need + GAP + col_width(g, L, l - 1) <= room)
        need += GAP + col_width(g, L, --l);
    g->left = l;
}

static void layout_reserve(struct grid *g, int ncols)
{
    if (ncols <= g->ncap)
        return;
    g->col_x = xrealloc(g->col_x, (size_t)ncols * sizeof *g->col_x);
    g->col_w = xrealloc(g->col_w, (size_t)ncols * sizeof *g->col_w);
    g->col_nat = xrealloc(g->col_nat, (size_t)ncols * sizeof *g->col_nat);
    g->ncap = ncols;
}

/* Where each column goes this draw (col_w -1: not shown). */
static void layout_place(struct grid *g, struct layout *L)
{
    int x;

    for (int c = 0; c < L->ncols; c++)
        g->col_x[c] = g->col_w[c] = -1;
    g->col_x[0] = 0;
    g->col_w[0] = col_width(g, L, 0);
    if (g->col_w[0] > L->width)
        g->col_w[0] = L->width;
    x = scrolled_x0(g, L);
    for (int c = g->left; c < L->ncols && x < L->width; c++) {
        int w = col_width(g, L, c);
        g->col_x[c] = x;
        /* The last column may show cut, ending in '…'. */
        g->col_w[c] = w < L->width - x ? w : L->width - x;
        x += w + GAP;
    }
}

/* ---- cells -------------------------------------------------------------- */

struct row_style {
    attr_t base;     /* the row */
    bool cursor;     /* the cursor row */
};

static attr_t cell_attr(const struct grid *g, const struct row_style *rs,
                        int c)
{
    if (rs->cursor && c == g->col && grid_ncols(g) > 1)
        return theme_attr(THEME_CURSOR_CELL);
    return rs->base;
}

static void draw_mark(WINDOW *win, const char *mark, attr_t attr, int w,
                      bool right)
{
    wattrset(win, attr);
    text_draw_spans(win, mark, w, right ? TEXT_RIGHT : TEXT_PAD, NULL, 0, 0);
}

static void draw_cell(struct grid *g, WINDOW *win, long row, int c,
                      const struct row_style *rs)
{
    const struct grid_source *s = g->src;
    bool right = s->col_numeric && s->col_numeric(s->ctx, c);
    attr_t attr = cell_attr(g, rs, c);
    enum grid_cell st;
    const char *v = s->cell(s->ctx, row, c, &st);
    struct text_span spans[MAX_SPANS];
    int n;

    wmove(win, getcury(win), g->col_x[c]);
    if (st == GRID_NULL) {
        draw_mark(win, NULL_MARK, rs->cursor ? attr : theme_attr(THEME_NULL),
                  g->col_w[c], right);
        return;
    }
    if (st == GRID_PENDING) {
        draw_mark(win, PENDING_MARK, rs->cursor ? attr : theme_attr(THEME_DIM),
                  g->col_w[c], right);
        return;
    }
    n = grid_search_spans(g, v, spans, MAX_SPANS);
    wattrset(win, attr);
    text_draw_spans(win, v, g->col_w[c], right ? TEXT_RIGHT : TEXT_PAD,
                    spans, n, theme_attr(THEME_MATCH));
}

/* The row's background, gaps included, so the cursor row is one bar. */
static void draw_fill(WINDOW *win, int y, int width, attr_t attr)
{
    wmove(win, y, 0);
    wattrset(win, attr);
    text_draw(win, "", width, 1);
}

static void draw_frozen_sep(struct grid *g, WINDOW *win, attr_t attr)
{
    if (g->col_w[0] + FROZEN_SEP_W > getmaxx(win) || grid_ncols(g) < 2)
        return;
    wmove(win, getcury(win), g->col_w[0]);
    wattrset(win, attr);
    text_draw(win, FROZEN_SEP, FROZEN_SEP_W, 0);
}

static void draw_row(struct grid *g, struct layout *L, int y, long row)
{
    struct row_style rs = { .cursor = row == g->cur };
    const struct grid_source *s = g->src;

    if (rs.cursor)
        rs.base = theme_attr(THEME_CURSOR_ROW);
    else if (s->row_attr)
        rs.base = theme_attr((enum theme_role)s->row_attr(s->ctx, row));
    else
        rs.base = theme_attr(THEME_NORMAL);
    if (rs.base != A_NORMAL)
        draw_fill(L->win, y, L->width, rs.base);
    wmove(L->win, y, 0);
    draw_frozen_sep(g, L->win, rs.cursor ? rs.base : theme_attr(THEME_BORDER));
    for (int c = 0; c < L->ncols; c++)
        if (g->col_w[c] > 0)
            draw_cell(g, L->win, row, c, &rs);
}

static void draw_header(struct grid *g, struct layout *L)
{
    const struct grid_source *s = g->src;
    attr_t base = theme_attr(THEME_HEADER) | A_UNDERLINE;

    wmove(L->win, 0, 0);
    draw_frozen_sep(g, L->win, theme_attr(THEME_BORDER));
    for (int c = 0; c < L->ncols; c++) {
        bool right = s->col_numeric && s->col_numeric(s->ctx, c);
        if (g->col_w[c] <= 0)
            continue;
        wmove(L->win, 0, g->col_x[c]);
        wattrset(L->win, c == g->col ? base | A_REVERSE : base);
        text_draw_spans(L->win, s->col_name(s->ctx, c), g->col_w[c],
                        right ? TEXT_RIGHT : TEXT_PAD, NULL, 0, 0);
    }
}

static void draw_rows(struct grid *g, WINDOW *win)
{
    int ncols = grid_ncols(g), width = getmaxx(win);
    long known = grid_rows_known(g);
    struct layout L = { win, width, ncols, NULL, g->top, 0 };

    layout_reserve(g, ncols);
    L.w = g->col_nat;
    for (int c = 0; c < ncols; c++)
        L.w[c] = -1;   /* not measured yet */
    g->nvis = L.nvis = known - g->top < g->rows_h ? known - g->top : g->rows_h;
    if (L.nvis < 0)
        g->nvis = L.nvis = 0;
    layout_scroll(g, &L);
    layout_place(g, &L);
    draw_header(g, &L);
    for (long i = 0; i < L.nvis; i++)
        draw_row(g, &L, (int)i + 1, g->top + i);
    wattrset(win, A_NORMAL);
}

void grid_draw(struct grid *g, WINDOW *win)
{
    werase(win);
    g->rows_h = getmaxy(win) - 1;
    if (g->rows_h < 0)
        g->rows_h = 0;
    g->nvis = 0;
    if (!g->src || grid_ncols(g) <= 0 || getmaxx(win) <= 0)
        return;
    grid_search_step(g);
    grid_clamp(g);
    if (g->src->want && g->rows_h > 0)
        g->src->want(g->src->ctx, g->top, g->rows_h);
    draw_rows(g, win);
    grid_search_want(g);
}
