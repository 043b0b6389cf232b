/* The RLS pane's model: four catalog queries turned into the lint's plain
 * structs, the findings, and which role the application connects as. */
#include "autoconfig.h"

#include "panes/rls.h"

#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "core/conninfo.h"
#include "core/sql.h"
#include "core/xalloc.h"
#include "i18n.h"
#include "reports.h"

enum { Q_TABLES, Q_POLICIES, Q_ROLES, Q_AUTH };

static bool is_true(const PGresult *res, int row, int col)
{
    return strcmp(PQgetvalue(res, row, col), "t") == 0;
}

static const char *opt(const PGresult *res, int row, int col)
{
    return PQgetisnull(res, row, col) ? NULL : PQgetvalue(res, row, col);
}

/* "a\x1fb" → {"a", "b"}; the array is kept in s->owned. */
static const char *const *split_list(struct rlsp *s, const char *text, int *n)
{
    char **v = xmalloc((strlen(text) + 2) * sizeof *v);
    const char *start = text;

    *n = 0;
    while (*text && start) {
        const char *sep = strchr(start, '\x1f');
        size_t len = sep ? (size_t)(sep - start) : strlen(start);
        v[(*n)++] = xasprintf("%.*s", (int)len, start);
        start = sep ? sep + 1 : NULL;
    }
    v[*n] = NULL;
    s->owned = xrealloc(s->owned, (s->nowned + 1) * sizeof *s->owned);
    s->owned[s->nowned++] = v;
    return (const char *const *)v;
}

static void build_policies(struct rlsp *s)
{
    const PGresult *r = s->res_policies;

    s->npolicies = PQntuples(r);
    s->policies = xmalloc((s->npolicies + 1) * sizeof *s->policies);
    for (int i = 0; i < s->npolicies; i++) {
        struct rls_policy *p = &s->policies[i];
        p->name = PQgetvalue(r, i, 2);
        p->permissive = is_true(r, i, 3);
        p->cmd = rlslint_cmd_from_char(PQgetvalue(r, i, 4)[0]);
        p->roles = split_list(s, PQgetvalue(r, i, 5), &p->nroles);
        p->using_expr = opt(r, i, 6);
        p->check_expr = opt(r, i, 7);
    }
}

/* Policies come ordered by schema and table, like the tables. */
static void attach_policies(struct rlsp *s, struct rls_table *t)
{
    const PGresult *r = s->res_policies;

    t->policies = NULL;
    t->npolicies = 0;
    for (int i = 0; i < s->npolicies; i++)
        if (strcmp(PQgetvalue(r, i, 0), t->schema) == 0 &&
            strcmp(PQgetvalue(r, i, 1), t->name) == 0) {
            if (!t->policies)
                t->policies = &s->policies[i];
            t->npolicies++;
        }
}

static void build_tables(struct rlsp *s)
{
    const PGresult *r = s->res_tables;

    s->ntables = PQntuples(r);
    s->tables = xmalloc((s->ntables + 1) * sizeof *s->tables);
    s->extra = xmalloc((s->ntables + 1) * sizeof *s->extra);
    for (int i = 0; i < s->ntables; i++) {
        struct rls_table *t = &s->tables[i];
        t->schema = PQgetvalue(r, i, 0);
        t->name = PQgetvalue(r, i, 1);
        t->owner = PQgetvalue(r, i, 2);
        t->enabled = is_true(r, i, 3);
        t->forced = is_true(r, i, 4);
        attach_policies(s, t);
        s->extra[i] = (struct rls_extra){ PQgetvalue(r, i, 6), opt(r, i, 7),
                                          RLS_NOT_COUNTED, NULL };
    }
}

static void build_roles(struct rlsp *s)
{
    const PGresult *r = s->res_roles;

    s->nroles = PQntuples(r);
    s->roles = xmalloc((s->nroles + 1) * sizeof *s->roles);
    for (int i = 0; i < s->nroles; i++) {
        struct rls_role *ro = &s->roles[i];
        ro->name = PQgetvalue(r, i, 0);
        ro->superuser = is_true(r, i, 1);
        ro->bypassrls = is_true(r, i, 2);
        ro->login = is_true(r, i, 3);
        ro->member_of = split_list(s, PQgetvalue(r, i, 4), &ro->nmember_of);
    }
}

