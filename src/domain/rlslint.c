/* The RLS lint's checks: tables whose policies are ignored or missing, an
 * application role that bypasses them, permissive policies that widen
 * access, and a database without the auth.uid() the seed's policies call. */
#include "autoconfig.h"

#include "domain/rlslint.h"

#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"
#include "domain/advisor.h"
#include "i18n.h"

#define SHIM_SCHEMA "CREATE SCHEMA IF NOT EXISTS auth"
#define SHIM_FUNCTION                                                        \
    "CREATE OR REPLACE FUNCTION auth.uid() RETURNS text LANGUAGE sql STABLE " \
    "AS $$ SELECT current_setting('request.jwt.claim.sub', true) $$"

const char RLSLINT_AUTH_SHIM[] = SHIM_SCHEMA "; " SHIM_FUNCTION ";";
const char RLSLINT_AUTH_SHIM_SCHEMA[] = SHIM_SCHEMA;
const char RLSLINT_AUTH_SHIM_FUNCTION[] = SHIM_FUNCTION;

static const enum rls_cmd commands[] = {
    RLS_CMD_SELECT, RLS_CMD_INSERT, RLS_CMD_UPDATE, RLS_CMD_DELETE,
};

static void add(struct rls_findings *out, const char *check,
                enum rls_severity sev, char *object, const char *message,
                char *detail, char *fix)
{
    struct rls_finding *f;

    if (out->n == out->cap) {
        out->cap = out->cap ? 2 * out->cap : 16;
        out->v = xrealloc(out->v, out->cap * sizeof *out->v);
    }
    f = &out->v[out->n++];
    *f = (struct rls_finding){ check, sev, object, message, detail, fix };
}

static char *table_name(const struct rls_table *t)
{
    return advisor_qualified(t->schema, t->name);
}

static void add_table(struct rls_findings *out, const char *check,
                      enum rls_severity sev, const struct rls_table *t,
                      const char *message, char *detail, const char *alter)
{
    char *obj = table_name(t);
    char *fix = alter ? xasprintf("ALTER TABLE %s %s;", obj, alter) : NULL;

    add(out, check, sev, obj, message, detail, fix);
}

static const struct rls_role *find_role(const struct rls_catalog *cat,
                                        const char *name)
{
    for (int i = 0; cat->app_role && i < cat->nroles; i++)
        if (strcmp(cat->roles[i].name, name) == 0)
            return &cat->roles[i];
    return NULL;
}

/* Owners bypass RLS, and so does every role that inherits the owner's
 * privileges: a policy names the owner the same way. */
static bool app_owns(const struct rls_catalog *cat, const struct rls_table *t)
{
    struct rls_policy owner = { NULL, true, RLS_CMD_ALL, &t->owner, 1, NULL,
                                NULL };

    return cat->app_role && t->owner &&
           rlslint_applies(cat, &owner, RLS_CMD_ALL, cat->app_role);
}

static void check_state(const struct rls_catalog *cat,
                        const struct rls_table *t, struct rls_findings *out)
{
    if (!t->enabled && t->npolicies > 0)
        add_table(out, "policies_rls_disabled", RLS_CRITICAL, t,
                  N_("policies exist but RLS is disabled: they are ignored"),
                  NULL, "ENABLE ROW LEVEL SECURITY");
    if (t->enabled && t->npolicies == 0)
        add_table(out, "rls_no_policy", RLS_INFO, t,
                  N_("RLS is enabled without policies: only the owner sees "
                     "rows"), NULL, NULL);
    if (t->enabled && !t->forced && app_owns(cat, t))
        add_table(out, "app_role_owner", RLS_CRITICAL, t,
                  N_("the application role owns the table without FORCE: "
                     "its policies are bypassed"),
                  xasprintf("%s", cat->app_role),
                  "FORCE ROW LEVEL SECURITY");
}

static void count_cmd(const struct rls_table *t, enum rls_cmd c, int *perm,
                      int *restr)
{
    *perm = *restr = 0;
    for (int i = 0; i < t->npolicies; i++) {
        const struct rls_policy *p = &t->policies[i];
        if (p->cmd == c || p->cmd == RLS_CMD_ALL)
            (*(p->permissive ? perm : restr))++;
    }
}

