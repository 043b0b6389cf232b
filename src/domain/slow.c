/* The slow pane's logic: derived figures, snapshot differences, classes,
 * sorting and the blocking tree. */
#include "autoconfig.h"

#include "domain/slow.h"

#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"

void slow_derive(struct slow_stmt *v, int n)
{
    double sum = 0;

    for (int i = 0; i < n; i++)
        sum += v[i].total_ms;
    for (int i = 0; i < n; i++) {
        long long blks = v[i].blks_hit + v[i].blks_read;

        v[i].mean_ms = v[i].calls > 0 ? v[i].total_ms / v[i].calls : 0;
        v[i].share = sum > 0 ? v[i].total_ms / sum : 0;
        v[i].hit_ratio = blks > 0 ? (double)v[i].blks_hit / blks : -1;
    }
}

/* ---- snapshot differences ---------------------------------------------- */

static int key_cmp(const struct slow_stmt *a, const struct slow_stmt *b)
{
    if (a->userid != b->userid)
        return a->userid < b->userid ? -1 : 1;
    if (a->dbid != b->dbid)
        return a->dbid < b->dbid ? -1 : 1;
    if (a->has_queryid != b->has_queryid)
        return a->has_queryid ? 1 : -1;
    if (a->queryid != b->queryid)
        return a->queryid < b->queryid ? -1 : 1;
    return 0;
}

static int ptr_key_cmp(const void *a, const void *b)
{
    return key_cmp(*(const struct slow_stmt *const *)a,
                   *(const struct slow_stmt *const *)b);
}

static const struct slow_stmt *find(const struct slow_stmt **index, int n,
                                    const struct slow_stmt *key)
{
    const struct slow_stmt **hit =
        bsearch(&key, index, n, sizeof *index, ptr_key_cmp);

    return hit ? *hit : NULL;
}

static bool went_down(const struct slow_stmt *p, const struct slow_stmt *c)
{
    return c->calls < p->calls || c->total_ms < p->total_ms - 1e-9 ||
           c->rows < p->rows;
}

static void subtract(struct slow_stmt *d, const struct slow_stmt *p)
{
    d->calls -= p->calls;
    d->rows -= p->rows;
    d->total_ms -= p->total_ms;
    d->blks_hit -= p->blks_hit;
    d->blks_read -= p->blks_read;
    d->temp_blks -= p->temp_blks;
    d->stddev_ms = d->max_ms = -1;
}

/* Statements without a queryid (hidden from this role) share a key: they
 * cannot be told apart, so they are left out of differences. */
static const struct slow_stmt **index_of(const struct slow_stmt *v, int n)
{
    const struct slow_stmt **index = xmalloc((n ? n : 1) * sizeof *index);

    for (int i = 0; i < n; i++)
        index[i] = &v[i];
    qsort(index, n, sizeof *index, ptr_key_cmp);
    return index;
}

int slow_diff(const struct slow_stmt *prev, int nprev,
              const struct slow_stmt *cur, int ncur,
              struct slow_stmt *out, bool *reset)
{
    const struct slow_stmt **index = index_of(prev, nprev);
    int n = 0;

    *reset = false;
    for (int i = 0; i < ncur; i++) {
        const struct slow_stmt *p = find(index, nprev, &cur[i]);

        if (!cur[i].has_queryid)
            continue;
        /* Reset on its own (pg_stat_statements_reset of one queryid, or a
         * full reset): what it shows now is all since then. The others
         * keep their difference. */
        if (p && went_down(p, &cur[i])) {
            *reset = true;
            p = NULL;
        }
        out[n] = cur[i];
        if (p) {
            subtract(&out[n], p);
            out[n].query = cur[i].query;
        }
        if (out[n].calls > 0)
            n++;
    }
    free(index);
    slow_derive(out, n);
    return n;
}

enum slow_class slow_classify(double mean_ms, double threshold_ms)
{
    if (threshold_ms <= 0 || mean_ms >= threshold_ms)
        return threshold_ms <= 0 ? SLOW_OK : SLOW_OVER;
    return mean_ms >= threshold_ms / 2 ? SLOW_NEAR : SLOW_OK;
}

