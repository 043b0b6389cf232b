/* Pane 5, slow: the keys and the pane operations; the model is in
 * slow_model.c, drawing in slow_view.c, EXPLAIN in slow_explain.c. */
#include "autoconfig.h"

#include "panes/slow.h"

#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "core/loop.h"
#include "core/xalloc.h"
#include "i18n.h"
#include "reports.h"

#define ESC 27

/* ---- refreshing --------------------------------------------------------- */

static void refresh_all(struct pane *p)
{
    struct slowp *s = slow_state(p);

    slow_refresh_header(p);
    slow_refresh_activity(p);
    /* 5,000 statements every tick would be the heaviest query here: they
     * refresh only while shown (the now mode needs the snapshots). */
    if (s->view == SLOW_VIEW_STATEMENTS)
        slow_refresh_statements(p);
}

static void on_tick(void *arg)
{
    struct pane *p = arg;
    struct slowp *s = slow_state(p);

    /* Only while shown (a result redraws it, so a pane on screen is drawn
     * between ticks), and never inside another pane's transaction. */
    if (!s->drawn || s->paused || s->view == SLOW_VIEW_DETAIL ||
        db_state(p->db) != DB_STATE_CONNECTED || db_in_transaction(p->db))
        return;
    s->drawn = false;
    refresh_all(p);
}

/* ---- keys --------------------------------------------------------------- */

static const struct slow_stmt *selected_stmt(struct slowp *s)
{
    long row = grid_cursor(s->grid);

    if (!slow_statements_usable(s) || row < 0 || row >= s->nrows)
        return NULL;
    return &s->rows[row];
}

static const struct slow_activity_row *selected_session(struct slowp *s)
{
    long row = grid_cursor(s->agrid);

    if (s->view != SLOW_VIEW_ACTIVITY || row < 0 || row >= s->nact)
        return NULL;
    return &s->act[row];
}

static void act_view(struct pane *p)
{
    struct slowp *s = slow_state(p);

    if (s->view == SLOW_VIEW_DETAIL) {
        slow_detail_close(s);
        s->view = s->back;
    }
    s->view = s->view == SLOW_VIEW_STATEMENTS ? SLOW_VIEW_ACTIVITY
                                              : SLOW_VIEW_STATEMENTS;
    refresh_all(p);
    app_redraw();
}

static void act_enter(struct pane *p)
{
    struct slowp *s = slow_state(p);
    const struct slow_stmt *st;

    if (s->view == SLOW_VIEW_DETAIL) {
        slow_detail_close(s);
        s->view = s->back;
    } else if (s->view == SLOW_VIEW_STATEMENTS && (st = selected_stmt(s))) {
        slow_detail_open(p, st);
    }
    app_redraw();
}

static void act_back(struct pane *p)
{
    struct slowp *s = slow_state(p);

    if (s->view == SLOW_VIEW_DETAIL)
        act_enter(p);
}

static void act_mode(struct pane *p)
{
    struct slowp *s = slow_state(p);

    s->now_mode = !s->now_mode;
    slow_rebuild_rows(s);
    grid_set_source(s->grid, &s->src);
    app_message("%s", s->now_mode
                          ? _("Now: what ran since the pane opened (b: from "
                              "here)")
                          : _("Since the statistics reset"));
    slow_refresh_statements(p);
}

static void act_baseline(struct pane *p)
{
    struct slowp *s = slow_state(p);

    slow_set_baseline(s);
    s->now_mode = true;
    slow_rebuild_rows(s);
    grid_set_source(s->grid, &s->src);
    app_message("%s", _("Now: counting from here"));
    app_redraw();
}

static void act_all(struct pane *p)
{
    struct slowp *s = slow_state(p);

    s->all_dbs = !s->all_dbs;
    /* Other databases' rows were never in the baseline: start afresh. */
    slow_clear_snapshots(s);
    grid_set_source(s->grid, &s->src);
    slow_refresh_statements(p);
}

static void act_sort(struct pane *p)
{
    struct slowp *s = slow_state(p);
    int col = slow_sort_column(s, grid_col_cursor(s->grid));

    if (s->view != SLOW_VIEW_STATEMENTS || col < 0)
        return;
    s->sort_desc = s->sort == (enum slow_col)col ? !s->sort_desc
                                                 : col != SLOW_COL_QUERY;
    s->sort = col;
    slow_sort(s->rows, s->nrows, s->sort, s->sort_desc);
    app_redraw();
}

