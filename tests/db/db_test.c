/* The database layer against a real PostgreSQL 15 (the harness cluster, or
 * the server the PG* variables name): jobs and their order, errors, cancel,
 * the read-only guard, lost connections, rowset paging and counting, the
 * cursor fallback, CSV export against psql's \copy, and every statement of
 * sql.c PREPAREd. */
#include "autoconfig.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/db.h"
#include "core/export.h"
#include "core/loop.h"
#include "core/rowset.h"
#include "core/sql.h"
#include "core/xalloc.h"

#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN 1
#endif
#endif

static PGconn *admin;       /* a second connection: checks and terminate */
static char tmpdir[] = "/tmp/degux-db-test-XXXXXX";

/* ---- harness ------------------------------------------------------------- */

/* One `export A='x' B=y` line from cluster.sh, into the environment. */
static void env_from_line(char *line)
{
    char *p = line;

    if (strncmp(p, "export ", 7) != 0)
        return;
    p += 7;
    while (*p) {
        char *key, *val;

        while (*p == ' ')
            p++;
        key = p;
        p = strchr(p, '=');
        if (!p)
            return;
        *p++ = '\0';
        if (*p == '\'') {
            val = ++p;
            p = strchr(p, '\'');
            if (!p)
                return;
        } else {
            val = p;
            p += strcspn(p, " \n");
        }
        if (*p)
            *p++ = '\0';
        setenv(key, val, 1);
    }
}

static bool cluster_start(void)
{
    const char *src = getenv("top_srcdir");
    char *cmd, line[1024];
    FILE *f;
    bool ok;

    if (getenv("PGHOST"))
        return true;
    cmd = xasprintf("'%s/tests/lib/cluster.sh' start", src ? src : ".");
    f = popen(cmd, "r");
    free(cmd);
    if (!f)
        return false;
    while (fgets(line, sizeof line, f))
        env_from_line(line);
    ok = pclose(f) == 0 && getenv("PGHOST");
    return ok;
}

static PGresult *admin_exec(const char *sql, int n, const char *const *p)
{
    PGresult *res = PQexecParams(admin, sql, n, NULL, p, NULL, NULL, 0);
    ExecStatusType st = PQresultStatus(res);

    if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK)
        fail_msg("admin: %s: %s", sql, PQerrorMessage(admin));
    return res;
}

/* The first cell of an admin query, as a new string. */
static char *admin_value(const char *sql, const char *param)
{
    const char *p[1] = { param };
    PGresult *res = admin_exec(sql, param ? 1 : 0, p);
    char *v = PQntuples(res) ? xstrdup(PQgetvalue(res, 0, 0)) : NULL;

    PQclear(res);
    return v;
}

static void quiet(void *arg, const char *message)
{
}

static int group_setup(void **state)
{
    if (!cluster_start()) {
        fprintf(stderr, "no test cluster: tests/lib/cluster.sh start failed "
                "and PGHOST is not set\n");
        return -1;
    }
    admin = PQconnectdb("");
    if (PQstatus(admin) != CONNECTION_OK) {
        fprintf(stderr, "admin connection: %s", PQerrorMessage(admin));
        return -1;
    }
    PQsetNoticeProcessor(admin, quiet, NULL);
    if (!mkdtemp(tmpdir))
        return -1;
    PQclear(admin_exec("DROP TABLE IF EXISTS degux_db_test", 0, NULL));
    PQclear(admin_exec("CREATE TABLE degux_db_test (id int, note text)", 0,
                       NULL));
    PQclear(admin_exec("DROP ROLE IF EXISTS degux_db_test_plain", 0, NULL));
    PQclear(admin_exec("CREATE ROLE degux_db_test_plain LOGIN", 0, NULL));
    return 0;
}

static int group_teardown(void **state)
{
    char *cmd = xasprintf("rm -rf '%s'", tmpdir);

    PQclear(admin_exec("DROP TABLE IF EXISTS degux_db_test", 0, NULL));
    PQclear(admin_exec("DROP ROLE IF EXISTS degux_db_test_plain", 0, NULL));
    PQfinish(admin);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", tmpdir);
    free(cmd);
    return 0;
}

static struct db *connect_db(bool write)
{
    char *err = NULL;
    struct db *db = db_connect("", NULL, 0, write, &err);

    if (!db)
        fail_msg("db_connect: %s", err);
    return db;
}

static bool wait_for(bool (*cond)(void *), void *arg, int timeout_ms)
{
    double end = loop_now_ms() + timeout_ms;

    while (!cond(arg)) {
        if (loop_now_ms() > end)
            return false;
        loop_run_once(20);
    }
    return true;
}

/* ---- job outcomes -------------------------------------------------------- */

struct outcome {
    bool done;
    enum db_job_status status;
    char sqlstate[6];
    int error_pos;
    char *error;
    char *value;
    bool value_null;
    int order;
    double elapsed_ms, finished_ms;
};

static int finish_counter;

static void on_outcome(struct db_job *job, void *arg)
{
    struct outcome *o = arg;
    const PGresult *r = job->result;

    o->done = true;
    o->status = job->status;
    memcpy(o->sqlstate, job->sqlstate, sizeof o->sqlstate);
    o->error_pos = job->error_pos;
    o->error = xstrdup(job->error);
    o->order = ++finish_counter;
    o->elapsed_ms = job->elapsed_ms;
    o->finished_ms = loop_now_ms();
    if (r && PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) > 0) {
        o->value_null = PQgetisnull(r, 0, 0);
        o->value = xstrdup(PQgetvalue(r, 0, 0));
    }
}

static void outcome_free(struct outcome *o)
{
    free(o->error);
    free(o->value);
    memset(o, 0, sizeof *o);
}

static struct db_job *job_for(const char *sql, struct outcome *o)
{
    return db_job_new("test", sql, on_outcome, o);
}

static bool outcome_done(void *arg)
{
    return ((struct outcome *)arg)->done;
}

