/* The result grid on a virtual screen, over synthetic row sources: a small
 * table, and 2,000,000 generated rows that page like a server-side cursor
 * (pages arrive only when the test delivers them) and count every want().
 * Also the OSC 52 clipboard sequence. */
#include "autoconfig.h"

#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <wchar.h>
#include <cmocka.h>

#include "ui/clipboard.h"
#include "ui/grid.h"
#include "ui/text.h"
#include "ui/theme.h"
#include "vscreen.h"

#define SCR_ROWS 60
#define SCR_COLS 200
#define BIG 2000000L
#define PAGE 1000L
#define CACHE_PAGES 4
#define PENDING_CELL ((const char *)1)

/* ---- the synthetic source --------------------------------------------- */

struct src {
    struct grid_source gs;
    int ncols;
    const char *const *names;
    const bool *numeric;
    long nrows, known;            /* nrows -1: total unknown */
    const char *const *table;     /* ncols per row; NULL: SQL NULL */
    bool paging;                  /* generated rows load by pages */
    long cache[CACHE_PAGES];      /* loaded pages, oldest first */
    long requested[64];           /* pages asked for, not delivered */
    int nrequested;
    long wants, want_rows, want_min_first, want_max_end;
    char buf[8][64];
    int bi;
};

static const char *const big_names[] = {
    "id", "nombre", "comuna", "monto", "rol", "obs", "fojas", "anio",
};
static const bool big_numeric[] = {
    true, false, false, true, false, false, true, true,
};
static const char *const comunas[] = {
    "Ñuñoa", "Peñalolén", "東京", "Santiago", "Las Condes",
};

static int s_ncols(void *ctx)
{
    return ((struct src *)ctx)->ncols;
}

static const char *s_col_name(void *ctx, int col)
{
    return ((struct src *)ctx)->names[col];
}

static bool s_col_numeric(void *ctx, int col)
{
    return ((struct src *)ctx)->numeric[col];
}

static long s_nrows(void *ctx)
{
    return ((struct src *)ctx)->nrows;
}

static long s_nrows_known(void *ctx)
{
    struct src *s = ctx;

    return s->nrows >= 0 ? s->nrows : s->known;
}

static bool page_loaded(const struct src *s, long page)
{
    for (int i = 0; i < CACHE_PAGES; i++)
        if (s->cache[i] == page)
            return true;
    return false;
}

