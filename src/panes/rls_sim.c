/* The RLS simulation: inside BEGIN READ ONLY … ROLLBACK, SET LOCAL ROLE and
 * the user id for auth.uid(), then one statement counts the rows every
 * table with RLS shows that identity. The transaction is always rolled
 * back: nothing the simulation does can outlive it. */
#include "autoconfig.h"

#include "panes/rls.h"

#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "core/sql.h"
#include "core/xalloc.h"
#include "domain/advisor.h"
#include "i18n.h"

/* A sample's tag is STEP_SAMPLE plus its table's index. */
enum { STEP_BEGIN, STEP_ROLE, STEP_SUB, STEP_PRIVS, STEP_COUNT, STEP_END,
       STEP_SAMPLE };

void rls_sim_clear(struct rlsp *s)
{
    free(s->sim_role);
    free(s->sim_user);
    free(s->sim_error);
    free(s->sim_hint);
    s->sim_role = s->sim_user = s->sim_error = s->sim_hint = NULL;
    s->sim_done = s->sim_failed = s->sim_running = false;
    free(s->check_row);
    s->check_row = NULL;
    s->check_table = -1;
    s->check_done = false;
    for (int i = 0; i < s->ntables; i++) {
        s->extra[i].visible = RLS_NOT_COUNTED;
        PQclear(s->extra[i].sample);
        s->extra[i].sample = NULL;
    }
}

/* SET ROLE refused: the session's user is not a member of the role. */
static char *grant_hint(struct pane *p, const char *role)
{
    const struct db_info *in = db_info(p->db);
    char *r = advisor_quote_ident(role);
    char *u = advisor_quote_ident(in->user ? in->user : "");
    char *hint = xasprintf("GRANT %s TO %s;", r, u);

    free(r);
    free(u);
    return hint;
}

static void step_failed(struct pane *p, struct db_job *job)
{
    struct rlsp *s = rls_state(p);

    if (s->sim_failed)
        return;     /* later steps only fail because the first one did */
    s->sim_failed = true;
    s->sim_error = xstrdup(job->error ? job->error : _("cancelled"));
    if (job->tag == STEP_ROLE && strcmp(job->sqlstate, "42501") == 0)
        s->sim_hint = grant_hint(p, s->sim_role);
}

static void on_privileges(struct rlsp *s, const PGresult *res)
{
    for (int r = 0; r < PQntuples(res); r++)
        for (int i = 0; i < s->ntables; i++)
            if (strcmp(s->extra[i].oid, PQgetvalue(res, r, 0)) == 0)
                s->extra[i].visible =
                    strcmp(PQgetvalue(res, r, 1), "t") == 0 ? 0 : RLS_NO_GRANT;
}

static void on_counts(struct rlsp *s, const PGresult *res)
{
    for (int r = 0; r < PQntuples(res); r++) {
        int i = atoi(PQgetvalue(res, r, 0));
        if (i >= 0 && i < s->ntables)
            s->extra[i].visible = atoll(PQgetvalue(res, r, 1));
    }
}

static void on_step(struct db_job *job, void *arg)
{
    struct pane *p = arg;
    struct rlsp *s = rls_state(p);

    if (job->status != DB_JOB_OK && job->tag != STEP_END)
        step_failed(p, job);
    else if (job->tag == STEP_PRIVS && !s->sim_failed)
        on_privileges(s, job->result);
    else if (job->tag == STEP_COUNT && !job->skipped && !s->sim_failed)
        on_counts(s, job->result);
    else if (job->tag >= STEP_SAMPLE && !job->skipped && !s->sim_failed &&
             job->tag - STEP_SAMPLE < s->ntables)
        s->extra[job->tag - STEP_SAMPLE].sample = db_job_take_result(job);
    if (job->tag == STEP_END) {
        s->sim_running = false;
        s->sim_done = true;
        if (job->status != DB_JOB_OK && !s->sim_error)
            s->sim_error = xstrdup(job->error ? job->error : "ROLLBACK");
    }
    app_redraw();
}

/* Built when the privileges are known, just before it is sent: only the
 * tables the role may read are counted (one refused table would abort the
 * whole statement). */
static bool build_count(struct db_job *job, void *arg)
{
    struct pane *p = arg;
    struct rlsp *s = rls_state(p);
    char *sql = NULL;

    if (s->sim_failed || !db_in_transaction(p->db))
        return false;
    for (int i = 0; i < s->ntables; i++) {
        if (!s->tables[i].enabled || s->extra[i].visible != 0)
            continue;
        char *q = advisor_qualified(s->tables[i].schema, s->tables[i].name);
        char *next = xasprintf("%s%s%s%d%s%s", sql ? sql : "",
                               sql ? SQL_RLS_COUNT_JOIN : "",
                               SQL_RLS_COUNT_SELECT, i, SQL_RLS_COUNT_FROM, q);
        free(q);
        free(sql);
        sql = next;
    }
    if (!sql)
        return false;
    free(job->sql);
    job->sql = sql;
    return true;
}

