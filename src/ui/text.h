/* Drawing text from the database safely: control characters are made
 * visible (so data can never emit terminal escapes), invalid UTF-8 is shown
 * as \xNN, and widths are display columns (wcwidth), not bytes. */
#ifndef DEGUX_TEXT_H
#define DEGUX_TEXT_H

#include <stddef.h>
#include <curses.h>

/* Display width in columns of s once made safe (as text_draw would draw it). */
int text_width(const char *s);
/* Same for at most n bytes of s. */
int text_width_n(const char *s, size_t n);

/* Draws s at the cursor of win, made safe, in at most maxw columns; pads with
 * spaces to exactly maxw when pad. Returns the columns drawn. A cell that is
 * cut gets a trailing '…'. skip: columns to leave out at the start
 * (horizontal scroll within a cell). */
int text_draw(WINDOW *win, const char *s, int maxw, int pad);
int text_draw_right(WINDOW *win, const char *s, int maxw); /* right-aligned */

/* A safe copy of s for places that take plain strings (caller frees). */
char *text_sanitize(const char *s);

#endif
