/* The virtual screen shared by the widget tests (see vscreen.h). */
#include "autoconfig.h"

#include "vscreen.h"

#include <stdlib.h>
#include <wchar.h>

#include "ui/theme.h"

#define LINE_MAX_COLS 512

static SCREEN *scr;
static FILE *term_out, *term_in;

FILE *vscreen_open(int rows, int cols)
{
    setenv("TERM", "xterm-256color", 1);
    unsetenv("NO_COLOR");
    term_out = tmpfile();
    term_in = fopen("/dev/null", "r");
    if (!term_out || !term_in)
        return NULL;
    scr = newterm("xterm-256color", term_out, term_in);
    if (!scr)
        return NULL;
    set_term(scr);
    resizeterm(rows, cols);
    start_color();
    use_default_colors();
    theme_init(NULL);
    return term_out;
}

void vscreen_close(void)
{
    endwin();
    delscreen(scr);
    fclose(term_out);
    fclose(term_in);
}

const char *vscreen_line(WINDOW *w, int y)
{
    /* Up to 6 code points per cell (combining marks), 4 bytes each. */
    static wchar_t wbuf[LINE_MAX_COLS * 6 + 1];
    static char out[LINE_MAX_COLS * 24 + 1];
    int n = mvwinnwstr(w, y, 0, wbuf, LINE_MAX_COLS * 6);
    size_t len;

    if (n < 0)
        return NULL;
    wbuf[n] = 0;
    len = wcstombs(out, wbuf, sizeof out - 1);
    if (len == (size_t)-1)
        return NULL;
    out[len] = 0;
    while (len > 0 && out[len - 1] == ' ')
        out[--len] = 0;
    return out;
}
