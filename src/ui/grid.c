/* The grid's cursor and keys, the position text for a status line, and the
 * cursor row as text for copying and for a detail view. Drawing is in
 * grid_draw.c, searching in grid_search.c. */
#include "autoconfig.h"

#include "ui/grid.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"
#include "i18n.h"
#include "ui/grid_priv.h"
#include "ui/text.h"

#define KEY_CTRL(c) ((c) & 0x1f)

struct grid *grid_new(void)
{
    struct grid *g = xcalloc(1, sizeof *g);

    g->left = 1;
    g->rows_h = 1;
    return g;
}

void grid_free(struct grid *g)
{
    if (!g)
        return;
    grid_search_reset(g);
    free(g->col_x);
    free(g->col_w);
    free(g->col_nat);
    free(g);
}

void grid_set_source(struct grid *g, const struct grid_source *src)
{
    g->src = src;
    g->cur = g->top = 0;
    g->col = 0;
    g->left = 1;
    g->follow_end = false;
    g->nvis = 0;
    grid_search_reset(g);
}

const struct grid_source *grid_source(const struct grid *g)
{
    return g->src;
}

int grid_ncols(const struct grid *g)
{
    return g->src && g->src->ncols ? g->src->ncols(g->src->ctx) : 0;
}

long grid_rows_known(const struct grid *g)
{
    long n;

    if (!g->src)
        return 0;
    n = g->src->nrows(g->src->ctx);
    if (n < 0)
        n = g->src->nrows_known ? g->src->nrows_known(g->src->ctx) : 0;
    return n < 0 ? 0 : n;
}

void grid_clamp(struct grid *g)
{
    long known = grid_rows_known(g), total;
    int ncols = grid_ncols(g);

    if (g->follow_end)
        g->cur = known - 1;
    if (g->cur >= known)
        g->cur = known - 1;
    if (g->cur < 0)
        g->cur = 0;
    if (g->top > g->cur)
        g->top = g->cur;
    if (g->cur >= g->top + g->rows_h)
        g->top = g->cur - g->rows_h + 1;
    /* With a known total, keep the window full (after End or a resize). */
    total = g->src ? g->src->nrows(g->src->ctx) : 0;
    if (total >= 0 && g->top > total - g->rows_h)
        g->top = total - g->rows_h;
    if (g->top < 0)
        g->top = 0;
    if (g->col >= ncols)
        g->col = ncols - 1;
    if (g->col < 0)
        g->col = 0;
}

long grid_cursor(const struct grid *g)
{
    return g->cur;
}

int grid_col_cursor(const struct grid *g)
{
    return g->col;
}

void grid_scroll_to(struct grid *g, long row)
{
    g->follow_end = false;
    g->cur = row;
    grid_clamp(g);
}

/* ---- keys --------------------------------------------------------------- */

static void grid_move_rows(struct grid *g, long delta, bool scroll)
{
    long known = grid_rows_known(g);

    g->follow_end = false;
    g->cur += delta;
    if (scroll)
        g->top += delta;
    if (g->cur > known - 1)
        g->cur = known - 1;
    grid_clamp(g);
}

static bool grid_key_rows(struct grid *g, int key)
{
    long page = g->rows_h > 1 ? g->rows_h - 1 : 1;

    switch (key) {
    case KEY_UP: case 'k': grid_move_rows(g, -1, false); break;
    case KEY_DOWN: case 'j': grid_move_rows(g, 1, false); break;
    case KEY_PPAGE: case KEY_CTRL('b'): grid_move_rows(g, -page, true); break;
    case KEY_NPAGE: case KEY_CTRL('f'): grid_move_rows(g, page, true); break;
    case KEY_HOME: case 'g':
        g->follow_end = false;
        g->cur = g->top = 0;
        break;
    case KEY_END: case 'G':
        /* Only the last window is drawn (and so asked for) after this. */
        g->follow_end = true;
        grid_clamp(g);
        break;
    default:
        return false;
    }
    return true;
}

static bool grid_key_cols(struct grid *g, int key)
{
    switch (key) {
    case KEY_LEFT: case 'h': g->col--; break;
    case KEY_RIGHT: case 'l': g->col++; break;
    case '0': g->col = 0; g->left = 1; break;
    case '$': g->col = grid_ncols(g) - 1; break;
    default: return false;
    }
    grid_clamp(g);
    return true;
}

bool grid_key(struct grid *g, int key)
{
    if (!g->src || grid_ncols(g) <= 0)
        return false;
    if (key == 'n' || key == 'N') {
        if (!g->search)
            return false;
        grid_search(g, g->search, key == 'n' ? g->forward : !g->forward);
        return true;
    }
    if (!grid_key_rows(g, key) && !grid_key_cols(g, key))
        return false;
    grid_search_cancel(g);
    return true;
}

static int grid_col_at(const struct grid *g, int x)
{
    int n = grid_ncols(g);

    for (int c = 0; c < n && c < g->ncap; c++)
        if (g->col_w[c] > 0 && x >= g->col_x[c] &&
            x < g->col_x[c] + g->col_w[c])
            return c;
    return -1;
}

bool grid_click(struct grid *g, int y, int x)
{
    int c;

    if (!g->src || y < 0 || y > g->nvis)
        return false;
    c = grid_col_at(g, x);
    if (y == 0 && c < 0)
        return false;
    if (c >= 0)
        g->col = c;
    if (y > 0) {
        g->follow_end = false;
        g->cur = g->top + y - 1;
    }
    grid_search_cancel(g);
    grid_clamp(g);
    return true;
}

/* ---- position text ------------------------------------------------------ */

