/* The command line without a terminal: ncurses on /dev/null, keys fed as
 * wgetch would give them, the line read back from readline and from the
 * window it is drawn in, the history file checked on disk. */
#include "autoconfig.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <wchar.h>
#include <cmocka.h>

#include <readline/readline.h>

#include "core/xalloc.h"
#include "ui/cmdline.h"

#define KEY_ESC 27
#define KEY_CTRL(c) ((c) & 0x1f)

static char tmpdir[] = "/tmp/cmdline-test-XXXXXX";
static FILE *devnull;
static SCREEN *scr;
static WINDOW *win;

/* What the accept and complete callbacks saw. */
struct seen {
    struct cmdline *c;
    char *line;         /* the last accepted line */
    int accepted;       /* lines accepted */
    int aborted;        /* NULL given */
    bool keep_history;  /* add accepted lines to the history, as the app */
    char *text;         /* completion: the word */
    int start, end, completions;
};

static void on_accept(const char *line, void *arg)
{
    struct seen *s = arg;

    if (!line) {
        s->aborted++;
        return;
    }
    s->accepted++;
    free(s->line);
    s->line = xstrdup(line);
    if (s->keep_history)
        cmdline_history_add(s->c, line);
}

static char **on_complete(const char *text, const char *line, int start,
                          int end, void *arg)
{
    static const char *const words[] = { "select", "selection", "sequence",
                                         "update", "ñandú", NULL };
    struct seen *s = arg;
    char **out = xcalloc(8, sizeof *out);
    int n = 0;

    (void)line;
    free(s->text);
    s->text = xstrdup(text);
    s->start = start;
    s->end = end;
    s->completions++;
    for (int i = 0; words[i]; i++)
        if (strncmp(words[i], text, strlen(text)) == 0)
            out[n++] = xstrdup(words[i]);
    if (!n) {
        free(out);
        return NULL;
    }
    return out;
}

static char *path_in_tmp(const char *name)
{
    return xasprintf("%s/%s", tmpdir, name);
}

static struct cmdline *new_line(struct seen *s, const char *history)
{
    char *path = history ? path_in_tmp(history) : NULL;

    memset(s, 0, sizeof *s);
    s->keep_history = true;
    s->c = cmdline_new(path, on_accept, on_complete, s);
    free(path);
    cmdline_activate(s->c, "", NULL);
    return s->c;
}

static void end_line(struct seen *s)
{
    cmdline_free(s->c);
    free(s->line);
    free(s->text);
}

static void type(struct cmdline *c, const char *bytes)
{
    for (const char *p = bytes; *p; p++)
        assert_true(cmdline_key(c, (unsigned char)*p));
}

static void key(struct cmdline *c, int k)
{
    assert_true(cmdline_key(c, k));
}

/* Draws c on line y of win and returns that line's text (static). */
static const char *drawn(struct cmdline *c, int y)
{
    static char buf[512];
    wchar_t wbuf[256];
    int cx, cy;

    werase(win);
    cmdline_draw(c, win, y);
    getyx(win, cy, cx);
    mvwinnwstr(win, y, 0, wbuf, 255);
    wmove(win, cy, cx);
    wcstombs(buf, wbuf, sizeof buf);
    for (size_t n = strlen(buf); n > 0 && buf[n - 1] == ' '; n--)
        buf[n - 1] = '\0';
    return buf;
}

static int file_lines(const char *path, const char *needle, int *found)
{
    FILE *f = fopen(path, "r");
    char line[512];
    int n = 0;

    *found = 0;
    while (f && fgets(line, sizeof line, f)) {
        n++;
        if (needle && strstr(line, needle))
            (*found)++;
    }
    if (f)
        fclose(f);
    return n;
}

/* ---- tests -------------------------------------------------------------- */

