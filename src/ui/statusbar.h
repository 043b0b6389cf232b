/* The status bar: who and where, server and PostGIS versions, READ-ONLY or a
 * red WRITE badge, the running job with a spinner and elapsed time, the
 * connection state and the last error. No libpq: the app passes strings. */
#ifndef DEGUX_STATUSBAR_H
#define DEGUX_STATUSBAR_H

#include <stdbool.h>
#include <curses.h>

struct statusbar {
    const char *target;      /* user@host:port/db */
    const char *versions;    /* "PG 15.4 · PostGIS 3.3" */
    bool write;
    const char *conn_state;  /* NULL when connected, else "reconnecting…" */
    const char *job;         /* running job label, or NULL */
    double job_ms;
    int queued;              /* jobs waiting behind it */
    unsigned spinner;        /* frame counter */
    const char *last_error;  /* or NULL */
};

void statusbar_draw(WINDOW *w, const struct statusbar *s);

#endif
