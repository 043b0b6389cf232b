/* Backups pane, write mode: back up now (pg_dump into NAME.partial,
 * compressed, fsync, rename) and the restore test (a backup restored into a
 * scratch database, every table's row count compared with the live one,
 * the scratch database dropped whatever happens). Children and jobs are
 * driven by the event loop; nothing here blocks it. */
#ifndef DEGUX_PANES_BACKUPS_RUN_H
#define DEGUX_PANES_BACKUPS_RUN_H

#include <stdbool.h>
#include <stdint.h>
#include <zlib.h>

#include "core/db.h"

struct backups_child;
struct pane;

enum backups_run_kind { BACKUPS_RUN_NONE, BACKUPS_RUN_NOW,
                        BACKUPS_RUN_RESTORE };

struct backups_run {
    enum backups_run_kind kind;
    struct pane *pane;           /* owner of the jobs (NULL: batch) */
    struct db *db;
    struct backups_child *child;
    bool done, failed, cancelled;
    char *error;                 /* why it failed, translated */
    char **lines;                /* the outcome, for the view and batch */
    int nlines;
    void (*on_done)(struct backups_run *r, void *arg);
    void *arg;
    /* back up now */
    int fd;
    gzFile gz;
    char *partial, *final;
    uint64_t dumped;             /* bytes from pg_dump */
    /* restore test */
    gzFile src;
    char *file, *scratch, *scratch_q;
    uint64_t src_size;
    char buf[65536];
    size_t len, off;
    int sql_errors;
    int diffs;                   /* tables whose row counts differ */
    bool created, restored;
    PGresult *live;
    char *counts;                /* the scratch side, as psql printed it */
    size_t counts_len;
    int pending;                 /* count jobs and children still running */
};

/* Starts pg_dump into dir (the name from pattern and the clock). NULL with
 * *err when it cannot start. */
struct backups_run *backups_run_now(struct pane *p, struct db *db,
                                    const char *dir, const char *pattern,
                                    char **err);
/* Starts the restore test of file. NULL with *err when it cannot start. */
struct backups_run *backups_run_restore(struct pane *p, struct db *db,
                                        const char *file, char **err);
void backups_run_set_done(struct backups_run *r,
                          void (*fn)(struct backups_run *, void *),
                          void *arg);
/* A progress line while it runs (caller frees). */
char *backups_run_progress(const struct backups_run *r);
/* Stops it: the partial file is removed, the scratch database dropped;
 * on_done follows. */
void backups_run_cancel(struct backups_run *r);
/* Frees a finished run; a running one is stopped first, synchronously
 * (the console is closing): no partial file or scratch database stays. */
void backups_run_free(struct backups_run *r);

#endif
