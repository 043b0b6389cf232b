/* The rows of one statement's result, for a grid that shows a window of them.
 * A query is read through a server-side SCROLL cursor, a page at a time, so
 * memory stays constant for any row count; a small result is read whole and
 * the cursor closed at once. Other statements run as plain jobs. No ncurses. */
#ifndef DEGUX_ROWSET_H
#define DEGUX_ROWSET_H

#include <stdbool.h>

#include "core/db.h"

struct rowset;

enum rowset_status {
    ROWSET_RUNNING,   /* waiting for the first page */
    ROWSET_READY,     /* rows (or a command status) are available */
    ROWSET_ERROR,     /* see rowset_error() */
};

enum cell_state { CELL_VALUE, CELL_NULL, CELL_PENDING };

/* Called from the loop when the status changes, a page arrives or the row
 * count becomes known. */
typedef void (*rowset_fn)(struct rowset *rs, void *arg);

/* Runs sql (one statement, no parameters: the SQL pane's text). */
struct rowset *rowset_open(struct db *db, const char *sql, rowset_fn fn,
                           void *arg);
/* Runs sql with parameters (panes' queries that may be large). */
struct rowset *rowset_open_params(struct db *db, const char *sql, int nparams,
                                  const char *const *params, rowset_fn fn,
                                  void *arg);
/* Closes the cursor (CLOSE, and COMMIT of the transaction it opened). */
void rowset_close(struct rowset *rs);

enum rowset_status rowset_status(const struct rowset *rs);
const struct db_job *rowset_error(const struct rowset *rs); /* ERROR only */
const char *rowset_command(const struct rowset *rs); /* "INSERT 0 1", "SELECT" */
bool rowset_has_rows(const struct rowset *rs);       /* it returns tuples */
double rowset_elapsed_ms(const struct rowset *rs);   /* to the first page */

int rowset_ncols(const struct rowset *rs);
const char *rowset_col_name(const struct rowset *rs, int col);
bool rowset_col_numeric(const struct rowset *rs, int col);
/* Total rows, or -1 while unknown (counted in the background by MOVE). */
long rowset_nrows(const struct rowset *rs);
/* Rows known to exist so far (all loaded or counted). */
long rowset_nrows_known(const struct rowset *rs);

/* True while the rowset's own transaction (the one its cursor needs, not
 * the user's) is open: a prompt need not say "in a transaction". */
bool rowset_holds_transaction(const struct rowset *rs);

/* The value, or NULL with *st CELL_NULL / CELL_PENDING (not loaded yet: the
 * page was requested). Valid until the next loop iteration. */
const char *rowset_cell(struct rowset *rs, long row, int col,
                        enum cell_state *st);
/* The grid says which rows it shows; pages around them are fetched. */
void rowset_want(struct rowset *rs, long first, long count);

#endif
