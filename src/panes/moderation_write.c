/* The moderation pane's writes: decisions, fixes, edits, deletions and
 * their undo, each one statement (so one transaction) that refuses a row
 * changed since it was shown and writes the audit entry, and the Prisma
 * "AuditLog" row when a moderator is configured. */
#include "autoconfig.h"

#include "panes/moderation.h"

#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "core/sql.h"
#include "core/xalloc.h"
#include "i18n.h"

enum write_kind { W_APPROVE, W_REJECT, W_FLAG, W_FIX, W_EDIT, W_DELETE,
                  W_UNDO };

/* What a server error says, per kind of write. */
static void say_failed(enum write_kind kind, const char *error)
{
    switch (kind) {
    case W_APPROVE:
    case W_REJECT:
    case W_FLAG:
        app_error(_("The decision was not saved: %s"), error);
        break;
    case W_FIX:
        app_error(_("The fix was not saved: %s"), error);
        break;
    case W_EDIT:
        app_error(_("The edit was not saved: %s"), error);
        break;
    case W_DELETE:
        app_error(_("The row was not deleted: %s"), error);
        break;
    case W_UNDO:
        app_error(_("The undo failed: %s"), error);
        break;
    }
}

static const char *const decided_names[] = { N_("approved"),
                                             N_("rejected"), N_("flagged") };

const char *moderation_sql(const struct modp *s, const char *plain,
                           const char *with_auditlog)
{
    return s->auditlog && s->moderator ? with_auditlog : plain;
}

/* The moderator, the _AL statements' last parameter. */
static void add_moderator(const struct modp *s, struct db_job *job)
{
    if (s->auditlog && s->moderator)
        db_job_param(job, s->moderator);
}

/* True when the write was saved; else says why. A lost connection leaves
 * the outcome to the server: one statement commits whole or not at all,
 * and the reload that follows shows which. */
static bool write_saved(const struct db_job *job)
{
    if (job->status == DB_JOB_LOST) {
        app_error(_("The connection to the server was lost before it "
                    "answered: %s. Nothing is ever saved in part; the card "
                    "is reloaded once reconnected to show what is saved"),
                  job->error ? job->error : _("no reason given"));
    } else if (job->status != DB_JOB_OK) {
        say_failed((enum write_kind)job->tag,
                   job->error ? job->error : _("cancelled"));
    } else if (PQntuples(job->result) == 0) {
        app_error("%s", job->tag == W_UNDO
                  ? _("Cannot undo: the row or its review changed since "
                      "(nothing was written)")
                  : _("Changed by someone else since it was shown: nothing "
                      "was saved, the card is reloaded"));
    } else {
        return true;
    }
    return false;
}

/* The audit entry a saved write returned, for undo. */
static void remember(struct modp *s, const struct db_job *job)
{
    free(s->last_audit);
    s->last_audit = xstrdup(PQgetvalue(job->result, 0, 0));
}

/* A decided or deleted row leaves the queue at once: the next card shows
 * without waiting for the reload that follows. */
static void drop_card(struct modp *s, const char *id)
{
    for (int k = 0; k < s->n; k++) {
        if (strcmp(PQgetvalue(s->queue, s->order[k], 0), id) != 0)
            continue;
        memmove(&s->order[k], &s->order[k + 1],
                (size_t)(s->n - k - 1) * sizeof *s->order);
        s->n--;
        if (s->cur > k || s->cur >= s->n)
            s->cur--;
        if (s->cur < 0)
            s->cur = 0;
        return;
    }
}

/* Our own decision moves one row out of pending: the header follows
 * without counting the table again (R or a reload counts it). */
static void count_decided(struct modp *s, enum write_kind kind)
{
    if (!s->counted)
        return;
    s->counts[0] -= s->counts[0] > 0;
    if (kind <= W_FLAG)
        s->counts[1 + kind]++;
}

/* A decided or deleted card left the queue when it was sent, so the next
 * card showed at once; if the write is not saved after all, the queue is
 * reloaded on that card. Anything else reloads the queue (the row
 * changed) on the card shown. */
static void on_write(struct db_job *job, void *arg)
{
    struct pane *p = arg;
    struct modp *s = moderation_state(p);
    bool gone = job->tag <= W_FLAG || job->tag == W_DELETE, saved;

    s->writing--;
    saved = write_saved(job);
    if (saved) {
        remember(s, job);
        if (job->tag <= W_FLAG) {
            s->decided++;
            app_message(_("Saved: %s"), _(decided_names[job->tag]));
        } else if (job->tag == W_DELETE) {
            app_message("%s", _("Deleted: the audit trail keeps the row; u "
                                 "puts it back"));
        } else if (job->tag == W_UNDO) {
            free(s->last_audit);
            s->last_audit = NULL;
            app_message("%s", _("Undone"));
        } else {
            app_message("%s", _("Saved the fix: the card shows the row as "
                                 "it is now"));
        }
        if (gone)
            count_decided(s, (enum write_kind)job->tag);
        else
            s->stale = true;
    }
    /* a cancelled job may be the pane closing: nothing is sent after it */
    if (job->status != DB_JOB_CANCELLED && (!saved || !gone))
        moderation_reload_at(p, gone ? job->params[0] : NULL);
    app_redraw();
}

