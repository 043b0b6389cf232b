/* GNU readline in callback mode, drawn into an ncurses window: readline's
 * own terminal I/O goes to /dev/null, keys reach it through a small byte
 * queue, and the line is drawn here from rl_display_prompt and
 * rl_line_buffer. One history per cmdline, swapped in on activation. */
#include "autoconfig.h"

#include "ui/cmdline.h"

#include <fcntl.h>
#include <langinfo.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <readline/readline.h>
#include <readline/history.h>

#include "core/xalloc.h"
#include "i18n.h"
#include "ui/text.h"
#include "ui/theme.h"

#define KEY_ESC 27
#define KEY_CTRL(c) ((c) & 0x1f)
#define HISTORY_MAX 2000    /* lines kept in memory and in the file */
#define HISTORY_SLACK 200   /* the file is trimmed once it has this many more */
#define MATCH_ROWS 6        /* completion candidates: rows at most */

struct cmdline {
    char *history_path;
    cmdline_accept_fn accept;
    cmdline_complete_fn complete;
    void *arg;
    HISTORY_STATE *history; /* its history while it is not active */
    int file_lines;         /* lines in the history file, as far as known */
    bool file_open_line;    /* its last line has no newline (edited by hand) */
    char *prompt;
    char *kept;             /* text left mid-edit, restored on activation */
    char **matches;         /* completion candidates on show */
    int nmatches;
    size_t scroll;          /* first byte of the text drawn */
    bool active;
};

/* The cmdline readline edits now; readline has one line, so one at most. */
static struct cmdline *current;
/* True while the accept callback runs (the line is being handed over). */
static bool in_accept;

/* ---- the byte queue readline reads from -------------------------------- */

static unsigned char queue[64];
static size_t queue_head, queue_len;
/* A UTF-8 character whose bytes arrive one wgetch at a time: readline gets
 * it whole. */
static unsigned char utf8_buf[4];
static size_t utf8_len, utf8_need;

static void queue_clear(void)
{
    queue_head = queue_len = 0;
    utf8_len = utf8_need = 0;
}

static void queue_push(const char *bytes, size_t n)
{
    for (size_t i = 0; i < n && queue_len < sizeof queue; i++)
        queue[(queue_head + queue_len++) % sizeof queue] =
            (unsigned char)bytes[i];
}

/* rl_getc_function: never called on an empty queue (see run_readline); a
 * NUL there is harmless where EOF would end the line. */
static int queue_getc(FILE *unused)
{
    int c;

    (void)unused;
    if (!queue_len)
        return 0;
    c = queue[queue_head];
    queue_head = (queue_head + 1) % sizeof queue;
    queue_len--;
    return c;
}

static int queue_available(void)
{
    return queue_len > 0;
}

/* ---- readline set-up ----------------------------------------------------- */

static void term_prep_noop(int meta)
{
    (void)meta;
}

static void term_deprep_noop(void)
{
}

static bool ctype_is_utf8(void)
{
    const char *cs = nl_langinfo(CODESET);

    return cs && (strcasecmp(cs, "UTF-8") == 0 || strcasecmp(cs, "utf8") == 0);
}

/* Readline sets LC_CTYPE from the environment again for every line, so the
 * environment itself must name a UTF-8 locale or ñ arrives as meta keys. */
static void locale_init(void)
{
    static const int cats[] = { LC_CTYPE, LC_COLLATE, LC_MESSAGES,
                                LC_MONETARY, LC_NUMERIC, LC_TIME };
    static const char *const names[] = { "LC_CTYPE", "LC_COLLATE",
                                         "LC_MESSAGES", "LC_MONETARY",
                                         "LC_NUMERIC", "LC_TIME" };
    static const char *const utf8[] = { "C.UTF-8", "C.utf8", "en_US.UTF-8" };
    const char *all = getenv("LC_ALL");

    if (all && *all) {      /* keep what LC_ALL said, category by category */
        char *v = xstrdup(all);
        for (size_t i = 0; i < sizeof names / sizeof *names; i++)
            setenv(names[i], v, 1);
        free(v);
    }
    unsetenv("LC_ALL");
    if (!setlocale(LC_ALL, ""))     /* one missing locale fails them all */
        for (size_t i = 0; i < sizeof cats / sizeof *cats; i++)
            setlocale(cats[i], "");
    for (size_t i = 0; i < sizeof utf8 / sizeof *utf8 && !ctype_is_utf8();
         i++) {
        setenv("LC_CTYPE", utf8[i], 1);
        setlocale(LC_CTYPE, "");
    }
}

