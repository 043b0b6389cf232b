/* Pane 5, slow: pg_stat_statements (since the reset, or "now": between
 * snapshots taken while the pane is open), a statement's detail with
 * EXPLAIN, and pg_stat_activity as a blocking tree with pghero's alarms.
 * The model (slow_model.c) serves the view and the reports alike. */
#ifndef DEGUX_PANES_SLOW_H
#define DEGUX_PANES_SLOW_H

#include <stdbool.h>
#include <curses.h>
#include <libpq-fe.h>

#include "domain/slow.h"
#include "panes/pane.h"
#include "ui/cmdline.h"
#include "ui/grid.h"

enum slow_view { SLOW_VIEW_STATEMENTS, SLOW_VIEW_ACTIVITY, SLOW_VIEW_DETAIL };

/* Why the statements cannot be read (the guidance says what to run). */
enum slow_missing {
    SLOW_HAVE_PGSS,
    SLOW_NO_EXTENSION,        /* CREATE EXTENSION needed */
    SLOW_NOT_PRELOADED,       /* shared_preload_libraries needed */
};

/* pghero's alarms and what the role may read. */
struct slow_header {
    bool known;
    long connections, max_connections, idle_in_tx, over_60s;
    double hit_rate;          /* < 0: no blocks read yet */
    bool read_all_stats;      /* pg_read_all_stats or superuser */
    char *user;
};

/* A statements snapshot: the rows point into res. */
struct slow_snapshot {
    PGresult *res;
    struct slow_stmt *v;
    int n;
};

struct slow_activity_row {
    int pid;
    int blockers[16];
    int nblockers, depth, blocks;
    const char *user, *app, *client, *state, *wait, *query;
    double query_ms, state_ms;   /* < 0: not known */
};

struct slowp {
    enum slow_view view, back;   /* back: where the detail returns */
    enum slow_missing missing;
    const char *dbname;          /* db_info's */
    bool all_dbs, now_mode, paused, reset_seen, batch;
    double threshold_ms;
    int refresh_ms, timer;
    char *stmt_error;            /* the statements query failed */
    struct slow_snapshot base, cur;   /* now mode: base → cur */
    struct slow_stmt *rows;      /* shown: copies, strings point into cur */
    int nrows;
    enum slow_col sort;
    bool sort_desc;
    int stmt_jobs, act_jobs, hdr_jobs; /* queued or running: no piling up */
    bool drawn;                  /* drawn since the last timed refresh */
    double stmt_ms, act_ms;      /* last refresh time */

    PGresult *act_res;
    struct slow_activity_row *act;
    int nact;
    struct slow_header hdr;

    struct grid *grid, *agrid;
    struct grid_source src, asrc;
    char cellbuf[512];

    /* Detail of one statement and its plan. */
    struct slow_stmt sel;
    char *sel_query, *sel_user, *sel_db; /* owned copies */
    char *pretty;
    char **plan;
    bool *plan_mark;
    int nplan, scroll;
    int detail_lines, detail_height; /* screen lines, as last drawn */
    char *plan_error;
    struct cmdline *prompt;      /* asks for $1..$n */
    struct cmdline *search;      /* "/" over the shown grid */
    char **values;
    int nvalues, want_values;
    bool analyze;
};

static inline struct slowp *slow_state(struct pane *p)
{
    return p->state;
}

/* slow_model.c: queries and their results. */
void slow_model_init(struct pane *p, double threshold_ms, int refresh_ms);
void slow_model_free(struct slowp *s);
void slow_refresh_statements(struct pane *p);
void slow_refresh_activity(struct pane *p);
void slow_refresh_header(struct pane *p);
void slow_rebuild_rows(struct slowp *s);
void slow_set_baseline(struct slowp *s);
void slow_clear_snapshots(struct slowp *s);
/* The guidance for what is missing (and for a role without
 * pg_read_all_stats when !s->hdr.read_all_stats): NULL-terminated lines,
 * translated, caller frees each and the array. */
char **slow_guidance(const struct slowp *s);
void slow_guidance_free(char **lines);
bool slow_statements_usable(const struct slowp *s);
void slow_backend_signal(struct pane *p, int pid, bool terminate);
void slow_stats_reset(struct pane *p);

/* slow_view.c: drawing and the grid sources. */
void slow_view_init(struct slowp *s);
void slow_view_draw(struct pane *p, WINDOW *w);
char *slow_header_text(const struct slowp *s);
char *slow_fmt_ms(double ms);   /* "1.23 ms", "4.5 s"; caller frees */
/* The enum slow_col a grid column of the statements shows (< 0: none). */
int slow_sort_column(const struct slowp *s, int grid_col);

/* slow_explain.c: the detail view and EXPLAIN. */
void slow_detail_open(struct pane *p, const struct slow_stmt *st);
void slow_detail_close(struct slowp *s);
void slow_explain_start(struct pane *p, bool analyze);
bool slow_explain_key(struct pane *p, int key);

/* slow_report.c */
/* Both kinds, "slow" and "activity" (reports_kind() tells which). */
int slow_report(struct pane *p, struct report *r);

#endif