static void check_commands(const struct rls_table *t, struct rls_findings *out)
{
    int perm, restr;

    if (!t->enabled || t->npolicies == 0)
        return;
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++) {
        count_cmd(t, commands[i], &perm, &restr);
        if (perm + restr == 0)
            add_table(out, "command_without_policy", RLS_INFO, t,
                      N_("a command has no policy while others have: it is "
                         "denied to everyone but the owner"),
                      xstrdup(rlslint_cmd_name(commands[i])), NULL);
        else if (perm == 0)
            add_table(out, "restrictive_only", RLS_WARNING, t,
                      N_("only restrictive policies for a command: without "
                         "a permissive one every row is denied"),
                      xstrdup(rlslint_cmd_name(commands[i])), NULL);
    }
}

static bool names_role(const struct rls_policy *p, const char *role)
{
    for (int i = 0; i < p->nroles; i++)
        if (strcmp(p->roles[i], role) == 0)
            return true;
    return false;
}

/* The policy names of every permissive policy for (role, cmd); NULL when
 * fewer than two. */
static char *permissive_names(const struct rls_table *t, enum rls_cmd c,
                              const char *role)
{
    char *names = NULL;
    int n = 0;

    for (int i = 0; i < t->npolicies; i++) {
        const struct rls_policy *p = &t->policies[i];
        if (!p->permissive || (p->cmd != c && p->cmd != RLS_CMD_ALL) ||
            !names_role(p, role))
            continue;
        char *next = names ? xasprintf("%s, %s", names, p->name)
                           : xstrdup(p->name);
        free(names);
        names = next;
        n++;
    }
    if (n < 2) {
        free(names);
        return NULL;
    }
    return names;
}

/* A role listed by an earlier policy was already looked at. */
static bool role_seen(const struct rls_table *t, int upto, int ri)
{
    const char *role = t->policies[upto].roles[ri];

    for (int i = 0; i < upto; i++)
        if (names_role(&t->policies[i], role))
            return true;
    for (int j = 0; j < ri; j++)
        if (strcmp(t->policies[upto].roles[j], role) == 0)
            return true;
    return false;
}

static void check_permissive(const struct rls_table *t,
                             struct rls_findings *out)
{
    for (int i = 0; t->enabled && i < t->npolicies; i++)
        for (int r = 0; r < t->policies[i].nroles; r++) {
            const char *role = t->policies[i].roles[r];
            if (role_seen(t, i, r))
                continue;
            for (size_t c = 0; c < sizeof commands / sizeof *commands; c++) {
                char *names = permissive_names(t, commands[c], role);
                if (names)
                    add_table(out, "multiple_permissive", RLS_WARNING, t,
                              N_("several permissive policies for the same "
                                 "role and command: each widens access and "
                                 "each is evaluated"),
                              xasprintf("%s %s: %s", role,
                                        rlslint_cmd_name(commands[c]), names),
                              NULL);
                free(names);
            }
        }
}

static bool is_true(const char *e)
{
    return e && strcmp(e, "true") == 0;
}

static char *alter_policy(const struct rls_table *t, const struct rls_policy *p,
                          const char *using_expr, const char *check_expr)
{
    char *obj = table_name(t), *name = advisor_quote_ident(p->name);
    char *u = using_expr ? xasprintf(" USING (%s)", using_expr) : xstrdup("");
    char *c = check_expr ? xasprintf(" WITH CHECK (%s)", check_expr)
                         : xstrdup("");
    char *out = xasprintf("ALTER POLICY %s ON %s%s%s;", name, obj, u, c);

    free(obj);
    free(name);
    free(u);
    free(c);
    return out;
}

static void check_policy(const struct rls_table *t, const struct rls_policy *p,
                         struct rls_findings *out)
{
    char *u, *c;

    if (p->permissive && p->cmd != RLS_CMD_SELECT &&
        (is_true(p->using_expr) || is_true(p->check_expr)))
        add_table(out, "permissive_true", RLS_WARNING, t,
                  N_("a write policy is USING (true) or WITH CHECK (true): "
                     "anyone it names may change any row"),
                  xasprintf("%s (%s)", p->name, rlslint_cmd_name(p->cmd)),
                  NULL);
    u = rlslint_wrap_calls(p->using_expr);
    c = rlslint_wrap_calls(p->check_expr);
    if (u || c)
        add(out, "per_row_call", RLS_WARNING, table_name(t),
            N_("a function is evaluated for every row: wrap it as (select "
               "auth.uid()) so it runs once per statement"),
            xstrdup(p->name), alter_policy(t, p, u, c));
    free(u);
    free(c);
}

