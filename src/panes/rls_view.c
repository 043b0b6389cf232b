/* Drawing the RLS pane: each view is a list of lines (built from the model
 * on every draw, so it can never go stale) with a cursor; a line may refer
 * to the table or finding it shows. */
#include "autoconfig.h"

#include "panes/rls.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"
#include "domain/advisor.h"
#include "i18n.h"
#include "ui/text.h"
#include "ui/theme.h"

struct rls_lines {
    struct rls_line { char *text; enum theme_role role; int ref; } *v;
    int n, cap;
};

static void add(struct rls_lines *L, enum theme_role role, int ref, char *text)
{
    if (L->n == L->cap) {
        L->cap = L->cap ? 2 * L->cap : 64;
        L->v = xrealloc(L->v, L->cap * sizeof *L->v);
    }
    L->v[L->n++] = (struct rls_line){ text, role, ref };
}

/* Catalog text comes pretty-printed over several lines: each its own line,
 * the first after lead, the others indented under it. */
static void add_text(struct rls_lines *L, enum theme_role role, int ref,
                     const char *lead, const char *text)
{
    int indent = (int)strlen(lead);

    for (const char *l = text, *pre = lead; l; pre = NULL) {
        const char *nl = strchr(l, '\n');
        int len = nl ? (int)(nl - l) : (int)strlen(l);
        add(L, role, ref, pre ? xasprintf("%s%.*s", pre, len, l)
                              : xasprintf("%*s%.*s", indent, "", len, l));
        l = nl ? nl + 1 : NULL;
    }
}

static void lines_free(struct rls_lines *L)
{
    for (int i = 0; i < L->n; i++)
        free(L->v[i].text);
    free(L->v);
}

static int findings_on(const struct rlsp *s, const char *object)
{
    int n = 0;

    for (int i = 0; i < s->findings.n; i++)
        n += strcmp(s->findings.v[i].object, object) == 0;
    return n;
}

/* One line of columns, each padded to its width in display columns (a
 * negative width aligns right); the texts end with NULL. */
static char *columns(const int *widths, ...)
{
    char *line = NULL;
    const char *t;
    va_list ap;

    va_start(ap, widths);
    for (int i = 0; (t = va_arg(ap, const char *)); i++)
        text_append_col(&line, t, abs(widths[i]),
                        widths[i] < 0 ? TEXT_RIGHT : 0);
    va_end(ap);
    return line ? line : xstrdup("");
}

/* Each column as wide as its translated label at least (a label wider
 * than the values would push the next columns out of line); adds the
 * header line. */
static void header(struct rls_lines *L, const int *base, int *w, int n,
                   const char *const *labels)
{
    char *line = NULL;

    for (int i = 0; i < n; i++) {
        int lw = text_width(labels[i]), bw = abs(base[i]);
        w[i] = (lw > bw ? lw : bw) * (base[i] < 0 ? -1 : 1);
        text_append_col(&line, labels[i], abs(w[i]),
                        w[i] < 0 ? TEXT_RIGHT : 0);
    }
    add(L, THEME_HEADER, -1, line ? line : xstrdup(""));
}

static void lines_tables(const struct rlsp *s, struct rls_lines *L)
{
    static const int base[] = { 36, 4, 6, 16, -8, -8 };
    const char *labels[] = { _("table"), _("RLS"), _("forced"), _("owner"),
                             _("policies"), _("findings") };
    int table_cols[6];

    header(L, base, table_cols, 6, labels);
    for (int i = 0; i < s->ntables; i++) {
        const struct rls_table *t = &s->tables[i];
        char *name = advisor_qualified(t->schema, t->name);
        int nf = findings_on(s, name);
        char np[16], nfs[16];
        snprintf(np, sizeof np, "%d", t->npolicies);
        snprintf(nfs, sizeof nfs, "%d", nf);
        add(L, nf ? THEME_WARNING : THEME_NORMAL, i,
            columns(table_cols, name, t->enabled ? _("on") : _("off"),
                    t->forced ? _("yes") : _("no"), t->owner, np, nfs,
                    (const char *)NULL));
        free(name);
    }
}

/* The names of the policies that apply to role for cmd. */
static char *applying(const struct rlsp *s, const struct rls_table *t,
                      enum rls_cmd cmd, const char *role)
{
    char *names = xstrdup("");

