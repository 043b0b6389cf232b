/* The application: the panes in their fixed tab order, the global keys and
 * ':' commands (both tables, so help is generated from them), dispatch of
 * keys and mouse, and one redraw per loop iteration when something changed. */
#include "autoconfig.h"

#include "app.h"

#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "core/loop.h"
#include "core/sql.h"
#include "core/xalloc.h"
#include "i18n.h"
#include "panes/pane.h"
#include "panes/registry.h"
#include "ui/cmdline.h"
#include "ui/help.h"
#include "ui/screen.h"
#include "ui/statusbar.h"
#include "ui/text.h"
#include "ui/theme.h"

#define KEY_CTRL(c) ((c) & 0x1f)
#define ESC 27

struct confirm {
    char *question;
    void (*fn)(bool yes, void *arg);
    void *arg;
};

static struct {
    const struct config *cfg;
    struct db *db;
    struct pane panes[PANE_MAX];
    int npanes, current;
    struct cmdline *cmd;
    char *message, *last_error;
    bool message_error, dirty, help, bench_exit, cancelling;
    int message_timer, last_error_timer;
    int help_scroll, help_lines;
    int spinner_timer;
    unsigned spinner;
    struct confirm confirm;
    char **names;          /* relations and schemas, for :d completion */
    int nnames;
} app;

/* ---- messages ---------------------------------------------------------- */

/* A message stays until the next key or for a while; the status bar's
 * last error for a minute, so an old one is never taken for news. */
#define MESSAGE_MS 8000
#define ERROR_MESSAGE_MS 20000
#define LAST_ERROR_MS 60000

static void clear_message(void)
{
    if (app.message_timer)
        loop_timer_cancel(app.message_timer);
    app.message_timer = 0;
    free(app.message);
    app.message = NULL;
    app.cancelling = false;
    app.dirty = true;
}

static void on_message_expired(void *arg)
{
    app.message_timer = 0;
    clear_message();
}

static void on_last_error_expired(void *arg)
{
    app.last_error_timer = 0;
    free(app.last_error);
    app.last_error = NULL;
    app.dirty = true;
}

static void set_message(bool error, const char *fmt, va_list ap)
{
    clear_message();
    app.message = xvasprintf(fmt, ap);
    app.message_error = error;
    app.message_timer = loop_timer_add(error ? ERROR_MESSAGE_MS : MESSAGE_MS,
                                       false, on_message_expired, NULL);
    if (error) {
        free(app.last_error);
        app.last_error = xstrdup(app.message);
        if (app.last_error_timer)
            loop_timer_cancel(app.last_error_timer);
        app.last_error_timer = loop_timer_add(LAST_ERROR_MS, false,
                                              on_last_error_expired, NULL);
    }
}

void app_message(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    set_message(false, fmt, ap);
    va_end(ap);
}

void app_error(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    set_message(true, fmt, ap);
    va_end(ap);
    if (!screen_active()) {
        fprintf(stderr, "degux-console: %s\n", app.message);
    }
}

void app_redraw(void)
{
    app.dirty = true;
}

const struct config *app_config(void)
{
    return app.cfg;
}

struct db *app_db(void)
{
    return app.db;
}

void app_submit(struct pane *p, struct db_job *job)
{
    job->owner = p;
    db_submit(p->db, job);
    app.dirty = true;
}

void app_confirm(const char *question, void (*fn)(bool yes, void *arg),
                 void *arg)
{
    free(app.confirm.question);
    app.confirm = (struct confirm){ xstrdup(question), fn, arg };
    app.dirty = true;
}

/* ---- panes ------------------------------------------------------------- */

static struct pane *current_pane(void)
{
    return app.npanes ? &app.panes[app.current] : NULL;
}

static void show_index(int i)
{
    struct pane *p;

    if (i < 0 || i >= app.npanes)
        return;
    app.current = i;
    app.help = false;
    p = &app.panes[i];
    if (!p->opened) {
        p->opened = true;
        p->ops->open(p);
    }
    app.dirty = true;
}

static int index_of_number(int number)
{
    for (int i = 0; i < app.npanes; i++)
        if (app.panes[i].ops->number == number)
            return i;
    return -1;
}

