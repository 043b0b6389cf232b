/* The application: the panes, the screen layout, the global keys and the
 * ':' commands. Panes call these to talk to the rest of the console. */
#ifndef DEGUX_APP_H
#define DEGUX_APP_H

#include <stdbool.h>

#include "core/config.h"
#include "core/db.h"

struct pane;

/* Runs the console on db until the user quits; pane_id: the pane shown
 * first (NULL: the lowest-numbered). Returns the exit status. */
int app_run(const struct config *cfg, struct db *db, const char *pane_id);

/* Show a message on the message line (error: in the error colour, and kept
 * in the status bar as the last error). */
void app_message(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void app_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void app_redraw(void);   /* mark the screen dirty */

/* Submit a job owned by a pane: its done() is called from the loop. */
void app_submit(struct pane *p, struct db_job *job);

/* Run a ':' command line as if typed ("sql select 1", "pane schema"). */
void app_command(const char *line);

/* Switch to the pane with this id; false when there is none. */
bool app_show_pane(const char *id);
struct pane *app_pane(const char *id);

/* The effective configuration. */
const struct config *app_config(void);
struct db *app_db(void);

/* Ask a yes/no question on the message line; fn gets the answer. */
void app_confirm(const char *question, void (*fn)(bool yes, void *arg),
                 void *arg);

#endif
