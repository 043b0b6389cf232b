/* `report slow` (statements over the threshold; exit 1 when any, 2 with the
 * guidance when pg_stat_statements cannot be read) and `report activity`
 * (the sessions as a blocking tree, with pghero's alarms). */
#include "autoconfig.h"

#include "panes/slow.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/xalloc.h"
#include "i18n.h"
#include "reports.h"

static void report_guidance(struct report *r, char **lines)
{
    size_t len = 1;
    char *all;

    for (int i = 0; lines && lines[i]; i++) {
        report_note(r, "%s", lines[i]);
        len += strlen(lines[i]) + 1;
    }
    /* Text has it in the notes; JSON as one string. */
    if (!report_json(r))
        return;
    all = xmalloc(len);
    *all = '\0';
    for (int i = 0; lines && lines[i]; i++)
        strcat(strcat(all, lines[i]), "\n");
    report_str(r, "guidance", _("guidance"), all);
    free(all);
}

/* --now: a second snapshot after the interval; rows are the difference. */
static void take_second_snapshot(struct pane *p, double seconds)
{
    struct slowp *s = slow_state(p);
    struct timespec ts = { (time_t)seconds,
                           (long)((seconds - (time_t)seconds) * 1e9) };

    while (nanosleep(&ts, &ts) != 0)
        ;
    slow_refresh_statements(p);
    db_wait_idle(p->db);
    s->now_mode = true;
    slow_rebuild_rows(s);
}

static void stmt_row(struct report *r, const struct slow_stmt *t)
{
    char qid[32], calls[32], mean[32], total[32], max[32], rows[32];
    char *query = xmalloc(strlen(t->query) + 1);
    const char *v[9] = { t->has_queryid ? qid : NULL, calls, mean, total,
                         t->max_ms < 0 ? NULL : max, rows, t->dbname,
                         t->user, query };

    snprintf(qid, sizeof qid, "%lld", t->queryid);
    snprintf(calls, sizeof calls, "%lld", t->calls);
    snprintf(mean, sizeof mean, "%.3f", t->mean_ms);
    snprintf(total, sizeof total, "%.3f", t->total_ms);
    snprintf(max, sizeof max, "%.3f", t->max_ms);
    snprintf(rows, sizeof rows, "%lld", t->rows);
    if (report_json(r))
        strcpy(query, t->query);
    else
        slow_one_line(query, strlen(t->query) + 1, t->query);
    report_row(r, v);
    free(query);
}

static int stmt_table(struct report *r, struct slowp *s, long limit)
{
    static const char *const keys[] = { "queryid", "calls", "mean_ms",
        "total_ms", "max_ms", "rows", "database", "user", "query" };
    static const enum report_type types[] = { REPORT_INT, REPORT_INT,
        REPORT_NUM, REPORT_NUM, REPORT_NUM, REPORT_INT, REPORT_STR,
        REPORT_STR, REPORT_STR };
    const char *labels[] = { _("queryid"), _("calls"), _("mean ms"),
        _("total ms"), _("max ms"), _("rows"), _("database"), _("user"),
        _("query") };
    int n = 0;

    slow_sort(s->rows, s->nrows, SLOW_COL_MEAN, true);
    report_table_begin(r, "statements", _("Statements over the threshold"),
                       9, keys, labels, types);
    for (int i = 0; i < s->nrows && (limit <= 0 || n < limit); i++)
        if (slow_classify(s->rows[i].mean_ms, s->threshold_ms) == SLOW_OVER) {
            stmt_row(r, &s->rows[i]);
            n++;
        }
    report_table_end(r);
    return n;
}

static int report_statements(struct pane *p, struct report *r)
{
    struct slowp *s = slow_state(p);
    const struct reports_slow_options *o = reports_slow();
    char **guide = slow_guidance(s);
    int n;

    if (s->missing != SLOW_HAVE_PGSS || s->stmt_error) {
        if (s->stmt_error)
            report_str(r, "error", _("error"), s->stmt_error);
        report_guidance(r, guide);
        slow_guidance_free(guide);
        return 2;
    }
    if (o->now_s > 0)
        take_second_snapshot(p, o->now_s);
    report_str(r, "mode", _("mode"), s->now_mode ? "now" : "since_reset");
    report_num(r, "threshold_ms", _("threshold (ms)"), s->threshold_ms);
    report_int(r, "statements_seen", _("statements seen"), s->nrows);
    if (guide)
        report_guidance(r, guide);
    slow_guidance_free(guide);
    n = stmt_table(r, s, o->limit);
    report_int(r, "over_threshold", _("over the threshold"), n);
    return n > 0 ? 1 : 0;
}

/* ---- activity ----------------------------------------------------------- */

static void report_alarms(struct report *r, const struct slow_header *h)
{
    report_object_begin(r, "alarms", _("Alarms"));
    report_int(r, "connections", _("connections"), h->connections);
    report_int(r, "max_connections", _("max_connections"), h->max_connections);
    report_int(r, "idle_in_transaction", _("idle in transaction"),
               h->idle_in_tx);
    report_int(r, "over_60s", _("running over 60 s"), h->over_60s);
    if (h->hit_rate < 0)
        report_str(r, "cache_hit_rate", _("cache hit rate"), NULL);
    else
        report_num(r, "cache_hit_rate", _("cache hit rate"), h->hit_rate);
    report_object_end(r);
}

static void session_row(struct report *r, const struct slow_activity_row *a)
{
    char pid[16], blocked[200] = "", depth[16], dur[32], age[32];
    const char *v[11] = { pid, blocked, depth, a->user, a->app, a->client,
                          a->state, a->wait, a->query_ms < 0 ? NULL : dur,
                          a->state_ms < 0 ? NULL : age, a->query };

    snprintf(pid, sizeof pid, "%d", a->pid);
    for (int i = 0; i < a->nblockers; i++)
        snprintf(blocked + strlen(blocked), sizeof blocked - strlen(blocked),
                 "%s%d", i ? "," : "", a->blockers[i]);
    snprintf(depth, sizeof depth, "%d", a->depth);
    snprintf(dur, sizeof dur, "%.0f", a->query_ms);
    snprintf(age, sizeof age, "%.0f", a->state_ms);
    report_row(r, v);
}

static int report_activity(struct pane *p, struct report *r)
{
    static const char *const keys[] = { "pid", "blocked_by", "depth", "user",
        "application", "client", "state", "wait_event", "duration_ms",
        "state_ms", "query" };
    static const enum report_type types[] = { REPORT_INT, REPORT_STR,
        REPORT_INT, REPORT_STR, REPORT_STR, REPORT_STR, REPORT_STR,
        REPORT_STR, REPORT_INT, REPORT_INT, REPORT_STR };
    const char *labels[] = { _("pid"), _("blocked by"), _("depth"), _("user"),
        _("application"), _("client"), _("state"), _("wait event"),
        _("duration ms"), _("in state ms"), _("query") };
    struct slowp *s = slow_state(p);

    report_alarms(r, &s->hdr);
    report_table_begin(r, "sessions", _("Sessions (blocked under their "
                                        "blocker)"), 11, keys, labels, types);
    for (int i = 0; i < s->nact; i++)
        session_row(r, &s->act[i]);
    report_table_end(r);
    return 0;
}

int slow_report(struct pane *p, struct report *r)
{
    const char *kind = reports_kind();

    if (kind && strcmp(kind, "activity") == 0)
        return report_activity(p, r);
    return report_statements(p, r);
}
