/* Pane 6, Backups: the backup folder's files, their states and the policy
 * they meet, verification in slices from a loop timer, the backup log's
 * tail, the cron entry, and the server's archiving state. Shared by the
 * model (backups.c), the view (backups_view.c) and the host facts
 * (backups_host.c). */
#ifndef DEGUX_PANES_BACKUPS_H
#define DEGUX_PANES_BACKUPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <curses.h>

#include "core/backupdir.h"
#include "core/config.h"
#include "core/db.h"
#include "domain/retention.h"
#include "ui/grid.h"

#define BACKUPS_LOG_LINES 200

struct pane;
struct report;

/* The configuration and the --dir override the pane uses (set by main
 * before the console or a report runs; neither is copied). */
void backups_configure(const struct config *cfg, const char *dir);
/* `degux-console backup verify`: verifies every file, prints the report
 * (no database needed); returns the report's exit status. */
int backups_command_verify(bool json);
/* `degux-console backup now|restore-test [FILE]` on db (write mode):
 * runs to the end from the loop, prints the outcome; 0, 1 when it failed,
 * 2 for bad usage. */
int backups_command_run(struct db *db, const char *what, const char *file);

struct backups_finding {
    int severity;          /* enum theme_role: THEME_WARNING, THEME_ERROR */
    bool fails;            /* makes the report exit 1 */
    const char *code;      /* stable key: "newest_too_old" */
    char *text;            /* translated */
};

struct backups {
    /* the folder */
    char *dir;
    struct backupdir *bd;
    struct backupdir_summary sum;
    struct retention_policy stated;
    int max_age_h;
    char *cache_path;
    struct backupdir_cache *cache;
    /* verification in slices */
    struct backupverify *job;
    size_t job_index;
    size_t next_index;       /* where to look for the next file */
    int timer;
    uint64_t bytes_done, bytes_total;
    size_t files_done, files_total;
    double last_summary_ms;
    /* findings */
    struct backups_finding *findings;
    size_t nfindings;
    /* the log and cron */
    char *log_path;
    char **log;              /* last lines of the log */
    int nlog;
    char *log_error;
    char *cron;              /* where the cron entry was found, or NULL */
    char *cron_line;
    /* the server */
    char *archiver, *replication, *dbsize;
    /* back up now / restore test (write mode) */
    struct backups_run *run;
    struct pane *pane;
    char *restore_file;      /* asked about, awaiting the answer */
    /* the view */
    struct grid *grid;
    struct grid_source src;
    int grid_top;            /* the list's first line at the last draw */
    char cell[256];
};

/* backups.c: the model. backups_new reads the configuration, the log and
 * cron (no folder scan yet); backups_free releases everything. */
const struct config *backups_config(void);
struct backups *backups_new(void);
void backups_free(struct backups *b);
/* Rescans the folder and restarts verification. */
void backups_rescan(struct backups *b);
/* Runs verification to the end (batch commands). */
void backups_verify_all(struct backups *b);
/* The newest backup entry not dated in the future, or -1. */
ptrdiff_t backups_newest_entry(const struct backups *b);
/* Formats */
char *backups_format_size(int64_t bytes);
char *backups_format_age(int64_t seconds);
char *backups_format_time(const struct civil_time *t);
/* "daily,weekly" (stable words) of a verdict; "" when pruned. */
char *backups_kept_words(const struct backupdir_entry *e);
/* The same translated and separated by spaces, for people (caller frees). */
char *backups_kept_text(const struct backupdir_entry *e);
/* "2 daily, 1 weekly, 1 monthly", each count with its plural (caller
 * frees). */
char *backups_policy_counts(const struct retention_policy *p);
/* The state a row shows (a link shows its target's). */
enum backupverify_state backups_entry_state(const struct backups *b,
                                            const struct backupdir_entry *e);

/* backups_act.c: back up now, restore test, cancel (write mode keys). */
void backups_act_now(struct pane *p);
void backups_act_restore(struct pane *p);
void backups_act_cancel(struct pane *p);

/* backups_view.c */
void backups_view_init(struct backups *b);
void backups_view_draw(struct backups *b, WINDOW *w);

/* backups_host.c: the log tail and the cron entry. */
void backups_host_read_log(struct backups *b);
void backups_host_find_cron(struct backups *b);
/* Whether a log line reports a failure (highlighted). */
bool backups_host_log_error(const char *line);
void backups_host_free(struct backups *b);

/* backups_report.c */
int backups_report(struct backups *b, struct report *r);

#endif
