/* CSV export: COPY TO STDOUT read chunk by chunk from the loop (or, for a
 * query with parameters, single-row mode and the same CSV rules as COPY),
 * written to FILE.partial, then fsync, rename and fsync of the folder. */
#include "autoconfig.h"

#include "core/export.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/loop.h"
#include "core/xalloc.h"
#include "i18n.h"

#define PROGRESS_EVERY_MS 250
#define WRITE_BUFFER (64 * 1024)

struct export {
    struct db *db;
    struct db_job *job;     /* while queued or running */
    char *path, *partial;
    FILE *f;
    long long bytes;
    long rows;
    bool copy;              /* COPY, else single-row with parameters */
    bool header_done;
    bool cancelled;
    char *error;
    double last_progress;
    int timer;
    export_progress_fn progress;
    export_done_fn done;
    void *arg;
};

/* ---- writing ------------------------------------------------------------- */

static void ex_set_error(struct export *e, char *msg)
{
    if (e->error)
        free(msg);
    else
        e->error = msg;
}

static void ex_write(struct export *e, const char *data, size_t len)
{
    if (e->error || e->cancelled || !len)
        return;
    if (fwrite(data, 1, len, e->f) != len) {
        ex_set_error(e, xasprintf(_("cannot write %s: %s"), e->path,
                                  strerror(errno)));
        if (e->job)
            db_job_cancel(e->db, e->job);
        return;
    }
    e->bytes += (long long)len;
}

static void ex_progress(struct export *e)
{
    double now = loop_now_ms();

    if (!e->progress || now - e->last_progress < PROGRESS_EVERY_MS)
        return;
    e->last_progress = now;
    e->progress(e, e->bytes, e->rows, e->arg);
}

/* Quoted as COPY quotes: empty strings (NULL is the empty field), the
 * delimiter, quotes, line ends, and a lone \. in a one-column file. */
static void csv_field(struct export *e, const char *v, bool single)
{
    bool quote = *v == '\0' || (single && strcmp(v, "\\.") == 0) ||
                 strpbrk(v, ",\"\n\r") != NULL;

    if (!quote) {
        ex_write(e, v, strlen(v));
        return;
    }
    ex_write(e, "\"", 1);
    while (*v) {
        size_t n = strcspn(v, "\"");
        ex_write(e, v, n);
        v += n;
        if (*v == '"') {
            ex_write(e, "\"\"", 2);
            v++;
        }
    }
    ex_write(e, "\"", 1);
}

static void csv_header(struct export *e, const PGresult *res)
{
    int n = PQnfields(res);

    for (int c = 0; c < n; c++) {
        if (c)
            ex_write(e, ",", 1);
        csv_field(e, PQfname(res, c), n == 1);
    }
    ex_write(e, "\n", 1);
    e->header_done = true;
}

static void csv_row(struct export *e, const PGresult *res, int row)
{
    int n = PQnfields(res);

    for (int c = 0; c < n; c++) {
        if (c)
            ex_write(e, ",", 1);
        if (!PQgetisnull(res, row, c))
            csv_field(e, PQgetvalue(res, row, c), n == 1);
    }
    ex_write(e, "\n", 1);
}

/* ---- job callbacks ------------------------------------------------------- */

static void on_copy(struct db_job *job, const char *data, int len, void *arg)
{
    struct export *e = arg;

    ex_write(e, data, (size_t)len);
    if (e->header_done)
        e->rows++;
    e->header_done = true;      /* COPY's first message is the header */
    ex_progress(e);
}

static void on_row(struct db_job *job, const PGresult *row, void *arg)
{
    struct export *e = arg;

    if (!e->header_done)
        csv_header(e, row);
    csv_row(e, row, 0);
    e->rows++;
    ex_progress(e);
}

static void fsync_dir(const char *path)
{
    char *copy = xstrdup(path);
    int fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);

    if (fd >= 0) {
        fsync(fd);      /* the rename itself survives a crash */
        close(fd);
    }
    free(copy);
}