static void on_redisplay(void);
static char **on_complete(const char *text, int start, int end);
static void on_show_matches(char **matches, int n, int max);

static void readline_bind_keys(void)
{
    /* The sequences cmdline_key sends for ncurses' decoded keys. */
    rl_bind_keyseq_if_unbound("\033[H", rl_beg_of_line);
    rl_bind_keyseq_if_unbound("\033[F", rl_end_of_line);
    rl_bind_keyseq_if_unbound("\033[3~", rl_delete);
    rl_bind_keyseq_if_unbound("\033[1;5C", rl_forward_word);
    rl_bind_keyseq_if_unbound("\033[1;5D", rl_backward_word);
}

void cmdline_init(void)
{
    static bool done;

    if (done)
        return;
    done = true;
    locale_init();
    rl_readline_name = "degux-console";
    rl_instream = fopen("/dev/null", "r");
    rl_outstream = fopen("/dev/null", "w");
    rl_catch_signals = 0;
    rl_catch_sigwinch = 0;
    rl_change_environment = 0;
    rl_prep_term_function = term_prep_noop;
    rl_deprep_term_function = term_deprep_noop;
    rl_getc_function = queue_getc;
    rl_input_available_hook = queue_available;
    rl_redisplay_function = on_redisplay;
    rl_attempted_completion_function = on_complete;
    rl_completion_display_matches_hook = on_show_matches;
    /* No quotes or '.' here: "User" and schema.table are one word. */
    rl_completer_word_break_characters = " \t\n()[]{},;:=<>+-*/%|!&^~'";
    rl_initialize();
    rl_variable_bind("enable-bracketed-paste", "off");
    rl_variable_bind("bell-style", "none");
    rl_variable_bind("show-all-if-ambiguous", "on");
    rl_variable_bind("revert-all-at-newline", "on");
    readline_bind_keys();
}

/* ---- history ------------------------------------------------------------- */

/* The readline history lists hold the active cmdline's history, or an empty
 * one when none is active; an inactive cmdline's is swapped in to change
 * it. */
static HISTORY_STATE *history_empty(void)
{
    return xcalloc(1, sizeof(HISTORY_STATE));
}

static void history_swap_in(struct cmdline *c)
{
    history_set_history_state(c->history);
    free(c->history);
    c->history = NULL;
}

static void history_swap_out(struct cmdline *c)
{
    HISTORY_STATE *empty = history_empty();

    c->history = history_get_history_state();
    history_set_history_state(empty);
    free(empty);
}

static const char *history_last(void)
{
    HIST_ENTRY **list = history_list();

    return list && history_length > 0 ? list[history_length - 1]->line
                                      : NULL;
}

static void history_trim_memory(void)
{
    while (history_length > HISTORY_MAX) {
        HIST_ENTRY *e = remove_history(0);
        if (!e)
            break;
        free_history_entry(e);
    }
}

/* Creates the missing directories of path's folder, mode 0700 whatever the
 * umask (existing ones are left as they are). */
static void history_make_dirs(const char *path)
{
    char *dir = xstrdup(path);

    for (char *p = strchr(dir + (*dir != '\0'), '/'); p; p = strchr(p + 1, '/')) {
        *p = '\0';
        if (mkdir(dir, 0700) == 0)
            chmod(dir, 0700);
        *p = '/';
    }
    free(dir);
}

static int history_open(const char *path, int flags)
{
    int fd;

    history_make_dirs(path);
    fd = open(path, flags | O_CREAT | O_CLOEXEC, 0600);
    if (fd >= 0)
        fchmod(fd, 0600);
    return fd;
}

