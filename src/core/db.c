/* libpq behind the loop: a queue of jobs sent one at a time on a nonblocking
 * connection, cancel off the UI thread, the read-only guard, and
 * reconnection with back-off when the connection dies. */
#include "autoconfig.h"

#include "core/db.h"

#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/loop.h"
#include "core/sql.h"
#include "core/sqlscan.h"
#include "core/xalloc.h"
#include "i18n.h"

#define BACKOFF_FIRST_MS 500
#define BACKOFF_MAX_MS 30000
#define ATTEMPT_MAX_MS 15000   /* a reconnection attempt that hangs */
#define CANCEL_WAIT_MS 5000    /* a cancel request that hangs */
#define MAX_KEYS 4

struct db {
    PGconn *conn;
    int fd;                 /* the watched socket, -1 when none */
    short events;
    bool flush_pending;     /* PQflush said 1: POLLOUT too */
    const char *keys[MAX_KEYS], *vals[MAX_KEYS];
    char *conninfo, *schema, *timeout;
    bool write;             /* the mode asked for (the badge) */
    bool write_applied;     /* the mode the session has: the guard */
    bool mode_in_tx;        /* the mode was set inside a transaction, which
                               may roll it back: set it again after */
    enum db_state state;
    PGTransactionStatusType tx;  /* after the last finished job */
    struct db_info info;
    char *lost_reason, *fatal;
    char *alert;            /* for the user, once: db_take_alert */
    struct db_job *running, *head, *tail;
    int nqueued, next_id;
    void (*change_fn)(void *);
    void *change_arg;
    void (*holder_end)(void *);
    void *holder_arg;
    int pump_timer, retry_timer, attempt_timer, cancel_timer;
    int recancel_timer, recancel_job, recancels;  /* see on_recancel */
    long backoff_ms;
    int cancel_fd;          /* read end while a cancel request is under way */
};

struct cancel_req {
    PGcancel *cancel;
    int wfd;
};

static void db_lost(struct db *db);
static void db_pump(struct db *db);
static void on_socket(void *arg, int fd, short revents);

/* ---- small helpers ------------------------------------------------------ */

/* The first line of a libpq message, trimmed; NULL for nothing. */
static char *first_line(const char *msg)
{
    size_t n;

    if (!msg)
        return NULL;
    while (*msg == ' ' || *msg == '\t' || *msg == '\n' || *msg == '\r')
        msg++;
    n = strcspn(msg, "\r\n");
    while (n && (msg[n - 1] == ' ' || msg[n - 1] == '\t'))
        n--;
    return n ? xstrndup(msg, n) : NULL;
}

static void replace_str(char **dst, char *src)
{
    free(*dst);
    *dst = src;
}

static void notify(struct db *db)
{
    if (db->change_fn)
        db->change_fn(db->change_arg);
}

static void set_sqlstate(struct db_job *job, const char *s)
{
    size_t n = s ? strnlen(s, sizeof job->sqlstate - 1) : 0;

    memcpy(job->sqlstate, s ? s : "", n);
    job->sqlstate[n] = '\0';
}

static void cancel_timer(int *id)
{
    if (*id)
        loop_timer_cancel(*id);
    *id = 0;
}

/* ---- jobs --------------------------------------------------------------- */

struct db_job *db_job_new(const char *label, const char *sql, db_job_fn done,
                          void *arg)
{
    struct db_job *job = xcalloc(1, sizeof *job);

    job->label = xstrdup(label ? label : "");
    job->sql = xstrdup(sql ? sql : "");
    job->done = done;
    job->arg = arg;
    return job;
}

static void job_add_param(struct db_job *job, char *owned)
{
    job->params = xrealloc(job->params,
                           (size_t)(job->nparams + 1) * sizeof *job->params);
    job->params[job->nparams++] = owned;
}

void db_job_param(struct db_job *job, const char *value)
{
    job_add_param(job, xstrdup(value));
}

void db_job_paramf(struct db_job *job, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    job_add_param(job, xvasprintf(fmt, ap));
    va_end(ap);
}

static void job_clear_outcome(struct db_job *job)
{
    PQclear(job->result);
    job->result = NULL;
    replace_str(&job->error, NULL);
    replace_str(&job->error_detail, NULL);
    replace_str(&job->error_hint, NULL);
    replace_str(&job->notice, NULL);
    job->sqlstate[0] = '\0';
    job->error_pos = 0;
    job->rows = 0;
    job->copying = false;
}

void db_job_free(struct db_job *job)
{
    if (!job)
        return;
    job_clear_outcome(job);
    for (int i = 0; i < job->nparams; i++)
        free(job->params[i]);
    free(job->params);
    free(job->label);
    free(job->sql);
    free(job);
}

