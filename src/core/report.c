/* Batch output: JSON through jansson, or text buffered as items and
 * printed at the end, when the widths that align labels and table columns
 * are known. Text from the database never reaches the terminal raw. */
#include "autoconfig.h"

#include "core/report.h"

#include <errno.h>
#include <jansson.h>
#include <locale.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "core/xalloc.h"
#include "i18n.h"

enum item_kind { ITEM_HEADING, ITEM_NOTE, ITEM_VALUE, ITEM_OBJECT,
                 ITEM_TABLE };

struct table {
    int ncols, nrows;
    char **keys, **labels;   /* labels: display text */
    enum report_type *types;
    char **cells;            /* nrows × ncols display text */
};

struct item {
    enum item_kind kind;
    int indent;
    char *label, *value;     /* display text */
    struct table *table;
};

struct report {
    bool json;
    FILE *out;
    json_t **stack;          /* JSON: open objects, the root first */
    int depth, cap;
    json_t *rows;            /* JSON: the open table's array */
    struct table *table;     /* the open table (both forms) */
    struct item *items;      /* text */
    int nitems, items_cap;
    int text_depth;
    bool headed;
};

/* ---- UTF-8 --------------------------------------------------------------- */

/* One code point of s; invalid or truncated sequences give U+FFFD and
 * consume one byte, so any bytes at all decode. */
static size_t utf8_decode(const unsigned char *s, uint32_t *cp)
{
    static const uint32_t min[] = { 0, 0, 0x80, 0x800, 0x10000 };
    size_t n = s[0] < 0x80 ? 1 : s[0] >= 0xC2 && s[0] < 0xE0 ? 2
             : s[0] >= 0xE0 && s[0] < 0xF0 ? 3 : s[0] >= 0xF0 && s[0] < 0xF5
             ? 4 : 0;
    uint32_t c = n == 1 ? s[0] : n == 2 ? s[0] & 0x1F : s[0] & (0x7F >> n);

    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80)
            n = 0;
        if (n == 0)
            break;
        c = (c << 6) | (s[i] & 0x3F);
    }
    if (n == 0 || c < min[n] || c > 0x10FFFF || (c >= 0xD800 && c < 0xE000)) {
        *cp = 0xFFFD;
        return 1;
    }
    *cp = c;
    return n;
}

/* How text_clean treats control characters: JSON keeps them (jansson
 * escapes them), a label or heading shows every one as ^X, a value or a
 * cell keeps its line breaks (SQL must paste as printed) and expands
 * tabs. */
enum clean_mode { CLEAN_JSON, CLEAN_LINE, CLEAN_LINES };

/* Appends the spaces a tab stands for at column w (stops every 8). */
static char *put_tab(char *o, int *w)
{
    do {
        *o++ = ' ';
    } while (++*w % 8);
    return o;
}

/* A copy that is valid UTF-8 (jansson refuses anything else). Outside
 * JSON, control characters become ^X (but see enum clean_mode) and *width
 * gets the columns the widest line takes on a terminal. */
static char *text_clean(const char *s, enum clean_mode mode, int *width)
{
    char *out = xmalloc(strlen(s) * 8 + 1), *o = out;
    bool display = mode != CLEAN_JSON;
    int w = 0, widest = 0;

    for (const unsigned char *p = (const unsigned char *)s; *p;) {
        uint32_t cp;
        size_t n = utf8_decode(p, &cp);
        int cw;

        if (mode == CLEAN_LINES && cp == '\n') {
            *o++ = '\n';
            widest = w > widest ? w : widest;
            w = 0;
        } else if (mode == CLEAN_LINES && cp == '\t') {
            o = put_tab(o, &w);
        } else if (display && (cp < 0x20 || cp == 0x7F)) {
            *o++ = '^';
            *o++ = (char)(cp ^ 0x40);
            w += 2;
        } else if (cp == 0xFFFD || (display && cp >= 0x80 && cp < 0xA0)) {
            o += strlen(strcpy(o, "\xEF\xBF\xBD"));
            w += 1;
        } else {
            memcpy(o, p, n);
            o += n;
            cw = wcwidth((wchar_t)cp);
            w += cw >= 0 ? cw : 1;   /* a C locale knows no widths */
        }
        p += n;
    }
    *o = '\0';
    if (width)
        *width = w > widest ? w : widest;
    return out;
}

