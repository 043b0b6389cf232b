/* Pane 7, SQL: a readline editor for statements (multi-line, they run when
 * they end with ';'), the result in the grid, streamed from a cursor. */
#include "autoconfig.h"

#include "panes/sql.h"

#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "core/config.h"
#include "core/sql.h"
#include "core/sqlscan.h"
#include "core/xalloc.h"
#include "i18n.h"
#include "panes/pane.h"
#include "ui/clipboard.h"

#define ESC 27
#define KEY_CTRL(c) ((c) & 0x1f)

static struct sqlp *S(struct pane *p)
{
    return p->state;
}

/* ---- running statements ------------------------------------------------ */

static void clear_error(struct sqlp *s)
{
    free(s->error);
    free(s->error_detail);
    free(s->error_hint);
    free(s->error_sql);
    free(s->sqlstate);
    s->error = s->error_detail = s->error_hint = s->error_sql = NULL;
    s->sqlstate = NULL;
    s->error_pos = 0;
}

static void keep_error(struct sqlp *s, const struct db_job *job)
{
    clear_error(s);
    s->error = xstrdup(job->error ? job->error : _("unknown error"));
    s->error_detail = xstrdup(job->error_detail);
    s->error_hint = xstrdup(job->error_hint);
    s->sqlstate = xstrdup(job->sqlstate);
    s->error_sql = xstrdup(s->rs_sql);
    s->error_pos = job->error_pos;
}

static void run_next(struct pane *p);

static void on_rowset(struct rowset *rs, void *arg)
{
    struct pane *p = arg;
    struct sqlp *s = S(p);

    if (rs != s->rs)
        return;
    if (rowset_status(rs) == ROWSET_ERROR) {
        keep_error(s, rowset_error(rs));
        /* An error stops the statements after it, as psql's ON_ERROR_STOP. */
        for (int i = 0; i < s->nqueue; i++)
            free(s->queue[i]);
        s->nqueue = 0;
    } else if (rowset_status(rs) == ROWSET_READY && s->nqueue) {
        run_next(p);
    }
    app_redraw();
}

static void close_result(struct sqlp *s)
{
    if (s->rs)
        rowset_close(s->rs);
    s->rs = NULL;
    free(s->rs_sql);
    s->rs_sql = NULL;
    grid_set_source(s->grid, NULL);
    s->detail = false;
}

static void run_next(struct pane *p)
{
    struct sqlp *s = S(p);
    char *sql;

    if (!s->nqueue)
        return;
    sql = s->queue[0];
    memmove(s->queue, s->queue + 1, --s->nqueue * sizeof *s->queue);
    close_result(s);
    clear_error(s);
    s->rs_sql = sql;
    s->rs = rowset_open(p->db, sql, on_rowset, p);
    rowgrid_init(&s->rg, s->rs);
    grid_set_source(s->grid, &s->rg.src);
}

static void queue_statement(struct sqlp *s, const char *sql, size_t len)
{
    s->queue = xrealloc(s->queue, (s->nqueue + 1) * sizeof *s->queue);
    s->queue[s->nqueue++] = xstrndup(sql, len);
}

/* Statements complete in the buffer are queued; the rest stays. */
static void take_statements(struct pane *p)
{
    struct sqlp *s = S(p);
    struct sqlscan_stmt st[64];
    size_t consumed = 0;
    int n = sqlscan_split(s->buffer, st, 64, &consumed);
    char *rest;

    for (int i = 0; i < n; i++) {
        /* Newlines stay: a recalled statement with a -- comment must
         * still end where it ended. */
        char *one = xstrndup(s->buffer + st[i].start, st[i].len);
        cmdline_history_add(s->editor, one);
        free(one);
        queue_statement(s, s->buffer + st[i].start, st[i].len);
    }
    rest = xstrdup(s->buffer + consumed);
    free(s->buffer);
    s->buffer = sqlscan_blank(rest) ? (free(rest), NULL) : rest;
    if (n)
        run_next(p);
}

static void append_line(struct sqlp *s, const char *line)
{
    char *joined = s->buffer ? xasprintf("%s\n%s", s->buffer, line)
                             : xstrdup(line);

    free(s->buffer);
    s->buffer = joined;
}

static void on_editor(const char *line, void *arg)
{
    struct pane *p = arg;
    struct sqlp *s = S(p);

    app_redraw();
    if (!line) {            /* Ctrl-C / Esc on the line: drop the buffer */
        free(s->buffer);
        s->buffer = NULL;
        return;
    }
    if (!s->buffer && sqlscan_is_command(line)) {
        cmdline_history_add(s->editor, line);
        app_command(strchr(line, ':') + 1);
        return;
    }
    if (sqlscan_blank(line) && !s->buffer)
        return;
    append_line(s, line);
    take_statements(p);
}

/* ---- prompts ------------------------------------------------------------ */