/* n with the locale's thousands separator (',' where it has none). */
static void format_count(long n, char *buf, size_t size)
{
    const char *sep = localeconv()->thousands_sep;
    char digits[32];
    size_t len, o = 0, seplen;

    if (!sep || !*sep)
        sep = ",";
    seplen = strlen(sep);
    len = (size_t)snprintf(digits, sizeof digits, "%ld", n < 0 ? -n : n);
    if (n < 0 && o + 1 < size)
        buf[o++] = '-';
    for (size_t i = 0; i < len && o + seplen + 1 < size; i++) {
        if (i > 0 && (len - i) % 3 == 0) {
            memcpy(buf + o, sep, seplen);
            o += seplen;
        }
        buf[o++] = digits[i];
    }
    buf[o] = 0;
}

static char *grid_rows_text(const struct grid *g)
{
    char row[40], total[40];
    long n = g->src->nrows(g->src->ctx), known = grid_rows_known(g);

    if (n == 0)
        return xstrdup(_("no rows"));
    format_count(known ? g->cur + 1 : 0, row, sizeof row);
    format_count(n >= 0 ? n : known, total, sizeof total);
    if (n < 0)
        return xasprintf(_("row %s of ≥ %s"), row, total);
    return xasprintf(_("row %s of %s"), row, total);
}

char *grid_status_text(const struct grid *g)
{
    char *rows, *text;
    int ncols = grid_ncols(g);

    if (!g->src || ncols <= 0)
        return xstrdup("");
    rows = grid_rows_text(g);
    if (ncols > 1)
        text = xasprintf(_("%s · col %d of %d"), rows, g->col + 1, ncols);
    else
        text = xstrdup(rows);
    free(rows);
    if (grid_search_pending(g)) {
        char *s = text;
        text = xasprintf(_("%s · searching “%s”…"), s, g->search);
        free(s);
    }
    return text;
}

/* ---- copying and the detail view --------------------------------------- */

static bool grid_has_row(const struct grid *g)
{
    return g->src && grid_ncols(g) > 0 && g->cur < grid_rows_known(g);
}

char *grid_cell_text(const struct grid *g)
{
    enum grid_cell st;
    const char *v;

    if (!grid_has_row(g))
        return NULL;
    v = g->src->cell(g->src->ctx, g->cur, g->col, &st);
    if (st == GRID_PENDING)
        return NULL;
    return xstrdup(st == GRID_NULL || !v ? "" : v);
}

/* v with \t \n \r \\ escaped onto out (sized for the worst case). */
static size_t escape_tsv(char *out, const char *v)
{
    size_t o = 0;

    for (; *v; v++) {
        const char *e = *v == '\t' ? "\\t" : *v == '\n' ? "\\n"
                      : *v == '\r' ? "\\r" : *v == '\\' ? "\\\\" : NULL;
        if (e) {
            out[o++] = e[0];
            out[o++] = e[1];
        } else {
            out[o++] = *v;
        }
    }
    return o;
}

char *grid_row_text(const struct grid *g)
{
    int ncols = grid_ncols(g);
    size_t len = 0, cap = 64;
    char *out;

    if (!grid_has_row(g))
        return NULL;
    out = xmalloc(cap);
    for (int c = 0; c < ncols; c++) {
        enum grid_cell st;
        const char *v = g->src->cell(g->src->ctx, g->cur, c, &st);
        size_t need;
        if (st == GRID_PENDING)
            return free(out), NULL;
        if (st == GRID_NULL || !v)
            v = "";
        need = len + 2 * strlen(v) + 2;
        if (need > cap)
            out = xrealloc(out, cap = need * 2);
        if (c > 0)
            out[len++] = '\t';
        len += escape_tsv(out + len, v);
    }
    out[len] = 0;
    return out;
}

struct lines {
    char **v;
    size_t n, cap;
};

static void lines_add(struct lines *l, char *line)
{
    if (l->n + 2 > l->cap) {
        l->cap = l->cap * 2 + 8;
        l->v = xrealloc(l->v, l->cap * sizeof *l->v);
    }
    l->v[l->n++] = line;
    l->v[l->n] = NULL;
}

/* "name: value" for one column; each further line of the value indented. */
static void detail_add(struct lines *l, const char *name, int namew,
                       const char *value)
{
    char *safe = text_sanitize(name ? name : "");
    int pad = namew - text_width(safe);
    const char *p = value;

    do {
        const char *nl = strchr(p, '\n');
        char *part = xstrndup(p, nl ? (size_t)(nl - p) : strlen(p));
        char *spart = text_sanitize(part);
        if (p == value)
            lines_add(l, xasprintf("%s%*s: %s", safe, pad > 0 ? pad : 0, "",
                                   spart));
        else
            lines_add(l, xasprintf("%*s  %s", namew, "", spart));
        free(part);
        free(spart);
        p = nl ? nl + 1 : NULL;
    } while (p);
    free(safe);
}

static int detail_name_width(const struct grid *g, int ncols)
{
    int w = 0;

    for (int c = 0; c < ncols; c++) {
        int cw = text_width(g->src->col_name(g->src->ctx, c));
        if (cw > w)
            w = cw;
    }
    return w > GRID_MAX_WIDTH ? GRID_MAX_WIDTH : w;
}

char **grid_row_lines(const struct grid *g)
{
    struct lines l = { 0 };
    int ncols = grid_ncols(g), namew;

    if (!grid_has_row(g))
        return NULL;
    namew = detail_name_width(g, ncols);
    for (int c = 0; c < ncols; c++) {
        enum grid_cell st;
        const char *v = g->src->cell(g->src->ctx, g->cur, c, &st);
        char *copy = xstrdup(st == GRID_VALUE && v ? v
                             : st == GRID_NULL ? "∅ (NULL)" : "…");
        detail_add(&l, g->src->col_name(g->src->ctx, c), namew, copy);
        free(copy);
    }
    return l.v;
}