static void test_accept(void **state)
{
    struct seen s;
    struct cmdline *c = new_line(&s, NULL);

    (void)state;
    type(c, "select 1");
    assert_string_equal(cmdline_text(c), "select 1");
    key(c, '\r');
    assert_int_equal(s.accepted, 1);
    assert_string_equal(s.line, "select 1");
    assert_string_equal(cmdline_text(c), "");
    type(c, "select 2");
    key(c, KEY_ENTER);
    assert_string_equal(s.line, "select 2");
    assert_int_equal(s.accepted, 2);
    assert_int_equal(s.aborted, 0);
    end_line(&s);
}

static void test_history_keys(void **state)
{
    struct seen s;
    struct cmdline *c = new_line(&s, NULL);

    (void)state;
    type(c, "select 1\r");
    type(c, "select 2\r");
    key(c, KEY_UP);
    assert_string_equal(cmdline_text(c), "select 2");
    key(c, KEY_UP);
    assert_string_equal(cmdline_text(c), "select 1");
    key(c, KEY_DOWN);
    assert_string_equal(cmdline_text(c), "select 2");
    key(c, KEY_UP);
    key(c, '\r');
    assert_string_equal(s.line, "select 1");
    /* The same line twice in a row is one history entry. */
    key(c, KEY_UP);
    key(c, KEY_UP);
    assert_string_equal(cmdline_text(c), "select 2");
    end_line(&s);
}

static void test_editing_keys(void **state)
{
    struct seen s;
    struct cmdline *c = new_line(&s, NULL);

    (void)state;
    type(c, "bc");
    key(c, KEY_CTRL('a'));
    type(c, "a");
    key(c, KEY_CTRL('e'));
    type(c, "d");
    assert_string_equal(cmdline_text(c), "abcd");
    key(c, KEY_HOME);
    key(c, KEY_DC);
    key(c, KEY_END);
    key(c, KEY_LEFT);
    type(c, "X");
    key(c, KEY_RIGHT);
    type(c, "Y");
    assert_string_equal(cmdline_text(c), "bcXdY");
    key(c, KEY_BACKSPACE);
    key(c, 127);
    assert_string_equal(cmdline_text(c), "bcX");
    /* Ctrl-D on text deletes; it aborts only an empty line. */
    key(c, KEY_CTRL('a'));
    key(c, KEY_CTRL('d'));
    assert_string_equal(cmdline_text(c), "cX");
    assert_int_equal(s.aborted, 0);
    key(c, KEY_CTRL('k'));
    key(c, KEY_CTRL('d'));
    assert_int_equal(s.aborted, 1);
    end_line(&s);
}

static void test_utf8(void **state)
{
    struct seen s;
    struct cmdline *c = new_line(&s, NULL);

    (void)state;
    type(c, "añ");
    key(c, KEY_BACKSPACE);
    assert_string_equal(cmdline_text(c), "a");
    key(c, KEY_BACKSPACE);
    type(c, "Ñuñoa");
    key(c, '\r');
    assert_string_equal(s.line, "Ñuñoa");
    type(c, "Peñalolén ñandú 漢字");
    key(c, KEY_LEFT);
    key(c, KEY_LEFT);
    key(c, KEY_LEFT);
    key(c, KEY_BACKSPACE);
    key(c, '\r');
    assert_string_equal(s.line, "Peñalolén ñand 漢字");
    end_line(&s);
}

static void test_abort(void **state)
{
    struct seen s;
    struct cmdline *c = new_line(&s, NULL);

    (void)state;
    type(c, "select 1");
    key(c, KEY_ESC);
    assert_int_equal(s.aborted, 1);
    assert_int_equal(s.accepted, 0);
    assert_string_equal(cmdline_text(c), "");
    type(c, "select 2");
    key(c, KEY_CTRL('c'));
    assert_int_equal(s.aborted, 2);
    assert_string_equal(cmdline_text(c), "");
    /* The line still works after an abort. */
    type(c, "ok\r");
    assert_string_equal(s.line, "ok");
    end_line(&s);
}

static void test_keys_not_taken(void **state)
{
    struct seen s;
    struct cmdline *c = new_line(&s, NULL);

    (void)state;
    assert_false(cmdline_key(c, KEY_F(1)));
    assert_false(cmdline_key(c, KEY_RESIZE));
    assert_false(cmdline_key(c, KEY_CTRL('z')));
    cmdline_deactivate(c);
    assert_false(cmdline_active(c));
    assert_false(cmdline_key(c, 'x'));
    end_line(&s);
}

