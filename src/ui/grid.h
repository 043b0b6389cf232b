/* A scrolling table of rows from any row source: the grid asks the source
 * only for the rows it draws, so a source can page from anywhere. Frozen
 * first column, horizontal scroll, widths from the visible rows, NULL drawn
 * distinctly, numbers right-aligned, search within the rows. No libpq. */
#ifndef DEGUX_GRID_H
#define DEGUX_GRID_H

#include <stdbool.h>
#include <curses.h>

/* No column is drawn wider than this, so one huge value cannot take the
 * screen (its cell is cut with '…'). */
#define GRID_MAX_WIDTH 40

enum grid_cell { GRID_VALUE, GRID_NULL, GRID_PENDING };

struct grid_source {
    void *ctx;
    int (*ncols)(void *ctx);
    const char *(*col_name)(void *ctx, int col);
    bool (*col_numeric)(void *ctx, int col);      /* optional: right-aligned */
    /* Total rows, or -1 while unknown; known: rows that exist so far. */
    long (*nrows)(void *ctx);
    long (*nrows_known)(void *ctx);               /* optional when nrows >= 0 */
    /* The value (NULL with *st GRID_NULL/GRID_PENDING). Only used until the
     * next call into the source. */
    const char *(*cell)(void *ctx, long row, int col, enum grid_cell *st);
    /* The rows about to be drawn (a source that pages loads them). Called on
     * every draw with the visible window only (End asks for the last window,
     * never the rows before it), and by a pending search for its next rows. */
    void (*want)(void *ctx, long first, long count);
    /* Optional: an enum theme_role for a row (0, THEME_NORMAL: default), e.g.
     * a finding's severity. */
    int (*row_attr)(void *ctx, long row);
};

struct grid;

struct grid *grid_new(void);
void grid_free(struct grid *g);
/* The source is not owned; resets the cursor, scroll and search. */
void grid_set_source(struct grid *g, const struct grid_source *src);
const struct grid_source *grid_source(const struct grid *g);

/* Draw into the whole of win: a header line, then rows. Continues a pending
 * search first (which may move the cursor to a match). */
void grid_draw(struct grid *g, WINDOW *win);
/* Handle a navigation key: Up/Down/k/j, PgUp/PgDn/Ctrl-B/Ctrl-F, Home/End/
 * g/G, Left/Right/h/l, 0/$ (first/last column), n/N (next/previous match);
 * false when the key is not the grid's. Moving cancels a pending search. */
bool grid_key(struct grid *g, int key);
/* Select what was drawn at line y, column x of the window of the last draw
 * (y 0 is the header: picks the column); false when nothing is there. */
bool grid_click(struct grid *g, int y, int x);

long grid_cursor(const struct grid *g);
int grid_col_cursor(const struct grid *g);
void grid_scroll_to(struct grid *g, long row);
/* "row 1,234 of 2,000,000 · col 2 of 9", "row 3 of ≥ 1,500" while the total
 * is unknown, plus "· searching “x”…" while a search is pending. Caller
 * frees. */
char *grid_status_text(const struct grid *g);

/* Search, case-insensitive substring over the cells, in row-major order
 * from the cell after the cursor (before it when !forward), wrapping around
 * once. It never blocks: it reads only what the source gives without
 * GRID_PENDING, within a few milliseconds. When it reaches a pending row (or
 * the time is up) it returns GRID_SEARCHING, asks the source for those rows
 * with want(), and every later grid_draw continues from there; the cursor
 * moves to the match when it is found. While grid_search_pending() is true
 * the owner redraws when rows arrive (a paging source signals that) or from
 * a short timer. Matches stay highlighted until the text is cleared with ""
 * (or a new source). NOT_FOUND is 0, so the result reads as a bool. */
enum grid_search_result {
    GRID_NOT_FOUND = 0,
    GRID_FOUND = 1,
    GRID_SEARCHING = 2,
};
enum grid_search_result grid_search(struct grid *g, const char *text,
                                    bool forward);
const char *grid_search_text(const struct grid *g);   /* NULL: no search */
bool grid_search_pending(const struct grid *g);
/* The last outcome: GRID_SEARCHING while pending, then FOUND or NOT_FOUND. */
enum grid_search_result grid_search_result(const struct grid *g);
void grid_search_cancel(struct grid *g);   /* stop; keep the text for n/N */

/* For copying (OSC 52), the raw values (caller frees): the cursor cell ("" for
 * NULL), or the cursor row tab-separated with tab, newline, carriage return
 * and backslash escaped as \t \n \r \\ and NULL as empty. NULL when there is
 * no row or a cell is still loading. */
char *grid_cell_text(const struct grid *g);
char *grid_row_text(const struct grid *g);
/* The cursor row for a detail view: "name: value" lines, names padded to one
 * width, made safe (text_sanitize); a value with newlines continues on
 * indented lines; NULL shows as ∅ (NULL). A NULL-terminated array; the
 * caller frees each line and the array. NULL when there is no row. */
char **grid_row_lines(const struct grid *g);

#endif
