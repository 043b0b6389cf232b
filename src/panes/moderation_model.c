/* The moderation pane's model: the schema check, the validators' context
 * and the queue, loaded as jobs; decisions sent as one statement each. */
#include "autoconfig.h"

#include "panes/moderation.h"

#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app.h"
#include "core/sql.h"
#include "core/xalloc.h"
#include "i18n.h"
#include "validate_cli.h"

enum { JOB_SCHEMA, JOB_TODAY, JOB_CBRS, JOB_PRICES, JOB_QUEUE, JOB_COUNTS };

struct modp *moderation_state(struct pane *p)
{
    return p->state;
}

void moderation_model_init(struct pane *p)
{
    struct modp *s = xcalloc(1, sizeof *s);
    struct passwd *pw = getpwuid(getuid());

    s->failing_only = true;
    s->os_user = xstrdup(pw && pw->pw_name ? pw->pw_name
                         : getenv("USER") ? getenv("USER") : "");
    p->state = s;
}

static void queue_clear(struct modp *s)
{
    PQclear(s->queue);
    s->queue = NULL;
    free(s->order);
    s->order = NULL;
    s->n = s->cur = 0;
}

void moderation_model_free(struct modp *s)
{
    queue_clear(s);
    if (s->ctx_ready)
        validate_ctx_free(&s->ctx);
    if (s->prompt)
        cmdline_free(s->prompt);
    free(s->error);
    free(s->keep_id);
    free(s->comuna);
    free(s->os_user);
    free(s->last_audit);
    free(s);
}

int moderation_row(const struct modp *s)
{
    return s->queue && s->cur >= 0 && s->cur < s->n ? s->order[s->cur] : -1;
}

static void set_error(struct modp *s, const struct db_job *job)
{
    free(s->error);
    s->error = xstrdup(job->error ? job->error : _("cancelled"));
}

/* The rows shown: all, or those with a finding; the card stays on the
 * row it showed when that row is still there. */
static void queue_index(struct modp *s)
{
    int rows = PQntuples(s->queue);
    struct referencial_row row;
    struct finding f[VALIDATE_MAX_FINDINGS];

    s->order = xcalloc((size_t)rows + 1, sizeof *s->order);
    s->n = 0;
    s->cur = -1;
    for (int i = 0; i < rows; i++) {
        validate_cli_row_read(s->queue, i, &row);
        if (s->failing_only && s->ctx_ready &&
            validate_referencial(&row, &s->ctx, f, VALIDATE_MAX_FINDINGS) == 0)
            continue;
        if (s->keep_id && strcmp(row.id, s->keep_id) == 0)
            s->cur = s->n;
        s->order[s->n++] = i;
    }
    if (s->cur < 0)
        s->cur = s->keep_pos < s->n ? s->keep_pos : s->n - 1;
    if (s->cur < 0)
        s->cur = 0;
}

/* SQL_MODERATION_STATUS: status, count, ... */
static void read_counts(struct modp *s, const PGresult *res)
{
    static const char *const names[] = { "pending", "approved", "rejected",
                                         "flagged" };

    memset(s->counts, 0, sizeof s->counts);
    for (int i = 0; i < PQntuples(res); i++)
        for (int k = 0; k < 4; k++)
            if (strcmp(PQgetvalue(res, i, 0), names[k]) == 0)
                s->counts[k] = atoll(PQgetvalue(res, i, 1));
    s->counted = true;
}

