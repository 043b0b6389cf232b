/* The schema pane's model: the catalog read with a fixed number of
 * queries (one per kind of object, never one per table), grouped per
 * relation, and the advisor's findings over the same rows. */
#include "autoconfig.h"

#include "panes/schema.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "core/sql.h"
#include "core/xalloc.h"
#include "i18n.h"
#include "panes/pane.h"

static const char *const queries[SQ_COUNT] = {
    SQL_SCHEMA_NAMESPACES, SQL_SCHEMA_RELATIONS, SQL_SCHEMA_FUNCTIONS,
    SQL_SCHEMA_ENUMS, SQL_SCHEMA_EXTENSIONS, SQL_SCHEMA_COLUMNS,
    SQL_SCHEMA_INDEXES, SQL_SCHEMA_CONSTRAINTS, SQL_SCHEMA_TRIGGERS,
    SQL_SCHEMA_SEQUENCES, SQL_SCHEMA_DATABASE, SQL_SCHEMA_GEOMETRY,
    SQL_SCHEMA_SIZES,
};

static const char *const labels[SQ_COUNT] = {
    N_("Schema: schemas"), N_("Schema: tables"), N_("Schema: functions"),
    N_("Schema: types"), N_("Schema: extensions"), N_("Schema: columns"),
    N_("Schema: indexes"), N_("Schema: constraints"),
    N_("Schema: triggers"), N_("Schema: sequences"),
    N_("Schema: database"), N_("Schema: geometry types"),
    N_("Schema: sizes"),
};

struct load {
    struct pane *p;
    struct schema_model *m;
    void (*done)(struct pane *p);
};

/* ---- values ------------------------------------------------------------ */

int schema_rows(const struct schema_model *m, enum schema_q q)
{
    return m->res[q] ? PQntuples(m->res[q]) : 0;
}

const char *schema_val(const struct schema_model *m, enum schema_q q,
                       int row, int col)
{
    if (!m->res[q] || row < 0 || row >= PQntuples(m->res[q]) ||
        PQgetisnull(m->res[q], row, col))
        return NULL;
    return PQgetvalue(m->res[q], row, col);
}

bool schema_bool(const struct schema_model *m, enum schema_q q, int row,
                 int col)
{
    const char *v = schema_val(m, q, row, col);

    return v && *v == 't';
}

long long schema_ll(const struct schema_model *m, enum schema_q q, int row,
                    int col)
{
    const char *v = schema_val(m, q, row, col);

    return v ? atoll(v) : 0;
}

const struct schema_rel *schema_model_find_name(const struct schema_model *m,
                                                const struct adv_name *n)
{
    const struct schema_rel *typed = NULL;

    if (n->call)
        return NULL;
    for (int i = 0; i < m->nrels; i++) {
        int row = m->rels[i].row;
        int how = advisor_name_match(
            n, schema_val(m, SQ_RELATIONS, row, RC_SCHEMA),
            schema_val(m, SQ_RELATIONS, row, RC_NAME));
        if (how == 2)
            return &m->rels[i];
        if (how == 1 && !typed)
            typed = &m->rels[i];
    }
    return typed;
}

const struct schema_rel *schema_model_find(const struct schema_model *m,
                                           const char *name)
{
    struct adv_name n;
    const struct schema_rel *r;

    if (!advisor_parse_name(name, &n))
        return NULL;
    r = schema_model_find_name(m, &n);
    advisor_name_free(&n);
    return r;
}

/* ---- grouping rows per relation ---------------------------------------- */

static unsigned hash_pair(const char *a, const char *b)
{
    unsigned h = 2166136261u;

    for (; *a; a++)
        h = (h ^ (unsigned char)*a) * 16777619u;
    h = (h ^ 0xffu) * 16777619u;
    for (; *b; b++)
        h = (h ^ (unsigned char)*b) * 16777619u;
    return h;
}

struct relmap {
    int *slot;              /* rel index + 1, 0 empty */
    unsigned mask;
};

