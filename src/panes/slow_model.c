/* The slow pane's model: the statements, activity and header queries, their
 * results turned into domain rows, the guidance when pg_stat_statements
 * cannot be read, and the write actions (cancel, terminate, reset). */
#include "autoconfig.h"

#include "panes/slow.h"

#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "core/sql.h"
#include "core/xalloc.h"
#include "i18n.h"

/* SQLSTATE of "pg_stat_statements must be loaded via
 * shared_preload_libraries". */
#define NOT_IN_PREREQUISITE_STATE "55000"

static void submit(struct pane *p, struct db_job *job)
{
    struct slowp *s = slow_state(p);

    /* In reports there is no app: the pane submits to the db itself. */
    if (s->batch) {
        job->owner = p;
        db_submit(p->db, job);
    } else {
        app_submit(p, job);
    }
}

void slow_model_init(struct pane *p, double threshold_ms, int refresh_ms)
{
    struct slowp *s = xcalloc(1, sizeof *s);
    const struct db_info *in = db_info(p->db);

    p->state = s;
    s->threshold_ms = threshold_ms > 0 ? threshold_ms : 100;
    s->refresh_ms = refresh_ms >= 200 ? refresh_ms : 2000;
    s->sort = SLOW_COL_MEAN;
    s->sort_desc = true;
    s->hdr.read_all_stats = true;   /* until the header says otherwise */
    s->missing = in->pgss_version ? SLOW_HAVE_PGSS : SLOW_NO_EXTENSION;
    s->dbname = in->dbname ? in->dbname : "";
}

static void snapshot_free(struct slow_snapshot *sn)
{
    PQclear(sn->res);
    free(sn->v);
    *sn = (struct slow_snapshot){ 0 };
}

void slow_model_free(struct slowp *s)
{
    snapshot_free(&s->base);
    snapshot_free(&s->cur);
    free(s->rows);
    free(s->stmt_error);
    PQclear(s->act_res);
    free(s->act);
    free(s->hdr.user);
    free(s);
}

bool slow_statements_usable(const struct slowp *s)
{
    return s->missing == SLOW_HAVE_PGSS && !s->stmt_error;
}

/* ---- statements --------------------------------------------------------- */

static long long ll(const PGresult *r, int row, int col)
{
    return strtoll(PQgetvalue(r, row, col), NULL, 10);
}

static double dbl(const PGresult *r, int row, int col)
{
    return PQgetisnull(r, row, col) ? -1 : strtod(PQgetvalue(r, row, col),
                                                   NULL);
}

static void stmt_from_row(struct slow_stmt *st, const PGresult *r, int i)
{
    *st = (struct slow_stmt){
        .userid = ll(r, i, 0), .dbid = ll(r, i, 1), .queryid = ll(r, i, 2),
        .has_queryid = !PQgetisnull(r, i, 2), .user = PQgetvalue(r, i, 3),
        .dbname = PQgetvalue(r, i, 4), .calls = ll(r, i, 5),
        .total_ms = dbl(r, i, 6), .stddev_ms = dbl(r, i, 7),
        .max_ms = dbl(r, i, 8), .rows = ll(r, i, 9),
        .blks_hit = ll(r, i, 10), .blks_read = ll(r, i, 11),
        .temp_blks = ll(r, i, 12), .query = PQgetvalue(r, i, 13),
    };
}

static void snapshot_take(struct slow_snapshot *sn, PGresult *res)
{
    snapshot_free(sn);
    sn->res = res;
    sn->n = PQntuples(res);
    sn->v = xmalloc((sn->n ? sn->n : 1) * sizeof *sn->v);
    for (int i = 0; i < sn->n; i++)
        stmt_from_row(&sn->v[i], res, i);
    slow_derive(sn->v, sn->n);
}

/* The baseline of the now mode becomes the latest snapshot: what runs
 * from here on is what "now" shows. */
void slow_set_baseline(struct slowp *s)
{
    snapshot_free(&s->base);
    if (!s->cur.res)
        return;
    snapshot_take(&s->base, PQcopyResult(s->cur.res, PG_COPYRES_ATTRS |
                                         PG_COPYRES_TUPLES));
}

void slow_clear_snapshots(struct slowp *s)
{
    snapshot_free(&s->base);
    snapshot_free(&s->cur);
    s->nrows = 0;
}

void slow_rebuild_rows(struct slowp *s)
{
    free(s->rows);
    s->rows = xmalloc((s->cur.n ? s->cur.n : 1) * sizeof *s->rows);
    s->reset_seen = false;
    if (s->now_mode) {
        s->nrows = slow_diff(s->base.v, s->base.n, s->cur.v, s->cur.n,
                             s->rows, &s->reset_seen);
    } else {
        memcpy(s->rows, s->cur.v, s->cur.n * sizeof *s->rows);
        s->nrows = s->cur.n;
    }
    slow_sort(s->rows, s->nrows, s->sort, s->sort_desc);
}

