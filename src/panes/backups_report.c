/* Backups pane: the batch report (`report backups`, `backup verify`): the
 * files with their states and the rules that keep them, the policy met
 * beside the stated one, and the findings; exit 1 when a finding fails. */
#include "autoconfig.h"

#include "panes/backups.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/report.h"
#include "core/xalloc.h"
#include "i18n.h"
#include "ui/theme.h"

enum { NCOLS = 8 };

static const char *const state_words[BACKUPVERIFY_NSTATES] = {
    "unverified", "verified", "corrupt", "truncated", "not-dump",
    "incomplete", "partial", "empty", "unreadable",
};

/* What is known of the file: a link in the folder has its target's, and
 * what is not a regular file cannot be read as a backup. */
static enum backupverify_state file_state(const struct backups *b,
                                          const struct backupdir_entry *e)
{
    if (e->kind == BACKUPDIR_SYMLINK && e->link != BACKUPDIR_LINK_INSIDE)
        return BACKUPVERIFY_UNREADABLE;
    if (e->kind == BACKUPDIR_SUBDIR || e->kind == BACKUPDIR_SPECIAL ||
        e->kind == BACKUPDIR_VANISHED)
        return BACKUPVERIFY_UNREADABLE;
    return backups_entry_state(b, e);
}

static const char *kind_word(const struct backupdir_entry *e)
{
    static const char *const words[BACKUPDIR_NKINDS] = {
        "backup", "partial", "bad-date", "other", "symlink", "folder",
        "special", "vanished",
    };

    return words[e->kind];
}

static void report_file(const struct backups *b,
                        const struct backupdir_entry *e, struct report *r)
{
    char *time = backups_format_time(&e->time);
    char *size = xasprintf("%lld", (long long)e->size);
    char *kept = backups_kept_words(e);
    enum backupverify_state st = file_state(b, e);
    /* state: one of the six the list shows; detail: the exact verdict. */
    const char *vals[NCOLS] = {
        e->name, time, size, state_words[backupverify_state_class(st)], kept,
        state_words[st], kind_word(e),
        e->time_from_mtime ? "mtime" : e->future ? "future" : "name",
    };

    report_row(r, vals);
    free(time);
    free(size);
    free(kept);
}

static void report_files(const struct backups *b, struct report *r)
{
    static const char *const keys[NCOLS] = { "file", "time", "size", "state",
                                              "kept_by", "detail", "kind",
                                              "time_source" };
    const char *labels[NCOLS] = { _("file"), _("time"), _("size"),
                                  _("state"), _("kept by"), _("detail"),
                                  _("kind"), _("time from") };
    static const enum report_type types[NCOLS] = {
        REPORT_STR, REPORT_STR, REPORT_INT, REPORT_STR, REPORT_LIST,
        REPORT_STR, REPORT_STR, REPORT_STR,
    };

    report_table_begin(r, "files", _("Files"), NCOLS, keys, labels, types);
    for (size_t i = 0; b->bd && i < b->bd->n; i++)
        report_file(b, &b->bd->entries[i], r);
    report_table_end(r);
}

static void report_policy(struct report *r, const char *key,
                          const char *label, const struct retention_policy *p)
{
    report_object_begin(r, key, label);
    report_int(r, "daily", _("daily"), p->keep_daily);
    report_int(r, "weekly", _("weekly"), p->keep_weekly);
    report_int(r, "monthly", _("monthly"), p->keep_monthly);
    report_object_end(r);
}

static void report_points(const struct backups *b, struct report *r)
{
    ptrdiff_t o = b->sum.oldest_restorable, n = b->sum.newest;
    char *oldest = o >= 0 ? backups_format_time(&b->bd->entries[o].time)
                          : NULL;
    char *newest = n >= 0 ? backups_format_time(&b->bd->entries[n].time)
                          : NULL;

    report_str(r, "newest", _("newest usable backup"), newest);
    report_str(r, "oldest_restorable", _("oldest restorable point"),
               oldest);
    report_int(r, "missing_nights", _("missing nights"),
               (long long)b->sum.missing_total);
    report_int(r, "missing_recent", _("missing in the daily window"),
               (long long)b->sum.missing_recent);
    free(oldest);
    free(newest);
}

static int report_findings(const struct backups *b, struct report *r)
{
    static const char *const keys[] = { "severity", "code", "message" };
    const char *labels[] = { _("severity"), _("code"), _("message") };
    static const enum report_type types[] = { REPORT_STR, REPORT_STR,
                                              REPORT_STR };
    int rc = 0;

    report_table_begin(r, "findings", _("Findings"), 3, keys, labels, types);
    for (size_t i = 0; i < b->nfindings; i++) {
        const struct backups_finding *f = &b->findings[i];
        const char *vals[] = { f->severity == THEME_ERROR ? "error"
                                                          : "warning",
                               f->code, f->text };
        report_row(r, vals);
        if (f->fails)
            rc = 1;
    }
    report_table_end(r);
    return rc;
}

int backups_report(struct backups *b, struct report *r)
{
    backups_verify_all(b);
    report_heading(r, _("Backups"));
    report_str(r, "dir", _("folder"), b->dir);
    report_int(r, "max_age_hours", _("maximum age (hours)"), b->max_age_h);
    report_policy(r, "policy_stated", _("policy stated"), &b->stated);
    report_policy(r, "policy_met", _("policy met"), &b->sum.met);
    report_points(b, r);
    if (b->archiver)
        report_str(r, "wal_archiving", _("WAL archiving"), b->archiver);
    if (b->dbsize)
        report_str(r, "database_size", _("database size"), b->dbsize);
    report_files(b, r);
    return report_findings(b, r);
}
