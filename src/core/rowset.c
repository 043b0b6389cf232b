/* A statement's rows for a grid. Queries go through a SCROLL cursor in our
 * own transaction (or a savepoint of the user's); at most CACHE_PAGES pages
 * are held, fetched on demand with MOVE ABSOLUTE + FETCH FORWARD, and the
 * total is counted by MOVE FORWARD ALL, so memory stays constant. */
#include "autoconfig.h"

#include "core/rowset.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/loop.h"
#include "core/sqlscan.h"
#include "core/xalloc.h"
#include "i18n.h"

#define PAGE_ROWS 500
#define CACHE_PAGES 8

enum step {
    STEP_BEGIN, STEP_SAVEPOINT, STEP_DECLARE, STEP_FIRST, STEP_COUNT,
    STEP_MOVE, STEP_PAGE, STEP_PLAIN, STEP_UNDO, STEP_END, STEP_REDECLARE,
};

struct page {
    long index;             /* page number; -1: slot free */
    PGresult *res;
    unsigned long used;     /* LRU clock */
};

struct rowset {
    struct db *db;
    char *sql;              /* the user's text: error positions refer to it */
    int nparams;
    char **params;
    rowset_fn fn;
    void *arg;
    enum rowset_status status;
    struct db_job *error;   /* a clone, positions adjusted */
    char *command;
    bool has_rows;
    double t0, elapsed_ms;

    char cursor[32];
    int cursor_slot;        /* in cursors_used, or -1 */
    size_t prefix_len;      /* of "DECLARE ... FOR " before the user's sql */
    bool owned;             /* we sent BEGIN: COMMIT is ours */
    bool savepoint;         /* inside the user's transaction */
    bool declared, ended;   /* the cursor exists; its end was queued */
    bool detached;          /* a write ended our transaction: the cursor is
                               declared again when rows are wanted */
    bool dropping;          /* cancelling our queued jobs: no reactions */
    bool no_count;          /* the user stopped the count: rows stay
                               browsable, the total unknown */

    PGresult *shape;        /* column names and types, no rows */
    PGresult *whole;        /* a plain statement's result */
    struct page pages[CACHE_PAGES];
    unsigned long clock;
    long total;             /* -1 until known */
    long known;
    long pos;               /* cursor position as PostgreSQL counts it */
    bool fetching, counting;
    long fetch_page;
    long want_first, want_count;

    struct db_job **live;   /* our queued or running jobs */
    int nlive, cap;
    int busy;               /* nesting of our own calls: no free inside */
    bool closing;
};

/* Cursor names are reused (the lowest free number), so that
 * pg_stat_statements keeps one FETCH entry instead of one per result. */
static uint64_t cursors_used;
static int cursor_counter = 64;

static void cursor_name(struct rowset *rs)
{
    int slot = 0;

    while (slot < 64 && (cursors_used >> slot & 1))
        slot++;
    if (slot < 64) {
        cursors_used |= UINT64_C(1) << slot;
        rs->cursor_slot = slot;
        snprintf(rs->cursor, sizeof rs->cursor, "degux_c%d", slot + 1);
    } else {
        rs->cursor_slot = -1;
        snprintf(rs->cursor, sizeof rs->cursor, "degux_c%d",
                 ++cursor_counter);
    }
}

static bool step_is_cursor_work(int step)
{
    return step == STEP_DECLARE || step == STEP_FIRST || step == STEP_COUNT ||
           step == STEP_MOVE || step == STEP_PAGE ||
           step == STEP_REDECLARE;
}

/* ---- bookkeeping ---------------------------------------------------------- */

static void live_add(struct rowset *rs, struct db_job *job)
{
    if (rs->nlive == rs->cap) {
        rs->cap = rs->cap ? rs->cap * 2 : 8;
        rs->live = xrealloc(rs->live, (size_t)rs->cap * sizeof *rs->live);
    }
    rs->live[rs->nlive++] = job;
}

static void live_remove(struct rowset *rs, const struct db_job *job)
{
    for (int i = 0; i < rs->nlive; i++) {
        if (rs->live[i] == job) {
            rs->live[i] = rs->live[--rs->nlive];
            return;
        }
    }
}

