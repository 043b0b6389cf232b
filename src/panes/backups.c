/* Pane 6, Backups: the model. Scans the folder, applies the stated policy,
 * verifies every file in slices from a loop timer (the UI keeps drawing),
 * caches verdicts by size and mtime, and computes the findings that the
 * view shows and the report's exit status follows. */
#include "autoconfig.h"

#include "panes/backups.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "core/backupverify.h"
#include "core/loop.h"
#include "core/sql.h"
#include "core/xalloc.h"
#include "i18n.h"
#include "panes/backups_run.h"
#include "panes/pane.h"
#include "ui/theme.h"

/* Verification runs in slices of this many bytes until the tick's time is
 * up: input stays responsive (a tick ends within ~15 ms). */
#define SLICE_BYTES (1024 * 1024)
#define TICK_MS 15.0
#define TIMER_MS 1
#define SUMMARY_EVERY_MS 500.0

static const struct config *conf;
static const char *dir_override;

void backups_configure(const struct config *cfg, const char *dir)
{
    conf = cfg;
    dir_override = dir;
}

const struct config *backups_config(void)
{
    return conf ? conf : app_config();
}

static struct backups *B(struct pane *p)
{
    return p->state;
}

/* ---- formats ------------------------------------------------------------ */

char *backups_format_size(int64_t bytes)
{
    static const char *const units[] = { "B", "kB", "MB", "GB", "TB" };
    double v = (double)(bytes < 0 ? -bytes : bytes);
    int u = 0;

    while (v >= 1024 && u < 4) {
        v /= 1024;
        u++;
    }
    if (u == 0)
        return xasprintf("%s%lld %s", bytes < 0 ? "-" : "",
                         (long long)(bytes < 0 ? -bytes : bytes), units[0]);
    return xasprintf("%s%.1f %s", bytes < 0 ? "-" : "", v, units[u]);
}

char *backups_format_age(int64_t s)
{
    if (s < 0)
        return xstrdup(_("in the future"));
    if (s < 3600)
        return xasprintf(_("%lld min"), (long long)(s / 60));
    if (s < 86400)
        return xasprintf(_("%lld h %lld min"), (long long)(s / 3600),
                         (long long)(s % 3600 / 60));
    return xasprintf(_("%lld d %lld h"), (long long)(s / 86400),
                     (long long)(s % 86400 / 3600));
}

char *backups_format_time(const struct civil_time *t)
{
    return xasprintf("%04d-%02d-%02d %02d:%02d:%02d", t->year, t->month,
                     t->day, t->hour, t->minute, t->second);
}

char *backups_kept_words(const struct backupdir_entry *e)
{
    static const unsigned rules[] = { RETENTION_DAILY, RETENTION_WEEKLY,
                                      RETENTION_MONTHLY };
    char buf[64] = "";

    for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++) {
        if (!(e->keep.rules & rules[i]))
            continue;
        if (*buf)
            strcat(buf, ",");
        strcat(buf, retention_rule_name(rules[i]));
    }
    return xstrdup(buf);
}

char *backups_kept_text(const struct backupdir_entry *e)
{
    static const unsigned rules[] = { RETENTION_DAILY, RETENTION_WEEKLY,
                                      RETENTION_MONTHLY };
    char *out = xstrdup("");

    for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++) {
        if (!(e->keep.rules & rules[i]))
            continue;
        char *next = xasprintf("%s%s%s", out, *out ? " " : "",
                               _(retention_rule_name(rules[i])));
        free(out);
        out = next;
    }
    return out;
}

char *backups_policy_counts(const struct retention_policy *p)
{
    char *d = xasprintf(P_("%d daily", "%d daily",
                           (unsigned long)p->keep_daily), p->keep_daily);
    char *w = xasprintf(P_("%d weekly", "%d weekly",
                           (unsigned long)p->keep_weekly), p->keep_weekly);
    char *m = xasprintf(P_("%d monthly", "%d monthly",
                           (unsigned long)p->keep_monthly), p->keep_monthly);
    char *out = xasprintf("%s, %s, %s", d, w, m);

    free(d);
    free(w);
    free(m);
    return out;
}