struct pane *app_pane(const char *id)
{
    for (int i = 0; i < app.npanes; i++)
        if (strcasecmp(app.panes[i].ops->id, id) == 0)
            return &app.panes[i];
    return NULL;
}

bool app_show_pane(const char *id)
{
    struct pane *p = app_pane(id);

    if (!p)
        return false;
    show_index((int)(p - app.panes));
    return true;
}

static void show_number(int number)
{
    int i = index_of_number(number);

    if (i < 0)
        app_error(_("Pane %d is not available in this version"), number);
    else
        show_index(i);
}

static bool pane_editing(void)
{
    struct pane *p = current_pane();

    return p && p->ops->editing && p->ops->editing(p);
}

/* ---- global actions ---------------------------------------------------- */

static void act_quit(struct pane *p)
{
    loop_quit();
}

static void act_help(struct pane *p)
{
    app.help = !app.help;
    app.help_scroll = 0;
    app.dirty = true;
}

static void act_cmdline(struct pane *p)
{
    cmdline_activate(app.cmd, ":", NULL);
    app.dirty = true;
}

static void act_next(struct pane *p)
{
    show_index((app.current + 1) % app.npanes);
}

static void act_prev(struct pane *p)
{
    show_index((app.current + app.npanes - 1) % app.npanes);
}

static void act_cancel(struct pane *p)
{
    if (db_cancel(app.db)) {
        app_message("%s", _("Cancelling…"));
        app.cancelling = true;
    }
}

static void act_suspend(struct pane *p)
{
    screen_suspend();
    app.dirty = true;
}

static void act_refresh(struct pane *p)
{
    clearok(curscr, TRUE);
    app.dirty = true;
}

static const struct keybinding global_bindings[] = {
    { KEY_F(1), "F1 ?", N_("show or hide this help"), act_help, false, true },
    { '?', NULL, NULL, act_help, false, false },
    { ':', NULL, N_("command line (:q, :write, :pane, :sql …)"), act_cmdline,
      false, true },
    { '1', "1–7", N_("switch to pane N (in lists and grids)"), NULL, false,
      false },
    { KEY_F(2), "F2–F8", N_("switch to pane 1–7 (anywhere)"), NULL, false,
      false },
    { '\t', "Tab S-Tab", N_("next or previous pane"), act_next, false, false },
    { KEY_BTAB, NULL, NULL, act_prev, false, false },
    { ESC, "Esc ^C", N_("cancel the running query"), act_cancel, false,
      false },
    { 'q', NULL, N_("quit"), act_quit, false, true },
    { KEY_CTRL('l'), NULL, N_("redraw the screen"), act_refresh, false,
      false },
    { KEY_CTRL('z'), NULL, N_("suspend (fg resumes)"), act_suspend, false,
      false },
    { 0, NULL, NULL, NULL, false, false },
};

static const struct keymap global_keys = { N_("Everywhere"), global_bindings };

/* ---- commands ---------------------------------------------------------- */

struct command {
    const char *name;
    const char *args;
    const char *help;
    void (*fn)(const char *args);
};

static void cmd_quit(const char *args)
{
    loop_quit();
}

static void cmd_write(const char *args)
{
    db_set_write(app.db, true);
    app_message("%s", _("Write mode: statements can change data."));
}

static void cmd_read(const char *args)
{
    db_set_write(app.db, false);
    app_message("%s", _("Read-only mode."));
}

static void cmd_pane(const char *args)
{
    if (!*args || !app_show_pane(args))
        app_error(_("No pane named \"%s\" (try schema, search, moderation, "
                    "rls, slow, backups, sql)"), args);
}

static void cmd_sql(const char *args)
{
    struct pane *p = app_pane("sql");

    if (!p) {
        app_error("%s", _("The SQL pane is not available"));
        return;
    }
    app_show_pane("sql");
    p->ops->command(p, "sql", args);
}

/* :d NAME jumps to an object from anywhere: the schema pane resolves it. */
static void cmd_describe(const char *args)
{
    struct pane *p = app_pane("schema");

    if (!p) {
        app_error("%s", _("The schema pane is not available"));
        return;
    }
    app_show_pane("schema");
    p->ops->command(p, "d", args);
}

static void cmd_help(const char *args)
{
    act_help(NULL);
}

