/* demo_ensure / demo_stop for real: a private cluster created from scratch
 * in a temporary folder, loaded from data/, reused while it runs, restarted
 * without reloading, reloaded when a load never finished; the backup folder
 * it writes; the one-line errors for a missing program or data folder. */
#include "autoconfig.h"

#include <dirent.h>
#include <ftw.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <libpq-fe.h>
#include <zlib.h>

#include "core/demo.h"
#include "core/xalloc.h"

#define SIZE 1500

static char parent[] = "/tmp/degux-demo-test-XXXXXX";
static char *home;

static double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static struct demo_opts opts(void)
{
    struct demo_opts o = { .dir = home, .size = SIZE, .quiet = true };

    return o;
}

static char *ensure(void)
{
    struct demo_opts o = opts();
    char *err = NULL, *ci = demo_ensure(&o, &err);

    if (!ci)
        fail_msg("demo_ensure: %s", err ? err : "(no message)");
    assert_null(err);
    return ci;
}

/* The first value of a query on the demo database (caller frees). */
static char *value(const char *ci, const char *sql)
{
    PGconn *c = PQconnectdb(ci);
    PGresult *r;
    char *v;

    assert_int_equal(PQstatus(c), CONNECTION_OK);
    r = PQexec(c, sql);
    if (PQresultStatus(r) != PGRES_TUPLES_OK)
        fail_msg("%s: %s", sql, PQresultErrorMessage(r));
    v = xstrdup(PQntuples(r) ? PQgetvalue(r, 0, 0) : "");
    PQclear(r);
    PQfinish(c);
    return v;
}

static void exec_sql(const char *ci, const char *sql)
{
    PGconn *c = PQconnectdb(ci);
    PGresult *r;

    assert_int_equal(PQstatus(c), CONNECTION_OK);
    r = PQexec(c, sql);
    if (PQresultStatus(r) != PGRES_COMMAND_OK)
        fail_msg("%s: %s", sql, PQresultErrorMessage(r));
    PQclear(r);
    PQfinish(c);
}

static void assert_value(const char *ci, const char *sql, const char *want)
{
    char *v = value(ci, sql);

    assert_string_equal(v, want);
    free(v);
}

static int remove_entry(const char *path, const struct stat *sb, int flag,
                        struct FTW *ftw)
{
    (void)sb, (void)flag, (void)ftw;
    return remove(path);
}

static int setup(void **state)
{
    (void)state;
    if (!mkdtemp(parent))
        return -1;
    /* As root the server runs as postgres, which must reach the folder. */
    chmod(parent, 0755);
    home = xasprintf("%s/demo", parent);
    return 0;
}

