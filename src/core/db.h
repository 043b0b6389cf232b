/* libpq, asynchronously: one connection per console, statements queued as
 * jobs and sent with PQsendQueryParams, results delivered from the loop.
 * Also: cancel, the read-only guard, lost-connection detection and
 * reconnection with back-off. No ncurses here. */
#ifndef DEGUX_DB_H
#define DEGUX_DB_H

#include <stdbool.h>
#include <libpq-fe.h>

struct db;
struct db_job;

typedef void (*db_job_fn)(struct db_job *job, void *arg);
typedef void (*db_row_fn)(struct db_job *job, const PGresult *row, void *arg);
/* COPY TO STDOUT data: one chunk (a row, as the server sends it). */
typedef void (*db_copy_fn)(struct db_job *job, const char *data, int len,
                           void *arg);
/* Called just before a job is sent; false skips it (see before_send). */
typedef bool (*db_send_fn)(struct db_job *job, void *arg);

enum db_job_status {
    DB_JOB_QUEUED,
    DB_JOB_RUNNING,
    DB_JOB_OK,
    DB_JOB_ERROR,     /* the server refused it: error, sqlstate, error_pos */
    DB_JOB_CANCELLED, /* cancelled by the user (SQLSTATE 57014) or dropped */
    DB_JOB_LOST,      /* the connection died while it ran: outcome unknown */
};

struct db_job {
    /* Set by the caller (db_job_new and the setters below). */
    char *label;          /* shown while running, e.g. "Schema: tables" */
    char *sql;
    int nparams;
    char **params;        /* NULL entries are SQL NULL */
    bool write;           /* refused in read-only mode; never re-sent after a
                             lost connection unless provably not sent */
    bool once;            /* may change something (the user's own
                             statement): never re-sent once sent */
    bool single_row;      /* stream: on_row per row, result holds no tuples */
    bool background;      /* nobody waits for it (counting rows): Esc leaves
                             it alone, Ctrl-C still cancels it */
    db_job_fn done;       /* called once when finished, from the loop */
    db_row_fn on_row;
    db_copy_fn on_copy;   /* COPY ... TO STDOUT: the data, chunk by chunk
                             (without it the data is read and dropped) */
    db_send_fn before_send; /* decides at send time, when every job before
                               it has finished; false: not sent, it ends
                               DB_JOB_OK with skipped set and no result */
    void *arg;
    int tag;              /* free for the owner */
    void *owner;          /* for db_drop_owner() */

    /* Set by db. */
    enum db_job_status status;
    PGresult *result;     /* last result (tuples or command), owned by the job */
    char *error;          /* primary message, NULL when none */
    char *error_detail, *error_hint;
    char sqlstate[6];
    int error_pos;        /* 1-based character position in sql, 0 when none */
    long rows;            /* tuples received (streamed or whole) */
    double started_ms, elapsed_ms;
    int id;
    char *notice;         /* the last NOTICE/WARNING sent while it ran */
    bool skipped;         /* before_send said no */

    /* Private to db.c. */
    struct db_job *next;
    bool cancel_requested, resent, flushed, copying;
};

struct db_info {
    char *user, *host, *port, *dbname;
    int server_version;         /* PQserverVersion, e.g. 150004 */
    char *server_version_str;   /* "15.4" */
    char *postgis_version;      /* NULL when PostGIS is not installed */
    char *pgss_version;         /* pg_stat_statements extversion, or NULL */
    bool pgss_preloaded;        /* in shared_preload_libraries */
    bool superuser;
    char *current_schema;       /* NULL: no schema of the search path exists */
};

enum db_state {
    DB_STATE_CONNECTED,
    DB_STATE_LOST,          /* waiting to reconnect (back-off) */
    DB_STATE_RECONNECTING,  /* a connection attempt is under way */
};

/* Why the connection was lost or the last reconnection failed (one line),
 * NULL while connected. */