static void act_refresh(struct pane *p)
{
    refresh_all(p);
}

static void act_pause(struct pane *p)
{
    struct slowp *s = slow_state(p);

    s->paused = !s->paused;
    app_message("%s", s->paused ? _("Refresh paused (p resumes)")
                                : _("Refresh resumed"));
}

static struct grid *shown_grid(struct slowp *s)
{
    return s->view == SLOW_VIEW_ACTIVITY ? s->agrid : s->grid;
}

static void on_search(const char *text, void *arg)
{
    struct slowp *s = slow_state((struct pane *)arg);

    cmdline_deactivate(s->search);
    if (text && *text) {
        cmdline_history_add(s->search, text);
        if (!grid_search(shown_grid(s), text, true))
            app_message(_("Not found: %s"), text);
    }
    app_redraw();
}

static void act_search(struct pane *p)
{
    struct slowp *s = slow_state(p);

    if (s->view == SLOW_VIEW_DETAIL)
        return;
    if (!s->search)
        s->search = cmdline_new(NULL, on_search, NULL, p);
    cmdline_activate(s->search, "/", NULL);
    app_redraw();
}

/* From the statement list, e/E open the selected statement's detail
 * first: the plan is shown there. */
static void explain_selected(struct pane *p, bool analyze)
{
    struct slowp *s = slow_state(p);
    const struct slow_stmt *st;

    if (s->view == SLOW_VIEW_STATEMENTS && (st = selected_stmt(s)))
        slow_detail_open(p, st);
    if (s->view != SLOW_VIEW_DETAIL) {
        app_error("%s", _("Select a statement first (v: statements)."));
        return;
    }
    slow_explain_start(p, analyze);
}

static void act_explain(struct pane *p)
{
    explain_selected(p, false);
}

static void act_analyze(struct pane *p)
{
    explain_selected(p, true);
}

struct signal_ask {
    struct pane *p;
    int pid;
    bool terminate;
};

static void on_signal_answer(bool yes, void *arg)
{
    struct signal_ask *a = arg;

    if (yes)
        slow_backend_signal(a->p, a->pid, a->terminate);
    free(a);
}

static void ask_signal(struct pane *p, bool terminate)
{
    const struct slow_activity_row *a = selected_session(slow_state(p));
    struct signal_ask *ask;
    char *q;

    if (!a) {
        app_error("%s", _("Select a session in the activity view (v)."));
        return;
    }
    ask = xmalloc(sizeof *ask);
    *ask = (struct signal_ask){ p, a->pid, terminate };
    q = terminate ? xasprintf(_("Terminate backend %d (%s)? The session "
                                "ends."), a->pid, a->user)
                  : xasprintf(_("Cancel the query of backend %d (%s)?"),
                              a->pid, a->user);
    app_confirm(q, on_signal_answer, ask);
    free(q);
}

static void act_cancel_backend(struct pane *p)
{
    ask_signal(p, false);
}

static void act_terminate_backend(struct pane *p)
{
    ask_signal(p, true);
}

static void on_reset_answer(bool yes, void *arg)
{
    if (yes)
        slow_stats_reset(arg);
}

static void act_reset(struct pane *p)
{
    if (!slow_statements_usable(slow_state(p)))
        return;
    app_confirm(_("Reset pg_stat_statements for every database? The history "
                  "is lost."), on_reset_answer, p);
}

static const struct keybinding slow_bindings[] = {
    { 'v', NULL, N_("statements or activity"), act_view, false, true },
    { '\n', "Enter", N_("statement detail (arrows, PgUp/PgDn, Home/End scroll; "
         "Enter/Backspace: back)"),
      act_enter, false, true },
    { KEY_BACKSPACE, NULL, NULL, act_back, false, false },
    { 'm', NULL, N_("mode: since reset or now"), act_mode, false, true },
    { 'b', NULL, N_("now: count from here"), act_baseline, false, false },
    { 'a', NULL, N_("this database or all"), act_all, false, true },
    { 'o', NULL, N_("sort by the column (again: reverse)"), act_sort, false,
      true },
    { '/', NULL, N_("search in the rows (n/N: next/previous)"), act_search,
      false, true },
    { 'e', NULL, N_("EXPLAIN the statement (asks for $1…)"), act_explain,
      false, true },
    { 'E', NULL, N_("EXPLAIN ANALYZE a SELECT (read-only, rolled back)"),
      act_analyze, false, false },
    { 'r', NULL, N_("refresh now"), act_refresh, false, false },
    { 'p', NULL, N_("pause or resume the refresh"), act_pause, false, true },
    { 'c', NULL, N_("cancel the session's query"), act_cancel_backend, true,
      true },
    { 'K', NULL, N_("terminate the session"), act_terminate_backend, true,
      false },
    { 'R', NULL, N_("reset pg_stat_statements"), act_reset, true, false },
    { 0, NULL, NULL, NULL, false, false },
};

