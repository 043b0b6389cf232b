/* The colour theme: one colour pair per role on the terminal's own
 * background (htop-like), or bold/reverse/underline/dim without colour. */
#include "autoconfig.h"

#include "ui/theme.h"

#include <stdlib.h>
#include <string.h>

#define DEFAULT_COLOR (-1)   /* the terminal's own foreground/background */
#define GREY (-2)            /* bright black where there are 16 colours */

struct role_style {
    short fg, bg;
    attr_t color_attrs;   /* added to the pair in the colour theme */
    attr_t mono;          /* the whole attribute without colour */
};

static const struct role_style styles[THEME_ROLE_COUNT] = {
    [THEME_NORMAL] = { DEFAULT_COLOR, DEFAULT_COLOR, A_NORMAL, A_NORMAL },
    [THEME_TAB] = { COLOR_WHITE, COLOR_BLUE, A_NORMAL, A_REVERSE },
    [THEME_TAB_ACTIVE] = { COLOR_BLACK, COLOR_CYAN, A_BOLD, A_BOLD },
    [THEME_TITLE] = { COLOR_YELLOW, COLOR_BLUE, A_BOLD, A_REVERSE | A_BOLD },
    [THEME_STATUS] = { COLOR_WHITE, COLOR_BLUE, A_NORMAL, A_REVERSE },
    [THEME_STATUS_ERROR] = { COLOR_WHITE, COLOR_RED, A_BOLD,
                             A_BOLD | A_UNDERLINE },
    [THEME_BADGE_READONLY] = { COLOR_BLACK, COLOR_GREEN, A_BOLD, A_BOLD },
    [THEME_BADGE_WRITE] = { COLOR_WHITE, COLOR_RED, A_BOLD,
                            A_BOLD | A_UNDERLINE },
    [THEME_HEADER] = { COLOR_CYAN, DEFAULT_COLOR, A_BOLD, A_BOLD },
    [THEME_CURSOR_ROW] = { COLOR_BLACK, COLOR_CYAN, A_NORMAL, A_REVERSE },
    [THEME_CURSOR_CELL] = { COLOR_WHITE, COLOR_BLUE, A_BOLD,
                            A_REVERSE | A_BOLD | A_UNDERLINE },
    [THEME_NULL] = { GREY, DEFAULT_COLOR, A_NORMAL, A_DIM },
    [THEME_NUMBER] = { COLOR_GREEN, DEFAULT_COLOR, A_NORMAL, A_BOLD },
    [THEME_DIM] = { GREY, DEFAULT_COLOR, A_NORMAL, A_DIM },
    [THEME_BORDER] = { COLOR_BLUE, DEFAULT_COLOR, A_BOLD, A_DIM },
    [THEME_MATCH] = { COLOR_BLACK, COLOR_YELLOW, A_NORMAL,
                      A_BOLD | A_UNDERLINE },
    [THEME_CONTROL] = { COLOR_MAGENTA, DEFAULT_COLOR, A_BOLD, A_UNDERLINE },
    [THEME_OK] = { COLOR_GREEN, DEFAULT_COLOR, A_NORMAL, A_NORMAL },
    [THEME_INFO] = { COLOR_CYAN, DEFAULT_COLOR, A_NORMAL, A_NORMAL },
    [THEME_WARNING] = { COLOR_YELLOW, DEFAULT_COLOR, A_BOLD, A_BOLD },
    [THEME_ERROR] = { COLOR_RED, DEFAULT_COLOR, A_BOLD, A_BOLD | A_REVERSE },
};

static attr_t current[THEME_ROLE_COUNT];
static int ncolors;

static void theme_set_mono(void)
{
    for (int i = 0; i < THEME_ROLE_COUNT; i++)
        current[i] = styles[i].mono;
    ncolors = 0;
}

static bool no_color_env(void)
{
    const char *v = getenv("NO_COLOR");

    return v && *v;
}

/* Colours the terminal can show for one role's fg/bg. */
static short theme_resolve(short c, bool defaults, short fallback,
                           attr_t *extra)
{
    if (c == GREY) {
        if (COLORS >= 16)
            return 8;
        *extra |= A_DIM;
        return COLOR_WHITE;
    }
    if (c == DEFAULT_COLOR && !defaults)
        return fallback;
    return c;
}

static bool theme_set_color(void)
{
    bool defaults = use_default_colors() == OK;

    if (COLOR_PAIRS <= THEME_ROLE_COUNT)
        return false;
    current[THEME_NORMAL] = A_NORMAL;
    for (short i = 1; i < THEME_ROLE_COUNT; i++) {
        attr_t extra = styles[i].color_attrs;
        short fg = theme_resolve(styles[i].fg, defaults, COLOR_WHITE, &extra);
        short bg = theme_resolve(styles[i].bg, defaults, COLOR_BLACK, &extra);
        if (init_pair(i, fg, bg) == ERR)
            return false;
        current[i] = COLOR_PAIR(i) | extra;
    }
    ncolors = COLORS;
    return true;
}

bool theme_init(const char *name)
{
    bool known = !name || !*name || strcmp(name, "default") == 0 ||
                 strcmp(name, "mono") == 0;

    theme_set_mono();
    if (name && strcmp(name, "mono") == 0)
        return true;
    if (no_color_env() || !has_colors() || COLORS < 8)
        return known;
    if (!theme_set_color())
        theme_set_mono();
    return known;
}

attr_t theme_attr(enum theme_role role)
{
    /* Before theme_init (reports, tests) every role is monochrome: THEME_TAB
     * is never A_NORMAL once a theme is set. */
    if (!current[THEME_TAB])
        theme_set_mono();
    if ((int)role < 0 || role >= THEME_ROLE_COUNT)
        return A_NORMAL;
    return current[role];
}

int theme_colors(void)
{
    return ncolors;
}
