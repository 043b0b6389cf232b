/* "Could this identity update row R?": inside the simulation's rolled-back
 * read-only transaction, a SELECT as the role finds the row (its SELECT
 * policies apply) and tests the UPDATE policies' combined USING on it, so
 * the answer comes without writing anything. */
#include "autoconfig.h"

#include "panes/rls.h"

#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "core/sql.h"
#include "core/xalloc.h"
#include "i18n.h"

static void on_check(struct db_job *job, void *arg)
{
    struct pane *p = arg;
    struct rlsp *s = rls_state(p);
    const PGresult *r = job->result;

    if (job->status != DB_JOB_OK) {
        if (!s->sim_failed && job->error)
            s->sim_error = xstrdup(job->error);
        s->sim_failed = true;
    } else if (!job->skipped && PQntuples(r) == 1) {
        s->check_grant = strcmp(PQgetvalue(r, 0, 0), "t") == 0;
        s->check_visible = strcmp(PQgetvalue(r, 0, 1), "t") == 0;
        s->check_allowed = strcmp(PQgetvalue(r, 0, 2), "t") == 0;
        s->check_done = true;
    }
    app_redraw();
}

/* Never outside the identity's transaction (a failed SET ROLE aborts it,
 * a failed BEGIN leaves none). */
static bool check_ready(struct db_job *job, void *arg)
{
    struct pane *p = arg;

    (void)job;
    return !rls_state(p)->sim_failed && db_in_transaction(p->db);
}

static char *quote(struct pane *p, const char *name)
{
    char *q = PQescapeIdentifier(db_conn(p->db), name, strlen(name));
    char *out = xstrdup(q ? q : "\"\"");

    PQfreemem(q);
    return out;
}

static char *check_sql(struct pane *p, int i)
{
    struct rlsp *s = rls_state(p);
    const struct rls_table *t = &s->tables[i];
    char *sch = quote(p, t->schema), *tab = quote(p, t->name);
    char *key = quote(p, s->extra[i].pk);
    char *expr = rlslint_combined(&s->cat, t, RLS_CMD_UPDATE, s->sim_role,
                                  false);
    char *sql = xasprintf("%s%s.%s%s%s%s%s.%s%s%s%s%s%s", SQL_RLS_CHECK_PRIV,
                          sch, tab, SQL_RLS_CHECK_WHERE, key,
                          SQL_RLS_CHECK_ROW, sch, tab, SQL_RLS_CHECK_WHERE,
                          key, SQL_RLS_CHECK_AND, expr, SQL_RLS_CHECK_END);

    free(sch);
    free(tab);
    free(key);
    free(expr);
    return sql;
}

void rls_check_update(struct pane *p, int table, const char *row)
{
    struct rlsp *s = rls_state(p);
    struct db_job *job;
    char *sql, *r = xstrdup(row);

    if (table < 0 || table >= s->ntables || !s->extra[table].pk) {
        app_error("%s", _("The row check needs a table with a one-column "
                          "primary key"));
        free(r);
        return;
    }
    if (!s->sim_role) {
        app_error("%s", _("Simulate an identity first (S)"));
        free(r);
        return;
    }
    if (!rls_sim_begin(p, s->sim_role, s->sim_user)) {
        free(r);
        return;
    }
    free(s->check_row);
    s->check_row = r;
    s->check_table = table;
    s->check_done = false;
    sql = check_sql(p, table);
    job = db_job_new(_("RLS: row check"), sql, on_check, p);
    db_job_param(job, r);
    db_job_param(job, s->extra[table].oid);
    job->before_send = check_ready;
    app_submit(p, job);
    free(sql);
    rls_sim_end(p);
}
