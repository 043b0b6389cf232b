/* The expression side of the RLS lint: which policies apply to a role, the
 * condition they combine to, and per-row calls wrapped in a sub-select so
 * the planner evaluates them once (an initplan) instead of for every row. */
#include "autoconfig.h"

#include "domain/rlslint.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"

/* Memberships form a graph that may (wrongly) hold a cycle: depth bounds it. */
static bool is_member(const struct rls_catalog *cat, const char *role,
                      const char *target, int depth)
{
    if (strcmp(role, target) == 0)
        return true;
    if (depth > 16)
        return false;
    for (int i = 0; i < cat->nroles; i++) {
        const struct rls_role *r = &cat->roles[i];
        if (strcmp(r->name, role) != 0)
            continue;
        for (int j = 0; j < r->nmember_of; j++)
            if (is_member(cat, r->member_of[j], target, depth + 1))
                return true;
    }
    return false;
}

bool rlslint_applies(const struct rls_catalog *cat, const struct rls_policy *pol,
                     enum rls_cmd cmd, const char *role)
{
    if (pol->cmd != RLS_CMD_ALL && pol->cmd != cmd)
        return false;
    for (int i = 0; i < pol->nroles; i++)
        if (strcmp(pol->roles[i], "public") == 0 ||
            is_member(cat, role, pol->roles[i], 0))
            return true;
    return false;
}

/* The expression a policy contributes: WITH CHECK falls back to USING. */
static const char *policy_expr(const struct rls_policy *pol, bool check)
{
    const char *e = check && pol->check_expr ? pol->check_expr
                                             : pol->using_expr;
    return e ? e : "true";
}

static char *join(char *acc, const char *sep, const char *expr)
{
    char *out = acc ? xasprintf("%s %s (%s)", acc, sep, expr)
                    : xasprintf("(%s)", expr);
    free(acc);
    return out;
}

char *rlslint_combined(const struct rls_catalog *cat, const struct rls_table *t,
                       enum rls_cmd cmd, const char *role, bool check)
{
    char *perm = NULL, *out;

    if (!t->enabled)
        return xstrdup("true");
    for (int i = 0; i < t->npolicies; i++) {
        const struct rls_policy *p = &t->policies[i];
        if (p->permissive && rlslint_applies(cat, p, cmd, role))
            perm = join(perm, "OR", policy_expr(p, check));
    }
    out = perm ? perm : xstrdup("false");
    for (int i = 0; i < t->npolicies; i++) {
        const struct rls_policy *p = &t->policies[i];
        if (!p->permissive && rlslint_applies(cat, p, cmd, role)) {
            char *wrapped = xasprintf("(%s)", out);
            free(out);
            out = join(wrapped, "AND", policy_expr(p, check));
        }
    }
    return out;
}

static const char *const calls[] = {
    "auth.uid(", "auth.jwt(", "auth.role(", "auth.email(", "current_setting(",
    NULL,
};

static size_t call_at(const char *expr, size_t i)
{
    if (i > 0 && (isalnum((unsigned char)expr[i - 1]) || expr[i - 1] == '_' ||
                  expr[i - 1] == '.' || expr[i - 1] == '"'))
        return 0;
    for (const char *const *c = calls; *c; c++)
        if (strncasecmp(expr + i, *c, strlen(*c)) == 0)
            return strlen(*c);
    return 0;
}

/* True when the call at i already follows SELECT (pg_get_expr prints
 * "( SELECT auth.uid() AS uid)" for the wrapped form). */
static bool after_select(const char *expr, size_t i)
{
    while (i > 0 && isspace((unsigned char)expr[i - 1]))
        i--;
    return i >= 6 && strncasecmp(expr + i - 6, "select", 6) == 0 &&
           (i == 6 || !isalnum((unsigned char)expr[i - 7]));
}

/* Index just past the ')' closing the '(' at open, skipping string
 * literals; strlen when unbalanced. */
static size_t call_end(const char *expr, size_t open)
{
    int depth = 0;
    bool quoted = false;

    for (size_t i = open; expr[i]; i++) {
        if (expr[i] == '\'')
            quoted = !quoted;
        else if (!quoted && expr[i] == '(')
            depth++;
        else if (!quoted && expr[i] == ')' && --depth == 0)
            return i + 1;
    }
    return strlen(expr);
}

static size_t wrap_into(char *dst, const char *call, size_t n)
{
    memcpy(dst, "(select ", 8);
    memcpy(dst + 8, call, n);
    dst[8 + n] = ')';
    return n + 9;
}

char *rlslint_wrap_calls(const char *expr)
{
    size_t len, n = 0, o = 0;
    char *out;
    bool changed = false;

    if (!expr)
        return NULL;
    len = strlen(expr);
    /* A call is at least 10 bytes long and grows by 9: at most double. */
    out = xmalloc(len * 2 + 1);
    while (n < len) {
        size_t k = expr[n] == '\'' ? 0 : call_at(expr, n);
        if (k && !after_select(expr, n)) {
            size_t end = call_end(expr, n + k - 1);
            o += wrap_into(out + o, expr + n, end - n);
            n = end;
            changed = true;
        } else if (expr[n] == '\'') {
            size_t end = n + 1;
            while (end < len && expr[end] != '\'')
                end++;
            end = end < len ? end + 1 : len;
            memcpy(out + o, expr + n, end - n);
            o += end - n;
            n = end;
        } else {
            out[o++] = expr[n++];
        }
    }
    out[o] = '\0';
    if (!changed) {
        free(out);
        return NULL;
    }
    return out;
}