static char *prompt_text(struct pane *p)
{
    const struct db_info *in = db_info(p->db);
    const char *db = in->dbname ? in->dbname : "";

    if (S(p)->buffer)
        return xasprintf("%s-> ", db);
    /* =*> as psql: the user's own transaction, not the cursor's. */
    bool own_tx = db_in_transaction(p->db) &&
                  !(S(p)->rs && rowset_holds_transaction(S(p)->rs));

    return xasprintf("%s%s> ", db, own_tx ? "=*" : "=");
}

static void focus_editor(struct pane *p)
{
    struct sqlp *s = S(p);
    char *prompt = prompt_text(p);

    s->focus_grid = false;
    s->detail = false;
    cmdline_activate(s->editor, prompt, NULL);
    free(prompt);
    app_redraw();
}

static void focus_grid(struct pane *p)
{
    struct sqlp *s = S(p);

    if (!s->rs || !rowset_has_rows(s->rs))
        return;
    cmdline_deactivate(s->editor);
    s->focus_grid = true;
    app_redraw();
}

/* ---- search ------------------------------------------------------------- */

static void on_search(const char *text, void *arg)
{
    struct pane *p = arg;
    struct sqlp *s = S(p);

    cmdline_deactivate(s->search);
    if (text && *text) {
        cmdline_history_add(s->search, text);
        if (!grid_search(s->grid, text, true))
            app_message(_("Not found in the loaded rows: %s"), text);
    }
    app_redraw();
}

/* ---- grid keys ---------------------------------------------------------- */

static void act_editor(struct pane *p)
{
    focus_editor(p);
}

static void act_detail(struct pane *p)
{
    struct sqlp *s = S(p);

    s->detail = !s->detail;
    s->detail_scroll = 0;
    app_redraw();
}

static void act_search(struct pane *p)
{
    cmdline_activate(S(p)->search, "/", NULL);
    app_redraw();
}

static void copy_text(char *text, const char *what)
{
    if (!text)
        return;
    if (clipboard_copy(text))
        app_message(_("Copied the %s to the clipboard (OSC 52)"), what);
    else
        app_error("%s", _("Nothing copied: the text is too large for OSC 52"));
    free(text);
}

static void act_copy_cell(struct pane *p)
{
    copy_text(grid_cell_text(S(p)->grid), _("cell"));
}

static void act_copy_row(struct pane *p)
{
    copy_text(grid_row_text(S(p)->grid), _("row"));
}

static const struct keybinding grid_bindings[] = {
    { '\n', "Enter", N_("show or hide the row's detail"), act_detail, false,
      true },
    { '/', NULL, N_("search in the results (n/N: next/previous)"),
      act_search, false, true },
    { 'y', NULL, N_("copy the cell (OSC 52)"), act_copy_cell, false, true },
    { 'Y', NULL, N_("copy the row, tab-separated"), act_copy_row, false,
      false },
    { 'i', "i Esc", N_("back to the editor"), act_editor, false, true },
    { ESC, NULL, NULL, act_editor, false, false },
    { 0, NULL, NULL, NULL, false, false },
};

static const struct keymap grid_keys = { N_("SQL results"), grid_bindings };

static const struct keybinding editor_bindings[] = {
    { KEY_F(1), "F1", N_("help"), NULL, false, true },
    { '\n', "Enter", N_("run (once the statement ends with ;)"), NULL, false,
      true },
    { '\t', "Tab", N_("complete keywords, tables, columns, commands"), NULL,
      false, true },
    { KEY_UP, "Up Down", N_("history"), NULL, false, false },
    { KEY_CTRL('r'), NULL, N_("search the history"), NULL, false, true },
    { ESC, "Esc", N_("to the results grid"), NULL, false, true },
    { KEY_NPAGE, "PgUp PgDn", N_("scroll the results"), NULL, false, false },
    { KEY_F(2), "F2–F8", N_("switch pane"), NULL, false, true },
    { 0, NULL, NULL, NULL, false, false },
};

static const struct keymap editor_keys = { N_("SQL editor"), editor_bindings };

/* ---- pane operations --------------------------------------------------- */

static void on_names(struct db_job *job, void *arg)
{
    if (job->status == DB_JOB_OK)
        sql_names_set(arg, job->result);
}

static char *history_path(void)
{
    char *dir = config_state_dir();
    char *path = dir ? xasprintf("%s/history", dir) : NULL;

    free(dir);
    return path;
}

static void sql_open(struct pane *p)
{
    struct sqlp *s = xcalloc(1, sizeof *s);
    char *hist = history_path();

    p->state = s;
    s->grid = grid_new();
    s->editor = cmdline_new(hist, on_editor, sql_complete, p);
    s->search = cmdline_new(NULL, on_search, NULL, p);
    free(hist);
    app_submit(p, db_job_new(_("SQL: table names"), SQL_COMPLETE_RELATIONS,
                             on_names, &s->relations));
    app_submit(p, db_job_new(_("SQL: column names"), SQL_COMPLETE_COLUMNS,
                             on_names, &s->columns));
    focus_editor(p);
}

