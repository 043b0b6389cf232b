/* The advisor's other checks: primary keys, statistics and dead tuples,
 * sequence and transaction-ID exhaustion, unvalidated constraints, views
 * and functions that bypass RLS or the search_path, extensions in public. */
#include "autoconfig.h"

#include "domain/advisor_priv.h"

#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"
#include "i18n.h"

/* Past this age autovacuum's anti-wraparound work is overdue; at 2^31 the
 * server stops accepting writes. */
#define XID_WARN 1000000000LL
#define XID_CRITICAL 1600000000LL
#define DEAD_MIN 1000LL

static char *rel_of(const struct adv_table *t)
{
    return advisor_qualified(t->schema, t->name);
}

static void check_table_stats(struct adv_findings *out,
                              const struct adv_table *t)
{
    char *rel = rel_of(t);
    long long all = t->live + t->dead;

    if (!t->analyzed && all > 0)
        adv_add(out, "never_analyzed", ADV_INFO, t->schema, t->name,
                N_("never analyzed: the planner guesses its row counts"),
                NULL, xasprintf("ANALYZE %s;", rel));
    if (t->dead >= DEAD_MIN && t->dead * 5 > all)
        adv_add(out, "dead_tuples", ADV_WARNING, t->schema, t->name,
                N_("many dead rows: vacuum is not keeping up"),
                xasprintf("%lld / %lld (%lld%%)", t->dead, all,
                          t->dead * 100 / all),
                xasprintf("VACUUM (ANALYZE) %s;", rel));
    if (t->xid_age >= XID_WARN)
        adv_add(out, "xid_age", t->xid_age >= XID_CRITICAL ? ADV_CRITICAL
                                                           : ADV_WARNING,
                t->schema, t->name,
                N_("transaction-ID age approaching wraparound"),
                xasprintf("%lld", t->xid_age),
                xasprintf("VACUUM (FREEZE) %s;", rel));
    free(rel);
}

static void check_tables(const struct adv_catalog *c,
                         struct adv_findings *out)
{
    for (int i = 0; i < c->ntables; i++) {
        const struct adv_table *t = &c->tables[i];
        if (t->kind == 'r' || t->kind == 'p') {
            if (!t->has_pk)
                adv_add(out, "no_primary_key", ADV_WARNING, t->schema,
                        t->name, N_("table without a primary key: rows "
                                    "cannot be addressed or replicated"),
                        NULL, NULL);
            check_table_stats(out, t);
        } else if (t->kind == 'v' && t->reads_rls && !t->security_invoker) {
            char *rel = rel_of(t);
            adv_add(out, "view_bypasses_rls", ADV_WARNING, t->schema,
                    t->name, N_("view runs with its owner's rights over a "
                                "table with RLS: policies are bypassed"),
                    NULL, xasprintf("ALTER VIEW %s SET (security_invoker "
                                    "= on);", rel));
            free(rel);
        }
    }
    if (c->db_xid_age >= XID_WARN)
        adv_add(out, "xid_age", c->db_xid_age >= XID_CRITICAL ? ADV_CRITICAL
                                                              : ADV_WARNING,
                NULL, "database", N_("transaction-ID age approaching "
                                     "wraparound"),
                xasprintf("%lld", c->db_xid_age), NULL);
}

/* used/limit past 90%. */
static bool nearly_full(long long used, long long limit)
{
    return limit > 0 && used > 0 && used / 10 * 10 >= limit / 10 * 9;
}

static void check_sequences(const struct adv_catalog *c,
                            struct adv_findings *out)
{
    for (int i = 0; i < c->nsequences; i++) {
        const struct adv_sequence *s = &c->sequences[i];
        char *q = advisor_qualified(s->schema, s->name);
        if (s->column && nearly_full(s->last_value, s->col_max)) {
            char *rel = advisor_qualified(s->column_schema, s->column_table);
            char *col = advisor_quote_ident(s->column);
            adv_add(out, "integer_key_exhaustion", ADV_CRITICAL,
                    s->column_schema, s->column_table,
                    /* xgettext:no-c-format */
                    N_("integer key past 90% of its type's range"),
                    xasprintf("%s %lld / %lld", s->column, s->last_value,
                              s->col_max),
                    xasprintf("ALTER TABLE %s ALTER COLUMN %s TYPE bigint; "
                              "ALTER SEQUENCE %s AS bigint;", rel, col, q));
            free(rel);
            free(col);
        } else if (nearly_full(s->last_value, s->max_value)) {
            adv_add(out, "sequence_exhaustion", ADV_CRITICAL, s->schema,
                    s->name,
                    /* xgettext:no-c-format */
                    N_("sequence past 90% of its range"),
                    xasprintf("%lld / %lld", s->last_value, s->max_value),
                    xasprintf("ALTER SEQUENCE %s AS bigint MAXVALUE "
                              "9223372036854775807;", q));
        }
        free(q);
    }
}

static void check_constraints(const struct adv_catalog *c,
                              struct adv_findings *out)
{
    for (int i = 0; i < c->nconstraints; i++) {
        const struct adv_constraint *k = &c->constraints[i];
        char *rel, *name;
        if (k->validated)
            continue;
        rel = advisor_qualified(k->schema, k->table);
        name = advisor_quote_ident(k->name);
        adv_add(out, "constraint_not_valid", ADV_WARNING, k->schema,
                k->table, N_("constraint added NOT VALID and never "
                             "validated: old rows may break it"),
                xstrdup(k->name),
                xasprintf("ALTER TABLE %s VALIDATE CONSTRAINT %s;", rel,
                          name));
        free(rel);
        free(name);
    }
}

static void check_functions(const struct adv_catalog *c,
                            struct adv_findings *out)
{
    for (int i = 0; i < c->nfunctions; i++) {
        const struct adv_function *f = &c->functions[i];
        struct adv_finding *last;
        if (f->fixed_search_path)
            continue;
        adv_add(out, "function_search_path", f->security_definer
                                                 ? ADV_WARNING : ADV_INFO,
                NULL, "", N_("function without a fixed search_path: a "
                             "caller's objects can shadow the ones it uses"),
                NULL, xasprintf("ALTER FUNCTION %s SET search_path = "
                                "pg_catalog, public;", f->signature));
        /* The signature is already quoted by the server. */
        last = &out->v[out->n - 1];
        free(last->object);
        last->object = xstrdup(f->signature);
    }
}

static void check_extensions(const struct adv_catalog *c,
                             struct adv_findings *out)
{
    for (int i = 0; i < c->nextensions; i++) {
        const struct adv_extension *e = &c->extensions[i];
        char *q;
        if (strcmp(e->schema, "public") != 0)
            continue;
        q = advisor_quote_ident(e->name);
        adv_add(out, "extension_in_public", ADV_INFO, NULL, e->name,
                N_("extension installed in public: its objects mix with the "
                   "application's"), NULL,
                xasprintf("CREATE SCHEMA IF NOT EXISTS extensions; ALTER "
                          "EXTENSION %s SET SCHEMA extensions;", q));
        free(q);
    }
}

void adv_check_health(const struct adv_catalog *c, struct adv_findings *out)
{
    check_tables(c, out);
    check_sequences(c, out);
    check_constraints(c, out);
    check_functions(c, out);
    check_extensions(c, out);
}
