/* `degux-console report rls`: the tables' RLS state, the findings, and
 * with --as-role the rows each table shows that identity. */
#include "autoconfig.h"

#include "panes/rls.h"

#include <stdio.h>
#include <stdlib.h>

#include "core/xalloc.h"
#include "domain/advisor.h"
#include "i18n.h"

static void report_tables(struct rlsp *s, struct report *r)
{
    static const char *const keys[] = { "table", "rls_enabled", "rls_forced",
                                        "owner", "policies", "visible_rows" };
    static const enum report_type types[] = { REPORT_STR, REPORT_BOOL,
                                              REPORT_BOOL, REPORT_STR,
                                              REPORT_INT, REPORT_INT };
    const char *labels[] = { _("table"), _("RLS"), _("forced"), _("owner"),
                             _("policies"), _("visible rows") };
    int ncols = s->sim_role ? 6 : 5;

    report_table_begin(r, "tables", _("Tables"), ncols, keys, labels, types);
    for (int i = 0; i < s->ntables; i++) {
        const struct rls_table *t = &s->tables[i];
        char *name = advisor_qualified(t->schema, t->name);
        char *npol = xasprintf("%d", t->npolicies);
        char *vis = s->extra[i].visible >= 0
                        ? xasprintf("%lld", s->extra[i].visible) : NULL;
        const char *row[] = { name, t->enabled ? "t" : "f",
                              t->forced ? "t" : "f", t->owner, npol, vis };
        report_row(r, row);
        free(name);
        free(npol);
        free(vis);
    }
    report_table_end(r);
}

static void report_findings(struct rlsp *s, struct report *r)
{
    static const char *const keys[] = { "check", "severity", "object",
                                        "message", "detail", "fix_sql" };
    static const enum report_type types[] = { REPORT_STR, REPORT_STR,
                                              REPORT_STR, REPORT_STR,
                                              REPORT_STR, REPORT_STR };
    const char *labels[] = { _("check"), _("severity"), _("object"),
                             _("message"), _("detail"), _("SQL fix") };

    report_table_begin(r, "findings", _("Findings"), 6, keys, labels, types);
    for (int i = 0; i < s->findings.n; i++) {
        const struct rls_finding *f = &s->findings.v[i];
        const char *sev = rlslint_severity_name(f->severity);
        /* JSON keeps the stable English word; text is read by people. */
        const char *row[] = { f->check, report_json(r) ? sev : _(sev),
                              f->object, _(f->message), f->detail,
                              f->fix_sql };
        report_row(r, row);
    }
    report_table_end(r);
}

static char *join_roles(const struct rls_role *r)
{
    char *out = xstrdup("");

    for (int i = 0; i < r->nmember_of; i++) {
        char *next = xasprintf("%s%s%s", out, i ? "," : "", r->member_of[i]);
        free(out);
        out = next;
    }
    return out;
}

static void report_roles(struct rlsp *s, struct report *r)
{
    static const char *const keys[] = { "role", "superuser", "bypassrls",
                                        "login", "member_of" };
    static const enum report_type types[] = { REPORT_STR, REPORT_BOOL,
                                              REPORT_BOOL, REPORT_BOOL,
                                              REPORT_LIST };
    const char *labels[] = { _("role"), _("superuser"), "BYPASSRLS",
                             _("login"), _("member of") };

    report_table_begin(r, "roles", _("Roles"), 5, keys, labels, types);
    for (int i = 0; i < s->nroles; i++) {
        const struct rls_role *ro = &s->roles[i];
        char *of = join_roles(ro);
        const char *row[] = { ro->name, ro->superuser ? "t" : "f",
                              ro->bypassrls ? "t" : "f", ro->login ? "t" : "f",
                              of };
        report_row(r, row);
        free(of);
    }
    report_table_end(r);
}

static int report_simulation(struct rlsp *s, struct report *r)
{
    report_object_begin(r, "simulation", _("Simulation"));
    report_str(r, "as_role", _("role"), s->sim_role);
    report_str(r, "as_user", _("user id"), s->sim_user);
    report_str(r, "error", _("error"), s->sim_error);
    report_str(r, "missing_grant", _("missing grant"), s->sim_hint);
    report_object_end(r);
    if (!s->sim_error)
        return 0;
    fprintf(stderr, "degux-console: %s\n", s->sim_error);
    if (s->sim_hint)
        fprintf(stderr, _("degux-console: the session may not SET ROLE: "
                          "%s\n"), s->sim_hint);
    return 2;
}

int rls_report(struct pane *p, struct report *r)
{
    struct rlsp *s = rls_state(p);
    int rc = 0;

    if (!s->loaded) {
        fprintf(stderr, "degux-console: %s\n",
                s->error ? s->error : _("the catalog could not be read"));
        return 2;
    }
    report_heading(r, _("Row Level Security"));
    report_str(r, "app_role", _("application role"), s->app_role);
    report_str(r, "app_role_source", _("from"), _(s->app_role_source));
    if (s->sim_role)
        rc = report_simulation(s, r);
    report_tables(s, r);
    report_roles(s, r);
    report_findings(s, r);
    if (rc == 0 && rlslint_worst(&s->findings) >= RLS_WARNING)
        rc = 1;
    return rc;
}
