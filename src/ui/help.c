/* The help screen, one section per key table, then the commands. */
#include "autoconfig.h"

#include "ui/help.h"

#include <stdlib.h>

#include "core/xalloc.h"
#include "i18n.h"
#include "ui/text.h"
#include "ui/theme.h"

struct help_out {
    WINDOW *win;
    int line;     /* logical line being produced */
    int scroll;   /* first logical line shown */
};

static void emit(struct help_out *o, enum theme_role role, const char *left,
                 const char *right)
{
    int y = o->line++ - o->scroll;

    if (y < 0 || y >= getmaxy(o->win))
        return;
    wmove(o->win, y, 2);
    wattrset(o->win, theme_attr(role));
    text_draw(o->win, left, right ? 16 : getmaxx(o->win) - 4, right != NULL);
    if (right) {
        wattrset(o->win, theme_attr(THEME_NORMAL));
        text_draw(o->win, right, getmaxx(o->win) - 20, 0);
    }
}

static void emit_map(struct help_out *o, const struct keymap *map)
{
    emit(o, THEME_HEADER, _(map->name), NULL);
    for (const struct keybinding *b = map->bindings; b->key; b++) {
        if (!b->help)       /* an alias of the line above */
            continue;
        const char *key = b->label ? b->label : keymap_key_name(b->key);
        if (b->needs_write) {
            char *text = xasprintf("%s %s", _(b->help), _("(write mode)"));
            emit(o, THEME_NUMBER, key, text);
            free(text);
        } else {
            emit(o, THEME_NUMBER, key, _(b->help));
        }
    }
    o->line++;
}

int help_draw(WINDOW *win, const struct keymap *const *maps, int nmaps,
              const struct help_command *cmds, int ncmds, int scroll)
{
    struct help_out o = { win, 0, scroll };

    werase(win);
    for (int i = 0; i < nmaps; i++)
        if (maps[i])
            emit_map(&o, maps[i]);
    emit(&o, THEME_HEADER, _("Commands (type : first)"), NULL);
    for (int i = 0; i < ncmds; i++)
        emit(&o, THEME_NUMBER, cmds[i].name, _(cmds[i].help));
    wattrset(win, A_NORMAL);
    return o.line;
}
