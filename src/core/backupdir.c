/* The backup folder: listing and classifying its files, the retention
 * policy over them, the summary the pane shows, and the verdict cache. */
#include "autoconfig.h"

#include "core/backupdir.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/xalloc.h"
#include "domain/backupname.h"
#include "i18n.h"

static void civil_from_time(time_t t, struct civil_time *out)
{
    struct tm tm;

    if (!localtime_r(&t, &tm)) {
        memset(out, 0, sizeof *out);
        out->year = 1970;
        out->month = out->day = 1;
        return;
    }
    out->year = tm.tm_year + 1900;
    out->month = tm.tm_mon + 1;
    out->day = tm.tm_mday;
    out->hour = tm.tm_hour;
    out->minute = tm.tm_min;
    out->second = tm.tm_sec;
}

static void entry_regular(struct backupdir_entry *e, int dfd,
                          const char *pattern)
{
    struct backupname bn;
    enum backupname_status s = backupname_parse(pattern, e->name, &bn);

    if (s == BACKUPNAME_OK) {
        e->kind = bn.partial ? BACKUPDIR_PARTIAL : BACKUPDIR_BACKUP;
        e->time = bn.time;
        e->time_from_mtime = false;
    } else {
        e->kind = s == BACKUPNAME_BAD_DATE ? BACKUPDIR_BAD_DATE
                                           : BACKUPDIR_OTHER;
    }
    if (e->kind == BACKUPDIR_PARTIAL) {
        e->state = BACKUPVERIFY_PARTIAL;
        e->reason = BACKUPVERIFY_PARTIAL_NAME;
    } else if (e->size == 0) {
        e->state = BACKUPVERIFY_EMPTY;
        e->reason = BACKUPVERIFY_ZERO_BYTES;
    } else if (faccessat(dfd, e->name, R_OK, AT_EACCESS) != 0) {
        e->state = BACKUPVERIFY_UNREADABLE;
        e->reason = BACKUPVERIFY_OPEN_FAILED;
        e->err = errno;
    }
}

static void entry_link(struct backupdir_entry *e, int dfd, off_t size)
{
    size_t cap = size > 0 && size < PATH_MAX ? (size_t)size + 1 : PATH_MAX;
    char *buf = xmalloc(cap);
    ssize_t n = readlinkat(dfd, e->name, buf, cap - 1);

    e->kind = BACKUPDIR_SYMLINK;
    e->link = BACKUPDIR_LINK_OUTSIDE; /* until resolved inside the folder */
    if (n < 0) {
        free(buf);
        return;
    }
    buf[n] = '\0';
    e->link_target = buf;
}