/* Reads the file's lines into the current history list. */
static void history_read(struct cmdline *c)
{
    FILE *f = fopen(c->history_path, "r");
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;

    if (!f)
        return;
    while ((n = getline(&line, &cap, f)) > 0) {
        c->file_lines++;
        c->file_open_line = line[n - 1] != '\n';
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            line[--n] = '\0';
        if (n > 0)
            add_history(line);
        if (history_length > HISTORY_MAX + HISTORY_SLACK)
            history_trim_memory();
    }
    free(line);
    fclose(f);
    history_trim_memory();
}

/* The last max lines of the file at path (NULL-terminated, caller frees):
 * other consoles may have appended to it since it was read. */
static char **history_tail(const char *path, int max, int *n)
{
    char **ring = xcalloc((size_t)max + 1, sizeof *ring), **out;
    FILE *f = fopen(path, "r");
    char *line = NULL;
    size_t cap = 0;
    int total = 0;

    while (f && getline(&line, &cap, f) > 0) {
        free(ring[total % max]);
        ring[total++ % max] = line;
        line = NULL;
        cap = 0;
    }
    free(line);
    if (f)
        fclose(f);
    *n = total < max ? total : max;
    out = xcalloc((size_t)*n + 1, sizeof *out);
    for (int i = 0; i < *n; i++)
        out[i] = ring[(total - *n + i) % max];
    free(ring);
    return out;
}

/* Rewrites the file with its last HISTORY_MAX lines, through a new file
 * renamed over it, so a crash leaves the old one whole. */
static void history_trim_file(struct cmdline *c)
{
    char *tmp = xasprintf("%s.new", c->history_path);
    int n, fd = history_open(tmp, O_WRONLY | O_TRUNC);
    char **lines = history_tail(c->history_path, HISTORY_MAX, &n);
    FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;

    if (f) {
        for (int i = 0; i < n; i++) {
            fputs(lines[i], f);
            if (!strchr(lines[i], '\n'))
                fputc('\n', f);
        }
        if (fclose(f) == 0 && rename(tmp, c->history_path) == 0) {
            c->file_lines = n;
            c->file_open_line = false;
        }
        else
            unlink(tmp);
    } else if (fd >= 0) {
        close(fd);
        unlink(tmp);
    }
    for (int i = 0; i < n; i++)
        free(lines[i]);
    free(lines);
    free(tmp);
}

static void history_append_file(struct cmdline *c, const char *line)
{
    char *rec = xasprintf("%s%s\n", c->file_open_line ? "\n" : "", line);
    int fd = history_open(c->history_path, O_WRONLY | O_APPEND);

    /* One write: lines of two consoles appending at once do not mix. */
    if (fd >= 0 && write(fd, rec, strlen(rec)) == (ssize_t)strlen(rec)) {
        c->file_lines++;
        c->file_open_line = false;
    }
    if (fd >= 0)
        close(fd);
    free(rec);
    if (c->file_lines > HISTORY_MAX + HISTORY_SLACK)
        history_trim_file(c);
}

/* Adds line to the history list in place now (c's). */
static void history_add_current(struct cmdline *c, const char *line)
{
    char *one = xstrdup(line);
    const char *last;

    for (char *p = one; *p; p++)    /* the file holds one entry a line */
        if (*p == '\n' || *p == '\r')
            *p = ' ';
    last = history_last();
    if (!(last && strcmp(last, one) == 0)) {
        add_history(one);
        history_trim_memory();
        if (c->history_path)
            history_append_file(c, one);
    }
    free(one);
}

void cmdline_history_add(struct cmdline *c, const char *line)
{
    HISTORY_STATE *saved;

    if (!line || !line[strspn(line, " \t\r\n")] || cmdline_is_secret(line))
        return;
    if (c->active) {
        history_add_current(c, line);
        return;
    }
    saved = history_get_history_state();
    history_swap_in(c);
    history_add_current(c, line);
    c->history = history_get_history_state();
    history_set_history_state(saved);
    free(saved);
}