    for (int i = 0; i < t->npolicies; i++) {
        const struct rls_policy *p = &t->policies[i];
        if (!rlslint_applies(&s->cat, p, cmd, role))
            continue;
        char *next = xasprintf("%s%s%s%s", names, *names ? ", " : "",
                               p->name, p->permissive ? "" : _(" (restrictive)"));
        free(names);
        names = next;
    }
    return names;
}

static void lines_combined(const struct rlsp *s, const struct rls_table *t,
                           struct rls_lines *L)
{
    static const enum rls_cmd cmds[] = { RLS_CMD_SELECT, RLS_CMD_INSERT,
                                         RLS_CMD_UPDATE, RLS_CMD_DELETE };
    const char *role = s->sim_role ? s->sim_role : s->app_role;

    add(L, THEME_TITLE, -1, xasprintf(_("For role %s (permissive ORed, "
                                        "restrictive ANDed):"), role));
    for (size_t c = 0; c < sizeof cmds / sizeof *cmds; c++) {
        bool check = cmds[c] == RLS_CMD_INSERT;
        char *names = applying(s, t, cmds[c], role);
        char *e = rlslint_combined(&s->cat, t, cmds[c], role, check);
        add(L, THEME_HEADER, -1, xasprintf(_("  %s: policies %s"),
            rlslint_cmd_name(cmds[c]), *names ? names : _("(none)")));
        add_text(L, THEME_NORMAL, -1, check ? "    WITH CHECK " : "    USING ",
                 e);
        free(names);
        free(e);
    }
}

static void lines_policies(const struct rlsp *s, struct rls_lines *L)
{
    const struct rls_table *t;
    char *name;

    if (s->table < 0 || s->table >= s->ntables) {
        add(L, THEME_DIM, -1, xstrdup(_("Choose a table (Enter in the "
                                        "tables view).")));
        return;
    }
    t = &s->tables[s->table];
    name = advisor_qualified(t->schema, t->name);
    add(L, THEME_TITLE, -1, xasprintf(_("%s: RLS %s, %s, owner %s"), name,
        t->enabled ? _("on") : _("off"),
        t->forced ? _("forced") : _("not forced"), t->owner));
    free(name);
    for (int i = 0; i < t->npolicies; i++) {
        const struct rls_policy *p = &t->policies[i];
        char *roles = xstrdup("");
        for (int r = 0; r < p->nroles; r++) {
            char *next = xasprintf("%s%s%s", roles, r ? "," : "", p->roles[r]);
            free(roles);
            roles = next;
        }
        add(L, THEME_HEADER, -1, xasprintf("%s  %s  %s  %s %s", p->name,
            p->permissive ? "PERMISSIVE" : "RESTRICTIVE",
            rlslint_cmd_name(p->cmd), _("to"), roles));
        free(roles);
        if (p->using_expr)
            add_text(L, THEME_NORMAL, -1, "    USING ", p->using_expr);
        if (p->check_expr)
            add_text(L, THEME_NORMAL, -1, "    WITH CHECK ", p->check_expr);
    }
    lines_combined(s, t, L);
}

static void lines_roles(const struct rlsp *s, struct rls_lines *L)
{
    static const int base[] = { 24, 9, 9, 5, 0 };
    const char *labels[] = { _("role"), _("superuser"), "BYPASSRLS",
                             _("login"), _("member of") };
    int cols[5];

    header(L, base, cols, 5, labels);
    for (int i = 0; i < s->nroles; i++) {
        const struct rls_role *r = &s->roles[i];
        char *of = xstrdup("");
        for (int m = 0; m < r->nmember_of; m++) {
            char *next = xasprintf("%s%s%s", of, m ? "," : "", r->member_of[m]);
            free(of);
            of = next;
        }
        bool app = s->app_role && strcmp(r->name, s->app_role) == 0;
        char *last = xasprintf("%s%s", of, app ? _("  (application role)")
                                                 : "");
        add(L, app ? THEME_TITLE : THEME_NORMAL, -1,
            columns(cols, r->name, r->superuser ? _("yes") : "",
                    r->bypassrls ? _("yes") : "", r->login ? _("yes") : "",
                    last, (const char *)NULL));
        free(last);
        free(of);
    }
}