static const struct command commands[] = {
    { "q", NULL, N_("quit"), cmd_quit },
    { "quit", NULL, NULL, cmd_quit },
    { "write", NULL, N_("switch to write mode (red WRITE badge)"), cmd_write },
    { "read", NULL, N_("switch back to read-only mode"), cmd_read },
    { "pane", N_("NAME"), N_("show a pane by name"), cmd_pane },
    { "sql", N_("STATEMENT"), N_("run a statement in the SQL pane"), cmd_sql },
    { "d", N_("NAME"), N_("describe a table, view, function or type"),
      cmd_describe },
    { "help", NULL, N_("show the help"), cmd_help },
};

#define NCOMMANDS ((int)(sizeof commands / sizeof *commands))

static void split_command(char *line, char **name, char **args)
{
    while (*line == ' ' || *line == ':')
        line++;
    *name = line;
    while (*line && *line != ' ')
        line++;
    if (*line)
        *line++ = '\0';
    while (*line == ' ')
        line++;
    *args = line;
    for (char *e = line + strlen(line); e > line && e[-1] == ' '; e--)
        e[-1] = '\0';
}

void app_command(const char *text)
{
    char *line = xstrdup(text), *name, *args;
    struct pane *p = current_pane();

    split_command(line, &name, &args);
    if (!*name) {
        free(line);
        return;
    }
    /* The pane first: it may give a command a meaning of its own (the
     * search pane's :sql shows its query). */
    if (p && p->ops->command && p->ops->command(p, name, args)) {
        free(line);
        return;
    }
    for (int i = 0; i < NCOMMANDS; i++) {
        if (strcmp(commands[i].name, name) == 0) {
            commands[i].fn(args);
            free(line);
            return;
        }
    }
    app_error(_("Unknown command :%s (F1 lists the commands)"), name);
    free(line);
}

static void on_cmdline(const char *line, void *arg)
{
    cmdline_deactivate(app.cmd);
    if (line) {
        cmdline_history_add(app.cmd, line);
        app_command(line);
    }
    app.dirty = true;
}

static void on_names(struct db_job *job, void *arg)
{
    if (job->status != DB_JOB_OK)
        return;
    app.nnames = PQntuples(job->result);
    app.names = xcalloc(app.nnames + 1, sizeof *app.names);
    for (int i = 0; i < app.nnames; i++)
        app.names[i] = xstrdup(PQgetvalue(job->result, i, 0));
}

/* :d's argument: relation and schema names from the catalog. */
static char **complete_name(const char *text)
{
    char **out = xcalloc(app.nnames + 1, sizeof *out);
    int n = 0;

    for (int i = 0; i < app.nnames; i++)
        if (strncasecmp(app.names[i], text, strlen(text)) == 0)
            out[n++] = xstrdup(app.names[i]);
    if (!n)
        return (free(out), NULL);
    return out;
}

static char **complete_command(const char *text, const char *line, int start,
                               int end, void *arg)
{
    char **out;
    int n = 0;

    while (*line == ' ' || *line == ':')
        line++;
    if (start > 0)
        return strncmp(line, "d ", 2) == 0 ? complete_name(text) : NULL;
    out = xcalloc(NCOMMANDS + 1, sizeof *out);
    for (int i = 0; i < NCOMMANDS; i++)
        if (strncmp(commands[i].name, text, strlen(text)) == 0)
            out[n++] = xstrdup(commands[i].name);
    if (!n)
        return (free(out), NULL);
    return out;
}

/* ---- keys -------------------------------------------------------------- */

static bool try_binding(const struct keymap *map, int key, struct pane *p)
{
    const struct keybinding *b = keymap_find(map, key);

    if (!b || !b->action)
        return false;
    if (b->needs_write && !db_write_mode(app.db)) {
        app_error("%s", _("This needs write mode: type :write first"));
        return true;
    }
    b->action(p);
    return true;
}

static bool key_confirm(int key)
{
    struct confirm c = app.confirm;

    if (!c.question)
        return false;
    if (key != 'y' && key != 'Y' && key != 'n' && key != 'N' && key != ESC &&
        key != KEY_CTRL('c'))
        return true;
    app.confirm = (struct confirm){ 0 };
    free(c.question);
    c.fn(key == 'y' || key == 'Y', c.arg);
    return true;
}