static char *role_fix(const char *name, const char *option)
{
    char *q = advisor_quote_ident(name);
    char *out = xasprintf("ALTER ROLE %s %s;", q, option);

    free(q);
    return out;
}

static void check_roles(const struct rls_catalog *cat, struct rls_findings *out)
{
    const struct rls_role *r = cat->app_role ? find_role(cat, cat->app_role)
                                             : NULL;

    if (!r)
        return;
    if (r->superuser)
        add(out, "app_role_superuser", RLS_CRITICAL,
            advisor_quote_ident(r->name),
            N_("the application role is a superuser: every policy is "
               "bypassed"), NULL,
            role_fix(r->name, "NOSUPERUSER"));
    if (r->bypassrls && !r->superuser)
        add(out, "app_role_bypassrls", RLS_CRITICAL,
            advisor_quote_ident(r->name),
            N_("the application role has BYPASSRLS: every policy is "
               "bypassed"), NULL,
            role_fix(r->name, "NOBYPASSRLS"));
}

/* The seed's tables: their policies call auth.uid(). */
static bool has_seed_table(const struct rls_catalog *cat)
{
    static const char *const seed[] = { "Property", "Connection",
                                        "referenciales", NULL };

    for (int i = 0; i < cat->ntables; i++)
        for (const char *const *s = seed; *s; s++)
            if (strcmp(cat->tables[i].name, *s) == 0)
                return true;
    return false;
}

static void check_auth(const struct rls_catalog *cat, struct rls_findings *out)
{
    if (cat->auth_schema && cat->auth_uid)
        return;
    add(out, "auth_uid_missing",
        has_seed_table(cat) ? RLS_WARNING : RLS_INFO, xstrdup("auth.uid()"),
        cat->auth_schema
            ? N_("auth.uid() is missing: the seed's policies cannot be "
                 "created; the shim defines it from request.jwt.claim.sub")
            : N_("the auth schema is missing: the seed's auth.uid() policies "
                 "cannot be created; the shim defines it from "
                 "request.jwt.claim.sub"),
        NULL, xstrdup(RLSLINT_AUTH_SHIM));
}

static int cmp_str(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "");
}

static int cmp_finding(const void *pa, const void *pb)
{
    const struct rls_finding *a = pa, *b = pb;
    int c;

    if (a->severity != b->severity)
        return a->severity > b->severity ? -1 : 1;
    if ((c = strcmp(a->object, b->object)) != 0)
        return c;
    if ((c = strcmp(a->check, b->check)) != 0)
        return c;
    return cmp_str(a->detail, b->detail);
}

void rlslint_run(const struct rls_catalog *cat, struct rls_findings *out)
{
    for (int i = 0; i < cat->ntables; i++) {
        const struct rls_table *t = &cat->tables[i];
        check_state(cat, t, out);
        check_commands(t, out);
        check_permissive(t, out);
        for (int j = 0; j < t->npolicies; j++)
            check_policy(t, &t->policies[j], out);
    }
    check_roles(cat, out);
    check_auth(cat, out);
    if (out->n > 1)
        qsort(out->v, out->n, sizeof *out->v, cmp_finding);
}

void rlslint_free(struct rls_findings *f)
{
    for (int i = 0; i < f->n; i++) {
        free(f->v[i].object);
        free(f->v[i].detail);
        free(f->v[i].fix_sql);
    }
    free(f->v);
    *f = (struct rls_findings){ 0 };
}

int rlslint_worst(const struct rls_findings *f)
{
    int worst = -1;

    for (int i = 0; i < f->n; i++)
        if ((int)f->v[i].severity > worst)
            worst = f->v[i].severity;
    return worst;
}

const char *rlslint_severity_name(enum rls_severity s)
{
    static const char *const names[] = { N_("info"), N_("warning"),
                                         N_("critical") };

    return names[s];
}

const char *rlslint_cmd_name(enum rls_cmd c)
{
    static const char *const names[] = { "ALL", "SELECT", "INSERT", "UPDATE",
                                         "DELETE" };

    return names[c];
}

enum rls_cmd rlslint_cmd_from_char(char c)
{
    switch (c) {
    case 'r': return RLS_CMD_SELECT;
    case 'a': return RLS_CMD_INSERT;
    case 'w': return RLS_CMD_UPDATE;
    case 'd': return RLS_CMD_DELETE;
    default: return RLS_CMD_ALL;
    }
}