static void relmap_build(struct relmap *h, const struct schema_model *m)
{
    unsigned size = 16;

    while (size < 2u * (unsigned)m->nrels + 1)
        size *= 2;
    h->slot = xcalloc(size, sizeof *h->slot);
    h->mask = size - 1;
    for (int i = 0; i < m->nrels; i++) {
        int row = m->rels[i].row;
        unsigned k = hash_pair(PQgetvalue(m->res[SQ_RELATIONS], row, 0),
                               PQgetvalue(m->res[SQ_RELATIONS], row, 1));
        while (h->slot[k & h->mask])
            k++;
        h->slot[k & h->mask] = i + 1;
    }
}

static struct schema_rel *relmap_get(const struct relmap *h,
                                     struct schema_model *m, const char *s,
                                     const char *n)
{
    for (unsigned k = hash_pair(s, n);; k++) {
        int i = h->slot[k & h->mask] - 1;
        if (i < 0)
            return NULL;
        int row = m->rels[i].row;
        if (strcmp(PQgetvalue(m->res[SQ_RELATIONS], row, 0), s) == 0 &&
            strcmp(PQgetvalue(m->res[SQ_RELATIONS], row, 1), n) == 0)
            return &m->rels[i];
    }
}

static struct schema_span *span_of(struct schema_rel *r, enum schema_q q)
{
    switch (q) {
    case SQ_COLUMNS: return &r->cols;
    case SQ_INDEXES: return &r->idx;
    case SQ_CONSTRAINTS: return &r->cons;
    default: return &r->trg;
    }
}

/* Rows of one relation are adjacent: the queries order by schema, table. */
static void group_rows(struct schema_model *m, const struct relmap *h,
                       enum schema_q q)
{
    int n = schema_rows(m, q);

    for (int i = 0; i < n;) {
        const char *s = PQgetvalue(m->res[q], i, 0);
        const char *t = PQgetvalue(m->res[q], i, 1);
        int j = i + 1;
        struct schema_rel *r;
        while (j < n && strcmp(PQgetvalue(m->res[q], j, 0), s) == 0 &&
               strcmp(PQgetvalue(m->res[q], j, 1), t) == 0)
            j++;
        if ((r = relmap_get(h, m, s, t)))
            *span_of(r, q) = (struct schema_span){ i, j - i };
        i = j;
    }
}

static void build_rels(struct schema_model *m)
{
    m->nrels = schema_rows(m, SQ_RELATIONS);
    m->rels = xcalloc(m->nrels ? m->nrels : 1, sizeof *m->rels);
    for (int i = 0; i < m->nrels; i++) {
        m->rels[i].row = i;
        for (int k = 0; k < SZ_COUNT; k++)
            m->rels[i].size[k] = schema_ll(m, SQ_RELATIONS, i, RC_TOTAL + k);
    }
}

static void apply_sizes(struct schema_model *m, const struct relmap *h)
{
    for (int i = 0; i < schema_rows(m, SQ_SIZES); i++) {
        struct schema_rel *r = relmap_get(h, m,
                                          PQgetvalue(m->res[SQ_SIZES], i, 0),
                                          PQgetvalue(m->res[SQ_SIZES], i, 1));
        for (int k = 0; r && k < SZ_COUNT; k++)
            r->size[k] = schema_ll(m, SQ_SIZES, i, 2 + k);
    }
}

static void group_all(struct schema_model *m)
{
    struct relmap h;
    static const enum schema_q grouped[] = { SQ_COLUMNS, SQ_INDEXES,
                                             SQ_CONSTRAINTS, SQ_TRIGGERS };

    relmap_build(&h, m);
    for (size_t k = 0; k < sizeof grouped / sizeof *grouped; k++)
        group_rows(m, &h, grouped[k]);
    apply_sizes(m, &h);
    free(h.slot);
}

/* ---- the advisor's catalog --------------------------------------------- */

/* Splits a U+001F-joined column list into *cols (empty: an expression,
 * NULL); the copy is kept in m until the model is freed. */
