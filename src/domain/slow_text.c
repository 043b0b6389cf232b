/* The slow pane's text work: a readable layout of a normalized statement,
 * its $n parameters, whether ANALYZE may run it, and where a plan spends. */
#include "autoconfig.h"

#include "domain/slow.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/xalloc.h"

/* Bytes of a quoted string, quoted identifier or comment starting at s
 * (0 when s starts none of them). */
static size_t skip_quoted(const char *s)
{
    const char *p;

    if (*s == '\'' || *s == '"') {
        for (p = s + 1; *p; p++)
            if (*p == *s) {
                if (p[1] != *s)
                    return (size_t)(p + 1 - s);
                p++;
            }
        return strlen(s);
    }
    if (s[0] == '-' && s[1] == '-') {
        p = strchr(s, '\n');
        return p ? (size_t)(p - s) : strlen(s);
    }
    if (s[0] == '/' && s[1] == '*') {
        p = strstr(s + 2, "*/");
        return p ? (size_t)(p + 2 - s) : strlen(s);
    }
    return 0;
}

static const char *const clauses[] = {
    "FROM", "WHERE", "GROUP BY", "ORDER BY", "HAVING", "LIMIT", "OFFSET",
    "UNION", "RETURNING", "SET", "VALUES", "LEFT JOIN", "RIGHT JOIN",
    "INNER JOIN", "FULL JOIN", "CROSS JOIN", "JOIN", "ON CONFLICT", NULL,
};

/* The length of keyword kw at s when it is a whole word there, else 0. */
static size_t word_at(const char *s, const char *kw, bool at_word_start)
{
    size_t n = strlen(kw);

    if (!at_word_start || strncasecmp(s, kw, n) != 0)
        return 0;
    return isalnum((unsigned char)s[n]) || s[n] == '_' ? 0 : n;
}

static size_t clause_at(const char *s, bool start, const char **indent)
{
    size_t n;

    for (int i = 0; clauses[i]; i++)
        if ((n = word_at(s, clauses[i], start))) {
            *indent = "";
            return n;
        }
    if ((n = word_at(s, "AND", start)) || (n = word_at(s, "OR", start))) {
        *indent = "  ";
        return n;
    }
    return 0;
}

static bool word_char(char c)
{
    return isalnum((unsigned char)c) || c == '_' || c == '$';
}

/* A clause starts its own line: the blanks before it go. */
static void trim_trailing_space(char *out, size_t *len)
{
    while (*len && strchr(" \t\r\n", out[*len - 1]))
        (*len)--;
}

/* The output never needs more than 3 bytes per input byte: a clause of 2
 * or more letters gains at most a newline and a 2-space indent. */
char *slow_pretty_query(const char *q)
{
    size_t cap = 3 * strlen(q) + 1, len = 0;
    char *out = xmalloc(cap);
    bool start = true;

    while (*q) {
        const char *indent;
        size_t n = skip_quoted(q);

        if (n) {
            memcpy(out + len, q, n), len += n, q += n, start = false;
            continue;
        }
        if (len && (n = clause_at(q, start, &indent))) {
            trim_trailing_space(out, &len);
            out[len++] = '\n';
            memcpy(out + len, indent, strlen(indent));
            len += strlen(indent);
            memcpy(out + len, q, n), len += n, q += n, start = false;
            continue;
        }
        start = !word_char(*q);
        out[len++] = *q++;
    }
    out[len] = '\0';
    return out;
}

char *slow_one_line(char *dst, size_t size, const char *q)
{
    size_t n = 0;
    bool blank = false;

    for (; q && *q && n + 1 < size; q++) {
        bool b = isspace((unsigned char)*q);
        if (!(b && blank))
            dst[n++] = b ? ' ' : *q;
        blank = b;
    }
    if (size)
        dst[n] = '\0';
    return dst;
}

int slow_count_params(const char *q)
{
    int max = 0;

    while (*q) {
        size_t n = skip_quoted(q);

        if (n) {
            q += n;
            continue;
        }
        if (*q == '$' && isdigit((unsigned char)q[1])) {
            long v = strtol(q + 1, (char **)&q, 10);
            if (v > max && v < 65536)
                max = (int)v;
            continue;
        }
        q++;
    }
    return max;
}

bool slow_is_select(const char *q)
{
    for (;;) {
        size_t n;

        while (isspace((unsigned char)*q) || *q == '(')
            q++;
        if (*q != '-' && *q != '/')
            break;
        if (!(n = skip_quoted(q)))
            return false;
        q += n;
    }
    return word_at(q, "SELECT", true) > 0;
}

/* ---- plans -------------------------------------------------------------- */

/* Where a node's line starts its name ("->" or the root at 0); -1 for a
 * detail line (Filter:, Buffers:, ...). */
static int node_indent(const char *line, int index)
{
    const char *arrow = strstr(line, "->");

    if (arrow && strspn(line, " ") == (size_t)(arrow - line))
        return (int)(arrow - line) + 2;
    return index == 0 && strstr(line, "cost=") ? 0 : -1;
}

/* A node's total: actual time × loops when measured, else the cost. */
static double node_total(const char *line)
{
    const char *a = strstr(line, "actual time=");
    const char *l = strstr(line, "loops=");
    const char *c = strstr(line, "cost=");

    if (a && (a = strstr(a, "..")))
        return strtod(a + 2, NULL) * (l ? strtod(l + 6, NULL) : 1);
    if (c && (c = strstr(c, "..")))
        return strtod(c + 2, NULL);
    return 0;
}

/* Own figure of node i: its total less its direct children's. */
static double node_own(const char *const *lines, const int *ind, int n, int i)
{
    double own = node_total(lines[i]);
    int child = -1;

    for (int j = i + 1; j < n; j++) {
        if (ind[j] < 0)
            continue;
        if (ind[j] <= ind[i])
            break;
        if (child < 0)
            child = ind[j];
        if (ind[j] == child)
            own -= node_total(lines[j]);
    }
    return own > 0 ? own : 0;
}

void slow_plan_marks(const char *const *lines, int n, bool *mark)
{
    int *ind = xmalloc((n ? n : 1) * sizeof *ind);
    double *own = xmalloc((n ? n : 1) * sizeof *own), sum = 0, best = 0;

    for (int i = 0; i < n; i++)
        ind[i] = node_indent(lines[i], i);
    for (int i = 0; i < n; i++) {
        own[i] = ind[i] >= 0 ? node_own(lines, ind, n, i) : 0;
        sum += own[i];
        best = own[i] > best ? own[i] : best;
    }
    for (int i = 0; i < n; i++)
        mark[i] = best > 0 && (own[i] == best || own[i] >= sum / 4);
    free(ind);
    free(own);
}