static void rs_free(struct rowset *rs)
{
    /* Freed after its CLOSE or COMMIT: the name is free on the server. */
    if (rs->cursor_slot >= 0)
        cursors_used &= ~(UINT64_C(1) << rs->cursor_slot);
    db_tx_holder_clear(rs->db, rs);
    for (int i = 0; i < CACHE_PAGES; i++)
        PQclear(rs->pages[i].res);
    PQclear(rs->shape);
    PQclear(rs->whole);
    db_job_free(rs->error);
    for (int i = 0; i < rs->nparams; i++)
        free(rs->params[i]);
    free(rs->params);
    free(rs->live);
    free(rs->command);
    free(rs->sql);
    free(rs);
}

static void rs_hold(struct rowset *rs)
{
    rs->busy++;
}

static void rs_release(struct rowset *rs)
{
    if (--rs->busy == 0 && rs->closing && rs->nlive == 0)
        rs_free(rs);
}

static void rs_notify(struct rowset *rs)
{
    if (rs->fn && !rs->closing)
        rs->fn(rs, rs->arg);
}

static void on_job(struct db_job *job, void *arg);

static struct db_job *rs_job(struct rowset *rs, enum step step,
                             const char *label, const char *sql,
                             db_send_fn before)
{
    struct db_job *job = db_job_new(label, sql, on_job, rs);

    job->tag = step;
    job->owner = rs;
    job->before_send = before;
    live_add(rs, job);
    return job;
}

static struct db_job *rs_submit(struct rowset *rs, enum step step,
                                const char *label, const char *sql,
                                db_send_fn before)
{
    struct db_job *job = rs_job(rs, step, label, sql, before);

    db_submit(rs->db, job);
    return job;
}

/* Next in line, before other panes' jobs: what ends our transaction must
 * not let them run inside it (or inside its aborted remains). */
static void rs_submit_first(struct rowset *rs, enum step step,
                            const char *sql, db_send_fn before)
{
    db_submit_first(rs->db, rs_job(rs, step, _("Query: closing"), sql,
                                   before));
}

/* Cancels our queued cursor work (the running job is left alone). */
static void rs_drop_queued(struct rowset *rs)
{
    const struct db_job *running = db_running(rs->db);

    rs->dropping = true;
    for (int i = rs->nlive - 1; i >= 0; i--)
        if (i < rs->nlive && rs->live[i] != running &&
            step_is_cursor_work(rs->live[i]->tag))
            db_job_cancel(rs->db, rs->live[i]);
    rs->dropping = false;
}

/* "VERB cursor": a statement about our cursor. */
static void add_params(struct rowset *rs, struct db_job *job)
{
    for (int i = 0; i < rs->nparams; i++)
        db_job_param(job, rs->params[i]);
}

/* ---- errors ------------------------------------------------------------- */

static void rs_fail(struct rowset *rs, const struct db_job *job, int pos)
{
    if (rs->status == ROWSET_ERROR)
        return;
    rs->error = db_job_clone(job);
    free(rs->error->sql);
    rs->error->sql = xstrdup(rs->sql);
    rs->error->error_pos = pos > 0 ? pos : 0;
    if (!rs->error->error)
        rs->error->error = xstrdup(_("unknown error"));
    rs->status = ROWSET_ERROR;
    rs->fetching = rs->counting = false;
}

/* A position in "DECLARE c SCROLL CURSOR FOR <sql>", moved into <sql>. */
static int declare_pos(const struct rowset *rs, int pos)
{
    return pos > (int)rs->prefix_len ? pos - (int)rs->prefix_len : 0;
}

/* ---- the end of the cursor and of our transaction ------------------------ */

static bool close_needed(struct db_job *job, void *arg)
{
    struct rowset *rs = arg;

    return rs->declared && !rs->owned;  /* COMMIT closes it otherwise */
}

static bool release_needed(struct db_job *job, void *arg)
{
    struct rowset *rs = arg;

    return rs->savepoint && rs->declared;
}