/* ---- secrets ------------------------------------------------------------- */

static bool contains_nocase(const char *s, const char *word)
{
    size_t n = strlen(word);

    for (; *s; s++)
        if (strncasecmp(s, word, n) == 0)
            return true;
    return false;
}

/* A URI with a password in its user info: scheme://user:secret@host. */
static bool has_uri_password(const char *s)
{
    for (const char *p = strstr(s, "://"); p; p = strstr(p + 1, "://")) {
        const char *auth = p + 3;
        size_t end = strcspn(auth, "/?# \t\r\n'\"");
        const char *at = NULL, *colon;

        for (size_t i = 0; i < end; i++)
            if (auth[i] == '@')
                at = auth + i;
        colon = at ? memchr(auth, ':', (size_t)(at - auth)) : NULL;
        if (colon)
            return true;
    }
    return false;
}

/* Errs on the side of not saving: any mention of a password (ALTER ROLE ...
 * PASSWORD, \password, password=, PGPASSWORD, SET ... password) counts. */
bool cmdline_is_secret(const char *line)
{
    if (!line)
        return false;
    return contains_nocase(line, "password") ||
           contains_nocase(line, "passwd") || has_uri_password(line);
}

/* ---- the line ------------------------------------------------------------ */

static void matches_clear(struct cmdline *c)
{
    for (int i = 0; i < c->nmatches; i++)
        free(c->matches[i]);
    free(c->matches);
    c->matches = NULL;
    c->nmatches = 0;
}

static void on_line(char *line);

/* A fresh, empty line for the active cmdline. */
static void line_restart(struct cmdline *c)
{
    rl_callback_handler_remove();
    rl_callback_handler_install(c->prompt, on_line);
    c->scroll = 0;
}

/* Puts the kept text into readline's buffer, cursor at its end. */
static void line_insert_kept(struct cmdline *c)
{
    if (c->kept && *c->kept) {
        rl_insert_text(c->kept);
        rl_point = rl_end;
    }
    free(c->kept);
    c->kept = NULL;
}

static void on_line(char *line)
{
    struct cmdline *c = current;

    if (c) {
        matches_clear(c);
        in_accept = true;
        c->accept(line, c->arg);
        in_accept = false;
    }
    free(line);
}

/* Esc, Ctrl-C: the line is dropped and the owner told with NULL. */
static void line_abort(struct cmdline *c)
{
    matches_clear(c);
    queue_clear();
    rl_callback_sigcleanup();
    rl_free_line_state();
    line_restart(c);
    c->accept(NULL, c->arg);
}

/* Feeds the queue to readline; the accept callback may deactivate the line
 * or activate another one on the way. */
static void run_readline(void)
{
    while (queue_len && current) {
        rl_callback_read_char();
        /* Text given while accepting goes in after readline has cleared
         * the accepted line. */
        if (current && current->kept)
            line_insert_kept(current);
    }
    queue_head = queue_len = 0;     /* bytes for a line that was left */
}

static void line_leave(struct cmdline *c)
{
    free(c->kept);
    c->kept = in_accept || !rl_line_buffer || !rl_line_buffer[0]
                  ? NULL
                  : xstrdup(rl_line_buffer);
    matches_clear(c);
    queue_clear();
    rl_callback_sigcleanup();
    rl_free_line_state();
    rl_callback_handler_remove();
    history_swap_out(c);
    c->active = false;
    current = NULL;
}

struct cmdline *cmdline_new(const char *history_path,
                            cmdline_accept_fn accept,
                            cmdline_complete_fn complete, void *arg)
{
    struct cmdline *c = xcalloc(1, sizeof *c);

    cmdline_init();     /* readline must never read the real terminal */
    c->history_path = history_path && *history_path ? xstrdup(history_path)
                                                    : NULL;
    c->accept = accept;
    c->complete = complete;
    c->arg = arg;
    c->prompt = xstrdup("");
    c->history = history_empty();
    if (c->history_path) {
        HISTORY_STATE *saved = history_get_history_state();
        history_swap_in(c);
        history_read(c);
        c->history = history_get_history_state();
        history_set_history_state(saved);
        free(saved);
    }
    return c;
}

