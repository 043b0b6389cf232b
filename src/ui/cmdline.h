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
 * an empty line). */
typedef void (*cmdline_accept_fn)(const char *line, void *arg);
/* Candidates for the word being completed: returns a NULL-terminated array
 * of malloc'ed strings (or NULL), the way rl_completion_matches wants them.
 * text is the word, line/start give its context. */
typedef char **(*cmdline_complete_fn)(const char *text, const char *line,
                                      int start, int end, void *arg);

/* Call once before initscr(): sets the locale trap right and isolates
 * readline from the terminal. */
void cmdline_init(void);

/* history_path: NULL for none (kept in memory only). */
struct cmdline *cmdline_new(const char *history_path,
                            cmdline_accept_fn accept,
                            cmdline_complete_fn complete, void *arg);
void cmdline_free(struct cmdline *c);

/* Make c the active line editor with this prompt (readline has one line
 * buffer: only one cmdline is active at a time); initial text is put in the
 * buffer with the cursor at its end (NULL for empty). */
void cmdline_activate(struct cmdline *c, const char *prompt,
                      const char *initial);
void cmdline_deactivate(struct cmdline *c);
bool cmdline_active(const struct cmdline *c);
void cmdline_set_prompt(struct cmdline *c, const char *prompt);

/* Feed a key from wgetch (bytes and KEY_ codes); false if not consumed. */
bool cmdline_key(struct cmdline *c, int key);
/* Draw prompt + buffer into win at line y (scrolling horizontally so the
 * cursor is visible), with completion candidates above when shown; places
 * the terminal cursor. */
void cmdline_draw(struct cmdline *c, WINDOW *win, int y);
/* Current contents (for the SQL pane's multi-line buffer). */
const char *cmdline_text(const struct cmdline *c);

/* Adds a line to this cmdline's history and file (unless it sets a
 * password). */
void cmdline_history_add(struct cmdline *c, const char *line);

/* True when the line sets or contains a password (never saved). */
bool cmdline_is_secret(const char *line);

#endif
