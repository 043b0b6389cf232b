/* A scrolling table of rows from any row source: the grid asks the source
 * only for the rows it draws, so a source can page from anywhere. Frozen
 * first column, horizontal scroll, widths from the visible rows, NULL drawn
 * distinctly, numbers right-aligned, search within the rows. No libpq. */
#ifndef DEGUX_GRID_H
#define DEGUX_GRID_H

#include <stdbool.h>
#include <curses.h>

enum grid_cell { GRID_VALUE, GRID_NULL, GRID_PENDING };

struct grid_source {
    void *ctx;
    int (*ncols)(void *ctx);
    const char *(*col_name)(void *ctx, int col);
    bool (*col_numeric)(void *ctx, int col);
    /* Total rows, or -1 while unknown; known: rows that exist so far. */
    long (*nrows)(void *ctx);
    long (*nrows_known)(void *ctx);
    /* The value (NULL with *st GRID_NULL/GRID_PENDING). */
    const char *(*cell)(void *ctx, long row, int col, enum grid_cell *st);
    /* The rows about to be drawn (a source that pages loads them). */
    void (*want)(void *ctx, long first, long count);
    /* Optional: colour pair for a row (0: default), e.g. findings. */
    int (*row_attr)(void *ctx, long row);
};

struct grid;

struct grid *grid_new(void);
void grid_free(struct grid *g);
/* The source is not owned; resets the cursor and scroll to the top. */
void grid_set_source(struct grid *g, const struct grid_source *src);
const struct grid_source *grid_source(const struct grid *g);

/* Draw into the whole of win: a header line, then rows. */
void grid_draw(struct grid *g, WINDOW *win);
/* Handle a navigation key (arrows, PgUp/PgDn, Home/End, g/G, h/l, n/N for
 * search); false when the key is not the grid's. */
bool grid_key(struct grid *g, int key);
/* Select the row drawn at screen line y of the last drawn window (mouse). */
bool grid_click(struct grid *g, int y, int x);

long grid_cursor(const struct grid *g);
int grid_col_cursor(const struct grid *g);
void grid_scroll_to(struct grid *g, long row);
/* Start searching forward from the cursor for text (case-insensitive) over
 * rows the source has already loaded or can load; true when found. */
bool grid_search(struct grid *g, const char *text, bool forward);
const char *grid_search_text(const struct grid *g);

#endif
