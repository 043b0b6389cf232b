/* Row Level Security lint: findings (tables that leak or lock out rows,
 * roles that bypass policies, per-row auth calls) from catalog rows the
 * caller read, plus the combined condition of the policies that apply. */
#ifndef DEGUX_RLSLINT_H
#define DEGUX_RLSLINT_H

#include <stdbool.h>

enum rls_severity { RLS_INFO, RLS_WARNING, RLS_CRITICAL };

/* pg_policy.polcmd: '*' all, 'r' select, 'a' insert, 'w' update, 'd' delete. */
enum rls_cmd { RLS_CMD_ALL, RLS_CMD_SELECT, RLS_CMD_INSERT, RLS_CMD_UPDATE,
               RLS_CMD_DELETE };

/* Strings are borrowed from the caller for the duration of a call. */
struct rls_policy {
    const char *name;
    bool permissive;           /* false: restrictive */
    enum rls_cmd cmd;
    const char *const *roles;  /* "public" for PUBLIC */
    int nroles;
    const char *using_expr;    /* pg_get_expr text, or NULL */
    const char *check_expr;    /* WITH CHECK, or NULL */
};

struct rls_table {
    const char *schema, *name, *owner;
    bool enabled, forced;
    const struct rls_policy *policies;
    int npolicies;
};

struct rls_role {
    const char *name;
    bool superuser, bypassrls, login;
    const char *const *member_of;  /* roles it inherits from (direct) */
    int nmember_of;
};

struct rls_catalog {
    const struct rls_table *tables; int ntables;
    const struct rls_role *roles;   int nroles;
    const char *app_role;          /* the role the application uses */
    bool auth_schema, auth_uid;    /* schema auth / function auth.uid() */
};

struct rls_finding {
    const char *check;             /* stable id: "rls_no_policy" */
    enum rls_severity severity;
    char *object;                  /* quoted: public."Property" */
    const char *message;           /* N_() text: translate when shown */
    char *detail;                  /* names, or NULL */
    char *fix_sql;                 /* NULL when no statement fixes it */
};

struct rls_findings {
    struct rls_finding *v;
    int n, cap;
};

/* The auth.uid() stand-in the seed's policies need: both statements, and
 * each alone (a parameterised send takes one statement at a time). */
extern const char RLSLINT_AUTH_SHIM[];
extern const char RLSLINT_AUTH_SHIM_SCHEMA[];
extern const char RLSLINT_AUTH_SHIM_FUNCTION[];

/* Appends the findings for cat to out (worst first, then by object). out
 * starts zeroed; free with rlslint_free. */
void rlslint_run(const struct rls_catalog *cat, struct rls_findings *out);
void rlslint_free(struct rls_findings *f);
/* The worst severity; -1 when there is no finding. */
int rlslint_worst(const struct rls_findings *f);
/* "info", "warning", "critical": stable report values. */
const char *rlslint_severity_name(enum rls_severity s);
/* "ALL", "SELECT", ...: SQL keywords, not translated. */
const char *rlslint_cmd_name(enum rls_cmd c);
/* pg_policy.polcmd's letter; RLS_CMD_ALL for anything unknown. */
enum rls_cmd rlslint_cmd_from_char(char c);

/* True when pol applies to role for cmd (PUBLIC, the role, or a role it is
 * a member of, transitively through cat's memberships). */
bool rlslint_applies(const struct rls_catalog *cat, const struct rls_policy *pol,
                     enum rls_cmd cmd, const char *role);
/* The condition a row must meet for role and cmd on t: the permissive
 * policies' expressions ORed, the restrictive ones ANDed to that ("false"
 * when no permissive policy applies, "true" when RLS is off). check: the
 * WITH CHECK side (which falls back to USING, as PostgreSQL does).
 * Caller frees. */
char *rlslint_combined(const struct rls_catalog *cat, const struct rls_table *t,
                       enum rls_cmd cmd, const char *role, bool check);
/* expr with every per-row call of auth.uid(), auth.jwt(), auth.role() or
 * current_setting(...) not already inside a sub-select wrapped as
 * (select CALL); NULL when there is none. Caller frees. */
char *rlslint_wrap_calls(const char *expr);

#endif