static void run_job(struct db *db, const char *sql, bool write,
                    struct outcome *o)
{
    struct db_job *job = job_for(sql, o);

    job->write = write;
    db_submit(db, job);
    if (!wait_for(outcome_done, o, 20000))
        fail_msg("job did not finish: %s", sql);
}

static bool db_busy(void *arg)
{
    return db_running(arg) != NULL;
}

static bool db_connected(void *arg)
{
    return db_state(arg) == DB_STATE_CONNECTED;
}

/* With wait_for: run the loop for a while. */
static bool never(void *arg)
{
    return false;
}

/* ---- jobs ----------------------------------------------------------------- */

static const char hostile[] =
    "'; DROP TABLE degux_db_test; --\\ \"$1\" \xc3\xb1u\xc3\xb1oa \t\r\n"
    "\x1b[31m E'\\x00' $$ $a$ %s %n";

static void test_jobs_in_order(void **state)
{
    struct db *db = connect_db(false);
    struct outcome o[5] = { 0 };
    struct db_job *job;
    int base;

    for (int i = 0; i < 4; i++) {
        job = job_for("SELECT $1::text || '', $2::int", &o[i]);
        db_job_param(job, hostile);
        db_job_paramf(job, "%d", i);
        db_submit(db, job);
    }
    job = job_for("SELECT $1::text IS NULL", &o[4]);
    db_job_param(job, NULL);
    db_submit(db, job);
    assert_int_equal(db_queued(db), 5);
    db_wait_idle(db);
    base = o[0].order;
    for (int i = 0; i < 5; i++) {
        assert_int_equal(o[i].status, DB_JOB_OK);
        assert_int_equal(o[i].order, base + i);
        assert_string_equal(o[i].value, i < 4 ? hostile : "t");
        outcome_free(&o[i]);
    }
    db_close(db);
}

static void test_error_fields(void **state)
{
    struct db *db = connect_db(false);
    struct outcome o = { 0 };

    run_job(db, "SELECT nosuchcolumn FROM pg_class", false, &o);
    assert_int_equal(o.status, DB_JOB_ERROR);
    assert_string_equal(o.sqlstate, "42703");
    assert_int_equal(o.error_pos, 8);
    assert_non_null(strstr(o.error, "nosuchcolumn"));
    outcome_free(&o);
    /* Characters, not bytes: ñ is two bytes, one character. */
    run_job(db, "SELECT 'ñ', nosuch", false, &o);
    assert_int_equal(o.error_pos, 13);
    outcome_free(&o);
    run_job(db, "SELECT 1", false, &o);
    assert_int_equal(o.status, DB_JOB_OK);
    outcome_free(&o);
    db_close(db);
}

struct streamed {
    int rows;
    enum db_job_status status;
    char sqlstate[6];
    bool result_empty;
};

static void count_row(struct db_job *job, const PGresult *row, void *arg)
{
    struct streamed *st = arg;

    if (PQntuples(row) == 1)
        st->rows++;
}

static void streamed_done(struct db_job *job, void *arg)
{
    struct streamed *st = arg;

    st->status = job->status;
    memcpy(st->sqlstate, job->sqlstate, sizeof st->sqlstate);
    st->result_empty = !job->result || PQntuples(job->result) == 0;
}

static void stream(struct db *db, const char *sql, struct streamed *st)
{
    struct db_job *job = db_job_new("rows", sql, streamed_done, st);

    job->single_row = true;
    job->on_row = count_row;
    db_submit(db, job);
    db_wait_idle(db);
}

/* Single-row mode: rows one at a time, then an error that came after. */
static void test_single_row(void **state)
{
    struct db *db = connect_db(false);
    struct streamed a = { 0 }, b = { 0 };

    stream(db, "SELECT g FROM generate_series(1, 1000) g", &a);
    assert_int_equal(a.status, DB_JOB_OK);
    assert_int_equal(a.rows, 1000);
    assert_true(a.result_empty);
    stream(db, "SELECT 10 / (3 - g) FROM generate_series(1, 5) g", &b);
    assert_int_equal(b.status, DB_JOB_ERROR);
    assert_string_equal(b.sqlstate, "22012");
    assert_int_equal(b.rows, 2);
    db_close(db);
}

/* statement_timeout is an error, not a cancel; db_exec_sync for batch. */
static void test_timeout_and_sync(void **state)
{
    char *err = NULL;
    struct db *db = db_connect("", NULL, 200, false, &err);
    struct outcome o = { 0 };
    const char *p[1] = { "41" };
    PGresult *res;

    assert_non_null(db);
    run_job(db, "SELECT pg_sleep(2)", false, &o);
    assert_int_equal(o.status, DB_JOB_ERROR);
    assert_string_equal(o.sqlstate, "57014");
    outcome_free(&o);
    res = db_exec_sync(db, "SELECT $1::int + 1", 1, p, &err);
    assert_non_null(res);
    assert_string_equal(PQgetvalue(res, 0, 0), "42");
    PQclear(res);
    res = db_exec_sync(db, "SELECT 1/0", 0, NULL, &err);
    assert_null(res);
    assert_non_null(strstr(err, "division by zero"));
    free(err);
    db_close(db);
}

static double cancel_latency_ms;

static void test_cancel(void **state)
{
    struct db *db = connect_db(false);
    struct outcome o = { 0 }, after = { 0 };
    double t0;

    db_submit(db, job_for("SELECT pg_sleep(30)", &o));
    db_submit(db, job_for("SELECT 'after'", &after));
    assert_true(wait_for(db_busy, db, 5000));
    loop_run_once(100);             /* the sleep is under way */
    t0 = loop_now_ms();
    assert_true(db_cancel(db));
    assert_true(wait_for(outcome_done, &o, 5000));
    cancel_latency_ms = o.finished_ms - t0;
    printf("# cancel latency: %.1f ms\n", cancel_latency_ms);
    assert_int_equal(o.status, DB_JOB_CANCELLED);
    assert_string_equal(o.sqlstate, "57014");
    assert_true(cancel_latency_ms < 1000);
    /* The queued job is kept, and the cancel did not hit it. */
    assert_true(wait_for(outcome_done, &after, 5000));
    assert_int_equal(after.status, DB_JOB_OK);
    assert_string_equal(after.value, "after");
    assert_false(db_cancel(db));
    outcome_free(&o);
    outcome_free(&after);
    db_close(db);
}

