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
#include "domain/comunas.h"
#include "domain/validate.h"
#include "i18n.h"
#include "validate_cli.h"

enum { JOB_SCHEMA, JOB_TODAY, JOB_CBRS, JOB_PRICES, JOB_QUEUE, JOB_COUNTS,
       JOB_MORE, JOB_AUDITLOG, JOB_MODERATOR, JOB_COMUNAS };

struct modp *moderation_state(struct pane *p)
{
    return p->state;
}

void moderation_model_init(struct pane *p)
{
    struct modp *s = xcalloc(1, sizeof *s);
    struct passwd *pw = getpwuid(getuid());

    const struct config *cfg = app_config();

    s->failing_only = true;
    s->field = 1;
    s->os_user = xstrdup(pw && pw->pw_name ? pw->pw_name
                         : getenv("USER") ? getenv("USER") : "");
    if (cfg && cfg->moderator_user_id && *cfg->moderator_user_id)
        s->moderator = xstrdup(cfg->moderator_user_id);
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
    free(s->comuna_in);
    free(s->comuna_want);
    free(s->creator);
    free(s->moderator);
    free(s->edit_id);
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

/* Adds the queue's rows from first on to the cards shown: all, or those
 * with a finding; the card goes to keep_id's row when it is among them. */
static void queue_index_from(struct modp *s, int first)
{
    int rows = PQntuples(s->queue);
    struct referencial_row row;
    struct finding f[VALIDATE_MAX_FINDINGS];

    s->order = xrealloc(s->order, ((size_t)rows + 1) * sizeof *s->order);
    for (int i = first; i < rows; i++) {
        validate_cli_row_read(s->queue, i, &row);
        if (s->failing_only && s->ctx_ready &&
            validate_referencial(&row, &s->ctx, f, VALIDATE_MAX_FINDINGS) == 0)
            continue;
        if (s->keep_id && strcmp(row.id, s->keep_id) == 0)
            s->cur = s->n;
        s->order[s->n++] = i;
    }
}

/* The cards of a freshly loaded queue; the card stays on the row it
 * showed when that row is still there, else on its position. */
static void queue_index(struct modp *s)
{
    s->n = 0;
    s->cur = -1;
    queue_index_from(s, 0);
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

/* The context's ROL pattern is the configured one, when it compiles. */
static void ctx_today(struct modp *s, const PGresult *res)
{
    struct validate_date today = { 2000, 1, 1 };
    const struct config *cfg = app_config();
    char *err = NULL;

    validate_date_parse(PQgetvalue(res, 0, 0), &today);
    if (s->ctx_ready)
        validate_ctx_free(&s->ctx);
    validate_ctx_init(&s->ctx, today);
    s->ctx_ready = true;
    if (cfg && cfg->rol_pattern &&
        !validate_ctx_set_rol_pattern(&s->ctx, cfg->rol_pattern, &err)) {
        app_error(_("rol_pattern: %s"), err ? err : "");
        free(err);
    }
}

/* The loaded card shown now: a reload keeps it on screen, whichever card
 * the reload was asked from. */
static void keep_current(struct modp *s)
{
    int row = moderation_row(s);

    if (row < 0 || s->keep_forced)
        return;
    free(s->keep_id);
    s->keep_id = xstrdup(PQgetvalue(s->queue, row, 0));
    s->keep_pos = s->cur;
}

static void fetch_more(struct pane *p);

/* A next batch arrived: its rows are appended to the queue (a keyset page
 * never repeats a loaded row), the cards extended; unless the queue was
 * reloaded meanwhile and no longer ends where the batch begins. */
static void queue_append(struct pane *p, const struct db_job *job)
{
    struct modp *s = moderation_state(p);
    const PGresult *res = job->result;
    int first = PQntuples(s->queue), nf = PQnfields(res);

    if (first == 0 || strcmp(PQgetvalue(s->queue, first - 1, 0),
                             job->params[4]) != 0)
        return;
    for (int i = 0; i < PQntuples(res); i++)
        for (int c = 0; c < nf && c < PQnfields(s->queue); c++)
            PQsetvalue(s->queue, first + i, c,
                       PQgetisnull(res, i, c) ? NULL : PQgetvalue(res, i, c),
                       PQgetisnull(res, i, c) ? -1 : PQgetlength(res, i, c));
    s->at_end = PQntuples(res) < MOD_PAGE;
    queue_index_from(s, first);
    if (s->want_next && s->cur + 1 < s->n) {
        s->cur++;
        s->want_next = false;
    }
    if (++s->chained < 5 && s->cur + MOD_PREFETCH_MARGIN >= s->n)
        fetch_more(p);
}

static void loaded_queue(struct pane *p, struct db_job *job)
{
    struct modp *s = moderation_state(p);

    keep_current(s);
    queue_clear(s);
    s->queue = db_job_take_result(job);
    s->loaded = true;
    s->at_end = PQntuples(s->queue) < atoi(job->params[5]);
    free(s->error);
    s->error = NULL;
    queue_index(s);
    s->keep_forced = false;
}

static void check_moderator(struct pane *p);

/* Appends s to a text[] literal, quoted and escaped. */
static void array_add(char **a, const char *s)
{
    size_t len = strlen(*a);
    char *o;

    *a = xrealloc(*a, len + 2 * strlen(s) + 4);
    o = *a + len;
    *o++ = len > 1 ? ',' : '{';
    *o++ = '"';
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            *o++ = '\\';
        *o++ = *s;
    }
    *o++ = '"';
    *o = '\0';
}

/* The filter takes effect with the spellings that name the comuna (the
 * official one always among them: a fix may write it next). */
static void loaded_comunas(struct pane *p, const PGresult *res)
{
    struct modp *s = moderation_state(p);
    const struct comuna *c = NULL;
    char *a = xstrdup("");

    if (comunas_lookup(s->comuna_want, &c) != COMUNAS_NONE && c)
        array_add(&a, c->name);
    for (int i = 0; i < PQntuples(res); i++)
        if (validate_comuna_selects(s->comuna_want, PQgetvalue(res, i, 0)))
            array_add(&a, PQgetvalue(res, i, 0));
    free(s->comuna);
    free(s->comuna_in);
    s->comuna = s->comuna_want;
    s->comuna_want = NULL;
    s->comuna_in = xasprintf("%s%s}", *a ? "" : "{", a);
    free(a);
    moderation_reload_top(p);
}

static void loaded(struct pane *p, struct db_job *job)
{
    struct modp *s = moderation_state(p);

    if (job->tag == JOB_SCHEMA) {
        s->checked = true;
        s->migrated = strcmp(PQgetvalue(job->result, 0, 0), "t") == 0;
    } else if (job->tag == JOB_TODAY) {
        ctx_today(s, job->result);
    } else if (job->tag == JOB_CBRS && s->ctx_ready) {
        validate_cli_set_cbrs(&s->ctx, job->result);
    } else if (job->tag == JOB_PRICES && s->ctx_ready) {
        validate_cli_set_prices(&s->ctx, job->result);
    } else if (job->tag == JOB_COUNTS) {
        read_counts(s, job->result);
    } else if (job->tag == JOB_AUDITLOG) {
        s->auditlog_missing = strcmp(PQgetvalue(job->result, 0, 0), "t") != 0;
        if (!s->auditlog_missing)
            check_moderator(p);
    } else if (job->tag == JOB_MODERATOR) {
        s->moderator_unknown = atoll(PQgetvalue(job->result, 0, 0)) == 0;
        s->auditlog = !s->moderator_unknown;
    } else if (job->tag == JOB_MORE && s->queue) {
        queue_append(p, job);
    } else if (job->tag == JOB_QUEUE) {
        loaded_queue(p, job);
    } else if (job->tag == JOB_COMUNAS && s->comuna_want) {
        loaded_comunas(p, job->result);
    }
}

static void on_load(struct db_job *job, void *arg)
{
    struct pane *p = arg;
    struct modp *s = moderation_state(p);
    /* a cancelled job may be the pane closing: nothing is sent after it */
    bool again = job->status != DB_JOB_CANCELLED;

    if (job->tag == JOB_MORE)
        s->fetching = false;
    if (job->tag == JOB_COUNTS) {
        s->counting = false;
        if (s->recount_again && again) {
            s->recount_again = false;
            moderation_recount(p);
        }
    }
    if (job->tag == JOB_QUEUE) {
        s->reloading = false;
        s->stale = false; /* a failed reload: the server's check refuses */
        if (s->reload_again && again) {
            s->reload_again = false;
            moderation_reload(p);
        }
    }
    if (job->status != DB_JOB_OK) {
        if (job->tag == JOB_SCHEMA || job->tag == JOB_QUEUE)
            set_error(s, job);
        else if (job->tag == JOB_MORE)
            app_error(_("The next cards could not be loaded: %s"),
                      job->error ? job->error : _("cancelled"));
        else if (job->tag == JOB_COMUNAS && s->comuna_want)
            app_error(_("The comuna filter could not be applied: %s"),
                      job->error ? job->error : _("cancelled"));
    } else if (!job->skipped) {
        loaded(p, job);
    }
    app_redraw();
}

/* The queue and the context need the schema: skipped without it. */
static bool if_migrated(struct db_job *job, void *arg)
{
    (void)job;
    return moderation_state(arg)->migrated;
}

static struct db_job *job_new(struct pane *p, const char *label,
                              const char *sql, int tag, bool needs_schema)
{
    struct db_job *job = db_job_new(label, sql, on_load, p);

    job->tag = tag;
    job->background = tag == JOB_COUNTS || tag == JOB_MORE;
    if (needs_schema)
        job->before_send = if_migrated;
    return job;
}

static void submit(struct pane *p, const char *label, const char *sql,
                   int tag, bool needs_schema)
{
    app_submit(p, job_new(p, label, sql, tag, needs_schema));
}

/* SQL_MODERATION_QUEUE's filters, then the page: after the row last
 * (-1: from the start), limit rows. */
static void queue_params(struct modp *s, struct db_job *job, int last,
                         int limit)
{
    db_job_param(job, s->scraped_only ? "true" : NULL);
    db_job_param(job, s->comuna_in);
    db_job_param(job, s->creator);
    db_job_param(job, last < 0 ? NULL
                               : PQgetvalue(s->queue, last, MOD_C_CREATED));
    db_job_param(job, last < 0 ? NULL : PQgetvalue(s->queue, last, 0));
    db_job_paramf(job, "%d", limit);
}

static void fetch_more(struct pane *p)
{
    struct modp *s = moderation_state(p);
    struct db_job *job;

    if (s->fetching || s->at_end || !s->queue || PQntuples(s->queue) == 0)
        return;
    job = job_new(p, _("Moderation: next cards"), SQL_MODERATION_QUEUE,
                  JOB_MORE, true);
    queue_params(s, job, PQntuples(s->queue) - 1, MOD_PAGE);
    s->fetching = true;
    app_submit(p, job);
}

void moderation_move(struct pane *p, int delta)
{
    struct modp *s = moderation_state(p);

    if (!s->queue)
        return;
    s->chained = 0;
    if (delta > 0 && s->cur + delta >= s->n && (s->fetching || !s->at_end))
        s->want_next = true;
    s->cur += delta;
    if (s->cur >= s->n)
        s->cur = s->n - 1;
    if (s->cur < 0)
        s->cur = 0;
    if (delta > 0 && s->cur + MOD_PREFETCH_MARGIN >= s->n)
        fetch_more(p);
    if (s->want_next)
        app_message("%s", _("Loading the next cards…"));
    app_redraw();
}

/* The queue again, as far as it was loaded (a keyset from the start), so
 * the card shown stays; one reload at a time, another follows it when
 * asked for meanwhile. */
void moderation_reload(struct pane *p)
{
    struct modp *s = moderation_state(p);
    int have = s->queue ? PQntuples(s->queue) : 0;
    struct db_job *job;

    if (s->reloading) {
        s->reload_again = true;
        return;
    }
    keep_current(s);
    job = job_new(p, _("Moderation: queue"), SQL_MODERATION_QUEUE, JOB_QUEUE,
                  true);
    queue_params(s, job, -1, have < MOD_PAGE ? MOD_PAGE
                             : have > 50 * MOD_PAGE ? 50 * MOD_PAGE : have);
    s->reloading = true;
    app_submit(p, job);
    /* Every reload follows a change (a fix, an undo, a refused write) or
     * a refresh: the header's counts follow too. */
    moderation_recount(p);
}

void moderation_recount(struct pane *p)
{
    struct modp *s = moderation_state(p);

    if (s->counting) {
        s->recount_again = true;
        return;
    }
    s->counting = true;
    submit(p, _("Moderation: counts per status"), SQL_MODERATION_STATUS,
           JOB_COUNTS, true);
}

void moderation_reload_at(struct pane *p, const char *keep)
{
    struct modp *s = moderation_state(p);

    if (keep) {
        free(s->keep_id);
        s->keep_id = xstrdup(keep);
        s->keep_forced = true;
    }
    moderation_reload(p);
}

void moderation_reload_top(struct pane *p)
{
    struct modp *s = moderation_state(p);

    queue_clear(s);
    free(s->keep_id);
    s->keep_id = NULL;
    s->keep_forced = false;
    s->keep_pos = 0;
    s->at_end = s->want_next = false;
    moderation_reload(p);
}

void moderation_filter_comuna(struct pane *p, const char *wanted)
{
    struct modp *s = moderation_state(p);

    free(s->comuna_want);
    s->comuna_want = NULL;
    if (!wanted || !*wanted) {
        free(s->comuna);
        free(s->comuna_in);
        s->comuna = s->comuna_in = NULL;
        moderation_reload_top(p);
        return;
    }
    s->comuna_want = xstrdup(wanted);
    submit(p, _("Moderation: comuna spellings"), SQL_MODERATION_COMUNAS,
           JOB_COMUNAS, false);
}

/* The "AuditLog" is written only for a moderator who is a "User" (its
 * foreign key): anyone else would fail every decision. */
static void check_moderator(struct pane *p)
{
    struct modp *s = moderation_state(p);
    struct db_job *job = job_new(p, _("Moderation: moderator"),
                                 SQL_MODERATION_MODERATOR, JOB_MODERATOR,
                                 false);

    db_job_param(job, s->moderator);
    app_submit(p, job);
}

void moderation_refresh(struct pane *p)
{
    struct modp *s = moderation_state(p);

    submit(p, _("Moderation: schema"), SQL_MIGRATE_REVIEW_EXISTS, JOB_SCHEMA,
           false);
    submit(p, _("Moderation: today"), SQL_VALIDATE_TODAY, JOB_TODAY, true);
    submit(p, _("Moderation: registry offices"), SQL_VALIDATE_CBRS, JOB_CBRS,
           true);
    submit(p, _("Moderation: prices per comuna"), SQL_VALIDATE_PRICES,
           JOB_PRICES, true);
    if (s->moderator)
        submit(p, _("Moderation: AuditLog"), SQL_MODERATION_AUDITLOG,
               JOB_AUDITLOG, false);
    moderation_reload(p);
}