static void on_statements(struct db_job *job, void *arg)
{
    struct pane *p = arg;
    struct slowp *s = slow_state(p);

    s->stmt_jobs--;
    if (job->status == DB_JOB_CANCELLED || job->status == DB_JOB_LOST)
        return;
    free(s->stmt_error);
    s->stmt_error = NULL;
    if (job->status != DB_JOB_OK) {
        if (strcmp(job->sqlstate, NOT_IN_PREREQUISITE_STATE) == 0)
            s->missing = SLOW_NOT_PRELOADED;
        else
            s->stmt_error = xstrdup(job->error ? job->error : "?");
        return;
    }
    s->stmt_ms = job->elapsed_ms;
    snapshot_take(&s->cur, db_job_take_result(job));
    if (!s->base.res)
        slow_set_baseline(s);
    slow_rebuild_rows(s);
    if (!s->batch)
        app_redraw();
}

void slow_refresh_statements(struct pane *p)
{
    struct slowp *s = slow_state(p);
    struct db_job *job;

    if (s->missing != SLOW_HAVE_PGSS || s->stmt_jobs)
        return;
    job = db_job_new(_("Slow: statements"), SQL_SLOW_STATEMENTS,
                     on_statements, p);
    db_job_param(job, s->all_dbs ? "true" : "false");
    s->stmt_jobs++;
    submit(p, job);
}

/* ---- activity ----------------------------------------------------------- */

static void act_from_row(struct slow_activity_row *a, const PGresult *r,
                         int i)
{
    *a = (struct slow_activity_row){
        .pid = atoi(PQgetvalue(r, i, 0)), .user = PQgetvalue(r, i, 2),
        .app = PQgetvalue(r, i, 3), .client = PQgetvalue(r, i, 4),
        .state = PQgetvalue(r, i, 5), .wait = PQgetvalue(r, i, 6),
        .query_ms = dbl(r, i, 7), .state_ms = dbl(r, i, 8),
        .query = PQgetvalue(r, i, 9),
    };
    a->nblockers = slow_parse_pids(PQgetvalue(r, i, 1), a->blockers, 16);
}

/* Rows in tree order: blocked sessions right under their blocker. */
static void act_order(struct slowp *s, struct slow_activity_row *rows, int n)
{
    struct slow_session *ss = xmalloc((n ? n : 1) * sizeof *ss);
    int *order = xmalloc((n ? n : 1) * sizeof *order);
    int *depth = xmalloc((n ? n : 1) * sizeof *depth);

    for (int i = 0; i < n; i++)
        ss[i] = (struct slow_session){ rows[i].pid, rows[i].blockers,
                                       rows[i].nblockers };
    slow_tree(ss, n, order, depth);
    for (int i = 0; i < n; i++) {
        s->act[i] = rows[order[i]];
        s->act[i].depth = depth[i];
        s->act[i].blocks = slow_blocks_count(ss, n, s->act[i].pid);
    }
    free(ss);
    free(order);
    free(depth);
}

static void on_activity(struct db_job *job, void *arg)
{
    struct pane *p = arg;
    struct slowp *s = slow_state(p);
    struct slow_activity_row *rows;
    int n;

    s->act_jobs--;
    if (job->status != DB_JOB_OK)
        return;
    s->act_ms = job->elapsed_ms;
    PQclear(s->act_res);
    s->act_res = db_job_take_result(job);
    n = PQntuples(s->act_res);
    rows = xmalloc((n ? n : 1) * sizeof *rows);
    for (int i = 0; i < n; i++)
        act_from_row(&rows[i], s->act_res, i);
    free(s->act);
    s->act = xmalloc((n ? n : 1) * sizeof *s->act);
    s->nact = n;
    act_order(s, rows, n);
    free(rows);
    if (!s->batch)
        app_redraw();
}

void slow_refresh_activity(struct pane *p)
{
    struct slowp *s = slow_state(p);

    if (s->act_jobs)
        return;
    s->act_jobs++;
    submit(p, db_job_new(_("Slow: activity"), SQL_SLOW_ACTIVITY, on_activity,
                         p));
}

/* ---- header ------------------------------------------------------------- */

