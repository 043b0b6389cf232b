/* The schema advisor's frame: identifier quoting, collecting and ordering
 * findings; the checks themselves are in advisor_index.c and
 * advisor_health.c. */
#include "autoconfig.h"

#include "domain/advisor.h"
#include "domain/advisor_priv.h"

#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"

/* Words PostgreSQL reserves (also as column names): a bare one would not
 * parse as an identifier. */
static const char *const reserved[] = {
    "all", "analyse", "analyze", "and", "any", "array", "as", "asc",
    "asymmetric", "authorization", "binary", "both", "case", "cast", "check",
    "collate", "collation", "column", "concurrently", "constraint", "create",
    "cross", "current_catalog", "current_date", "current_role",
    "current_schema", "current_time", "current_timestamp", "current_user",
    "default", "deferrable", "desc", "distinct", "do", "else", "end",
    "except", "false", "fetch", "for", "foreign", "freeze", "from", "full",
    "grant", "group", "having", "ilike", "in", "initially", "inner",
    "intersect", "into", "is", "isnull", "join", "lateral", "leading", "left",
    "like", "limit", "localtime", "localtimestamp", "natural", "not",
    "notnull", "null", "offset", "on", "only", "or", "order", "outer",
    "overlaps", "placing", "primary", "references", "returning", "right",
    "select", "session_user", "similar", "some", "symmetric", "table",
    "tablesample", "then", "to", "trailing", "true", "union", "unique",
    "user", "using", "variadic", "verbose", "when", "where", "window", "with",
    NULL,
};

static bool is_reserved(const char *s)
{
    for (const char *const *w = reserved; *w; w++)
        if (strcmp(*w, s) == 0)
            return true;
    return false;
}

static bool is_plain(const char *s)
{
    if (!*s || (*s >= '0' && *s <= '9'))
        return false;
    for (const char *c = s; *c; c++)
        if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') ||
              *c == '_'))
            return false;
    return !is_reserved(s);
}

char *advisor_quote_ident(const char *name)
{
    size_t n = 3;
    char *out, *o;

    if (is_plain(name))
        return xstrdup(name);
    for (const char *c = name; *c; c++)
        n += *c == '"' ? 2 : 1;
    o = out = xmalloc(n);
    *o++ = '"';
    for (const char *c = name; *c; c++) {
        if (*c == '"')
            *o++ = '"';
        *o++ = *c;
    }
    *o++ = '"';
    *o = '\0';
    return out;
}

char *advisor_qualified(const char *schema, const char *name)
{
    char *n = advisor_quote_ident(name), *s, *out;

    if (!schema)
        return n;
    s = advisor_quote_ident(schema);
    out = xasprintf("%s.%s", s, n);
    free(s);
    free(n);
    return out;
}

void adv_add(struct adv_findings *out, const char *check,
             enum adv_severity sev, const char *schema, const char *name,
             const char *message, char *detail, char *fix)
{
    struct adv_finding *f;

    if (out->n == out->cap) {
        out->cap = out->cap ? 2 * out->cap : 16;
        out->v = xrealloc(out->v, out->cap * sizeof *out->v);
    }
    f = &out->v[out->n++];
    f->check = check;
    f->severity = sev;
    f->object = advisor_qualified(schema, name);
    f->message = message;
    f->detail = detail;
    f->fix_sql = fix;
}

bool adv_has_fix(const struct adv_findings *out, const char *fix)
{
    for (int i = 0; i < out->n; i++)
        if (out->v[i].fix_sql && strcmp(out->v[i].fix_sql, fix) == 0)
            return true;
    return false;
}

const struct adv_table *adv_table_find(const struct adv_catalog *c,
                                       const char *schema, const char *name)
{
    for (int i = 0; i < c->ntables; i++)
        if (strcmp(c->tables[i].name, name) == 0 &&
            (!schema || strcmp(c->tables[i].schema, schema) == 0))
            return &c->tables[i];
    return NULL;
}

char *adv_column_list(const char *const *cols, int n)
{
    char *out = xstrdup("(");

    for (int i = 0; i < n; i++) {
        char *q = advisor_quote_ident(cols[i]);
        char *t = xasprintf("%s%s%s", out, i ? ", " : "", q);
        free(q);
        free(out);
        out = t;
    }
    char *t = xasprintf("%s)", out);
    free(out);
    return t;
}

char *adv_create_index(const char *schema, const char *table,
                       const char *method, const char *const *cols, int n,
                       const char *pred)
{
    char *rel = advisor_qualified(schema, table);
    char *list = adv_column_list(cols, n);
    bool btree = strcmp(method, "btree") == 0;
    char *out = xasprintf("CREATE INDEX CONCURRENTLY ON %s%s%s %s%s%s;", rel,
                          btree ? "" : " USING ", btree ? "" : method, list,
                          pred ? " WHERE " : "", pred ? pred : "");

    free(rel);
    free(list);
    return out;
}