static int split_cols(struct schema_model *m, const char *list,
                      const char ***cols)
{
    char *copy = xstrdup(list ? list : ""), *p = copy;
    int n = *copy ? 1 : 0;

    for (char *c = copy; *c; c++)
        n += *c == '\x1f';
    m->split = xrealloc(m->split, (m->nsplit + 1) * sizeof *m->split);
    m->split[m->nsplit++] = copy;
    *cols = xcalloc(n ? n : 1, sizeof **cols);
    for (int i = 0; i < n; i++) {
        char *end = strchr(p, '\x1f');
        if (end)
            *end = '\0';
        (*cols)[i] = *p ? p : NULL;
        p = end ? end + 1 : p + strlen(p);
    }
    return n;
}

static struct adv_table *adv_tables(const struct schema_model *m, int *n)
{
    struct adv_table *t = xcalloc(m->nrels + 1, sizeof *t);

    *n = 0;
    for (int i = 0; i < m->nrels; i++) {
        const char *kind = schema_val(m, SQ_RELATIONS, i, RC_KIND);
        if (!strchr("rpvm", *kind))
            continue;
        t[(*n)++] = (struct adv_table){
            .schema = schema_val(m, SQ_RELATIONS, i, RC_SCHEMA),
            .name = schema_val(m, SQ_RELATIONS, i, RC_NAME),
            .kind = *kind,
            .has_pk = schema_bool(m, SQ_RELATIONS, i, RC_HAS_PK),
            .rls = schema_bool(m, SQ_RELATIONS, i, RC_RLS),
            .analyzed = schema_val(m, SQ_RELATIONS, i, RC_LAST_ANALYZE) ||
                        schema_val(m, SQ_RELATIONS, i, RC_LAST_AUTOANALYZE) ||
                        schema_bool(m, SQ_RELATIONS, i, RC_HAS_STATS),
            .live = schema_ll(m, SQ_RELATIONS, i, RC_LIVE),
            .dead = schema_ll(m, SQ_RELATIONS, i, RC_DEAD),
            .xid_age = schema_ll(m, SQ_RELATIONS, i, RC_XID_AGE),
            .security_invoker = schema_bool(m, SQ_RELATIONS, i,
                                            RC_SEC_INVOKER),
            .reads_rls = schema_bool(m, SQ_RELATIONS, i, RC_READS_RLS),
        };
    }
    return t;
}

/* The SQL_SCHEMA_GEOMETRY row of a column, or -1 (few rows: a scan). */
static int geometry_row(const struct schema_model *m, const char *schema,
                        const char *table, const char *column)
{
    for (int i = 0; i < schema_rows(m, SQ_GEOMETRY); i++)
        if (strcmp(schema_val(m, SQ_GEOMETRY, i, GC_COLUMN), column) == 0 &&
            strcmp(schema_val(m, SQ_GEOMETRY, i, GC_TABLE), table) == 0 &&
            strcmp(schema_val(m, SQ_GEOMETRY, i, GC_SCHEMA), schema) == 0)
            return i;
    return -1;
}

static struct adv_column *adv_columns(const struct schema_model *m, int n)
{
    struct adv_column *c = xcalloc(n + 1, sizeof *c);

    for (int i = 0; i < n; i++) {
        const char *type = schema_val(m, SQ_COLUMNS, i, CC_TYPE);
        int g = -1;
        c[i] = (struct adv_column){
            schema_val(m, SQ_COLUMNS, i, CC_SCHEMA),
            schema_val(m, SQ_COLUMNS, i, CC_TABLE),
            schema_val(m, SQ_COLUMNS, i, CC_NAME), type, NULL, NULL,
        };
        if (strstr(type, "geometry") && !strchr(type, '('))
            g = geometry_row(m, c[i].schema, c[i].table, c[i].name);
        if (g >= 0) {
            c[i].sample_type = schema_val(m, SQ_GEOMETRY, g, GC_TYPE);
            c[i].sample_srid = schema_val(m, SQ_GEOMETRY, g, GC_SRID);
        }
    }
    return c;
}

static struct adv_index *adv_indexes(struct schema_model *m, int n)
{
    struct adv_index *x = xcalloc(n + 1, sizeof *x);