static void on_load(struct db_job *job, void *arg)
{
    struct pane *p = arg;
    struct modp *s = moderation_state(p);

    if (job->status != DB_JOB_OK) {
        if (job->tag == JOB_SCHEMA || job->tag == JOB_QUEUE)
            set_error(s, job);
        app_redraw();
        return;
    }
    if (job->skipped)
        return;
    if (job->tag == JOB_SCHEMA) {
        s->checked = true;
        s->migrated = strcmp(PQgetvalue(job->result, 0, 0), "t") == 0;
    } else if (job->tag == JOB_TODAY) {
        struct validate_date today = { 2000, 1, 1 };
        validate_date_parse(PQgetvalue(job->result, 0, 0), &today);
        if (s->ctx_ready)
            validate_ctx_free(&s->ctx);
        validate_ctx_init(&s->ctx, today);
        s->ctx_ready = true;
    } else if (job->tag == JOB_CBRS && s->ctx_ready) {
        validate_cli_set_cbrs(&s->ctx, job->result);
    } else if (job->tag == JOB_PRICES && s->ctx_ready) {
        validate_cli_set_prices(&s->ctx, job->result);
    } else if (job->tag == JOB_COUNTS) {
        read_counts(s, job->result);
    } else if (job->tag == JOB_QUEUE) {
        queue_clear(s);
        s->queue = db_job_take_result(job);
        s->loaded = true;
        free(s->error);
        s->error = NULL;
        queue_index(s);
    }
    app_redraw();
}

/* The queue and the context need the schema: skipped without it. */
static bool if_migrated(struct db_job *job, void *arg)
{
    (void)job;
    return moderation_state(arg)->migrated;
}

static void submit(struct pane *p, const char *label, const char *sql,
                   int tag, bool needs_schema)
{
    struct db_job *job = db_job_new(label, sql, on_load, p);

    job->tag = tag;
    job->background = tag == JOB_COUNTS;
    if (needs_schema)
        job->before_send = if_migrated;
    if (tag == JOB_QUEUE) {
        struct modp *s = moderation_state(p);
        db_job_param(job, s->scraped_only ? "true" : NULL);
        db_job_param(job, s->comuna);
    }
    app_submit(p, job);
}

void moderation_reload(struct pane *p)
{
    struct modp *s = moderation_state(p);
    int row = moderation_row(s);

    if (row >= 0) {
        free(s->keep_id);
        s->keep_id = xstrdup(PQgetvalue(s->queue, row, 0));
        s->keep_pos = s->cur;
    }
    submit(p, _("Moderation: queue"), SQL_MODERATION_QUEUE, JOB_QUEUE, true);
    /* Every reload follows a change (a decision, a fix, an undo) or a
     * refresh: the header's counts follow too. */
    submit(p, _("Moderation: counts per status"), SQL_MODERATION_STATUS,
           JOB_COUNTS, true);
}

void moderation_reload_top(struct pane *p)
{
    struct modp *s = moderation_state(p);

    free(s->keep_id);
    s->keep_id = NULL;
    s->keep_pos = 0;
    s->cur = s->n; /* no card: nothing to keep */
    moderation_reload(p);
}

void moderation_refresh(struct pane *p)
{
    submit(p, _("Moderation: schema"), SQL_MIGRATE_REVIEW_EXISTS, JOB_SCHEMA,
           false);
    submit(p, _("Moderation: today"), SQL_VALIDATE_TODAY, JOB_TODAY, true);
    submit(p, _("Moderation: registry offices"), SQL_VALIDATE_CBRS, JOB_CBRS,
           true);
    submit(p, _("Moderation: prices per comuna"), SQL_VALIDATE_PRICES,
           JOB_PRICES, true);
    moderation_reload(p);
}

/* The audit entry a saved decision or fix returned, for undo. */
static void remember(struct modp *s, const struct db_job *job)
{
    free(s->last_audit);
    s->last_audit = xstrdup(PQgetvalue(job->result, 0, 0));
}

static const char *const decided_names[] = { N_("approved"),
                                             N_("rejected"), N_("flagged") };

