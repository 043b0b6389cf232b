/* The slow pane's logic: statement counters from pg_stat_statements with
 * their derived figures, the "now" difference between two snapshots, the
 * threshold classes, sorting, and the blocking tree of sessions. Pure. */
#ifndef DEGUX_SLOW_H
#define DEGUX_SLOW_H

#include <stdbool.h>
#include <stddef.h>

/* One statement; strings are borrowed from whoever holds the snapshot. */
struct slow_stmt {
    long long userid, dbid, queryid;
    bool has_queryid;          /* NULL without pg_read_all_stats */
    const char *user, *dbname, *query;
    long long calls, rows, blks_hit, blks_read, temp_blks;
    double total_ms, stddev_ms, max_ms; /* stddev/max < 0: not known */
    /* Derived by slow_derive. */
    double mean_ms, share;     /* share of the total time, 0..1 */
    double hit_ratio;          /* shared buffers, 0..1; < 0: no blocks */
};

enum slow_col {
    SLOW_COL_CALLS, SLOW_COL_TOTAL, SLOW_COL_MEAN, SLOW_COL_STDDEV,
    SLOW_COL_MAX, SLOW_COL_ROWS, SLOW_COL_SHARE, SLOW_COL_HIT,
    SLOW_COL_TEMP, SLOW_COL_QUERYID, SLOW_COL_QUERY, SLOW_NCOLS,
};

enum slow_class { SLOW_OK, SLOW_NEAR, SLOW_OVER };

/* Fills mean, share and hit_ratio of the n statements. */
void slow_derive(struct slow_stmt *v, int n);

/* The statements of cur that ran since prev, with calls, times, rows and
 * blocks subtracted (new statements count whole); out has room for ncur.
 * A statement whose counters went down was reset in between (alone, or in
 * a full reset): its row is cur's own (since the reset) and *reset is set;
 * the other statements keep their difference. stddev and max cannot
 * be subtracted: they become unknown (-1). Derived fields are filled.
 * Returns the number of rows in out. */
int slow_diff(const struct slow_stmt *prev, int nprev,
              const struct slow_stmt *cur, int ncur,
              struct slow_stmt *out, bool *reset);

/* Over the threshold (mean), near it (half or more), or fine. */
enum slow_class slow_classify(double mean_ms, double threshold_ms);

/* Sort by a column (descending: largest first; the query text ascending
 * when !desc). Ties keep the total time order. */
void slow_sort(struct slow_stmt *v, int n, enum slow_col col, bool desc);

/* Parses "12,345" (pg_blocking_pids joined by commas) into pids (room for
 * max); returns how many, stopping at the first bad one. */
int slow_parse_pids(const char *text, int *pids, int max);

/* A session and the pids that block it. */
struct slow_session {
    int pid;
    const int *blockers;
    int nblockers;
};

/* The blocking tree in drawing order: each blocked session right under its
 * first blocker present in the list (deeper as blocked chains go on);
 * sessions not blocked by a listed one are roots, in their input order.
 * Cycles (deadlocks) are broken. order[] and depth[] have room for n:
 * order[i] is an index into s, depth[i] its level (0: root). */
void slow_tree(const struct slow_session *s, int n, int *order, int *depth);

/* How many sessions in s a session blocks (directly). */
int slow_blocks_count(const struct slow_session *s, int n, int pid);

/* ---- statement text and plans (slow_text.c) ---- */

/* The query with a line break before its main clauses (FROM, WHERE, JOIN,
 * GROUP BY, ORDER BY, ...) and AND/OR indented; quoted text, identifiers
 * and comments are kept as they are. Caller frees. */
char *slow_pretty_query(const char *query);
/* The query on one line in dst (size bytes, cut there): runs of blanks
 * and newlines become one space. Returns dst. */
char *slow_one_line(char *dst, size_t size, const char *query);
/* The highest $n the text uses outside quotes and comments (0: none). */
int slow_count_params(const char *query);
/* True when the statement is a plain SELECT (ANALYZE may run it). */
bool slow_is_select(const char *query);
/* Marks the costliest nodes of a text plan (EXPLAIN lines): mark[i] is
 * set for node lines whose own cost (or own actual time with ANALYZE)
 * is the largest or at least a quarter of the plan's. */
void slow_plan_marks(const char *const *lines, int n, bool *mark);

#endif