static void test_cancel_queued_and_owner(void **state)
{
    struct db *db = connect_db(false);
    struct outcome a = { 0 }, b = { 0 }, c = { 0 };
    struct db_job *ja = job_for("SELECT pg_sleep(30)", &a), *jb;
    int owner;

    ja->owner = &owner;
    db_submit(db, ja);
    jb = job_for("SELECT 'b'", &b);
    db_submit(db, jb);
    db_submit(db, job_for("SELECT 'c'", &c));
    assert_true(db_job_cancel(db, jb));
    assert_true(b.done);            /* before db_job_cancel returned */
    assert_int_equal(b.status, DB_JOB_CANCELLED);
    assert_true(wait_for(db_busy, db, 5000));
    db_drop_owner(db, &owner);
    assert_true(a.done);
    assert_int_equal(a.status, DB_JOB_CANCELLED);
    db_wait_idle(db);
    assert_int_equal(c.status, DB_JOB_OK);
    assert_string_equal(c.value, "c");
    outcome_free(&a);
    outcome_free(&b);
    outcome_free(&c);
    db_close(db);
}

/* ---- read-only guard and write mode ------------------------------------- */

static char *count_rows(const char *where_id)
{
    return admin_value("SELECT count(*) FROM degux_db_test WHERE id = $1::int",
                       where_id);
}

static void test_read_only_guard(void **state)
{
    struct db *db = connect_db(false);
    struct outcome o = { 0 };
    char *n;

    assert_false(db_write_mode(db));
    /* Refused without being sent: even a harmless statement. */
    run_job(db, "SELECT 'sent'", true, &o);
    assert_int_equal(o.status, DB_JOB_ERROR);
    assert_null(o.value);
    assert_non_null(strstr(o.error, "read-only"));
    outcome_free(&o);
    /* Not marked as a write: the server's read-only setting stops it. */
    run_job(db, "INSERT INTO degux_db_test VALUES (1, 'ro')", false, &o);
    assert_int_equal(o.status, DB_JOB_ERROR);
    assert_string_equal(o.sqlstate, "25006");
    outcome_free(&o);
    n = count_rows("1");
    assert_string_equal(n, "0");
    free(n);
    db_close(db);
}

static void test_write_mode(void **state)
{
    struct db *db = connect_db(false);
    struct outcome o = { 0 };
    char *n;

    db_set_write(db, true);
    assert_true(db_write_mode(db));
    run_job(db, "INSERT INTO degux_db_test VALUES (2, 'rw') RETURNING id",
            true, &o);
    assert_int_equal(o.status, DB_JOB_OK);
    assert_string_equal(o.value, "2");
    outcome_free(&o);
    n = count_rows("2");
    assert_string_equal(n, "1");
    free(n);
    db_set_write(db, false);
    run_job(db, "INSERT INTO degux_db_test VALUES (2, 'again')", true, &o);
    assert_int_equal(o.status, DB_JOB_ERROR);
    outcome_free(&o);
    run_job(db, "SHOW default_transaction_read_only", false, &o);
    assert_string_equal(o.value, "on");
    outcome_free(&o);
    db_close(db);
}

/* A :write inside a transaction that rolls back is set again after it. */
static void test_mode_survives_rollback(void **state)
{
    struct db *db = connect_db(false);
    struct outcome o = { 0 };

    run_job(db, "BEGIN", false, &o);
    outcome_free(&o);
    db_set_write(db, true);
    run_job(db, "ROLLBACK", false, &o);
    outcome_free(&o);
    run_job(db, "SHOW default_transaction_read_only", false, &o);
    assert_string_equal(o.value, "off");
    assert_true(db_write_mode(db));
    outcome_free(&o);
    db_close(db);
}

/* ---- lost connection ------------------------------------------------------ */

struct states {
    struct db *db;
    bool saw_lost, saw_reconnecting;
};

static void on_change(void *arg)
{
    struct states *s = arg;

    if (db_state(s->db) == DB_STATE_LOST)
        s->saw_lost = true;
    if (db_state(s->db) == DB_STATE_RECONNECTING)
        s->saw_reconnecting = true;
}

static bool saw_lost(void *arg)
{
    return ((struct states *)arg)->saw_lost;
}

static void terminate(struct db *db)
{
    char *pid = xasprintf("%d", PQbackendPID(db_conn(db)));
    char *ok = admin_value("SELECT pg_terminate_backend($1::int)", pid);

    assert_string_equal(ok, "t");
    free(ok);
    free(pid);
}

/* Waits until the admin connection sees the job's statement running. */
static void wait_active(struct db *db, const char *marker)
{
    char *pid = xasprintf("%d", PQbackendPID(db_conn(db)));
    double end = loop_now_ms() + 5000;
    char *n = NULL;

    while (loop_now_ms() < end) {
        const char *p[2] = { pid, marker };
        PGresult *res = admin_exec(
            "SELECT count(*) FROM pg_stat_activity WHERE pid = $1::int"
            " AND state = 'active' AND strpos(query, $2) > 0", 2, p);
        free(n);
        n = xstrdup(PQgetvalue(res, 0, 0));
        PQclear(res);
        if (strcmp(n, "1") == 0)
            break;
        loop_run_once(20);
    }
    assert_string_equal(n, "1");
    free(n);
    free(pid);
}