bool adv_index_leads(const struct adv_index *ix, const char *const *cols,
                     int n)
{
    if (ix->ncols < n)
        return false;
    for (int i = 0; i < n; i++) {
        bool found = false;
        for (int k = 0; k < n && !found; k++)
            found = ix->cols[k] && strcmp(ix->cols[k], cols[i]) == 0;
        if (!found)
            return false;
    }
    return true;
}

static int by_severity(const void *a, const void *b)
{
    const struct adv_finding *x = a, *y = b;
    int c;

    if (x->severity != y->severity)
        return (int)y->severity - (int)x->severity;
    if ((c = strcmp(x->check, y->check)) != 0)
        return c;
    if ((c = strcmp(x->object, y->object)) != 0)
        return c;
    /* Same check, same object (two columns of a table): still one order. */
    if ((c = strcmp(x->detail ? x->detail : "", y->detail ? y->detail : "")))
        return c;
    return strcmp(x->fix_sql ? x->fix_sql : "", y->fix_sql ? y->fix_sql : "");
}

void advisor_run(const struct adv_catalog *cat, struct adv_findings *out)
{
    adv_check_indexes(cat, out);
    adv_check_recommended(cat, out);
    adv_check_trigram(cat, out);
    adv_check_health(cat, out);
    if (out->n > 1)
        qsort(out->v, out->n, sizeof *out->v, by_severity);
}

void advisor_findings_free(struct adv_findings *f)
{
    for (int i = 0; i < f->n; i++) {
        free(f->v[i].object);
        free(f->v[i].detail);
        free(f->v[i].fix_sql);
    }
    free(f->v);
    *f = (struct adv_findings){ 0 };
}

int advisor_worst(const struct adv_findings *f)
{
    int worst = -1;

    for (int i = 0; i < f->n; i++)
        if ((int)f->v[i].severity > worst)
            worst = f->v[i].severity;
    return worst;
}

const char *advisor_severity_name(enum adv_severity s)
{
    switch (s) {
    case ADV_INFO: return "info";
    case ADV_WARNING: return "warning";
    case ADV_CRITICAL: return "critical";
    }
    return "info";
}

/* ---- names as the user types them --------------------------------------- */

/* One part from *p: quoted (up to the closing quote) or bare (up to a dot,
 * a parenthesis or the end). NULL for an unclosed quote or an empty part. */
static char *name_part(const char **p, bool *quoted)
{
    const char *s = *p;
    char *out = xmalloc(strlen(s) + 1), *o = out;

    *quoted = *s == '"';
    if (*quoted) {
        for (s++; *s && !(*s == '"' && s[1] != '"'); s++)
            *o++ = *s == '"' ? *s++ : *s;
        if (*s != '"') {
            free(out);
            return NULL;
        }
        s++;
    } else {
        while (*s && *s != '.' && *s != '(' && *s != ' ')
            *o++ = *s++;
    }
    *o = '\0';
    *p = s;
    if (!*out) {
        free(out);
        return NULL;
    }
    return out;
}

static char *fold_lower(const char *s)
{
    char *out = xstrdup(s);

    for (char *c = out; *c; c++)
        if (*c >= 'A' && *c <= 'Z')
            *c = (char)(*c - 'A' + 'a');
    return out;
}

/* After the name: nothing, or "(...)" with nothing after it. */
static bool name_tail(const char *s, bool *call)
{
    while (*s == ' ')
        s++;
    *call = *s == '(';
    if (!*call)
        return !*s;
    s = strchr(s, ')');
    if (!s)
        return false;
    for (s++; *s == ' '; s++)
        ;
    return !*s;
}

bool advisor_parse_name(const char *in, struct adv_name *out)
{
    char *parts[2] = { NULL, NULL }, *raw = NULL;
    bool quoted = false;
    int n = 0;

    *out = (struct adv_name){ 0 };
    while (*in == ' ')
        in++;
    for (;;) {
        char *part = n < 2 ? name_part(&in, &quoted) : NULL;
        if (!part)
            goto bad;
        free(raw);
        raw = quoted ? NULL : xstrdup(part);
        parts[n++] = quoted ? part : fold_lower(part);
        if (!quoted)
            free(part);
        if (*in != '.')
            break;
        in++;
    }
    if (!name_tail(in, &out->call))
        goto bad;
    out->schema = n == 2 ? parts[0] : NULL;
    out->name = parts[n - 1];
    out->as_typed = raw;
    return true;
bad:
    free(parts[0]);
    free(parts[1]);
    free(raw);
    return false;
}

void advisor_name_free(struct adv_name *n)
{
    free(n->schema);
    free(n->name);
    free(n->as_typed);
    *n = (struct adv_name){ 0 };
}

int advisor_name_match(const struct adv_name *n, const char *schema,
                       const char *name)
{
    if (n->schema && strcmp(n->schema, schema) != 0)
        return 0;
    if (strcmp(n->name, name) == 0)
        return 2;
    return n->as_typed && strcmp(n->as_typed, name) == 0 ? 1 : 0;
}