PGresult *db_job_take_result(struct db_job *job)
{
    PGresult *res = job->result;

    job->result = NULL;
    return res;
}

struct db_job *db_job_clone(const struct db_job *job)
{
    struct db_job *c = db_job_new(job->label, job->sql, NULL, NULL);

    c->write = job->write;
    c->once = job->once;
    c->tag = job->tag;
    c->status = job->status;
    c->error = xstrdup(job->error);
    c->error_detail = xstrdup(job->error_detail);
    c->error_hint = xstrdup(job->error_hint);
    c->notice = xstrdup(job->notice);
    memcpy(c->sqlstate, job->sqlstate, sizeof c->sqlstate);
    c->error_pos = job->error_pos;
    c->rows = job->rows;
    c->started_ms = job->started_ms;
    c->elapsed_ms = job->elapsed_ms;
    c->id = job->id;
    c->skipped = job->skipped;
    return c;
}

/* ---- the queue ---------------------------------------------------------- */

static void queue_push_back(struct db *db, struct db_job *job)
{
    job->next = NULL;
    if (db->tail)
        db->tail->next = job;
    else
        db->head = job;
    db->tail = job;
    db->nqueued++;
}

static void queue_push_front(struct db *db, struct db_job *job)
{
    job->next = db->head;
    db->head = job;
    if (!db->tail)
        db->tail = job;
    db->nqueued++;
}

static bool queue_remove(struct db *db, struct db_job *job)
{
    struct db_job **p = &db->head, *prev = NULL;

    while (*p && *p != job) {
        prev = *p;
        p = &(*p)->next;
    }
    if (!*p)
        return false;
    *p = job->next;
    if (db->tail == job)
        db->tail = prev;
    job->next = NULL;
    db->nqueued--;
    return true;
}

static struct db_job *queue_pop(struct db *db)
{
    struct db_job *job = db->head;

    if (job)
        queue_remove(db, job);
    return job;
}

/* ---- finishing jobs ----------------------------------------------------- */

static struct db_job *set_write_job(struct db *db, bool write);

/* A mode set inside a transaction is undone by its ROLLBACK: once the
 * transaction is over, the mode the console shows is set again. */
static void mode_reassert(struct db *db)
{
    if (!db->mode_in_tx || db->tx != PQTRANS_IDLE)
        return;
    db->mode_in_tx = false;
    queue_push_front(db, set_write_job(db, db->write));
}

/* Read-only mode holds whatever a statement did: a session turned
 * read-write behind the console's back (SET or RESET of
 * default_transaction_read_only, set_config, SESSION CHARACTERISTICS) is
 * set back at once; the server reports that setting after every
 * statement. The console's own mode switches are what change it. */
static void mode_guard(struct db *db, struct db_job *job)
{
    const char *ro = PQparameterStatus(db->conn,
                                       "default_transaction_read_only");

    if (db->write_applied || db->write || !ro || strcmp(ro, "off") != 0 ||
        strcmp(job->sql, SQL_SET_WRITE) == 0 ||
        strcmp(job->sql, SQL_SESSION_SETUP) == 0)
        return;
    queue_push_front(db, set_write_job(db, false));
    replace_str(&db->alert,
                xstrdup(_("Read-only mode: the session was made read-write "
                          "by a statement and is read-only again (use "
                          ":write to allow changes)")));
}

/* Ends a job: done() is called, then the job is freed. Never sends. */
static void job_finish(struct db *db, struct db_job *job,
                       enum db_job_status status)
{
    job->status = status;
    job->elapsed_ms = job->started_ms ? loop_now_ms() - job->started_ms : 0;
    if (db->running == job) {
        db->running = NULL;
        if (db->conn) {
            db->tx = PQtransactionStatus(db->conn);
            mode_guard(db, job);
        }
        mode_reassert(db);
    }
    notify(db);
    if (job->done)
        job->done(job, job->arg);
    db_job_free(job);
}

static void job_fail(struct db *db, struct db_job *job,
                     enum db_job_status status, const char *sqlstate,
                     const char *msg)
{
    job_clear_outcome(job);
    job->error = first_line(msg);
    if (!job->error)
        job->error = xstrdup(_("unknown error"));
    set_sqlstate(job, sqlstate);
    job_finish(db, job, status);
}

static void job_take_error(struct db_job *job, const PGresult *res)
{
    const char *f;

    if (job->error)         /* the first error is the one that matters */
        return;
    f = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
    job->error = f ? xstrdup(f) : first_line(PQresultErrorMessage(res));
    if (!job->error)
        job->error = xstrdup(_("unknown error"));
    job->error_detail = xstrdup(PQresultErrorField(res,
                                                   PG_DIAG_MESSAGE_DETAIL));
    job->error_hint = xstrdup(PQresultErrorField(res, PG_DIAG_MESSAGE_HINT));
    set_sqlstate(job, PQresultErrorField(res, PG_DIAG_SQLSTATE));
    f = PQresultErrorField(res, PG_DIAG_STATEMENT_POSITION);
    job->error_pos = f ? atoi(f) : 0;
}