static bool commit_needed(struct db_job *job, void *arg)
{
    struct rowset *rs = arg;

    return rs->owned;
}

/* COMMIT of an aborted transaction rolls it back: one statement serves.
 * Pushed to the front in reverse: CLOSE, RELEASE, COMMIT run next. */
static void rs_end_cursor(struct rowset *rs)
{
    char *close;

    if (rs->ended)
        return;
    rs->ended = true;
    db_tx_holder_clear(rs->db, rs);
    rs_drop_queued(rs);
    rs_submit_first(rs, STEP_END, "COMMIT", commit_needed);
    rs_submit_first(rs, STEP_END, "RELEASE SAVEPOINT degux_sp",
                    release_needed);
    close = xasprintf("CLOSE %s", rs->cursor);
    rs_submit_first(rs, STEP_END, close, close_needed);
    free(close);
}

/* ---- plain statements ---------------------------------------------------- */

static void rs_start_plain(struct rowset *rs)
{
    struct db_job *job = rs_job(rs, STEP_PLAIN, _("Statement"), rs->sql,
                                NULL);

    /* Whatever it does, it is not done twice behind the user's back. */
    job->once = true;
    add_params(rs, job);
    db_submit(rs->db, job);
}

static void plain_done(struct rowset *rs, struct db_job *job)
{
    PGresult *res;

    rs->elapsed_ms = rs->t0 ? loop_now_ms() - rs->t0 : job->elapsed_ms;
    if (job->status != DB_JOB_OK) {
        rs_fail(rs, job, job->error_pos);
        return;
    }
    res = db_job_take_result(job);
    rs->command = xstrdup(res ? PQcmdStatus(res) : "");
    if (res && PQresultStatus(res) == PGRES_TUPLES_OK && PQnfields(res)) {
        rs->whole = res;
        rs->has_rows = true;
        rs->total = rs->known = PQntuples(res);
        rs->shape = PQcopyResult(res, PG_COPYRES_ATTRS);
    } else {
        PQclear(res);
    }
    rs->status = ROWSET_READY;
}

/* ---- the page cache ------------------------------------------------------ */

static struct page *page_find(struct rowset *rs, long index)
{
    for (int i = 0; i < CACHE_PAGES; i++)
        if (rs->pages[i].res && rs->pages[i].index == index)
            return &rs->pages[i];
    return NULL;
}

static bool page_wanted(const struct rowset *rs, long index)
{
    long first = rs->want_first / PAGE_ROWS;
    long last = (rs->want_first + (rs->want_count ? rs->want_count : 1) - 1)
                / PAGE_ROWS;

    return index >= first && index <= last;
}

/* The least recently used slot that the grid is not showing. */
static struct page *page_victim(struct rowset *rs)
{
    struct page *best = NULL;

    for (int i = 0; i < CACHE_PAGES; i++) {
        struct page *p = &rs->pages[i];
        if (!p->res)
            return p;
        if (page_wanted(rs, p->index))
            continue;
        if (!best || p->used < best->used)
            best = p;
    }
    return best ? best : &rs->pages[0];
}

static void page_store(struct rowset *rs, long index, PGresult *res)
{
    struct page *p = page_find(rs, index);

    if (!p)
        p = page_victim(rs);
    PQclear(p->res);
    *p = (struct page){ index, res, ++rs->clock };
}

/* ---- fetching ------------------------------------------------------------ */

static bool rs_idle(const struct rowset *rs)
{
    return (rs->declared || rs->detached) && !rs->ended && !rs->fetching &&
           !rs->counting && !rs->closing && rs->status == ROWSET_READY;
}

static void rs_redeclare(struct rowset *rs);

static long missing_page(struct rowset *rs)
{
    long first = rs->want_first / PAGE_ROWS;
    long last = (rs->want_first + rs->want_count - 1) / PAGE_ROWS;

    if (rs->want_count <= 0)
        return -1;
    for (long i = first < 0 ? 0 : first; i <= last; i++) {
        if (rs->total >= 0 && i * PAGE_ROWS >= rs->total)
            break;
        if (!page_find(rs, i))
            return i;
    }
    return -1;
}

