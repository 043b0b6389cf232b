/* The schema pane's tree: schemas, then their tables, views, materialized
 * views, sequences, functions and enum types, then the extensions;
 * filtered by name as the user types, tables optionally by size. */
#include "autoconfig.h"

#include "panes/schema.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"
#include "i18n.h"
#include "ui/text.h"
#include "ui/theme.h"

struct group {
    const char *label;        /* N_() */
    const char *kinds;        /* relkinds, or "" for functions / enums */
    enum schema_item_kind item;
};

static const struct group groups[] = {
    { N_("Tables"), "rpf", SI_REL },
    { N_("Views"), "v", SI_REL },
    { N_("Materialized views"), "m", SI_REL },
    { N_("Sequences"), "S", SI_REL },
    { N_("Functions"), "", SI_FUNC },
    { N_("Enum types"), "", SI_ENUM },
};

static void add(struct schemap *s, enum schema_item_kind k, int row,
                const char *label)
{
    /* One item per relation, function, enum and extension at most, plus
     * headings: sized once per build. */
    s->items[s->nitems++] = (struct schema_item){ k, row, label };
}

static bool matches(const struct schemap *s, const char *name)
{
    return !s->filter[0] || strcasestr(name, s->filter) != NULL;
}

static const struct schema_model *sort_model;

static int by_total(const void *a, const void *b)
{
    long long x = sort_model->rels[*(const int *)a].size[SZ_TOTAL];
    long long y = sort_model->rels[*(const int *)b].size[SZ_TOTAL];

    return x < y ? 1 : x > y ? -1 : *(const int *)a - *(const int *)b;
}

/* The result rows of one group in one schema that pass the filter. */
static int group_rows(const struct schemap *s, const char *nsp,
                      const struct group *g, int *rows)
{
    enum schema_q q = g->item == SI_REL ? SQ_RELATIONS
                    : g->item == SI_FUNC ? SQ_FUNCTIONS : SQ_ENUMS;
    int n = 0, name_col = g->item == SI_FUNC ? FC_NAME : 1;

    for (int i = 0; i < schema_rows(&s->m, q); i++) {
        if (strcmp(schema_val(&s->m, q, i, 0), nsp) != 0 ||
            !matches(s, schema_val(&s->m, q, i, name_col)))
            continue;
        if (g->item == SI_REL &&
            !strchr(g->kinds, *schema_val(&s->m, q, i, RC_KIND)))
            continue;
        rows[n++] = i;
    }
    if (s->by_size && g->item == SI_REL && n > 1) {
        sort_model = &s->m;
        qsort(rows, n, sizeof *rows, by_total);
    }
    return n;
}

static void build_schema(struct schemap *s, int nsrow, int *rows)
{
    const char *nsp = schema_val(&s->m, SQ_NAMESPACES, nsrow, 0);
    int start = s->nitems;

    add(s, SI_SCHEMA, nsrow, nsp);
    for (size_t g = 0; g < sizeof groups / sizeof *groups; g++) {
        int n = group_rows(s, nsp, &groups[g], rows);
        if (!n)
            continue;
        add(s, SI_GROUP, -1, _(groups[g].label));
        for (int i = 0; i < n; i++)
            add(s, groups[g].item, rows[i], NULL);
    }
    /* A schema with nothing that matches the filter is left out. */
    if (s->filter[0] && s->nitems == start + 1)
        s->nitems = start;
}

void schema_tree_build(struct schemap *s)
{
    const struct schema_model *m = &s->m;
    int cap = 2 + schema_rows(m, SQ_NAMESPACES) * 7 + m->nrels +
              schema_rows(m, SQ_FUNCTIONS) + schema_rows(m, SQ_ENUMS) +
              schema_rows(m, SQ_EXTENSIONS);
    int most = m->nrels + schema_rows(m, SQ_FUNCTIONS) +
               schema_rows(m, SQ_ENUMS) + 1;
    int *rows = xmalloc(most * sizeof *rows);

    free(s->items);
    s->items = xmalloc(cap * sizeof *s->items);
    s->nitems = 0;
    for (int i = 0; i < schema_rows(m, SQ_NAMESPACES); i++)
        build_schema(s, i, rows);
    add(s, SI_GROUP, -1, _("Extensions"));
    for (int i = 0; i < schema_rows(m, SQ_EXTENSIONS); i++)
        if (matches(s, schema_val(m, SQ_EXTENSIONS, i, XC_NAME)))
            add(s, SI_EXT, i, NULL);
    free(rows);
    if (s->cur >= s->nitems)
        s->cur = s->nitems ? s->nitems - 1 : 0;
}

/* ---- drawing ----------------------------------------------------------- */