static void on_decide(struct db_job *job, void *arg)
{
    struct pane *p = arg;
    struct modp *s = moderation_state(p);

    if (job->status != DB_JOB_OK) {
        app_error(_("The decision was not saved: %s"),
                  job->error ? job->error : _("cancelled"));
    } else if (PQntuples(job->result) == 0) {
        app_error("%s", _("Changed by someone else since it was shown: "
                          "nothing was saved, the card is reloaded"));
    } else {
        remember(s, job);
        s->decided++;
        app_message(_("Saved: %s"), _(decided_names[job->tag]));
        free(s->keep_id);
        s->keep_id = NULL;
        if (s->cur + 1 < s->n)
            s->keep_id = xstrdup(PQgetvalue(s->queue,
                                            s->order[s->cur + 1], 0));
    }
    moderation_reload(p);
}

void moderation_decide(struct pane *p, const char *status,
                       const char *action, const char *reason)
{
    struct modp *s = moderation_state(p);
    int row = moderation_row(s);
    struct db_job *job;
    int tag = 0;

    if (row < 0)
        return;
    for (int i = 0; i < 3; i++)
        if (strcmp(status, decided_names[i]) == 0)
            tag = i;
    job = db_job_new(_("Moderation: decision"), SQL_MODERATION_DECIDE,
                     on_decide, p);
    job->tag = tag;
    job->write = true;
    db_job_param(job, PQgetvalue(s->queue, row, 0));
    db_job_param(job, PQgetvalue(s->queue, row, MOD_C_UPDATED));
    db_job_param(job, PQgetvalue(s->queue, row, MOD_C_XMIN));
    db_job_param(job, status);
    db_job_param(job, reason);
    db_job_param(job, action);
    db_job_param(job, s->os_user);
    db_job_param(job, PQgetvalue(s->queue, row, MOD_C_REVIEWED));
    app_submit(p, job);
}

static void on_fix(struct db_job *job, void *arg)
{
    struct pane *p = arg;

    if (job->status != DB_JOB_OK)
        app_error(_("The fix was not saved: %s"),
                  job->error ? job->error : _("cancelled"));
    else if (PQntuples(job->result) == 0)
        app_error("%s", _("Changed by someone else since it was shown: "
                          "nothing was saved, the card is reloaded"));
    else {
        remember(moderation_state(p), job);
        app_message("%s", _("Saved the fix: the card shows the row as it "
                             "is now"));
    }
    moderation_reload(p);
}

void moderation_fix(struct pane *p, const char *kind, const char *comuna)
{
    struct modp *s = moderation_state(p);
    int row = moderation_row(s);
    struct db_job *job;

    if (row < 0)
        return;
    job = db_job_new(_("Moderation: fix"), SQL_MODERATION_FIX, on_fix, p);
    job->write = true;
    db_job_param(job, PQgetvalue(s->queue, row, 0));
    db_job_param(job, PQgetvalue(s->queue, row, MOD_C_UPDATED));
    db_job_param(job, PQgetvalue(s->queue, row, MOD_C_XMIN));
    db_job_param(job, kind);
    db_job_param(job, comuna);
    db_job_param(job, s->os_user);
    app_submit(p, job);
}

static void on_undo(struct db_job *job, void *arg)
{
    struct pane *p = arg;
    struct modp *s = moderation_state(p);

    if (job->status != DB_JOB_OK) {
        app_error(_("The undo failed: %s"),
                  job->error ? job->error : _("cancelled"));
    } else if (PQntuples(job->result) == 0) {
        app_error("%s", _("Cannot undo: the row or its review changed since "
                          "(nothing was written)"));
    } else {
        free(s->last_audit);
        s->last_audit = NULL;
        app_message("%s", _("Undone"));
    }
    moderation_reload(p);
}

void moderation_undo(struct pane *p)
{
    struct modp *s = moderation_state(p);
    struct db_job *job;

    if (!s->last_audit) {
        app_error("%s", _("Nothing to undo in this session"));
        return;
    }
    job = db_job_new(_("Moderation: undo"), SQL_MODERATION_UNDO, on_undo, p);
    job->write = true;
    db_job_param(job, s->last_audit);
    db_job_param(job, s->os_user);
    app_submit(p, job);
}