void cmdline_free(struct cmdline *c)
{
    HISTORY_STATE *saved, *mine;

    if (!c)
        return;
    if (c->active)
        line_leave(c);
    saved = history_get_history_state();
    history_swap_in(c);
    clear_history();
    mine = history_get_history_state();
    free(mine->entries);
    free(mine);
    history_set_history_state(saved);
    free(saved);
    free(c->history_path);
    free(c->prompt);
    free(c->kept);
    free(c);
}

void cmdline_activate(struct cmdline *c, const char *prompt,
                      const char *initial)
{
    if (current)
        line_leave(current);
    free(c->prompt);
    c->prompt = xstrdup(prompt ? prompt : "");
    if (initial) {
        free(c->kept);
        c->kept = xstrdup(initial);
    }
    history_swap_in(c);
    c->active = true;
    current = c;
    line_restart(c);
    if (!in_accept)
        line_insert_kept(c);
}

void cmdline_deactivate(struct cmdline *c)
{
    if (c->active)
        line_leave(c);
}

bool cmdline_active(const struct cmdline *c)
{
    return c && c->active;
}

void cmdline_set_prompt(struct cmdline *c, const char *prompt)
{
    if (prompt && strcmp(c->prompt, prompt) != 0) {
        free(c->prompt);
        c->prompt = xstrdup(prompt);
    }
    /* While readline shows a message (Ctrl-R search) the prompt waits. */
    if (c->active && rl_prompt && rl_display_prompt == rl_prompt &&
        strcmp(rl_prompt, c->prompt) != 0)
        rl_set_prompt(c->prompt);
}

const char *cmdline_text(const struct cmdline *c)
{
    if (c->active)
        return rl_line_buffer ? rl_line_buffer : "";
    return c->kept ? c->kept : "";
}

/* ---- keys ---------------------------------------------------------------- */

/* The key code ncurses gives for a terminfo extended key name, or 0;
 * known once keypad mode has read the terminal's keys. */
static int key_extended(const char *name, int *cache)
{
    const char *seq;
    int code;

    if (*cache > 0)
        return *cache;
    seq = tigetstr(name);
    code = seq && seq != (char *)-1 ? key_defined(seq) : 0;
    if (code > 0)
        *cache = code;
    return code;
}

/* The sequences readline binds for the keys ncurses decodes. */
static const char *key_sequence(int key)
{
    static int ctrl_left, ctrl_right;

    switch (key) {
    case KEY_UP: return "\033[A";
    case KEY_DOWN: return "\033[B";
    case KEY_RIGHT: return "\033[C";
    case KEY_LEFT: return "\033[D";
    case KEY_HOME: return "\033[H";
    case KEY_END: return "\033[F";
    case KEY_DC: return "\033[3~";
    case KEY_BACKSPACE: return "\177";
    case KEY_ENTER: return "\r";
    default: break;
    }
    if (key > KEY_MAX && key == key_extended("kLFT5", &ctrl_left))
        return "\033[1;5D";
    if (key > KEY_MAX && key == key_extended("kRIT5", &ctrl_right))
        return "\033[1;5C";
    return NULL;
}

static size_t utf8_length(unsigned char lead)
{
    if (lead >= 0xc2 && lead <= 0xdf)
        return 2;
    if (lead >= 0xe0 && lead <= 0xef)
        return 3;
    if (lead >= 0xf0 && lead <= 0xf4)
        return 4;
    return 1;
}

/* One byte from wgetch: multi-byte characters are queued once whole. */
static void key_byte(unsigned char b)
{
    if (utf8_len && (b & 0xc0) == 0x80) {
        utf8_buf[utf8_len++] = b;
        if (utf8_len == utf8_need) {
            queue_push((const char *)utf8_buf, utf8_len);
            utf8_len = 0;
        }
        return;
    }
    if (utf8_len) {         /* cut short: readline gets the bytes as they are */
        queue_push((const char *)utf8_buf, utf8_len);
        utf8_len = 0;
    }
    if ((utf8_need = utf8_length(b)) > 1)
        utf8_buf[utf8_len++] = b;
    else
        queue_push((const char *)&b, 1);
}