static bool key_help(int key)
{
    if (!app.help)
        return false;
    if (key == KEY_DOWN || key == 'j')
        app.help_scroll++;
    else if (key == KEY_UP || key == 'k')
        app.help_scroll--;
    else if (key == KEY_NPAGE || key == ' ')
        app.help_scroll += 10;
    else if (key == KEY_PPAGE)
        app.help_scroll -= 10;
    else
        app.help = false;
    if (app.help_scroll > app.help_lines - 5)
        app.help_scroll = app.help_lines - 5;
    if (app.help_scroll < 0)
        app.help_scroll = 0;
    return true;
}

static bool key_global_first(int key)
{
    if (key >= KEY_F(2) && key <= KEY_F(8)) {
        show_number(key - KEY_F(1));
        return true;
    }
    if (key == KEY_F(1)) {
        act_help(NULL);
        return true;
    }
    const struct db_job *job = db_running(app.db);

    if (job && (key == KEY_CTRL('c') || (key == ESC && !job->background))) {
        act_cancel(NULL);
        return true;
    }
    return false;
}

static bool key_not_editing(int key, struct pane *p)
{
    if (key >= '1' && key <= '7') {
        show_number(key - '0');
        return true;
    }
    return try_binding(&global_keys, key, p);
}

static void on_mouse(void)
{
    MEVENT ev;
    const struct screen *s = screen_get();
    struct pane *p = current_pane();
    int tab;

    if (getmouse(&ev) != OK)
        return;
    if (ev.bstate & (BUTTON4_PRESSED | BUTTON5_PRESSED)) {
        int k = (ev.bstate & BUTTON4_PRESSED) ? KEY_UP : KEY_DOWN;
        for (int i = 0; i < 3 && p; i++)
            if (!try_binding(p->ops->keys, k, p) && p->ops->key)
                p->ops->key(p, k);
        return;
    }
    if (ev.y == 0 && (tab = screen_tab_at(ev.x)) >= 0)
        show_index(tab);
    else if (p && ev.y >= 1 && ev.y < s->rows - 2 && p->ops->click)
        p->ops->click(p, ev.y - 1, ev.x);
}

static void app_key(int key)
{
    struct pane *p = current_pane();

    app.dirty = true;
    if (key == KEY_RESIZE)
        return;
    if (screen_get()->too_small) {
        if (key == 'q' || key == KEY_CTRL('c'))
            loop_quit();
        return;
    }
    if (key_confirm(key))
        return;
    if (cmdline_active(app.cmd)) {
        cmdline_key(app.cmd, key);
        return;
    }
    if (key_global_first(key) || key_help(key))
        return;
    if (key == KEY_MOUSE) {
        on_mouse();
        return;
    }
    clear_message();
    if (pane_editing()) {
        if (!p->ops->key(p, key) && key == KEY_CTRL('z'))
            act_suspend(p);
        return;
    }
    if (p && (try_binding(p->ops->keys, key, p) ||
              (p->ops->key && p->ops->key(p, key))))
        return;
    key_not_editing(key, p);
}

static void on_tty(void *arg, int fd, short revents)
{
    int key;

    /* Drain: ncurses may hold bytes poll() never sees. */
    while ((key = screen_read_key()) != ERR)
        app_key(key);
}

/* ---- drawing ----------------------------------------------------------- */

static char *target_text(void)
{
    const struct db_info *in = db_info(app.db);
    /* A socket directory can be long: [local], as psql's prompt says. */
    const char *host = !in->host || !*in->host ? "localhost"
                       : in->host[0] == '/' ? "[local]" : in->host;

    return xasprintf("%s@%s:%s/%s", in->user ? in->user : "?", host,
                     in->port ? in->port : "", in->dbname ? in->dbname : "");
}

static char *versions_text(void)
{
    const struct db_info *in = db_info(app.db);

    if (in->postgis_version)
        return xasprintf("PG %s · PostGIS %s", in->server_version_str,
                         in->postgis_version);
    return xasprintf("PG %s · %s", in->server_version_str, _("no PostGIS"));
}

static const char *conn_state_text(void)
{
    switch (db_state(app.db)) {
    case DB_STATE_LOST:
        return _("CONNECTION LOST, retrying");
    case DB_STATE_RECONNECTING:
        return _("reconnecting…");
    default:
        return NULL;
    }
}

