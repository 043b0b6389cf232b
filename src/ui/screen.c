/* ncurses set-up and the layout. Keys are read from a 1×1 pad: wgetch on a
 * pad never refreshes anything, so reading a key cannot move the cursor away
 * from the line being edited. */
#include "autoconfig.h"

#include "ui/screen.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "i18n.h"
#include "ui/text.h"
#include "ui/theme.h"

#define MAX_TABS 8

static struct screen scr;
static WINDOW *input;
static bool active;
static int tab_x0[MAX_TABS], tab_x1[MAX_TABS], ntab_drawn;

static void layout(void)
{
    WINDOW **wins[] = { &scr.tabs, &scr.body, &scr.status, &scr.line };

    for (size_t i = 0; i < sizeof wins / sizeof *wins; i++) {
        if (*wins[i])
            delwin(*wins[i]);
        *wins[i] = NULL;
    }
    scr.rows = LINES;
    scr.cols = COLS;
    scr.too_small = LINES < SCREEN_MIN_ROWS || COLS < SCREEN_MIN_COLS;
    if (LINES < 4)
        return;
    scr.tabs = newwin(1, COLS, 0, 0);
    scr.body = newwin(LINES - 3, COLS, 1, 0);
    scr.status = newwin(1, COLS, LINES - 2, 0);
    scr.line = newwin(1, COLS, LINES - 1, 0);
    leaveok(scr.tabs, TRUE);
    leaveok(scr.status, TRUE);
}

void screen_init(bool mouse, const char *theme)
{
    initscr();
    raw();
    noecho();
    nonl();
    set_escdelay(25);
    curs_set(0);
    if (has_colors()) {
        start_color();
        use_default_colors();
    }
    theme_init(theme);
    input = newpad(1, 1);
    keypad(input, TRUE);
    nodelay(input, TRUE);
    if (mouse) {
        mousemask(BUTTON1_PRESSED | BUTTON1_CLICKED | BUTTON4_PRESSED |
                  BUTTON5_PRESSED, NULL);
        mouseinterval(0);
    }
    active = true;
    layout();
}

void screen_end(void)
{
    if (!active)
        return;
    active = false;
    endwin();
}

bool screen_active(void)
{
    return active;
}

const struct screen *screen_get(void)
{
    return &scr;
}

void screen_resize(void)
{
    struct winsize ws;

    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row && ws.ws_col)
        resizeterm(ws.ws_row, ws.ws_col);
    clearok(curscr, TRUE);
    layout();
}

void screen_suspend(void)
{
    endwin();
    kill(getpid(), SIGSTOP);
    /* Resumed: take the terminal back. */
    refresh();
    screen_resize();
}

void screen_draw_tabs(const struct screen_tab *tabs, int n, int current)
{
    WINDOW *w = scr.tabs;
    const char *name = "degux-console";
    int room;

    werase(w);
    wbkgdset(w, ' ' | theme_attr(THEME_TAB));
    werase(w);
    wmove(w, 0, 1);
    ntab_drawn = 0;
    for (int i = 0; i < n && i < MAX_TABS; i++) {
        attr_t a = theme_attr(i == current ? THEME_TAB_ACTIVE : THEME_TAB);
        char label[64];

        snprintf(label, sizeof label, " %d %s%s ", tabs[i].number,
                 tabs[i].title, tabs[i].busy ? "*" : "");
        tab_x0[i] = getcurx(w);
        wattrset(w, a);
        text_draw(w, label, COLS - tab_x0[i], 0);
        tab_x1[i] = getcurx(w);
        wattrset(w, theme_attr(THEME_TAB));
        waddch(w, ' ');
        ntab_drawn = i + 1;
    }
    room = COLS - getcurx(w) - 1;
    if (room > (int)strlen(name)) {
        wattrset(w, theme_attr(THEME_TITLE));
        mvwaddstr(w, 0, COLS - (int)strlen(name) - 1, name);
    }
    wattrset(w, A_NORMAL);
    wnoutrefresh(w);
}

int screen_tab_at(int x)
{
    for (int i = 0; i < ntab_drawn; i++)
        if (x >= tab_x0[i] && x < tab_x1[i])
            return i;
    return -1;
}

void screen_draw_too_small(void)
{
    char msg[160];
    int len;

    erase();
    /* TRANSLATORS: %d×%d are the current and the needed columns×lines. */
    snprintf(msg, sizeof msg, _("Terminal too small: %d×%d, needs %d×%d"),
             COLS, LINES, SCREEN_MIN_COLS, SCREEN_MIN_ROWS);
    len = text_width(msg);
    mvaddstr(LINES / 2, len < COLS ? (COLS - len) / 2 : 0, msg);
    if (LINES / 2 + 1 < LINES)
        mvaddstr(LINES / 2 + 1, 0, _("Enlarge the window, or press q to quit."));
    wnoutrefresh(stdscr);
}

void screen_draw_message(const char *text, bool error)
{
    WINDOW *w = scr.line;

    werase(w);
    if (text) {
        wattrset(w, theme_attr(error ? THEME_ERROR : THEME_NORMAL));
        wmove(w, 0, 0);
        text_draw(w, text, COLS - 1, 0);
        wattrset(w, A_NORMAL);
    }
    wnoutrefresh(w);
}

int screen_read_key(void)
{
    return wgetch(input);
}
