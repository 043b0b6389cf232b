/* Backups pane, write mode: the keys that back up now, restore-test the
 * selected backup and cancel either, and the same as batch commands
 * (`degux-console backup now|restore-test`). */
#include "autoconfig.h"

#include "panes/backups.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "core/loop.h"
#include "core/xalloc.h"
#include "i18n.h"
#include "panes/backups_run.h"
#include "panes/pane.h"

#define DEFAULT_PATTERN "degux_%Y%m%d_%H%M%S.sql.gz"

static const char *pattern(void)
{
    const struct config *cfg = backups_config();

    return cfg && cfg->backup_pattern ? cfg->backup_pattern : DEFAULT_PATTERN;
}

/* ---- back up now, restore test ------------------------------------------ */

static void on_run_done(struct backups_run *r, void *arg)
{
    struct backups *b = arg;

    if (r->failed)
        app_error("%s", r->error);
    else if (r->nlines)
        app_message("%s", r->lines[0]);
    if (r->kind == BACKUPS_RUN_NOW)
        backups_rescan(b);
    app_redraw();
}

static bool run_busy(struct backups *b)
{
    if (b->run && !b->run->done) {
        app_error("%s", _("A backup or restore test is running (x cancels)"));
        return true;
    }
    backups_run_free(b->run);
    b->run = NULL;
    return false;
}

static void now_confirmed(bool yes, void *arg)
{
    struct backups *b = arg;
    char *err = NULL;

    if (!yes || run_busy(b))
        return;
    b->run = backups_run_now(b->pane, b->pane->db, b->dir, pattern(), &err);
    if (!b->run) {
        app_error("%s", err);
        free(err);
        return;
    }
    backups_run_set_done(b->run, on_run_done, b);
    app_redraw();
}

void backups_act_now(struct pane *p)
{
    struct backups *b = ((struct backups *)p->state);
    char *q;

    if (run_busy(b))
        return;
    q = xasprintf(_("Back up now with pg_dump into %s?"), b->dir);
    app_confirm(q, now_confirmed, b);
    free(q);
}

static void restore_confirmed(bool yes, void *arg)
{
    struct backups *b = arg;
    char *err = NULL;

    if (yes && !run_busy(b)) {
        b->run = backups_run_restore(b->pane, b->pane->db, b->restore_file,
                                     &err);
        if (b->run)
            backups_run_set_done(b->run, on_run_done, b);
        else
            app_error("%s", err);
    }
    free(err);
    free(b->restore_file);
    b->restore_file = NULL;
    app_redraw();
}

void backups_act_restore(struct pane *p)
{
    struct backups *b = ((struct backups *)p->state);
    long row = grid_cursor(b->grid);
    const struct backupdir_entry *e;
    char *q;

    if (run_busy(b) || !b->bd || row < 0 || (size_t)row >= b->bd->n)
        return;
    e = &b->bd->entries[row];
    if ((e->kind != BACKUPDIR_BACKUP && e->kind != BACKUPDIR_OTHER) ||
        !backupverify_state_restorable(e->state)) {
        app_error(_("Only a verified backup can be restore-tested: %s is %s"),
                  e->name, _(backupverify_state_name(e->state)));
        return;
    }
    free(b->restore_file);
    b->restore_file = backupdir_entry_path(b->bd, e);
    q = xasprintf(_("Restore %s into a scratch database, compare every "
                    "table's rows, then drop it?"), e->name);
    app_confirm(q, restore_confirmed, b);
    free(q);
}

void backups_act_cancel(struct pane *p)
{
    struct backups *b = ((struct backups *)p->state);

    if (b->run && !b->run->done) {
        backups_run_cancel(b->run);
        app_message("%s", _("Cancelling…"));
    }
}

static char *newest_verified(struct backups *b)
{
    backups_verify_all(b);
    for (size_t i = 0; i < b->bd->n; i++)
        if (b->bd->entries[i].kind == BACKUPDIR_BACKUP &&
            backupverify_state_restorable(b->bd->entries[i].state))
            return backupdir_entry_path(b->bd, &b->bd->entries[i]);
    return NULL;
}

static struct backups_run *batch_start(struct backups *b, struct db *db,
                                       const char *what, const char *file,
                                       char **err)
{
    char *chosen;
    struct backups_run *r;

    if (strcmp(what, "now") == 0)
        return backups_run_now(NULL, db, b->dir, pattern(), err);
    chosen = file ? xstrdup(file) : newest_verified(b);
    if (!chosen) {
        *err = xasprintf(_("no verified backup in %s"), b->dir);
        return NULL;
    }
    r = backups_run_restore(NULL, db, chosen, err);
    free(chosen);
    return r;
}

int backups_command_run(struct db *db, const char *what, const char *file)
{
    struct backups *b = backups_new();
    char *err = NULL;
    struct backups_run *r;
    int rc;

    backups_rescan(b);
    r = batch_start(b, db, what, file, &err);
    if (!r) {
        fprintf(stderr, "degux-console: %s\n", err);
        free(err);
        backups_free(b);
        return 1;
    }
    while (!r->done)
        loop_run_once(200);
    for (int i = 0; i < r->nlines; i++)
        printf("%s\n", r->lines[i]);
    if (r->failed)
        fprintf(stderr, "degux-console: %s\n", r->error);
    rc = r->failed || r->diffs ? 1 : 0;
    backups_run_free(r);
    backups_free(b);
    return rc;
}

