/* The colour theme: every role the screen draws in maps to an attribute.
 * NO_COLOR, a monochrome terminal or the "mono" theme give attributes that
 * stay distinguishable without colour (bold, reverse, underline, dim). */
#ifndef DEGUX_THEME_H
#define DEGUX_THEME_H

#include <stdbool.h>
#include <curses.h>

enum theme_role {
    THEME_NORMAL,
    THEME_TAB,
    THEME_TAB_ACTIVE,
    THEME_TITLE,
    THEME_STATUS,
    THEME_STATUS_ERROR,
    THEME_BADGE_READONLY,
    THEME_BADGE_WRITE,      /* red: the session can change data */
    THEME_HEADER,           /* grid column headers */
    THEME_CURSOR_ROW,
    THEME_CURSOR_CELL,      /* the grid's cell under the column cursor */
    THEME_NULL,             /* NULL values */
    THEME_NUMBER,
    THEME_DIM,
    THEME_BORDER,
    THEME_MATCH,            /* search matches */
    THEME_CONTROL,          /* control characters made visible */
    THEME_OK,
    THEME_INFO,
    THEME_WARNING,
    THEME_ERROR,
    THEME_ROLE_COUNT
};

/* After start_color (or without colours). name: NULL, "" or "default" for
 * the colour theme (dark, on the terminal's default colours), "mono" to
 * force monochrome; NO_COLOR (any non-empty value) or a terminal without
 * colours also give monochrome. Returns false for an unknown name (the
 * default theme is used then). Before theme_init every role is monochrome. */
bool theme_init(const char *name);
attr_t theme_attr(enum theme_role role);
int theme_colors(void);   /* 0 when monochrome */

#endif
