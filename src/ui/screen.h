/* The screen: ncurses set-up and teardown, the layout (tabs on top, the pane
 * body, the status bar, the message/command line), resize, suspend and the
 * too-small message. No libpq. */
#ifndef DEGUX_SCREEN_H
#define DEGUX_SCREEN_H

#include <stdbool.h>
#include <curses.h>

#define SCREEN_MIN_COLS 80
#define SCREEN_MIN_ROWS 24

struct screen {
    WINDOW *tabs;    /* line 0 */
    WINDOW *body;    /* lines 1 .. rows-3: the pane */
    WINDOW *status;  /* line rows-2 */
    WINDOW *line;    /* line rows-1: messages and the ':' command line */
    int rows, cols;
    bool too_small;
};

struct screen_tab {
    int number;          /* 1..7 */
    const char *title;   /* translated */
    bool busy;           /* a job of this pane runs */
};

/* newterm on the tty, raw keys, keypad, colours from the theme. */
void screen_init(bool mouse, const char *theme);
void screen_end(void);
bool screen_active(void);
const struct screen *screen_get(void);

/* Re-read the terminal size (SIGWINCH) and lay the windows out again. */
void screen_resize(void);
/* Ctrl-Z: give the terminal back, stop, and take it again on SIGCONT. */
void screen_suspend(void);

/* Tabs; remembers where each was drawn for screen_tab_at(). */
void screen_draw_tabs(const struct screen_tab *tabs, int n, int current);
/* Index of the tab drawn at column x, or -1. */
int screen_tab_at(int x);

void screen_draw_too_small(void);
/* Message line: text in the normal or error colour. */
void screen_draw_message(const char *text, bool error);

/* One key from the terminal, or ERR when none is waiting. */
int screen_read_key(void);

#endif