static const struct keymap slow_keys = { N_("Slow queries"), slow_bindings };

/* ---- pane operations ---------------------------------------------------- */

static void slow_open(struct pane *p)
{
    const struct config *cfg = app_config();
    const struct reports_slow_options *ro = reports_slow();
    struct slowp *s;

    if (cfg)
        slow_model_init(p, cfg->slow_threshold_ms, cfg->activity_refresh_ms);
    else
        slow_model_init(p, ro->threshold_ms, 0);
    s = slow_state(p);
    s->batch = !cfg;
    slow_view_init(s);
    refresh_all(p);
    if (!s->batch)
        s->timer = loop_timer_add(s->refresh_ms, true, on_tick, p);
}

static void slow_draw(struct pane *p, WINDOW *w)
{
    slow_state(p)->drawn = true;
    slow_view_draw(p, w);
}

/* The detail scrolls by screen lines until its last line shows. */
static bool detail_scroll(struct slowp *s, int key)
{
    int page = s->detail_height > 1 ? s->detail_height - 1 : 1;
    int last = s->detail_lines - s->detail_height;

    if (key == KEY_DOWN || key == 'j')
        s->scroll++;
    else if (key == KEY_UP || key == 'k')
        s->scroll--;
    else if (key == KEY_NPAGE || key == ' ')
        s->scroll += page;
    else if (key == KEY_PPAGE)
        s->scroll -= page;
    else if (key == KEY_HOME)
        s->scroll = 0;
    else if (key == KEY_END)
        s->scroll = last;
    else
        return false;
    s->scroll = s->scroll > last ? last : s->scroll;
    s->scroll = s->scroll < 0 ? 0 : s->scroll;
    app_redraw();
    return true;
}

static bool slow_key(struct pane *p, int key)
{
    struct slowp *s = slow_state(p);

    if (s->search && cmdline_active(s->search))
        return cmdline_key(s->search, key);
    if (slow_explain_key(p, key))
        return true;
    if (s->view == SLOW_VIEW_DETAIL)
        return detail_scroll(s, key);
    return grid_key(shown_grid(s), key);
}

static bool slow_editing(struct pane *p)
{
    struct slowp *s = slow_state(p);

    return s && ((s->prompt && cmdline_active(s->prompt)) ||
                 (s->search && cmdline_active(s->search)));
}

static bool slow_click(struct pane *p, int y, int x)
{
    struct slowp *s = slow_state(p);

    /* The grid sits under the two header lines. */
    if (s->view == SLOW_VIEW_DETAIL || y < 2)
        return false;
    return grid_click(s->view == SLOW_VIEW_ACTIVITY ? s->agrid : s->grid,
                      y - 2, x);
}

static void slow_close(struct pane *p)
{
    struct slowp *s = slow_state(p);

    if (!s)
        return;
    if (s->timer)
        loop_timer_cancel(s->timer);
    db_drop_owner(p->db, p);
    slow_detail_close(s);
    if (s->prompt)
        cmdline_free(s->prompt);
    if (s->search)
        cmdline_free(s->search);
    grid_free(s->grid);
    grid_free(s->agrid);
    slow_model_free(s);
    p->state = NULL;
}

const struct pane_ops slow_pane_ops = {
    .id = "slow",
    .title = N_("Slow"),
    .number = 5,
    .keys = &slow_keys,
    .open = slow_open,
    .draw = slow_draw,
    .key = slow_key,
    .report = slow_report,
    .click = slow_click,
    .editing = slow_editing,
    .close = slow_close,
};