    for (int i = 0; i < n; i++) {
        const char **cols;
        int nc = split_cols(m, schema_val(m, SQ_INDEXES, i, IC_COLS), &cols);
        x[i] = (struct adv_index){
            schema_val(m, SQ_INDEXES, i, IC_SCHEMA),
            schema_val(m, SQ_INDEXES, i, IC_TABLE),
            schema_val(m, SQ_INDEXES, i, IC_NAME),
            schema_val(m, SQ_INDEXES, i, IC_METHOD), nc, cols,
            schema_val(m, SQ_INDEXES, i, IC_PRED),
            schema_bool(m, SQ_INDEXES, i, IC_UNIQUE),
            schema_bool(m, SQ_INDEXES, i, IC_PRIMARY),
            schema_bool(m, SQ_INDEXES, i, IC_VALID),
            schema_bool(m, SQ_INDEXES, i, IC_CONSTRAINT),
            schema_ll(m, SQ_INDEXES, i, IC_SCANS),
            schema_val(m, SQ_INDEXES, i, IC_DEF),
        };
    }
    return x;
}

static struct adv_constraint *adv_constraints(struct schema_model *m, int n)
{
    struct adv_constraint *k = xcalloc(n + 1, sizeof *k);

    for (int i = 0; i < n; i++) {
        const char **cols;
        int nc = split_cols(m, schema_val(m, SQ_CONSTRAINTS, i, KC_COLS),
                            &cols);
        k[i] = (struct adv_constraint){
            schema_val(m, SQ_CONSTRAINTS, i, KC_SCHEMA),
            schema_val(m, SQ_CONSTRAINTS, i, KC_TABLE),
            schema_val(m, SQ_CONSTRAINTS, i, KC_NAME),
            *schema_val(m, SQ_CONSTRAINTS, i, KC_TYPE), nc, cols,
            schema_bool(m, SQ_CONSTRAINTS, i, KC_VALID),
        };
    }
    return k;
}

static struct adv_sequence *adv_sequences(const struct schema_model *m,
                                          int n)
{
    struct adv_sequence *s = xcalloc(n + 1, sizeof *s);

    for (int i = 0; i < n; i++)
        s[i] = (struct adv_sequence){
            schema_val(m, SQ_SEQUENCES, i, 0),
            schema_val(m, SQ_SEQUENCES, i, 1),
            schema_val(m, SQ_SEQUENCES, i, 2)
                ? schema_ll(m, SQ_SEQUENCES, i, 2) : -1,
            schema_ll(m, SQ_SEQUENCES, i, 3),
            schema_val(m, SQ_SEQUENCES, i, 4),
            schema_val(m, SQ_SEQUENCES, i, 5),
            schema_val(m, SQ_SEQUENCES, i, 6),
            schema_ll(m, SQ_SEQUENCES, i, 7),
        };
    return s;
}

static struct adv_function *adv_functions(const struct schema_model *m,
                                          int n)
{
    struct adv_function *f = xcalloc(n + 1, sizeof *f);

    for (int i = 0; i < n; i++)
        f[i] = (struct adv_function){
            schema_val(m, SQ_FUNCTIONS, i, FC_SIGNATURE),
            schema_bool(m, SQ_FUNCTIONS, i, FC_SEARCH_PATH),
            schema_bool(m, SQ_FUNCTIONS, i, FC_SECDEF),
        };
    return f;
}

static struct adv_extension *adv_extensions(const struct schema_model *m,
                                            int *n)
{
    int rows = schema_rows(m, SQ_EXTENSIONS);
    struct adv_extension *e = xcalloc(rows + 1, sizeof *e);

    *n = 0;
    for (int i = 0; i < rows; i++)
        if (schema_val(m, SQ_EXTENSIONS, i, XC_VERSION))
            e[(*n)++] = (struct adv_extension){
                schema_val(m, SQ_EXTENSIONS, i, XC_NAME),
                schema_val(m, SQ_EXTENSIONS, i, XC_SCHEMA),
            };
    return e;
}