/* Fills what lstat and the name tell; the rest comes after sorting. */
static void entry_classify(struct backupdir_entry *e, int dfd,
                           const char *pattern)
{
    struct stat st;

    e->target_index = -1;
    e->time_from_mtime = true;
    e->reason = BACKUPVERIFY_NOT_REGULAR;
    if (fstatat(dfd, e->name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
        e->kind = BACKUPDIR_VANISHED;
        e->state = BACKUPVERIFY_UNREADABLE;
        e->err = errno;
        civil_from_time(0, &e->time);
        return;
    }
    e->size = st.st_size;
    e->mtime = st.st_mtim;
    if (S_ISREG(st.st_mode)) {
        e->reason = BACKUPVERIFY_OK;
        entry_regular(e, dfd, pattern);
    } else if (S_ISLNK(st.st_mode)) {
        entry_link(e, dfd, st.st_size);
    } else {
        e->kind = S_ISDIR(st.st_mode) ? BACKUPDIR_SUBDIR : BACKUPDIR_SPECIAL;
    }
    if (e->time_from_mtime)
        civil_from_time(st.st_mtim.tv_sec, &e->time);
}

struct sort_key {
    int64_t when;
    const char *name;
    size_t idx;
};

static int cmp_keys(const void *a, const void *b)
{
    const struct sort_key *x = a, *y = b;

    if (x->when != y->when)
        return x->when > y->when ? -1 : 1;
    return strcmp(x->name, y->name);
}

/* Newest first, then by name; keys are computed once, entries moved once. */
static void sort_entries(struct backupdir *d)
{
    struct sort_key *k = xmalloc((d->n ? d->n : 1) * sizeof *k);
    struct backupdir_entry *sorted = xmalloc((d->n ? d->n : 1) * sizeof *sorted);

    for (size_t i = 0; i < d->n; i++)
        k[i] = (struct sort_key){ retention_civil_seconds(&d->entries[i].time),
                                  d->entries[i].name, i };
    qsort(k, d->n, sizeof *k, cmp_keys);
    for (size_t i = 0; i < d->n; i++)
        sorted[i] = d->entries[k[i].idx];
    free(d->entries);
    d->entries = sorted;
    free(k);
}

static void list_folder(struct backupdir *d, DIR *dir, const char *pattern)
{
    size_t cap = 0;
    struct dirent *de;

    while ((de = readdir(dir)) != NULL) {
        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
            continue;
        if (d->n == cap) {
            cap = cap ? cap * 2 : 64;
            d->entries = xrealloc(d->entries, cap * sizeof *d->entries);
        }
        struct backupdir_entry *e = &d->entries[d->n++];
        memset(e, 0, sizeof *e);
        e->name = xstrdup(de->d_name);
        entry_classify(e, dirfd(dir), pattern);
    }
}

struct named {
    const char *name;
    size_t idx;
};

static int cmp_named(const void *a, const void *b)
{
    return strcmp(((const struct named *)a)->name,
                  ((const struct named *)b)->name);
}

/* Index of the entry called name, or -1; by_name is sorted by name. */
static ptrdiff_t find_name(const struct named *by_name, size_t n,
                           const char *name)
{
    struct named key = { name, 0 };
    const struct named *hit = bsearch(&key, by_name, n, sizeof key,
                                      cmp_named);

    return hit ? (ptrdiff_t)hit->idx : -1;
}

/* A link points inside when its target resolves to a regular file listed
 * directly in this folder. */
static void resolve_link(struct backupdir *d, struct backupdir_entry *e,
                         const struct named *by_name)
{
    char *full = backupdir_entry_path(d, e);
    char *real = realpath(full, NULL);
    size_t rl = strlen(d->realpath);

    free(full);
    if (!real) {
        e->link = errno == ENOENT || errno == ELOOP ? BACKUPDIR_LINK_DANGLING
                                                    : BACKUPDIR_LINK_OUTSIDE;
        return;
    }
    if (!strncmp(real, d->realpath, rl) && real[rl] == '/' &&
        !strchr(real + rl + 1, '/')) {
        ptrdiff_t t = find_name(by_name, d->n, real + rl + 1);
        if (t >= 0 && d->entries[t].kind != BACKUPDIR_SYMLINK &&
            d->entries[t].kind != BACKUPDIR_SUBDIR) {
            e->link = BACKUPDIR_LINK_INSIDE;
            e->target_index = t;
        }
    }
    free(real);
}

static void resolve_links(struct backupdir *d)
{
    struct named *by_name = NULL;

    for (size_t i = 0; i < d->n; i++) {
        if (d->entries[i].kind != BACKUPDIR_SYMLINK)
            continue;
        if (!by_name) {
            by_name = xmalloc(d->n * sizeof *by_name);
            for (size_t j = 0; j < d->n; j++)
                by_name[j] = (struct named){ d->entries[j].name, j };
            qsort(by_name, d->n, sizeof *by_name, cmp_named);
        }
        resolve_link(d, &d->entries[i], by_name);
    }
    free(by_name);
}

/* Ages, future times and the size change against the next older backup. */
static void compare_entries(struct backupdir *d, int drop_percent)
{
    const struct backupdir_entry *prev = NULL;
    int64_t now = retention_civil_seconds(&d->now);

    for (size_t i = d->n; i-- > 0;) {
        struct backupdir_entry *e = &d->entries[i];
        e->age = now - retention_civil_seconds(&e->time);
        e->future = e->kind != BACKUPDIR_VANISHED && e->age < 0;
        d->kinds[e->kind]++;
        if (e->kind != BACKUPDIR_BACKUP)
            continue;
        if (prev) {
            e->has_prev = true;
            e->size_change = (int64_t)e->size - (int64_t)prev->size;
            e->size_drop = prev->size > 0 &&
                           (int64_t)e->size * 100 <
                               (int64_t)prev->size * drop_percent;
        }
        prev = e;
    }
}

struct backupdir *backupdir_scan(const char *path,
                                 const struct backupdir_options *opt)
{
    struct backupdir *d = xcalloc(1, sizeof *d);
    const char *pattern = opt->pattern ? opt->pattern
                                       : BACKUPNAME_DEFAULT_PATTERN;
    DIR *dir;
    char *real;

    d->path = xstrdup(path);
    civil_from_time(opt->now, &d->now);
    dir = opendir(path);
    if (!dir) {
        d->err = errno;
        d->realpath = xstrdup(path);
        return d;
    }
    real = realpath(path, NULL);
    d->realpath = xstrdup(real ? real : path);
    free(real);
    list_folder(d, dir, pattern);
    closedir(dir);
    sort_entries(d);
    resolve_links(d);
    compare_entries(d, opt->drop_percent > 0 ? opt->drop_percent : 50);
    return d;
}

void backupdir_free(struct backupdir *d)
{
    if (!d)
        return;
    for (size_t i = 0; i < d->n; i++) {
        free(d->entries[i].name);
        free(d->entries[i].link_target);
    }
    free(d->entries);
    free(d->path);
    free(d->realpath);
    free(d);
}

char *backupdir_error_text(const struct backupdir *d)
{
    if (!d->err)
        return NULL;
    if (d->err == ENOENT)
        return xasprintf(_("The backup folder %s does not exist."), d->path);
    if (d->err == EACCES)
        return xasprintf(_("The backup folder %s cannot be read "
                           "(permission denied)."), d->path);
    if (d->err == ENOTDIR)
        return xasprintf(_("%s is not a folder."), d->path);
    return xasprintf(_("The backup folder %s cannot be read: %s"), d->path,
                     strerror(d->err));
}

char *backupdir_entry_path(const struct backupdir *d,
                           const struct backupdir_entry *e)
{
    size_t pl = strlen(d->path);

    if (pl > 0 && d->path[pl - 1] == '/')
        return xasprintf("%s%s", d->path, e->name);
    return xasprintf("%s/%s", d->path, e->name);
}

bool backupdir_entry_verifiable(const struct backupdir_entry *e)
{
    return (e->kind == BACKUPDIR_BACKUP || e->kind == BACKUPDIR_OTHER ||
            e->kind == BACKUPDIR_BAD_DATE) &&
           e->state == BACKUPVERIFY_UNVERIFIED;
}

void backupdir_entry_set_result(struct backupdir_entry *e,
                                const struct backupverify_result *r)
{
    e->state = r->state;
    e->reason = r->reason;
    e->err = r->err;
    e->stale = r->changed || r->size != e->size ||
               r->mtime.tv_sec != e->mtime.tv_sec ||
               r->mtime.tv_nsec != e->mtime.tv_nsec;
}

bool backupdir_entry_usable(const struct backupdir_entry *e)
{
    return e->kind == BACKUPDIR_BACKUP && !e->future &&
           (e->state == BACKUPVERIFY_VERIFIED ||
            e->state == BACKUPVERIFY_UNVERIFIED);
}

/* Times of the entries selected by want, and their indices. */
static size_t collect_times(const struct backupdir *d,
                            bool (*want)(const struct backupdir_entry *),
                            struct civil_time **times, size_t **idx)
{
    size_t k = 0;

    *times = xmalloc((d->n ? d->n : 1) * sizeof **times);
    *idx = xmalloc((d->n ? d->n : 1) * sizeof **idx);
    for (size_t i = 0; i < d->n; i++) {
        if (!want(&d->entries[i]))
            continue;
        (*times)[k] = d->entries[i].time;
        (*idx)[k++] = i;
    }
    return k;
}

static bool is_backup(const struct backupdir_entry *e)
{
    return e->kind == BACKUPDIR_BACKUP;
}

void backupdir_apply_policy(struct backupdir *d,
                            const struct retention_policy *p)
{
    struct civil_time *times;
    size_t *idx;
    size_t k = collect_times(d, is_backup, &times, &idx);
    struct retention_verdict *v = xmalloc((k ? k : 1) * sizeof *v);

    retention_apply(times, k, p, v);
    for (size_t i = 0; i < k; i++)
        d->entries[idx[i]].keep = v[i];
    free(v);
    free(times);
    free(idx);
}

/* The last night a backup was due: today once the newest backup's time of
 * day has passed (the cron runs at a fixed time), else yesterday. */
static int64_t last_due_day(const struct backupdir *d,
                            const struct civil_time *newest)
{
    int64_t today = retention_days_from_civil(d->now.year, d->now.month,
                                              d->now.day);
    int tod_now = d->now.hour * 3600 + d->now.minute * 60 + d->now.second;
    int tod_new = newest->hour * 3600 + newest->minute * 60 + newest->second;

    return tod_now >= tod_new ? today : today - 1;
}

static int64_t max64(int64_t a, int64_t b)
{
    return a > b ? a : b;
}

static void summarize_missing(const struct backupdir *d,
                              const struct civil_time *times, size_t k,
                              int keep_daily, struct backupdir_summary *out)
{
    /* times are newest first, as the entries. */
    const struct civil_time *old = &times[k - 1];
    int64_t from = retention_days_from_civil(old->year, old->month, old->day);
    int64_t to = last_due_day(d, &times[0]);

    out->missing_from = from;
    out->missing_to = to;
    if (to < from)
        return;
    out->missing_total = retention_missing_days(times, k, from, to, NULL, 0);
    out->missing_n = retention_missing_days(
        times, k, max64(from, to - BACKUPDIR_MISSING_LISTED + 1), to,
        out->missing, BACKUPDIR_MISSING_LISTED);
    if (keep_daily > 0)
        out->missing_recent = retention_missing_days(
            times, k, max64(from, to - keep_daily + 1), to, NULL, 0);
}

static void summarize_points(const struct backupdir *d,
                             struct backupdir_summary *out)
{
    out->newest = out->oldest_usable = out->oldest_restorable = -1;
    for (size_t i = 0; i < d->n; i++) {
        const struct backupdir_entry *e = &d->entries[i];
        if (e->kind != BACKUPDIR_BACKUP)
            continue;
        out->states[e->state]++;
        if (!backupdir_entry_usable(e))
            continue;
        out->usable++;
        if (out->newest < 0)
            out->newest = (ptrdiff_t)i;
        out->oldest_usable = (ptrdiff_t)i;
        if (backupverify_state_restorable(e->state))
            out->oldest_restorable = (ptrdiff_t)i;
    }
}

void backupdir_summarize(const struct backupdir *d,
                         const struct retention_policy *stated,
                         struct backupdir_summary *out)
{
    struct civil_time *times;
    size_t *idx;
    size_t k;

    memset(out, 0, sizeof *out);
    summarize_points(d, out);
    k = collect_times(d, backupdir_entry_usable, &times, &idx);
    retention_cover(times, k, &out->cover);
    out->unmet = retention_met(stated, &out->cover, &out->met);
    if (k > 0)
        summarize_missing(d, times, k, stated->keep_daily, out);
    free(times);
    free(idx);
}

/* ---- the verdict cache ---- */

struct cache_rec {
    char *dir, *name;
    int64_t size, sec;
    long nsec;
    enum backupverify_state state;
    enum backupverify_reason reason;
    bool seen;
};

struct backupdir_cache {
    struct cache_rec *r;
    size_t n, cap;
};

/* Stable identifiers in the file, independent of enum order and language. */
static const char *const state_ids[BACKUPVERIFY_NSTATES] = {
    "unverified", "verified", "corrupt", "truncated", "not-dump",
    "incomplete", "partial", "empty", "unreadable",
};
static const char *const reason_ids[] = {
    "ok", "not-gzip", "bad-data", "bad-crc", "bad-length",
    "trailing-garbage", "eof-early", "grew", "no-header", "no-trailer",
    "open-failed", "read-failed", "not-regular", "zero-bytes", "partial-name",
};
#define NREASONS (sizeof reason_ids / sizeof reason_ids[0])

static int id_lookup(const char *const *ids, size_t n, const char *s)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(ids[i], s))
            return (int)i;
    return -1;
}

