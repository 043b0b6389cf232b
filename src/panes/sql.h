/* The SQL pane's shared state (sql.c runs statements, sql_view.c draws,
 * sql_complete.c completes). */
#ifndef DEGUX_PANES_SQL_H
#define DEGUX_PANES_SQL_H

#include <stdbool.h>

#include "core/export.h"
#include "core/rowset.h"
#include "panes/rowgrid.h"
#include "ui/cmdline.h"
#include "ui/grid.h"

struct sql_names {
    char **v;
    int n;
};

struct sqlp {
    struct cmdline *editor;
    struct cmdline *search;     /* "/" prompt over the results */
    char *buffer;               /* lines of an unfinished statement */
    char **queue;               /* complete statements waiting to run */
    int nqueue;
    struct rowset *rs;          /* the result shown */
    char *rs_sql;               /* its statement */
    struct rowgrid rg;
    struct grid *grid;
    bool focus_grid, detail;
    int detail_scroll;
    char *error, *error_detail, *error_hint, *error_sql, *sqlstate;
    int error_pos;
    struct sql_names relations, columns;
    struct export *export;
    char *export_path;
};

void sql_view_draw(struct sqlp *s, WINDOW *w);
/* Completion candidates for the editor (cmdline_complete_fn). */
char **sql_complete(const char *text, const char *line, int start, int end,
                    void *arg);
/* Fill the catalog names used by completion (from a finished job). */
void sql_names_set(struct sql_names *names, const PGresult *res);
void sql_names_free(struct sql_names *names);

#endif
