/* Pane 4, rls: the keys and the pane operations; the model is in
 * rls_model.c and rls_sim.c, drawing in rls_view.c. */
#include "autoconfig.h"

#include "panes/rls.h"

#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "core/sql.h"
#include "core/xalloc.h"
#include "i18n.h"
#include "ui/clipboard.h"

/* ---- moving --------------------------------------------------------- */

static void move_cursor(struct pane *p, int delta)
{
    struct rlsp *s = rls_state(p);
    int n = rls_view_lines(s), *cur = &s->cursor[s->view];

    *cur += delta;
    if (*cur >= n)
        *cur = n - 1;
    if (*cur < 0)
        *cur = 0;
    app_redraw();
}

static void act_down(struct pane *p) { move_cursor(p, 1); }
static void act_up(struct pane *p) { move_cursor(p, -1); }
static void act_page_down(struct pane *p) { move_cursor(p, 20); }
static void act_page_up(struct pane *p) { move_cursor(p, -20); }
static void act_first(struct pane *p) { move_cursor(p, -1000000); }
static void act_last(struct pane *p) { move_cursor(p, 1000000); }

static void show(struct pane *p, enum rls_view v)
{
    rls_state(p)->view = v;
    app_redraw();
}

static void act_tables(struct pane *p) { show(p, RLS_VIEW_TABLES); }
static void act_policies(struct pane *p) { show(p, RLS_VIEW_POLICIES); }
static void act_roles(struct pane *p) { show(p, RLS_VIEW_ROLES); }
static void act_findings(struct pane *p) { show(p, RLS_VIEW_FINDINGS); }
static void act_sim_view(struct pane *p) { show(p, RLS_VIEW_SIMULATE); }

/* Enter on a table (in the tables or simulation view): its policies. */
static void act_enter(struct pane *p)
{
    struct rlsp *s = rls_state(p);
    int ref = rls_view_ref(s);

    if ((s->view != RLS_VIEW_TABLES && s->view != RLS_VIEW_SIMULATE) ||
        ref < 0)
        return;
    s->table = ref;
    s->cursor[RLS_VIEW_POLICIES] = 0;
    show(p, RLS_VIEW_POLICIES);
}

static const struct rls_finding *current_finding(struct pane *p)
{
    struct rlsp *s = rls_state(p);
    int ref = rls_view_ref(s);

    if (s->view != RLS_VIEW_FINDINGS || ref < 0 || ref >= s->findings.n)
        return NULL;
    return &s->findings.v[ref];
}

static void act_copy(struct pane *p)
{
    const struct rls_finding *f = current_finding(p);

    if (!f || !f->fix_sql)
        app_error("%s", _("Nothing to copy here: choose a finding with a "
                          "fix"));
    else if (clipboard_copy(f->fix_sql))
        app_message(_("Copied the %s to the clipboard (OSC 52)"),
                    _("fix SQL"));
    else
        app_error("%s", _("Nothing copied: the text is too large for OSC 52"));
}

static void act_refresh(struct pane *p)
{
    rls_refresh(p);
    app_redraw();
}

/* ---- the shim (write mode) ---------------------------------------- */

static void on_shim(struct db_job *job, void *arg)
{
    struct pane *p = arg;

    if (job->status != DB_JOB_OK)
        app_error(_("The shim failed: %s"), job->error ? job->error : "");
    else if (job->tag == 3) {
        app_message("%s", _("auth.uid() created: the seed's policies can "
                            "now be created"));
        rls_refresh(p);
    }
}

static void run_shim(bool yes, void *arg)
{
    static const char *const steps[] = { SQL_RLS_BEGIN,
                                         RLSLINT_AUTH_SHIM_SCHEMA,
                                         RLSLINT_AUTH_SHIM_FUNCTION,
                                         SQL_RLS_COMMIT };
    struct pane *p = arg;

    if (!yes)
        return;
    for (int i = 0; i < 4; i++) {
        struct db_job *job = db_job_new(_("RLS: auth shim"), steps[i],
                                        on_shim, p);
        job->write = true;
        job->tag = i;
        app_submit(p, job);
    }
}

static void act_run_fix(struct pane *p)
{
    const struct rls_finding *f = current_finding(p);

    if (!f || strcmp(f->check, "auth_uid_missing") != 0) {
        app_error("%s", _("Only the auth.uid() shim runs from here: copy "
                          "other fixes with y"));
        return;
    }
    app_confirm(_("Create schema auth and function auth.uid()?"), run_shim,
                p);
}

/* ---- the simulation prompt ------------------------------------------ */

static void on_prompt(const char *line, void *arg);

static struct cmdline *prompt(struct pane *p)
{
    struct rlsp *s = rls_state(p);

    if (!s->prompt)
        s->prompt = cmdline_new(NULL, on_prompt, NULL, p);
    return s->prompt;
}

static void on_prompt(const char *line, void *arg)
{
    struct pane *p = arg;
    struct rlsp *s = rls_state(p);

    if (!line) {
        cmdline_deactivate(s->prompt);
        return;
    }
    if (s->prompt_step == 2 && !*line) {
        app_error("%s", _("A primary key value is needed"));
        return;
    }
    if (s->prompt_step == 0) {
        if (!*line) {
            app_error("%s", _("A role name is needed"));
            return;
        }
        free(s->prompt_role);
        s->prompt_role = xstrdup(line);
        s->prompt_step = 1;
        cmdline_activate(s->prompt, _("user id for auth.uid() (empty: "
                                      "none): "), s->sim_user ? s->sim_user
                                                               : "");
        return;
    }
    cmdline_deactivate(s->prompt);
    s->view = RLS_VIEW_SIMULATE;
    if (s->prompt_step == 2)
        rls_check_update(p, s->prompt_table, line);
    else
        rls_simulate(p, s->prompt_role, line);
    app_redraw();
}