static void test_lost_and_reconnect(void **state)
{
    struct db *db = connect_db(false);
    struct states s = { db, false, false };
    struct outcome o = { 0 };
    int old_pid = PQbackendPID(db_conn(db));

    db_on_change(db, on_change, &s);
    terminate(db);
    assert_true(wait_for(saw_lost, &s, 5000));
    assert_int_equal(db_state(db), DB_STATE_LOST);
    assert_non_null(db_lost_reason(db));
    printf("# lost: %s\n", db_lost_reason(db));
    /* Queued while lost: runs once the connection is back. */
    run_job(db, "SELECT current_setting('application_name') || ' ' ||"
                " current_setting('default_transaction_read_only')",
            false, &o);
    assert_int_equal(o.status, DB_JOB_OK);
    assert_string_equal(o.value, "degux-console on");
    assert_true(s.saw_reconnecting);
    assert_int_equal(db_state(db), DB_STATE_CONNECTED);
    assert_int_not_equal(PQbackendPID(db_conn(db)), old_pid);
    outcome_free(&o);
    db_close(db);
}

static void test_lost_while_running(void **state)
{
    struct db *db = connect_db(true);
    struct outcome w = { 0 }, r = { 0 };
    struct db_job *job = job_for("INSERT INTO degux_db_test"
                                 " SELECT 3, 'lost' FROM pg_sleep(3)", &w);
    char *n;

    /* A write cut mid-way ends LOST and is not sent again. */
    job->write = true;
    db_submit(db, job);
    assert_true(wait_for(db_busy, db, 5000));
    wait_active(db, "'lost'");
    terminate(db);
    assert_true(wait_for(outcome_done, &w, 5000));
    assert_int_equal(w.status, DB_JOB_LOST);
    assert_non_null(strstr(w.error, "unknown"));
    /* A read cut mid-way is sent once more and succeeds. */
    db_submit(db, job_for("SELECT 'again' FROM pg_sleep(1)", &r));
    assert_true(wait_for(db_busy, db, 10000));
    wait_active(db, "'again'");
    terminate(db);
    assert_true(wait_for(outcome_done, &r, 15000));
    assert_int_equal(r.status, DB_JOB_OK);
    assert_string_equal(r.value, "again");
    n = count_rows("3");
    assert_string_equal(n, "0");
    free(n);
    outcome_free(&w);
    outcome_free(&r);
    db_close(db);
}

/* Queued behind a transaction that died: reported, never run outside it. */
static void test_lost_inside_transaction(void **state)
{
    struct db *db = connect_db(true);
    struct outcome b = { 0 }, s = { 0 }, q = { 0 };
    char *n;

    run_job(db, "BEGIN", false, &b);
    db_submit(db, job_for("SELECT pg_sleep(3)", &s));
    db_submit(db, job_for("INSERT INTO degux_db_test VALUES (4, 'tx')", &q));
    assert_true(wait_for(db_busy, db, 5000));
    wait_active(db, "pg_sleep(3)");
    terminate(db);
    assert_true(wait_for(outcome_done, &q, 5000));
    assert_int_equal(s.status, DB_JOB_LOST);
    assert_int_equal(q.status, DB_JOB_LOST);
    db_wait_idle(db);
    n = count_rows("4");
    assert_string_equal(n, "0");
    free(n);
    outcome_free(&b);
    outcome_free(&s);
    outcome_free(&q);
    db_close(db);
}

/* ---- rowsets -------------------------------------------------------------- */

static bool rs_settled(void *arg)
{
    return rowset_status(arg) != ROWSET_RUNNING;
}

static bool rs_counted(void *arg)
{
    return rowset_nrows(arg) >= 0 || rowset_status(arg) == ROWSET_ERROR;
}

struct want {
    struct rowset *rs;
    long row;
};

static bool rs_row_loaded(void *arg)
{
    struct want *w = arg;
    enum cell_state st;

    rowset_cell(w->rs, w->row, 0, &st);
    return st != CELL_PENDING || rowset_status(w->rs) == ROWSET_ERROR;
}

/* The cell at row, fetched if needed, as a new string. */
static char *rs_value(struct rowset *rs, long row, int col)
{
    struct want w = { rs, row };
    enum cell_state st;
    const char *v;

    rowset_want(rs, row, 40);
    if (!wait_for(rs_row_loaded, &w, 30000))
        fail_msg("row %ld never arrived", row);
    v = rowset_cell(rs, row, col, &st);
    return st == CELL_VALUE ? xstrdup(v) : NULL;
}

static void expect_row(struct rowset *rs, long row, long g)
{
    char *gs = xasprintf("%ld", g);
    char *want_md5 = admin_value("SELECT md5($1)", gs);
    char *v0 = rs_value(rs, row, 0), *v1 = rs_value(rs, row, 1);

    assert_string_equal(v0, gs);
    assert_string_equal(v1, want_md5);
    free(gs);
    free(want_md5);
    free(v0);
    free(v1);
}

static void close_and_settle(struct db *db, struct rowset *rs)
{
    rowset_close(rs);
    db_wait_idle(db);
}

static void test_rowset_pages(void **state)
{
    struct db *db = connect_db(false);
    struct rowset *rs = rowset_open(
        db, "SELECT g, md5(g::text) FROM generate_series(1, 100000) g",
        NULL, NULL);

    assert_true(wait_for(rs_settled, rs, 30000));
    assert_int_equal(rowset_status(rs), ROWSET_READY);
    assert_true(rowset_has_rows(rs));
    assert_int_equal(rowset_ncols(rs), 2);
    assert_string_equal(rowset_col_name(rs, 1), "md5");
    assert_true(rowset_col_numeric(rs, 0));
    assert_false(rowset_col_numeric(rs, 1));
    assert_true(db_in_transaction(db));         /* the cursor's own */
    /* The total comes from MOVE FORWARD ALL, with one page loaded. */
    assert_true(wait_for(rs_counted, rs, 30000));
    assert_int_equal(rowset_nrows(rs), 100000);
    assert_string_equal(rowset_command(rs), "SELECT 100000");
    expect_row(rs, 0, 1);
    expect_row(rs, 99999, 100000);
    expect_row(rs, 50000, 50001);
    expect_row(rs, 777, 778);
    expect_row(rs, 0, 1);
    close_and_settle(db, rs);
    assert_false(db_in_transaction(db));
    db_close(db);
}

