/* Backups pane, write mode: back up now and the restore test, as children
 * (pg_dump, psql) and jobs driven by the event loop. The connection's
 * parameters reach the children through their environment (the password
 * as PGPASSWORD), never their command line. */
#include "autoconfig.h"

#include "panes/backups_run.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/sql.h"
#include "core/xalloc.h"
#include "domain/backupname.h"
#include "i18n.h"
#include "panes/backups.h"
#include "panes/backups_child.h"

/* ---- shared ------------------------------------------------------------- */

/* "PGHOST=…" strings for every connection parameter libpq has a variable
 * for; dbname replaced when given. NULL-terminated; the caller frees each
 * and the array. */
static char **conn_env(struct db *db, const char *dbname)
{
    PQconninfoOption *opts = PQconninfo(db_conn(db));
    size_t n = 0, k = 0;
    char **env;

    for (PQconninfoOption *o = opts; o && o->keyword; o++)
        n++;
    env = xcalloc(n + 2, sizeof *env);
    for (PQconninfoOption *o = opts; o && o->keyword; o++) {
        if (!o->envvar || !o->val || !*o->val)
            continue;
        if (dbname && strcmp(o->keyword, "dbname") == 0)
            continue;
        env[k++] = xasprintf("%s=%s", o->envvar, o->val);
    }
    if (dbname)
        env[k++] = xasprintf("PGDATABASE=%s", dbname);
    PQconninfoFree(opts);
    return env;
}

static void env_free(char **env)
{
    for (size_t i = 0; env && env[i]; i++)
        free(env[i]);
    free(env);
}

static void add_line(struct backups_run *r, char *line)
{
    r->lines = xrealloc(r->lines, (size_t)(r->nlines + 1) * sizeof *r->lines);
    r->lines[r->nlines++] = line;
}

static void fail(struct backups_run *r, char *why)
{
    if (!r->error)
        r->error = why;
    else
        free(why);
    r->failed = true;
}

static void finish(struct backups_run *r)
{
    r->done = true;
    if (r->on_done)
        r->on_done(r, r->arg);
}

void backups_run_set_done(struct backups_run *r,
                          void (*fn)(struct backups_run *, void *), void *arg)
{
    r->on_done = fn;
    r->arg = arg;
}

/* The last line of a child's stderr, for messages (a static buffer: the
 * loop is single-threaded and the message is formatted at once). */
static const char *last_line(const char *err)
{
    static char line[512];
    size_t n = strlen(err);
    const char *s;

    while (n > 0 && (err[n - 1] == '\n' || err[n - 1] == '\r'))
        n--;
    s = err + n;
    while (s > err && s[-1] != '\n')
        s--;
    snprintf(line, sizeof line, "%.*s", (int)(err + n - s), s);
    return line;
}

/* ---- back up now -------------------------------------------------------- */

static bool now_out(const char *data, size_t len, void *arg)
{
    struct backups_run *r = arg;

    r->dumped += len;
    if (gzwrite(r->gz, data, (unsigned)len) != (int)len) {
        fail(r, xasprintf(_("cannot write %s"), r->partial));
        return false;
    }
    return true;
}

/* Compressed data closed, on disk (fsync), and named: a crash at any
 * point leaves either the .partial file or the whole backup. */
static bool now_commit(struct backups_run *r)
{
    char *dir = xstrdup(r->final);
    int dfd;
    bool ok = gzclose(r->gz) == Z_OK;

    r->gz = NULL;
    ok = ok && fsync(r->fd) == 0;
    ok = close(r->fd) == 0 && ok;
    r->fd = -1;
    /* link + unlink: never replaces a backup of the same name. */
    ok = ok && link(r->partial, r->final) == 0;
    if (!ok)
        fail(r, xasprintf(_("cannot write %s: %s"), r->final,
                          strerror(errno)));
    unlink(r->partial);
    dfd = open(dirname(dir), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        fsync(dfd);
        close(dfd);
    }
    free(dir);
    return ok;
}