static enum db_job_status job_outcome(const struct db_job *job)
{
    if (!job->error)
        return DB_JOB_OK;
    if (job->cancel_requested && strcmp(job->sqlstate, "57014") == 0)
        return DB_JOB_CANCELLED;
    return DB_JOB_ERROR;
}

/* ---- reading results ---------------------------------------------------- */

static void job_take_result(struct db *db, struct db_job *job, PGresult *res)
{
    switch (PQresultStatus(res)) {
    case PGRES_SINGLE_TUPLE:
        job->rows++;
        if (job->on_row)
            job->on_row(job, res, job->arg);
        PQclear(res);
        return;
    case PGRES_COPY_OUT:
        job->copying = true;
        PQclear(res);
        return;
    case PGRES_COPY_IN:
        /* Nothing here feeds COPY FROM STDIN: end it with an error. */
        PQputCopyEnd(db->conn, _("COPY FROM STDIN is not supported here"));
        PQclear(res);
        return;
    case PGRES_TUPLES_OK:
        job->rows += PQntuples(res);
        break;
    case PGRES_FATAL_ERROR:
    case PGRES_BAD_RESPONSE:
        job_take_error(job, res);
        break;
    default:
        break;
    }
    PQclear(job->result);
    job->result = res;
}

/* Drains COPY data already read; true when the copy has ended. */
static bool job_read_copy(struct db *db, struct db_job *job)
{
    char *buf;
    int n;

    while ((n = PQgetCopyData(db->conn, &buf, 1)) > 0) {
        job->rows++;
        if (job->on_copy)
            job->on_copy(job, buf, n, job->arg);
        PQfreemem(buf);
    }
    if (n == 0)
        return false;
    job->copying = false;   /* -1 ended, -2 failed: PQgetResult says which */
    return true;
}

static void db_read_results(struct db *db)
{
    struct db_job *job = db->running;

    while (job && db->running == job) {
        PGresult *res;

        if (job->copying && !job_read_copy(db, job))
            return;
        if (PQisBusy(db->conn))
            return;
        res = PQgetResult(db->conn);
        if (!res) {
            /* A dead connection is db_lost()'s to judge, not an error. */
            if (PQstatus(db->conn) != CONNECTION_BAD)
                job_finish(db, job, job_outcome(job));
            return;
        }
        job_take_result(db, job, res);
    }
}

/* ---- the socket ---------------------------------------------------------- */

/* Idle input: notifications, or the FATAL the server sends before it
 * closes the connection (parsed now: libpq drops unread input at EOF). */
static void db_read_idle(struct db *db)
{
    PGnotify *n;

    while ((n = PQnotifies(db->conn)))
        PQfreemem(n);
}

static void db_watch(struct db *db)
{
    int fd = PQsocket(db->conn);
    short events = POLLIN | (db->flush_pending ? POLLOUT : 0);

    if (fd == db->fd && events == db->events)
        return;
    if (db->fd >= 0 && db->fd != fd)
        loop_unwatch_fd(db->fd);
    db->fd = fd;
    db->events = events;
    if (fd >= 0)
        loop_watch_fd(fd, events, on_socket, db);
}

static void db_flush(struct db *db)
{
    int r = PQflush(db->conn);

    db->flush_pending = r == 1;
    if (r == 0 && db->running)
        db->running->flushed = true;
}

static void on_socket(void *arg, int fd, short revents)
{
    struct db *db = arg;
    bool ok = true;

    if (db->flush_pending)
        db_flush(db);
    if (revents & (POLLIN | POLLHUP | POLLERR))
        ok = PQconsumeInput(db->conn) == 1;
    if (!db->running)
        db_read_idle(db);
    db_read_results(db);
    if (!db->conn)
        return;
    if (!ok || PQstatus(db->conn) == CONNECTION_BAD) {
        db_lost(db);
        return;
    }
    db_watch(db);
    db_pump(db);
}

static void on_notice(void *arg, const PGresult *res)
{
    struct db *db = arg;
    const char *sev = PQresultErrorField(res, PG_DIAG_SEVERITY_NONLOCALIZED);
    const char *msg = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
    char *text = msg ? xstrdup(msg) : first_line(PQresultErrorMessage(res));

    /* A FATAL while idle arrives as a notice: it says why we were cut. */
    if (sev && (strcmp(sev, "FATAL") == 0 || strcmp(sev, "PANIC") == 0))
        replace_str(&db->fatal, text);
    else if (db->running)
        replace_str(&db->running->notice, text);
    else
        free(text);
}

