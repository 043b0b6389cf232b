/* The schema pane's shared state: the catalog model (schema_model.c loads
 * it with a fixed number of queries and runs the advisor), the tree and
 * detail views (schema_view.c, schema_detail.c), the DDL (schema_ddl.c)
 * and the reports (schema_report.c). */
#ifndef DEGUX_PANES_SCHEMA_H
#define DEGUX_PANES_SCHEMA_H

#include <stdbool.h>
#include <curses.h>
#include <libpq-fe.h>

#include "core/db.h"
#include "core/report.h"
#include "domain/advisor.h"

/* The catalog queries, in the order they are sent: the tree's first (it
 * is drawn when SQ_TREE_LAST arrives), the exact sizes last. */
enum schema_q {
    SQ_NAMESPACES, SQ_RELATIONS, SQ_FUNCTIONS, SQ_ENUMS, SQ_EXTENSIONS,
    SQ_COLUMNS, SQ_INDEXES, SQ_CONSTRAINTS, SQ_TRIGGERS, SQ_SEQUENCES,
    SQ_DATABASE, SQ_GEOMETRY, SQ_SIZES, SQ_COUNT
};
#define SQ_TREE_LAST SQ_EXTENSIONS

/* Column numbers of SQL_SCHEMA_RELATIONS. */
enum {
    RC_SCHEMA, RC_NAME, RC_KIND, RC_ROWS, RC_TOTAL, RC_TABLE, RC_INDEX,
    RC_TOAST, RC_HAS_PK, RC_RLS, RC_RLS_FORCED, RC_POLICIES, RC_LIVE,
    RC_DEAD, RC_SEQ_SCAN, RC_IDX_SCAN, RC_LAST_VACUUM, RC_LAST_AUTOVACUUM,
    RC_LAST_ANALYZE, RC_LAST_AUTOANALYZE, RC_XID_AGE, RC_SEC_INVOKER,
    RC_READS_RLS, RC_COMMENT, RC_OWNER, RC_VIEWDEF, RC_FOREIGN, RC_HAS_STATS
};
/* SQL_SCHEMA_GEOMETRY: an untyped geometry column's sampled type, SRID */
enum { GC_SCHEMA, GC_TABLE, GC_COLUMN, GC_TYPE, GC_SRID };
/* SQL_SCHEMA_COLUMNS */
enum { CC_SCHEMA, CC_TABLE, CC_NAME, CC_TYPE, CC_NULLABLE, CC_DEFAULT,
       CC_COMMENT, CC_IDENTITY, CC_GENERATED };
/* SQL_SCHEMA_INDEXES */
enum { IC_SCHEMA, IC_TABLE, IC_NAME, IC_METHOD, IC_DEF, IC_SIZE, IC_SCANS,
       IC_UNIQUE, IC_PRIMARY, IC_VALID, IC_CONSTRAINT, IC_PRED, IC_COLS };
/* SQL_SCHEMA_CONSTRAINTS */
enum { KC_SCHEMA, KC_TABLE, KC_NAME, KC_TYPE, KC_DEF, KC_VALID, KC_COLS };
/* SQL_SCHEMA_TRIGGERS, SQL_SCHEMA_FUNCTIONS, SQL_SCHEMA_EXTENSIONS */
enum { TC_SCHEMA, TC_TABLE, TC_NAME, TC_DEF, TC_ENABLED };
enum { FC_SCHEMA, FC_NAME, FC_SIGNATURE, FC_ARGS, FC_RESULT, FC_LANG,
       FC_KIND, FC_SECDEF, FC_SEARCH_PATH };
enum { XC_NAME, XC_VERSION, XC_DEFAULT, XC_SCHEMA, XC_COMMENT };

/* A relation's rows in the per-table results: [first, first + n). */
struct schema_span {
    int first, n;
};

/* Sizes: estimates from relpages until the exact ones arrive. */
enum { SZ_TOTAL, SZ_TABLE, SZ_INDEX, SZ_TOAST, SZ_COUNT };

struct schema_rel {
    int row;                      /* in the relations result */
    struct schema_span cols, idx, cons, trg;
    long long size[SZ_COUNT];
};

struct schema_model {
    PGresult *res[SQ_COUNT];
    int pending;                  /* queries not answered yet */
    char *error;                  /* the first query that failed */
    bool tree_ready;              /* the tree's queries are in */
    bool loaded;                  /* all of them */
    struct schema_rel *rels;
    int nrels;
    /* The advisor's view of the same rows, and what it found. */
    char **split;                 /* owned copies behind the column lists */
    int nsplit;
    struct adv_findings findings;
    /* Prisma's _prisma_migrations rows (MC_ columns), NULL when the table
     * is not on the search_path. */
    PGresult *migrations;
};