static void now_discard(struct backups_run *r)
{
    if (r->gz)
        gzclose(r->gz);
    r->gz = NULL;
    if (r->fd >= 0)
        close(r->fd);
    r->fd = -1;
    unlink(r->partial);
}

static void now_exit(int status, const char *err, void *arg)
{
    struct backups_run *r = arg;

    if (status != 0 && !r->failed)
        fail(r, r->cancelled ? xstrdup(_("cancelled"))
                             : xasprintf(_("pg_dump failed (status %d): %s"),
                                         status, last_line(err)));
    if (!r->failed && now_commit(r)) {
        char *size = backups_format_size((int64_t)r->dumped);
        add_line(r, xasprintf(_("Backed up %s of pg_dump output into %s"),
                              size, r->final));
        free(size);
    } else {
        now_discard(r);
    }
    finish(r);
}

/* The pattern's conversions (%Y %m %d %H %M %S %%, all a usable pattern
 * has) filled from the clock; NULL for an unusable pattern. */
static char *now_name(const char *dir, const char *pattern)
{
    time_t t = time(NULL);
    struct tm tm;
    char name[512] = "";
    size_t n = 0;

    if (backupname_pattern_check(pattern))
        return NULL;
    localtime_r(&t, &tm);
    for (const char *p = pattern; *p && n < sizeof name - 8; p++) {
        int v = -1, w = 2;
        if (*p != '%' || !p[1]) {
            name[n++] = *p;
            continue;
        }
        switch (*++p) {
        case 'Y': v = tm.tm_year + 1900; w = 4; break;
        case 'm': v = tm.tm_mon + 1; break;
        case 'd': v = tm.tm_mday; break;
        case 'H': v = tm.tm_hour; break;
        case 'M': v = tm.tm_min; break;
        case 'S': v = tm.tm_sec; break;
        default: name[n++] = *p; continue;
        }
        n += (size_t)snprintf(name + n, sizeof name - n, "%0*d", w, v);
    }
    name[n] = '\0';
    return xasprintf("%s/%s", dir, name);
}