static bool conn_ready(struct db *db)
{
    if (PQsetnonblocking(db->conn, 1) != 0)
        return false;
    PQsetNoticeReceiver(db->conn, on_notice, db);
    db->tx = PQtransactionStatus(db->conn);
    db->flush_pending = false;
    db->fd = -1;
    db_watch(db);
    return true;
}

static void drop_conn(struct db *db)
{
    if (db->fd >= 0)
        loop_unwatch_fd(db->fd);
    db->fd = -1;
    PQfinish(db->conn);
    db->conn = NULL;
    db->flush_pending = false;
    db->tx = PQTRANS_IDLE;
    cancel_timer(&db->attempt_timer);
}

/* ---- sending ------------------------------------------------------------ */

static void job_send(struct db *db, struct db_job *job)
{
    job->status = DB_JOB_RUNNING;
    job->flushed = false;
    db->running = job;
    if (!PQsendQueryParams(db->conn, job->sql, job->nparams, NULL,
                           (const char *const *)job->params, NULL, NULL, 0)) {
        if (PQstatus(db->conn) == CONNECTION_BAD) {
            db_lost(db);
            return;
        }
        job_fail(db, job, DB_JOB_ERROR, "", PQerrorMessage(db->conn));
        return;
    }
    if (job->single_row)
        PQsetSingleRowMode(db->conn);
    db_flush(db);
    db_watch(db);
    notify(db);
}

static bool job_refused(struct db *db, struct db_job *job)
{
    if (db->write_applied ||
        (!job->write && !sqlscan_unlocks_write(job->sql)))
        return false;
    job_fail(db, job, DB_JOB_ERROR, "25006",
             _("Refused: the session is read-only (use :write or --write to "
               "allow changes)"));
    return true;
}

/* A write at the head while a reader's transaction is open: the holder
 * ends that transaction first, with jobs put before this one. */
static bool holder_yield(struct db *db, struct db_job *job)
{
    void (*end)(void *) = db->holder_end;
    void *arg = db->holder_arg;

    if (!job->write || !end || db->tx == PQTRANS_IDLE)
        return false;
    db->holder_end = NULL;
    db->holder_arg = NULL;
    queue_push_front(db, job);
    end(arg);
    return true;
}

static void db_pump(struct db *db)
{
    struct db_job *job;

    while (db->state == DB_STATE_CONNECTED && !db->running &&
           db->cancel_fd < 0 && (job = queue_pop(db))) {
        if (holder_yield(db, job))
            continue;
        job->started_ms = loop_now_ms();
        if (job_refused(db, job))
            continue;
        if (job->before_send && !job->before_send(job, job->arg)) {
            job->skipped = true;
            job_finish(db, job, DB_JOB_OK);
            continue;
        }
        job_send(db, job);
    }
}

static void on_pump(void *arg)
{
    struct db *db = arg;

    db->pump_timer = 0;
    db_pump(db);
}

/* Jobs start from the loop, so done() never runs inside db_submit. */
static void schedule_pump(struct db *db)
{
    if (!db->pump_timer)
        db->pump_timer = loop_timer_add(0, false, on_pump, db);
}

void db_submit(struct db *db, struct db_job *job)
{
    job->id = ++db->next_id;
    job->status = DB_JOB_QUEUED;
    queue_push_back(db, job);
    schedule_pump(db);
}

void db_submit_first(struct db *db, struct db_job *job)
{
    job->id = ++db->next_id;
    job->status = DB_JOB_QUEUED;
    queue_push_front(db, job);
    schedule_pump(db);
}

void db_tx_holder_set(struct db *db, void (*end)(void *arg), void *arg)
{
    db->holder_end = end;
    db->holder_arg = arg;
}

void db_tx_holder_clear(struct db *db, const void *arg)
{
    if (db->holder_arg == arg) {
        db->holder_end = NULL;
        db->holder_arg = NULL;
    }
}

/* ---- cancel ------------------------------------------------------------- */

static void *cancel_main(void *arg)
{
    struct cancel_req *r = arg;
    char err[256];

    PQcancel(r->cancel, err, sizeof err);
    PQfreeCancel(r->cancel);
    close(r->wfd);          /* the loop sees end of file: the request is out */
    free(r);
    return NULL;
}

static void cancel_wait_end(struct db *db)
{
    if (db->cancel_fd >= 0) {
        loop_unwatch_fd(db->cancel_fd);
        close(db->cancel_fd);
    }
    db->cancel_fd = -1;
    cancel_timer(&db->cancel_timer);
}

/* Until the request has reached the server, the next job waits: a late
 * cancel must not hit the statement after the one it was meant for. */
static bool cancel_start(struct db *db, struct db_job *job);

#define RECANCEL_MS 300
#define RECANCEL_MAX 20