/* The session's open cursors, by name. */
static char *cursor_names(struct db *db)
{
    struct outcome o = { 0 };
    char *v;

    run_job(db, "SELECT coalesce(string_agg(name, ',' ORDER BY name), '')"
                " FROM pg_cursors WHERE name <> ''", false, &o);
    v = xstrdup(o.value ? o.value : "?");
    outcome_free(&o);
    return v;
}

static struct rowset *open_settled(struct db *db)
{
    struct rowset *rs = rowset_open(
        db, "SELECT g FROM generate_series(1, 5000) g", NULL, NULL);

    assert_true(wait_for(rs_settled, rs, 30000));
    return rs;
}

/* Cursor names are reused, so pg_stat_statements keeps one FETCH entry. */
static void test_rowset_cursor_names(void **state)
{
    struct db *db = connect_db(false);
    struct rowset *a = open_settled(db), *b = open_settled(db);
    char *names = cursor_names(db);

    assert_string_equal(names, "degux_c1,degux_c2");
    free(names);
    close_and_settle(db, a);
    close_and_settle(db, b);
    a = open_settled(db);
    names = cursor_names(db);
    assert_string_equal(names, "degux_c1");
    free(names);
    close_and_settle(db, a);
    db_close(db);
}

/* The user's own statement (here an INSERT typed in the SQL pane, write
 * mode) cut mid-way is reported, never sent again after the reconnect. */
static void test_rowset_statement_lost(void **state)
{
    struct db *db = connect_db(true);
    struct rowset *rs = rowset_open(
        db, "INSERT INTO degux_db_test SELECT 4, 'once' FROM pg_sleep(3)",
        NULL, NULL);
    const struct db_job *err;
    char *n;

    assert_true(wait_for(db_busy, db, 5000));
    wait_active(db, "'once'");
    terminate(db);
    assert_true(wait_for(rs_settled, rs, 15000));
    assert_int_equal(rowset_status(rs), ROWSET_ERROR);
    err = rowset_error(rs);
    assert_int_equal(err->status, DB_JOB_LOST);
    assert_non_null(strstr(err->error, "write"));
    /* Time for a wrongly re-sent INSERT to finish. */
    assert_true(wait_for(db_connected, db, 15000));
    wait_for(never, NULL, 3500);
    n = count_rows("4");
    assert_string_equal(n, "0");
    free(n);
    close_and_settle(db, rs);
    db_close(db);
}

/* A write while a cursor holds our transaction commits at once, and the
 * rowset goes on (it declares its cursor again). */
static void test_write_while_cursor_open(void **state)
{
    struct db *db = connect_db(true);
    struct rowset *rs = rowset_open(
        db, "SELECT g, md5(g::text) FROM generate_series(1, 100000) g",
        NULL, NULL);
    struct outcome o = { 0 };
    char *n;

    assert_true(wait_for(rs_settled, rs, 30000));
    assert_true(db_in_transaction(db));
    run_job(db, "INSERT INTO degux_db_test VALUES (7, 'beside')", true, &o);
    assert_int_equal(o.status, DB_JOB_OK);
    n = count_rows("7");
    assert_string_equal(n, "1");                /* committed, not held */
    free(n);
    assert_true(wait_for(rs_counted, rs, 30000));
    assert_int_equal(rowset_nrows(rs), 100000);
    expect_row(rs, 50000, 50001);
    expect_row(rs, 0, 1);
    assert_int_equal(rowset_status(rs), ROWSET_READY);
    close_and_settle(db, rs);
    assert_false(db_in_transaction(db));
    outcome_free(&o);
    db_close(db);
}

/* Closing while the count runs cancels it: the next statement need not
 * wait for MOVE FORWARD ALL. */
static void test_rowset_close_cancels_count(void **state)
{
    struct db *db = connect_db(false);
    struct rowset *rs = rowset_open(
        db, "SELECT g, pg_sleep(0.0001) FROM generate_series(1, 100000) g",
        NULL, NULL);
    struct outcome o = { 0 };
    double t0;

    assert_true(wait_for(rs_settled, rs, 30000));
    assert_int_equal(rowset_nrows(rs), -1);
    assert_true(wait_for(db_busy, db, 5000));
    rowset_close(rs);
    t0 = loop_now_ms();
    run_job(db, "SELECT 'next'", false, &o);
    assert_string_equal(o.value, "next");
    assert_true(loop_now_ms() - t0 < 2000);
    assert_false(db_in_transaction(db));
    outcome_free(&o);
    db_close(db);
}

/* Esc while counting stops the count; the rows stay browsable. */
static void test_rowset_cancel_count(void **state)
{
    struct db *db = connect_db(false);
    struct rowset *rs = rowset_open(
        db, "SELECT g, md5(g::text) FROM generate_series(1, 100000) g"
            " WHERE pg_sleep(0.0001) IS NOT NULL", NULL, NULL);

    assert_true(wait_for(rs_settled, rs, 30000));
    assert_true(rowset_holds_transaction(rs));
    assert_true(wait_for(db_busy, db, 5000));
    assert_true(db_cancel(db));
    db_wait_idle(db);
    assert_int_equal(rowset_status(rs), ROWSET_READY);
    assert_int_equal(rowset_nrows(rs), -1);
    assert_false(db_in_transaction(db));
    expect_row(rs, 1500, 1501);
    assert_int_equal(rowset_nrows(rs), -1);
    assert_true(rowset_nrows_known(rs) >= 2000);
    assert_true(rowset_holds_transaction(rs));
    close_and_settle(db, rs);
    assert_false(db_in_transaction(db));
    db_close(db);
}