static bool state_cacheable(enum backupverify_state s)
{
    return s == BACKUPVERIFY_VERIFIED || s == BACKUPVERIFY_CORRUPT ||
           s == BACKUPVERIFY_TRUNCATED || s == BACKUPVERIFY_NOT_DUMP ||
           s == BACKUPVERIFY_INCOMPLETE;
}

static int rec_cmp_key(const char *dir, const char *name,
                       const struct cache_rec *r)
{
    int c = strcmp(dir, r->dir);

    return c ? c : strcmp(name, r->name);
}

/* Position of (dir, name), or where it would go; *found says which. */
static size_t cache_find(const struct backupdir_cache *c, const char *dir,
                         const char *name, bool *found)
{
    size_t lo = 0, hi = c->n;

    *found = false;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int cmp = rec_cmp_key(dir, name, &c->r[mid]);
        if (cmp == 0) {
            *found = true;
            return mid;
        }
        if (cmp < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

static int cmp_recs(const void *a, const void *b)
{
    const struct cache_rec *x = a, *y = b;

    return rec_cmp_key(x->dir, x->name, y);
}

/* %XX for control bytes, '%' and DEL: names may hold tabs and newlines. */
static void put_escaped(FILE *f, const char *s)
{
    for (; *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch < 0x20 || ch == '%' || ch == 0x7f)
            fprintf(f, "%%%02X", ch);
        else
            putc(ch, f);
    }
}

static int hexval(char ch)
{
    if (ch >= '0' && ch <= '9')
        return ch - '0';
    if (ch >= 'A' && ch <= 'F')
        return ch - 'A' + 10;
    if (ch >= 'a' && ch <= 'f')
        return ch - 'a' + 10;
    return -1;
}

/* Unescapes in place; false on a malformed escape or an empty result. */
static bool unescape(char *s)
{
    char *w = s;

    for (char *p = s; *p; p++) {
        if (*p != '%') {
            *w++ = *p;
            continue;
        }
        int hi = hexval(p[1]), lo = hi < 0 ? -1 : hexval(p[2]);
        if (lo < 0 || (hi == 0 && lo == 0))
            return false;
        *w++ = (char)(hi * 16 + lo);
        p += 2;
    }
    *w = '\0';
    return w != s;
}

static void cache_push(struct backupdir_cache *c, const struct cache_rec *r)
{
    if (c->n == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 64;
        c->r = xrealloc(c->r, c->cap * sizeof *c->r);
    }
    c->r[c->n++] = *r;
}

static bool parse_int(const char *s, int64_t min, int64_t *out)
{
    char *end;
    long long v;

    errno = 0;
    v = strtoll(s, &end, 10);
    if (errno || end == s || *end || v < min)
        return false;
    *out = v;
    return true;
}

/* state \t reason \t size \t sec \t nsec \t dir \t name */
static void cache_parse_line(struct backupdir_cache *c, char *line)
{
    char *f[7], *save = NULL;
    int64_t nsec;
    struct cache_rec r = { 0 };
    int k = 0;

    for (char *t = strtok_r(line, "\t", &save); t && k < 7;
         t = strtok_r(NULL, "\t", &save))
        f[k++] = t;
    if (k != 7 || strtok_r(NULL, "\t", &save))
        return;
    int s = id_lookup(state_ids, BACKUPVERIFY_NSTATES, f[0]);
    int why = id_lookup(reason_ids, NREASONS, f[1]);
    if (s < 0 || why < 0 || !state_cacheable(s) ||
        !parse_int(f[2], 0, &r.size) || !parse_int(f[3], INT64_MIN, &r.sec) ||
        !parse_int(f[4], 0, &nsec) || nsec > 999999999 || !unescape(f[5]) ||
        !unescape(f[6]))
        return;
    r.state = s;
    r.reason = why;
    r.nsec = (long)nsec;
    r.dir = xstrdup(f[5]);
    r.name = xstrdup(f[6]);
    cache_push(c, &r);
}

static void cache_free_rec(struct cache_rec *r)
{
    free(r->dir);
    free(r->name);
}

/* Sorted, and with one record per key. */
static void cache_normalize(struct backupdir_cache *c)
{
    size_t w = 0;

    if (c->n > 1)
        qsort(c->r, c->n, sizeof *c->r, cmp_recs);
    for (size_t i = 0; i < c->n; i++) {
        if (i + 1 < c->n && !cmp_recs(&c->r[i], &c->r[i + 1])) {
            cache_free_rec(&c->r[i]);
            continue;
        }
        c->r[w++] = c->r[i];
    }
    c->n = w;
}

struct backupdir_cache *backupdir_cache_load(const char *file)
{
    struct backupdir_cache *c = xcalloc(1, sizeof *c);
    FILE *f = fopen(file, "re");
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;

    if (!f)
        return c;
    while ((len = getline(&line, &cap, f)) >= 0) {
        if (len > 0 && line[len - 1] == '\n')
            line[len - 1] = '\0';
        if (line[0] != '#')
            cache_parse_line(c, line);
    }
    free(line);
    fclose(f);
    cache_normalize(c);
    return c;
}

static bool rec_matches(const struct cache_rec *r,
                        const struct backupdir_entry *e)
{
    return r->size == (int64_t)e->size && r->sec == (int64_t)e->mtime.tv_sec &&
           r->nsec == e->mtime.tv_nsec;
}

/* Drops unseen records of dir, keeping the order. */
static void cache_drop_unseen(struct backupdir_cache *c, const char *dir)
{
    size_t w = 0;

    for (size_t i = 0; i < c->n; i++) {
        if (!c->r[i].seen && !strcmp(c->r[i].dir, dir)) {
            cache_free_rec(&c->r[i]);
            continue;
        }
        c->r[w++] = c->r[i];
    }
    c->n = w;
}

size_t backupdir_cache_sync(struct backupdir_cache *c, struct backupdir *d)
{
    size_t filled = 0;
    bool found;

    if (d->err)
        return 0;
    for (size_t i = 0; i < c->n; i++)
        c->r[i].seen = false;
    for (size_t i = 0; i < d->n; i++) {
        struct backupdir_entry *e = &d->entries[i];
        size_t at = cache_find(c, d->realpath, e->name, &found);
        if (!found || !rec_matches(&c->r[at], e))
            continue;
        c->r[at].seen = true;
        if (e->state != BACKUPVERIFY_UNVERIFIED)
            continue;
        e->state = c->r[at].state;
        e->reason = c->r[at].reason;
        filled++;
    }
    cache_drop_unseen(c, d->realpath);
    return filled;
}

void backupdir_cache_put(struct backupdir_cache *c, const struct backupdir *d,
                         const struct backupdir_entry *e)
{
    bool found;
    size_t at;

    if (e->stale || !state_cacheable(e->state))
        return;
    at = cache_find(c, d->realpath, e->name, &found);
    if (!found) {
        cache_push(c, &(struct cache_rec){ 0 });
        memmove(&c->r[at + 1], &c->r[at], (c->n - 1 - at) * sizeof *c->r);
        c->r[at].dir = xstrdup(d->realpath);
        c->r[at].name = xstrdup(e->name);
    }
    c->r[at].size = (int64_t)e->size;
    c->r[at].sec = (int64_t)e->mtime.tv_sec;
    c->r[at].nsec = e->mtime.tv_nsec;
    c->r[at].state = e->state;
    c->r[at].reason = e->reason;
    c->r[at].seen = true;
}

/* mkdir -p of file's parent folders (mode 0700: the state dir is private). */
static int make_parents(const char *file)
{
    char *p = xstrdup(file);
    int err = 0;

    for (char *s = strchr(p + 1, '/'); s && !err; s = strchr(s + 1, '/')) {
        *s = '\0';
        if (mkdir(p, 0700) != 0 && errno != EEXIST)
            err = errno;
        *s = '/';
    }
    free(p);
    return err;
}

static int cache_write(const struct backupdir_cache *c, int fd)
{
    FILE *f = fdopen(fd, "w");

    if (!f) {
        int err = errno;
        close(fd);
        return err;
    }
    fputs("# degux-console verification cache 1\n", f);
    for (size_t i = 0; i < c->n; i++) {
        const struct cache_rec *r = &c->r[i];
        fprintf(f, "%s\t%s\t%lld\t%lld\t%ld\t", state_ids[r->state],
                reason_ids[r->reason], (long long)r->size, (long long)r->sec,
                r->nsec);
        put_escaped(f, r->dir);
        putc('\t', f);
        put_escaped(f, r->name);
        putc('\n', f);
    }
    if (ferror(f)) {
        fclose(f);
        return EIO;
    }
    return fclose(f) == 0 ? 0 : errno;
}

int backupdir_cache_save(struct backupdir_cache *c, const char *file)
{
    char *tmp = xasprintf("%s.XXXXXX", file);
    int err = make_parents(file);
    int fd = err ? -1 : mkostemp(tmp, O_CLOEXEC);

    if (!err && fd < 0)
        err = errno;
    if (!err) {
        err = cache_write(c, fd); /* closes fd; mkostemp made it 0600 */
        if (!err && rename(tmp, file) != 0)
            err = errno;
        if (err)
            unlink(tmp);
    }
    free(tmp);
    return err;
}

void backupdir_cache_free(struct backupdir_cache *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->n; i++)
        cache_free_rec(&c->r[i]);
    free(c->r);
    free(c);
}
