/* The grid's state, shared by its parts: grid.c (cursor, keys, copying),
 * grid_draw.c (layout and drawing) and grid_search.c (searching). Nothing
 * outside src/ui/grid*.c includes this. */
#ifndef DEGUX_GRID_PRIV_H
#define DEGUX_GRID_PRIV_H

#include <stddef.h>
#include <wchar.h>

#include "ui/grid.h"
#include "ui/text.h"

struct grid {
    const struct grid_source *src;
    long cur, top;        /* cursor row, first row drawn */
    int col, left;        /* column cursor, first scrolled column (>= 1) */
    bool follow_end;      /* End: stay on the last row as the count grows */

    /* What the last draw laid out, for page keys and clicks. */
    int rows_h;           /* data lines below the header */
    long nvis;            /* rows drawn */
    int *col_x, *col_w;   /* per column: where and how wide (-1: hidden) */
    int *col_nat;         /* per column: natural width (scratch) */
    int ncap;             /* columns allocated in the three arrays */

    /* Search. */
    char *search;         /* NULL: none */
    wchar_t *needle;      /* folded search text */
    size_t nneedle;
    bool forward;         /* direction of the last '/' (n repeats it) */
    enum grid_search_result result;
    long srow;            /* next cell to look at while searching */
    int scol;
    long start_row;       /* the cell the search started from: checked last */
    int start_col;
};

/* Rows that can be shown now: the total, or the rows known so far. */
long grid_rows_known(const struct grid *g);
int grid_ncols(const struct grid *g);
/* Keeps cursor, scroll and column cursor inside the rows and columns. */
void grid_clamp(struct grid *g);

/* grid_search.c: one bounded step of a pending search. */
void grid_search_step(struct grid *g);
/* Asks the source for the rows the pending search waits for. */
void grid_search_want(struct grid *g);
/* Match spans of the search text in value (at most max); the count. */
int grid_search_spans(const struct grid *g, const char *value,
                      struct text_span *spans, int max);
void grid_search_reset(struct grid *g);   /* forget text and state */

#endif
