/* The advisor's free-text check: the search matches its text with ILIKE
 * '%...%' over a few columns, which only a pg_trgm index can serve; it
 * suggests one per column the search reads (or says pg_trgm is missing). */
#include "autoconfig.h"

#include "domain/advisor_priv.h"

#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"
#include "i18n.h"

/* The columns src/domain/searchq.c's free text reads: an ILIKE per column,
 * OR-ed, so the planner needs an index on each of them to use any. */
static const struct {
    const char *table, *column;
} text_columns[] = {
    { "referenciales", "comprador" }, { "referenciales", "vendedor" },
    { "referenciales", "predio" },
    { "Property", "title" }, { "Property", "address" },
};
#define NTEXT (sizeof text_columns / sizeof *text_columns)

static const struct adv_extension *extension(const struct adv_catalog *c,
                                             const char *name)
{
    for (int i = 0; i < c->nextensions; i++)
        if (strcmp(c->extensions[i].name, name) == 0)
            return &c->extensions[i];
    return NULL;
}

static bool has_column(const struct adv_catalog *c, const struct adv_table *t,
                       const char *name)
{
    for (int i = 0; i < c->ncolumns; i++)
        if (strcmp(c->columns[i].name, name) == 0 &&
            strcmp(c->columns[i].table, t->name) == 0 &&
            strcmp(c->columns[i].schema, t->schema) == 0)
            return true;
    return false;
}

/* A valid trigram index (GIN or GiST) whose first key is the column. */
static bool has_trgm_index(const struct adv_catalog *c,
                           const struct adv_table *t, const char *column)
{
    for (int i = 0; i < c->nindexes; i++) {
        const struct adv_index *ix = &c->indexes[i];
        if (ix->valid && ix->def && strstr(ix->def, "_trgm_ops") &&
            ix->ncols > 0 && ix->cols[0] &&
            strcmp(ix->cols[0], column) == 0 &&
            strcmp(ix->table, t->name) == 0 &&
            strcmp(ix->schema, t->schema) == 0)
            return true;
    }
    return false;
}

static void add_trgm(struct adv_findings *out, const struct adv_table *t,
                     const char *column, const struct adv_extension *trgm)
{
    char *rel = advisor_qualified(t->schema, t->name);
    char *col = advisor_quote_ident(column);
    /* The operator class lives in pg_trgm's schema, which need not be on
     * the search_path. */
    char *ops = strcmp(trgm->schema, "public") == 0
                    ? xstrdup("gin_trgm_ops")
                    : advisor_qualified(trgm->schema, "gin_trgm_ops");

    adv_add(out, "trigram_index_missing", ADV_WARNING, t->schema, t->name,
            N_("free-text search reads this column with ILIKE: without a "
               "trigram index every search scans the table"),
            xstrdup(column),
            xasprintf("CREATE INDEX CONCURRENTLY ON %s USING gin (%s %s);",
                      rel, col, ops));
    free(rel);
    free(col);
    free(ops);
}

/* The degux table t's free-text columns; true when it has any. */
static bool check_table(const struct adv_catalog *c,
                        const struct adv_table *t,
                        const struct adv_extension *trgm,
                        struct adv_findings *out)
{
    bool any = false;

    for (size_t k = 0; k < NTEXT; k++) {
        if (strcmp(t->name, text_columns[k].table) != 0 ||
            !has_column(c, t, text_columns[k].column))
            continue;
        any = true;
        if (trgm && !has_trgm_index(c, t, text_columns[k].column))
            add_trgm(out, t, text_columns[k].column, trgm);
    }
    return any;
}

void adv_check_trigram(const struct adv_catalog *c, struct adv_findings *out)
{
    const struct adv_extension *trgm = extension(c, "pg_trgm");
    bool any = false;

    for (int i = 0; i < c->ntables; i++)
        if (c->tables[i].kind == 'r' || c->tables[i].kind == 'p')
            any |= check_table(c, &c->tables[i], trgm, out);
    if (any && !trgm)
        adv_add(out, "pg_trgm_missing", ADV_INFO, NULL, "pg_trgm",
                N_("pg_trgm is not installed: no index can serve the "
                   "free-text search, which scans the tables"),
                NULL, xstrdup("CREATE EXTENSION IF NOT EXISTS pg_trgm;"));
}