static void test_completion(void **state)
{
    struct seen s;
    struct cmdline *c = new_line(&s, NULL);

    (void)state;
    type(c, "select * from up");
    key(c, '\t');
    assert_int_equal(s.completions, 1);
    assert_string_equal(s.text, "up");
    assert_int_equal(s.start, 14);
    assert_int_equal(s.end, 16);
    assert_string_equal(cmdline_text(c), "select * from update ");
    key(c, KEY_CTRL('u'));
    type(c, "ñ");
    key(c, '\t');
    assert_string_equal(cmdline_text(c), "ñandú ");
    key(c, KEY_CTRL('u'));
    /* Ambiguous: the common part goes in, the candidates are drawn above
     * the line. */
    type(c, "sel");
    key(c, '\t');
    assert_string_equal(cmdline_text(c), "select");
    drawn(c, 4);
    {
        char above[256];
        wchar_t wbuf[128];
        mvwinnwstr(win, 3, 0, wbuf, 127);
        wcstombs(above, wbuf, sizeof above);
        assert_non_null(strstr(above, "select"));
        assert_non_null(strstr(above, "selection"));
    }
    /* No candidates: nothing changes, no file names. */
    key(c, KEY_CTRL('u'));
    type(c, "zz");
    key(c, '\t');
    assert_string_equal(cmdline_text(c), "zz");
    end_line(&s);
}

static void test_cursor_width(void **state)
{
    struct seen s;
    struct cmdline *c = new_line(&s, NULL);

    (void)state;
    type(c, "ñandú");
    assert_string_equal(drawn(c, 0), "ñandú");
    assert_int_equal(getcurx(win), 5);
    key(c, KEY_LEFT);
    drawn(c, 0);
    assert_int_equal(getcurx(win), 4);
    cmdline_set_prompt(c, "sql> ");
    assert_string_equal(drawn(c, 1), "sql> ñandú");
    assert_int_equal(getcury(win), 1);
    assert_int_equal(getcurx(win), 9);
    key(c, KEY_END);
    type(c, " 漢字");
    drawn(c, 1);
    assert_int_equal(getcurx(win), 5 + 5 + 1 + 4);
    end_line(&s);
}

static void test_scroll(void **state)
{
    struct seen s;
    struct cmdline *c = new_line(&s, NULL);
    const char *line;
    int width = getmaxx(win);

    (void)state;
    cmdline_set_prompt(c, "> ");
    for (int i = 0; i < 10; i++)
        type(c, "ñandú0123 ");
    line = drawn(c, 0);
    assert_true(getcurx(win) < width);
    assert_true(getcurx(win) > 2);
    assert_int_equal(strncmp(line, "> <", 3), 0);
    /* The text just before the cursor is the end of what was typed. */
    assert_non_null(strstr(line, "ñandú0123"));
    key(c, KEY_HOME);
    line = drawn(c, 0);
    assert_int_equal(getcurx(win), 2);
    assert_int_equal(strncmp(line, "> ñandú0123", strlen("> ñandú0123")), 0);
    end_line(&s);
}

static void test_reverse_search(void **state)
{
    struct seen s;
    struct cmdline *c = new_line(&s, NULL);

    (void)state;
    type(c, "select comuna from referenciales\r");
    type(c, "update x set y = 1\r");
    key(c, KEY_CTRL('r'));
    type(c, "comu");
    assert_string_equal(cmdline_text(c), "select comuna from referenciales");
    assert_non_null(strstr(drawn(c, 0), "reverse-i-search"));
    /* Esc leaves the search (the line as it was), not the line. */
    key(c, KEY_ESC);
    assert_int_equal(s.aborted, 0);
    assert_string_equal(cmdline_text(c), "");
    key(c, KEY_CTRL('r'));
    type(c, "upd\r");
    assert_string_equal(s.line, "update x set y = 1");
    end_line(&s);
}