/* A runtime error past the first page: an error, and no transaction left. */
static void test_rowset_late_error(void **state)
{
    struct db *db = connect_db(false);
    struct rowset *rs = rowset_open(
        db, "SELECT 1 / (g - 1500) FROM generate_series(1, 3000) g",
        NULL, NULL);
    char *v;

    assert_true(wait_for(rs_settled, rs, 10000));
    assert_int_equal(rowset_status(rs), ROWSET_READY);
    v = rs_value(rs, 0, 0);
    assert_string_equal(v, "0");
    free(v);
    assert_true(wait_for(rs_counted, rs, 10000));
    assert_int_equal(rowset_status(rs), ROWSET_ERROR);
    assert_string_equal(rowset_error(rs)->sqlstate, "22012");
    db_wait_idle(db);
    assert_false(db_in_transaction(db));
    close_and_settle(db, rs);
    db_close(db);
}

static void test_rowset_small_closes(void **state)
{
    struct db *db = connect_db(false);
    struct rowset *rs = rowset_open(
        db, "/* hi */ (SELECT 1 AS one, NULL::text AS nothing)", NULL, NULL);
    enum cell_state st;

    assert_true(wait_for(rs_settled, rs, 10000));
    assert_int_equal(rowset_status(rs), ROWSET_READY);
    assert_int_equal(rowset_nrows(rs), 1);
    assert_string_equal(rowset_command(rs), "SELECT 1");
    assert_string_equal(rowset_cell(rs, 0, 0, &st), "1");
    assert_int_equal(st, CELL_VALUE);
    assert_null(rowset_cell(rs, 0, 1, &st));
    assert_int_equal(st, CELL_NULL);
    db_wait_idle(db);
    assert_false(db_in_transaction(db));        /* closed at once */
    close_and_settle(db, rs);
    db_close(db);
}

static void test_rowset_errors_and_commands(void **state)
{
    struct db *db = connect_db(true);
    struct rowset *rs;

    /* A DECLARE error points into the user's text. */
    rs = rowset_open(db, "SELECT nosuchcolumn FROM pg_class", NULL, NULL);
    assert_true(wait_for(rs_settled, rs, 10000));
    assert_int_equal(rowset_status(rs), ROWSET_ERROR);
    assert_string_equal(rowset_error(rs)->sqlstate, "42703");
    assert_int_equal(rowset_error(rs)->error_pos, 8);
    assert_string_equal(rowset_error(rs)->sql,
                        "SELECT nosuchcolumn FROM pg_class");
    close_and_settle(db, rs);
    assert_false(db_in_transaction(db));
    /* A command: its status, and parameters. */
    {
        const char *p[2] = { "5", "it's" };
        rs = rowset_open_params(db, "INSERT INTO degux_db_test VALUES"
                                " ($1::int, $2), ($1::int, $2)", 2, p, NULL,
                                NULL);
    }
    assert_true(wait_for(rs_settled, rs, 10000));
    assert_int_equal(rowset_status(rs), ROWSET_READY);
    assert_false(rowset_has_rows(rs));
    assert_string_equal(rowset_command(rs), "INSERT 0 2");
    close_and_settle(db, rs);
    db_close(db);
}

static void test_rowset_fallback(void **state)
{
    struct db *db = connect_db(true);
    const char *sql = "WITH x AS (INSERT INTO degux_db_test VALUES (6, 'w')"
                      " RETURNING id) SELECT id, 'via fallback' FROM x";
    struct rowset *rs = rowset_open(db, sql, NULL, NULL);
    enum cell_state st;
    char *n;

    assert_true(wait_for(rs_settled, rs, 10000));
    assert_int_equal(rowset_status(rs), ROWSET_READY);
    assert_string_equal(rowset_cell(rs, 0, 0, &st), "6");
    assert_int_equal(rowset_nrows(rs), 1);
    close_and_settle(db, rs);
    assert_false(db_in_transaction(db));
    n = count_rows("6");
    assert_string_equal(n, "1");
    free(n);
    /* Inside the user's transaction: a savepoint keeps it usable. */
    rs = rowset_open(db, "BEGIN", NULL, NULL);
    assert_true(wait_for(rs_settled, rs, 10000));
    close_and_settle(db, rs);
    rs = rowset_open(db, sql, NULL, NULL);
    assert_true(wait_for(rs_settled, rs, 10000));
    assert_int_equal(rowset_status(rs), ROWSET_READY);
    close_and_settle(db, rs);
    rs = rowset_open(db, "SELECT count(*) FROM degux_db_test WHERE id = 6",
                     NULL, NULL);
    assert_true(wait_for(rs_settled, rs, 10000));
    assert_int_equal(rowset_status(rs), ROWSET_READY);
    assert_string_equal(rowset_cell(rs, 0, 0, &st), "2");
    close_and_settle(db, rs);
    assert_true(db_in_transaction(db));         /* still the user's */
    rs = rowset_open(db, "ROLLBACK", NULL, NULL);
    assert_true(wait_for(rs_settled, rs, 10000));
    assert_string_equal(rowset_command(rs), "ROLLBACK");
    close_and_settle(db, rs);
    assert_false(db_in_transaction(db));
    n = count_rows("6");
    assert_string_equal(n, "1");
    free(n);
    db_close(db);
}

static long rss_kb(const char *field)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long kb = -1;
    size_t n = strlen(field);

    while (f && fgets(line, sizeof line, f))
        if (strncmp(line, field, n) == 0)
            kb = atol(line + n + 1);
    if (f)
        fclose(f);
    return kb;
}