enum backupverify_state backups_entry_state(const struct backups *b,
                                            const struct backupdir_entry *e)
{
    if (e->kind == BACKUPDIR_SYMLINK && e->target_index >= 0)
        return b->bd->entries[e->target_index].state;
    return e->state;
}

ptrdiff_t backups_newest_entry(const struct backups *b)
{
    for (size_t i = 0; b->bd && i < b->bd->n; i++) {
        const struct backupdir_entry *e = &b->bd->entries[i];
        if (e->kind == BACKUPDIR_BACKUP && !e->future)
            return (ptrdiff_t)i;
    }
    return -1;
}

/* ---- findings ----------------------------------------------------------- */

static void finding_add(struct backups *b, int severity, bool fails,
                        const char *code, char *text)
{
    b->findings = xrealloc(b->findings,
                           (b->nfindings + 1) * sizeof *b->findings);
    b->findings[b->nfindings++] = (struct backups_finding){ severity, fails,
                                                            code, text };
}

static void findings_clear(struct backups *b)
{
    for (size_t i = 0; i < b->nfindings; i++)
        free(b->findings[i].text);
    free(b->findings);
    b->findings = NULL;
    b->nfindings = 0;
}

static void find_age(struct backups *b)
{
    const struct backupdir_entry *e;
    char *age;

    if (b->sum.newest < 0) {
        finding_add(b, THEME_ERROR, true, "no_backup",
                    xstrdup(_("No usable backup in the folder.")));
        return;
    }
    e = &b->bd->entries[b->sum.newest];
    if (e->age <= (int64_t)b->max_age_h * 3600)
        return;
    age = backups_format_age(e->age);
    finding_add(b, THEME_ERROR, true, "newest_too_old",
                xasprintf(_("The newest backup is %s old (maximum %d h)."),
                          age, b->max_age_h));
    free(age);
}

static void find_newest_state(struct backups *b)
{
    ptrdiff_t i = backups_newest_entry(b);
    const struct backupdir_entry *e;

    if (i < 0)
        return;
    e = &b->bd->entries[i];
    if (e->state == BACKUPVERIFY_VERIFIED ||
        e->state == BACKUPVERIFY_UNVERIFIED)
        return;
    finding_add(b, THEME_ERROR, true, "newest_corrupt",
                xasprintf(_("The newest backup %s is %s: %s."), e->name,
                          _(backupverify_state_name(e->state)),
                          _(backupverify_reason_text(e->reason))));
}

static char *policy_sentence(const struct retention_policy *met,
                             const struct retention_policy *stated)
{
    char *m = backups_policy_counts(met), *s = backups_policy_counts(stated);
    char *out = xasprintf(_("The folder meets %s; the stated policy is %s."),
                          m, s);

    free(m);
    free(s);
    return out;
}

static void find_policy(struct backups *b)
{
    const struct retention_policy *m = &b->sum.met, *s = &b->stated;

    if (!b->sum.unmet)
        return;
    finding_add(b, THEME_ERROR, true, "policy_not_met",
                policy_sentence(m, s));
}

static void find_other(struct backups *b)
{
    ptrdiff_t i = backups_newest_entry(b);
    size_t future = 0;

    if (b->sum.missing_recent)
        finding_add(b, THEME_WARNING, false, "missing_nights",
                    xasprintf(P_("%zu night without a backup in the last %d "
                                 "days.",
                                 "%zu nights without a backup in the last %d "
                                 "days.", b->sum.missing_recent),
                              b->sum.missing_recent, b->stated.keep_daily));
    if (i >= 0 && b->bd->entries[i].size_drop)
        finding_add(b, THEME_WARNING, false, "size_drop",
                    xasprintf(_("The newest backup is much smaller than the "
                                "one before it.")));
    for (size_t k = 0; k < b->bd->n; k++)
        future += b->bd->entries[k].future;
    if (future)
        finding_add(b, THEME_WARNING, false, "future_dated",
                    xasprintf(P_("%zu file is dated in the future.",
                                 "%zu files are dated in the future.", future),
                              future));
}