static void rs_fetch(struct rowset *rs)
{
    long index = rs_idle(rs) ? missing_page(rs) : -1;
    char *sql;

    if (rs_idle(rs) && rs->detached &&
        (index >= 0 || (rs->total < 0 && !rs->no_count))) {
        rs_redeclare(rs);
        return;
    }
    if (index < 0 || rs->detached)
        return;
    rs->fetching = true;
    rs->fetch_page = index;
    if (rs->pos != index * PAGE_ROWS) {
        sql = xasprintf("MOVE ABSOLUTE %ld IN %s", index * PAGE_ROWS,
                        rs->cursor);
        rs_submit(rs, STEP_MOVE, _("Query: moving"), sql, NULL);
        free(sql);
    }
    sql = xasprintf("FETCH FORWARD %d FROM %s", PAGE_ROWS, rs->cursor);
    rs_submit(rs, STEP_PAGE, _("Query: fetching rows"), sql, NULL);
    free(sql);
}

/* Rows received from position start: where the cursor is now, and the
 * total when the page came back short. */
static void rs_got_rows(struct rowset *rs, long start, long n)
{
    if (start + n > rs->known)
        rs->known = start + n;
    rs->pos = start + n;
    if (n < PAGE_ROWS) {
        rs->total = start + n;
        rs->pos = rs->total + 1;    /* after the last row */
    }
}

static void page_done(struct rowset *rs, struct db_job *job)
{
    long start = rs->fetch_page * PAGE_ROWS;
    PGresult *res;

    rs->fetching = false;
    if (job->status != DB_JOB_OK) {
        rs_fail(rs, job, 0);
        rs_end_cursor(rs);
        return;
    }
    res = db_job_take_result(job);
    rs_got_rows(rs, start, PQntuples(res));
    page_store(rs, rs->fetch_page, res);
    rs_fetch(rs);
}

static void move_done(struct rowset *rs, struct db_job *job)
{
    if (job->status != DB_JOB_OK) {
        rs->fetching = false;
        rs_fail(rs, job, 0);
        rs_end_cursor(rs);
        return;
    }
    rs->pos = rs->fetch_page * PAGE_ROWS;
}

static void rs_detach(struct rowset *rs);

static void count_done(struct rowset *rs, struct db_job *job)
{
    rs->counting = false;
    if (job->status == DB_JOB_CANCELLED && rs->owned) {
        rs->no_count = true;    /* Esc: stop counting, keep browsing */
        rs_detach(rs);
        return;
    }
    if (job->status != DB_JOB_OK) {
        rs_fail(rs, job, 0);
        rs_end_cursor(rs);
        return;
    }
    rs->total = rs->known = rs->pos + atol(PQcmdTuples(job->result));
    rs->pos = rs->total + 1;
    free(rs->command);
    rs->command = xasprintf("SELECT %ld", rs->total);
    rs_fetch(rs);
}

/* ---- the cursor ---------------------------------------------------------- */

static bool begin_needed(struct db_job *job, void *arg)
{
    struct rowset *rs = arg;

    if (!rs->t0)
        rs->t0 = job->started_ms;
    rs->owned = !db_in_transaction(rs->db);
    return rs->owned;
}

/* In the user's transaction a refused DECLARE must not abort it. */
static bool savepoint_needed(struct db_job *job, void *arg)
{
    struct rowset *rs = arg;

    rs->savepoint = !rs->owned && db_in_transaction(rs->db);
    return rs->savepoint;
}

static bool first_needed(struct db_job *job, void *arg)
{
    return ((struct rowset *)arg)->declared;
}

