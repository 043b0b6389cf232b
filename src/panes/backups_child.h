/* Backups pane: child processes (pg_dump, psql) driven by the event loop
 * through pipes, never a blocking read, write or wait. */
#ifndef DEGUX_PANES_BACKUPS_CHILD_H
#define DEGUX_PANES_BACKUPS_CHILD_H

#include <stdbool.h>
#include <stddef.h>

struct backups_child;

struct backups_child_ops {
    /* stdout data; false stops the child (SIGTERM). */
    bool (*on_out)(const char *data, size_t len, void *arg);
    void (*on_err)(const char *data, size_t len, void *arg); /* optional */
    /* stdin, when set: the bytes to write next (0: end of input), and how
     * many were written. */
    size_t (*in_peek)(const char **data, void *arg);
    void (*in_consumed)(size_t n, void *arg);
    /* Once the child ended and its output was read: its exit status (128 +
     * signal when killed) and the last bytes it wrote to stderr. */
    void (*on_exit)(int status, const char *err, void *arg);
};

/* Runs argv[0] (found on PATH) with env ("NAME=value" strings, added to
 * ours; they must live until the child started, i.e. this returns). NULL
 * when the pipes cannot be made. */
struct backups_child *backups_child_start(char *const *argv,
                                          char *const *env,
                                          const struct backups_child_ops *ops,
                                          void *arg);
/* Asks the child to stop (SIGTERM) and closes its input; on_exit follows. */
void backups_child_kill(struct backups_child *c);
bool backups_child_done(const struct backups_child *c);
void backups_child_free(struct backups_child *c);

#endif