static void findings_compute(struct backups *b)
{
    findings_clear(b);
    if (b->bd->err) {
        finding_add(b, THEME_ERROR, true, "folder_unreadable",
                    backupdir_error_text(b->bd));
        return;
    }
    find_age(b);
    find_newest_state(b);
    find_policy(b);
    find_other(b);
}

static void summarize(struct backups *b)
{
    backupdir_summarize(b->bd, &b->stated, &b->sum);
    findings_compute(b);
    b->last_summary_ms = loop_now_ms();
}

/* ---- verification ------------------------------------------------------- */

static void save_cache(struct backups *b)
{
    if (b->cache && b->cache_path)
        backupdir_cache_save(b->cache, b->cache_path);
}

/* Starts the next verifiable file; false when none is left. */
static bool verify_next(struct backups *b)
{
    for (; b->next_index < b->bd->n; b->next_index++) {
        struct backupdir_entry *e = &b->bd->entries[b->next_index];
        if (!backupdir_entry_verifiable(e))
            continue;
        char *path = backupdir_entry_path(b->bd, e);
        b->job = backupverify_open(path);
        b->job_index = b->next_index++;
        free(path);
        return true;
    }
    return false;
}

static void verify_finish_file(struct backups *b)
{
    struct backupdir_entry *e = &b->bd->entries[b->job_index];
    const struct backupverify_result *r = backupverify_result(b->job);

    backupdir_entry_set_result(e, r);
    if (b->cache)
        backupdir_cache_put(b->cache, b->bd, e);
    b->bytes_done += (uint64_t)(e->size > 0 ? e->size : 0);
    b->files_done++;
    backupverify_close(b->job);
    b->job = NULL;
}

static void verify_stop_timer(struct backups *b)
{
    if (b->timer)
        loop_timer_cancel(b->timer);
    b->timer = 0;
}

/* One slice of work: false once every file has its verdict. */
static bool verify_slice(struct backups *b, size_t budget)
{
    if (!b->job && !verify_next(b))
        return false;
    if (backupverify_step(b->job, budget))
        verify_finish_file(b);
    return true;
}

static void verify_done(struct backups *b)
{
    verify_stop_timer(b);
    save_cache(b);
    summarize(b);
}

/* A one-shot timer re-armed after each tick: a repeating one would be due
 * again as soon as a tick longer than its period ends, and the loop would
 * run ticks back to back without looking at the keyboard. */
static void on_tick(void *arg)
{
    struct backups *b = arg;
    double start = loop_now_ms();

    b->timer = 0;
    while (loop_now_ms() - start < TICK_MS) {
        if (!verify_slice(b, SLICE_BYTES)) {
            verify_done(b);
            app_redraw();
            return;
        }
    }
    b->timer = loop_timer_add(TIMER_MS, false, on_tick, b);
    if (loop_now_ms() - b->last_summary_ms > SUMMARY_EVERY_MS)
        summarize(b);
    app_redraw();
}

void backups_verify_all(struct backups *b)
{
    if (!b->bd)
        return;
    while (verify_slice(b, SIZE_MAX))
        ;
    verify_done(b);
}

static void verify_start(struct backups *b)
{
    b->next_index = 0;
    b->files_done = b->files_total = 0;
    b->bytes_done = b->bytes_total = 0;
    for (size_t i = 0; i < b->bd->n; i++) {
        const struct backupdir_entry *e = &b->bd->entries[i];
        if (!backupdir_entry_verifiable(e))
            continue;
        b->files_total++;
        b->bytes_total += (uint64_t)e->size;
    }
    if (b->files_total && !b->timer)
        b->timer = loop_timer_add(TIMER_MS, false, on_tick, b);
}

/* ---- the folder --------------------------------------------------------- */

