/* Pane 1, Schema: the database as a tree (schemas, tables with sizes,
 * views, sequences, functions, enum types, extensions), a table's anatomy,
 * and the schema advisor's findings with the SQL that fixes each. */
#include "autoconfig.h"

#include "panes/schema.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "core/xalloc.h"
#include "i18n.h"
#include "panes/pane.h"
#include "reports.h"
#include "ui/clipboard.h"

#define ESC 27

static struct schemap *S(struct pane *p)
{
    return p->state;
}

/* ---- loading ----------------------------------------------------------- */

static void cmd_describe(struct pane *p, const char *name);

static void on_loaded(struct pane *p)
{
    struct schemap *s = S(p);

    if (!s)
        return;
    if (s->m.tree_ready && !s->m.loaded) {  /* the tree, sizes estimated */
        schema_tree_build(s);
        app_redraw();
        return;
    }
    s->loading = false;
    if (s->m.error)
        app_error("%s", s->m.error);
    schema_tree_build(s);
    if (s->pending_d) {     /* :d arrived before the catalog did */
        char *name = s->pending_d;
        s->pending_d = NULL;
        cmd_describe(p, name);
        free(name);
    }
    app_redraw();
}

static void reload(struct pane *p)
{
    struct schemap *s = S(p);

    if (s->loading)
        return;
    schema_detail_free(s);
    if (s->mode == SM_DETAIL)
        s->mode = SM_TREE;
    schema_model_free(&s->m);
    s->loading = true;
    schema_model_load(p, &s->m, on_loaded);
}

/* ---- moving ------------------------------------------------------------ */

static void move_by(struct pane *p, int delta)
{
    struct schemap *s = S(p);
    int *cur = s->mode == SM_ADVISOR ? &s->adv_cur
             : s->mode == SM_MIGRATIONS ? &s->mig_cur
             : s->mode == SM_DETAIL ? &s->scroll : &s->cur;
    int n = s->mode == SM_ADVISOR ? s->m.findings.n
          : s->mode == SM_MIGRATIONS
              ? (s->m.migrations ? PQntuples(s->m.migrations) : 0)
          : s->mode == SM_DETAIL ? s->nlines : s->nitems;

    *cur += delta;
    if (*cur >= n)
        *cur = n - 1;
    if (*cur < 0)
        *cur = 0;
    app_redraw();
}

static void act_down(struct pane *p) { move_by(p, 1); }
static void act_up(struct pane *p) { move_by(p, -1); }
static void act_pgdown(struct pane *p) { move_by(p, 20); }
static void act_pgup(struct pane *p) { move_by(p, -20); }
static void act_home(struct pane *p) { move_by(p, -1000000); }
static void act_end(struct pane *p) { move_by(p, 1000000); }

/* ---- views ------------------------------------------------------------- */

static void open_item(struct pane *p, const struct schema_item *it)
{
    struct schemap *s = S(p);

    if (it->kind == SI_SCHEMA || it->kind == SI_GROUP)
        return;
    if (!s->m.loaded) {
        app_message("%s", _("Still reading the catalog: a moment"));
        return;
    }
    schema_detail_build(s, it);
    s->mode = SM_DETAIL;
    s->back = SM_TREE;
    app_redraw();
}

static void act_open(struct pane *p)
{
    struct schemap *s = S(p);

    if (s->mode == SM_TREE && s->cur < s->nitems) {
        open_item(p, &s->items[s->cur]);
    } else if (s->mode == SM_MIGRATIONS) {
        if (!schema_migration_log(s, COLS)) {
            app_message("%s", _("This migration has no log"));
            return;
        }
        s->mode = SM_DETAIL;
        s->back = SM_MIGRATIONS;
        app_redraw();
    }
}

static void act_back(struct pane *p)
{
    struct schemap *s = S(p);

    if (s->mode == SM_DETAIL && s->back == SM_MIGRATIONS) {
        s->mode = SM_MIGRATIONS;
        app_redraw();
        return;
    }
    if (s->mode == SM_TREE && s->filter[0]) {
        s->filter[0] = '\0';
        schema_tree_build(s);
    }
    s->mode = SM_TREE;
    app_redraw();
}

static void act_advisor(struct pane *p)
{
    struct schemap *s = S(p);

    s->mode = s->mode == SM_ADVISOR ? SM_TREE : SM_ADVISOR;
    app_redraw();
}