static void draw_status(WINDOW *w)
{
    const struct db_job *job = db_running(app.db);
    char *target = target_text(), *versions = versions_text();
    struct statusbar s = {
        .target = target, .versions = versions,
        .write = db_write_mode(app.db), .conn_state = conn_state_text(),
        .job = job ? job->label : NULL,
        .job_ms = job ? loop_now_ms() - job->started_ms : 0,
        .queued = db_queued(app.db), .spinner = app.spinner,
        .last_error = app.last_error,
    };

    statusbar_draw(w, &s);
    free(target);
    free(versions);
}

static void draw_hints(WINDOW *w)
{
    struct pane *p = current_pane();
    bool editing = pane_editing() && p->ops->edit_keys;
    const struct keymap *maps[] = {
        p ? (editing ? p->ops->edit_keys : p->ops->keys) : NULL,
        editing ? NULL : &global_keys,
    };

    werase(w);
    wmove(w, 0, 0);
    for (size_t m = 0; m < 2; m++) {
        if (!maps[m])
            continue;
        for (const struct keybinding *b = maps[m]->bindings; b->key; b++) {
            if (!b->hint || getcurx(w) >= getmaxx(w) - 2)
                continue;
            wattrset(w, theme_attr(THEME_TAB_ACTIVE));
            text_draw(w, b->label ? b->label : keymap_key_name(b->key),
                      getmaxx(w) - getcurx(w) - 1, 0);
            wattrset(w, theme_attr(THEME_DIM));
            waddch(w, ' ');
            text_draw(w, _(b->help), getmaxx(w) - getcurx(w) - 1, 0);
            waddstr(w, "  ");
        }
    }
    wattrset(w, A_NORMAL);
    wnoutrefresh(w);
}

static void draw_line(WINDOW *w)
{
    if (app.confirm.question) {
        char *q = xasprintf("%s %s", app.confirm.question, _("(y/n)"));
        screen_draw_message(q, true);
        free(q);
    } else if (cmdline_active(app.cmd)) {
        werase(w);
        cmdline_draw(app.cmd, w, 0);
    } else if (app.message) {
        screen_draw_message(app.message, app.message_error);
    } else {
        draw_hints(w);
    }
}

static void draw_tabs(void)
{
    struct screen_tab tabs[PANE_MAX];
    const struct db_job *job = db_running(app.db);

    for (int i = 0; i < app.npanes; i++)
        tabs[i] = (struct screen_tab){
            app.panes[i].ops->number, _(app.panes[i].ops->title),
            job && job->owner == &app.panes[i] };
    screen_draw_tabs(tabs, app.npanes, app.current);
}

/* The pane's own entry wins in help: it says what the command does here. */
static bool pane_has_command(const struct pane *p, const char *name)
{
    size_t len = strlen(name);

    for (int i = 0; p && i < p->ops->ncommands; i++) {
        const char *c = p->ops->commands[i].name;
        if (strncmp(c, name, len) == 0 && (c[len] == ' ' || !c[len]))
            return true;
    }
    return false;
}

/* "pane NAME": static storage per command, built once. */
static const char *command_usage(const struct command *c)
{
    static char buf[NCOMMANDS][48];
    int i = (int)(c - commands);

    if (!c->args)
        return c->name;
    if (!buf[i][0])
        snprintf(buf[i], sizeof buf[i], "%s %s", c->name, _(c->args));
    return buf[i];
}

static void draw_body(WINDOW *w)
{
    struct pane *p = current_pane();
    const struct keymap *maps[] = { p ? p->ops->edit_keys : NULL,
                                    p ? p->ops->keys : NULL, &global_keys };
    struct help_command cmds[NCOMMANDS + 16];
    int n = 0;

    if (!app.help) {
        werase(w);
        if (p)
            p->ops->draw(p, w);
        return;
    }
    for (int i = 0; i < NCOMMANDS; i++)
        if (commands[i].help && !pane_has_command(p, commands[i].name))
            cmds[n++] = (struct help_command){ command_usage(&commands[i]),
                                               commands[i].help };
    for (int i = 0; p && i < p->ops->ncommands && n < NCOMMANDS + 16; i++)
        cmds[n++] = p->ops->commands[i];
    app.help_lines = help_draw(w, maps, 3, cmds, n, app.help_scroll);
}

