/* The slow pane's statement detail: the query pretty-printed, and its
 * plan. EXPLAIN asks for the values of $1..$n on the pane's own prompt and
 * sends them as parameters; ANALYZE runs only a SELECT, inside BEGIN READ
 * ONLY … ROLLBACK, so the statement can change nothing. */
#include "autoconfig.h"

#include "panes/slow.h"

#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "core/sql.h"
#include "core/xalloc.h"
#include "i18n.h"

static void plan_free(struct slowp *s)
{
    for (int i = 0; i < s->nplan; i++)
        free(s->plan[i]);
    free(s->plan);
    free(s->plan_mark);
    free(s->plan_error);
    s->plan = NULL;
    s->plan_mark = NULL;
    s->plan_error = NULL;
    s->nplan = 0;
}

static void values_free(struct slowp *s)
{
    for (int i = 0; i < s->nvalues; i++)
        free(s->values[i]);
    free(s->values);
    s->values = NULL;
    s->nvalues = s->want_values = 0;
}

void slow_detail_close(struct slowp *s)
{
    plan_free(s);
    values_free(s);
    if (s->prompt)
        cmdline_deactivate(s->prompt);
    free(s->sel_query);
    free(s->sel_user);
    free(s->sel_db);
    free(s->pretty);
    s->sel_query = s->pretty = s->sel_user = s->sel_db = NULL;
}

void slow_detail_open(struct pane *p, const struct slow_stmt *st)
{
    struct slowp *s = slow_state(p);

    slow_detail_close(s);
    s->sel = *st;
    /* The snapshot may be replaced while the detail is open. */
    s->sel_query = xstrdup(st->query ? st->query : "");
    s->sel.query = s->sel_query;
    s->sel.user = s->sel_user = xstrdup(st->user ? st->user : "");
    s->sel.dbname = s->sel_db = xstrdup(st->dbname ? st->dbname : "");
    s->pretty = slow_pretty_query(s->sel_query);
    s->scroll = 0;
    s->back = s->view;
    s->view = SLOW_VIEW_DETAIL;
    app_redraw();
}

/* ---- the plan ----------------------------------------------------------- */

static void on_plan(struct db_job *job, void *arg)
{
    struct slowp *s = slow_state((struct pane *)arg);
    const PGresult *r = job->result;

    plan_free(s);
    if (job->status != DB_JOB_OK) {
        s->plan_error = xasprintf(_("EXPLAIN failed: %s"),
                                  job->error ? job->error : "?");
    } else {
        s->nplan = PQntuples(r);
        s->plan = xmalloc((s->nplan ? s->nplan : 1) * sizeof *s->plan);
        s->plan_mark = xcalloc(s->nplan ? s->nplan : 1, sizeof(bool));
        for (int i = 0; i < s->nplan; i++)
            s->plan[i] = xstrdup(PQgetvalue(r, i, 0));
        slow_plan_marks((const char *const *)s->plan, s->nplan,
                        s->plan_mark);
    }
    app_redraw();
}

static void on_tx(struct db_job *job, void *arg)
{
    (void)arg;
    if (job->status != DB_JOB_OK && job->status != DB_JOB_CANCELLED)
        app_error(_("EXPLAIN ANALYZE: %s"), job->error ? job->error : "?");
}

static void run_explain(struct pane *p)
{
    struct slowp *s = slow_state(p);
    char *sql = xasprintf("%s%s", s->analyze ? SQL_SLOW_EXPLAIN_ANALYZE
                                             : SQL_SLOW_EXPLAIN, s->sel_query);
    struct db_job *job = db_job_new(_("Slow: EXPLAIN"), sql, on_plan, p);

    free(sql);
    for (int i = 0; i < s->nvalues; i++)
        db_job_param(job, s->values[i]);
    if (s->analyze)
        app_submit(p, db_job_new(_("Slow: EXPLAIN"), SQL_SLOW_BEGIN_RO, on_tx,
                                 p));
    app_submit(p, job);
    if (s->analyze)
        app_submit(p, db_job_new(_("Slow: EXPLAIN"), SQL_SLOW_ROLLBACK, on_tx,
                                 p));
    values_free(s);
}

static void ask_next(struct pane *p)
{
    struct slowp *s = slow_state(p);
    char *prompt = xasprintf(_("value of $%d (of %d): "), s->nvalues + 1,
                             s->want_values);

    cmdline_activate(s->prompt, prompt, "");
    free(prompt);
    app_redraw();
}

static void on_value(const char *line, void *arg)
{
    struct pane *p = arg;
    struct slowp *s = slow_state(p);

    if (!line) {
        cmdline_deactivate(s->prompt);
        values_free(s);
        app_message("%s", _("EXPLAIN abandoned."));
        app_redraw();
        return;
    }
    s->values = xrealloc(s->values, (s->nvalues + 1) * sizeof *s->values);
    s->values[s->nvalues++] = xstrdup(line);
    if (s->nvalues < s->want_values)
        return ask_next(p);
    cmdline_deactivate(s->prompt);
    run_explain(p);
    app_redraw();
}

void slow_explain_start(struct pane *p, bool analyze)
{
    struct slowp *s = slow_state(p);

    if (s->view != SLOW_VIEW_DETAIL)
        return;
    if (analyze && !slow_is_select(s->sel_query)) {
        app_error("%s", _("ANALYZE runs only a SELECT: use e for the plan."));
        return;
    }
    /* Its ROLLBACK would end a transaction another pane holds open. */
    if (analyze && db_in_transaction(p->db)) {
        app_error("%s", _("ANALYZE waits: a transaction is open in this "
                          "session (the SQL pane's)."));
        return;
    }
    if (!s->prompt)
        s->prompt = cmdline_new(NULL, on_value, NULL, p);
    values_free(s);
    plan_free(s);
    s->analyze = analyze;
    s->want_values = slow_count_params(s->sel_query);
    if (s->want_values > 0)
        ask_next(p);
    else
        run_explain(p);
}

bool slow_explain_key(struct pane *p, int key)
{
    struct slowp *s = slow_state(p);

    if (s->prompt && cmdline_active(s->prompt))
        return cmdline_key(s->prompt, key);
    return false;
}