static void act_migrations(struct pane *p)
{
    struct schemap *s = S(p);

    s->mode = s->mode == SM_MIGRATIONS ? SM_TREE : SM_MIGRATIONS;
    app_redraw();
}

static void act_sort(struct pane *p)
{
    struct schemap *s = S(p);

    s->by_size = !s->by_size;
    schema_tree_build(s);
    app_message("%s", s->by_size ? _("Tables sorted by total size")
                                 : _("Tables sorted by name"));
}

static void act_filter(struct pane *p)
{
    struct schemap *s = S(p);

    s->mode = SM_TREE;
    s->filtering = true;
    app_redraw();
}

static void act_reload(struct pane *p)
{
    reload(p);
}

static void copy(const char *text, const char *what)
{
    if (!text)
        app_error("%s", _("Nothing to copy here"));
    else if (clipboard_copy(text))
        app_message(_("Copied the %s to the clipboard (OSC 52)"), what);
    else
        app_error("%s", _("Nothing copied: the text is too large for OSC 52"));
}

static const struct adv_finding *current_finding(struct schemap *s)
{
    if (s->mode != SM_ADVISOR || s->adv_cur >= s->m.findings.n)
        return NULL;
    return &s->m.findings.v[s->adv_cur];
}

static void act_copy(struct pane *p)
{
    struct schemap *s = S(p);
    const struct adv_finding *f = current_finding(s);

    const PGresult *mig = s->m.migrations;

    if (s->mode == SM_ADVISOR)
        copy(f ? f->fix_sql : NULL, _("fix"));
    else if (s->mode == SM_DETAIL)
        copy(s->copy, s->back == SM_MIGRATIONS ? _("log") : _("DDL"));
    else if (s->mode == SM_MIGRATIONS && mig && s->mig_cur < PQntuples(mig))
        copy(PQgetisnull(mig, s->mig_cur, MC_LOGS)
                 ? NULL : PQgetvalue(mig, s->mig_cur, MC_LOGS), _("log"));
    else
        app_error("%s", _("Open a table (Enter) or the advisor (a) to copy"));
}

/* ---- running a fix ----------------------------------------------------- */

static void on_fix_done(struct db_job *job, void *arg)
{
    struct pane *p = arg;

    if (job->status == DB_JOB_OK) {
        app_message(_("Done: %s"), job->sql);
        reload(p);
    } else {
        app_error(_("The fix failed: %s"), job->error ? job->error
                                                      : _("cancelled"));
    }
}

struct fix_arg {
    struct pane *p;
    char *sql;
};

static void on_fix_confirm(bool yes, void *arg)
{
    struct fix_arg *a = arg;

    if (yes && a->p->state) {
        struct db_job *job = db_job_new(_("Schema: fix"), a->sql,
                                        on_fix_done, a->p);
        job->write = true;
        app_submit(a->p, job);
    }
    free(a->sql);
    free(a);
}

/* One statement only: the fixes that need two are copied and run in the
 * SQL pane, where each can be checked. */
static bool single_statement(const char *sql)
{
    const char *semi = strchr(sql, ';');

    return !semi || semi[1] == '\0';
}

static void act_run_fix(struct pane *p)
{
    const struct adv_finding *f = current_finding(S(p));
    struct fix_arg *a;
    char *q;

    if (!f || !f->fix_sql) {
        app_error("%s", _("No fix statement to run here"));
        return;
    }
    if (!single_statement(f->fix_sql)) {
        app_error("%s", _("This fix has several statements: copy it (y) "
                          "and run it in the SQL pane"));
        return;
    }
    a = xmalloc(sizeof *a);
    a->p = p;
    a->sql = xstrdup(f->fix_sql);
    q = xasprintf(_("Run %s?"), f->fix_sql);
    app_confirm(q, on_fix_confirm, a);
    free(q);
}

/* ---- keys -------------------------------------------------------------- */