/* A write on the current card, its check parameters first: id,
 * "updatedAt", xmin. NULL when there is no card. */
static struct db_job *card_job(struct pane *p, enum write_kind kind,
                               const char *plain, const char *al)
{
    struct modp *s = moderation_state(p);
    int row = moderation_row(s);
    struct db_job *job;
    static const char *const labels[] = {
        N_("Moderation: decision"), N_("Moderation: decision"),
        N_("Moderation: decision"), N_("Moderation: fix"),
        N_("Moderation: edit"), N_("Moderation: delete"),
        N_("Moderation: undo") };

    if (row < 0)
        return NULL;
    job = db_job_new(_(labels[kind]), moderation_sql(s, plain, al), on_write,
                     p);
    job->tag = (int)kind;
    job->write = true;
    db_job_param(job, PQgetvalue(s->queue, row, 0));
    db_job_param(job, PQgetvalue(s->queue, row, MOD_C_UPDATED));
    db_job_param(job, PQgetvalue(s->queue, row, MOD_C_XMIN));
    return job;
}

static void send(struct pane *p, struct db_job *job)
{
    struct modp *s = moderation_state(p);

    add_moderator(s, job);
    s->writing++;
    app_submit(p, job);
}

void moderation_decide(struct pane *p, const char *status,
                       const char *action, const char *reason)
{
    struct modp *s = moderation_state(p);
    enum write_kind kind = W_APPROVE;
    struct db_job *job;

    for (int i = 0; i < 3; i++)
        if (strcmp(status, decided_names[i]) == 0)
            kind = (enum write_kind)i;
    job = card_job(p, kind, SQL_MODERATION_DECIDE, SQL_MODERATION_DECIDE_AL);
    if (!job)
        return;
    db_job_param(job, status);
    db_job_param(job, reason);
    db_job_param(job, action);
    db_job_param(job, s->os_user);
    db_job_param(job, PQgetvalue(s->queue, moderation_row(s),
                                 MOD_C_REVIEWED));
    drop_card(s, job->params[0]);
    send(p, job);
}

void moderation_fix(struct pane *p, const char *kind, const char *comuna)
{
    struct modp *s = moderation_state(p);
    struct db_job *job = card_job(p, W_FIX, SQL_MODERATION_FIX,
                                  SQL_MODERATION_FIX_AL);

    if (!job)
        return;
    db_job_param(job, kind);
    db_job_param(job, comuna);
    db_job_param(job, s->os_user);
    send(p, job);
}

void moderation_edit(struct pane *p, const char *column, const char *value,
                     const char *column2, const char *value2)
{
    struct modp *s = moderation_state(p);
    struct db_job *job = card_job(p, W_EDIT, SQL_MODERATION_EDIT,
                                  SQL_MODERATION_EDIT_AL);

    if (!job)
        return;
    db_job_param(job, column);
    db_job_param(job, value);
    db_job_param(job, column2);
    db_job_param(job, value2);
    db_job_param(job, s->os_user);
    send(p, job);
}

void moderation_delete(struct pane *p)
{
    struct modp *s = moderation_state(p);
    struct db_job *job = card_job(p, W_DELETE, SQL_MODERATION_DELETE,
                                  SQL_MODERATION_DELETE_AL);

    if (!job)
        return;
    db_job_param(job, s->os_user);
    drop_card(s, job->params[0]);
    send(p, job);
}

void moderation_undo(struct pane *p)
{
    struct modp *s = moderation_state(p);
    struct db_job *job;

    /* the last write is the one still on its way: its audit id is not
     * known yet */
    if (s->writing > 0) {
        app_message("%s", _("The last write is still being saved: try "
                             "again in a moment"));
        return;
    }
    if (!s->last_audit) {
        app_error("%s", _("Nothing to undo in this session"));
        return;
    }
    job = db_job_new(_("Moderation: undo"),
                     moderation_sql(s, SQL_MODERATION_UNDO,
                                    SQL_MODERATION_UNDO_AL),
                     on_write, p);
    job->tag = W_UNDO;
    job->write = true;
    db_job_param(job, s->last_audit);
    db_job_param(job, s->os_user);
    send(p, job);
}