static void test_initial_and_kept(void **state)
{
    struct seen s;
    struct cmdline *c = new_line(&s, NULL);

    (void)state;
    cmdline_activate(c, "comuna: ", "Ñuño");
    type(c, "a\r");
    assert_string_equal(s.line, "Ñuñoa");
    /* Left mid-edit, the text comes back on the next activation. */
    type(c, "sel");
    cmdline_deactivate(c);
    assert_string_equal(cmdline_text(c), "sel");
    assert_string_equal(drawn(c, 0), "comuna: sel");
    cmdline_activate(c, "> ", NULL);
    type(c, "ect\r");
    assert_string_equal(s.line, "select");
    end_line(&s);
}

/* Two lines, two histories: activating one swaps its history in. */
static void test_two_histories(void **state)
{
    struct seen a, b;

    (void)state;
    new_line(&a, NULL);
    type(a.c, "a1\r");
    new_line(&b, NULL);     /* activating b leaves a */
    assert_false(cmdline_active(a.c));
    type(b.c, "b1\r");
    cmdline_history_add(a.c, "a2");     /* while a is not active */
    key(b.c, KEY_UP);
    assert_string_equal(cmdline_text(b.c), "b1");
    key(b.c, KEY_UP);
    assert_string_equal(cmdline_text(b.c), "b1");
    cmdline_activate(a.c, ":", NULL);
    key(a.c, KEY_UP);
    assert_string_equal(cmdline_text(a.c), "a2");
    key(a.c, KEY_UP);
    assert_string_equal(cmdline_text(a.c), "a1");
    end_line(&a);
    end_line(&b);
}