static char *item_text(const struct schemap *s, const struct schema_item *it)
{
    const struct schema_model *m = &s->m;
    int r = it->row;

    switch (it->kind) {
    case SI_SCHEMA:
        return xasprintf("▾ %s", it->label);
    case SI_GROUP:
        return xasprintf("  %s", it->label);
    case SI_FUNC:
        return xasprintf("    %s(%s) → %s  [%s]",
                         schema_val(m, SQ_FUNCTIONS, r, FC_NAME),
                         schema_val(m, SQ_FUNCTIONS, r, FC_ARGS),
                         schema_val(m, SQ_FUNCTIONS, r, FC_RESULT),
                         schema_val(m, SQ_FUNCTIONS, r, FC_LANG));
    case SI_ENUM:
        return xasprintf("    %s  (%s)", schema_val(m, SQ_ENUMS, r, 1),
                         schema_val(m, SQ_ENUMS, r, 2));
    case SI_EXT: {
        const char *v = schema_val(m, SQ_EXTENSIONS, r, XC_VERSION);
        const char *d = schema_val(m, SQ_EXTENSIONS, r, XC_DEFAULT);
        return xasprintf("    %-24s %-12s %s %s", schema_val(m, SQ_EXTENSIONS,
                         r, XC_NAME), v ? v : _("not installed"),
                         _("available"), d ? d : "-");
    }
    case SI_REL:
        break;
    }
    return NULL;
}

/* name | rows | total | table | indexes | TOAST, sizes right-aligned. */
static void draw_rel(const struct schemap *s, WINDOW *w, int r, int width)
{
    int namew = width - 4 - 12 - 4 * 10;
    char buf[32];

    waddstr(w, "    ");
    text_draw(w, schema_val(&s->m, SQ_RELATIONS, r, RC_NAME),
              namew > 10 ? namew : 10, 1);
    snprintf(buf, sizeof buf, "%lld",
             schema_ll(&s->m, SQ_RELATIONS, r, RC_ROWS));
    text_draw_right(w, schema_ll(&s->m, SQ_RELATIONS, r, RC_ROWS) < 0
                           ? "-" : buf, 12);
    for (int k = 0; k < 4; k++)
        text_draw_right(w, schema_size(s->m.rels[r].size[k]), 10);
}

static const char *findings_text(int n)
{
    static char buf[64];

    snprintf(buf, sizeof buf, P_("%d finding", "%d findings", n), n);
    return buf;
}

static void draw_header(const struct schemap *s, WINDOW *w, int width)
{
    char *h = xasprintf(_("%d relations · %s · s: %s · /: %s"), s->m.nrels,
                        s->m.loaded ? findings_text(s->m.findings.n)
                                    : _("reading the catalog…"),
                        s->by_size ? _("by size") : _("by name"),
                        s->filter[0] || s->filtering ? s->filter : "-");
    int namew = width - 4 - 12 - 4 * 10;

    wattrset(w, theme_attr(THEME_TITLE));
    wmove(w, 0, 0);
    text_draw(w, h, width, 1);
    free(h);
    wattrset(w, theme_attr(THEME_HEADER));
    wmove(w, 1, 0);
    waddstr(w, "    ");
    text_draw(w, _("name"), namew > 10 ? namew : 10, 1);
    text_draw_right(w, _("rows"), 12);
    text_draw_right(w, _("total"), 10);
    text_draw_right(w, _("table"), 10);
    text_draw_right(w, _("indexes"), 10);
    text_draw_right(w, _("TOAST"), 10);
}

static void draw_item(const struct schemap *s, WINDOW *w, int i, int width)
{
    const struct schema_item *it = &s->items[i];
    char *t;

    wattrset(w, theme_attr(i == s->cur ? THEME_CURSOR_ROW
                           : it->kind == SI_SCHEMA || it->kind == SI_GROUP
                               ? THEME_TITLE : THEME_NORMAL));
    if (it->kind == SI_REL) {
        draw_rel(s, w, it->row, width);
        return;
    }
    t = item_text(s, it);
    text_draw(w, t, width, 1);
    free(t);
}

void schema_tree_draw(struct schemap *s, WINDOW *w)
{
    int height = getmaxy(w) - 2, width = getmaxx(w);

    draw_header(s, w, width);
    if (height < 1)
        return;
    if (s->cur < s->top)
        s->top = s->cur;
    if (s->cur >= s->top + height)
        s->top = s->cur - height + 1;
    for (int y = 0; y < height && s->top + y < s->nitems; y++) {
        wmove(w, 2 + y, 0);
        draw_item(s, w, s->top + y, width);
    }
    if (!s->nitems) {
        wattrset(w, theme_attr(THEME_DIM));
        mvwaddstr(w, 2, 2, _("Nothing matches the filter"));
    }
}