static void run_advisor(struct schema_model *m)
{
    struct adv_catalog c = { 0 };
    struct adv_index *ix;
    struct adv_constraint *k;

    c.tables = adv_tables(m, &c.ntables);
    c.ncolumns = schema_rows(m, SQ_COLUMNS);
    c.columns = adv_columns(m, c.ncolumns);
    c.nindexes = schema_rows(m, SQ_INDEXES);
    c.indexes = ix = adv_indexes(m, c.nindexes);
    c.nconstraints = schema_rows(m, SQ_CONSTRAINTS);
    c.constraints = k = adv_constraints(m, c.nconstraints);
    c.nsequences = schema_rows(m, SQ_SEQUENCES);
    c.sequences = adv_sequences(m, c.nsequences);
    c.nfunctions = schema_rows(m, SQ_FUNCTIONS);
    c.functions = adv_functions(m, c.nfunctions);
    c.extensions = adv_extensions(m, &c.nextensions);
    c.db_xid_age = schema_ll(m, SQ_DATABASE, 0, 0);
    advisor_run(&c, &m->findings);
    for (int i = 0; i < c.nindexes; i++)
        free((void *)ix[i].cols);
    for (int i = 0; i < c.nconstraints; i++)
        free((void *)k[i].cols);
    free((void *)c.tables);
    free((void *)c.columns);
    free(ix);
    free(k);
    free((void *)c.sequences);
    free((void *)c.functions);
    free((void *)c.extensions);
}

/* ---- loading ----------------------------------------------------------- */

static void finish(struct load *l)
{
    struct schema_model *m = l->m;

    if (m->res[SQ_RELATIONS]) {
        group_all(m);
        run_advisor(m);
    }
    m->loaded = true;
    l->done(l->p);
    free(l);
}

static void on_migrations(struct db_job *job, void *arg)
{
    struct load *l = arg;

    if (job->status == DB_JOB_OK)
        l->m->migrations = db_job_take_result(job);
    finish(l);
}

static void on_query(struct db_job *job, void *arg)
{
    struct load *l = arg;
    struct schema_model *m = l->m;

    if (job->status == DB_JOB_OK)
        m->res[job->tag] = db_job_take_result(job);
    else if (job->tag == SQ_GEOMETRY)
        ; /* only refines a fix: without it the advisor says Geometry */
    else if (!m->error)
        m->error = xasprintf("%s: %s", _(labels[job->tag]),
                             job->error ? job->error : _("cancelled"));
    --m->pending;
    if (job->tag == SQ_TREE_LAST) {
        if (m->res[SQ_RELATIONS])
            build_rels(m);
        m->tree_ready = true;
        l->done(l->p);
    }
    if (m->pending > 0)
        return;
    bool prisma = schema_bool(m, SQ_DATABASE, 0, 1);
    bool console = schema_bool(m, SQ_DATABASE, 0, 2);
    const char *sql = prisma && console ? SQL_SCHEMA_ALL_MIGRATIONS
                      : prisma ? SQL_SCHEMA_MIGRATIONS
                      : SQL_SCHEMA_CONSOLE_MIGRATIONS;

    if ((prisma || console) && !m->error)
        app_submit(l->p, db_job_new(_("Schema: migrations"), sql,
                                    on_migrations, l));
    else
        finish(l);
}

void schema_model_load(struct pane *p, struct schema_model *m,
                       void (*done)(struct pane *p))
{
    struct load *l = xmalloc(sizeof *l);

    *l = (struct load){ p, m, done };
    m->pending = SQ_COUNT;
    for (int q = 0; q < SQ_COUNT; q++) {
        struct db_job *job = db_job_new(_(labels[q]), queries[q], on_query,
                                        l);
        job->tag = q;
        app_submit(p, job);
    }
}

void schema_model_free(struct schema_model *m)
{
    for (int q = 0; q < SQ_COUNT; q++)
        PQclear(m->res[q]);
    PQclear(m->migrations);
    for (int i = 0; i < m->nsplit; i++)
        free(m->split[i]);
    free(m->split);
    free(m->rels);
    free(m->error);
    advisor_findings_free(&m->findings);
    *m = (struct schema_model){ 0 };
}
