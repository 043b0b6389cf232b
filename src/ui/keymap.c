/* Key lookup and key names for help and hints. */
#include "autoconfig.h"

#include "ui/keymap.h"

#include <curses.h>
#include <stdio.h>

const struct keybinding *keymap_find(const struct keymap *map, int key)
{
    if (!map)
        return NULL;
    /* Enter arrives as \r (nonl), \n or KEY_ENTER: tables use '\n'. */
    if (key == '\r' || key == KEY_ENTER)
        key = '\n';
    for (const struct keybinding *b = map->bindings; b->key; b++)
        if (b->key == key)
            return b;
    return NULL;
}

const char *keymap_key_name(int key)
{
    static char buf[16];

    if (key >= KEY_F(1) && key <= KEY_F(12)) {
        snprintf(buf, sizeof buf, "F%d", key - KEY_F0);
        return buf;
    }
    switch (key) {
    case '\t': return "Tab";
    case KEY_BTAB: return "S-Tab";
    case '\n': case KEY_ENTER: return "Enter";
    case 27: return "Esc";
    case ' ': return "Space";
    case KEY_UP: return "Up";
    case KEY_DOWN: return "Down";
    case KEY_LEFT: return "Left";
    case KEY_RIGHT: return "Right";
    case KEY_NPAGE: return "PgDn";
    case KEY_PPAGE: return "PgUp";
    case KEY_HOME: return "Home";
    case KEY_END: return "End";
    case KEY_DC: return "Del";
    default: break;
    }
    if (key > 0 && key < 32)
        snprintf(buf, sizeof buf, "^%c", key + '@');
    else
        snprintf(buf, sizeof buf, "%c", key);
    return buf;
}
