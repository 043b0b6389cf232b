/* Drawing the SQL pane: the grid (or a row's detail) on top, a line with
 * the result's status, an error with a caret under its position, and the
 * editor at the bottom with the unfinished statement's earlier lines. */
#include "autoconfig.h"

#include "panes/sql.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"
#include "i18n.h"
#include "ui/text.h"
#include "ui/theme.h"

#define MAX_BUFFER_LINES 4

static int count_lines(const char *s)
{
    int n = 1;

    for (; s && *s; s++)
        n += *s == '\n';
    return n;
}

/* The line of sql holding character position pos (1-based), and the
 * screen column (0-based) where that character is drawn. */
static char *error_line(const char *sql, int pos, int *col)
{
    const char *start = sql, *p = sql;
    int chars = 1;

    while (*p && chars < pos) {
        if (*p == '\n')
            start = p + 1;
        /* count characters, not bytes */
        if ((*p & 0xc0) != 0x80)
            chars++;
        p++;
    }
    while ((*p & 0xc0) == 0x80)
        p++;
    *col = text_width_n(start, (size_t)(p - start));
    return xstrndup(start, strcspn(start, "\n"));
}

static int error_height(const struct sqlp *s)
{
    if (!s->error)
        return 0;
    return 1 + (s->error_pos > 0 ? 2 : 0) + (s->error_detail != NULL) +
           (s->error_hint != NULL);
}

static void draw_error(const struct sqlp *s, WINDOW *w, int y)
{
    int width = getmaxx(w);
    char *msg = xasprintf(_("ERROR %s: %s"), s->sqlstate ? s->sqlstate : "",
                          s->error);

    wattrset(w, theme_attr(THEME_ERROR));
    wmove(w, y++, 0);
    text_draw(w, msg, width, 1);
    free(msg);
    if (s->error_pos > 0 && s->error_sql) {
        int col;
        char *line = error_line(s->error_sql, s->error_pos, &col);
        wattrset(w, theme_attr(THEME_NORMAL));
        wmove(w, y++, 0);
        text_draw(w, line, width, 1);
        wattrset(w, theme_attr(THEME_ERROR));
        if (col < width)
            mvwaddstr(w, y++, col, "^");
        free(line);
    }
    wattrset(w, theme_attr(THEME_DIM));
    if (s->error_detail) {
        wmove(w, y++, 0);
        text_draw(w, s->error_detail, width, 1);
    }
    if (s->error_hint) {
        wmove(w, y++, 0);
        text_draw(w, s->error_hint, width, 1);
    }
    wattrset(w, A_NORMAL);
}

static char *status_text(const struct sqlp *s)
{
    long n;

    if (!s->rs)
        return xstrdup(_("Type SQL ending with ; and press Enter. "
                         "F1 help, :q quits."));
    switch (rowset_status(s->rs)) {
    case ROWSET_RUNNING:
        return xstrdup(_("Running… (Esc cancels)"));
    case ROWSET_ERROR:
        return xstrdup(_("The statement failed."));
    default:
        break;
    }
    if (!rowset_has_rows(s->rs))
        return xasprintf("%s · %.1f ms", rowset_command(s->rs),
                         rowset_elapsed_ms(s->rs));
    n = rowset_nrows(s->rs);
    if (n < 0)
        return xasprintf(_("≥ %ld rows, counting… · row %ld · %.1f ms to "
                           "first page"),
                         rowset_nrows_known(s->rs), grid_cursor(s->grid) + 1,
                         rowset_elapsed_ms(s->rs));
    return xasprintf(P_("%ld row · row %ld · %.1f ms to first page",
                        "%ld rows · row %ld · %.1f ms to first page", n),
                     n, n ? grid_cursor(s->grid) + 1 : 0,
                     rowset_elapsed_ms(s->rs));
}

static void draw_status(const struct sqlp *s, WINDOW *w, int y)
{
    char *text = status_text(s);

    wattrset(w, theme_attr(THEME_HEADER));
    wmove(w, y, 0);
    text_draw(w, text, getmaxx(w), 1);
    wattrset(w, A_NORMAL);
    free(text);
}

static void draw_detail(struct sqlp *s, WINDOW *w, int height)
{
    char **lines = grid_row_lines(s->grid);

    for (int i = 0, y = 0; lines && lines[i]; i++) {
        if (i >= s->detail_scroll && y < height) {
            wmove(w, y++, 1);
            text_draw(w, lines[i], getmaxx(w) - 2, 0);
        }
        free(lines[i]);
    }
    free(lines);
}

/* The buffer's last lines above the editor line. */
static void draw_buffer(const struct sqlp *s, WINDOW *w, int y, int nlines)
{
    int total = count_lines(s->buffer), skip = total - nlines;
    const char *p = s->buffer;

    for (int i = 0; p && i < total; i++) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        if (i >= skip) {
            char *line = xstrndup(p, len);
            wattrset(w, theme_attr(THEME_DIM));
            wmove(w, y++, 0);
            text_draw(w, line, getmaxx(w), 1);
            free(line);
        }
        p = nl ? nl + 1 : NULL;
    }
    wattrset(w, A_NORMAL);
}

void sql_view_draw(struct sqlp *s, WINDOW *w)
{
    int h = getmaxy(w), width = getmaxx(w);
    int nbuf = s->buffer ? count_lines(s->buffer) : 0;
    int eh = error_height(s), top;
    WINDOW *area;

    if (nbuf > MAX_BUFFER_LINES)
        nbuf = MAX_BUFFER_LINES;
    top = h - 2 - nbuf - eh;     /* rows for the grid */
    if (top > 1 && s->rs && rowset_has_rows(s->rs)) {
        area = derwin(w, top, width, 0, 0);
        if (s->detail)
            draw_detail(s, area, top);
        else
            grid_draw(s->grid, area);
        delwin(area);
    }
    if (eh && top + eh <= h)
        draw_error(s, w, top > 0 ? top : 0);
    draw_status(s, w, h - 2 - nbuf);
    if (nbuf)
        draw_buffer(s, w, h - 1 - nbuf, nbuf);
    if (cmdline_active(s->search))
        cmdline_draw(s->search, w, h - 1);
    else if (!s->focus_grid)
        cmdline_draw(s->editor, w, h - 1);
}
