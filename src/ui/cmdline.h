/* GNU readline in callback mode, drawn into an ncurses window: the ':'
 * command line and the SQL pane's editor. Readline never touches the
 * terminal: bytes are fed from the loop and the line is drawn here.
 * History persists in a file (mode 0600); lines that set a password are not
 * saved. No libpq. */
#ifndef DEGUX_CMDLINE_H
#define DEGUX_CMDLINE_H

#include <stdbool.h>
#include <curses.h>

struct cmdline;

/* A complete line was entered (Enter); line is owned by the cmdline and
 * valid during the call. NULL: the user aborted (Esc or Ctrl-C, Ctrl-D on
 * an empty line). The line stays active afterwards (empty) unless the
 * callback deactivates it; it may activate another cmdline. Lines are not
 * added to the history by themselves: call cmdline_history_add. */
typedef void (*cmdline_accept_fn)(const char *line, void *arg);
/* Candidates for the word being completed (Tab): returns a NULL-terminated
 * array of malloc'ed candidates (or NULL for none); the array and strings
 * become the cmdline's. text is the word (words break at blanks and
 * ()[]{},;:=<>+-*%/|!&^~' but not at '"' or '.'), line/start/end give its
 * context. A single candidate is inserted (with a space after it); several
 * insert their common part and are listed above the line. Never file
 * names. */
typedef char **(*cmdline_complete_fn)(const char *text, const char *line,
                                      int start, int end, void *arg);

/* Call once before initscr() (later calls do nothing): sets the locale
 * trap right (LC_ALL moves to the categories, LC_CTYPE becomes a UTF-8
 * locale when the environment's is not, then setlocale(LC_ALL, "")) and
 * isolates readline from the terminal. */
void cmdline_init(void);

/* history_path: NULL for none (kept in memory only). The file is read now
 * (its last 2000 lines); it and the missing folders above it are created on
 * the first line added, mode 0600 / 0700 whatever the umask. */
struct cmdline *cmdline_new(const char *history_path,
                            cmdline_accept_fn accept,
                            cmdline_complete_fn complete, void *arg);
void cmdline_free(struct cmdline *c);

/* Make c the active line editor with this prompt (readline has one line
 * buffer: only one cmdline is active at a time, the one active before is
 * deactivated); initial text is put in the buffer with the cursor at its
 * end. initial NULL: the text c had when it was deactivated mid-edit, if
 * any (none after Enter or an abort), else empty. */
void cmdline_activate(struct cmdline *c, const char *prompt,
                      const char *initial);
void cmdline_deactivate(struct cmdline *c);
bool cmdline_active(const struct cmdline *c);
void cmdline_set_prompt(struct cmdline *c, const char *prompt);

/* Feed a key from wgetch (bytes and KEY_ codes); false if not consumed:
 * c inactive, Ctrl-Z, Ctrl-L, and KEY_ codes other than the arrows, Home,
 * End, Delete, Backspace, Enter and Ctrl-Left/Right (F-keys, PgUp/PgDn,
 * KEY_RESIZE, KEY_MOUSE). Esc aborts the line, except that it ends a
 * Ctrl-R search (as Ctrl-G) and, in vi editing mode, leaves insert mode. */
bool cmdline_key(struct cmdline *c, int key);
/* Draw prompt + buffer into win at line y (scrolling horizontally so the
 * cursor is visible, a '<' marking text scrolled out), with completion
 * candidates above when shown: in win's lines above y when there is room,
 * else in a window of their own refreshed at once (win must then be
 * refreshed after it). Leaves win's cursor where the terminal cursor goes:
 * refresh win last. An inactive cmdline draws its prompt and kept text. */
void cmdline_draw(struct cmdline *c, WINDOW *win, int y);
/* Current contents (for the SQL pane's multi-line buffer); the kept text
 * of an inactive one. */
const char *cmdline_text(const struct cmdline *c);

/* Adds a line to this cmdline's history and file (active or not), unless
 * it is blank, repeats the last entry, or mentions a password. Newlines
 * become spaces (one entry a line in the file). */
void cmdline_history_add(struct cmdline *c, const char *line);

/* True when the line sets or contains a password (never saved). Errs on
 * the side of secrecy: any "password"/"passwd" (ALTER/CREATE ROLE/USER ...
 * PASSWORD, \password, password=, PGPASSWORD, SET ... password), or a URI
 * with user:secret@, case-insensitive. */
bool cmdline_is_secret(const char *line);

#endif