/* A cancel that reaches the server before the statement has started is
 * lost: while the same job still runs, ask again (a bounded number of
 * times). Jobs are compared by id: the one asked about may be gone. */
static void on_recancel(void *arg)
{
    struct db *db = arg;
    struct db_job *job = db->running;

    db->recancel_timer = 0;
    if (!job || job->id != db->recancel_job || ++db->recancels > RECANCEL_MAX)
        return;
    job->cancel_requested = false;
    cancel_start(db, job);
}

static void on_cancel_sent(void *arg, int fd, short revents)
{
    struct db *db = arg;

    cancel_wait_end(db);
    if (db->running && db->running->cancel_requested) {
        if (db->running->id != db->recancel_job)
            db->recancels = 0;
        db->recancel_job = db->running->id;
        cancel_timer(&db->recancel_timer);
        db->recancel_timer = loop_timer_add(RECANCEL_MS, false, on_recancel,
                                            db);
    }
    db_pump(db);
}

static void on_cancel_slow(void *arg)
{
    struct db *db = arg;

    db->cancel_timer = 0;
    cancel_wait_end(db);
    db_pump(db);
}

static bool cancel_thread(struct db *db, struct cancel_req *r)
{
    int p[2];
    pthread_t t;
    pthread_attr_t attr;
    bool ok;

    if (pipe2(p, O_CLOEXEC) < 0)
        return false;
    r->wfd = p[1];
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    ok = pthread_create(&t, &attr, cancel_main, r) == 0;
    pthread_attr_destroy(&attr);
    if (!ok) {
        close(p[0]);
        close(p[1]);
        return false;
    }
    db->cancel_fd = p[0];
    loop_watch_fd(p[0], POLLIN, on_cancel_sent, db);
    db->cancel_timer = loop_timer_add(CANCEL_WAIT_MS, false, on_cancel_slow,
                                      db);
    return true;
}

static bool cancel_start(struct db *db, struct db_job *job)
{
    struct cancel_req *r;

    if (job->cancel_requested)
        return true;
    if (!db->conn || db->cancel_fd >= 0)
        return false;
    r = xcalloc(1, sizeof *r);
    r->cancel = PQgetCancel(db->conn);
    if (!r->cancel) {
        free(r);
        return false;
    }
    job->cancel_requested = true;
    if (!cancel_thread(db, r)) {   /* no thread: cancel here, blocking */
        char err[256];

        PQcancel(r->cancel, err, sizeof err);
        PQfreeCancel(r->cancel);
        free(r);
    }
    return true;
}

bool db_cancel(struct db *db)
{
    return db->running && cancel_start(db, db->running);
}

static void job_cancel_queued(struct db *db, struct db_job *job)
{
    job_fail(db, job, DB_JOB_CANCELLED, "57014",
             _("cancelled before it was sent"));
}

bool db_job_cancel(struct db *db, struct db_job *job)
{
    if (db->running == job)
        return cancel_start(db, job);
    if (!queue_remove(db, job))
        return false;
    job_cancel_queued(db, job);
    return true;
}

/* The running job's owner is going away: tell it now, then forget it. */
static void orphan_running(struct db *db, struct db_job *job)
{
    cancel_start(db, job);
    job->cancel_requested = true;
    job->status = DB_JOB_CANCELLED;
    replace_str(&job->error, xstrdup(_("cancelled")));
    set_sqlstate(job, "57014");
    if (job->done)
        job->done(job, job->arg);
    job->done = NULL;
    job->on_row = NULL;
    job->on_copy = NULL;
    job->owner = NULL;
    job->status = DB_JOB_RUNNING;
    replace_str(&job->error, NULL);
    job->sqlstate[0] = '\0';
}

void db_drop_owner(struct db *db, const void *owner)
{
    struct db_job *dropped = NULL, **tail = &dropped, *j, *next;

    /* Unlink first: a done() may submit or cancel other jobs. */
    for (j = db->head; j; j = next) {
        next = j->next;
        if (j->owner == owner && queue_remove(db, j)) {
            *tail = j;
            tail = &j->next;
        }
    }
    for (j = dropped; j; j = next) {
        next = j->next;
        job_cancel_queued(db, j);
    }
    if (db->running && owner && db->running->owner == owner)
        orphan_running(db, db->running);
}

/* ---- lost connection and reconnection ----------------------------------- */

static void on_retry(void *arg);

static void schedule_retry(struct db *db)
{
    if (!db->backoff_ms)
        db->backoff_ms = BACKOFF_FIRST_MS;
    db->retry_timer = loop_timer_add(db->backoff_ms, false, on_retry, db);
    db->backoff_ms *= 2;
    if (db->backoff_ms > BACKOFF_MAX_MS)
        db->backoff_ms = BACKOFF_MAX_MS;
}

