/* Drawing text from the database safely: control characters are made
 * visible (so data can never emit terminal escapes), invalid UTF-8 is shown
 * as \xNN, and widths are display columns (wcwidth), not bytes.
 *
 * What is drawn for what (all in the THEME_CONTROL attribute):
 *   newline "↵", tab "→", other C0 and DEL in caret notation ("^[" for ESC,
 *   "^@" for NUL, "^?" for DEL); C1 controls (U+0080-U+009F), bidi and line
 *   separator format characters and unprintable code points as "\u0085" /
 *   "\U000e0001"; each invalid UTF-8 byte as "\xNN". A combining mark with
 *   nothing to combine with is drawn on a dotted circle "◌". */
#ifndef DEGUX_TEXT_H
#define DEGUX_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <wchar.h>
#include <curses.h>

/* Display width in columns of s once made safe (as text_draw would draw it). */
int text_width(const char *s);
/* Same for at most n bytes of s. */
int text_width_n(const char *s, size_t n);
/* Same as text_width, but stops measuring once the width passes limit
 * (returns some value > limit then): cheap on huge values. */
int text_width_max(const char *s, int limit);

/* Draws s at the cursor of win, made safe, in at most maxw columns (and never
 * past the window's right edge), in the window's current attribute; pads
 * with spaces to exactly maxw when pad. Returns the columns drawn. Text that
 * is cut never splits a character and ends with '…'. NULL draws as "". */
int text_draw(WINDOW *win, const char *s, int maxw, int pad);
/* Right-aligned in exactly maxw columns (cut like text_draw when wider). */
int text_draw_right(WINDOW *win, const char *s, int maxw);

/* Bytes [start, start + len) of a string, e.g. a search match. */
struct text_span {
    size_t start, len;
};

#define TEXT_PAD 1u    /* pad with spaces to maxw */
#define TEXT_RIGHT 2u  /* right-align in maxw (implies TEXT_PAD) */

/* text_draw with flags, drawing the bytes inside spans (sorted, not
 * overlapping) in the attribute hl: how the grid marks search matches. */
int text_draw_spans(WINDOW *win, const char *s, int maxw, unsigned flags,
                    const struct text_span *spans, int nspans, attr_t hl);

/* How many of the first len bytes of s fit in maxw columns (as drawn),
 * never splitting a character; at least one character when len > 0, so a
 * loop that wraps text always advances. */
size_t text_fit(const char *s, size_t len, int maxw);

/* Appends s to the heap string *line (NULL starts one) as a column of
 * width display columns: padded with spaces (right-aligned with
 * TEXT_RIGHT), after one space unless it is the first. printf's "%-6s"
 * pads by bytes, so "sí" would come out one column short. Text wider than
 * width is kept whole. */
void text_append_col(char **line, const char *s, int width, unsigned flags);

/* A safe copy of s for places that take plain strings (caller frees);
 * NULL in, NULL out. */
char *text_sanitize(const char *s);

/* Case-insensitive search. text_fold gives the lower-cased wide form of a
 * needle (caller frees; *n gets its length; invalid bytes fold to values no
 * valid character has, so they match only themselves). text_find looks for
 * it in the first len bytes of s, starting at byte from; true with the
 * match's bytes in *out. */
wchar_t *text_fold(const char *s, size_t *n);
bool text_find(const char *s, size_t len, size_t from, const wchar_t *needle,
               size_t n, struct text_span *out);

#endif
