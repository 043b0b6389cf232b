/* `report schema` (the tree, or one table with --table) and `report
 * advisor` (the findings; exit 1 at a warning or worse), printed from the
 * same model the pane draws. */
#include "autoconfig.h"

#include "panes/schema.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"
#include "i18n.h"

#define NCOLS(a) ((int)(sizeof a / sizeof *a))
#define MAXCOLS 8

/* Which result columns a report table shows, with its keys and types. */
struct rtable {
    const char *key, *label;
    int ncols;
    const char *keys[MAXCOLS];
    const char *labels[MAXCOLS];   /* N_() */
    enum report_type types[MAXCOLS];
    int cols[MAXCOLS];
};

static void rtable_begin(struct report *r, const struct rtable *t)
{
    const char *labels[MAXCOLS];

    for (int k = 0; k < t->ncols; k++)
        labels[k] = _(t->labels[k]);
    report_table_begin(r, t->key, _(t->label), t->ncols, t->keys, labels,
                       t->types);
}

/* Rows [first, first + n) of result q. */
static void rtable_rows(struct report *r, const struct schema_model *m,
                        enum schema_q q, const struct rtable *t, int first,
                        int n)
{
    rtable_begin(r, t);
    for (int i = first; i < first + n; i++) {
        const char *v[MAXCOLS];
        for (int k = 0; k < t->ncols; k++)
            v[k] = schema_val(m, q, i, t->cols[k]);
        report_row(r, v);
    }
    report_table_end(r);
}

static const struct rtable t_relations = {
    "relations", N_("Relations"), 8,
    { "schema", "name", "kind", "rows", "total_size", "table_size",
      "index_size", "toast_size" },
    { N_("schema"), N_("name"), N_("kind"), N_("rows"), N_("total"),
      N_("table"), N_("indexes"), N_("TOAST") },
    { REPORT_STR, REPORT_STR, REPORT_STR, REPORT_INT, REPORT_INT,
      REPORT_INT, REPORT_INT, REPORT_INT },
    { RC_SCHEMA, RC_NAME, RC_KIND, RC_ROWS },
};

/* The sizes come from the model (exact once SQL_SCHEMA_SIZES is in). */
static void report_relations(struct report *r, const struct schema_model *m)
{
    rtable_begin(r, &t_relations);
    for (int i = 0; i < m->nrels; i++) {
        char sz[SZ_COUNT][24];
        const char *v[MAXCOLS];
        for (int k = 0; k < 4; k++)
            v[k] = schema_val(m, SQ_RELATIONS, i, t_relations.cols[k]);
        for (int k = 0; k < SZ_COUNT; k++) {
            snprintf(sz[k], sizeof sz[k], "%lld", m->rels[i].size[k]);
            v[4 + k] = sz[k];
        }
        report_row(r, v);
    }
    report_table_end(r);
}

static const struct rtable t_functions = {
    "functions", N_("Functions"), 5,
    { "schema", "name", "arguments", "result", "language" },
    { N_("schema"), N_("name"), N_("arguments"), N_("result"),
      N_("language") },
    { REPORT_STR, REPORT_STR, REPORT_STR, REPORT_STR, REPORT_STR },
    { FC_SCHEMA, FC_NAME, FC_ARGS, FC_RESULT, FC_LANG },
};

static const struct rtable t_enums = {
    "enums", N_("Enum types"), 3, { "schema", "name", "labels" },
    { N_("schema"), N_("name"), N_("labels") },
    { REPORT_STR, REPORT_STR, REPORT_STR }, { 0, 1, 2 },
};

static const struct rtable t_extensions = {
    "extensions", N_("Extensions"), 4,
    { "name", "installed_version", "default_version", "schema" },
    { N_("name"), N_("installed"), N_("available"), N_("schema") },
    { REPORT_STR, REPORT_STR, REPORT_STR, REPORT_STR },
    { XC_NAME, XC_VERSION, XC_DEFAULT, XC_SCHEMA },
};