static void set_lost_reason(struct db *db)
{
    char *why = db->fatal ? xstrdup(db->fatal)
                          : first_line(db->conn ? PQerrorMessage(db->conn)
                                                : NULL);

    replace_str(&db->lost_reason,
                why ? why : xstrdup(_("the connection was lost")));
    replace_str(&db->fatal, NULL);
}

/* Whether the server might have run it: sent in full, or rows came back. */
static bool job_maybe_ran(const struct db_job *job)
{
    return job->flushed || job->rows > 0;
}

static void job_lost(struct db *db, struct db_job *job, bool in_tx)
{
    bool no_resend = in_tx || job->write || job->once || job->resent ||
                     job->rows > 0;

    if (job->cancel_requested) {
        job_fail(db, job, DB_JOB_CANCELLED, "57014", _("cancelled"));
    } else if (job_maybe_ran(job) && no_resend) {
        job_fail(db, job, DB_JOB_LOST, "08006",
                 job->write || (job->once && db->write)
                     ? _("The connection was lost while this write "
                         "ran: whether it committed is unknown")
                            : _("The connection was lost while this "
                                "statement ran: its outcome is unknown"));
    } else if (in_tx) {
        job_fail(db, job, DB_JOB_LOST, "08006",
                 _("The connection was lost inside a transaction: the server "
                   "rolled it back, and this statement did not run"));
    } else {
        /* Not sent, or a read sent once: safe to send (again). */
        job->resent = job->resent || job->flushed;
        job_clear_outcome(job);
        job->status = DB_JOB_QUEUED;
        queue_push_front(db, job);
    }
}

/* Queued jobs were meant for a transaction that no longer exists. */
static void fail_queue_lost_tx(struct db *db)
{
    struct db_job *j;

    while ((j = queue_pop(db)))
        job_lost(db, j, true);
}

static void db_lost(struct db *db)
{
    struct db_job *job = db->running;
    bool in_tx = db->tx == PQTRANS_INTRANS || db->tx == PQTRANS_INERROR;

    set_lost_reason(db);
    drop_conn(db);
    db->running = NULL;
    db->holder_end = NULL;      /* the transaction it held is gone */
    db->holder_arg = NULL;
    db->state = DB_STATE_LOST;
    db->write_applied = false;
    schedule_retry(db);
    if (job)
        job_lost(db, job, in_tx);
    if (in_tx)
        fail_queue_lost_tx(db);
    notify(db);
}

static void attempt_failed(struct db *db)
{
    set_lost_reason(db);
    drop_conn(db);
    db->state = DB_STATE_LOST;
    schedule_retry(db);
    notify(db);
}

static void on_attempt_timeout(void *arg)
{
    struct db *db = arg;

    db->attempt_timer = 0;
    attempt_failed(db);
}

static void on_connect_poll(void *arg, int fd, short revents);

static void watch_connecting(struct db *db, short events)
{
    int fd = PQsocket(db->conn);

    if (db->fd >= 0 && db->fd != fd)
        loop_unwatch_fd(db->fd);
    db->fd = fd;
    if (fd >= 0)
        loop_watch_fd(fd, events, on_connect_poll, db);
}

static struct db_job *setup_job(struct db *db);

static void reconnected(struct db *db)
{
    cancel_timer(&db->attempt_timer);
    if (!conn_ready(db)) {
        attempt_failed(db);
        return;
    }
    db->state = DB_STATE_CONNECTED;
    db->backoff_ms = 0;
    replace_str(&db->lost_reason, NULL);
    queue_push_front(db, setup_job(db));
    notify(db);
    db_pump(db);
}

static void on_connect_poll(void *arg, int fd, short revents)
{
    struct db *db = arg;

    switch (PQconnectPoll(db->conn)) {
    case PGRES_POLLING_READING:
        watch_connecting(db, POLLIN);
        break;
    case PGRES_POLLING_WRITING:
        watch_connecting(db, POLLOUT);
        break;
    case PGRES_POLLING_OK:
        reconnected(db);
        break;
    default:
        attempt_failed(db);
        break;
    }
}

static void on_retry(void *arg)
{
    struct db *db = arg;

    db->retry_timer = 0;
    db->conn = PQconnectStartParams(db->keys, db->vals, 1);
    if (!db->conn || PQstatus(db->conn) == CONNECTION_BAD) {
        attempt_failed(db);
        return;
    }
    db->state = DB_STATE_RECONNECTING;
    db->fd = -1;
    db->attempt_timer = loop_timer_add(ATTEMPT_MAX_MS, false,
                                       on_attempt_timeout, db);
    watch_connecting(db, POLLOUT);  /* as if PQconnectPoll said WRITING */
    notify(db);
}

/* ---- the session -------------------------------------------------------- */