/* A bare Esc: vi users leave insert mode with it; otherwise, and in a
 * search (which it cancels as Ctrl-G does), it is no prefix here. */
static void key_escape(struct cmdline *c)
{
    static const char esc[] = { KEY_ESC }, ctrl_g[] = { KEY_CTRL('g') };

    if (RL_ISSTATE(RL_STATE_ISEARCH | RL_STATE_NSEARCH))
        queue_push(ctrl_g, 1);
    else if (rl_editing_mode == 0 && rl_get_keymap() == vi_insertion_keymap)
        queue_push(esc, 1);
    else
        line_abort(c);
}

bool cmdline_key(struct cmdline *c, int key)
{
    const char *seq;

    if (!c->active)
        return false;
    /* Ctrl-Z suspends and Ctrl-L redraws: the screen's, not readline's. */
    if (key == KEY_CTRL('z') || key == KEY_CTRL('l'))
        return false;
    matches_clear(c);
    if (key == KEY_ESC)
        key_escape(c);
    else if (key == KEY_CTRL('c'))
        line_abort(c);
    else if ((seq = key_sequence(key)) != NULL)
        queue_push(seq, strlen(seq));
    else if (key >= 0 && key <= 0xff)
        key_byte((unsigned char)key);
    else
        return false;
    run_readline();
    return true;
}

/* ---- completion ---------------------------------------------------------- */

/* The longest common prefix of the candidates, whole characters only, and
 * never shorter than what was typed (candidates may differ in case). */
static char *matches_prefix(char **v, int n, const char *text)
{
    size_t len = strlen(v[0]);

    for (int i = 1; i < n; i++) {
        size_t j = 0;
        while (j < len && v[i][j] == v[0][j])
            j++;
        len = j;
    }
    while (len > 0 && ((unsigned char)v[0][len] & 0xc0) == 0x80)
        len--;
    return len < strlen(text) ? xstrdup(text) : xstrndup(v[0], len);
}

static char **on_complete(const char *text, int start, int end)
{
    struct cmdline *c = current;
    char **cands, **out;
    int n = 0;

    rl_attempted_completion_over = 1;   /* never file names */
    if (!c || !c->complete)
        return NULL;
    cands = c->complete(text, rl_line_buffer, start, end, c->arg);
    while (cands && cands[n])
        n++;
    if (!n) {
        free(cands);
        return NULL;
    }
    if (n == 1)
        return cands;
    /* readline wants the replacement first, then the candidates. */
    out = xmalloc(((size_t)n + 2) * sizeof *out);
    out[0] = matches_prefix(cands, n, text);
    memcpy(out + 1, cands, (size_t)n * sizeof *out);
    out[n + 1] = NULL;
    free(cands);
    return out;
}

static void on_show_matches(char **matches, int n, int max)
{
    struct cmdline *c = current;

    (void)max;
    if (!c)
        return;
    matches_clear(c);
    c->matches = xcalloc((size_t)n, sizeof *c->matches);
    for (int i = 0; i < n; i++)
        c->matches[i] = xstrdup(matches[i + 1]);
    c->nmatches = n;
}

/* ---- drawing ------------------------------------------------------------- */

/* Readline calls this from inside rl_callback_read_char; the line is drawn
 * from its state by cmdline_draw, which the screen calls on every refresh. */
static void on_redisplay(void)
{
}

static void matches_draw_in(struct cmdline *c, WINDOW *w, int rows, int cols,
                            int colw)
{
    int shown = rows * cols < c->nmatches ? rows * cols - 1 : c->nmatches;

    wattrset(w, theme_attr(THEME_STATUS));
    for (int r = 0; r < rows; r++) {
        wmove(w, r, 0);
        for (int k = 0; k < cols; k++) {
            int i = r * cols + k;
            char *more = NULL;
            if (i == shown && shown < c->nmatches)
                more = xasprintf(P_("%d more", "%d more",
                                    c->nmatches - shown),
                                 c->nmatches - shown);
            text_draw(w, i < shown ? c->matches[i] : more, colw, 1);
            free(more);
        }
        text_draw(w, "", getmaxx(w) - getcurx(w), 1);
    }
    wattrset(w, A_NORMAL);
}