static const struct rtable t_columns = {
    "columns", N_("Columns"), 5,
    { "name", "type", "nullable", "default", "comment" },
    { N_("name"), N_("type"), N_("nullable"), N_("default"),
      N_("comment") },
    { REPORT_STR, REPORT_STR, REPORT_BOOL, REPORT_STR, REPORT_STR },
    { CC_NAME, CC_TYPE, CC_NULLABLE, CC_DEFAULT, CC_COMMENT },
};

static const struct rtable t_indexes = {
    "indexes", N_("Indexes"), 5,
    { "name", "definition", "size", "scans", "valid" },
    { N_("name"), N_("definition"), N_("size"), N_("scans"), N_("valid") },
    { REPORT_STR, REPORT_STR, REPORT_INT, REPORT_INT, REPORT_BOOL },
    { IC_NAME, IC_DEF, IC_SIZE, IC_SCANS, IC_VALID },
};

static const struct rtable t_constraints = {
    "constraints", N_("Constraints"), 4,
    { "name", "type", "definition", "validated" },
    { N_("name"), N_("type"), N_("definition"), N_("validated") },
    { REPORT_STR, REPORT_STR, REPORT_STR, REPORT_BOOL },
    { KC_NAME, KC_TYPE, KC_DEF, KC_VALID },
};

static const struct rtable t_triggers = {
    "triggers", N_("Triggers"), 2, { "name", "definition" },
    { N_("name"), N_("definition") }, { REPORT_STR, REPORT_STR },
    { TC_NAME, TC_DEF },
};

static void report_migrations(const struct schema_model *m,
                              struct report *r)
{
    static const char *const keys[] = { "name", "status", "started_at",
        "finished_at", "rolled_back_at", "applied_steps" };
    const char *labels[] = { _("name"), _("status"), _("started"),
        _("finished"), _("rolled back"), _("steps") };
    static const enum report_type types[] = { REPORT_STR, REPORT_STR,
        REPORT_STR, REPORT_STR, REPORT_STR, REPORT_INT };
    static const int cols[] = { MC_NAME, MC_STATUS, MC_STARTED, MC_FINISHED,
                                MC_ROLLED_BACK, MC_STEPS };

    report_table_begin(r, "migrations", _("Migrations (Prisma and console)"),
                       NCOLS(keys), keys, labels, types);
    for (int i = 0; i < PQntuples(m->migrations); i++) {
        const char *v[NCOLS(cols)];
        for (int k = 0; k < NCOLS(cols); k++)
            v[k] = PQgetisnull(m->migrations, i, cols[k])
                       ? NULL : PQgetvalue(m->migrations, i, cols[k]);
        report_row(r, v);
    }
    report_table_end(r);
}

int schema_report_tree(const struct schema_model *m, struct report *r)
{
    report_heading(r, _("Schema"));
    report_int(r, "schemas", _("schemas"), schema_rows(m, SQ_NAMESPACES));
    report_relations(r, m);
    rtable_rows(r, m, SQ_FUNCTIONS, &t_functions, 0,
                schema_rows(m, SQ_FUNCTIONS));
    rtable_rows(r, m, SQ_ENUMS, &t_enums, 0, schema_rows(m, SQ_ENUMS));
    rtable_rows(r, m, SQ_EXTENSIONS, &t_extensions, 0,
                schema_rows(m, SQ_EXTENSIONS));
    if (m->migrations)
        report_migrations(m, r);
    return 0;
}

static void report_activity(const struct schema_model *m, int row,
                            struct report *r)
{
    static const struct { const char *key, *label; int col; } ts[] = {
        { "last_vacuum", N_("last vacuum"), RC_LAST_VACUUM },
        { "last_autovacuum", N_("last autovacuum"), RC_LAST_AUTOVACUUM },
        { "last_analyze", N_("last analyze"), RC_LAST_ANALYZE },
        { "last_autoanalyze", N_("last autoanalyze"), RC_LAST_AUTOANALYZE },
    };

