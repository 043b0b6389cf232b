/* The backup folder: what is in it (backups, partial and empty files, other
 * names, links), each file's time, size change and state, the retention
 * policy applied to it, and a cache of verification verdicts keyed by
 * (folder, name, size, mtime) so a second look is instant.
 *
 * Symbolic links are listed with their target and never followed: they do
 * not count as backups (that would count a backup twice) and are not
 * verified themselves; a link to a file in the folder points at that entry
 * (target_index), whose state is the link's. */
#ifndef DEGUX_BACKUPDIR_H
#define DEGUX_BACKUPDIR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include "core/backupverify.h"
#include "domain/retention.h"

enum backupdir_kind {
    BACKUPDIR_BACKUP,   /* regular file named by the pattern */
    BACKUPDIR_PARTIAL,  /* the same with BACKUPNAME_PARTIAL_SUFFIX */
    BACKUPDIR_BAD_DATE, /* the pattern's shape with an impossible date */
    BACKUPDIR_OTHER,    /* regular file with another name */
    BACKUPDIR_SYMLINK,
    BACKUPDIR_SUBDIR,
    BACKUPDIR_SPECIAL,  /* FIFO, socket, device */
    BACKUPDIR_VANISHED, /* listed, but gone (or unstat-able) a moment later */
};
#define BACKUPDIR_NKINDS 8

enum backupdir_link {
    BACKUPDIR_LINK_NONE,     /* not a link */
    BACKUPDIR_LINK_INSIDE,   /* to a file listed in this folder */
    BACKUPDIR_LINK_OUTSIDE,  /* to something elsewhere: not followed */
    BACKUPDIR_LINK_DANGLING, /* to nothing */
};

struct backupdir_entry {
    char *name;
    enum backupdir_kind kind;
    enum backupverify_state state;
    enum backupverify_reason reason;
    int err;                /* errno behind UNREADABLE / VANISHED */
    struct civil_time time; /* local time: from the name, else from mtime */
    bool time_from_mtime;   /* the name carries no time: mark it */
    bool future;            /* time is later than the scan's "now" */
    int64_t age;            /* seconds from time to now (< 0: future) */
    off_t size;
    struct timespec mtime;
    bool has_prev;          /* an older backup exists to compare with */
    int64_t size_change;    /* size minus the next older backup's size */
    bool size_drop;         /* smaller than drop_percent of that one */
    enum backupdir_link link;
    char *link_target;      /* readlink text; NULL when not a link */
    ptrdiff_t target_index; /* LINK_INSIDE: the entry it points to; else -1 */
    struct retention_verdict keep; /* BACKUP entries, after apply_policy */
    bool stale;             /* changed since the scan or while verified: its
                               verdict is shown but not cached */
};

struct backupdir_options {
    const char *pattern; /* NULL: BACKUPNAME_DEFAULT_PATTERN */
    time_t now;          /* for ages and future timestamps */
    int drop_percent;    /* 0: 50, a backup under half the previous one */
};

struct backupdir {
    char *path;      /* as given */
    char *realpath;  /* resolved; the cache's key (path when unresolved) */
    int err;         /* errno from opening the folder; 0 when listed */
    struct backupdir_entry *entries; /* newest first, then by name */
    size_t n;
    size_t kinds[BACKUPDIR_NKINDS];
    struct civil_time now;
};

/* Lists path. Never NULL: a folder that cannot be read gives err and no
 * entries. Free with backupdir_free. */
struct backupdir *backupdir_scan(const char *path,
                                 const struct backupdir_options *opt);
void backupdir_free(struct backupdir *d);
/* Why the folder could not be listed (translated; the caller frees), or
 * NULL when it was. */
char *backupdir_error_text(const struct backupdir *d);
/* dir/name; the caller frees. */
char *backupdir_entry_path(const struct backupdir *d,
                           const struct backupdir_entry *e);
/* A regular, non-empty, readable file with no verdict yet. */
bool backupdir_entry_verifiable(const struct backupdir_entry *e);
/* Records a verification verdict on the entry. */
void backupdir_entry_set_result(struct backupdir_entry *e,
                                const struct backupverify_result *r);
/* Whether the entry counts as a backup one could still restore: BACKUP
 * kind, not dated in the future (a wrong clock or name), and verified or
 * not yet known to be bad. */
bool backupdir_entry_usable(const struct backupdir_entry *e);

/* Fills keep on every BACKUP entry (whatever its state: a pruning script
 * goes by names) with restic's semantics. */
void backupdir_apply_policy(struct backupdir *d,
                            const struct retention_policy *p);

#define BACKUPDIR_MISSING_LISTED 366

struct backupdir_summary {
    size_t states[BACKUPVERIFY_NSTATES]; /* over BACKUP entries */
    size_t usable;
    struct retention_coverage cover;     /* over usable backups */
    struct retention_policy met;         /* what the folder meets */
    unsigned unmet;                      /* stated rules not met */
    /* Nights without a usable backup from the oldest one to the last night
     * one was due: today when the newest backup's time of day has passed,
     * else yesterday. */
    int64_t missing_from, missing_to;    /* retention day numbers */
    size_t missing_total;
    size_t missing_recent;               /* within the last keep_daily */
    int64_t missing[BACKUPDIR_MISSING_LISTED]; /* the most recent, newest
                                                  last */
    size_t missing_n;
    ptrdiff_t newest;            /* newest usable backup, -1 if none */
    ptrdiff_t oldest_restorable; /* oldest verified backup, -1 if none */
    ptrdiff_t oldest_usable;     /* oldest usable backup, -1 if none */
};

void backupdir_summarize(const struct backupdir *d,
                         const struct retention_policy *stated,
                         struct backupdir_summary *out);

/* The verification cache. Loading a missing or damaged file gives an
 * empty cache (damaged lines are skipped). */
struct backupdir_cache;

struct backupdir_cache *backupdir_cache_load(const char *file);
/* Gives entries whose (name, size, mtime) has a cached verdict that
 * verdict, and forgets cached verdicts for this folder's files that are
 * gone or changed. Returns how many entries it filled. */
size_t backupdir_cache_sync(struct backupdir_cache *c, struct backupdir *d);
/* Remembers e's verdict (final verdicts only; not a moving file's). */
void backupdir_cache_put(struct backupdir_cache *c, const struct backupdir *d,
                         const struct backupdir_entry *e);
/* Writes the cache atomically (mode 0600), creating missing directories.
 * Returns 0 or an errno. */
int backupdir_cache_save(struct backupdir_cache *c, const char *file);
void backupdir_cache_free(struct backupdir_cache *c);

#endif