static const struct keybinding bindings[] = {
    { '\n', "Enter", N_("open the table, function or type; a "
                         "migration's whole log"), act_open,
      false, true },
    { '/', NULL, N_("filter by name as you type"), act_filter, false, true },
    { 's', NULL, N_("sort tables by size / by name"), act_sort, false,
      true },
    { 'a', NULL, N_("the schema advisor's findings"), act_advisor, false,
      true },
    { 'm', NULL, N_("Prisma migrations (applied, failed, rolled back)"),
      act_migrations, false, true },
    { 'y', NULL, N_("copy the DDL or the fix SQL (OSC 52)"), act_copy,
      false, true },
    { 'x', NULL, N_("run the selected fix (asks first)"), act_run_fix, true,
      false },
    { 'r', NULL, N_("reload the catalog"), act_reload, false, false },
    { ESC, "Esc", N_("back to the tree; clear the filter"), act_back, false,
      true },
    { KEY_LEFT, NULL, NULL, act_back, false, false },
    { KEY_DOWN, "Down j", N_("next line"), act_down, false, false },
    { 'j', NULL, NULL, act_down, false, false },
    { KEY_UP, "Up k", N_("previous line"), act_up, false, false },
    { 'k', NULL, NULL, act_up, false, false },
    { KEY_NPAGE, "PgDn PgUp", N_("page down / up"), act_pgdown, false,
      false },
    { KEY_PPAGE, NULL, NULL, act_pgup, false, false },
    { KEY_HOME, "Home g", N_("first line"), act_home, false, false },
    { 'g', NULL, NULL, act_home, false, false },
    { KEY_END, "End G", N_("last line"), act_end, false, false },
    { 'G', NULL, NULL, act_end, false, false },
    { 0, NULL, NULL, NULL, false, false },
};

static const struct keymap schema_keys = { N_("Schema"), bindings };

static const struct keybinding filter_bindings[] = {
    { '\n', "Enter", N_("keep the filter"), NULL, false, true },
    { ESC, "Esc", N_("clear the filter"), NULL, false, true },
    { 0, NULL, NULL, NULL, false, false },
};

static const struct keymap filter_keys = { N_("Schema filter"),
                                           filter_bindings };

static bool filter_key(struct schemap *s, int key)
{
    size_t n = strlen(s->filter);

    if (key == '\n' || key == '\r' || key == KEY_ENTER || key == ESC) {
        s->filtering = false;
        if (key == ESC)
            s->filter[0] = '\0';
    } else if (key == KEY_BACKSPACE || key == 127 || key == 8) {
        /* Back over a whole UTF-8 character. */
        while (n > 0 && ((unsigned char)s->filter[n - 1] & 0xc0) == 0x80)
            n--;
        if (n > 0)
            s->filter[n - 1] = '\0';
    } else if (key >= 32 && key < 256 && key != 127 &&
               n + 1 < sizeof s->filter) {
        s->filter[n] = (char)key;
        s->filter[n + 1] = '\0';
    } else {
        return false;
    }
    s->cur = s->top = 0;
    schema_tree_build(s);
    app_redraw();
    return true;
}

static bool schema_key(struct pane *p, int key)
{
    struct schemap *s = S(p);

    if (s->filtering)
        return filter_key(s, key);
    return false;
}

static bool schema_editing(struct pane *p)
{
    return S(p) && S(p)->filtering;
}

/* ---- commands ---------------------------------------------------------- */

/* The item's schema and name (NULL for schemas, groups, extensions). */
static const char *item_name(const struct schema_model *m,
                             const struct schema_item *it,
                             const char **schema)
{
    switch (it->kind) {
    case SI_REL:
        *schema = schema_val(m, SQ_RELATIONS, it->row, RC_SCHEMA);
        return schema_val(m, SQ_RELATIONS, it->row, RC_NAME);
    case SI_FUNC:
        *schema = schema_val(m, SQ_FUNCTIONS, it->row, FC_SCHEMA);
        return schema_val(m, SQ_FUNCTIONS, it->row, FC_NAME);
    case SI_ENUM:
        *schema = schema_val(m, SQ_ENUMS, it->row, 0);
        return schema_val(m, SQ_ENUMS, it->row, 1);
    default:
        return NULL;
    }
}

/* A function, type (or relation) in the tree: the best match, as for
 * schema_model_find; "name()" only names a function. */