    report_object_begin(r, "activity", _("Activity"));
    report_int(r, "seq_scans", _("sequential scans"),
               schema_ll(m, SQ_RELATIONS, row, RC_SEQ_SCAN));
    report_int(r, "index_scans", _("index scans"),
               schema_ll(m, SQ_RELATIONS, row, RC_IDX_SCAN));
    report_int(r, "live_tuples", _("live rows"),
               schema_ll(m, SQ_RELATIONS, row, RC_LIVE));
    report_int(r, "dead_tuples", _("dead rows"),
               schema_ll(m, SQ_RELATIONS, row, RC_DEAD));
    for (int i = 0; i < NCOLS(ts); i++)
        report_str(r, ts[i].key, _(ts[i].label),
                   schema_val(m, SQ_RELATIONS, row, ts[i].col));
    report_object_end(r);
}

int schema_report_table(const struct schema_model *m,
                        const struct schema_rel *rel, struct report *r)
{
    int row = rel->row;
    char *ddl = schema_ddl(m, rel);
    char kind[2] = { *schema_val(m, SQ_RELATIONS, row, RC_KIND), 0 };

    report_heading(r, schema_val(m, SQ_RELATIONS, row, RC_NAME));
    report_str(r, "schema", _("schema"),
               schema_val(m, SQ_RELATIONS, row, RC_SCHEMA));
    report_str(r, "name", _("name"),
               schema_val(m, SQ_RELATIONS, row, RC_NAME));
    report_str(r, "kind", _("kind"), kind);
    report_int(r, "rows", _("rows (estimate)"),
               schema_ll(m, SQ_RELATIONS, row, RC_ROWS));
    report_int(r, "total_size", _("total size"), rel->size[SZ_TOTAL]);
    report_int(r, "table_size", _("table size"), rel->size[SZ_TABLE]);
    report_int(r, "index_size", _("index size"), rel->size[SZ_INDEX]);
    report_int(r, "toast_size", _("TOAST size"), rel->size[SZ_TOAST]);
    report_bool(r, "rls_enabled", _("RLS enabled"),
                schema_bool(m, SQ_RELATIONS, row, RC_RLS));
    report_bool(r, "rls_forced", _("RLS forced"),
                schema_bool(m, SQ_RELATIONS, row, RC_RLS_FORCED));
    report_int(r, "policies", _("policies"),
               schema_ll(m, SQ_RELATIONS, row, RC_POLICIES));
    report_activity(m, row, r);
    rtable_rows(r, m, SQ_COLUMNS, &t_columns, rel->cols.first, rel->cols.n);
    rtable_rows(r, m, SQ_INDEXES, &t_indexes, rel->idx.first, rel->idx.n);
    rtable_rows(r, m, SQ_CONSTRAINTS, &t_constraints, rel->cons.first,
                rel->cons.n);
    rtable_rows(r, m, SQ_TRIGGERS, &t_triggers, rel->trg.first, rel->trg.n);
    report_str(r, "ddl", _("DDL"), ddl);
    free(ddl);
    return 0;
}

int schema_report_advisor(const struct schema_model *m, struct report *r)
{
    static const char *const keys[] = { "check", "severity", "object",
                                        "message", "detail", "fix_sql" };
    const char *labels[] = { _("check"), _("severity"), _("object"),
                             _("message"), _("detail"), _("fix") };
    static const enum report_type types[] = { REPORT_STR, REPORT_STR,
        REPORT_STR, REPORT_STR, REPORT_STR, REPORT_STR };
    const struct adv_findings *f = &m->findings;

    report_heading(r, _("Schema advisor"));
    report_table_begin(r, "findings", _("Findings"), NCOLS(keys), keys,
                       labels, types);
    for (int i = 0; i < f->n; i++) {
        const char *v[] = { f->v[i].check,
                            advisor_severity_name(f->v[i].severity),
                            f->v[i].object, _(f->v[i].message),
                            f->v[i].detail, f->v[i].fix_sql };
        report_row(r, v);
    }
    report_table_end(r);
    return advisor_worst(f) >= ADV_WARNING ? 1 : 0;
}