/* Scrolling 2,000,000 rows from start to end in constant memory. */
static void test_rowset_big_scroll(void **state)
{
    const char *env = getenv("DEGUX_BIG_ROWS");
    long rows = env ? atol(env) : 2000000, step = 500;
    struct db *db = connect_db(false);
    char *sql = xasprintf("SELECT g, md5(g::text) FROM"
                          " generate_series(1, %ld) g", rows);
    struct rowset *rs = rowset_open(db, sql, NULL, NULL);
    double t0 = loop_now_ms(), t1;
    long hwm;

    assert_true(wait_for(rs_settled, rs, 60000));
    printf("# first page of %ld rows after %.1f ms\n", rows,
           rowset_elapsed_ms(rs));
    assert_true(wait_for(rs_counted, rs, 120000));
    printf("# counted after %.1f ms\n", loop_now_ms() - t0);
    assert_int_equal(rowset_nrows(rs), rows);
    t1 = loop_now_ms();
    expect_row(rs, rows - 1, rows);     /* End: a MOVE, not every row */
    printf("# jump to the last row: %.1f ms\n", loop_now_ms() - t1);
    assert_true(loop_now_ms() - t1 < 5000);
    for (long r = 0; r < rows; r += step) {
        char *v = rs_value(rs, r, 0), *want = xasprintf("%ld", r + 1);
        assert_string_equal(v, want);
        free(v);
        free(want);
    }
    expect_row(rs, rows - 1, rows);
    hwm = rss_kb("VmHWM:");
    printf("# scrolled %ld rows in %.1f s; peak RSS %ld kB, now %ld kB\n",
           rows, (loop_now_ms() - t0) / 1000, hwm, rss_kb("VmRSS:"));
#ifndef UNDER_ASAN
    assert_true(hwm < 50 * 1024);
#endif
    close_and_settle(db, rs);
    free(sql);
    db_close(db);
}

/* ---- export --------------------------------------------------------------- */

struct exported {
    bool done;
    char *error;
    long rows;
    int progress_calls;
};

static void on_exported(struct export *e, const char *error, long rows,
                        void *arg)
{
    struct exported *x = arg;

    x->done = true;
    x->error = xstrdup(error);
    x->rows = rows;
}

static void on_progress(struct export *e, long long bytes, long rows,
                        void *arg)
{
    ((struct exported *)arg)->progress_calls++;
}

static bool export_finished(void *arg)
{
    return ((struct exported *)arg)->done;
}

static char *read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    char *buf;
    long n;

    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    rewind(f);
    buf = xmalloc((size_t)n + 1);
    if (fread(buf, 1, (size_t)n, f) != (size_t)n)
        n = 0;
    buf[n] = '\0';
    fclose(f);
    return buf;
}

static char *psql_copy(const char *query, const char *path)
{
    char *cmd = xasprintf("psql -X -q -v ON_ERROR_STOP=1 -c "
                          "\"\\\\copy (%s) to '%s' csv header\"",
                          query, path);

    if (system(cmd) != 0)
        fail_msg("psql failed: %s", cmd);
    free(cmd);
    return read_file(path);
}

#define EXPORT_QUERY(bound) \
    "SELECT g, md5(g::text) AS \"hash, quoted\", CASE g % 4" \
    " WHEN 0 THEN NULL WHEN 1 THEN '' WHEN 2 THEN 'a,\"b\"' || chr(10) ||" \
    " 'c' ELSE 'ñuñoa \\.' END AS t, '\\.' AS dot FROM generate_series(1, " \
    bound ") g"

static bool file_exists(const char *path)
{
    struct stat st;

    return stat(path, &st) == 0;
}

static void export_and_compare(struct db *db, const char *sql, int nparams,
                               const char *const *params, const char *want,
                               long rows)
{
    char *path = xasprintf("%s/out-%d.csv", tmpdir, nparams);
    char *partial = xasprintf("%s.partial", path);
    struct exported x = { 0 };
    char *got;

    export_start(db, sql, nparams, params, path, on_progress, on_exported,
                 &x);
    assert_true(wait_for(export_finished, &x, 60000));
    assert_null(x.error);
    assert_int_equal(x.rows, rows);
    got = read_file(path);
    assert_non_null(got);
    assert_string_equal(got, want);
    assert_false(file_exists(partial));
    free(got);
    free(path);
    free(partial);
}

static void test_export_matches_psql(void **state)
{
    struct db *db = connect_db(false);
    char *want_path = xasprintf("%s/psql.csv", tmpdir);
    /* psql gets the text through the shell: keep it free of '"'. */
    char *want = psql_copy("SELECT g, md5(g::text), CASE g % 4 WHEN 0 THEN"
                           " NULL WHEN 1 THEN '' WHEN 2 THEN 'a,' || chr(34)"
                           " || 'b' || chr(34) || chr(10) || 'c' ELSE"
                           " 'ñuñoa ' || chr(92) || '.' END AS t, chr(92) ||"
                           " '.' AS dot FROM generate_series(1, 30000) g",
                           want_path);
    const char *p[1] = { "30000" };
    char *nl;

    assert_non_null(want);
    /* psql names the second column md5; ours is quoted: fix the header. */
    nl = strchr(want, '\n');
    assert_non_null(nl);
    {
        char *fixed = xasprintf("g,\"hash, quoted\",t,dot%s", nl);
        free(want);
        want = fixed;
    }
    export_and_compare(db, EXPORT_QUERY("30000") " -- trailing;\n;", 0, NULL,
                       want, 30000);
    export_and_compare(db, EXPORT_QUERY("$1::int"), 1, p, want, 30000);
    free(want);
    free(want_path);
    db_close(db);
}