static enum theme_role severity_role(enum rls_severity sev)
{
    return sev == RLS_CRITICAL ? THEME_ERROR
           : sev == RLS_WARNING ? THEME_WARNING : THEME_INFO;
}

static void lines_findings(const struct rlsp *s, struct rls_lines *L)
{
    int cols[] = { 8, 22, 0 };

    /* The widest severity word sets the first column. */
    for (int v = RLS_INFO; v <= RLS_CRITICAL; v++) {
        int w = text_width(_(rlslint_severity_name((enum rls_severity)v)));
        cols[0] = w > cols[0] ? w : cols[0];
    }
    if (s->findings.n == 0)
        add(L, THEME_OK, -1, xstrdup(_("No findings.")));
    for (int i = 0; i < s->findings.n; i++) {
        const struct rls_finding *f = &s->findings.v[i];
        add(L, severity_role(f->severity), i,
            columns(cols, _(rlslint_severity_name(f->severity)), f->check,
                    f->object, (const char *)NULL));
        add(L, THEME_NORMAL, i, xasprintf("%*s%s", cols[0] + 1, "",
                                          _(f->message)));
        if (f->detail)
            add(L, THEME_NORMAL, i, xasprintf("%*s%s", cols[0] + 1, "",
                                              f->detail));
        if (f->fix_sql)
            add(L, THEME_DIM, i, xasprintf("%*s%s %s", cols[0] + 1, "",
                                           _("fix:"), f->fix_sql));
    }
}

/* A value cut to at most max bytes, never inside a UTF-8 character. */
static int cut_len(const char *v, int max)
{
    int n = (int)strlen(v);

    if (n <= max)
        return n;
    while (max > 0 && (v[max] & 0xc0) == 0x80)
        max--;
    return max;
}

static void lines_sample(const PGresult *res, int table, struct rls_lines *L)
{
    for (int r = 0; res && r < PQntuples(res); r++) {
        char *line = xstrdup("      ");
        for (int c = 0; c < PQnfields(res) && strlen(line) < 300; c++) {
            const char *v = PQgetisnull(res, r, c) ? "NULL"
                                                   : PQgetvalue(res, r, c);
            char *next = xasprintf("%s%s%s=%.*s", line, c ? ", " : "",
                                   PQfname(res, c), cut_len(v, 40), v);
            free(line);
            line = next;
        }
        add(L, THEME_DIM, table, line);
    }
}

static const char *yes_no(bool b)
{
    return b ? _("yes") : _("no");
}

static void lines_check(const struct rlsp *s, struct rls_lines *L)
{
    const char *t;

    if (s->check_table < 0 || s->check_table >= s->ntables)
        return;
    t = s->tables[s->check_table].name;
    if (!s->check_done) {
        add(L, THEME_DIM, -1, xasprintf(_("Row %s of %s: checking…"),
                                        s->check_row, t));
        return;
    }
    add(L, s->check_grant && s->check_visible && s->check_allowed
               ? THEME_OK : THEME_WARNING, -1,
        xasprintf(_("Row %s of %s: could update: %s"), s->check_row, t,
                  yes_no(s->check_grant && s->check_visible &&
                         s->check_allowed)));
    add(L, THEME_NORMAL, -1,
        xasprintf(_("  visible: %s, UPDATE grant: %s, UPDATE policies allow "
                    "it: %s (WITH CHECK then applies to the new values)"),
                  yes_no(s->check_visible), yes_no(s->check_grant),
                  yes_no(s->check_allowed)));
}

