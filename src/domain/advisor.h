/* The schema advisor: findings (missing, unused, duplicate or invalid
 * indexes, untyped geometry, stale statistics, exhausted sequences, unsafe
 * views and functions...) computed from catalog rows the caller read. Pure:
 * the rows come in as plain structs, the findings go out with fix SQL. */
#ifndef DEGUX_ADVISOR_H
#define DEGUX_ADVISOR_H

#include <stdbool.h>

enum adv_severity { ADV_INFO, ADV_WARNING, ADV_CRITICAL };

/* Strings are borrowed from the caller for the duration of advisor_run. */
struct adv_table {
    const char *schema, *name;
    char kind;                 /* 'r' table, 'p' partitioned, 'v' view, 'm' */
    bool has_pk, rls;
    bool analyzed;             /* manual or auto analyze ever ran */
    long long live, dead;      /* n_live_tup, n_dead_tup */
    long long xid_age;         /* age(relfrozenxid); 0 for views */
    bool security_invoker;     /* views only */
    bool reads_rls;            /* views only: reads a table with RLS on */
};

struct adv_column {
    const char *schema, *table, *name;
    const char *type;          /* as format_type prints it */
    /* Untyped geometry only: what a bounded sample of the rows holds, the
     * one GeometryType ("POINT") and the one SRID all sampled rows agree
     * on, NULL when they differ or there are no rows. */
    const char *sample_type, *sample_srid;
};

struct adv_index {
    const char *schema, *table, *name;
    const char *method;        /* btree, gist, ... */
    int ncols;
    const char *const *cols;   /* key columns; NULL for an expression */
    const char *predicate;     /* WHERE of a partial index, or NULL */
    bool unique, primary, valid, constraint; /* constraint: backs one */
    long long scans;
    const char *def;           /* pg_get_indexdef, or NULL */
};

struct adv_constraint {
    const char *schema, *table, *name;
    char type;                 /* 'f' foreign key, 'c', 'u', 'p', ... */
    int ncols;
    const char *const *cols;
    bool validated;
};

struct adv_sequence {
    const char *schema, *name;
    long long last_value, max_value; /* last_value < 0: never used */
    /* The integer column it feeds ("schema.table.col"), whose type range
     * (col_max) may end before the sequence does; NULL and 0 when none. */
    const char *column_schema, *column_table, *column;
    long long col_max;
};

struct adv_function {
    const char *signature;     /* regprocedure text, already quoted */
    bool fixed_search_path, security_definer;
};

struct adv_extension {
    const char *name, *schema;
};

struct adv_catalog {
    const struct adv_table *tables;         int ntables;
    const struct adv_column *columns;       int ncolumns;
    const struct adv_index *indexes;        int nindexes;
    const struct adv_constraint *constraints; int nconstraints;
    const struct adv_sequence *sequences;   int nsequences;
    const struct adv_function *functions;   int nfunctions;
    const struct adv_extension *extensions; int nextensions;
    long long db_xid_age;                   /* age(datfrozenxid) */
};

struct adv_finding {
    const char *check;         /* stable id: "fk_without_index" */
    enum adv_severity severity;
    char *object;              /* quoted, e.g. public."AuditLog" */
    const char *message;       /* N_() text: translate when shown */
    char *detail;              /* names and numbers, or NULL */
    char *fix_sql;             /* NULL when no statement fixes it */
};

struct adv_findings {
    struct adv_finding *v;
    int n, cap;
};

/* Appends the findings for cat to out (sorted: worst first, then by
 * object). out starts zeroed; free with advisor_findings_free. */
void advisor_run(const struct adv_catalog *cat, struct adv_findings *out);
void advisor_findings_free(struct adv_findings *f);
/* The worst severity among the findings; -1 when there is none. */
int advisor_worst(const struct adv_findings *f);
/* "info", "warning", "critical": stable report values. */
const char *advisor_severity_name(enum adv_severity s);

/* An identifier as SQL needs it: bare when it is lower-case letters,
 * digits and _ and not a reserved word, else in double quotes with quotes
 * doubled. Caller frees. */
char *advisor_quote_ident(const char *name);
/* schema.name, both quoted (schema NULL: the name alone). Caller frees. */
char *advisor_qualified(const char *schema, const char *name);

/* A name as :d and --table take it, read the way psql reads one: parts
 * split at dots outside double quotes, a quoted part kept as written ("" a
 * quote), an unquoted one folded to lower case, and a trailing "()" (or an
 * argument list) marking a function. */
struct adv_name {
    char *schema;          /* NULL when not qualified */
    char *name;            /* after quoting rules */
    char *as_typed;        /* the unquoted name as typed (not folded), or
                            * NULL when quoted: an exact match of it is
                            * accepted too ("Property" typed bare) */
    bool call;             /* written with parentheses */
};

/* False (and *out zeroed) for an empty name, an unclosed quote, more than
 * two parts or text after the parentheses. Free with advisor_name_free. */
bool advisor_parse_name(const char *in, struct adv_name *out);
void advisor_name_free(struct adv_name *n);
/* 2: the name matches as psql would; 1: only the name as typed does;
 * 0: no match. schema is the object's. */
int advisor_name_match(const struct adv_name *n, const char *schema,
                       const char *name);

#endif