/* The user a Prisma URL names, or NULL. Caller frees. */
static char *prisma_user(const char *url)
{
    char *schema = NULL, *err = NULL, *ci = conninfo_normalize(url, &schema,
                                                                &err);
    PQconninfoOption *opts = ci ? PQconninfoParse(ci, NULL) : NULL;
    char *user = NULL;

    for (PQconninfoOption *o = opts; o && o->keyword; o++)
        if (strcmp(o->keyword, "user") == 0 && o->val && *o->val)
            user = xstrdup(o->val);
    PQconninfoFree(opts);
    free(ci);
    free(schema);
    free(err);
    return user;
}

char *rls_app_role(const char *configured, const char *current_user,
                   const char **source)
{
    const char *url = getenv("POSTGRES_PRISMA_URL");
    char *user;

    if (configured && *configured) {
        *source = N_("config app_role");
        return xstrdup(configured);
    }
    if (url && *url && (user = prisma_user(url))) {
        *source = N_("POSTGRES_PRISMA_URL");
        return user;
    }
    *source = N_("current user");
    return xstrdup(current_user ? current_user : "");
}

static void build_catalog(struct pane *p)
{
    struct rlsp *s = rls_state(p);
    const struct config *cfg = app_config() ? app_config() : reports_config();
    const PGresult *a = s->res_auth;

    build_policies(s);
    build_tables(s);
    build_roles(s);
    free(s->app_role);
    s->app_role = rls_app_role(cfg ? cfg->app_role : NULL,
                               PQgetvalue(a, 0, 2), &s->app_role_source);
    s->cat = (struct rls_catalog){ s->tables, s->ntables, s->roles, s->nroles,
                                   s->app_role, is_true(a, 0, 0),
                                   is_true(a, 0, 1) };
    rlslint_run(&s->cat, &s->findings);
    s->loaded = true;
}

static void on_catalog(struct db_job *job, void *arg)
{
    struct pane *p = arg;
    struct rlsp *s = rls_state(p);
    PGresult **slot[] = { &s->res_tables, &s->res_policies, &s->res_roles,
                          &s->res_auth };

    s->pending--;
    if (job->status != DB_JOB_OK) {
        if (!s->error)
            s->error = xstrdup(job->error ? job->error : _("cancelled"));
    } else {
        *slot[job->tag] = db_job_take_result(job);
    }
    if (s->pending == 0 && !s->error)
        build_catalog(p);
    if (s->pending == 0 && s->loaded && s->batch && reports_rls_role())
        rls_simulate(p, reports_rls_role(), reports_rls_user());
    app_redraw();
}

static void catalog_free(struct rlsp *s)
{
    rls_sim_clear(s);   /* its samples live beside the tables */
    PQclear(s->res_tables);
    PQclear(s->res_policies);
    PQclear(s->res_roles);
    PQclear(s->res_auth);
    s->res_tables = s->res_policies = s->res_roles = s->res_auth = NULL;
    for (int i = 0; i < s->nowned; i++) {
        for (char **v = s->owned[i]; *v; v++)
            free(*v);
        free(s->owned[i]);
    }
    free(s->owned);
    free(s->tables);
    free(s->extra);
    free(s->policies);
    free(s->roles);
    rlslint_free(&s->findings);
    s->owned = NULL;
    s->nowned = s->ntables = s->npolicies = s->nroles = 0;
    s->tables = NULL;
    s->extra = NULL;
    s->policies = NULL;
    s->roles = NULL;
    s->loaded = false;
}

void rls_refresh(struct pane *p)
{
    struct rlsp *s = rls_state(p);
    static const char *const sql[] = { SQL_RLS_TABLES, SQL_RLS_POLICIES,
                                       SQL_RLS_ROLES, SQL_RLS_AUTH };

    /* The simulation's jobs point into the catalog. */
    if (s->pending > 0 || s->sim_running)
        return;
    catalog_free(s);
    free(s->error);
    s->error = NULL;
    for (int i = Q_TABLES; i <= Q_AUTH; i++) {
        struct db_job *job = db_job_new(_("RLS: catalog"), sql[i], on_catalog,
                                        p);
        job->tag = i;
        s->pending++;
        app_submit(p, job);
    }
}

void rls_model_init(struct pane *p)
{
    struct rlsp *s = xmalloc(sizeof *s);

    *s = (struct rlsp){ 0 };
    s->table = s->check_table = -1;
    s->batch = app_config() == NULL;
    p->state = s;
}

void rls_model_free(struct rlsp *s)
{
    catalog_free(s);
    rls_sim_clear(s);
    free(s->error);
    free(s->app_role);
    free(s->prompt_role);
    if (s->prompt)
        cmdline_free(s->prompt);
    free(s);
}
