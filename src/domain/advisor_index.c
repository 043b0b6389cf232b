/* The advisor's index checks: foreign keys without an index, unused,
 * duplicate, redundant and invalid indexes, geometry without GIST, and the
 * indexes the degux seed recommends. */
#include "autoconfig.h"

#include "domain/advisor_priv.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/xalloc.h"
#include "i18n.h"

static bool same_str(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static bool same_table(const struct adv_index *a, const char *schema,
                       const char *table)
{
    return strcmp(a->schema, schema) == 0 && strcmp(a->table, table) == 0;
}

static bool droppable(const struct adv_index *ix)
{
    return !ix->unique && !ix->primary && !ix->constraint;
}

static bool plain_columns(const struct adv_index *ix)
{
    for (int i = 0; i < ix->ncols; i++)
        if (!ix->cols[i])
            return false;
    return ix->ncols > 0;
}

/* a's key columns are the first a->ncols of b's (a == b when equal). */
static bool columns_prefix(const struct adv_index *a,
                           const struct adv_index *b)
{
    if (a->ncols > b->ncols || !plain_columns(a) || !plain_columns(b))
        return false;
    for (int i = 0; i < a->ncols; i++)
        if (strcmp(a->cols[i], b->cols[i]) != 0)
            return false;
    return true;
}

/* The indexes grouped by table (sorted pointers), so that pair checks stay
 * within a table: thousands of tables must not cost millions of pairs. */
struct ixset {
    const struct adv_index **v;
    int n;
    bool *dropped;          /* by position in the catalog: said once */
    const struct adv_index *base;
};

static int cmp_table(const char *s1, const char *t1, const char *s2,
                     const char *t2)
{
    int c = strcmp(s1, s2);

    return c ? c : strcmp(t1, t2);
}

static int by_table(const void *a, const void *b)
{
    const struct adv_index *x = *(const struct adv_index *const *)a;
    const struct adv_index *y = *(const struct adv_index *const *)b;
    int c = cmp_table(x->schema, x->table, y->schema, y->table);

    return c ? c : strcmp(x->name, y->name);
}

static void ixset_init(struct ixset *set, const struct adv_catalog *c)
{
    set->n = c->nindexes;
    set->base = c->indexes;
    set->v = xcalloc(set->n + 1, sizeof *set->v);
    set->dropped = xcalloc(set->n + 1, sizeof *set->dropped);
    for (int i = 0; i < set->n; i++)
        set->v[i] = &c->indexes[i];
    qsort(set->v, set->n, sizeof *set->v, by_table);
}

/* [*first, return) are the table's indexes. */
static int ixset_table(const struct ixset *set, const char *schema,
                       const char *table, int *first)
{
    int lo = 0, hi = set->n, end;

    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (cmp_table(set->v[mid]->schema, set->v[mid]->table, schema,
                      table) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (end = lo; end < set->n && same_table(set->v[end], schema, table);
         end++)
        ;
    *first = lo;
    return end;
}

/* Prisma names its indexes Table_col_idx, Table_col_key and Table_pkey:
 * dropping one of those makes `prisma migrate` report drift. */
static bool prisma_named(const struct adv_index *ix)
{
    size_t t = strlen(ix->table), n = strlen(ix->name);
    static const char *const ends[] = { "_idx", "_key", "_pkey" };

    if (n <= t + 1 || strncmp(ix->name, ix->table, t) != 0 ||
        ix->name[t] != '_')
        return false;
    for (size_t k = 0; k < sizeof ends / sizeof *ends; k++) {
        size_t e = strlen(ends[k]);
        if (n > t + e && strcmp(ix->name + n - e, ends[k]) == 0)
            return true;
    }
    return false;
}

/* A drop proposal. An index Prisma named is Prisma's to drop (a DROP
 * INDEX by hand makes migrate report drift): then prisma_msg, no fix. */
static void add_drop(struct adv_findings *out, struct ixset *set,
                     const struct adv_index *ix, const char *check,
                     enum adv_severity sev, const char *msg,
                     const char *prisma_msg, char *detail)
{
    char *q;

    if (set->dropped[ix - set->base]) {
        free(detail);
        return;
    }
    set->dropped[ix - set->base] = true;
    if (prisma_named(ix)) {
        adv_add(out, check, sev, ix->schema, ix->name, prisma_msg, detail,
                NULL);
        return;
    }
    q = advisor_qualified(ix->schema, ix->name);
    adv_add(out, check, sev, ix->schema, ix->name, msg, detail,
            xasprintf("DROP INDEX CONCURRENTLY %s;", q));
    free(q);
}

/* Of two equal indexes, whether a is the one to keep: the one a
 * constraint needs, then Prisma's, then the one the planner used more,
 * then the first by name, so that every run chooses the same. */
static bool keep_first(const struct adv_index *a, const struct adv_index *b)
{
    if (droppable(a) != droppable(b))
        return !droppable(a);
    if (prisma_named(a) != prisma_named(b))
        return prisma_named(a);
    if (a->scans != b->scans)
        return a->scans > b->scans;
    return strcmp(a->name, b->name) < 0;
}

static void check_pair(struct adv_findings *out, struct ixset *set,
                       const struct adv_index *a, const struct adv_index *b)
{
    if (strcmp(a->method, b->method) != 0 ||
        !same_str(a->predicate, b->predicate) || !columns_prefix(a, b))
        return;
    if (a->ncols == b->ncols) {
        const struct adv_index *keep = keep_first(a, b) ? a : b;
        const struct adv_index *drop = keep == a ? b : a;
        if (droppable(drop))
            add_drop(out, set, drop, "duplicate_index", ADV_WARNING,
                     N_("duplicate index: the index named in the detail "
                        "has the same definition and is kept"),
                     N_("duplicate index named by Prisma (the one in the "
                        "detail is kept): remove it from schema.prisma, a "
                        "DROP INDEX makes migrate report drift"),
                     xstrdup(keep->name));
    } else if (droppable(a) && b->valid &&
               strcmp(a->method, "btree") == 0) {
        add_drop(out, set, a, "redundant_index", ADV_INFO,
                 N_("redundant index: its columns lead the wider index "
                    "named in the detail"),
                 N_("redundant index named by Prisma (its columns lead the "
                    "one in the detail): remove it from schema.prisma, a "
                    "DROP INDEX makes migrate report drift"),
                 xstrdup(b->name));
    }
}

/* Every ordered pair within each table: equal ones once, a prefix of a
 * wider one in its direction. */
static void check_duplicates(struct ixset *set, struct adv_findings *out)
{
    for (int first = 0, end; first < set->n; first = end) {
        end = ixset_table(set, set->v[first]->schema, set->v[first]->table,
                          &first);
        for (int i = first; i < end; i++)
            for (int j = first; j < end; j++)
                if (i != j && (set->v[i]->ncols != set->v[j]->ncols ||
                               i < j))
                    check_pair(out, set, set->v[i], set->v[j]);
    }
}

/* Another valid index with the same definition: the duplicate finding
 * says which of the two to drop, "unused" would say both. */
static bool has_twin(const struct ixset *set, const struct adv_index *ix)
{
    int first, end = ixset_table(set, ix->schema, ix->table, &first);

    for (int i = first; i < end; i++) {
        const struct adv_index *o = set->v[i];
        if (o != ix && o->valid && o->ncols == ix->ncols &&
            strcmp(o->method, ix->method) == 0 &&
            same_str(o->predicate, ix->predicate) && columns_prefix(o, ix))
            return true;
    }
    return false;
}

/* An index that serves a foreign key is needed even when no query used it
 * yet: dropping it would bring the fk_without_index finding back. */
static bool serves_fk(const struct adv_catalog *c, const struct adv_index *ix)
{
    for (int i = 0; i < c->nconstraints; i++) {
        const struct adv_constraint *k = &c->constraints[i];
        if (k->type == 'f' && k->ncols > 0 &&
            strcmp(k->table, ix->table) == 0 &&
            strcmp(k->schema, ix->schema) == 0 &&
            adv_index_leads(ix, k->cols, k->ncols))
            return true;
    }
    return false;
}

static void check_unused_invalid(const struct adv_catalog *c,
                                 struct ixset *set, struct adv_findings *out)
{
    for (int i = 0; i < set->n; i++) {
        const struct adv_index *ix = &set->base[i];
        if (!ix->valid) {
            char *q = advisor_qualified(ix->schema, ix->name);
            adv_add(out, "invalid_index", ADV_WARNING, ix->schema, ix->name,
                    N_("invalid index (a failed CREATE INDEX CONCURRENTLY): "
                       "written to, never used"), NULL,
                    xasprintf("REINDEX INDEX CONCURRENTLY %s;", q));
            free(q);
        } else if (ix->scans == 0 && droppable(ix) && !has_twin(set, ix) &&
                   !serves_fk(c, ix)) {
            add_drop(out, set, ix, "unused_index", ADV_INFO,
                     N_("unused index: no scans since the statistics were "
                        "reset"),
                     N_("unused index named by Prisma: if it is not needed, "
                        "remove it from schema.prisma; a DROP INDEX makes "
                        "migrate report drift"), NULL);
        }
    }
}

static bool fk_has_index(const struct ixset *set,
                         const struct adv_constraint *fk)
{
    int first, end = ixset_table(set, fk->schema, fk->table, &first);

    for (int i = first; i < end; i++)
        if (set->v[i]->valid &&
            adv_index_leads(set->v[i], fk->cols, fk->ncols))
            return true;
    return false;
}

static void check_foreign_keys(const struct adv_catalog *c,
                               const struct ixset *set,
                               struct adv_findings *out)
{
    for (int i = 0; i < c->nconstraints; i++) {
        const struct adv_constraint *fk = &c->constraints[i];
        char *list;
        if (fk->type != 'f' || fk->ncols == 0 || fk_has_index(set, fk))
            continue;
        list = adv_column_list(fk->cols, fk->ncols);
        adv_add(out, "fk_without_index", ADV_WARNING, fk->schema, fk->table,
                N_("foreign key without an index: joins and deletes on the "
                   "referenced table scan this one"),
                xasprintf("%s %s", fk->name, list),
                adv_create_index(fk->schema, fk->table, "btree", fk->cols,
                                 fk->ncols, NULL));
        free(list);
    }
}

/* The type without a schema prefix: "public.geometry(Point,4326)". */
static const char *base_type(const char *type)
{
    const char *dot = strchr(type, '.');
    const char *paren = strchr(type, '(');

    return dot && (!paren || dot < paren) ? dot + 1 : type;
}

static bool is_spatial(const char *type)
{
    const char *t = base_type(type);

    return strncmp(t, "geometry", 8) == 0 || strncmp(t, "geography", 9) == 0;
}

static bool has_spatial_index(const struct ixset *set,
                              const struct adv_column *col)
{
    int first, end = ixset_table(set, col->schema, col->table, &first);

    for (int i = first; i < end; i++) {
        const struct adv_index *ix = set->v[i];
        if (ix->valid && ix->ncols > 0 && ix->cols[0] &&
            strcmp(ix->cols[0], col->name) == 0 &&
            strcmp(ix->method, "btree") != 0 && strcmp(ix->method, "hash"))
            return true;
    }
    return false;
}

/* "MULTIPOLYGON" as a typmod spells it: "MultiPolygon". */
static char *typmod_name(const char *upper)
{
    static const char *const names[] = {
        "Point", "LineString", "Polygon", "MultiPoint", "MultiLineString",
        "MultiPolygon", "GeometryCollection", "CircularString",
        "CompoundCurve", "CurvePolygon", "MultiCurve", "MultiSurface",
        "PolyhedralSurface", "Triangle", "Tin",
    };

    for (size_t k = 0; upper && k < sizeof names / sizeof *names; k++)
        if (strcasecmp(names[k], upper) == 0)
            return xstrdup(names[k]);
    return xstrdup("Geometry");
}

/* The column's type as its rows show it: the one geometry type and SRID
 * a sample of them agree on, else Geometry and 4326 (degux's SRID). */
static char *sampled_type(const struct adv_column *col)
{
    char *name = typmod_name(col->sample_type), *out;
    const char *srid = col->sample_srid;

    if (!srid || strspn(srid, "0123456789") != strlen(srid) ||
        strcmp(srid, "0") == 0)
        srid = "4326";
    out = xasprintf("geometry(%s, %s)", name, srid);
    free(name);
    return out;
}

static void add_untyped(struct adv_findings *out,
                        const struct adv_column *col)
{
    char *rel = advisor_qualified(col->schema, col->table);
    char *cn = advisor_quote_ident(col->name);
    char *type = sampled_type(col);
    const char *srid = strchr(type, ',') + 2;

    adv_add(out, "untyped_geometry", ADV_WARNING, col->schema, col->table,
            N_("untyped geometry column: no geometry type or SRID is "
               "enforced"), xstrdup(col->name),
            xasprintf("ALTER TABLE %s ALTER COLUMN %s TYPE %s USING "
                      "ST_SetSRID(%s, %.*s);", rel, cn, type, cn,
                      (int)strcspn(srid, ")"), srid));
    free(rel);
    free(cn);
    free(type);
}

static void check_geometry(const struct adv_catalog *c,
                           const struct ixset *set, struct adv_findings *out)
{
    for (int i = 0; i < c->ncolumns; i++) {
        const struct adv_column *col = &c->columns[i];
        const struct adv_table *tb;
        if (!is_spatial(col->type) ||
            !(tb = adv_table_find(c, col->schema, col->table)) ||
            tb->kind == 'v')
            continue;
        if (strcmp(base_type(col->type), "geometry") == 0)
            add_untyped(out, col);
        if (!has_spatial_index(set, col)) {
            const char *cols[1] = { col->name };
            adv_add(out, "geometry_without_gist", ADV_WARNING, col->schema,
                    col->table, N_("spatial column without a GIST index: "
                                   "every spatial query scans the table"),
                    xstrdup(col->name),
                    adv_create_index(col->schema, col->table, "gist", cols,
                                     1, NULL));
        }
    }
}

void adv_check_indexes(const struct adv_catalog *c, struct adv_findings *out)
{
    struct ixset set;

    ixset_init(&set, c);
    check_foreign_keys(c, &set, out);
    check_duplicates(&set, out);
    check_unused_invalid(c, &set, out);
    check_geometry(c, &set, out);
    free(set.v);
    free(set.dropped);
}

/* ---- the seed's recommended indexes ------------------------------------ */

struct recommended {
    const char *table, *method;
    const char *cols[3];
    int ncols;
    const char *predicate;
};

static const struct recommended recommended[] = {
    { "User", "btree", { "email" }, 1, NULL },
    { "User", "btree", { "profession" }, 1, "\"isPublicProfile\"" },
    { "User", "btree", { "region", "commune" }, 2, "\"isPublicProfile\"" },
    { "Property", "btree", { "userId" }, 1, NULL },
    { "Property", "btree", { "status" }, 1, NULL },
    { "Property", "btree", { "commune", "status" }, 2, NULL },
    { "Property", "btree", { "propertyType", "status" }, 2, NULL },
    { "Property", "btree", { "price" }, 1, "status = 'available'" },
    { "Property", "gist", { "geom" }, 1, NULL },
    { "Connection", "btree", { "requesterId", "status" }, 2, NULL },
    { "Connection", "btree", { "receiverId", "status" }, 2, NULL },
    { "referenciales", "btree", { "comuna" }, 1, NULL },
    { "referenciales", "btree", { "fechaescritura" }, 1, NULL },
    { "referenciales", "btree", { "userId" }, 1, NULL },
    { "referenciales", "gist", { "geom" }, 1, NULL },
};

static bool has_column(const struct adv_catalog *c, const char *schema,
                       const char *table, const char *name)
{
    for (int i = 0; i < c->ncolumns; i++)
        if (strcmp(c->columns[i].name, name) == 0 &&
            strcmp(c->columns[i].table, table) == 0 &&
            strcmp(c->columns[i].schema, schema) == 0)
            return true;
    return false;
}

static bool recommended_applies(const struct adv_catalog *c,
                                const struct adv_table *t,
                                const struct recommended *r)
{
    if (strcmp(t->name, r->table) != 0 || (t->kind != 'r' && t->kind != 'p'))
        return false;
    for (int k = 0; k < r->ncols; k++)
        if (!has_column(c, t->schema, t->name, r->cols[k]))
            return false;
    for (int i = 0; i < c->nindexes; i++) {
        const struct adv_index *ix = &c->indexes[i];
        if (same_table(ix, t->schema, t->name) && ix->valid &&
            strcmp(ix->method, r->method) == 0 &&
            adv_index_leads(ix, r->cols, r->ncols))
            return false;
    }
    return true;
}

void adv_check_recommended(const struct adv_catalog *c,
                           struct adv_findings *out)
{
    for (int i = 0; i < c->ntables; i++)
        for (size_t k = 0; k < sizeof recommended / sizeof *recommended;
             k++) {
            const struct recommended *r = &recommended[k];
            char *fix;
            if (!recommended_applies(c, &c->tables[i], r))
                continue;
            fix = adv_create_index(c->tables[i].schema, r->table, r->method,
                                   r->cols, r->ncols, r->predicate);
            if (adv_has_fix(out, fix)) {
                free(fix);
                continue;
            }
            adv_add(out, "missing_recommended_index", ADV_WARNING,
                    c->tables[i].schema, r->table,
                    N_("an index the degux schema recommends is missing"),
                    adv_column_list(r->cols, r->ncols), fix);
        }
}
