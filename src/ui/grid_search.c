/* Searching the grid without blocking: cells are read in row-major order
 * for a few milliseconds at a time, and a row the source has not loaded
 * suspends the search until a later draw finds it loaded. */
#include "autoconfig.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/xalloc.h"
#include "ui/grid_priv.h"

/* Time one step may take; a key press or a draw stays well under a frame. */
#define STEP_BUDGET_NS 8000000L
#define CHECK_EVERY 256
/* Highlights look only at the start of a value: the part a cell can show. */
#define SPAN_SCAN_BYTES 4096

static long now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000000000L + ts.tv_nsec;
}

void grid_search_reset(struct grid *g)
{
    free(g->search);
    free(g->needle);
    g->search = NULL;
    g->needle = NULL;
    g->nneedle = 0;
    g->result = GRID_NOT_FOUND;
}

const char *grid_search_text(const struct grid *g)
{
    return g->search;
}

bool grid_search_pending(const struct grid *g)
{
    return g->search && g->result == GRID_SEARCHING;
}

enum grid_search_result grid_search_result(const struct grid *g)
{
    return g->result;
}

void grid_search_cancel(struct grid *g)
{
    if (g->result == GRID_SEARCHING)
        g->result = GRID_NOT_FOUND;
}

/* The last row a backward wrap goes to, or a forward scan stops before:
 * the total, or the rows known so far while it is unknown. */
static long search_rows(const struct grid *g)
{
    return grid_rows_known(g);
}

/* Moves (srow, scol) to the next cell in the search's direction. */
static void search_advance(struct grid *g, int ncols)
{
    long total = g->src->nrows(g->src->ctx);

    if (g->forward) {
        if (++g->scol < ncols)
            return;
        g->scol = 0;
        /* Past the known rows of an unfinished count the row stays pending. */
        if (++g->srow >= total && total >= 0)
            g->srow = 0;
        return;
    }
    if (--g->scol >= 0)
        return;
    g->scol = ncols - 1;
    if (--g->srow < 0)
        g->srow = search_rows(g) - 1;
}

/* A search that ran past the end of a count that is now known wraps. */
static void search_wrap(struct grid *g)
{
    long total = g->src->nrows(g->src->ctx);

    if (total > 0 && g->srow >= total)
        g->srow = g->forward ? 0 : total - 1;
}

/* GRID_VALUE match, GRID_PENDING when the cell is not loaded yet. */
static enum grid_cell search_cell(struct grid *g, bool *match)
{
    enum grid_cell st = GRID_PENDING;
    const char *v;
    struct text_span sp;

    *match = false;
    if (g->srow >= search_rows(g) || g->srow < 0)
        return GRID_PENDING;
    v = g->src->cell(g->src->ctx, g->srow, g->scol, &st);
    if (st == GRID_VALUE && v)
        *match = text_find(v, strlen(v), 0, g->needle, g->nneedle, &sp);
    return st;
}

static void search_found(struct grid *g)
{
    g->result = GRID_FOUND;
    g->follow_end = false;
    g->cur = g->srow;
    g->col = g->scol;
    grid_clamp(g);
}

void grid_search_step(struct grid *g)
{
    int ncols = grid_ncols(g);
    long deadline = now_ns() + STEP_BUDGET_NS;

    if (g->result != GRID_SEARCHING)
        return;
    search_wrap(g);
    if (ncols <= 0 || search_rows(g) == 0) {
        g->result = g->src && g->src->nrows(g->src->ctx) == 0
                    ? GRID_NOT_FOUND : GRID_SEARCHING;
        return;
    }
    for (long n = 1;; n++) {
        bool match, last;
        if (search_cell(g, &match) == GRID_PENDING)
            return;   /* stays GRID_SEARCHING; grid_search_want asks */
        last = g->srow == g->start_row && g->scol == g->start_col;
        if (match) {
            search_found(g);
            return;
        }
        if (last) {
            g->result = GRID_NOT_FOUND;
            return;
        }
        search_advance(g, ncols);
        if (n % CHECK_EVERY == 0 && now_ns() > deadline)
            return;
    }
}

void grid_search_want(struct grid *g)
{
    if (!grid_search_pending(g) || !g->src->want)
        return;
    g->src->want(g->src->ctx, g->srow, g->rows_h > 0 ? g->rows_h : 1);
}

enum grid_search_result grid_search(struct grid *g, const char *text,
                                    bool forward)
{
    int ncols = grid_ncols(g);

    if (!text || !*text || !g->src || ncols <= 0) {
        grid_search_reset(g);
        return GRID_NOT_FOUND;
    }
    if (!g->search || strcmp(g->search, text) != 0) {
        char *copy = xstrdup(text);
        grid_search_reset(g);
        g->search = copy;
        g->needle = text_fold(copy, &g->nneedle);
    }
    grid_clamp(g);
    g->forward = forward;
    g->result = GRID_SEARCHING;
    g->start_row = g->srow = g->cur;
    g->start_col = g->scol = g->col;
    search_advance(g, ncols);
    grid_search_step(g);
    grid_search_want(g);
    return g->result;
}

int grid_search_spans(const struct grid *g, const char *value,
                      struct text_span *spans, int max)
{
    size_t len, from = 0;
    int n = 0;

    if (!g->search || !value)
        return 0;
    len = strnlen(value, SPAN_SCAN_BYTES);
    while (n < max &&
           text_find(value, len, from, g->needle, g->nneedle, &spans[n])) {
        from = spans[n].start + (spans[n].len ? spans[n].len : 1);
        n++;
    }
    return n;
}