static bool now_open(struct backups_run *r, const char *dir,
                     const char *pattern, char **err)
{
    int gzfd;

    r->final = now_name(dir, pattern);
    if (!r->final) {
        *err = xstrdup(_("the backup name pattern gives no name"));
        return false;
    }
    r->partial = xasprintf("%s.partial", r->final);
    r->fd = open(r->partial, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (r->fd < 0) {
        *err = xasprintf(_("cannot create %s: %s"), r->partial,
                         strerror(errno));
        return false;
    }
    gzfd = dup(r->fd);
    r->gz = gzfd >= 0 ? gzdopen(gzfd, "wb6") : NULL;
    if (!r->gz) {
        *err = xasprintf(_("cannot write %s"), r->partial);
        now_discard(r);
        return false;
    }
    return true;
}

static struct backups_run *run_new(struct pane *p, struct db *db,
                                   enum backups_run_kind kind)
{
    struct backups_run *r = xcalloc(1, sizeof *r);

    r->kind = kind;
    r->pane = p;
    r->db = db;
    r->fd = -1;
    return r;
}

struct backups_run *backups_run_now(struct pane *p, struct db *db,
                                    const char *dir, const char *pattern,
                                    char **err)
{
    static const struct backups_child_ops ops = { .on_out = now_out,
                                                  .on_exit = now_exit };
    struct backups_run *r = run_new(p, db, BACKUPS_RUN_NOW);
    char *argv[] = { "pg_dump", "--no-password", NULL };
    char **env;

    if (!now_open(r, dir, pattern, err)) {
        backups_run_free(r);
        return NULL;
    }
    env = conn_env(db, NULL);
    r->child = backups_child_start(argv, env, &ops, r);
    env_free(env);
    if (!r->child) {
        *err = xasprintf(_("cannot start pg_dump: %s"), strerror(errno));
        now_discard(r);
        backups_run_free(r);
        return NULL;
    }
    return r;
}

/* ---- restore test ------------------------------------------------------- */

static void restore_drop(struct backups_run *r);
static void restore_compare(struct backups_run *r);

static void submit(struct backups_run *r, const char *label, char *sql,
                   db_job_fn done, bool write)
{
    struct db_job *job = db_job_new(label, sql, done, r);

    job->write = write;
    job->owner = r;
    free(sql);
    r->pending++;
    db_submit(r->db, job);
}

static size_t restore_peek(const char **data, void *arg)
{
    struct backups_run *r = arg;

    if (r->off == r->len) {
        int n = gzread(r->src, r->buf, sizeof r->buf);
        r->len = n > 0 ? (size_t)n : 0;
        r->off = 0;
        if (n < 0)
            fail(r, xasprintf(_("cannot read %s"), r->file));
    }
    *data = r->buf + r->off;
    return r->len - r->off;
}

static void restore_consumed(size_t n, void *arg)
{
    ((struct backups_run *)arg)->off += n;
}

static bool drain(const char *data, size_t len, void *arg)
{
    (void)data;
    (void)len;
    (void)arg;
    return true;
}

static void restore_err(const char *data, size_t len, void *arg)
{
    struct backups_run *r = arg;
    const char *p = data, *end = data + len;

    while ((p = memmem(p, (size_t)(end - p), "ERROR:", 6)) != NULL) {
        r->sql_errors++;
        p += 6;
    }
}

static void restore_psql_exit(int status, const char *err, void *arg)
{
    struct backups_run *r = arg;

    r->pending--;
    r->restored = status == 0 && !r->failed;
    if (!r->restored && !r->failed)
        fail(r, r->cancelled ? xstrdup(_("cancelled"))
                             : xasprintf(_("psql failed (status %d): %s"),
                                         status, last_line(err)));
    backups_child_free(r->child);
    r->child = NULL;
    if (r->restored)
        restore_compare(r);
    else
        restore_drop(r);
}

static void restore_start_psql(struct backups_run *r)
{
    static const struct backups_child_ops ops = {
        .on_out = drain, .on_err = restore_err, .in_peek = restore_peek,
        .in_consumed = restore_consumed, .on_exit = restore_psql_exit,
    };
    char *argv[] = { "psql", "--no-password", "-X", "-q", NULL };
    char **env = conn_env(r->db, r->scratch);

    r->child = backups_child_start(argv, env, &ops, r);
    env_free(env);
    if (!r->child) {
        fail(r, xasprintf(_("cannot start psql: %s"), strerror(errno)));
        restore_drop(r);
        return;
    }
    r->pending++;
}

static void on_created(struct db_job *job, void *arg)
{
    struct backups_run *r = arg;

    r->pending--;
    if (job->status != DB_JOB_OK) {
        fail(r, xasprintf(_("cannot create the scratch database: %s"),
                          job->error ? job->error : _("cancelled")));
        finish(r);
        return;
    }
    r->created = true;
    if (r->cancelled)
        restore_drop(r);
    else
        restore_start_psql(r);
}

/* ---- comparing ---------------------------------------------------------- */

static bool counts_out(const char *data, size_t len, void *arg)
{
    struct backups_run *r = arg;

    r->counts = xrealloc(r->counts, r->counts_len + len + 1);
    memcpy(r->counts + r->counts_len, data, len);
    r->counts_len += len;
    r->counts[r->counts_len] = '\0';
    return true;
}

/* The scratch side's count of table, or -1 when it has no such table. */
static long long scratch_count(const struct backups_run *r, const char *table)
{
    size_t tl = strlen(table);

    for (const char *p = r->counts; p && *p;) {
        const char *nl = strchr(p, '\n');
        if (!strncmp(p, table, tl) && p[tl] == '|')
            return atoll(p + tl + 1);
        p = nl ? nl + 1 : p + strlen(p);
    }
    return -1;
}

/* One plural form per count: a sentence with three numbers has none. */
static char *summary_line(const struct backups_run *r, int tables)
{
    char *t = xasprintf(P_("%d table compared", "%d tables compared",
                           (unsigned long)tables), tables);
    char *d = xasprintf(P_("%d differs", "%d differ", (unsigned long)r->diffs),
                        r->diffs);
    char *e = xasprintf(P_("%d SQL error during the restore",
                           "%d SQL errors during the restore",
                           (unsigned long)r->sql_errors), r->sql_errors);
    char *out = xasprintf(_("Restore test of %s: %s, %s; %s"), r->file, t, d,
                          e);

    free(t);
    free(d);
    free(e);
    return out;
}

static void compare_lines(struct backups_run *r)
{
    int tables = PQntuples(r->live);

    for (int i = 0; i < tables; i++) {
        const char *t = PQgetvalue(r->live, i, 0);
        long long live = atoll(PQgetvalue(r->live, i, 1));
        long long got = scratch_count(r, t);
        if (got == live)
            continue;
        r->diffs++;
        add_line(r, got < 0
            ? xasprintf(P_("  %s: %lld row live, missing in the backup",
                           "  %s: %lld rows live, missing in the backup",
                           (unsigned long)live), t, live)
            : xasprintf(P_("  %s: %lld row live, %lld in the backup",
                           "  %s: %lld rows live, %lld in the backup",
                           (unsigned long)live), t, live, got));
    }
    add_line(r, summary_line(r, tables));
    /* The summary first. */
    char *sum = r->lines[r->nlines - 1];
    memmove(r->lines + 1, r->lines,
            (size_t)(r->nlines - 1) * sizeof *r->lines);
    r->lines[0] = sum;
}

static void compare_maybe(struct backups_run *r)
{
    if (r->pending > 0)
        return;
    if (!r->failed && r->live)
        compare_lines(r);
    restore_drop(r);
}

static void on_live_counts(struct db_job *job, void *arg)
{
    struct backups_run *r = arg;

    r->pending--;
    if (job->status == DB_JOB_OK)
        r->live = db_job_take_result(job);
    else
        fail(r, xasprintf(_("cannot count the live rows: %s"),
                          job->error ? job->error : _("cancelled")));
    compare_maybe(r);
}

static void counts_exit(int status, const char *err, void *arg)
{
    struct backups_run *r = arg;

    r->pending--;
    if (status != 0)
        fail(r, xasprintf(_("cannot count the restored rows: %s"),
                          last_line(err)));
    backups_child_free(r->child);
    r->child = NULL;
    compare_maybe(r);
}

static void restore_compare(struct backups_run *r)
{
    static const struct backups_child_ops ops = { .on_out = counts_out,
                                                  .on_exit = counts_exit };
    char *argv[] = { "psql", "--no-password", "-X", "-A", "-t", "-q",
                     "-F", "|", "-c", (char *)SQL_BACKUPS_ROW_COUNTS, NULL };
    char **env = conn_env(r->db, r->scratch);

    submit(r, _("Backups: live row counts"), xstrdup(SQL_BACKUPS_ROW_COUNTS),
           on_live_counts, false);
    r->child = backups_child_start(argv, env, &ops, r);
    env_free(env);
    if (r->child)
        r->pending++;
    else
        fail(r, xasprintf(_("cannot start psql: %s"), strerror(errno)));
}

/* ---- dropping ----------------------------------------------------------- */

static void on_dropped(struct db_job *job, void *arg)
{
    struct backups_run *r = arg;

    r->pending--;
    if (job->status != DB_JOB_OK)
        fail(r, xasprintf(_("the scratch database %s could not be dropped: "
                            "%s"), r->scratch,
                          job->error ? job->error : _("cancelled")));
    else
        r->created = false;
    finish(r);
}

static void restore_drop(struct backups_run *r)
{
    if (!r->created) {
        finish(r);
        return;
    }
    submit(r, _("Backups: drop the scratch database"),
           xasprintf("%s%s%s", SQL_BACKUPS_DROP_DB, r->scratch_q,
                     SQL_BACKUPS_DROP_DB_END), on_dropped, true);
}

struct backups_run *backups_run_restore(struct pane *p, struct db *db,
                                        const char *file, char **err)
{
    struct backups_run *r = run_new(p, db, BACKUPS_RUN_RESTORE);
    struct stat st;
    char *q;

    r->file = xstrdup(file);
    r->src = stat(file, &st) == 0 ? gzopen(file, "rb") : NULL;
    if (!r->src) {
        *err = xasprintf(_("cannot open %s: %s"), file, strerror(errno));
        backups_run_free(r);
        return NULL;
    }
    r->src_size = (uint64_t)st.st_size;
    r->scratch = xasprintf("degux_restore_test_%ld", (long)getpid());
    q = PQescapeIdentifier(db_conn(db), r->scratch, strlen(r->scratch));
    r->scratch_q = xstrdup(q);
    PQfreemem(q);
    submit(r, _("Backups: create the scratch database"),
           xasprintf("%s%s", SQL_BACKUPS_CREATE_DB, r->scratch_q), on_created,
           true);
    return r;
}

/* ---- progress, cancel, free --------------------------------------------- */

char *backups_run_progress(const struct backups_run *r)
{
    char *a, *out;

    if (r->kind == BACKUPS_RUN_NOW) {
        a = backups_format_size((int64_t)r->dumped);
        out = xasprintf(_("Backing up: %s from pg_dump (x cancels)"), a);
    } else {
        uint64_t at = r->src ? (uint64_t)gzoffset(r->src) : 0;
        a = backups_format_size((int64_t)at);
        out = xasprintf(_("Restore test: %s of %s read (%.0f%%; x cancels)"),
                        a, r->file, r->src_size ? 100.0 * (double)at /
                                                      (double)r->src_size
                                                : 0);
    }
    free(a);
    return out;
}

void backups_run_cancel(struct backups_run *r)
{
    if (r->done)
        return;
    r->cancelled = true;
    if (r->child)
        backups_child_kill(r->child);
}

/* At exit, synchronously: the console is going away. */
static void run_cleanup_now(struct backups_run *r)
{
    char *sql, *err = NULL;
    PGresult *res;

    if (r->kind == BACKUPS_RUN_NOW && r->partial && r->fd >= 0)
        now_discard(r);
    /* Even when CREATE DATABASE was cancelled: it may have committed. */
    if (r->kind != BACKUPS_RUN_RESTORE || !r->scratch_q)
        return;
    db_drop_owner(r->db, r);
    db_wait_idle(r->db);
    sql = xasprintf("%s%s%s", SQL_BACKUPS_DROP_DB, r->scratch_q,
                     SQL_BACKUPS_DROP_DB_END);
    res = db_exec_sync(r->db, sql, 0, NULL, &err);
    PQclear(res);
    free(err);
    free(sql);
}

void backups_run_free(struct backups_run *r)
{
    if (!r)
        return;
    r->on_done = NULL;
    if (r->child)
        backups_child_free(r->child);
    r->child = NULL;
    if (!r->done)
        run_cleanup_now(r);
    if (r->gz)
        gzclose(r->gz);
    if (r->fd >= 0)
        close(r->fd);
    if (r->src)
        gzclose(r->src);
    PQclear(r->live);
    for (int i = 0; i < r->nlines; i++)
        free(r->lines[i]);
    free(r->lines);
    free(r->error);
    free(r->partial);
    free(r->final);
    free(r->file);
    free(r->scratch);
    free(r->scratch_q);
    free(r->counts);
    free(r);
}
