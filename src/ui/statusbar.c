/* The status bar, drawn left to right with the parts that matter most
 * (mode badge, job) kept when the terminal is narrow. */
#include "autoconfig.h"

#include "ui/statusbar.h"

#include <stdio.h>

#include "i18n.h"
#include "ui/text.h"
#include "ui/theme.h"

static const char *const spinner_frames[] = { "⠋", "⠙", "⠹", "⠸", "⠼", "⠴",
                                               "⠦", "⠧", "⠇", "⠏" };

static void put(WINDOW *w, enum theme_role role, const char *s)
{
    int room = getmaxx(w) - getcurx(w) - 1;

    if (room <= 0)
        return;
    wattrset(w, theme_attr(role));
    text_draw(w, s, room, 0);
}

static void draw_job(WINDOW *w, const struct statusbar *s)
{
    char buf[256];

    snprintf(buf, sizeof buf, " %s %s %.1fs",
             spinner_frames[s->spinner % 10], s->job, s->job_ms / 1000.0);
    put(w, THEME_STATUS, buf);
    if (s->queued > 0) {
        snprintf(buf, sizeof buf, _(" (+%d queued)"), s->queued);
        put(w, THEME_STATUS, buf);
    }
    put(w, THEME_STATUS, _("  Esc cancels"));
}

void statusbar_draw(WINDOW *w, const struct statusbar *s)
{
    char buf[64];

    wbkgdset(w, ' ' | theme_attr(THEME_STATUS));
    werase(w);
    wmove(w, 0, 0);
    if (s->write)
        put(w, THEME_BADGE_WRITE, _(" WRITE "));
    else
        put(w, THEME_BADGE_READONLY, _(" READ-ONLY "));
    put(w, THEME_STATUS, " ");
    if (s->conn_state) {
        put(w, THEME_STATUS_ERROR, s->conn_state);
        put(w, THEME_STATUS, " ");
    }
    put(w, THEME_STATUS, s->target ? s->target : "");
    if (s->versions) {
        snprintf(buf, sizeof buf, "  %s", s->versions);
        put(w, THEME_STATUS, buf);
    }
    if (s->job)
        draw_job(w, s);
    else if (s->last_error) {
        put(w, THEME_STATUS, "  ");
        put(w, THEME_STATUS_ERROR, s->last_error);
    }
    wattrset(w, A_NORMAL);
    wnoutrefresh(w);
}
