/* Keys as data: one table per pane (and one global) gives the key, the
 * action, its help text and whether it needs write mode; the help screen
 * and the status-bar hints are generated from the same tables. */
#ifndef DEGUX_KEYMAP_H
#define DEGUX_KEYMAP_H

#include <stdbool.h>

struct pane;

struct keybinding {
    int key;                 /* ncurses key code or character */
    const char *label;       /* how help shows the key, e.g. "Enter" */
    const char *help;        /* N_("open the row's detail") */
    void (*action)(struct pane *);
    bool needs_write;        /* refused (with a message) in read-only mode */
    bool hint;               /* shown in the status-bar hints */
};

struct keymap {
    const char *name;        /* N_("Results grid") */
    const struct keybinding *bindings; /* ends with key 0 */
};

/* The binding for key in map, or NULL. */
const struct keybinding *keymap_find(const struct keymap *map, int key);
/* A printable name for a key ("F2", "^C", "Tab", "a"); static buffer. */
const char *keymap_key_name(int key);

#endif