/* A few rows of a table the identity sees some of. */
static bool build_sample(struct db_job *job, void *arg)
{
    struct pane *p = arg;
    struct rlsp *s = rls_state(p);
    int i = job->tag - STEP_SAMPLE;
    char *q;

    if (s->sim_failed || !db_in_transaction(p->db) || i >= s->ntables ||
        s->extra[i].visible <= 0)
        return false;
    q = advisor_qualified(s->tables[i].schema, s->tables[i].name);
    free(job->sql);
    job->sql = xasprintf("%s%s%s", SQL_RLS_SAMPLE_SELECT, q,
                         SQL_RLS_SAMPLE_LIMIT);
    free(q);
    return true;
}

static char *table_oids(const struct rlsp *s)
{
    char *list = xstrdup("{");

    for (int i = 0; i < s->ntables; i++) {
        if (!s->tables[i].enabled)
            continue;
        char *next = xasprintf("%s%s%s", list, list[1] ? "," : "",
                               s->extra[i].oid);
        free(list);
        list = next;
    }
    char *out = xasprintf("%s}", list);
    free(list);
    return out;
}

static void submit_step(struct pane *p, int step, const char *sql)
{
    struct db_job *job = db_job_new(_("RLS: simulate"), sql, on_step, p);
    struct rlsp *s = rls_state(p);

    job->tag = step;
    if (step == STEP_SUB)
        db_job_param(job, s->sim_user);
    if (step == STEP_PRIVS) {
        char *oids = table_oids(s);
        db_job_param(job, oids);
        free(oids);
    }
    if (step == STEP_COUNT)
        job->before_send = build_count;
    if (step >= STEP_SAMPLE)
        job->before_send = build_sample;
    app_submit(p, job);
}

static bool sim_refused(struct pane *p)
{
    struct rlsp *s = rls_state(p);

    if (!s->loaded || s->sim_running) {
        app_error("%s", _("The simulation waits for the catalog or the "
                          "previous simulation."));
        return true;
    }
    /* Its ROLLBACK would end a transaction another pane holds open. */
    if (db_in_transaction(p->db)) {
        app_error("%s", _("The simulation waits: a transaction is open in "
                          "this session (the SQL pane's)."));
        return true;
    }
    return false;
}

bool rls_sim_begin(struct pane *p, const char *role, const char *user)
{
    struct rlsp *s = rls_state(p);
    char *quoted, *set_role, *r, *u;

    if (sim_refused(p))
        return false;
    quoted = PQescapeIdentifier(db_conn(p->db), role, strlen(role));
    if (!quoted) {
        app_error("%s", PQerrorMessage(db_conn(p->db)));
        return false;
    }
    r = xstrdup(role);                   /* role may be s->sim_role */
    u = user && *user ? xstrdup(user) : NULL;
    free(s->sim_role);
    free(s->sim_user);
    free(s->sim_error);
    free(s->sim_hint);
    s->sim_role = r;
    s->sim_user = u;
    s->sim_error = s->sim_hint = NULL;
    s->sim_failed = false;
    s->sim_running = true;
    set_role = xasprintf("%s%s", SQL_RLS_SET_ROLE, quoted);
    PQfreemem(quoted);
    submit_step(p, STEP_BEGIN, SQL_RLS_BEGIN_RO);
    submit_step(p, STEP_ROLE, set_role);
    submit_step(p, STEP_SUB, SQL_RLS_SET_SUB);
    free(set_role);
    return true;
}

void rls_sim_end(struct pane *p)
{
    submit_step(p, STEP_END, SQL_RLS_ROLLBACK);
}

void rls_simulate(struct pane *p, const char *role, const char *user)
{
    struct rlsp *s = rls_state(p);

    if (sim_refused(p))
        return;
    rls_sim_clear(s);
    if (!rls_sim_begin(p, role, user))
        return;
    submit_step(p, STEP_PRIVS, SQL_RLS_PRIVILEGES);
    submit_step(p, STEP_COUNT, SQL_RLS_COUNT_SELECT); /* replaced at send */
    for (int i = 0, n = 0; i < s->ntables && n < RLS_MAX_SAMPLES; i++)
        if (s->tables[i].enabled) {
            submit_step(p, STEP_SAMPLE + i, SQL_RLS_SAMPLE_SELECT);
            n++;
        }
    rls_sim_end(p);
}
