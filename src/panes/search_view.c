/* Drawing the search pane: the form (three fields a line, a wrong field's
 * message in place of its value), a status line with the count and the
 * medians, then the results grid or a text overlay (detail, :sql,
 * :explain). */
#include "autoconfig.h"

#include "panes/search.h"

#include <stdio.h>
#include <stdlib.h>

#include "core/xalloc.h"
#include "i18n.h"
#include "ui/text.h"
#include "ui/theme.h"

#define PER_LINE 3

static void draw_field(struct searchp *s, WINDOW *w, int i, int width)
{
    bool cur = s->form && s->field == i;
    char *label = xasprintf("%s: ", search_field_label(i));
    int lw = text_width(label);

    wattrset(w, theme_attr(cur ? THEME_TITLE : THEME_DIM));
    text_draw(w, label, width, 0);
    if (s->err[i]) {
        wattrset(w, theme_attr(THEME_ERROR));
        text_draw(w, _(s->err[i]), width - lw, 1);
    } else {
        wattrset(w, theme_attr(cur ? THEME_CURSOR_CELL : THEME_NORMAL));
        text_draw(w, s->val[i] ? s->val[i] : "", width - lw - 1, 0);
        wattrset(w, theme_attr(THEME_NORMAL));
        if (cur)
            waddch(w, '_');
    }
    free(label);
}

/* The comuna field's completions, on the title line after the target:
 * "→ Ñuñoa · Ñiquén" (the arrow key takes the first). */
static void draw_completions(struct searchp *s, WINDOW *w, int width)
{
    const char *c[6];
    size_t n = search_comuna_completions(s, c, 6);
    int x = text_width(search_target_name(s->target)) + 3;
    char *line;

    if (!n || x >= width)
        return;
    line = xasprintf(_("→ %s"), c[0]);
    for (size_t i = 1; i < n; i++) {
        char *more = xasprintf("%s · %s", line, c[i]);

        free(line);
        line = more;
    }
    wattrset(w, theme_attr(THEME_DIM));
    wmove(w, 0, x);
    text_draw(w, line, width - x, 1);
    free(line);
}

static int draw_form(struct searchp *s, WINDOW *w)
{
    int width = getmaxx(w), colw = width / PER_LINE, y = 0, n = 0;

    wattrset(w, theme_attr(THEME_HEADER));
    wmove(w, y++, 0);
    text_draw(w, search_target_name(s->target), width, 1);
    draw_completions(s, w, width);
    for (int i = 0; i < SF_COUNT; i++) {
        if (!search_field_applies(i, s->target))
            continue;
        wmove(w, y, (n % PER_LINE) * colw);
        draw_field(s, w, i, colw - 1);
        if (++n % PER_LINE == 0)
            y++;
    }
    wattrset(w, A_NORMAL);
    return n % PER_LINE ? y + 1 : y;
}

static void draw_status(struct searchp *s, WINDOW *w, int y)
{
    char count[64], *line;

    if (s->count < 0)
        snprintf(count, sizeof count, "%s", _("counting…"));
    else if (s->estimate)
        snprintf(count, sizeof count, _("about %ld rows (estimate)"),
                 s->count);
    else
        snprintf(count, sizeof count, _("%ld rows"), s->count);
    line = xasprintf(_("%s · %ld loaded%s · first page %.0f ms%s%s"), count,
                     s->nrows, s->loading ? _(" (loading)") : "",
                     s->first_ms, s->summary ? " · " : "",
                     s->summary ? s->summary : "");
    wattrset(w, theme_attr(s->error ? THEME_ERROR : THEME_STATUS));
    wmove(w, y, 0);
    text_draw(w, s->error ? s->error : line, getmaxx(w), 1);
    wattrset(w, A_NORMAL);
    free(line);
}

static void draw_lines(struct searchp *s, WINDOW *w)
{
    int h = getmaxy(w);

    if (s->scroll > s->nlines - 1)
        s->scroll = s->nlines > 0 ? s->nlines - 1 : 0;
    for (int y = 0; y < h && s->scroll + y < s->nlines; y++) {
        wmove(w, y, 0);
        text_draw(w, s->lines[s->scroll + y], getmaxx(w), 1);
    }
}

void search_view_draw(struct searchp *s, WINDOW *w)
{
    int h = getmaxy(w), width = getmaxx(w);
    int top = draw_form(s, w) + 1;
    WINDOW *area;

    if (!s->searched || top + 2 >= h) {
        if (!s->searched && top < h) {
            wattrset(w, theme_attr(THEME_DIM));
            wmove(w, top, 0);
            text_draw(w, _("Fill in any fields and press Enter; F9 switches "
                           "the target."), width, 1);
            wattrset(w, A_NORMAL);
        }
        return;
    }
    draw_status(s, w, top);
    area = derwin(w, h - top - 1, width, top + 1, 0);
    if (s->nlines)
        draw_lines(s, area);
    else if (s->ncols)
        grid_draw(s->grid, area);
    delwin(area);
}