/* The widest line of display text (which keeps only its line breaks). */
static int text_width(const char *s)
{
    int w;

    free(text_clean(s, CLEAN_LINES, &w));
    return w;
}

/* A label or heading: one line. */
static char *display(const char *s)
{
    return text_clean(s ? s : "-", CLEAN_LINE, NULL);
}

/* A value or a cell: its lines kept. */
static char *display_lines(const char *s)
{
    return text_clean(s ? s : "-", CLEAN_LINES, NULL);
}

/* ---- creation ------------------------------------------------------------ */

struct report *report_new(bool json, FILE *out)
{
    struct report *r = xcalloc(1, sizeof *r);

    r->json = json;
    r->out = out ? out : stdout;
    if (json) {
        r->cap = 8;
        r->stack = xmalloc((size_t)r->cap * sizeof *r->stack);
        r->stack[r->depth++] = json_object();
    }
    return r;
}

bool report_json(const struct report *r)
{
    return r->json;
}

/* ---- JSON ------------------------------------------------------------------ */

static json_t *json_text(const char *s)
{
    char *clean = text_clean(s, CLEAN_JSON, NULL);
    json_t *v = json_string(clean);

    free(clean);
    return v;
}

static void json_put(struct report *r, const char *key, json_t *v)
{
    json_t *top = r->stack[r->depth - 1];
    char *k;

    if (!v)
        return;
    if (!key || r->table || !json_is_object(top)) {
        json_decref(v);
        return;
    }
    k = text_clean(key, CLEAN_JSON, NULL);
    json_object_set_new(top, k, v);
    free(k);
}

/* ---- text items --------------------------------------------------------- */

static struct item *item_add(struct report *r, enum item_kind kind,
                             const char *label, char *value)
{
    struct item *it;

    if (r->nitems == r->items_cap) {
        r->items_cap = r->items_cap ? r->items_cap * 2 : 32;
        r->items = xrealloc(r->items, (size_t)r->items_cap * sizeof *it);
    }
    it = &r->items[r->nitems++];
    *it = (struct item){ kind, (r->headed ? 2 : 0) + 2 * r->text_depth,
                         label ? display(label)
                               : kind == ITEM_TABLE ? NULL : xstrdup(""),
                         value, NULL };
    return it;
}

void report_heading(struct report *r, const char *title)
{
    if (r->json || r->table)
        return;
    r->headed = false;
    item_add(r, ITEM_HEADING, title, NULL);
    r->headed = true;
}

void report_note(struct report *r, const char *fmt, ...)
{
    va_list ap;
    char *msg, *line, *save = NULL;

    if (r->json || r->table)
        return;
    va_start(ap, fmt);
    msg = xvasprintf(fmt, ap);
    va_end(ap);
    for (line = strtok_r(msg, "\n", &save); line;
         line = strtok_r(NULL, "\n", &save))
        item_add(r, ITEM_NOTE, line, NULL);
    free(msg);
}

static void text_value(struct report *r, const char *label, char *value)
{
    if (r->table)
        free(value);
    else
        item_add(r, ITEM_VALUE, label, value);
}

/* "%.2f" without trailing zeros, and with a point whatever the locale:
 * the same number reads the same in every report. */
static char *format_num(double v)
{
    const char *dp = localeconv()->decimal_point;
    char *s = xasprintf("%.2f", v), *p;

    if (dp && *dp && strcmp(dp, ".") != 0 && (p = strstr(s, dp))) {
        *p = '.';
        memmove(p + 1, p + strlen(dp), strlen(p + strlen(dp)) + 1);
    }
    if ((p = strchr(s, '.'))) {
        char *end = s + strlen(s);
        while (end > p && (end[-1] == '0' || end[-1] == '.'))
            *--end = '\0';
    }
    return s;
}

/* ---- values ----------------------------------------------------------- */

void report_str(struct report *r, const char *key, const char *label,
                const char *value)
{
    if (r->json)
        json_put(r, key, value ? json_text(value) : json_null());
    else
        text_value(r, label, display_lines(value));
}

void report_int(struct report *r, const char *key, const char *label,
                long long value)
{
    if (r->json)
        json_put(r, key, json_integer(value));
    else
        text_value(r, label, xasprintf("%lld", value));
}