static void rs_start_cursor(struct rowset *rs)
{
    char *declare;

    cursor_name(rs);
    declare = xasprintf("DECLARE %s SCROLL CURSOR FOR ", rs->cursor);
    rs->prefix_len = strlen(declare);
    rs_submit(rs, STEP_BEGIN, _("Query"), "BEGIN", begin_needed);
    rs_submit(rs, STEP_SAVEPOINT, _("Query"), "SAVEPOINT degux_sp",
              savepoint_needed);
    free(declare);
    declare = xasprintf("DECLARE %s SCROLL CURSOR FOR %s", rs->cursor,
                        rs->sql);
    add_params(rs, rs_submit(rs, STEP_DECLARE, _("Query"), declare, NULL));
    free(declare);
    declare = xasprintf("FETCH FORWARD %d FROM %s", PAGE_ROWS, rs->cursor);
    rs_submit(rs, STEP_FIRST, _("Query: first rows"), declare, first_needed);
    free(declare);
}

static void rs_start_count(struct rowset *rs)
{
    char *sql = xasprintf("MOVE FORWARD ALL IN %s", rs->cursor);
    struct db_job *job = rs_job(rs, STEP_COUNT, _("Query: counting rows"),
                                sql, NULL);

    rs->counting = true;
    job->background = true;
    db_submit(rs->db, job);
    free(sql);
}

/* After a write ended our transaction: the same cursor again, from the
 * start (the rows may have changed; those cached are kept). */
static void rs_redeclare(struct rowset *rs)
{
    char *declare = xasprintf("DECLARE %s SCROLL CURSOR FOR %s", rs->cursor,
                              rs->sql);

    rs->detached = false;
    rs->pos = 0;
    rs_submit(rs, STEP_BEGIN, _("Query"), "BEGIN", begin_needed);
    rs_submit(rs, STEP_SAVEPOINT, _("Query"), "SAVEPOINT degux_sp",
              savepoint_needed);
    add_params(rs, rs_submit(rs, STEP_REDECLARE, _("Query"), declare, NULL));
    free(declare);
}

static void redeclare_done(struct rowset *rs, struct db_job *job)
{
    if (job->status != DB_JOB_OK) {
        rs_fail(rs, job, declare_pos(rs, job->error_pos));
        rs_end_cursor(rs);
        return;
    }
    if (rs->total < 0 && !rs->no_count)
        rs_start_count(rs);
    rs_fetch(rs);
}

/* Our transaction ends now; the cursor is declared again when rows are
 * wanted (the cached ones are kept). */
static void rs_detach(struct rowset *rs)
{
    db_tx_holder_clear(rs->db, rs);
    rs_drop_queued(rs);
    rs->owned = rs->declared = rs->fetching = rs->counting = false;
    rs->detached = true;
    rs_submit_first(rs, STEP_END, "COMMIT", NULL);
}

/* db needs our transaction over before a write. */
static void rs_yield_tx(void *arg)
{
    struct rowset *rs = arg;

    rs_detach(rs);
    rs_fetch(rs);
}

/* What DECLARE refuses that runs fine alone: data-modifying WITH, SELECT
 * INTO, FOR UPDATE with SCROLL, and text that is no query after all. */
static bool declare_refused(const struct db_job *job)
{
    return strcmp(job->sqlstate, "42601") == 0 ||
           strcmp(job->sqlstate, "0A000") == 0;
}

static bool undo_owned(struct db_job *job, void *arg)
{
    return ((struct rowset *)arg)->owned;
}

static bool undo_savepoint(struct db_job *job, void *arg)
{
    return ((struct rowset *)arg)->savepoint;
}

static void rs_fall_back(struct rowset *rs)
{
    rs->ended = true;
    db_tx_holder_clear(rs->db, rs);
    rs_drop_queued(rs);
    rs_submit_first(rs, STEP_UNDO, "RELEASE SAVEPOINT degux_sp",
                    undo_savepoint);
    rs_submit_first(rs, STEP_UNDO, "ROLLBACK TO SAVEPOINT degux_sp",
                    undo_savepoint);
    rs_submit_first(rs, STEP_UNDO, "ROLLBACK", undo_owned);
    rs_start_plain(rs);
}

static void declare_done(struct rowset *rs, struct db_job *job)
{
    if (job->status == DB_JOB_OK)
        return;
    if (job->status == DB_JOB_ERROR && declare_refused(job)) {
        rs_fall_back(rs);
        return;
    }
    rs_fail(rs, job, declare_pos(rs, job->error_pos));
    rs_end_cursor(rs);
}

