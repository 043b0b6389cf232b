/* Text the schema pane derives from the model: the reconstructed DDL of a
 * table, sizes, kinds and the geometry subtype of a column type. */
#include "autoconfig.h"

#include "panes/schema.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"
#include "i18n.h"

const char *schema_size(long long bytes)
{
    static char buf[32];
    static const char *const units[] = { "kB", "MB", "GB", "TB" };
    double v = (double)bytes;
    int u = -1;

    if (bytes < 10240) {
        snprintf(buf, sizeof buf, "%lld B", bytes);
        return buf;
    }
    while (v >= 10240 && u < 3) {
        v /= 1024;
        u++;
    }
    snprintf(buf, sizeof buf, "%.0f %s", v, units[u]);
    return buf;
}

const char *schema_kind_name(char kind)
{
    switch (kind) {
    case 'r': return _("table");
    case 'p': return _("partitioned table");
    case 'v': return _("view");
    case 'm': return _("materialized view");
    case 'S': return _("sequence");
    case 'f': return _("foreign table");
    }
    return "?";
}

/* format_type prints "geometry(Point,4326)" for a typed column and plain
 * "geometry" for an untyped one, with or without PostGIS's schema. */
char *schema_geometry_note(const char *type)
{
    const char *t = strrchr(type, '.') ? strrchr(type, '.') + 1 : type;
    const char *open = strchr(type, '(');
    char sub[64];
    int srid = 0;

    if (open && strrchr(type, '.') > open)
        t = type;
    if (strncmp(t, "geometry", 8) != 0 && strncmp(t, "geography", 9) != 0)
        return NULL;
    if (!open)
        return xstrdup(_("untyped"));
    if (sscanf(open, "(%63[^,)],%d)", sub, &srid) == 2)
        return xasprintf(_("%s, SRID %d"), sub, srid);
    if (sscanf(open, "(%63[^,)])", sub) == 1)
        return xasprintf(_("%s, no SRID"), sub);
    return NULL;
}

/* Appends a then b (b may be NULL) to *out. */
static void ddl_append(char **out, const char *a, const char *b)
{
    char *t = xasprintf("%s%s%s", *out, a, b ? b : "");

    free(*out);
    *out = t;
}

static void ddl_columns(const struct schema_model *m,
                        const struct schema_rel *r, char **out)
{
    for (int i = r->cols.first; i < r->cols.first + r->cols.n; i++) {
        char *name = advisor_quote_ident(schema_val(m, SQ_COLUMNS, i, CC_NAME));
        const char *def = schema_val(m, SQ_COLUMNS, i, CC_DEFAULT);
        char *col = xasprintf("    %s %s%s%s%s", name,
                              schema_val(m, SQ_COLUMNS, i, CC_TYPE),
                              !schema_bool(m, SQ_COLUMNS, i, CC_NULLABLE)
                                  ? " NOT NULL" : "",
                              def ? " DEFAULT " : "", def ? def : "");
        ddl_append(out, col,
                   i + 1 < r->cols.first + r->cols.n || r->cons.n ? ",\n"
                                                                 : "\n");
        free(col);
        free(name);
    }
}

static void ddl_constraints(const struct schema_model *m,
                            const struct schema_rel *r, char **out)
{
    for (int i = r->cons.first; i < r->cons.first + r->cons.n; i++) {
        char *name = advisor_quote_ident(schema_val(m, SQ_CONSTRAINTS, i, KC_NAME));
        char *line = xasprintf("    CONSTRAINT %s %s", name,
                               schema_val(m, SQ_CONSTRAINTS, i, KC_DEF));
        ddl_append(out, line,
                   i + 1 < r->cons.first + r->cons.n ? ",\n" : "\n");
        free(line);
        free(name);
    }
}

int schema_sequence_row(const struct schema_model *m, const char *schema,
                        const char *name)
{
    for (int i = 0; i < schema_rows(m, SQ_SEQUENCES); i++)
        if (strcmp(schema_val(m, SQ_SEQUENCES, i, 0), schema) == 0 &&
            strcmp(schema_val(m, SQ_SEQUENCES, i, 1), name) == 0)
            return i;
    return -1;
}

static char *sequence_ddl(const struct schema_model *m, const char *rel,
                          const struct schema_rel *r)
{
    int i = schema_sequence_row(
        m, schema_val(m, SQ_RELATIONS, r->row, RC_SCHEMA),
        schema_val(m, SQ_RELATIONS, r->row, RC_NAME));

    if (i < 0)
        return xasprintf("CREATE SEQUENCE %s;\n", rel);
    return xasprintf("CREATE SEQUENCE %s AS %s MAXVALUE %s;\n", rel,
                     schema_val(m, SQ_SEQUENCES, i, 8),
                     schema_val(m, SQ_SEQUENCES, i, 3));
}

char *schema_ddl(const struct schema_model *m, const struct schema_rel *r)
{
    char *rel = advisor_qualified(
        schema_val(m, SQ_RELATIONS, r->row, RC_SCHEMA),
        schema_val(m, SQ_RELATIONS, r->row, RC_NAME));
    const char *kind = schema_val(m, SQ_RELATIONS, r->row, RC_KIND);
    const char *viewdef = schema_val(m, SQ_RELATIONS, r->row, RC_VIEWDEF);
    const char *foreign;
    char *out;

    if (*kind == 'S') {
        out = sequence_ddl(m, rel, r);
        free(rel);
        return out;
    }
    if (viewdef) {
        out = xasprintf("CREATE %sVIEW %s AS\n%s\n",
                        *kind == 'm' ? "MATERIALIZED " : "", rel, viewdef);
        free(rel);
        return out;
    }
    foreign = schema_val(m, SQ_RELATIONS, r->row, RC_FOREIGN);
    out = xasprintf("CREATE %sTABLE %s (\n", foreign ? "FOREIGN " : "", rel);
    ddl_columns(m, r, &out);
    ddl_constraints(m, r, &out);
    if (foreign)
        ddl_append(&out, ")\n", foreign);
    ddl_append(&out, foreign ? ";\n" : ");\n", NULL);
    for (int i = r->idx.first; i < r->idx.first + r->idx.n; i++)
        if (!schema_bool(m, SQ_INDEXES, i, IC_CONSTRAINT))
            ddl_append(&out, schema_val(m, SQ_INDEXES, i, IC_DEF), ";\n");
    free(rel);
    return out;
}