void report_num(struct report *r, const char *key, const char *label,
                double value)
{
    if (r->json)
        json_put(r, key, isfinite(value) ? json_real(value) : json_null());
    else
        text_value(r, label, isfinite(value) ? format_num(value)
                                             : xstrdup("-"));
}

void report_bool(struct report *r, const char *key, const char *label,
                 bool value)
{
    if (r->json)
        json_put(r, key, json_boolean(value));
    else
        text_value(r, label, xstrdup(value ? _("yes") : _("no")));
}

void report_object_begin(struct report *r, const char *key,
                         const char *label)
{
    json_t *o;

    if (r->table)
        return;
    if (!r->json) {
        item_add(r, ITEM_OBJECT, label, NULL);
        r->text_depth++;
        return;
    }
    o = json_object();
    json_put(r, key, json_incref(o));
    if (r->depth == r->cap) {
        r->cap *= 2;
        r->stack = xrealloc(r->stack, (size_t)r->cap * sizeof *r->stack);
    }
    r->stack[r->depth++] = o;
}

void report_object_end(struct report *r)
{
    if (r->table)
        return;
    if (!r->json && r->text_depth > 0)
        r->text_depth--;
    if (r->json && r->depth > 1)
        json_decref(r->stack[--r->depth]);
}

/* ---- tables ------------------------------------------------------------- */

static struct table *table_new(int ncols, const char *const *keys,
                               const char *const *labels,
                               const enum report_type *types)
{
    struct table *t = xcalloc(1, sizeof *t);

    t->ncols = ncols;
    t->keys = xcalloc((size_t)ncols, sizeof *t->keys);
    t->labels = xcalloc((size_t)ncols, sizeof *t->labels);
    t->types = xcalloc((size_t)ncols, sizeof *t->types);
    for (int i = 0; i < ncols; i++) {
        t->keys[i] = xstrdup(keys[i]);
        t->labels[i] = display(labels[i]);
        t->types[i] = types[i];
    }
    return t;
}

static void table_free(struct table *t)
{
    if (!t)
        return;
    for (int i = 0; i < t->ncols; i++) {
        free(t->keys[i]);
        free(t->labels[i]);
    }
    for (int i = 0; i < t->ncols * t->nrows; i++)
        free(t->cells[i]);
    free(t->keys);
    free(t->labels);
    free(t->types);
    free(t->cells);
    free(t);
}

void report_table_begin(struct report *r, const char *key, const char *label,
                        int ncols, const char *const *keys,
                        const char *const *labels,
                        const enum report_type *types)
{
    if (r->table || ncols <= 0)
        return;
    if (r->json) {
        r->rows = json_array();
        json_put(r, key, json_incref(r->rows));
    } else {
        item_add(r, ITEM_TABLE, label, NULL);
    }
    r->table = table_new(ncols, keys, labels, types);
}

static bool text_is_true(const char *s)
{
    return strcmp(s, "t") == 0 || strcmp(s, "true") == 0 ||
           strcmp(s, "yes") == 0 || strcmp(s, "on") == 0 ||
           strcmp(s, "1") == 0;
}

static bool text_is_false(const char *s)
{
    return strcmp(s, "f") == 0 || strcmp(s, "false") == 0 ||
           strcmp(s, "no") == 0 || strcmp(s, "off") == 0 ||
           strcmp(s, "0") == 0;
}

/* PostgreSQL writes numbers with a point whatever the client's locale. */
static bool parse_c_double(const char *s, double *v)
{
    static locale_t c_locale;
    char *end;

    if (!c_locale)
        c_locale = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
    if (!c_locale || !*s)
        return false;
    *v = strtod_l(s, &end, c_locale);
    return *end == '\0';
}

/* "a,b" as ["a", "b"]; empty words are skipped. */
static json_t *json_list(const char *s)
{
    json_t *a = json_array();
    char *copy = xstrdup(s), *save = NULL;

    for (char *w = strtok_r(copy, ",", &save); w;
         w = strtok_r(NULL, ",", &save))
        if (*w)
            json_array_append_new(a, json_text(w));
    free(copy);
    return a;
}