static bool open_named(struct pane *p, const struct adv_name *n)
{
    struct schemap *s = S(p);
    int best = -1, best_how = 0;

    for (int i = 0; i < s->nitems && best_how < 2; i++) {
        const char *schema = NULL;
        const char *name = item_name(&s->m, &s->items[i], &schema);
        int how;
        if (!name || (n->call && s->items[i].kind != SI_FUNC))
            continue;
        how = advisor_name_match(n, schema, name);
        if (how > best_how) {
            best = i;
            best_how = how;
        }
    }
    if (best < 0)
        return false;
    s->cur = best;
    open_item(p, &s->items[best]);
    return true;
}

static void describe(struct pane *p, const char *text)
{
    struct schemap *s = S(p);
    const struct schema_rel *r;
    struct adv_name n;

    if (!advisor_parse_name(text, &n)) {
        app_error(_("Not a name: %s (use name, \"Name\", schema.name or "
                    "name())"), text);
        return;
    }
    s->filter[0] = '\0';
    schema_tree_build(s);
    if ((r = schema_model_find_name(&s->m, &n))) {
        struct schema_item it = { SI_REL, r->row, NULL };
        open_item(p, &it);
    } else if (!open_named(p, &n)) {
        app_error(_("No table, view, function or type named %s"), text);
    }
    advisor_name_free(&n);
}

static void cmd_describe(struct pane *p, const char *name)
{
    struct schemap *s = S(p);

    if (!*name) {
        app_error("%s", _("Usage: :d NAME (a table, view, function or type)"));
        return;
    }
    if (s->loading) {
        free(s->pending_d);
        s->pending_d = xstrdup(name);
        app_message(_("Opening %s once the catalog is read…"), name);
        return;
    }
    describe(p, name);
}

static bool schema_command(struct pane *p, const char *name,
                           const char *args)
{
    if (strcmp(name, "d") != 0)
        return false;
    cmd_describe(p, args);
    return true;
}

/* ---- pane operations --------------------------------------------------- */

static void schema_open(struct pane *p)
{
    struct schemap *s = xcalloc(1, sizeof *s);

    p->state = s;
    s->detail_rel = -1;
    s->loading = true;
    schema_model_load(p, &s->m, on_loaded);
}

static void schema_draw(struct pane *p, WINDOW *w)
{
    struct schemap *s = S(p);

    if (!s->m.tree_ready || (s->mode != SM_TREE && !s->m.loaded)) {
        mvwaddstr(w, 1, 2, _("Reading the catalog…"));
        return;
    }
    if (s->mode == SM_DETAIL)
        schema_detail_draw(s, w);
    else if (s->mode == SM_ADVISOR)
        schema_advisor_draw(s, w);
    else if (s->mode == SM_MIGRATIONS)
        schema_migrations_draw(s, w);
    else
        schema_tree_draw(s, w);
}

static int schema_report(struct pane *p, struct report *r)
{
    struct schemap *s = S(p);
    const char *kind = reports_kind(), *table = reports_table();
    const struct schema_rel *rel;

    if (s->m.error || !s->m.loaded) {
        fprintf(stderr, "degux-console: %s\n",
                s->m.error ? s->m.error : _("the catalog was not read"));
        return 2;
    }
    if (kind && strcmp(kind, "advisor") == 0)
        return schema_report_advisor(&s->m, r);
    if (!table)
        return schema_report_tree(&s->m, r);
    if (!(rel = schema_model_find(&s->m, table))) {
        fprintf(stderr, _("degux-console: no table or view named %s\n"),
                table);
        return 2;
    }
    return schema_report_table(&s->m, rel, r);
}

static void schema_close(struct pane *p)
{
    struct schemap *s = S(p);

    /* Pending catalog jobs end now (cancelled), while the state exists. */
    db_drop_owner(p->db, p);
    schema_detail_free(s);
    schema_model_free(&s->m);
    free(s->items);
    free(s->pending_d);
    free(s);
    p->state = NULL;
}

static const struct help_command schema_commands[] = {
    { "d NAME", N_("describe a table, view, function or enum type") },
};

const struct pane_ops schema_pane_ops = {
    .id = "schema",
    .title = N_("Schema"),
    .number = 1,
    .keys = &schema_keys,
    .edit_keys = &filter_keys,
    .commands = schema_commands,
    .ncommands = 1,
    .open = schema_open,
    .draw = schema_draw,
    .key = schema_key,
    .report = schema_report,
    .command = schema_command,
    .click = NULL,
    .editing = schema_editing,
    .close = schema_close,
};