static void test_export_cancel_and_errors(void **state)
{
    struct db *db = connect_db(false);
    char *path = xasprintf("%s/cancel.csv", tmpdir);
    char *partial = xasprintf("%s.partial", path);
    struct exported x = { 0 }, y = { 0 }, z = { 0 };
    struct export *e;

    e = export_start(db, "SELECT g, pg_sleep(0.001) FROM"
                     " generate_series(1, 1000000) g", 0, NULL, path, NULL,
                     on_exported, &x);
    assert_true(wait_for(db_busy, db, 5000));
    loop_run_once(200);
    assert_true(file_exists(partial));
    export_cancel(e);
    assert_true(wait_for(export_finished, &x, 5000));
    assert_string_equal(x.error, "cancelled");
    assert_false(file_exists(path));
    assert_false(file_exists(partial));
    export_start(db, "SELECT 1", 0, NULL, "/nonexistent/dir/x.csv", NULL,
                 on_exported, &y);
    assert_false(y.done);           /* reported from the loop */
    assert_true(wait_for(export_finished, &y, 5000));
    assert_non_null(strstr(y.error, "cannot create"));
    export_start(db, "SELECT 1/0", 0, NULL, path, NULL, on_exported, &z);
    assert_true(wait_for(export_finished, &z, 5000));
    assert_non_null(strstr(z.error, "division by zero"));
    assert_false(file_exists(path));
    assert_false(file_exists(partial));
    free(x.error);
    free(y.error);
    free(z.error);
    free(path);
    free(partial);
    db_close(db);
}

/* ---- connecting ----------------------------------------------------------- */

static void test_connect_errors(void **state)
{
    char *err = NULL;
    struct db *db = db_connect("host=/nonexistent-degux port=1", NULL, 0,
                               false, &err);

    assert_null(db);
    assert_non_null(err);
    assert_null(strchr(err, '\n'));
    assert_non_null(strstr(err, "/nonexistent-degux"));
    free(err);
    err = NULL;
    db = db_connect("bogus_option=1", NULL, 0, false, &err);
    assert_null(db);
    assert_non_null(strstr(err, "bogus_option"));
    free(err);
}

static void test_connect_session(void **state)
{
    char *err = NULL;
    struct db *db = db_connect("application_name=other", "pg_catalog, public",
                               1234, false, &err);
    const struct db_info *in;
    struct outcome o = { 0 };

    assert_non_null(db);
    in = db_info(db);
    assert_true(in->server_version >= 150000);
    assert_non_null(in->user);
    assert_non_null(in->host);
    assert_non_null(in->dbname);
    assert_non_null(strchr(in->server_version_str, '.'));
    run_job(db, "SELECT current_setting('application_name') || '|' ||"
                " current_setting('statement_timeout') || '|' ||"
                " current_setting('search_path') || '|' ||"
                " current_setting('default_transaction_read_only')",
            false, &o);
    assert_string_equal(o.value, "degux-console|1234ms|pg_catalog, public|on");
    outcome_free(&o);
    db_close(db);
}

/* A role without superuser or pg_read_all_settings connects too. */
static void test_connect_plain_role(void **state)
{
    char *err = NULL;
    struct db *db = db_connect("user=degux_db_test_plain", NULL, 0, false,
                               &err);

    if (!db)
        fail_msg("db_connect: %s", err);
    assert_string_equal(db_info(db)->user, "degux_db_test_plain");
    assert_false(db_info(db)->superuser);
    assert_false(db_info(db)->pgss_preloaded);
    db_close(db);
}

/* ---- every statement in sql.c --------------------------------------------- */

static void test_prepare_all(void **state)
{
    struct db *db = connect_db(false);
    PGconn *c = db_conn(db);
    int prepared = 0, skipped = 0, failed = 0;

    for (const struct sql_stmt *s = sql_all; s->name; s++) {
        char *have = s->needs ? admin_value(
            "SELECT count(*) FROM pg_extension WHERE extname = $1", s->needs)
                              : NULL;
        bool skip = (s->min_server && PQserverVersion(c) < s->min_server) ||
                    (have && strcmp(have, "0") == 0);
        PGresult *res;

        free(have);
        if (skip) {
            skipped++;
            continue;
        }
        res = PQprepare(c, "", s->text, 0, NULL);
        if (PQresultStatus(res) != PGRES_COMMAND_OK) {
            printf("# %s: %s", s->name, PQerrorMessage(c));
            failed++;
        } else {
            prepared++;
        }
        PQclear(res);
    }
    printf("# sql_all: %d prepared, %d skipped\n", prepared, skipped);
    assert_int_equal(failed, 0);
    assert_true(prepared > 0);
    db_close(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_prepare_all),
        cmocka_unit_test(test_connect_errors),
        cmocka_unit_test(test_connect_session),
        cmocka_unit_test(test_connect_plain_role),
        cmocka_unit_test(test_jobs_in_order),
        cmocka_unit_test(test_error_fields),
        cmocka_unit_test(test_single_row),
        cmocka_unit_test(test_timeout_and_sync),
        cmocka_unit_test(test_cancel),
        cmocka_unit_test(test_cancel_queued_and_owner),
        cmocka_unit_test(test_read_only_guard),
        cmocka_unit_test(test_write_mode),
        cmocka_unit_test(test_mode_survives_rollback),
        cmocka_unit_test(test_lost_and_reconnect),
        cmocka_unit_test(test_lost_while_running),
        cmocka_unit_test(test_lost_inside_transaction),
        cmocka_unit_test(test_rowset_pages),
        cmocka_unit_test(test_rowset_statement_lost),
        cmocka_unit_test(test_rowset_cursor_names),
        cmocka_unit_test(test_rowset_small_closes),
        cmocka_unit_test(test_write_while_cursor_open),
        cmocka_unit_test(test_rowset_close_cancels_count),
        cmocka_unit_test(test_rowset_late_error),
        cmocka_unit_test(test_rowset_cancel_count),
        cmocka_unit_test(test_rowset_errors_and_commands),
        cmocka_unit_test(test_rowset_fallback),
        cmocka_unit_test(test_export_matches_psql),
        cmocka_unit_test(test_export_cancel_and_errors),
        cmocka_unit_test(test_rowset_big_scroll),
    };

    setvbuf(stdout, NULL, _IOLBF, 0);
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
