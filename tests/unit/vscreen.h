/* A virtual ncurses screen for the widget tests: the terminal's output
 * goes to a temporary file the tests can read back, input comes from
 * /dev/null, colours and the theme are set up as the console does. */
#ifndef DEGUX_TEST_VSCREEN_H
#define DEGUX_TEST_VSCREEN_H

#include <stdio.h>
#include <curses.h>

/* Opens the screen rows × cols; returns the terminal's output file. */
FILE *vscreen_open(int rows, int cols);
void vscreen_close(void);
/* Line y of w as UTF-8, trailing blanks removed (static: valid until the
 * next call); NULL when it cannot be read. */
const char *vscreen_line(WINDOW *w, int y);

#endif