static void first_done(struct rowset *rs, struct db_job *job)
{
    PGresult *res;

    if (job->skipped || rs->status == ROWSET_ERROR)
        return;
    rs->elapsed_ms = loop_now_ms() - rs->t0;
    if (job->status != DB_JOB_OK) {
        rs_fail(rs, job, 0);
        rs_end_cursor(rs);
        return;
    }
    res = db_job_take_result(job);
    rs->shape = PQcopyResult(res, PG_COPYRES_ATTRS);
    rs->has_rows = true;
    rs->status = ROWSET_READY;
    rs->pos = 0;
    rs_got_rows(rs, 0, PQntuples(res));
    page_store(rs, 0, res);
    if (rs->total >= 0) {           /* small: no transaction stays open */
        rs->command = xasprintf("SELECT %ld", rs->total);
        rs_end_cursor(rs);
        return;
    }
    rs->command = xstrdup("SELECT");
    rs_start_count(rs);
}

/* ---- job results ---------------------------------------------------------- */

static void step_bookkeeping(struct rowset *rs, struct db_job *job)
{
    bool ok = job->status == DB_JOB_OK && !job->skipped;

    if (job->tag == STEP_BEGIN && !ok)
        rs->owned = false;
    if (job->tag == STEP_BEGIN && ok && !rs->closing)
        db_tx_holder_set(rs->db, rs_yield_tx, rs);
    if (job->tag == STEP_SAVEPOINT && !ok)
        rs->savepoint = false;
    if (job->tag == STEP_DECLARE || job->tag == STEP_REDECLARE)
        rs->declared = ok;
}

static void step_done(struct rowset *rs, struct db_job *job)
{
    switch ((enum step)job->tag) {
    case STEP_DECLARE: declare_done(rs, job); break;
    case STEP_FIRST: first_done(rs, job); break;
    case STEP_COUNT: count_done(rs, job); break;
    case STEP_MOVE: move_done(rs, job); break;
    case STEP_PAGE: page_done(rs, job); break;
    case STEP_PLAIN: plain_done(rs, job); break;
    case STEP_REDECLARE: redeclare_done(rs, job); break;
    default: return;    /* BEGIN, SAVEPOINT, UNDO, END say nothing */
    }
    rs_notify(rs);
}

static void on_job(struct db_job *job, void *arg)
{
    struct rowset *rs = arg;

    rs_hold(rs);
    live_remove(rs, job);
    step_bookkeeping(rs, job);
    if (!rs->closing && !rs->dropping)
        step_done(rs, job);
    rs_release(rs);
}

/* ---- the contract --------------------------------------------------------- */

static bool is_query(const char *sql)
{
    static const char *const starts[] = { "select", "with", "values",
                                          "table", NULL };

    for (int i = 0; starts[i]; i++)
        if (sqlscan_starts_with(sql, starts[i]))
            return true;
    return false;
}

struct rowset *rowset_open_params(struct db *db, const char *sql, int nparams,
                                  const char *const *params, rowset_fn fn,
                                  void *arg)
{
    struct rowset *rs = xcalloc(1, sizeof *rs);

    rs->db = db;
    rs->sql = xstrdup(sql ? sql : "");
    rs->nparams = nparams > 0 ? nparams : 0;
    rs->params = xcalloc((size_t)rs->nparams + 1, sizeof *rs->params);
    for (int i = 0; i < rs->nparams; i++)
        rs->params[i] = xstrdup(params[i]);
    rs->fn = fn;
    rs->arg = arg;
    rs->status = ROWSET_RUNNING;
    rs->cursor_slot = -1;
    rs->total = -1;
    rs->pos = -1;
    for (int i = 0; i < CACHE_PAGES; i++)
        rs->pages[i].index = -1;
    if (is_query(rs->sql))
        rs_start_cursor(rs);
    else
        rs_start_plain(rs);
    return rs;
}

struct rowset *rowset_open(struct db *db, const char *sql, rowset_fn fn,
                           void *arg)
{
    return rowset_open_params(db, sql, 0, NULL, fn, arg);
}