/* Candidates in columns above line y of win; in a window of their own
 * when win has no room above (the one-line command window). */
static void matches_draw(struct cmdline *c, WINDOW *win, int y)
{
    int width = getmaxx(win), colw = 1, cols, rows, top;
    WINDOW *w;

    for (int i = 0; i < c->nmatches; i++) {
        int cw = text_width(c->matches[i]);
        colw = cw > colw ? cw : colw;
    }
    colw = colw + 2 > width / 2 ? width / 2 : colw + 2;
    cols = colw > 0 ? width / colw : 1;
    cols = cols < 1 ? 1 : cols;
    rows = (c->nmatches + cols - 1) / cols;
    rows = rows > MATCH_ROWS ? MATCH_ROWS : rows;
    top = getbegy(win) + y;
    if (y >= rows) {
        w = derwin(win, rows, width, y - rows, 0);
    } else if (top >= rows) {
        w = newwin(rows, width, top - rows, getbegx(win));
    } else {
        return;
    }
    if (!w)
        return;
    matches_draw_in(c, w, rows, cols, colw);
    if (y < rows)
        wnoutrefresh(w);
    else
        touchwin(win);
    delwin(w);
}

static size_t char_start(const char *s, size_t i)
{
    while (i > 0 && ((unsigned char)s[i] & 0xc0) == 0x80)
        i--;
    return i;
}

static size_t char_next(const char *s, size_t i)
{
    if (s[i])
        i++;
    while (((unsigned char)s[i] & 0xc0) == 0x80)
        i++;
    return i;
}

/* The first byte to draw so that the cursor (at byte point, with room
 * columns for the text) stays visible; from is the one drawn last time. */
static size_t scroll_fit(const char *text, size_t from, size_t point,
                         int room)
{
    if (text_width_n(text, point) <= room)
        return 0;
    if (point >= from && text_width_n(text + from, point - from) <= room)
        return from;
    /* Jump so the cursor lands two thirds of the way across. */
    from = point;
    while (from > 0 && text_width_n(text + from, point - from) < room * 2 / 3)
        from = char_start(text, from - 1);
    while (from < point && text_width_n(text + from, point - from) > room)
        from = char_next(text, from);
    return from;
}

static void line_draw(struct cmdline *c, WINDOW *win, int y,
                      const char *prompt, const char *text, size_t point)
{
    int width = getmaxx(win), pw, x;
    size_t len = strlen(text);

    point = point > len ? len : point;
    wmove(win, y, 0);
    wclrtoeol(win);
    /* A long prompt keeps at most half the line. */
    pw = text_draw(win, prompt, width / 2, 0);
    c->scroll = char_start(text, c->scroll > len ? len : c->scroll);
    /* Two columns spare: the cursor past the end, and a cut mark. */
    c->scroll = scroll_fit(text, c->scroll, point, width - pw - 3);
    if (c->scroll > 0) {
        wattrset(win, theme_attr(THEME_DIM));
        waddch(win, '<');
        wattrset(win, A_NORMAL);
    }
    x = getcurx(win);
    text_draw(win, text + c->scroll, width - 1 - x, 0);
    wmove(win, y, x + text_width_n(text + c->scroll, point - c->scroll));
}

void cmdline_draw(struct cmdline *c, WINDOW *win, int y)
{
    if (c->nmatches)
        matches_draw(c, win, y);
    if (c->active)
        line_draw(c, win, y, rl_display_prompt ? rl_display_prompt : "",
                  rl_line_buffer, (size_t)rl_point);
    else
        line_draw(c, win, y, c->prompt, c->kept ? c->kept : "",
                  c->kept ? strlen(c->kept) : 0);
}