static void ex_commit_file(struct export *e)
{
    int rc = fflush(e->f);

    if (rc == 0)
        rc = fsync(fileno(e->f));
    if (fclose(e->f) != 0)
        rc = -1;
    e->f = NULL;
    if (rc != 0)
        ex_set_error(e, xasprintf(_("cannot write %s: %s"), e->path,
                                  strerror(errno)));
    else if (rename(e->partial, e->path) != 0)
        ex_set_error(e, xasprintf(_("cannot rename %s to %s: %s"),
                                  e->partial, e->path, strerror(errno)));
    else
        fsync_dir(e->path);
}

static void ex_finish(struct export *e)
{
    if (e->cancelled && !e->error)
        e->error = xstrdup(_("cancelled"));
    if (!e->error && e->f)
        ex_commit_file(e);
    if (e->f)
        fclose(e->f);
    if (e->error)
        unlink(e->partial);
    e->done(e, e->error, e->error ? 0 : e->rows, e->arg);
    free(e->error);
    free(e->path);
    free(e->partial);
    free(e);
}

static void on_done(struct db_job *job, void *arg)
{
    struct export *e = arg;

    e->job = NULL;
    if (job->status != DB_JOB_OK && !e->cancelled)
        ex_set_error(e, xstrdup(job->error ? job->error
                                           : _("unknown error")));
    if (job->status == DB_JOB_OK && job->result) {
        if (!e->copy && !e->header_done)  /* no rows: the header still */
            csv_header(e, job->result);
        if (e->copy && *PQcmdTuples(job->result))
            e->rows = atol(PQcmdTuples(job->result));
    }
    ex_finish(e);
}

static void on_open_failed(void *arg)
{
    struct export *e = arg;

    e->timer = 0;
    ex_finish(e);
}

/* ---- the contract --------------------------------------------------------- */

/* The closing parenthesis goes on its own line: a trailing -- comment in
 * the query cannot swallow it. */
static char *copy_sql(const char *sql)
{
    size_t n = strlen(sql);

    while (n && strchr(" \t\r\n;", sql[n - 1]))
        n--;
    return xasprintf("COPY (\n%.*s\n) TO STDOUT WITH (FORMAT csv, HEADER)",
                     (int)n, sql);
}

static bool ex_open(struct export *e)
{
    int fd = open(e->partial, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
                  0666);

    if (fd < 0 || !(e->f = fdopen(fd, "w"))) {
        e->error = xasprintf(_("cannot create %s: %s"), e->partial,
                             strerror(errno));
        if (fd >= 0)
            close(fd);
        return false;
    }
    setvbuf(e->f, NULL, _IOFBF, WRITE_BUFFER);
    return true;
}

static struct db_job *ex_job(struct export *e, const char *sql, int nparams,
                             const char *const *params)
{
    char *text = e->copy ? copy_sql(sql) : xstrdup(sql);
    struct db_job *job = db_job_new(_("Export to CSV"), text, on_done, e);

    free(text);
    for (int i = 0; i < nparams; i++)
        db_job_param(job, params[i]);
    if (e->copy) {
        job->on_copy = on_copy;
    } else {
        job->single_row = true;
        job->on_row = on_row;
    }
    job->arg = e;
    return job;
}

struct export *export_start(struct db *db, const char *sql, int nparams,
                            const char *const *params, const char *path,
                            export_progress_fn progress, export_done_fn done,
                            void *arg)
{
    struct export *e = xcalloc(1, sizeof *e);

    e->db = db;
    e->path = xstrdup(path);
    e->partial = xasprintf("%s.partial", path);
    e->copy = nparams <= 0;
    e->progress = progress;
    e->done = done;
    e->arg = arg;
    if (!ex_open(e)) {
        e->timer = loop_timer_add(0, false, on_open_failed, e);
        return e;
    }
    e->job = ex_job(e, sql ? sql : "", nparams, params);
    db_submit(db, e->job);
    return e;
}

void export_cancel(struct export *e)
{
    if (!e || e->cancelled)
        return;
    e->cancelled = true;
    if (e->job)
        db_job_cancel(e->db, e->job);
}

long long export_bytes(const struct export *e)
{
    return e->bytes;
}

long export_rows(const struct export *e)
{
    return e->rows;
}