/* Work still queued is dropped, except what ends our transaction; a running
 * cursor step is cancelled only inside our own transaction, since a cancel
 * aborts the transaction it runs in. */
static void rs_drop_jobs(struct rowset *rs)
{
    int n = rs->nlive;
    struct db_job **jobs = xmalloc((size_t)(n ? n : 1) * sizeof *jobs);
    const struct db_job *running = db_running(rs->db);

    memcpy(jobs, rs->live, (size_t)n * sizeof *jobs);
    for (int i = 0; i < n; i++) {
        if (jobs[i]->tag == STEP_END || jobs[i]->tag == STEP_UNDO)
            continue;
        if (jobs[i] != running ||
            (rs->owned && step_is_cursor_work(jobs[i]->tag)))
            db_job_cancel(rs->db, jobs[i]);
    }
    free(jobs);
}

void rowset_close(struct rowset *rs)
{
    if (!rs)
        return;
    rs_hold(rs);
    rs->closing = true;
    rs->fn = NULL;
    rs_drop_jobs(rs);
    rs_end_cursor(rs);
    rs_release(rs);
}

enum rowset_status rowset_status(const struct rowset *rs)
{
    return rs->status;
}

const struct db_job *rowset_error(const struct rowset *rs)
{
    return rs->error;
}

const char *rowset_command(const struct rowset *rs)
{
    return rs->command ? rs->command : "";
}

bool rowset_has_rows(const struct rowset *rs)
{
    return rs->has_rows;
}

double rowset_elapsed_ms(const struct rowset *rs)
{
    return rs->elapsed_ms;
}

int rowset_ncols(const struct rowset *rs)
{
    return rs->shape ? PQnfields(rs->shape) : 0;
}

const char *rowset_col_name(const struct rowset *rs, int col)
{
    return rs->shape && col >= 0 && col < PQnfields(rs->shape)
               ? PQfname(rs->shape, col) : "";
}

bool rowset_col_numeric(const struct rowset *rs, int col)
{
    if (!rs->shape || col < 0 || col >= PQnfields(rs->shape))
        return false;
    switch (PQftype(rs->shape, col)) {
    case 20: case 21: case 23: case 26:     /* int8 int2 int4 oid */
    case 700: case 701: case 790: case 1700: /* float4 float8 money numeric */
        return true;
    default:
        return false;
    }
}

bool rowset_holds_transaction(const struct rowset *rs)
{
    return rs->owned && !rs->ended;
}

long rowset_nrows(const struct rowset *rs)
{
    return rs->total;
}

long rowset_nrows_known(const struct rowset *rs)
{
    return rs->total >= 0 ? rs->total : rs->known;
}

static const PGresult *rows_at(struct rowset *rs, long row, int *r)
{
    struct page *p;

    if (rs->whole) {
        if (row >= PQntuples(rs->whole))
            return NULL;
        *r = (int)row;
        return rs->whole;
    }
    p = page_find(rs, row / PAGE_ROWS);
    if (!p)
        return NULL;
    p->used = ++rs->clock;
    *r = (int)(row % PAGE_ROWS);
    return p->res;
}

const char *rowset_cell(struct rowset *rs, long row, int col,
                        enum cell_state *st)
{
    int r = 0;
    const PGresult *res = row >= 0 ? rows_at(rs, row, &r) : NULL;

    if (!res || r >= PQntuples(res) || col < 0 || col >= PQnfields(res)) {
        *st = CELL_PENDING;
        return NULL;
    }
    if (PQgetisnull(res, r, col)) {
        *st = CELL_NULL;
        return NULL;
    }
    *st = CELL_VALUE;
    return PQgetvalue(res, r, col);
}

void rowset_want(struct rowset *rs, long first, long count)
{
    /* A window wider than the cache would evict what it fetches. */
    long max = (CACHE_PAGES - 2) * PAGE_ROWS;

    rs->want_first = first < 0 ? 0 : first;
    rs->want_count = count > max ? max : count;
    rs_fetch(rs);
}