static void on_setup_done(struct db_job *job, void *arg)
{
    struct db *db = arg;

    if (job->status == DB_JOB_OK)
        db->write_applied = job->tag;
}

/* Same statement as at connect, with the mode the console is in now. */
static struct db_job *setup_job(struct db *db)
{
    struct db_job *job = db_job_new(_("Session set-up"), SQL_SESSION_SETUP,
                                    on_setup_done, db);

    job->id = ++db->next_id;
    job->tag = db->write;
    db_job_param(job, db->timeout);
    db_job_param(job, db->write ? "off" : "on");
    db_job_param(job, db->schema);
    return job;
}

static void on_set_write_done(struct db_job *job, void *arg)
{
    struct db *db = arg;

    if (job->status == DB_JOB_OK) {
        db->write_applied = job->tag;
        db->mode_in_tx = db->mode_in_tx || db->tx != PQTRANS_IDLE;
    } else if (job->status != DB_JOB_LOST) {
        db->write = db->write_applied;  /* the badge shows what holds */
    }
    notify(db);
}

static struct db_job *set_write_job(struct db *db, bool write)
{
    struct db_job *job = db_job_new(write ? _("Write mode")
                                          : _("Read-only mode"),
                                    SQL_SET_WRITE, on_set_write_done, db);

    job->id = ++db->next_id;
    job->tag = write;
    db_job_param(job, write ? "off" : "on");
    return job;
}

void db_set_write(struct db *db, bool write)
{
    db->write = write;
    db_submit(db, set_write_job(db, write));
    notify(db);
}

static char *result_error(const PGresult *res, const PGconn *conn)
{
    const char *f = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
    char *msg = f ? xstrdup(f) : first_line(PQresultErrorMessage(res));

    if (!msg)
        msg = first_line(PQerrorMessage(conn));
    return msg ? msg : xstrdup(_("unknown error"));
}

static char *dup_value(const PGresult *res, int col)
{
    return PQgetisnull(res, 0, col) ? NULL
                                    : xstrdup(PQgetvalue(res, 0, col));
}

static void info_fill(struct db *db, const PGresult *res)
{
    struct db_info *in = &db->info;
    const char *v = PQgetvalue(res, 0, 1);

    in->user = dup_value(res, 0);
    in->server_version_str = xstrndup(v, strcspn(v, " "));
    in->postgis_version = dup_value(res, 2);
    in->pgss_version = dup_value(res, 3);
    in->pgss_preloaded = strcmp(PQgetvalue(res, 0, 4), "t") == 0;
    in->superuser = strcmp(PQgetvalue(res, 0, 5), "t") == 0;
    in->current_schema = dup_value(res, 6);
    if (!in->current_schema && db->schema)
        replace_str(&db->alert,
                    xasprintf(_("The schema \"%s\" of the connection "
                                "(?schema=) does not exist: names must be "
                                "schema-qualified"), db->schema));
    in->host = xstrdup(PQhost(db->conn));
    in->port = xstrdup(PQport(db->conn));
    in->dbname = xstrdup(PQdb(db->conn));
    in->server_version = PQserverVersion(db->conn);
}

static bool exec_ok(struct db *db, PGresult *res, char **err)
{
    bool ok = PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1;

    if (!ok) {
        char *why = result_error(res, db->conn);
        *err = xasprintf(_("session set-up failed: %s"), why);
        free(why);
    }
    return ok;
}

static char *connect_error(PGconn *conn)
{
    char *why = conn ? first_line(PQerrorMessage(conn)) : NULL;

    return why ? why : xstrdup(_("could not connect to the server"));
}

/* What libpq knows, when the identification query cannot run. */
static void info_fill_basic(struct db *db)
{
    struct db_info *in = &db->info;
    const char *v = PQparameterStatus(db->conn, "server_version");

    in->user = xstrdup(PQuser(db->conn));
    in->server_version_str = v ? xstrndup(v, strcspn(v, " ")) : NULL;
    in->host = xstrdup(PQhost(db->conn));
    in->port = xstrdup(PQport(db->conn));
    in->dbname = xstrdup(PQdb(db->conn));
    in->server_version = PQserverVersion(db->conn);
}

static bool session_init_sync(struct db *db, char **err)
{
    const char *p[3] = { db->timeout, db->write ? "off" : "on", db->schema };
    PGresult *res = PQexecParams(db->conn, SQL_SESSION_SETUP, 3, NULL, p,
                                 NULL, NULL, 0);
    bool ok = exec_ok(db, res, err);

    PQclear(res);
    if (!ok)
        return false;
    res = PQexec(db->conn, SQL_SESSION_INFO);
    if (PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1 &&
        PQnfields(res) == 7)
        info_fill(db, res);
    else
        info_fill_basic(db);
    PQclear(res);
    if (PQstatus(db->conn) != CONNECTION_OK) {
        *err = connect_error(db->conn);
        return false;
    }
    return true;
}