const char *db_lost_reason(const struct db *db);
/* A message for the user that the session gave (e.g. read-only mode put
 * back), once; NULL when none. Caller frees. */
char *db_take_alert(struct db *db);

/* Connects, blocking (used once before the screen starts and by reports).
 * On failure returns NULL and *err (caller frees) holds a one-line reason.
 * schema: when not NULL, becomes the search_path (Prisma's ?schema=).
 * statement_timeout_ms: 0 for none. The session starts read-only unless
 * write is true; application_name is degux-console. */
struct db *db_connect(const char *conninfo, const char *schema,
                      int statement_timeout_ms, bool write, char **err);
void db_close(struct db *db);

const struct db_info *db_info(const struct db *db);
enum db_state db_state(const struct db *db);
bool db_write_mode(const struct db *db);
bool db_in_transaction(const struct db *db); /* PQtransactionStatus != IDLE */
PGconn *db_conn(struct db *db);  /* for PQescapeIdentifier and friends */

/* Switch read-only/write mode for the session (a queued SET). */
void db_set_write(struct db *db, bool write);

/* Called from the loop whenever state, mode or the running job changes. */
void db_on_change(struct db *db, void (*fn)(void *arg), void *arg);

/* Jobs. db_job_new copies label and sql. db_submit hands the job to db, which
 * frees it (and its result) after done() returns, unless done() took the
 * result with db_job_take_result. */
struct db_job *db_job_new(const char *label, const char *sql,
                          db_job_fn done, void *arg);
void db_job_param(struct db_job *job, const char *value); /* copied */
void db_job_paramf(struct db_job *job, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
PGresult *db_job_take_result(struct db_job *job); /* caller PQclears */
void db_submit(struct db *db, struct db_job *job);
/* Puts the job at the head of the queue: it runs next. */
void db_submit_first(struct db *db, struct db_job *job);
/* A copy of a finished job's identity and outcome (label, sql, status,
 * error fields, rows, times; not params nor result), to keep after done()
 * returns. Caller frees it with db_job_free. */
struct db_job *db_job_clone(const struct db_job *job);
/* Frees a job that was never submitted, or a clone. */
void db_job_free(struct db_job *job);

/* The job being run, or NULL; jobs are run one at a time, in order. */
const struct db_job *db_running(const struct db *db);
int db_queued(const struct db *db);

/* Cancel the running job (PQcancel off the UI thread): it finishes later
 * with DB_JOB_CANCELLED. Queued jobs are kept. Returns false when idle. */
bool db_cancel(struct db *db);
/* Cancel one job: a queued one is removed and its done() gets
 * DB_JOB_CANCELLED before this returns; a running one is cancelled as by
 * db_cancel. False when the job is neither queued nor running. */
bool db_job_cancel(struct db *db, struct db_job *job);
/* Drop queued jobs of this owner (their done() gets DB_JOB_CANCELLED) and
 * cancel its running one: its done() too is called with DB_JOB_CANCELLED
 * before this returns, and never again, so the owner may go away. */
void db_drop_owner(struct db *db, const void *owner);

/* A transaction opened only to read through a cursor (a rowset's) has a
 * holder. A write job must not run inside it, where it would commit only
 * when the cursor closes (or be lost with it): before sending one, db calls
 * end(arg) once, which ends the transaction with db_submit_first, and the
 * holder is forgotten. clear forgets the holder if it is still arg. */
void db_tx_holder_set(struct db *db, void (*end)(void *arg), void *arg);
void db_tx_holder_clear(struct db *db, const void *arg);

/* Blocking helpers for startup, batch commands and tests only: never from
 * the UI loop. Returns a result the caller PQclears, or NULL with *err. */
PGresult *db_exec_sync(struct db *db, const char *sql, int nparams,
                       const char *const *params, char **err);

/* Runs the loop until no job is queued or running (reports use this). */
void db_wait_idle(struct db *db);

#endif