static void on_header(struct db_job *job, void *arg)
{
    struct pane *p = arg;
    struct slowp *s = slow_state(p);
    const PGresult *r = job->result;

    s->hdr_jobs--;
    if (job->status != DB_JOB_OK || PQntuples(r) != 1)
        return;
    free(s->hdr.user);
    s->hdr = (struct slow_header){
        .known = true, .connections = ll(r, 0, 0),
        .max_connections = ll(r, 0, 1), .idle_in_tx = ll(r, 0, 2),
        .over_60s = ll(r, 0, 3), .hit_rate = dbl(r, 0, 4),
        .read_all_stats = *PQgetvalue(r, 0, 5) == 't' ||
                          db_info(p->db)->superuser,
        .user = xstrdup(PQgetvalue(r, 0, 6)),
    };
    if (!s->batch)
        app_redraw();
}

void slow_refresh_header(struct pane *p)
{
    struct slowp *s = slow_state(p);

    if (s->hdr_jobs)
        return;
    s->hdr_jobs++;
    submit(p, db_job_new(_("Slow: alarms"), SQL_SLOW_HEADER, on_header, p));
}

/* ---- guidance ----------------------------------------------------------- */

static void add(char ***v, int *n, char *line)
{
    *v = xrealloc(*v, (*n + 2) * sizeof **v);
    (*v)[(*n)++] = line;
    (*v)[*n] = NULL;
}

static void guide_preload(char ***v, int *n)
{
    add(v, n, xstrdup(_("Load it when the server starts: in postgresql.conf "
                        "set")));
    add(v, n, xstrdup("    shared_preload_libraries = 'pg_stat_statements'"));
    add(v, n, xstrdup(_("or, with docker-compose and the postgis/postgis "
                        "image, give the service:")));
    add(v, n, xstrdup("    command: postgres -c "
                      "shared_preload_libraries=pg_stat_statements"));
    add(v, n, xstrdup(_("then restart the server (a reload is not enough).")));
}

static void guide_extension(char ***v, int *n, const char *db)
{
    add(v, n, xasprintf(_("Create the extension in the database %s, as a "
                          "superuser:"), db));
    add(v, n, xstrdup("    CREATE EXTENSION pg_stat_statements;"));
}

static void guide_privilege(char ***v, int *n, const char *user)
{
    add(v, n, xasprintf(_("The role %s cannot see other roles' statements "
                          "and sessions. As a superuser, run:"), user));
    add(v, n, xasprintf("    GRANT pg_read_all_stats TO %s;", user));
}

char **slow_guidance(const struct slowp *s)
{
    char **v = NULL;
    int n = 0;

    if (s->missing == SLOW_NO_EXTENSION) {
        add(&v, &n, xstrdup(_("pg_stat_statements is not installed in this "
                              "database.")));
        guide_preload(&v, &n);
        guide_extension(&v, &n, s->dbname);
    } else if (s->missing == SLOW_NOT_PRELOADED) {
        add(&v, &n, xstrdup(_("pg_stat_statements is installed but not "
                              "loaded: it must be in "
                              "shared_preload_libraries.")));
        guide_preload(&v, &n);
    }
    if (s->hdr.known && !s->hdr.read_all_stats)
        guide_privilege(&v, &n, s->hdr.user);
    return v;
}

void slow_guidance_free(char **lines)
{
    for (int i = 0; lines && lines[i]; i++)
        free(lines[i]);
    free(lines);
}

/* ---- write actions ------------------------------------------------------ */

static void on_signal(struct db_job *job, void *arg)
{
    struct pane *p = arg;

    if (job->status != DB_JOB_OK)
        app_error(_("Failed: %s"), job->error ? job->error : "?");
    else if (PQntuples(job->result) != 1 ||
             *PQgetvalue(job->result, 0, 0) != 't')
        app_error("%s", _("The server did not signal the backend (it may "
                          "have ended, or the role may not)."));
    else
        app_message(_("Signal sent to backend %d."), job->tag);
    slow_refresh_activity(p);
}

void slow_backend_signal(struct pane *p, int pid, bool terminate)
{
    struct db_job *job;

    job = db_job_new(terminate ? _("Slow: terminate backend")
                               : _("Slow: cancel query"),
                     terminate ? SQL_SLOW_TERMINATE : SQL_SLOW_CANCEL,
                     on_signal, p);
    db_job_paramf(job, "%d", pid);
    job->tag = pid;
    job->write = true;
    submit(p, job);
}

static void on_reset(struct db_job *job, void *arg)
{
    struct pane *p = arg;
    struct slowp *s = slow_state(p);

    if (job->status != DB_JOB_OK) {
        app_error(_("Reset failed: %s"), job->error ? job->error : "?");
        return;
    }
    app_message("%s", _("pg_stat_statements was reset."));
    snapshot_free(&s->base);
    slow_refresh_statements(p);
}

void slow_stats_reset(struct pane *p)
{
    struct db_job *job = db_job_new(_("Slow: reset statistics"),
                                    SQL_SLOW_RESET, on_reset, p);

    job->write = true;
    submit(p, job);
}