static void lines_simulate(const struct rlsp *s, struct rls_lines *L)
{
    static const int base[] = { 36, -12 };
    const char *labels[] = { _("table"), _("visible rows") };
    int sim_cols[2];

    if (!s->sim_role) {
        add(L, THEME_DIM, -1, xstrdup(_("Press S to choose a role and a user "
                                        "id: the counts are computed in a "
                                        "read-only transaction that is "
                                        "always rolled back.")));
        return;
    }
    add(L, THEME_TITLE, -1, xasprintf(_("As role %s, user id %s%s"),
        s->sim_role, s->sim_user ? s->sim_user : _("(none)"),
        s->sim_running ? _(" (running…)") : ""));
    if (s->sim_error)
        add(L, THEME_ERROR, -1, xasprintf(_("Error: %s"), s->sim_error));
    if (s->sim_hint)
        add(L, THEME_WARNING, -1, xasprintf(_("The session may not SET ROLE "
                                              "to it; missing: %s"),
                                            s->sim_hint));
    lines_check(s, L);
    header(L, base, sim_cols, 2, labels);
    for (int i = 0; i < s->ntables; i++) {
        long long v = s->extra[i].visible;
        char *name;
        if (!s->tables[i].enabled)
            continue;
        name = advisor_qualified(s->tables[i].schema, s->tables[i].name);
        char n[24];
        snprintf(n, sizeof n, "%lld", v);
        add(L, v == RLS_NO_GRANT ? THEME_DIM : THEME_NORMAL, i,
            columns(sim_cols, name,
                    v >= 0 ? n : v == RLS_NO_GRANT ? _("no SELECT grant")
                                                   : "-",
                    (const char *)NULL));
        free(name);
        lines_sample(s->extra[i].sample, i, L);
    }
}

static void lines_build(const struct rlsp *s, struct rls_lines *L)
{
    static void (*const build[])(const struct rlsp *, struct rls_lines *) = {
        lines_tables, lines_policies, lines_roles, lines_findings,
        lines_simulate,
    };

    *L = (struct rls_lines){ 0 };
    if (s->error)
        add(L, THEME_ERROR, -1, xasprintf(_("Error: %s"), s->error));
    else if (!s->loaded)
        add(L, THEME_DIM, -1, xstrdup(_("Reading the catalog…")));
    else
        build[s->view](s, L);
}

int rls_view_lines(const struct rlsp *s)
{
    struct rls_lines L;
    int n;

    lines_build(s, &L);
    n = L.n;
    lines_free(&L);
    return n;
}

int rls_view_ref(const struct rlsp *s)
{
    struct rls_lines L;
    int cur = s->cursor[s->view], ref;

    lines_build(s, &L);
    ref = cur >= 0 && cur < L.n ? L.v[cur].ref : -1;
    lines_free(&L);
    return ref;
}

static void draw_header(const struct rlsp *s, WINDOW *w)
{
    static const char *const names[] = { N_("t tables"), N_("p policies"),
                                         N_("r roles"), N_("f findings"),
                                         N_("s simulate") };

    wmove(w, 0, 0);
    for (int v = 0; v < RLS_VIEW_COUNT; v++) {
        wattrset(w, theme_attr(v == (int)s->view ? THEME_TAB_ACTIVE
                                                  : THEME_TAB));
        text_draw(w, _(names[v]), getmaxx(w) - getcurx(w), 0);
        wattrset(w, theme_attr(THEME_NORMAL));
        waddstr(w, "  ");
    }
    if (s->app_role) {
        char *t = xasprintf(_("app role: %s (%s)"), s->app_role,
                            _(s->app_role_source));
        wmove(w, 1, 0);
        text_draw(w, t, getmaxx(w), 0);
        free(t);
    }
}

void rls_view_draw(struct pane *p, WINDOW *w)
{
    struct rlsp *s = rls_state(p);
    bool prompt = s->prompt && cmdline_active(s->prompt);
    int h = getmaxy(w) - 2 - (prompt ? 1 : 0), cur = s->cursor[s->view];
    int *top = &s->top[s->view];
    struct rls_lines L;

    werase(w);
    draw_header(s, w);
    lines_build(s, &L);
    if (cur < *top)
        *top = cur;
    if (h > 0 && cur >= *top + h)
        *top = cur - h + 1;
    for (int y = 0; y < h && *top + y < L.n; y++) {
        const struct rls_line *l = &L.v[*top + y];
        wattrset(w, theme_attr(*top + y == cur ? THEME_CURSOR_ROW : l->role));
        wmove(w, 2 + y, 0);
        text_draw(w, l->text, getmaxx(w), *top + y == cur);
    }
    wattrset(w, theme_attr(THEME_NORMAL));
    lines_free(&L);
    if (prompt)
        cmdline_draw(s->prompt, w, getmaxy(w) - 1);
}
