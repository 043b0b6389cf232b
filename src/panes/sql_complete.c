/* Tab completion in the SQL editor: console commands after ':', SQL
 * keywords, and table and column names read from the catalog. Names that
 * need quotes ("User", "createdAt") are offered quoted. */
#include "autoconfig.h"

#include "panes/sql.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/xalloc.h"
#include "panes/pane.h"

static const char *const keywords[] = {
    "SELECT", "FROM", "WHERE", "GROUP BY", "ORDER BY", "HAVING", "LIMIT",
    "OFFSET", "INSERT", "INTO", "VALUES", "UPDATE", "SET", "DELETE",
    "RETURNING", "JOIN", "LEFT", "RIGHT", "INNER", "OUTER", "FULL", "CROSS",
    "ON", "USING", "AND", "OR", "NOT", "NULL", "IS", "IN", "EXISTS",
    "BETWEEN", "LIKE", "ILIKE", "DISTINCT", "AS", "CASE", "WHEN", "THEN",
    "ELSE", "END", "WITH", "UNION", "ALL", "EXCEPT", "INTERSECT", "EXPLAIN",
    "ANALYZE", "VERBOSE", "BEGIN", "COMMIT", "ROLLBACK", "CREATE", "ALTER",
    "DROP", "TABLE", "INDEX", "VIEW", "CONCURRENTLY", "TRUNCATE", "GRANT",
    "REVOKE", "SHOW", "COUNT", "LATERAL", "WINDOW", "OVER", "PARTITION BY",
    "ASC", "DESC", "NULLS", "FIRST", "LAST", "TRUE", "FALSE", "DEFAULT",
    "PRIMARY KEY", "FOREIGN KEY", "REFERENCES", "UNIQUE", "CHECK",
    "ST_DWithin", "ST_Distance", "ST_MakePoint", "ST_SetSRID", NULL,
};

static const char *const console_commands[] = {
    ":q", ":write", ":read", ":pane", ":sql", ":export", ":help", NULL,
};

static bool needs_quotes(const char *name)
{
    if (!*name || isdigit((unsigned char)*name))
        return true;
    for (const char *c = name; *c; c++)
        if (!(islower((unsigned char)*c) || isdigit((unsigned char)*c) ||
              *c == '_'))
            return true;
    return false;
}

struct matches {
    char **v;
    int n, cap;
};

static void add(struct matches *m, char *s)
{
    if (m->n + 2 > m->cap) {
        m->cap = m->cap ? m->cap * 2 : 16;
        m->v = xrealloc(m->v, m->cap * sizeof *m->v);
    }
    m->v[m->n++] = s;
}

static void add_names(struct matches *m, const struct sql_names *names,
                      const char *text)
{
    bool quoted = *text == '"';
    const char *bare = quoted ? text + 1 : text;
    size_t len = strlen(bare);

    for (int i = 0; i < names->n; i++) {
        const char *name = names->v[i];
        bool q = needs_quotes(name);
        if (quoted ? strncmp(name, bare, len) != 0
                   : strncasecmp(name, bare, len) != 0)
            continue;
        add(m, (q || quoted) ? xasprintf("\"%s\"", name) : xstrdup(name));
    }
}

static void add_keywords(struct matches *m, const char *text)
{
    size_t len = strlen(text);
    bool lower = len && islower((unsigned char)text[0]);

    for (int i = 0; keywords[i]; i++) {
        if (strncasecmp(keywords[i], text, len) != 0)
            continue;
        char *k = xstrdup(keywords[i]);
        for (char *c = k; lower && *c && strncmp(k, "ST_", 3); c++)
            *c = (char)tolower((unsigned char)*c);
        add(m, k);
    }
}

char **sql_complete(const char *text, const char *line, int start, int end,
                    void *arg)
{
    struct sqlp *s = ((struct pane *)arg)->state;
    struct matches m = { 0 };
    const char *lead = line;

    while (*lead == ' ')
        lead++;
    if (strncmp(lead, ":d ", 3) == 0) {
        /* :d NAME takes names as the catalog spells them, unquoted. */
        for (int i = 0; i < s->relations.n; i++)
            if (strncasecmp(s->relations.v[i], text, strlen(text)) == 0)
                add(&m, xstrdup(s->relations.v[i]));
    } else if (*lead == ':' && lead + 1 + strlen(text) >= line + end) {
        for (int i = 0; console_commands[i]; i++)
            if (strncmp(console_commands[i] + 1, text, strlen(text)) == 0)
                add(&m, xstrdup(console_commands[i] + 1));
    } else {
        add_names(&m, &s->relations, text);
        add_names(&m, &s->columns, text);
        if (*text != '"')
            add_keywords(&m, text);
    }
    if (!m.n)
        return NULL;
    m.v[m.n] = NULL;
    return m.v;
}

void sql_names_set(struct sql_names *names, const PGresult *res)
{
    sql_names_free(names);
    names->n = PQntuples(res);
    names->v = xcalloc(names->n + 1, sizeof *names->v);
    for (int i = 0; i < names->n; i++)
        names->v[i] = xstrdup(PQgetvalue(res, i, 0));
}

void sql_names_free(struct sql_names *names)
{
    for (int i = 0; i < names->n; i++)
        free(names->v[i]);
    free(names->v);
    names->v = NULL;
    names->n = 0;
}