static void act_simulate(struct pane *p)
{
    struct rlsp *s = rls_state(p);

    if (!s->loaded) {
        app_error("%s", _("The catalog is still being read"));
        return;
    }
    s->prompt_step = 0;
    cmdline_activate(prompt(p), _("simulate as role: "),
                     s->sim_role ? s->sim_role : s->app_role);
}

/* The table U asks about: the one under the cursor in the tables and
 * simulation views, the one whose policies are shown; else -1. */
static int check_table(const struct rlsp *s)
{
    int ref = rls_view_ref(s);

    if (s->view == RLS_VIEW_TABLES || s->view == RLS_VIEW_SIMULATE)
        return ref;
    if (s->view == RLS_VIEW_POLICIES)
        return s->table;
    return -1;
}

/* U on a table: ask for the row's primary key. */
static void act_check(struct pane *p)
{
    struct rlsp *s = rls_state(p);
    int ref = check_table(s);
    char *q;

    if (!s->sim_role) {
        app_error("%s", _("Simulate an identity first (S)"));
        return;
    }
    if (ref < 0 || ref >= s->ntables) {
        app_error("%s", _("Choose a table first (t: tables, s: simulation)"));
        return;
    }
    if (!s->extra[ref].pk) {
        app_error("%s", _("The row check needs a table with a one-column "
                          "primary key"));
        return;
    }
    s->prompt_step = 2;
    s->prompt_table = ref;
    q = xasprintf(_("could %s update the row of %s with %s = "), s->sim_role,
                  s->tables[ref].name, s->extra[ref].pk);
    cmdline_activate(prompt(p), q, "");
    free(q);
}

static const struct keybinding rls_bindings[] = {
    { 't', NULL, N_("tables: RLS state, owner, policy count"), act_tables,
      false, true },
    { 'p', NULL, N_("the chosen table's policies and combined conditions"),
      act_policies, false, true },
    { 'r', NULL, N_("roles: superuser, BYPASSRLS, login, membership"),
      act_roles, false, true },
    { 'f', NULL, N_("findings with their fix SQL"), act_findings, false,
      true },
    { 's', NULL, N_("the simulation's visible rows"), act_sim_view, false,
      false },
    { 'S', NULL, N_("simulate a role and user id (rolled back)"),
      act_simulate, false, true },
    { 'U', NULL, N_("could the identity update a row of this table?"),
      act_check, false, false },
    { '\n', "Enter", N_("a table's policies"), act_enter, false, false },
    { KEY_ENTER, NULL, NULL, act_enter, false, false },
    { 'y', NULL, N_("copy the finding's fix SQL"), act_copy, false, true },
    { 'x', NULL, N_("run the auth.uid() shim (confirmation)"), act_run_fix,
      true, false },
    { 'R', NULL, N_("read the catalog again"), act_refresh, false, false },
    { 'j', NULL, N_("down"), act_down, false, false },
    { KEY_DOWN, NULL, NULL, act_down, false, false },
    { 'k', NULL, N_("up"), act_up, false, false },
    { KEY_UP, NULL, NULL, act_up, false, false },
    { KEY_NPAGE, NULL, N_("page down"), act_page_down, false, false },
    { KEY_PPAGE, NULL, N_("page up"), act_page_up, false, false },
    { 'g', NULL, N_("first line"), act_first, false, false },
    { 'G', NULL, N_("last line"), act_last, false, false },
    { 0, NULL, NULL, NULL, false, false },
};

static const struct keymap rls_keys = { N_("Row Level Security"),
                                        rls_bindings };

/* ---- pane operations -------------------------------------------------- */

static void rls_open(struct pane *p)
{
    rls_model_init(p);
    rls_refresh(p);
}

static void rls_draw(struct pane *p, WINDOW *w)
{
    rls_view_draw(p, w);
}

static bool rls_key(struct pane *p, int key)
{
    struct rlsp *s = rls_state(p);

    if (s->prompt && cmdline_active(s->prompt))
        return cmdline_key(s->prompt, key);
    return false;
}

static bool rls_editing(struct pane *p)
{
    struct rlsp *s = rls_state(p);

    return s && s->prompt && cmdline_active(s->prompt);
}

/* A click on a line moves the cursor there (the two header lines above). */
static bool rls_click(struct pane *p, int y, int x)
{
    struct rlsp *s = rls_state(p);
    int line = s->top[s->view] + y - 2;

    (void)x;
    if (y < 2 || line >= rls_view_lines(s))
        return false;
    s->cursor[s->view] = line;
    app_redraw();
    return true;
}

static void rls_close(struct pane *p)
{
    struct rlsp *s = rls_state(p);

    if (!s)
        return;
    db_drop_owner(p->db, p);
    rls_model_free(s);
    p->state = NULL;
}

const struct pane_ops rls_pane_ops = {
    .id = "rls",
    .title = N_("RLS"),
    .number = 4,
    .keys = &rls_keys,
    .open = rls_open,
    .draw = rls_draw,
    .key = rls_key,
    .report = rls_report,
    .click = rls_click,
    .editing = rls_editing,
    .close = rls_close,
};
