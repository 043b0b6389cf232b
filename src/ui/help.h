/* The help screen, generated from the key tables (global, then the pane's)
 * and the command table, so help cannot drift from what the keys do. */
#ifndef DEGUX_HELP_H
#define DEGUX_HELP_H

#include <curses.h>

#include "ui/keymap.h"

struct help_command {
    const char *name;   /* "export FILE.csv" */
    const char *help;   /* N_() text */
};

/* Draws the maps and commands into win from line `scroll`; returns the
 * number of lines the help has in all. */
int help_draw(WINDOW *win, const struct keymap *const *maps, int nmaps,
              const struct help_command *cmds, int ncmds, int scroll);

#endif