enum { MC_NAME, MC_STARTED, MC_FINISHED, MC_ROLLED_BACK, MC_STEPS, MC_LOGS,
       MC_STATUS };

struct pane;

/* Submits the catalog queries; done(p) is called when the tree's queries
 * came back (tree_ready) and again when the last one did (loaded, whether
 * or not they all worked). */
void schema_model_load(struct pane *p, struct schema_model *m,
                       void (*done)(struct pane *p));
void schema_model_free(struct schema_model *m);
/* Value helpers on a result (NULL for SQL NULL). */
const char *schema_val(const struct schema_model *m, enum schema_q q,
                       int row, int col);
bool schema_bool(const struct schema_model *m, enum schema_q q, int row,
                 int col);
long long schema_ll(const struct schema_model *m, enum schema_q q, int row,
                    int col);
int schema_rows(const struct schema_model *m, enum schema_q q);
/* The relation a name names (see advisor_parse_name: name, "Quoted",
 * schema.name; the first schema's when not qualified), or NULL. A name as
 * psql reads it wins over a bare name matched as typed. */
const struct schema_rel *schema_model_find(const struct schema_model *m,
                                           const char *name);
const struct schema_rel *schema_model_find_name(const struct schema_model *m,
                                                const struct adv_name *n);
/* "Point, SRID 4326", "untyped" or NULL for a non-geometry type. */
char *schema_geometry_note(const char *type);
/* A byte count as "12 kB" / "3.4 MB". Static buffer: use at once. */
const char *schema_size(long long bytes);
const char *schema_kind_name(char kind);

/* The SQL_SCHEMA_SEQUENCES row of a sequence, or -1. */
int schema_sequence_row(const struct schema_model *m, const char *schema,
                        const char *name);
/* The reconstructed CREATE TABLE + constraints + indexes, CREATE VIEW or
 * CREATE SEQUENCE (caller frees). */
char *schema_ddl(const struct schema_model *m, const struct schema_rel *r);

/* Reports: the tree, one table, or the advisor's findings. */
int schema_report_tree(const struct schema_model *m, struct report *r);
int schema_report_table(const struct schema_model *m,
                        const struct schema_rel *rel, struct report *r);
int schema_report_advisor(const struct schema_model *m, struct report *r);

/* ---- the pane's view state ----------------------------------------- */

enum schema_mode { SM_TREE, SM_DETAIL, SM_ADVISOR, SM_MIGRATIONS };

enum schema_item_kind { SI_SCHEMA, SI_GROUP, SI_REL, SI_FUNC, SI_ENUM,
                        SI_EXT };

/* One line of the tree: row is the result row of its object. */
struct schema_item {
    enum schema_item_kind kind;
    int row;
    const char *label;        /* schemas and groups */
};

struct schema_line {
    char *text;
    int role;                 /* enum theme_role */
};

struct schemap {
    struct schema_model m;
    bool loading;
    char *pending_d;              /* :d NAME given while loading */
    enum schema_mode mode;
    struct schema_item *items;
    int nitems, cur, top;
    char filter[128];
    bool filtering, by_size;
    int detail_rel;           /* relation shown in detail, -1: none */
    struct schema_line *lines; /* the detail, as drawn */
    int nlines, scroll;
    int adv_cur, adv_top;
    int mig_cur, mig_top;
    char *copy;               /* what y copies in the detail (the DDL) */
    enum schema_mode back;    /* where Esc leaves the detail for */
};

/* Rebuilds the tree items from the model, the filter and the sort. */
void schema_tree_build(struct schemap *s);
void schema_tree_draw(struct schemap *s, WINDOW *w);
/* Fills the detail lines for a tree item (a relation, function, enum or
 * extension). */
void schema_detail_build(struct schemap *s, const struct schema_item *it);
void schema_detail_free(struct schemap *s);
void schema_detail_draw(struct schemap *s, WINDOW *w);
void schema_advisor_draw(struct schemap *s, WINDOW *w);
void schema_migrations_draw(struct schemap *s, WINDOW *w);
/* The selected migration's whole log as detail lines (wrapped at width);
 * false when it has none. */
bool schema_migration_log(struct schemap *s, int width);

#endif