/* ---- sorting ------------------------------------------------------------ */

static double value_of(const struct slow_stmt *s, enum slow_col col)
{
    switch (col) {
    case SLOW_COL_CALLS: return (double)s->calls;
    case SLOW_COL_MEAN: return s->mean_ms;
    case SLOW_COL_STDDEV: return s->stddev_ms;
    case SLOW_COL_MAX: return s->max_ms;
    case SLOW_COL_ROWS: return (double)s->rows;
    case SLOW_COL_SHARE: return s->share;
    case SLOW_COL_HIT: return s->hit_ratio;
    case SLOW_COL_TEMP: return (double)s->temp_blks;
    case SLOW_COL_QUERYID: return (double)s->queryid;
    default: return s->total_ms;
    }
}

static enum slow_col sort_col;
static bool sort_desc;

static int cmp_num(double a, double b)
{
    return a < b ? -1 : a > b ? 1 : 0;
}

static int stmt_cmp(const void *pa, const void *pb)
{
    const struct slow_stmt *a = pa, *b = pb;
    int c;

    if (sort_col == SLOW_COL_QUERY)
        c = strcmp(a->query ? a->query : "", b->query ? b->query : "");
    else
        c = cmp_num(value_of(a, sort_col), value_of(b, sort_col));
    if (sort_desc)
        c = -c;
    if (c == 0)
        c = cmp_num(b->total_ms, a->total_ms);
    return c ? c : key_cmp(a, b);
}

void slow_sort(struct slow_stmt *v, int n, enum slow_col col, bool desc)
{
    /* qsort has no context argument in C11: the comparison reads these. */
    sort_col = col;
    sort_desc = desc;
    qsort(v, n, sizeof *v, stmt_cmp);
}

/* ---- sessions ----------------------------------------------------------- */

int slow_parse_pids(const char *text, int *pids, int max)
{
    int n = 0;

    while (text && *text && n < max) {
        char *end;
        long v = strtol(text, &end, 10);

        if (end == text || v <= 0 || v > 0x7fffffff)
            break;
        pids[n++] = (int)v;
        if (*end != ',')
            break;
        text = end + 1;
    }
    return n;
}

static int index_of_pid(const struct slow_session *s, int n, int pid)
{
    for (int i = 0; i < n; i++)
        if (s[i].pid == pid)
            return i;
    return -1;
}

/* The listed session a session hangs under, or -1 for a root. */
static int parent_of(const struct slow_session *s, int n, int i)
{
    for (int b = 0; b < s[i].nblockers; b++) {
        int j = index_of_pid(s, n, s[i].blockers[b]);
        if (j >= 0 && j != i)
            return j;
    }
    return -1;
}

struct tree {
    const int *parent;
    bool *seen;
    int *order, *depth;
    int n, count;
};

static void visit(struct tree *t, int i, int level)
{
    if (t->seen[i])
        return;
    t->seen[i] = true;
    t->order[t->count] = i;
    t->depth[t->count++] = level;
    for (int c = 0; c < t->n; c++)
        if (t->parent[c] == i)
            visit(t, c, level + 1);
}

void slow_tree(const struct slow_session *s, int n, int *order, int *depth)
{
    int *parent = xmalloc((n ? n : 1) * sizeof *parent);
    struct tree t = { parent, xcalloc(n ? n : 1, sizeof(bool)), order, depth,
                      n, 0 };

    for (int i = 0; i < n; i++)
        parent[i] = parent_of(s, n, i);
    for (int i = 0; i < n; i++)
        if (parent[i] < 0)
            visit(&t, i, 0);
    /* What is left waits in a cycle: its first member becomes a root. */
    for (int i = 0; i < n; i++)
        visit(&t, i, 0);
    free(parent);
    free(t.seen);
}

int slow_blocks_count(const struct slow_session *s, int n, int pid)
{
    int count = 0;

    for (int i = 0; i < n; i++)
        for (int b = 0; b < s[i].nblockers; b++)
            if (s[i].blockers[b] == pid) {
                count++;
                break;
            }
    return count;
}