static void test_history_file(void **state)
{
    struct seen s;
    char *path = path_in_tmp("state/degux-console/history");
    char *dir = path_in_tmp("state/degux-console");
    struct stat st;
    int n, found;

    (void)state;
    new_line(&s, "state/degux-console/history");
    type(s.c, "select 1\r");
    type(s.c, "select 1\r");
    type(s.c, "alter role admin password 'Sup3r'\r");
    type(s.c, "\\password admin\r");
    type(s.c, "select 2\r");
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    assert_int_equal(stat(dir, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0700);
    n = file_lines(path, "select 1", &found);
    assert_int_equal(n, 2);
    assert_int_equal(found, 1);
    file_lines(path, "Sup3r", &found);
    assert_int_equal(found, 0);
    /* Nor is the secret kept in memory. */
    key(s.c, KEY_UP);
    key(s.c, KEY_UP);
    assert_string_equal(cmdline_text(s.c), "select 1");
    end_line(&s);
    /* A new console reads the file. */
    new_line(&s, "state/degux-console/history");
    key(s.c, KEY_UP);
    assert_string_equal(cmdline_text(s.c), "select 2");
    end_line(&s);
    free(path);
    free(dir);
}

static void test_history_file_mode_fixed(void **state)
{
    struct seen s;
    char *path = path_in_tmp("loose-history");
    FILE *f = fopen(path, "w");
    struct stat st;

    (void)state;
    fputs("select 'old'\n", f);
    fclose(f);
    chmod(path, 0644);
    new_line(&s, "loose-history");
    key(s.c, KEY_UP);
    assert_string_equal(cmdline_text(s.c), "select 'old'");
    key(s.c, KEY_CTRL('u'));
    type(s.c, "select 'new'\r");
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    end_line(&s);
    free(path);
}

static void test_history_trim(void **state)
{
    struct seen s;
    char *path = path_in_tmp("long-history");
    FILE *f = fopen(path, "w");
    int n, found;

    (void)state;
    for (int i = 0; i < 2300; i++)
        fprintf(f, "select %d\n", i);
    fclose(f);
    new_line(&s, "long-history");
    type(s.c, "select 'last'\r");
    n = file_lines(path, "select 2299", &found);
    assert_int_equal(n, 2000);
    assert_int_equal(found, 1);
    file_lines(path, "select 'last'", &found);
    assert_int_equal(found, 1);
    file_lines(path, "select 299\n", &found);
    assert_int_equal(found, 0);
    end_line(&s);
    free(path);
}

/* The ':' line lives in a one-line window at the bottom: its candidates
 * go in a window of their own above it, on the virtual screen. */
static void test_completion_one_line_window(void **state)
{
    struct seen s;
    struct cmdline *c = new_line(&s, NULL);
    WINDOW *line = newwin(1, 40, 20, 0);
    char above[256];
    wchar_t wbuf[128];

    (void)state;
    type(c, "se");
    key(c, '\t');
    werase(line);
    cmdline_draw(c, line, 0);
    wnoutrefresh(line);
    mvwinnwstr(newscr, 19, 0, wbuf, 127);
    wcstombs(above, wbuf, sizeof above);
    assert_non_null(strstr(above, "selection"));
    assert_non_null(strstr(above, "sequence"));
    /* The next key clears them. */
    type(c, "l");
    assert_string_equal(cmdline_text(c), "sel");
    delwin(line);
    end_line(&s);
}

static void test_ctrl_arrows(void **state)
{
    struct seen s;
    struct cmdline *c = new_line(&s, NULL);
    const char *l = tigetstr("kLFT5"), *r = tigetstr("kRIT5");
    int left = key_defined(l), right = key_defined(r);

    (void)state;
    assert_true(left > KEY_MAX);
    assert_true(right > KEY_MAX);
    type(c, "select comuna from t");
    key(c, left);
    key(c, left);
    type(c, "X");
    assert_string_equal(cmdline_text(c), "select comuna Xfrom t");
    key(c, KEY_HOME);
    key(c, right);
    type(c, "Y");
    assert_string_equal(cmdline_text(c), "selectY comuna Xfrom t");
    end_line(&s);
}

/* The SQL pane's way: the accept callback leaves the line and opens
 * another one with text to edit. */
struct handover {
    struct cmdline *first, *second;
    int calls;
};

static void on_accept_handover(const char *line, void *arg)
{
    struct handover *h = arg;

    h->calls++;
    if (line && strcmp(line, "edit") == 0) {
        cmdline_deactivate(h->first);
        cmdline_activate(h->second, "value: ", "Peñalolén");
    }
}

static void test_handover(void **state)
{
    struct handover h = { 0 };

    (void)state;
    h.first = cmdline_new(NULL, on_accept_handover, NULL, &h);
    h.second = cmdline_new(NULL, on_accept_handover, NULL, &h);
    cmdline_activate(h.first, ":", NULL);
    type(h.first, "edit\r");
    assert_false(cmdline_active(h.first));
    assert_true(cmdline_active(h.second));
    assert_string_equal(cmdline_text(h.second), "Peñalolén");
    assert_string_equal(drawn(h.second, 0), "value: Peñalolén");
    assert_int_equal(getcurx(win), 7 + 9);
    /* Staying active after Enter, the line starts empty again. */
    type(h.second, "\r");
    assert_int_equal(h.calls, 2);
    assert_string_equal(cmdline_text(h.second), "");
    cmdline_free(h.first);
    cmdline_free(h.second);
}

/* A new prompt while Ctrl-R searches waits for the search to end. */
static void test_prompt_during_search(void **state)
{
    struct seen s;
    struct cmdline *c = new_line(&s, NULL);

    (void)state;
    cmdline_set_prompt(c, "degux=> ");
    type(c, "select 1\r");
    key(c, KEY_CTRL('r'));
    cmdline_set_prompt(c, "degux-> ");
    assert_non_null(strstr(drawn(c, 0), "reverse-i-search"));
    key(c, KEY_CTRL('g'));
    cmdline_set_prompt(c, "degux-> ");
    assert_string_equal(drawn(c, 0), "degux->");
    end_line(&s);
}

/* With "set editing-mode vi" in ~/.inputrc, Esc is vi's: it leaves insert
 * mode, and aborts only from command mode. */
static void test_vi_mode(void **state)
{
    struct seen s;
    struct cmdline *c;

    (void)state;
    rl_variable_bind("editing-mode", "vi");
    c = new_line(&s, NULL);
    type(c, "abc");
    key(c, KEY_ESC);
    assert_int_equal(s.aborted, 0);
    type(c, "0x");
    assert_string_equal(cmdline_text(c), "bc");
    key(c, KEY_ESC);
    assert_int_equal(s.aborted, 1);
    end_line(&s);
    rl_variable_bind("editing-mode", "emacs");
}

static void test_locale(void **state)
{
    (void)state;
    /* cmdline_init ran with whatever LANG the test got (C in CI). */
    assert_null(getenv("LC_ALL"));
    assert_true(MB_CUR_MAX > 1);
}

static void test_secrets(void **state)
{
    static const char *const secret[] = {
        "ALTER ROLE admin WITH PASSWORD 'x'",
        "alter user bob encrypted password 'md5abc'",
        "CREATE ROLE r LOGIN PASSWORD 'p'",
        "create user u password 'p'",
        "\\password",
        "SET password_encryption = 'scram-sha-256'",
        "host=db user=u password=hunter2",
        "postgresql://user:hunter2@localhost/degux",
        "postgres://u:p@h:5432/db?schema=public",
        "PGPASSWORD=x psql",
        NULL,
    };
    static const char *const plain[] = {
        "select * from referenciales",
        "postgresql://user@localhost/degux",
        "host=db user=u dbname=degux",
        "select 'a:b@c'",
        "",
        NULL,
    };

    (void)state;
    for (int i = 0; secret[i]; i++)
        if (!cmdline_is_secret(secret[i]))
            fail_msg("not secret: %s", secret[i]);
    for (int i = 0; plain[i]; i++)
        if (cmdline_is_secret(plain[i]))
            fail_msg("secret: %s", plain[i]);
    assert_false(cmdline_is_secret(NULL));
}

/* ---- set-up ------------------------------------------------------------- */

static int setup(void **state)
{
    (void)state;
    setenv("TERM", "xterm-256color", 1);
    setenv("INPUTRC", "/dev/null", 1);
    umask(022);
    if (!mkdtemp(tmpdir))
        return -1;
    cmdline_init();
    devnull = fopen("/dev/null", "r+");
    scr = devnull ? newterm("xterm-256color", devnull, devnull) : NULL;
    if (!scr)
        return -1;
    set_term(scr);
    win = newwin(6, 40, 2, 0);
    if (!win)
        return -1;
    keypad(win, TRUE);      /* as the screen does: ncurses learns the keys */
    return 0;
}

static int teardown(void **state)
{
    char *cmd = xasprintf("rm -rf '%s'", tmpdir);
    int rc;

    (void)state;
    delwin(win);
    endwin();
    delscreen(scr);
    fclose(devnull);
    rc = system(cmd);
    free(cmd);
    return rc == 0 ? 0 : -1;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_accept),
        cmocka_unit_test(test_history_keys),
        cmocka_unit_test(test_editing_keys),
        cmocka_unit_test(test_utf8),
        cmocka_unit_test(test_abort),
        cmocka_unit_test(test_keys_not_taken),
        cmocka_unit_test(test_completion),
        cmocka_unit_test(test_cursor_width),
        cmocka_unit_test(test_scroll),
        cmocka_unit_test(test_reverse_search),
        cmocka_unit_test(test_initial_and_kept),
        cmocka_unit_test(test_two_histories),
        cmocka_unit_test(test_history_file),
        cmocka_unit_test(test_history_file_mode_fixed),
        cmocka_unit_test(test_history_trim),
        cmocka_unit_test(test_completion_one_line_window),
        cmocka_unit_test(test_ctrl_arrows),
        cmocka_unit_test(test_handover),
        cmocka_unit_test(test_prompt_during_search),
        cmocka_unit_test(test_vi_mode),
        cmocka_unit_test(test_locale),
        cmocka_unit_test(test_secrets),
    };

    return cmocka_run_group_tests_name("cmdline", tests, setup, teardown);
}