static void folder_release(struct backups *b)
{
    verify_stop_timer(b);
    if (b->job)
        backupverify_close(b->job);
    b->job = NULL;
    backupdir_free(b->bd);
    b->bd = NULL;
}

void backups_rescan(struct backups *b)
{
    const struct config *cfg = backups_config();
    struct backupdir_options opt = {
        .pattern = cfg && cfg->backup_pattern ? cfg->backup_pattern : NULL,
        .now = time(NULL),
        .drop_percent = 0,
    };

    folder_release(b);
    b->bd = backupdir_scan(b->dir, &opt);
    if (b->cache)
        backupdir_cache_sync(b->cache, b->bd);
    backupdir_apply_policy(b->bd, &b->stated);
    summarize(b);
    if (!b->bd->err)
        verify_start(b);
    if (b->grid)
        grid_set_source(b->grid, &b->src);
}

static void backups_settings(struct backups *b)
{
    const struct config *cfg = backups_config();
    char *state = config_state_dir();

    b->dir = xstrdup(dir_override ? dir_override
                     : cfg && cfg->backup_dir ? cfg->backup_dir
                                              : "/var/backups/degux");
    b->log_path = cfg && cfg->backup_log ? xstrdup(cfg->backup_log) : NULL;
    b->stated = (struct retention_policy){
        .keep_daily = cfg ? cfg->keep_daily : 7,
        .keep_weekly = cfg ? cfg->keep_weekly : 4,
        .keep_monthly = cfg ? cfg->keep_monthly : 6,
    };
    b->max_age_h = cfg ? cfg->backup_max_age_h : 26;
    b->cache_path = state ? xasprintf("%s/backup-verify.cache", state) : NULL;
    b->cache = b->cache_path ? backupdir_cache_load(b->cache_path) : NULL;
    free(state);
}

/* ---- the server --------------------------------------------------------- */

/* A value, "-" for NULL. */
static const char *val(const PGresult *r, int col)
{
    return PQgetisnull(r, 0, col) ? "-" : PQgetvalue(r, 0, col);
}

static void on_archiver(struct db_job *job, void *arg)
{
    struct backups *b = arg;
    const PGresult *r = job->result;

    free(b->archiver);
    if (job->status != DB_JOB_OK || !r || PQntuples(r) != 1)
        b->archiver = xasprintf(_("unknown (%s)"),
                                job->error ? job->error : _("no result"));
    else if (strcmp(val(r, 0), "off") == 0)
        b->archiver = xstrdup(_("off (no point-in-time recovery)"));
    else
        b->archiver = xasprintf(_("%s: %s archived, last %s at %s; %s failed"),
                                val(r, 0), val(r, 1), val(r, 2), val(r, 3),
                                val(r, 4));
    app_redraw();
}

static void on_replication(struct db_job *job, void *arg)
{
    struct backups *b = arg;
    const PGresult *r = job->result;

    free(b->replication);
    b->replication = NULL;
    if (job->status != DB_JOB_OK || !r)
        b->replication = xstrdup(_("unknown"));
    else if (PQntuples(r) == 0)
        b->replication = xstrdup(_("none"));
    else
        b->replication = xasprintf(P_("%d standby (%s %s, %s)",
                                      "%d standbys (first: %s %s, %s)",
                                      PQntuples(r)),
                                   PQntuples(r), PQgetvalue(r, 0, 1),
                                   PQgetvalue(r, 0, 2), PQgetvalue(r, 0, 3));
    app_redraw();
}

static void on_dbsize(struct db_job *job, void *arg)
{
    struct backups *b = arg;

    free(b->dbsize);
    b->dbsize = job->status == DB_JOB_OK && job->result &&
                        PQntuples(job->result) == 1
                    ? xstrdup(PQgetvalue(job->result, 0, 1))
                    : xstrdup(_("unknown"));
    app_redraw();
}