/* A cell as JSON of its column's type; text when it does not parse. */
static json_t *json_cell(const char *s, enum report_type type)
{
    double d;

    if (!s)
        return json_null();
    if (type == REPORT_LIST)
        return json_list(s);
    if (type == REPORT_INT && *s) {
        char *end;
        long long n;

        errno = 0;
        n = strtoll(s, &end, 10);
        if (*end == '\0' && errno == 0)
            return json_integer(n);
    }
    if (type == REPORT_NUM && parse_c_double(s, &d))
        return isfinite(d) ? json_real(d) : json_null();   /* NaN, Infinity */
    if (type == REPORT_BOOL && (text_is_true(s) || text_is_false(s)))
        return json_boolean(text_is_true(s));
    return json_text(s);
}

static char *text_cell(const char *s, enum report_type type)
{
    if (s && type == REPORT_BOOL && text_is_true(s))
        return xstrdup(_("yes"));
    if (s && type == REPORT_BOOL && text_is_false(s))
        return xstrdup(_("no"));
    return display_lines(s);
}

void report_row(struct report *r, const char *const *values)
{
    struct table *t = r->table;

    if (!t)
        return;
    if (r->json) {
        json_t *row = json_object();
        for (int i = 0; i < t->ncols; i++)
            json_object_set_new(row, t->keys[i],
                                json_cell(values[i], t->types[i]));
        json_array_append_new(r->rows, row);
        return;
    }
    t->cells = xrealloc(t->cells, (size_t)(t->nrows + 1) *
                                      (size_t)t->ncols * sizeof *t->cells);
    for (int i = 0; i < t->ncols; i++)
        t->cells[t->nrows * t->ncols + i] = text_cell(values[i], t->types[i]);
    t->nrows++;
}

void report_table_end(struct report *r)
{
    if (!r->table)
        return;
    if (r->json) {
        json_decref(r->rows);
        r->rows = NULL;
        table_free(r->table);
    } else {
        r->items[r->nitems - 1].table = r->table;
    }
    r->table = NULL;
}

/* ---- printing text ------------------------------------------------------ */

static void put_padded(FILE *out, const char *s, int width, bool right)
{
    int pad = width - text_width(s);

    if (right)
        fprintf(out, "%*s%s", pad > 0 ? pad : 0, "", s);
    else
        fprintf(out, "%s%*s", s, pad > 0 ? pad : 0, "");
}

/* Line k of a cell (empty past its last line); caller frees. */
static char *cell_line(const char *s, int k)
{
    const char *end;

    for (; k > 0 && s; k--)
        s = strchr(s, '\n') ? strchr(s, '\n') + 1 : NULL;
    if (!s)
        return xstrdup("");
    end = strchr(s, '\n');
    return end ? xstrndup(s, (size_t)(end - s)) : xstrdup(s);
}

static int line_count(const char *s)
{
    int n = 1;

    for (; *s; s++)
        n += *s == '\n';
    return n;
}

/* One row: a cell with several lines makes the row as tall, the other
 * cells blank below their first line, every line in its column. */
static void print_table_line(FILE *out, const struct table *t, int indent,
                             const int *widths, char *const *cells)
{
    int height = 1;

    for (int i = 0; i < t->ncols; i++)
        if (line_count(cells[i]) > height)
            height = line_count(cells[i]);
    for (int k = 0; k < height; k++) {
        fprintf(out, "%*s", indent, "");
        for (int i = 0; i < t->ncols; i++) {
            bool right = t->types[i] == REPORT_INT ||
                         t->types[i] == REPORT_NUM;
            bool last = i == t->ncols - 1;
            char *line = cell_line(cells[i], k);

            put_padded(out, line, last && !right ? 0 : widths[i], right);
            free(line);
            if (!last)
                fputs("  ", out);
        }
        fputc('\n', out);
    }
}