static void draw(void *arg)
{
    const struct screen *s = screen_get();
    bool line_has_cursor;

    if (!app.dirty || !screen_active())
        return;
    app.dirty = false;
    if (s->too_small) {
        screen_draw_too_small();
        doupdate();
        return;
    }
    line_has_cursor = cmdline_active(app.cmd) && !app.confirm.question;
    draw_tabs();
    draw_status(s->status);
    draw_body(s->body);
    curs_set(line_has_cursor || (pane_editing() && !app.help) ? 1 : 0);
    /* The window refreshed last owns the cursor. */
    if (line_has_cursor) {
        wnoutrefresh(s->body);
        draw_line(s->line);
        wnoutrefresh(s->line);
    } else {
        draw_line(s->line);
        wnoutrefresh(s->line);
        wnoutrefresh(s->body);
    }
    doupdate();
    /* make bench: time from exec to the first complete screen. */
    if (app.bench_exit && !db_running(app.db) && !db_queued(app.db))
        loop_quit();
}

/* ---- loop hooks -------------------------------------------------------- */

static void on_spin(void *arg)
{
    app.spinner++;
    app.dirty = true;
}

static void on_db_change(void *arg)
{
    bool running = db_running(app.db) != NULL;
    char *alert = db_take_alert(app.db);

    if (alert)
        app_error("%s", alert);
    free(alert);
    if (!running && app.cancelling)
        clear_message();

    if (running && !app.spinner_timer)
        app.spinner_timer = loop_timer_add(100, true, on_spin, NULL);
    else if (!running && app.spinner_timer) {
        loop_timer_cancel(app.spinner_timer);
        app.spinner_timer = 0;
    }
    app.dirty = true;
}

static void on_winch(void *arg, int signo)
{
    screen_resize();
    app.dirty = true;
}

static void on_term(void *arg, int signo)
{
    loop_quit();
}

static void init_panes(struct db *db)
{
    const struct pane_ops *const *ops = pane_registry();

    for (int i = 0; i < PANE_MAX && ops[i]; i++)
        app.panes[app.npanes++] = (struct pane){ ops[i], db, NULL, false };
}

static int first_pane(const char *id)
{
    if (id && *id) {
        struct pane *p = app_pane(id);
        if (!p)
            return -1;
        return (int)(p - app.panes);
    }
    return 0;
}

static void close_panes(void)
{
    for (int i = 0; i < app.npanes; i++)
        if (app.panes[i].opened && app.panes[i].ops->close)
            app.panes[i].ops->close(&app.panes[i]);
}

static char *command_history_path(void)
{
    char *dir = config_state_dir();
    char *path = dir ? xasprintf("%s/commands", dir) : NULL;

    free(dir);
    return path;
}

int app_run(const struct config *cfg, struct db *db, const char *pane_id)
{
    char *hist = command_history_path();
    int first;

    app.cfg = cfg;
    app.db = db;
    app.bench_exit = getenv("DEGUX_BENCH_EXIT_AFTER_DRAW") != NULL;
    init_panes(db);
    if ((first = first_pane(pane_id)) < 0) {
        fprintf(stderr, _("degux-console: no pane named \"%s\"\n"), pane_id);
        free(hist);
        return 2;
    }
    screen_init(cfg->mouse, cfg->theme);
    xalloc_set_die_hook(screen_end);
    app.cmd = cmdline_new(hist, on_cmdline, complete_command, NULL);
    free(hist);
    loop_on_signal(SIGWINCH, on_winch, NULL);
    loop_on_signal(SIGCONT, on_winch, NULL);
    loop_on_signal(SIGTERM, on_term, NULL);
    loop_on_signal(SIGHUP, on_term, NULL);
    loop_watch_fd(STDIN_FILENO, POLLIN, on_tty, NULL);
    loop_set_idle(draw, NULL);
    db_on_change(db, on_db_change, NULL);
    show_index(first);
    db_submit(db, db_job_new(_("Names for completion"), SQL_COMPLETE_RELATIONS,
                             on_names, NULL));
    draw(NULL);
    loop_run();
    close_panes();
    for (int i = 0; i < app.nnames; i++)
        free(app.names[i]);
    free(app.names);
    cmdline_free(app.cmd);
    screen_end();
    return 0;
}