static void server_query(struct pane *p)
{
    struct backups *b = B(p);

    if (!p->db)
        return;
    app_submit(p, db_job_new(_("Backups: WAL archiving"),
                             SQL_BACKUPS_ARCHIVER, on_archiver, b));
    app_submit(p, db_job_new(_("Backups: replication"),
                             SQL_BACKUPS_REPLICATION, on_replication, b));
    app_submit(p, db_job_new(_("Backups: database size"), SQL_BACKUPS_DBSIZE,
                             on_dbsize, b));
}

/* ---- pane operations ---------------------------------------------------- */

struct backups *backups_new(void)
{
    struct backups *b = xcalloc(1, sizeof *b);

    backups_settings(b);
    backups_host_read_log(b);
    backups_host_find_cron(b);
    return b;
}

void backups_free(struct backups *b)
{
    backups_run_free(b->run);
    folder_release(b);
    save_cache(b);
    backupdir_cache_free(b->cache);
    findings_clear(b);
    backups_host_free(b);
    if (b->grid)
        grid_free(b->grid);
    free(b->dir);
    free(b->restore_file);
    free(b->cache_path);
    free(b->log_path);
    free(b->archiver);
    free(b->replication);
    free(b->dbsize);
    free(b);
}

static void backups_open(struct pane *p)
{
    struct backups *b = backups_new();

    p->state = b;
    b->pane = p;
    backups_view_init(b);
    backups_rescan(b);
    server_query(p);
}

static void backups_draw(struct pane *p, WINDOW *w)
{
    backups_view_draw(B(p), w);
}

static bool backups_key(struct pane *p, int key)
{
    return grid_key(B(p)->grid, key);
}

static bool backups_click(struct pane *p, int y, int x)
{
    struct backups *b = B(p);

    return y >= b->grid_top && grid_click(b->grid, y - b->grid_top, x);
}

static int backups_report_op(struct pane *p, struct report *r)
{
    return backups_report(B(p), r);
}

static void backups_close(struct pane *p)
{
    backups_free(B(p));
    p->state = NULL;
}

static void act_rescan(struct pane *p)
{
    struct backups *b = B(p);

    backups_host_read_log(b);
    backups_rescan(b);
    app_message("%s", _("Rescanned the backup folder"));
}

/* Forgets the verdicts (and their cache entries) and verifies again. */
static void act_reverify(struct pane *p)
{
    struct backups *b = B(p);

    backupdir_cache_free(b->cache);
    b->cache = backupdir_cache_load("/dev/null");
    folder_release(b);
    backups_rescan(b);
    app_message("%s", _("Verifying every backup again"));
}

static const struct keybinding backups_bindings[] = {
    { 'B', NULL, N_("back up now with pg_dump"),
      backups_act_now, true, true },
    { 'T', NULL, N_("restore test of the selected backup"),
      backups_act_restore, true, true },
    { 'x', NULL, N_("cancel the backup or restore test"), backups_act_cancel,
      false, false },
    { 'r', NULL, N_("rescan the folder and the log"), act_rescan, false,
      true },
    { 'v', NULL, N_("verify every file again (ignore the cache)"),
      act_reverify, false, true },
    { KEY_UP, "Up Down", N_("move in the list (PgUp PgDn g G too)"), NULL,
      false, false },
    { 0, NULL, NULL, NULL, false, false },
};

static const struct keymap backups_keys = { N_("Backups"), backups_bindings };

int backups_command_verify(bool json)
{
    struct backups *b = backups_new();
    struct report *r = report_new(json, stdout);
    int rc;

    backups_rescan(b);
    rc = backups_report(b, r);
    if (report_finish(r))
        rc = 2;
    backups_free(b);
    return rc;
}

/* The newest verified backup, for a restore test without a file. */
const struct pane_ops backups_pane_ops = {
    .id = "backups",
    .title = N_("Backups"),
    .number = 6,
    .keys = &backups_keys,
    .edit_keys = NULL,
    .commands = NULL,
    .ncommands = 0,
    .open = backups_open,
    .draw = backups_draw,
    .key = backups_key,
    .report = backups_report_op,
    .command = NULL,
    .click = backups_click,
    .editing = NULL,
    .close = backups_close,
};