static void print_table(FILE *out, const struct table *t, int indent)
{
    int *widths = xcalloc((size_t)t->ncols, sizeof *widths);
    char **rule = xcalloc((size_t)t->ncols, sizeof *rule);

    for (int i = 0; i < t->ncols; i++)
        widths[i] = text_width(t->labels[i]);
    for (int i = 0; i < t->ncols * t->nrows; i++) {
        int w = text_width(t->cells[i]);
        if (w > widths[i % t->ncols])
            widths[i % t->ncols] = w;
    }
    for (int i = 0; i < t->ncols; i++) {
        rule[i] = xmalloc((size_t)widths[i] + 1);
        memset(rule[i], '-', (size_t)widths[i]);
        rule[i][widths[i]] = '\0';
    }
    print_table_line(out, t, indent, widths, t->labels);
    print_table_line(out, t, indent, widths, rule);
    for (int row = 0; row < t->nrows; row++)
        print_table_line(out, t, indent, widths, t->cells + row * t->ncols);
    if (t->nrows == 0)
        fprintf(out, "%*s%s\n", indent, "", _("(no rows)"));
    for (int i = 0; i < t->ncols; i++)
        free(rule[i]);
    free(rule);
    free(widths);
}

/* The column where values start in the run of label lines from first. */
static int value_column(const struct report *r, int first)
{
    int col = 0;

    for (int i = first; i < r->nitems; i++) {
        const struct item *it = &r->items[i];
        int c = it->indent + text_width(it->label) + 2;

        if (it->kind != ITEM_VALUE && it->kind != ITEM_OBJECT)
            break;
        if (it->kind == ITEM_VALUE && c > col)
            col = c;
    }
    return col;
}

/* A value of several lines (DDL, fix SQL) starts below its label, each
 * line indented, so that it pastes as written. */
static void print_value(FILE *out, const struct item *it, int column)
{
    const char *s = it->value, *nl;

    if (!strchr(s, '\n')) {
        put_padded(out, "", column - it->indent - text_width(it->label) - 1,
                   false);
        fputs(s, out);
        return;
    }
    for (; s; s = nl ? nl + 1 : NULL) {
        nl = strchr(s, '\n');
        fprintf(out, "\n%*s%.*s", it->indent + 4, "",
                nl ? (int)(nl - s) : (int)strlen(s), s);
    }
}

static void print_item(struct report *r, int i, int *column)
{
    const struct item *it = &r->items[i];
    FILE *out = r->out;
    bool in_run = i > 0 && (r->items[i - 1].kind == ITEM_VALUE ||
                            r->items[i - 1].kind == ITEM_OBJECT);

    if (it->kind == ITEM_HEADING && i > 0)
        fputc('\n', out);
    if (it->kind == ITEM_TABLE) {
        if (it->label)
            fprintf(out, "%*s%s:\n", it->indent, "", it->label);
        if (it->table)
            print_table(out, it->table, it->indent + (it->label ? 2 : 0));
        return;
    }
    if (!in_run)
        *column = value_column(r, i);
    fprintf(out, "%*s%s", it->indent, "", it->label);
    if (it->kind == ITEM_VALUE) {
        fputc(':', out);
        print_value(out, it, *column);
    } else if (it->kind == ITEM_OBJECT) {
        fputc(':', out);
    }
    fputc('\n', out);
}

static void print_text(struct report *r)
{
    int column = 0;

    for (int i = 0; i < r->nitems; i++)
        print_item(r, i, &column);
}

/* ---- finishing ------------------------------------------------------------ */

static void report_free(struct report *r)
{
    for (int i = 0; i < r->nitems; i++) {
        free(r->items[i].label);
        free(r->items[i].value);
        table_free(r->items[i].table);
    }
    if (r->table)
        table_free(r->table);
    if (r->rows)
        json_decref(r->rows);
    for (int i = r->depth - 1; i >= 0; i--)
        json_decref(r->stack[i]);
    free(r->items);
    free(r->stack);
    free(r);
}

int report_finish(struct report *r)
{
    bool failed = false;

    report_table_end(r);
    if (r->json) {
        failed = json_dumpf(r->stack[0], r->out,
                            JSON_INDENT(2) | JSON_PRESERVE_ORDER |
                                JSON_REAL_PRECISION(15)) != 0 ||
                 fputc('\n', r->out) == EOF;
    } else {
        print_text(r);
    }
    failed = fflush(r->out) != 0 || ferror(r->out) || failed;
    report_free(r);
    return failed ? 2 : 0;
}

bool report_empty(const struct report *r)
{
    return r->json ? json_object_size(r->stack[0]) == 0 : r->nitems == 0;
}

void report_discard(struct report *r)
{
    report_table_end(r);
    report_free(r);
}