/* Digits of v at the end of a buffer: faster than snprintf. */
static char *fmt_long(char *end, long v)
{
    *end = 0;
    do {
        *--end = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    return end;
}

static const char *gen_cell(struct src *s, long row, int col)
{
    char *b = s->buf[s->bi++ & 7], *p;

    switch (col) {
    case 0: return fmt_long(b + 63, row + 1);
    case 1:
        p = fmt_long(b + 63, row + 1);
        p -= 10;
        memcpy(p, "Propiedad ", 10);
        return p;
    case 2: return comunas[row % 5];
    case 3: return fmt_long(b + 63, (row * 37) % 100000);
    case 4:                         /* a ROL: "manzana-predio" */
        p = fmt_long(b + 63, row % 997);
        *--p = '-';
        for (long v = row % 9973;; v /= 10) {
            *--p = (char)('0' + v % 10);
            if (v < 10)
                break;
        }
        return p;
    case 5: return row % 7 == 0 ? NULL : "sin observaciones";
    case 6: return fmt_long(b + 63, row % 4000);
    default: return fmt_long(b + 63, 1990 + row % 35);
    }
}

static const char *s_cell(void *ctx, long row, int col, enum grid_cell *st)
{
    struct src *s = ctx;
    const char *v;

    if (row < 0 || row >= s_nrows_known(s) ||
        (s->paging && !page_loaded(s, row / PAGE))) {
        *st = GRID_PENDING;
        return NULL;
    }
    v = s->table ? s->table[row * s->ncols + col] : gen_cell(s, row, col);
    *st = v == PENDING_CELL ? GRID_PENDING : v ? GRID_VALUE : GRID_NULL;
    return *st == GRID_VALUE ? v : NULL;
}

static void request_page(struct src *s, long page)
{
    for (int i = 0; i < s->nrequested; i++)
        if (s->requested[i] == page)
            return;
    if (!page_loaded(s, page) && s->nrequested < 64)
        s->requested[s->nrequested++] = page;
}

static void s_want(void *ctx, long first, long count)
{
    struct src *s = ctx;

    s->wants++;
    s->want_rows += count;
    if (first < s->want_min_first)
        s->want_min_first = first;
    if (first + count > s->want_max_end)
        s->want_max_end = first + count;
    if (!s->paging)
        return;
    for (long p = first / PAGE; p <= (first + count - 1) / PAGE; p++)
        request_page(s, p);
}

/* The pages asked for arrive (as a cursor's FETCH results would). */
static void deliver(struct src *s)
{
    for (int i = 0; i < s->nrequested; i++) {
        memmove(s->cache, s->cache + 1, (CACHE_PAGES - 1) * sizeof *s->cache);
        s->cache[CACHE_PAGES - 1] = s->requested[i];
    }
    s->nrequested = 0;
}

static void count_reset(struct src *s)
{
    s->wants = s->want_rows = 0;
    s->want_min_first = BIG * 10;
    s->want_max_end = -1;
}

static void src_init(struct src *s, int ncols, const char *const *names,
                     const bool *numeric, long nrows)
{
    memset(s, 0, sizeof *s);
    s->ncols = ncols;
    s->names = names;
    s->numeric = numeric;
    s->nrows = nrows;
    for (int i = 0; i < CACHE_PAGES; i++)
        s->cache[i] = -1;
    count_reset(s);
    s->gs = (struct grid_source){
        .ctx = s, .ncols = s_ncols, .col_name = s_col_name,
        .col_numeric = s_col_numeric, .nrows = s_nrows,
        .nrows_known = s_nrows_known, .cell = s_cell, .want = s_want,
    };
}

/* The source's row count changes (as a background count goes on). */
static void src_count(struct src *s, long nrows, long known)
{
    s->nrows = nrows;
    s->known = known;
}

static void src_big(struct src *s, bool paging)
{
    src_init(s, 8, big_names, big_numeric, BIG);
    s->paging = paging;
}

/* ---- the virtual screen ------------------------------------------------- */

static int setup(void **state)
{
    (void)state;
    assert_non_null(vscreen_open(SCR_ROWS, SCR_COLS));
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    vscreen_close();
    return 0;
}

/* Line y of w as UTF-8, trailing blanks removed. */
static const char *line_of(WINDOW *w, int y)
{
    const char *line = vscreen_line(w, y);

    assert_non_null(line);
    return line;
}

/* Display column where needle starts in line y of w, or -1. */
static int col_of(WINDOW *w, int y, const char *needle)
{
    const char *line = line_of(w, y), *at = strstr(line, needle);

    return at ? text_width_n(line, (size_t)(at - line)) : -1;
}

static attr_t attr_at(WINDOW *w, int y, int x)
{
    cchar_t cc;
    wchar_t wch[CCHARW_MAX + 1];
    attr_t attrs;
    short pair;

    assert_int_equal(mvwin_wch(w, y, x, &cc), OK);
    getcchar(&cc, wch, &attrs, &pair, NULL);
    return (attrs & ~A_COLOR) | COLOR_PAIR(pair);
}

/* ---- the small table ---------------------------------------------------- */

static const char *const small_names[] = { "id", "comuna", "monto" };
static const bool small_numeric[] = { true, false, true };
static const char *const small_rows[] = {
    "1", "Ñuñoa", "7",
    "2", "東京", "12345",
    "3", "Peñalolén", NULL,
    "4", "la reina", "0",
    "5", "ÑUÑOA norte", "99",
};

static void src_small(struct src *s)
{
    src_init(s, 3, small_names, small_numeric, 5);
    s->table = small_rows;
}

static void test_header_rows_alignment(void **state)
{
    struct src s;
    struct grid *g = grid_new();
    WINDOW *w = newwin(10, 60, 0, 0);

    src_small(&s);
    grid_set_source(g, &s.gs);
    grid_draw(g, w);
    assert_string_equal(line_of(w, 0), "id │ comuna       monto");
    assert_string_equal(line_of(w, 1), " 1 │ Ñuñoa            7");
    assert_string_equal(line_of(w, 2), " 2 │ 東京         12345");
    assert_string_equal(line_of(w, 3), " 3 │ Peñalolén        ∅");
    /* Wide and accented text keep the next column in place. */
    assert_int_equal(col_of(w, 1, "7"), col_of(w, 2, "12345") + 4);
    assert_int_equal(col_of(w, 3, "∅"), col_of(w, 1, "7"));
    /* Header bold/underlined, NULL in its role, the cursor row marked. */
    assert_true(attr_at(w, 0, 5) & A_UNDERLINE);
    assert_int_equal(attr_at(w, 3, col_of(w, 3, "∅")), theme_attr(THEME_NULL));
    assert_int_equal(attr_at(w, 1, 5), theme_attr(THEME_CURSOR_ROW));
    assert_int_equal(attr_at(w, 1, 0), theme_attr(THEME_CURSOR_CELL));
    assert_int_equal(attr_at(w, 2, 5), theme_attr(THEME_NORMAL));
    grid_key(g, KEY_DOWN);
    grid_draw(g, w);
    assert_int_equal(attr_at(w, 2, 5), theme_attr(THEME_CURSOR_ROW));
    assert_int_equal(grid_cursor(g), 1);
    delwin(w);
    grid_free(g);
}

static void test_pending_and_controls(void **state)
{
    static const char *const rows[] = {
        "1", "\x1b[2Jx", PENDING_CELL,
    };
    struct src s;
    struct grid *g = grid_new();
    WINDOW *w = newwin(5, 60, 0, 0);

    src_init(&s, 3, small_names, small_numeric, 1);
    s.table = rows;
    grid_set_source(g, &s.gs);
    grid_key(g, 'l');
    grid_draw(g, w);
    assert_string_equal(line_of(w, 1), " 1 │ ^[[2Jx      …");
    assert_true(attr_at(w, 0, 5) & A_REVERSE);   /* the column cursor */
    grid_key(g, 'j');    /* no second row: stays */
    grid_draw(g, w);
    assert_int_equal(grid_cursor(g), 0);
    /* Nothing to copy while a cell is loading. */
    grid_key(g, 'l');
    assert_null(grid_cell_text(g));
    assert_null(grid_row_text(g));
    delwin(w);
    grid_free(g);
}

/* 12 columns: id, then c01..c11 with 11-character values. */
static const char *const wide_names[] = {
    "id", "c01", "c02", "c03", "c04", "c05", "c06", "c07", "c08", "c09",
    "c10", "c11",
};
static const bool wide_numeric[12];
static char wide_cells[3][12][16];
static const char *wide_rows[3 * 12];

static void src_wide(struct src *s)
{
    for (int r = 0; r < 3; r++)
        for (int c = 0; c < 12; c++) {
            snprintf(wide_cells[r][c], 16, c ? "v%02d_row%04d" : "r%d", c, r);
            wide_rows[r * 12 + c] = wide_cells[r][c];
        }
    src_init(s, 12, wide_names, wide_numeric, 3);
    s->table = wide_rows;
}

static void test_frozen_column(void **state)
{
    struct src s;
    struct grid *g = grid_new();
    WINDOW *w = newwin(6, 60, 0, 0);

    src_wide(&s);
    grid_set_source(g, &s.gs);
    grid_draw(g, w);
    assert_int_equal(col_of(w, 0, "c01"), 5);
    assert_int_equal(col_of(w, 0, "c11"), -1);
    assert_true(grid_key(g, '$'));
    grid_draw(g, w);
    assert_int_equal(grid_col_cursor(g), 11);
    /* The first column stays; the last is in view; the early ones left. */
    assert_int_equal(strncmp(line_of(w, 0), "id │ ", strlen("id │ ")), 0);
    assert_int_equal(strncmp(line_of(w, 1), "r0 │ ", strlen("r0 │ ")), 0);
    assert_true(col_of(w, 0, "c11") > 0);
    assert_true(col_of(w, 1, "v11_row0000") > 0);
    assert_int_equal(col_of(w, 0, "c01"), -1);
    assert_true(attr_at(w, 0, col_of(w, 0, "c11")) & A_REVERSE);
    assert_true(grid_key(g, KEY_LEFT));
    assert_true(grid_key(g, 'h'));
    grid_draw(g, w);
    assert_int_equal(grid_col_cursor(g), 9);
    assert_true(col_of(w, 0, "c09") > 0);
    assert_true(grid_key(g, '0'));
    grid_draw(g, w);
    assert_int_equal(grid_col_cursor(g), 0);
    assert_int_equal(col_of(w, 0, "c01"), 5);
    delwin(w);
    grid_free(g);
}

static void test_widths_from_visible_rows(void **state)
{
    static const char *const names[] = { "id", "x", "next" };
    static const bool numeric[] = { true, false, false };
    static char big[200 + 1], mid[30 + 1];
    static const char *rows[100 * 3];
    static char ids[100][8];
    struct src s;
    struct grid *g = grid_new();
    WINDOW *w = newwin(10, 120, 0, 0);

    memset(big, 'b', 200);
    memset(mid, 'm', 30);
    for (int r = 0; r < 100; r++) {
        snprintf(ids[r], sizeof ids[r], "%d", r);
        rows[r * 3] = ids[r];
        rows[r * 3 + 1] = r == 50 ? mid : r == 70 ? big : "a";
        rows[r * 3 + 2] = "z";
    }
    src_init(&s, 3, names, numeric, 100);
    s.table = rows;
    grid_set_source(g, &s.gs);
    grid_draw(g, w);
    /* "id" 2 + " │ " 3 + "x" 1 + gap 2 */
    assert_int_equal(col_of(w, 0, "next"), 8);
    grid_scroll_to(g, 50);
    grid_draw(g, w);
    assert_int_equal(col_of(w, 0, "next"), 7 + 30);
    grid_scroll_to(g, 70);
    grid_draw(g, w);
    assert_int_equal(col_of(w, 0, "next"), 7 + GRID_MAX_WIDTH);
    /* The huge value is cut with '…' at the cap. */
    for (int y = 1; y < 10; y++)
        if (strstr(line_of(w, y), "bbbb"))
            assert_int_equal(col_of(w, y, "…"), 5 + GRID_MAX_WIDTH - 1);
    grid_scroll_to(g, 0);
    grid_draw(g, w);
    assert_int_equal(col_of(w, 0, "next"), 8);
    delwin(w);
    grid_free(g);
}

static void test_end_wants_last_window(void **state)
{
    struct src s;
    struct grid *g = grid_new();
    WINDOW *w = newwin(24, 80, 0, 0);
    char *st;
    long rows_h = 23;

    src_big(&s, true);
    grid_set_source(g, &s.gs);
    grid_draw(g, w);
    deliver(&s);
    grid_draw(g, w);
    assert_int_equal(strncmp(line_of(w, 1), " 1 │ Propiedad 1",
                             strlen(" 1 │ Propiedad 1")), 0);
    count_reset(&s);
    assert_true(grid_key(g, KEY_END));
    grid_draw(g, w);
    assert_true(s.wants >= 1);
    assert_int_equal(s.want_min_first, BIG - rows_h);
    assert_int_equal(s.want_max_end, BIG);
    assert_true(s.want_rows <= s.wants * rows_h);
    assert_true(strstr(line_of(w, 23), "…") != NULL);   /* still loading */
    deliver(&s);
    grid_draw(g, w);
    assert_int_equal(grid_cursor(g), BIG - 1);
    assert_int_equal(strncmp(line_of(w, 23), "2000000 │ Propiedad 2000000",
                             strlen("2000000 │ Propiedad 2000000")), 0);
    assert_int_equal(s.want_min_first, BIG - rows_h);
    st = grid_status_text(g);
    assert_string_equal(st, "row 2,000,000 of 2,000,000 · col 1 of 8");
    free(st);
    /* Home goes back; 'G' is End too. */
    assert_true(grid_key(g, 'g'));
    grid_draw(g, w);
    assert_int_equal(grid_cursor(g), 0);
    count_reset(&s);
    assert_true(grid_key(g, 'G'));
    grid_draw(g, w);
    assert_int_equal(s.want_min_first, BIG - rows_h);
    /* Paging moves a window at a time. */
    assert_true(grid_key(g, KEY_PPAGE));
    assert_int_equal(grid_cursor(g), BIG - 1 - (rows_h - 1));
    assert_true(grid_key(g, 6));   /* Ctrl-F */
    assert_int_equal(grid_cursor(g), BIG - 1);
    delwin(w);
    grid_free(g);
}

static void test_unknown_total(void **state)
{
    struct src s;
    struct grid *g = grid_new();
    WINDOW *w = newwin(24, 80, 0, 0);
    char *st;

    src_big(&s, false);
    src_count(&s, -1, 1500);
    grid_set_source(g, &s.gs);
    grid_draw(g, w);
    st = grid_status_text(g);
    assert_string_equal(st, "row 1 of ≥ 1,500 · col 1 of 8");
    free(st);
    grid_key(g, KEY_END);
    grid_draw(g, w);
    assert_int_equal(grid_cursor(g), 1499);
    src_count(&s, -1, 3000);   /* the count grows: End keeps following */
    grid_draw(g, w);
    assert_int_equal(grid_cursor(g), 2999);
    src_count(&s, 4321, 4321);
    grid_draw(g, w);
    assert_int_equal(grid_cursor(g), 4320);
    grid_key(g, KEY_UP);
    src_count(&s, 5000, 5000);
    grid_draw(g, w);
    assert_int_equal(grid_cursor(g), 4319);
    delwin(w);
    grid_free(g);
}

static void test_search(void **state)
{
    struct src s;
    struct grid *g = grid_new();
    WINDOW *w = newwin(10, 60, 0, 0);
    int x;

    src_small(&s);
    grid_set_source(g, &s.gs);
    grid_scroll_to(g, 1);
    assert_int_equal(grid_search(g, "ñuñ", true), GRID_FOUND);
    assert_string_equal(grid_search_text(g), "ñuñ");
    assert_int_equal(grid_cursor(g), 4);       /* "ÑUÑOA norte" */
    assert_int_equal(grid_col_cursor(g), 1);
    grid_draw(g, w);
    x = col_of(w, 5, "ÑUÑOA");
    assert_int_equal(attr_at(w, 5, x), theme_attr(THEME_MATCH));
    assert_int_equal(attr_at(w, 5, x + 2), theme_attr(THEME_MATCH));
    assert_int_equal(attr_at(w, 5, x + 3), theme_attr(THEME_CURSOR_CELL));
    /* The other match is highlighted too, in a normal row. */
    x = col_of(w, 1, "Ñuñoa");
    assert_int_equal(attr_at(w, 1, x), theme_attr(THEME_MATCH));
    assert_int_equal(attr_at(w, 1, x + 3), theme_attr(THEME_NORMAL));
    /* n wraps around to the first match; N goes back. */
    assert_true(grid_key(g, 'n'));
    assert_int_equal(grid_cursor(g), 0);
    assert_true(grid_key(g, 'N'));
    assert_int_equal(grid_cursor(g), 4);
    assert_int_equal(grid_search(g, "12345", false), GRID_FOUND);
    assert_int_equal(grid_cursor(g), 1);
    assert_int_equal(grid_col_cursor(g), 2);
    assert_false(grid_search(g, "valparaíso", true));
    assert_int_equal(grid_search_result(g), GRID_NOT_FOUND);
    assert_int_equal(grid_cursor(g), 1);
    grid_search(g, "", true);
    assert_null(grid_search_text(g));
    assert_false(grid_key(g, 'n'));
    delwin(w);
    grid_free(g);
}

/* A match 25,000 rows down a paging source: the search never holds the UI
 * and asks only for the pages it reads. */
static void test_search_pending(void **state)
{
    struct src s;
    struct grid *g = grid_new();
    WINDOW *w = newwin(24, 80, 0, 0);
    int draws = 0;
    char *st;

    src_big(&s, true);
    grid_set_source(g, &s.gs);
    grid_draw(g, w);
    deliver(&s);
    grid_draw(g, w);
    assert_int_equal(grid_search(g, "PROPIEDAD 25001", true), GRID_SEARCHING);
    assert_true(grid_search_pending(g));
    st = grid_status_text(g);
    assert_non_null(strstr(st, "searching “PROPIEDAD 25001”…"));
    free(st);
    assert_int_equal(grid_cursor(g), 0);
    while (grid_search_pending(g) && draws < 1000) {
        deliver(&s);
        grid_draw(g, w);
        draws++;
    }
    printf("# search over a paging source: found row 25,001 after %d draws\n",
           draws);
    assert_int_equal(grid_search_result(g), GRID_FOUND);
    assert_int_equal(grid_cursor(g), 25000);
    assert_true(draws <= 30);
    /* A key while searching stops it (the text stays for n). */
    grid_search(g, "zzz", true);
    assert_true(grid_search_pending(g));
    grid_key(g, 'j');
    assert_false(grid_search_pending(g));
    assert_string_equal(grid_search_text(g), "zzz");
    delwin(w);
    grid_free(g);
}

/* All 2,000,000 rows in memory and no match: time-sliced, not blocking. */
static void test_search_time_sliced(void **state)
{
    struct src s;
    struct grid *g = grid_new();
    WINDOW *w = newwin(24, 80, 0, 0);
    int draws = 0;
    struct timespec t0, t1;

    src_big(&s, false);
    grid_set_source(g, &s.gs);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    assert_int_equal(grid_search(g, "no está", true), GRID_SEARCHING);
    while (grid_search_pending(g) && draws < 100000) {
        grid_draw(g, w);
        draws++;
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    printf("# search of 16,000,000 cells without a match: %d draws, %.0f ms\n",
           draws, (t1.tv_sec - t0.tv_sec) * 1e3 +
                  (t1.tv_nsec - t0.tv_nsec) / 1e6);
    assert_int_equal(grid_search_result(g), GRID_NOT_FOUND);
    assert_int_equal(grid_cursor(g), 0);
    assert_true(draws > 1);
    delwin(w);
    grid_free(g);
}

static void test_click(void **state)
{
    struct src s;
    struct grid *g = grid_new();
    WINDOW *w = newwin(10, 60, 0, 0);

    src_small(&s);
    grid_set_source(g, &s.gs);
    grid_draw(g, w);
    assert_true(grid_click(g, 3, 1));
    assert_int_equal(grid_cursor(g), 2);
    assert_int_equal(grid_col_cursor(g), 0);
    assert_true(grid_click(g, 0, col_of(w, 0, "monto")));
    assert_int_equal(grid_col_cursor(g), 2);
    assert_int_equal(grid_cursor(g), 2);
    assert_true(grid_click(g, 2, col_of(w, 2, "東京")));
    assert_int_equal(grid_cursor(g), 1);
    assert_int_equal(grid_col_cursor(g), 1);
    assert_false(grid_click(g, 8, 0));     /* below the last row */
    assert_int_equal(grid_cursor(g), 1);
    delwin(w);
    grid_free(g);
}

static void test_copy_and_detail(void **state)
{
    static const char *const names[] = { "id", "nota", "vacío" };
    static const bool numeric[] = { true, false, false };
    static const char *const rows[] = { "9", "a\tb\nc\\d\x1b", NULL };
    struct src s;
    struct grid *g = grid_new();
    char *t, **lines;

    src_init(&s, 3, names, numeric, 1);
    s.table = rows;
    grid_set_source(g, &s.gs);
    t = grid_cell_text(g);
    assert_string_equal(t, "9");
    free(t);
    grid_key(g, 'l');
    t = grid_cell_text(g);
    assert_string_equal(t, "a\tb\nc\\d\x1b");   /* raw: OSC 52 encodes */
    free(t);
    grid_key(g, '$');
    t = grid_cell_text(g);
    assert_string_equal(t, "");
    free(t);
    t = grid_row_text(g);
    assert_string_equal(t, "9\ta\\tb\\nc\\\\d\x1b\t");
    free(t);
    lines = grid_row_lines(g);
    assert_non_null(lines);
    assert_string_equal(lines[0], "id   : 9");
    assert_string_equal(lines[1], "nota : a→b");
    assert_string_equal(lines[2], "       c\\d^[");
    assert_string_equal(lines[3], "vacío: ∅ (NULL)");
    assert_null(lines[4]);
    for (int i = 0; lines[i]; i++)
        free(lines[i]);
    free(lines);
    grid_set_source(g, NULL);
    assert_null(grid_row_lines(g));
    assert_null(grid_row_text(g));
    grid_free(g);
}

/* ---- clipboard ---------------------------------------------------------- */

static void test_clipboard(void **state)
{
    char *b, *seq, *big;
    char out[256];
    int fd, saved;
    ssize_t n;

    b = clipboard_base64("hello", 5);
    assert_string_equal(b, "aGVsbG8=");
    free(b);
    b = clipboard_base64("Ñuñoa", strlen("Ñuñoa"));
    assert_string_equal(b, "w5F1w7FvYQ==");
    free(b);
    b = clipboard_base64("", 0);
    assert_string_equal(b, "");
    free(b);
    seq = clipboard_sequence("Peñalolén 東京", false);
    assert_string_equal(seq, "\033]52;c;UGXDsWFsb2zDqW4g5p2x5Lqs\a");
    free(seq);
    seq = clipboard_sequence("hello", true);
    assert_string_equal(seq, "\033Ptmux;\033\033]52;c;aGVsbG8=\a\033\\");
    free(seq);
    big = malloc(CLIPBOARD_MAX_BYTES + 2);
    memset(big, 'x', CLIPBOARD_MAX_BYTES + 1);
    big[CLIPBOARD_MAX_BYTES + 1] = 0;
    assert_null(clipboard_sequence(big, false));
    assert_false(clipboard_copy(big));
    big[CLIPBOARD_MAX_BYTES] = 0;
    seq = clipboard_sequence(big, false);
    assert_int_equal(strlen(seq), 7 + CLIPBOARD_MAX_BYTES / 3 * 4 + 1);
    free(seq);
    free(big);

    /* clipboard_copy writes to the terminal (stdout here). */
    fflush(stdout);
    fd = fileno(tmpfile());
    saved = dup(STDOUT_FILENO);
    dup2(fd, STDOUT_FILENO);
    unsetenv("TMUX");
    assert_true(clipboard_copy("hello"));
    dup2(saved, STDOUT_FILENO);
    close(saved);
    lseek(fd, 0, SEEK_SET);
    n = read(fd, out, sizeof out - 1);
    assert_true(n > 0);
    out[n] = 0;
    assert_string_equal(out, "\033]52;c;aGVsbG8=\a");
}

/* ---- speed -------------------------------------------------------------- */

static double draw_ms(struct grid *g, WINDOW *w, int n, bool update)
{
    struct timespec t0, t1;

    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (int i = 0; i < n; i++) {
        grid_key(g, KEY_NPAGE);
        if (i % 7 == 0)
            grid_key(g, 'l');
        grid_draw(g, w);
        if (update) {
            wnoutrefresh(w);
            doupdate();
        }
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return ((t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6) /
           n;
}

static void test_draw_speed(void **state)
{
    static const int sizes[][2] = { { 24, 80 }, { 40, 120 }, { 60, 200 } };
    struct src s;

    src_big(&s, false);
    for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++) {
        struct grid *g = grid_new();
        WINDOW *w = newwin(sizes[i][0], sizes[i][1], 0, 0);
        double d, u;
        grid_set_source(g, &s.gs);
        grid_search(g, "ñuñoa", true);
        d = draw_ms(g, w, 500, false);
        u = draw_ms(g, w, 200, true);
        printf("# grid_draw %dx%d over %ld rows: %.3f ms per full redraw, "
               "%.3f ms with doupdate\n", sizes[i][1], sizes[i][0], BIG, d, u);
        assert_true(strstr(line_of(w, 0), "│") != NULL);
        delwin(w);
        grid_free(g);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_header_rows_alignment, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_pending_and_controls, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_frozen_column, setup, teardown),
        cmocka_unit_test_setup_teardown(test_widths_from_visible_rows, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_end_wants_last_window, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_unknown_total, setup, teardown),
        cmocka_unit_test_setup_teardown(test_search, setup, teardown),
        cmocka_unit_test_setup_teardown(test_search_pending, setup, teardown),
        cmocka_unit_test_setup_teardown(test_search_time_sliced, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_click, setup, teardown),
        cmocka_unit_test(test_copy_and_detail),
        cmocka_unit_test_setup_teardown(test_clipboard, setup, teardown),
        cmocka_unit_test_setup_teardown(test_draw_speed, setup, teardown),
    };

    setlocale(LC_ALL, "C.UTF-8");
    return cmocka_run_group_tests_name("grid", tests, NULL, NULL);
}