static int teardown(void **state)
{
    struct demo_opts o = opts();
    char *err = NULL;

    (void)state;
    demo_stop(&o, &err);
    free(err);
    nftw(parent, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
    free(home);
    return 0;
}

/* ---- paths and errors ------------------------------------------------------ */

static void test_default_dir(void **state)
{
    char *d;

    (void)state;
    setenv("XDG_STATE_HOME", "/srv/state", 1);
    d = demo_default_dir();
    assert_string_equal(d, geteuid() == 0 ? "/var/lib/degux-console/demo"
                                          : "/srv/state/degux-console/demo");
    free(d);
    setenv("XDG_STATE_HOME", "relative/state", 1);
    setenv("HOME", "/home/ana", 1);
    d = demo_default_dir();
    assert_string_equal(d, geteuid() == 0 ? "/var/lib/degux-console/demo"
                                          : "/home/ana/.local/state/degux-console/demo");
    free(d);
    unsetenv("XDG_STATE_HOME");
    d = demo_backup_dir(&(struct demo_opts){ .dir = "/x/demo" });
    assert_string_equal(d, "/x/demo/backups");
    free(d);
}

static void test_missing_programs(void **state)
{
    struct demo_opts o = opts();
    char *err = NULL;

    (void)state;
    o.bindir = "/nonexistent/bin";
    assert_null(demo_ensure(&o, &err));
    assert_non_null(err);
    assert_non_null(strstr(err, "initdb"));
    assert_non_null(strstr(err, "/nonexistent/bin"));
    assert_null(strchr(err, '\n'));
    free(err);
}

static void test_missing_data(void **state)
{
    struct demo_opts o = opts();
    char *err = NULL;

    (void)state;
    o.datadir = "/nonexistent/data";
    assert_null(demo_ensure(&o, &err));
    assert_non_null(err);
    assert_non_null(strstr(err, "/nonexistent/data"));
    assert_non_null(strstr(err, "DEGUX_DATADIR"));
    free(err);
}

static void test_relative_dir(void **state)
{
    struct demo_opts o = opts();
    char *err = NULL;

    (void)state;
    o.dir = "relative/demo";
    assert_null(demo_ensure(&o, &err));
    assert_non_null(strstr(err, "absolute"));
    free(err);
}

/* ---- the cluster -------------------------------------------------------------- */

static void test_create(void **state)
{
    char *ci;
    char want[32];

    (void)state;
    ci = ensure();
    assert_non_null(strstr(ci, "dbname=degux"));
    assert_non_null(strstr(ci, "user=nexus_user"));
    snprintf(want, sizeof want, "%d", SIZE);
    assert_value(ci, "SELECT count(*) FROM referenciales", want);
    assert_value(ci, "SELECT demo_size FROM degux_demo.loaded", want);
    assert_value(ci, "SHOW listen_addresses", "");
    assert_value(ci, "SHOW shared_preload_libraries", "pg_stat_statements");
    assert_value(ci, "SELECT count(*) > 0 FROM pg_stat_statements "
                     "WHERE query LIKE 'SELECT pg_sleep(%'", "t");
    /* Statistics were reset before the workload: no generator, no pg_dump. */
    assert_value(ci, "SELECT count(*) FROM pg_stat_statements "
                     "WHERE query LIKE 'COPY %' OR query LIKE 'INSERT INTO referenciales%'", "0");
    assert_value(ci, "SELECT rolsuper::text FROM pg_roles WHERE rolname = current_user", "true");
    free(ci);
}

static void test_reuse_is_fast(void **state)
{
    char *ci = ensure(), *ci2, *started = value(ci, "SELECT pg_postmaster_start_time()::text");
    double t0 = now_s(), took;

    (void)state;
    ci2 = ensure();
    took = now_s() - t0;
    assert_string_equal(ci, ci2);
    assert_true(took < 0.5);
    assert_value(ci2, "SELECT pg_postmaster_start_time()::text", started);
    free(started);
    free(ci);
    free(ci2);
}

/* ---- the backup folder ----------------------------------------------------------- */

static bool gz_complete(const char *path, char *head, size_t headlen)
{
    gzFile gz = gzopen(path, "rb");
    char buf[65536];
    int n, first = 1, err;

    assert_non_null(gz);
    while ((n = gzread(gz, buf, sizeof buf)) > 0)
        if (first) {
            memcpy(head, buf, headlen < (size_t)n ? headlen : (size_t)n);
            first = 0;
        }
    gzerror(gz, &err);
    gzclose(gz);
    return n == 0 && err == Z_OK;
}

static time_t name_time(const char *name)
{
    struct tm tm = { 0 };

    assert_int_equal(sscanf(name, "degux_%4d%2d%2d_%2d%2d%2d.sql.gz", &tm.tm_year,
                            &tm.tm_mon, &tm.tm_mday, &tm.tm_hour, &tm.tm_min,
                            &tm.tm_sec), 6);
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    tm.tm_isdst = -1;
    assert_int_equal(tm.tm_hour, 3);
    assert_int_equal(tm.tm_min, 0);
    return mktime(&tm);
}

static void check_backup(const char *dir, const char *name, int *good, int *bad)
{
    char *path = xasprintf("%s/%s", dir, name);
    char head[64] = { 0 };
    struct stat st;

    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mtime, name_time(name));
    if (gz_complete(path, head, sizeof head - 1)) {
        assert_non_null(strstr(head, "PostgreSQL database dump"));
        (*good)++;
    } else {
        (*bad)++;
    }
    free(path);
}

static void test_backups(void **state)
{
    struct demo_opts o = opts();
    char *dir = demo_backup_dir(&o), *logpath, *log;
    DIR *dp = opendir(dir);
    struct dirent *e;
    int good = 0, bad = 0;
    FILE *f;

    (void)state;
    assert_non_null(dp);
    while ((e = readdir(dp)))
        if (e->d_name[0] != '.')
            check_backup(dir, e->d_name, &good, &bad);
    closedir(dp);
    assert_int_equal(good, 6);
    assert_int_equal(bad, 1);
    logpath = xasprintf("%s/nexus-backup.log", home);
    f = fopen(logpath, "r");
    assert_non_null(f);
    log = xcalloc(1, 65536);
    assert_true(fread(log, 1, 65535, f) > 0);
    fclose(f);
    assert_non_null(strstr(log, "ERROR"));
    assert_non_null(strstr(log, "No space left on device"));
    free(log);
    free(logpath);
    free(dir);
}

/* ---- stop, restart, redo ----------------------------------------------------------- */

static void test_stop_and_restart(void **state)
{
    struct demo_opts o = opts();
    char *err = NULL, *ci = ensure(), *finished;

    (void)state;
    finished = value(ci, "SELECT finished_at::text FROM degux_demo.loaded");
    assert_true(demo_stop(&o, &err));
    assert_null(err);
    assert_int_equal(PQping(ci), PQPING_NO_RESPONSE);
    assert_true(demo_stop(&o, &err)); /* stopping a stopped demo is fine */
    free(ci);
    ci = ensure();
    assert_value(ci, "SELECT finished_at::text FROM degux_demo.loaded", finished);
    free(finished);
    free(ci);
}

static void test_unfinished_load_is_redone(void **state)
{
    char *ci = ensure(), *ci2;
    char want[32];

    (void)state;
    exec_sql(ci, "DROP TABLE degux_demo.loaded");
    free(ci);
    ci2 = ensure();
    snprintf(want, sizeof want, "%d", SIZE);
    assert_value(ci2, "SELECT count(*) FROM referenciales", want);
    assert_value(ci2, "SELECT count(*) FROM degux_demo.loaded", "1");
    free(ci2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_default_dir),
        cmocka_unit_test(test_missing_programs),
        cmocka_unit_test(test_missing_data),
        cmocka_unit_test(test_relative_dir),
        cmocka_unit_test(test_create),
        cmocka_unit_test(test_reuse_is_fast),
        cmocka_unit_test(test_backups),
        cmocka_unit_test(test_stop_and_restart),
        cmocka_unit_test(test_unfinished_load_is_redone),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