static bool sql_editing(struct pane *p)
{
    struct sqlp *s = S(p);

    return !s->focus_grid || cmdline_active(s->search);
}

static bool editor_key(struct pane *p, int key)
{
    struct sqlp *s = S(p);

    if (key == KEY_NPAGE || key == KEY_PPAGE)
        return grid_key(s->grid, key);
    if (key == ESC && !s->buffer && s->rs && rowset_has_rows(s->rs)) {
        focus_grid(p);
        return true;
    }
    if (!cmdline_active(s->editor))
        focus_editor(p);
    return cmdline_key(s->editor, key);
}

static bool sql_key(struct pane *p, int key)
{
    struct sqlp *s = S(p);

    if (cmdline_active(s->search))
        return cmdline_key(s->search, key);
    if (!s->focus_grid)
        return editor_key(p, key);
    if (s->detail && (key == KEY_DOWN || key == KEY_UP)) {
        s->detail_scroll += key == KEY_DOWN ? 1 : -1;
        if (s->detail_scroll < 0)
            s->detail_scroll = 0;
        return true;
    }
    return grid_key(s->grid, key);
}

static void sql_draw(struct pane *p, WINDOW *w)
{
    struct sqlp *s = S(p);
    char *prompt = prompt_text(p);

    /* The prompt follows the transaction state and the buffer. */
    if (cmdline_active(s->editor))
        cmdline_set_prompt(s->editor, prompt);
    free(prompt);
    sql_view_draw(s, w);
}

static void on_export_done(struct export *e, const char *error, long rows,
                           void *arg)
{
    struct sqlp *s = S((struct pane *)arg);

    if (error)
        app_error(_("Export failed: %s"), error);
    else
        app_message(P_("Exported %ld row to %s", "Exported %ld rows to %s",
                       rows), rows, s->export_path);
    s->export = NULL;
}

static void cmd_export(struct pane *p, const char *path)
{
    struct sqlp *s = S(p);

    if (!*path) {
        app_error("%s", _("Usage: :export FILE.csv"));
        return;
    }
    if (!s->rs_sql || !s->rs || !rowset_has_rows(s->rs)) {
        app_error("%s", _("No query result to export: run a query first"));
        return;
    }
    /* The export runs the statement again: never one that changes data. */
    if (!sqlscan_is_query(s->rs_sql)) {
        app_error("%s", _("Only a query's result can be exported (it runs "
                          "again as COPY): this statement could change "
                          "data"));
        return;
    }
    free(s->export_path);
    s->export_path = xstrdup(path);
    s->export = export_start(p->db, s->rs_sql, 0, NULL, path, NULL,
                             on_export_done, p);
}

static bool sql_command(struct pane *p, const char *name, const char *args)
{
    struct sqlp *s = S(p);

    if (strcmp(name, "sql") == 0) {
        if (!*args)
            return focus_editor(p), true;
        free(s->buffer);
        s->buffer = xstrdup(args);
        /* A statement without ';' is complete too when given to :sql. */
        if (!sqlscan_unfinished(s->buffer)) {
            char *t = xasprintf("%s\n;", s->buffer);
            free(s->buffer);
            s->buffer = t;
        }
        take_statements(p);
        return true;
    }
    if (strcmp(name, "export") == 0)
        return cmd_export(p, args), true;
    return false;
}

static bool sql_click(struct pane *p, int y, int x)
{
    struct sqlp *s = S(p);

    if (!grid_click(s->grid, y, x))
        return false;
    focus_grid(p);
    return true;
}

static void sql_close(struct pane *p)
{
    struct sqlp *s = S(p);

    if (s->export)
        export_cancel(s->export);
    close_result(s);
    clear_error(s);
    for (int i = 0; i < s->nqueue; i++)
        free(s->queue[i]);
    free(s->queue);
    free(s->buffer);
    free(s->export_path);
    sql_names_free(&s->relations);
    sql_names_free(&s->columns);
    cmdline_free(s->editor);
    cmdline_free(s->search);
    grid_free(s->grid);
    free(s);
    p->state = NULL;
}

static const struct help_command sql_commands[] = {
    { "export FILE.csv", N_("write the whole result to a CSV file (streamed)") },
};

const struct pane_ops sql_pane_ops = {
    .id = "sql",
    .title = N_("SQL"),
    .number = 7,
    .keys = &grid_keys,
    .edit_keys = &editor_keys,
    .commands = sql_commands,
    .ncommands = 1,
    .open = sql_open,
    .draw = sql_draw,
    .key = sql_key,
    .report = NULL,
    .command = sql_command,
    .click = sql_click,
    .editing = sql_editing,
    .close = sql_close,
};