/* Later keywords win: application_name after the expanded conninfo. */
static void conn_params(struct db *db)
{
    int i = 0;

    if (!getenv("PGCONNECT_TIMEOUT")) {
        db->keys[i] = "connect_timeout";
        db->vals[i++] = "10";
    }
    db->keys[i] = "dbname";
    db->vals[i++] = db->conninfo;
    db->keys[i] = "application_name";
    db->vals[i++] = "degux-console";
    db->keys[i] = NULL;
    db->vals[i] = NULL;
}

struct db *db_connect(const char *conninfo, const char *schema,
                      int statement_timeout_ms, bool write, char **err)
{
    struct db *db = xcalloc(1, sizeof *db);

    db->fd = db->cancel_fd = -1;
    db->conninfo = xstrdup(conninfo ? conninfo : "");
    db->schema = schema && *schema ? xstrdup(schema) : NULL;
    db->timeout = xasprintf("%d", statement_timeout_ms > 0
                                      ? statement_timeout_ms : 0);
    db->write = db->write_applied = write;
    conn_params(db);
    db->conn = PQconnectdbParams(db->keys, db->vals, 1);
    if (!db->conn || PQstatus(db->conn) != CONNECTION_OK) {
        *err = connect_error(db->conn);
    } else if (session_init_sync(db, err)) {
        if (conn_ready(db))
            return db;
        *err = connect_error(db->conn);
    }
    db_close(db);
    return NULL;
}

static void info_free(struct db_info *in)
{
    free(in->user);
    free(in->host);
    free(in->port);
    free(in->dbname);
    free(in->server_version_str);
    free(in->postgis_version);
    free(in->pgss_version);
    free(in->current_schema);
}

void db_close(struct db *db)
{
    struct db_job *j;

    if (!db)
        return;
    cancel_timer(&db->pump_timer);
    cancel_timer(&db->retry_timer);
    cancel_timer(&db->recancel_timer);
    cancel_wait_end(db);
    drop_conn(db);
    db_job_free(db->running);
    while ((j = queue_pop(db)))
        db_job_free(j);
    info_free(&db->info);
    free(db->conninfo);
    free(db->schema);
    free(db->timeout);
    free(db->lost_reason);
    free(db->fatal);
    free(db->alert);
    free(db);
}

/* ---- accessors ---------------------------------------------------------- */

const struct db_info *db_info(const struct db *db)
{
    return &db->info;
}

enum db_state db_state(const struct db *db)
{
    return db->state;
}

char *db_take_alert(struct db *db)
{
    char *a = db->alert;

    db->alert = NULL;
    return a;
}

const char *db_lost_reason(const struct db *db)
{
    return db->state == DB_STATE_CONNECTED ? NULL : db->lost_reason;
}

bool db_write_mode(const struct db *db)
{
    return db->write;
}

bool db_in_transaction(const struct db *db)
{
    return db->conn && (db->tx == PQTRANS_INTRANS ||
                        db->tx == PQTRANS_INERROR ||
                        db->tx == PQTRANS_ACTIVE);
}

PGconn *db_conn(struct db *db)
{
    return db->conn;
}

void db_on_change(struct db *db, void (*fn)(void *arg), void *arg)
{
    db->change_fn = fn;
    db->change_arg = arg;
}

const struct db_job *db_running(const struct db *db)
{
    return db->running;
}

int db_queued(const struct db *db)
{
    return db->nqueued;
}

/* ---- blocking helpers --------------------------------------------------- */

void db_wait_idle(struct db *db)
{
    while (db->running || db->head || db->cancel_fd >= 0)
        loop_run_once(-1);
}

static PGresult *sync_outcome(struct db *db, PGresult *res, char **err)
{
    ExecStatusType st = PQresultStatus(res);

    if (PQstatus(db->conn) == CONNECTION_BAD) {
        *err = result_error(res, db->conn);
        PQclear(res);
        db_lost(db);
        return NULL;
    }
    db->tx = PQtransactionStatus(db->conn);
    if (st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK ||
        st == PGRES_EMPTY_QUERY)
        return res;
    *err = result_error(res, db->conn);
    PQclear(res);
    return NULL;
}

PGresult *db_exec_sync(struct db *db, const char *sql, int nparams,
                       const char *const *params, char **err)
{
    *err = NULL;
    db_wait_idle(db);
    if (db->state != DB_STATE_CONNECTED || !db->conn) {
        *err = xstrdup(db->lost_reason ? db->lost_reason
                                       : _("not connected to the server"));
        return NULL;
    }
    return sync_outcome(db, PQexecParams(db->conn, sql, nparams, NULL, params,
                                         NULL, NULL, 0),
                        err);
}
