/* Backup files: verification of gzip'd dumps the test writes with zlib
 * (whole, truncated, corrupt, not a dump, no trailer, empty, several
 * members), and the folder scan over a temporary folder holding every kind
 * of bad input, the verdict cache, and 10,000 files. */
#include "autoconfig.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "core/backupdir.h"
#include "core/backupverify.h"
#include "core/xalloc.h"

#if defined(__SANITIZE_ADDRESS__)
#define SLOW_BUILD 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SLOW_BUILD 1
#endif
#endif

static char tmpdir[256];

static const char header[] =
    "--\n-- PostgreSQL database dump\n--\n\n"
    "\\restrict X52R5gxJCyx0YLoDhGL97ZCdIRaoSLXZXrXfxDXPNh06H9q0Ba3ty2H\n\n"
    "-- Dumped from database version 15.18\n"
    "-- Dumped by pg_dump version 15.18\n\n"
    "SET statement_timeout = 0;\nSET client_encoding = 'UTF8';\n\n"
    "COPY public.referenciales (id, lat, lng, fojas, numero, anio, cbr, "
    "comprador, vendedor, predio, comuna, rol, monto) FROM stdin;\n";
static const char trailer_new[] =
    "\\.\n\n\n--\n-- PostgreSQL database dump complete\n--\n\n"
    "\\unrestrict X52R5gxJCyx0YLoDhGL97ZCdIRaoSLXZXrXfxDXPNh06H9q0Ba3ty2H\n\n";
static const char trailer_old[] =
    "\\.\n\n\n--\n-- PostgreSQL database dump complete\n--\n\n";

/* Deterministic rows shaped like referenciales, so the compressed data is
 * realistic and every run writes the same bytes. */
static size_t dump_rows(char *buf, size_t cap, unsigned rows, uint32_t *seed)
{
    static const char *const comunas[] = { "Ñuñoa", "Providencia",
                                           "Peñalolén", "Las Condes",
                                           "Valparaíso", "Temuco" };
    size_t n = 0;

    for (unsigned i = 0; i < rows && n + 256 < cap; i++) {
        *seed = *seed * 1103515245u + 12345u;
        uint32_t r = *seed >> 8;
        n += (size_t)snprintf(
            buf + n, cap - n,
            "ck%08x\t-33.%06u\t-70.%06u\t%u\t%u\t%u\tCBR Santiago\t"
            "Comprador %u\tVendedor %u\tPredio %u\t%s\t%05u-%04u\t%u\n",
            r, r % 1000000, (r * 7) % 1000000, r % 9000, r % 5000 + 1,
            2000 + r % 25, r % 997, r % 991, r % 983, comunas[r % 6],
            r % 100000, r % 10000, (r % 9000 + 1000) * 10000);
    }
    return n;
}

struct dump_spec {
    bool header, trailer, unrestrict;
    unsigned rows;
    unsigned members; /* 0 or 1: one member; 2: split in two */
};

static char *tpath(const char *name)
{
    return xasprintf("%s/%s", tmpdir, name);
}

static void gz_put(const char *path, const char *mode, const char *data,
                   size_t len)
{
    gzFile g = gzopen(path, mode);

    assert_non_null(g);
    if (len)
        assert_int_equal(gzwrite(g, data, (unsigned)len), (int)len);
    assert_int_equal(gzclose(g), Z_OK);
}

static void put_file(const char *dir, const char *name, const char *text)
{
    char *p = xasprintf("%s/%s", dir, name);
    FILE *f = fopen(p, "w");

    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    free(p);
}

/* Writes the dump text in spec as a gzip file; returns its path. */
static char *make_dump(const char *name, const struct dump_spec *spec)
{
    size_t cap = 256 + (size_t)spec->rows * 256 + sizeof header +
                 sizeof trailer_new;
    char *text = xmalloc(cap), *path = tpath(name);
    size_t n = 0, half;
    uint32_t seed = 42;

    if (spec->header)
        n += (size_t)snprintf(text, cap, "%s", header);
    else
        n += (size_t)snprintf(text, cap, "just some text, no dump here\n");
    n += dump_rows(text + n, cap - n, spec->rows, &seed);
    if (spec->trailer)
        n += (size_t)snprintf(text + n, cap - n, "%s",
                              spec->unrestrict ? trailer_new : trailer_old);
    half = spec->members == 2 ? n / 2 : n;
    gz_put(path, "wb", text, half);
    if (half < n)
        gz_put(path, "ab", text + half, n - half);
    free(text);
    return path;
}

static off_t file_size(const char *path)
{
    struct stat st;

    assert_int_equal(stat(path, &st), 0);
    return st.st_size;
}

static void poke(const char *path, off_t at, unsigned char xor_with)
{
    int fd = open(path, O_RDWR);
    unsigned char b;

    assert_true(fd >= 0);
    assert_int_equal(pread(fd, &b, 1, at), 1);
    b ^= xor_with;
    assert_int_equal(pwrite(fd, &b, 1, at), 1);
    close(fd);
}

static void append_bytes(const char *path, const char *bytes, size_t n)
{
    int fd = open(path, O_WRONLY | O_APPEND);

    assert_true(fd >= 0);
    assert_int_equal(write(fd, bytes, n), (ssize_t)n);
    close(fd);
}

static void expect(const char *path, enum backupverify_state s,
                   enum backupverify_reason r)
{
    struct backupverify_result res;

    backupverify_file(path, &res);
    if (res.state != s || res.reason != r)
        fail_msg("%s: %s (%s), expected %s (%s)", path,
                 backupverify_state_name(res.state),
                 backupverify_reason_text(res.reason),
                 backupverify_state_name(s), backupverify_reason_text(r));
}

static const struct dump_spec whole = { true, true, true, 20000, 1 };

static void test_whole_dump(void **state)
{
    char *p = make_dump("whole.sql.gz", &whole);
    struct dump_spec old = whole;
    struct backupverify_result res;

    (void)state;
    backupverify_file(p, &res);
    assert_int_equal(res.state, BACKUPVERIFY_VERIFIED);
    assert_int_equal(res.members, 1);
    assert_true(res.text_bytes > 20000u * 80);
    assert_int_equal(res.offset, (uint64_t)file_size(p));
    assert_false(res.changed);
    free(p);
    old.unrestrict = false; /* pg_dump before the 2025 minor releases */
    p = make_dump("old.sql.gz", &old);
    expect(p, BACKUPVERIFY_VERIFIED, BACKUPVERIFY_OK);
    free(p);
}

static void test_truncated(void **state)
{
    char *p = make_dump("truncated.sql.gz", &whole);

    (void)state;
    assert_int_equal(truncate(p, file_size(p) / 2), 0);
    expect(p, BACKUPVERIFY_TRUNCATED, BACKUPVERIFY_EOF_EARLY);
    assert_int_equal(truncate(p, 5), 0); /* inside the gzip header */
    expect(p, BACKUPVERIFY_TRUNCATED, BACKUPVERIFY_EOF_EARLY);
    free(p);
}

static void test_corrupt(void **state)
{
    char *p = make_dump("corrupt.sql.gz", &whole);
    off_t size = file_size(p);
    struct backupverify_result res;

    (void)state;
    poke(p, size / 2, 0xff);
    backupverify_file(p, &res);
    assert_int_equal(res.state, BACKUPVERIFY_CORRUPT);
    assert_true(res.reason == BACKUPVERIFY_BAD_DATA ||
                res.reason == BACKUPVERIFY_BAD_CRC);
    assert_true(res.offset > 0 && res.offset <= (uint64_t)size);
    free(p);
    /* The trailer: CRC-32 then the length, 4 bytes each. */
    p = make_dump("badcrc.sql.gz", &whole);
    poke(p, file_size(p) - 8, 0x01);
    expect(p, BACKUPVERIFY_CORRUPT, BACKUPVERIFY_BAD_CRC);
    free(p);
    p = make_dump("badlen.sql.gz", &whole);
    poke(p, file_size(p) - 2, 0x01);
    expect(p, BACKUPVERIFY_CORRUPT, BACKUPVERIFY_BAD_LENGTH);
    free(p);
}

static void test_not_a_dump(void **state)
{
    struct dump_spec text = { false, false, false, 100, 1 };
    struct dump_spec notrailer = { true, false, false, 1000, 1 };
    char *p = make_dump("text.gz", &text);
    FILE *f;

    (void)state;
    expect(p, BACKUPVERIFY_NOT_DUMP, BACKUPVERIFY_NO_HEADER);
    free(p);
    p = make_dump("notrailer.sql.gz", &notrailer);
    expect(p, BACKUPVERIFY_INCOMPLETE, BACKUPVERIFY_NO_TRAILER);
    free(p);
    /* A plain, uncompressed dump is not what the folder should hold. */
    p = tpath("plain.sql");
    assert_non_null(f = fopen(p, "w"));
    fputs(header, f);
    fputs(trailer_new, f);
    fclose(f);
    expect(p, BACKUPVERIFY_CORRUPT, BACKUPVERIFY_NOT_GZIP);
    free(p);
    p = tpath("x.gz");
    put_file(tmpdir, "x.gz", "x");
    expect(p, BACKUPVERIFY_CORRUPT, BACKUPVERIFY_NOT_GZIP);
    put_file(tmpdir, "x.gz", "\x1f");
    expect(p, BACKUPVERIFY_TRUNCATED, BACKUPVERIFY_EOF_EARLY);
    free(p);
    p = tpath("short.gz");
    gz_put(p, "wb", "--\n", 3);
    expect(p, BACKUPVERIFY_NOT_DUMP, BACKUPVERIFY_NO_HEADER);
    free(p);
}

static void test_empty_and_unreadable(void **state)
{
    char *p = tpath("empty.sql.gz");
    char *link = tpath("link.sql.gz");
    char *fifo = tpath("fifo.sql.gz");
    struct backupverify_result res;

    (void)state;
    fclose(fopen(p, "w"));
    expect(p, BACKUPVERIFY_EMPTY, BACKUPVERIFY_ZERO_BYTES);
    backupverify_file(tmpdir, &res); /* a folder */
    assert_int_equal(res.reason, BACKUPVERIFY_NOT_REGULAR);
    assert_int_equal(mkfifo(fifo, 0600), 0);
    expect(fifo, BACKUPVERIFY_UNREADABLE, BACKUPVERIFY_NOT_REGULAR);
    assert_int_equal(symlink(p, link), 0);
    backupverify_file(link, &res); /* links are never followed */
    assert_int_equal(res.state, BACKUPVERIFY_UNREADABLE);
    assert_int_equal(res.reason, BACKUPVERIFY_OPEN_FAILED);
    free(p);
    p = tpath("does-not-exist.sql.gz");
    backupverify_file(p, &res);
    assert_int_equal(res.state, BACKUPVERIFY_UNREADABLE);
    assert_int_equal(res.err, ENOENT);
    free(p);
    free(link);
    free(fifo);
}

static void test_members_and_padding(void **state)
{
    struct dump_spec two = whole;
    char *p;
    struct backupverify_result res;
    static const char zeros[1024];

    (void)state;
    two.members = 2;
    p = make_dump("two.sql.gz", &two);
    backupverify_file(p, &res);
    assert_int_equal(res.state, BACKUPVERIFY_VERIFIED);
    assert_int_equal(res.members, 2);
    append_bytes(p, zeros, sizeof zeros); /* tape-style zero padding */
    expect(p, BACKUPVERIFY_VERIFIED, BACKUPVERIFY_OK);
    append_bytes(p, "garbage", 7);
    expect(p, BACKUPVERIFY_CORRUPT, BACKUPVERIFY_TRAILING_GARBAGE);
    free(p);
    p = make_dump("garbage.sql.gz", &whole);
    append_bytes(p, "\x1f\x8b\x08", 3); /* a member that never completes */
    expect(p, BACKUPVERIFY_TRUNCATED, BACKUPVERIFY_EOF_EARLY);
    free(p);
    p = make_dump("junk.sql.gz", &whole);
    append_bytes(p, "junk", 4);
    expect(p, BACKUPVERIFY_CORRUPT, BACKUPVERIFY_TRAILING_GARBAGE);
    free(p);
}

/* Slices: progress only grows, and the verdict equals the one-call one. */
static void test_steps(void **state)
{
    char *p = make_dump("steps.sql.gz", &whole);
    struct backupverify *v = backupverify_open(p);
    uint64_t last = 0, total = backupverify_bytes_total(v);
    int steps = 0;

    (void)state;
    assert_int_equal(total, (uint64_t)file_size(p));
    while (!backupverify_step(v, 64 * 1024)) {
        uint64_t now = backupverify_bytes_read(v);
        assert_true(now > last && now <= total);
        last = now;
        steps++;
    }
    assert_true(backupverify_done(v));
    assert_true(steps >= 2);
    assert_int_equal(backupverify_result(v)->state, BACKUPVERIFY_VERIFIED);
    assert_true(backupverify_step(v, 1)); /* done stays done */
    backupverify_close(v);
    free(p);
}

static void test_tail(void **state)
{
    static const char *const good[] = {
        "x\n-- PostgreSQL database dump complete\n",
        "x\n-- PostgreSQL database dump complete\n--\n\n",
        "x\n-- PostgreSQL database dump complete\n--\n\n\\unrestrict k\n\n",
        "-- PostgreSQL database dump complete",
        "x\n-- PostgreSQL database dump complete \r\n\n \n",
    };
    static const char *const bad[] = {
        "", "\n\n", "--\n", "x\n-- PostgreSQL database dump\n--\n",
        "x\n-- PostgreSQL database dump complete\nCOPY t FROM stdin;\n",
        "x\n-- PostgreSQL database dump completed\n",
        "x\n-- PostgreSQL database dump comp",
    };

    (void)state;
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
        if (!backupverify_tail_complete(good[i], strlen(good[i])))
            fail_msg("good tail %zu rejected", i);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (backupverify_tail_complete(bad[i], strlen(bad[i])))
            fail_msg("bad tail %zu accepted", i);
    assert_int_equal(backupverify_state_class(BACKUPVERIFY_TRUNCATED),
                     BACKUPVERIFY_PARTIAL);
    assert_int_equal(backupverify_state_class(BACKUPVERIFY_NOT_DUMP),
                     BACKUPVERIFY_CORRUPT);
    assert_string_equal(backupverify_state_name(BACKUPVERIFY_EMPTY), "empty");
}

/* ---- the folder ---- */

static time_t local_time(int y, int mo, int d, int h, int mi)
{
    struct tm tm = { .tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d,
                     .tm_hour = h, .tm_min = mi, .tm_isdst = -1 };

    return mktime(&tm);
}

static char *make_folder(const char *name)
{
    char *dir = tpath(name);

    assert_int_equal(mkdir(dir, 0700), 0);
    return dir;
}

static void put_dump(const char *dir, const char *name, unsigned rows)
{
    struct dump_spec spec = { true, true, true, rows, 1 };
    char *rel = xasprintf("%s/%s", strrchr(dir, '/') + 1, name);
    free(make_dump(rel, &spec));
    free(rel);
}

static const struct backupdir_entry *entry(const struct backupdir *d,
                                           const char *name)
{
    for (size_t i = 0; i < d->n; i++)
        if (!strcmp(d->entries[i].name, name))
            return &d->entries[i];
    fail_msg("%s not listed", name);
    return NULL;
}

static ptrdiff_t entry_index(const struct backupdir *d, const char *name)
{
    return entry(d, name) - d->entries;
}

static char *mixed_dir;

static void build_mixed_folder(void)
{
    char *p;

    mixed_dir = make_folder("mixed");
    put_dump(mixed_dir, "degux_20250314_030000.sql.gz", 1000);
    put_dump(mixed_dir, "degux_20250313_030000.sql.gz", 100);
    put_dump(mixed_dir, "degux_20250312_030000.sql.gz", 1000);
    put_file(mixed_dir, "degux_20250311_030000.sql.gz", "");
    put_dump(mixed_dir, "degux_20250309_030000.sql.gz", 1000);
    put_dump(mixed_dir, "degux_20991231_030000.sql.gz", 1000);
    put_file(mixed_dir, "degux_20250315_030000.sql.gz.partial", "\x1f\x8b");
    put_file(mixed_dir, "degux_20250230_030000.sql.gz", "x");
    put_file(mixed_dir, "notes.txt", "restore with gunzip -c FILE | psql\n");
    p = xasprintf("%s/notes.txt", mixed_dir);
    const struct timespec ts[2] = {
        { local_time(2025, 1, 2, 10, 30), 0 },
        { local_time(2025, 1, 2, 10, 30), 0 },
    };
    assert_int_equal(utimensat(AT_FDCWD, p, ts, 0), 0);
    free(p);
    put_file(mixed_dir, "name\twith\ntabs%.sql.gz", "x");
    p = xasprintf("%s/latest.sql.gz", mixed_dir);
    assert_int_equal(symlink("degux_20250314_030000.sql.gz", p), 0);
    free(p);
    p = xasprintf("%s/outside.sql.gz", mixed_dir);
    assert_int_equal(symlink("/etc/passwd", p), 0);
    free(p);
    p = xasprintf("%s/dangling.sql.gz", mixed_dir);
    assert_int_equal(symlink("degux_19990101_030000.sql.gz", p), 0);
    free(p);
    p = xasprintf("%s/old", mixed_dir);
    assert_int_equal(mkdir(p, 0700), 0);
    free(p);
    p = xasprintf("%s/pipe", mixed_dir);
    assert_int_equal(mkfifo(p, 0600), 0);
    free(p);
}

static struct backupdir *scan_mixed(void)
{
    struct backupdir_options opt = { NULL, local_time(2025, 3, 14, 12, 0),
                                     0 };

    return backupdir_scan(mixed_dir, &opt);
}

static void test_dir_kinds(void **state)
{
    struct backupdir *d = scan_mixed();
    const struct backupdir_entry *e;

    (void)state;
    assert_int_equal(d->err, 0);
    assert_null(backupdir_error_text(d));
    assert_int_equal(d->n, 15);
    assert_int_equal(d->kinds[BACKUPDIR_BACKUP], 6);
    e = entry(d, "degux_20250314_030000.sql.gz");
    assert_int_equal(e->kind, BACKUPDIR_BACKUP);
    assert_false(e->time_from_mtime);
    assert_int_equal(e->time.hour, 3);
    assert_int_equal(e->age, 9 * 3600);
    assert_int_equal(e->state, BACKUPVERIFY_UNVERIFIED);
    assert_true(backupdir_entry_verifiable(e));
    e = entry(d, "degux_20250311_030000.sql.gz");
    assert_int_equal(e->state, BACKUPVERIFY_EMPTY);
    assert_false(backupdir_entry_verifiable(e));
    e = entry(d, "degux_20250315_030000.sql.gz.partial");
    assert_int_equal(e->kind, BACKUPDIR_PARTIAL);
    assert_int_equal(e->state, BACKUPVERIFY_PARTIAL);
    assert_true(e->future);
    e = entry(d, "degux_20991231_030000.sql.gz");
    assert_true(e->future);
    assert_true(e->age < 0);
    assert_int_equal(entry(d, "degux_20250230_030000.sql.gz")->kind,
                     BACKUPDIR_BAD_DATE);
    e = entry(d, "notes.txt");
    assert_int_equal(e->kind, BACKUPDIR_OTHER);
    assert_true(e->time_from_mtime);
    assert_int_equal(e->time.month, 1);
    assert_int_equal(e->time.day, 2);
    assert_int_equal(e->time.hour, 10);
    assert_int_equal(entry(d, "old")->kind, BACKUPDIR_SUBDIR);
    assert_int_equal(entry(d, "pipe")->kind, BACKUPDIR_SPECIAL);
    assert_int_equal(entry(d, "name\twith\ntabs%.sql.gz")->kind,
                     BACKUPDIR_OTHER);
    backupdir_free(d);
}

static void test_dir_links(void **state)
{
    struct backupdir *d = scan_mixed();
    const struct backupdir_entry *e = entry(d, "latest.sql.gz");

    (void)state;
    assert_int_equal(e->kind, BACKUPDIR_SYMLINK);
    assert_int_equal(e->link, BACKUPDIR_LINK_INSIDE);
    assert_string_equal(e->link_target, "degux_20250314_030000.sql.gz");
    assert_int_equal(e->target_index,
                     entry_index(d, "degux_20250314_030000.sql.gz"));
    assert_false(backupdir_entry_verifiable(e));
    e = entry(d, "outside.sql.gz");
    assert_int_equal(e->link, BACKUPDIR_LINK_OUTSIDE);
    assert_int_equal(e->target_index, -1);
    e = entry(d, "dangling.sql.gz");
    assert_int_equal(e->link, BACKUPDIR_LINK_DANGLING);
    assert_int_equal(d->kinds[BACKUPDIR_SYMLINK], 3);
    backupdir_free(d);
}

static void test_dir_order_and_sizes(void **state)
{
    struct backupdir *d = scan_mixed();
    static const char *const order[] = {
        "degux_20991231_030000.sql.gz", "degux_20250315_030000.sql.gz.partial",
        "degux_20250314_030000.sql.gz", "degux_20250313_030000.sql.gz",
        "degux_20250312_030000.sql.gz", "degux_20250311_030000.sql.gz",
        "degux_20250309_030000.sql.gz",
    };
    const struct backupdir_entry *e;

    (void)state;
    for (size_t i = 1; i < sizeof order / sizeof order[0]; i++)
        assert_true(entry_index(d, order[i - 1]) < entry_index(d, order[i]));
    e = entry(d, "degux_20250313_030000.sql.gz");
    assert_true(e->has_prev && e->size_drop && e->size_change < 0);
    e = entry(d, "degux_20250314_030000.sql.gz");
    assert_true(e->has_prev && !e->size_drop && e->size_change > 0);
    assert_true(entry(d, "degux_20250311_030000.sql.gz")->size_drop);
    e = entry(d, "degux_20250312_030000.sql.gz");
    assert_false(e->size_drop); /* after an empty one: growth */
    assert_int_equal(e->size_change, e->size);
    assert_false(entry(d, "degux_20250309_030000.sql.gz")->has_prev);
    backupdir_free(d);
}

static void test_dir_policy(void **state)
{
    struct backupdir *d = scan_mixed();
    struct retention_policy p = { 0, 0, 7, 4, 6, 0 };
    struct backupdir_summary s;
    const unsigned dwm = RETENTION_DAILY | RETENTION_WEEKLY |
                         RETENTION_MONTHLY;
    int y, m, day;

    (void)state;
    backupdir_apply_policy(d, &p);
    assert_int_equal(entry(d, "degux_20991231_030000.sql.gz")->keep.rules,
                     dwm);
    assert_int_equal(entry(d, "degux_20250314_030000.sql.gz")->keep.rules,
                     dwm);
    assert_int_equal(entry(d, "degux_20250313_030000.sql.gz")->keep.rules,
                     RETENTION_DAILY);
    assert_int_equal(entry(d, "degux_20250309_030000.sql.gz")->keep.oldest,
                     RETENTION_MONTHLY);
    backupdir_summarize(d, &p, &s);
    /* Usable: the 14th, 13th, 12th and 9th (not the empty 11th nor the
     * one dated 2099). */
    assert_int_equal(s.usable, 4);
    assert_int_equal(s.states[BACKUPVERIFY_EMPTY], 1);
    assert_int_equal(s.cover.days, 4);
    assert_int_equal(s.cover.weeks, 2);
    assert_int_equal(s.cover.months, 1);
    assert_int_equal(s.unmet, dwm);
    assert_int_equal(s.met.keep_daily, 4);
    assert_int_equal(s.missing_total, 2);
    assert_int_equal(s.missing_recent, 2);
    assert_int_equal(s.missing_n, 2);
    retention_civil_from_days(s.missing[0], &y, &m, &day);
    assert_int_equal(day, 10);
    retention_civil_from_days(s.missing[1], &y, &m, &day);
    assert_int_equal(day, 11);
    assert_int_equal(s.newest, entry_index(d, "degux_20250314_030000.sql.gz"));
    assert_int_equal(s.oldest_usable,
                     entry_index(d, "degux_20250309_030000.sql.gz"));
    assert_int_equal(s.oldest_restorable, -1); /* nothing verified yet */
    backupdir_free(d);
}

static size_t verify_all(struct backupdir *d, struct backupdir_cache *c)
{
    size_t done = 0;

    for (size_t i = 0; i < d->n; i++) {
        struct backupdir_entry *e = &d->entries[i];
        struct backupverify_result r;
        if (!backupdir_entry_verifiable(e))
            continue;
        char *path = backupdir_entry_path(d, e);
        backupverify_file(path, &r);
        free(path);
        backupdir_entry_set_result(e, &r);
        backupdir_cache_put(c, d, e);
        done++;
    }
    return done;
}

static void test_dir_cache(void **state)
{
    char *file = xasprintf("%s/state/degux-console/verify-cache", tmpdir);
    struct backupdir *d = scan_mixed();
    struct backupdir_cache *c = backupdir_cache_load(file);
    struct retention_policy p = { 0, 0, 7, 4, 6, 0 };
    struct backupdir_summary s;
    struct stat st;

    (void)state;
    assert_int_equal(backupdir_cache_sync(c, d), 0);
    /* 5 dumps, the impossible date, notes.txt and the tab-named file. */
    assert_int_equal(verify_all(d, c), 8);
    assert_int_equal(entry(d, "notes.txt")->state, BACKUPVERIFY_CORRUPT);
    assert_int_equal(entry(d, "notes.txt")->reason, BACKUPVERIFY_NOT_GZIP);
    assert_int_equal(entry(d, "degux_20250314_030000.sql.gz")->state,
                     BACKUPVERIFY_VERIFIED);
    backupdir_summarize(d, &p, &s);
    assert_int_equal(s.oldest_restorable,
                     entry_index(d, "degux_20250309_030000.sql.gz"));
    assert_int_equal(backupdir_cache_save(c, file), 0);
    assert_int_equal(stat(file, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    backupdir_cache_free(c);
    backupdir_free(d);

    /* A second look: every verdict comes from the cache, none is redone. */
    char *changed = xasprintf("%s/degux_20250312_030000.sql.gz", mixed_dir);
    const struct timespec ts[2] = { { 0, UTIME_NOW }, { 0, UTIME_NOW } };
    d = scan_mixed();
    c = backupdir_cache_load(file);
    assert_int_equal(backupdir_cache_sync(c, d), 8);
    assert_int_equal(verify_all(d, c), 0);
    assert_int_equal(entry(d, "name\twith\ntabs%.sql.gz")->state,
                     BACKUPVERIFY_CORRUPT);
    backupdir_free(d);
    /* A file whose mtime changed is looked at again. */
    assert_int_equal(utimensat(AT_FDCWD, changed, ts, 0), 0);
    d = scan_mixed();
    assert_int_equal(backupdir_cache_sync(c, d), 7);
    assert_int_equal(entry(d, "degux_20250312_030000.sql.gz")->state,
                     BACKUPVERIFY_UNVERIFIED);
    assert_int_equal(verify_all(d, c), 1);
    backupdir_cache_free(c);
    backupdir_free(d);
    free(changed);
    free(file);
}

static void test_dir_cache_damaged(void **state)
{
    char *file = tpath("damaged-cache");
    FILE *f = fopen(file, "w");
    struct backupdir_cache *c;
    struct backupdir *d = scan_mixed();

    (void)state;
    assert_non_null(f);
    fprintf(f, "garbage line\nverified\tok\t-1\t0\t0\t/x\ty\n"
               "verified\tok\t1\t2\t3\t/x\t%%0\nverified\tnope\t1\t2\t3\ta\tb\n"
               "unverified\tok\t1\t2\t3\ta\tb\n\n");
    fclose(f);
    c = backupdir_cache_load(file);
    assert_int_equal(backupdir_cache_sync(c, d), 0);
    backupdir_cache_free(c);
    c = backupdir_cache_load("/nonexistent/cache");
    assert_int_equal(backupdir_cache_sync(c, d), 0);
    assert_int_not_equal(backupdir_cache_save(c, "/proc/degux/cache"), 0);
    backupdir_cache_free(c);
    backupdir_free(d);
    free(file);
}

static void test_dir_missing_and_unreadable(void **state)
{
    struct backupdir_options opt = { NULL, time(NULL), 0 };
    char *p = tpath("no-such-folder");
    struct backupdir *d = backupdir_scan(p, &opt);
    char *msg = backupdir_error_text(d);

    (void)state;
    assert_int_equal(d->err, ENOENT);
    assert_int_equal(d->n, 0);
    assert_non_null(strstr(msg, "no-such-folder"));
    free(msg);
    backupdir_free(d);
    free(p);
    p = tpath("whole.sql.gz"); /* a file, not a folder */
    d = backupdir_scan(p, &opt);
    assert_int_equal(d->err, ENOTDIR);
    backupdir_free(d);
    free(p);
}

/* Checks run in a child as a user that the permissions bind: root reads
 * every file, so as root the child drops to nobody. Returns which check
 * failed (0: none). */
static int unreadable_checks(const char *dir)
{
    struct backupdir_options opt = { NULL, time(NULL), 0 };
    struct backupdir *d = backupdir_scan(dir, &opt);
    int failed = 0;

    if (d->n != 1)
        failed = 1;
    else if (d->entries[0].state != BACKUPVERIFY_UNREADABLE)
        failed = 2;
    else if (d->entries[0].err != EACCES)
        failed = 3;
    else if (backupdir_entry_verifiable(&d->entries[0]))
        failed = 4;
    backupdir_free(d);
    if (failed)
        return failed;
    char *p = xasprintf("%s/degux_20250310_030000.sql.gz", dir);
    struct backupverify_result r;
    backupverify_file(p, &r);
    free(p);
    if (r.state != BACKUPVERIFY_UNREADABLE || r.err != EACCES)
        return 5;
    return 0;
}

static int run_as_user(const char *dir, bool locked_folder)
{
    pid_t pid = fork();
    int status;

    if (pid == 0) {
        int rc;
        if (geteuid() == 0 && (setgid(65534) != 0 || setuid(65534) != 0))
            _exit(77);
        if (locked_folder) {
            struct backupdir_options opt = { NULL, time(NULL), 0 };
            struct backupdir *d = backupdir_scan(dir, &opt);
            rc = d->err == EACCES && d->n == 0 ? 0 : 6;
            backupdir_free(d);
        } else {
            rc = unreadable_checks(dir);
        }
        _exit(rc);
    }
    assert_true(pid > 0);
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    return WEXITSTATUS(status);
}

static void test_dir_unreadable_file(void **state)
{
    char *dir = make_folder("locked");
    char *p = xasprintf("%s/degux_20250310_030000.sql.gz", dir);
    int rc;

    (void)state;
    put_dump(dir, "degux_20250310_030000.sql.gz", 10);
    assert_int_equal(chmod(p, 0), 0);
    /* nobody must reach the folder: open the path to it for traversal. */
    assert_int_equal(chmod(tmpdir, 0711), 0);
    assert_int_equal(chmod(dir, 0755), 0);
    rc = run_as_user(dir, false);
    if (rc == 77) {
        printf("# unreadable files not checked: cannot drop root\n");
    } else {
        assert_int_equal(rc, 0);
        assert_int_equal(chmod(dir, 0), 0);
        assert_int_equal(run_as_user(dir, true), 0);
    }
    chmod(dir, 0700);
    chmod(p, 0600);
    chmod(tmpdir, 0700);
    free(p);
    free(dir);
}

static double now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* 10,000 hourly backups, every tenth empty, plus a few strangers. */
static void test_dir_ten_thousand(void **state)
{
    char *dir = make_folder("many");
    int64_t day0 = retention_days_from_civil(2024, 1, 1);
    struct retention_policy p = { 0, 0, 7, 4, 6, 0 };
    struct backupdir_summary s;
    double t0, t1;

    (void)state;
    for (int i = 0; i < 10000; i++) {
        int y, m, d;
        retention_civil_from_days(day0 + i / 24, &y, &m, &d);
        char *name = xasprintf("degux_%04d%02d%02d_%02d0000.sql.gz", y, m, d,
                               i % 24);
        put_file(dir, name, i % 10 ? "\x1f\x8b" : "");
        free(name);
    }
    put_file(dir, "README", "x");
    struct backupdir_options opt = { NULL, local_time(2025, 3, 1, 12, 0), 0 };
    t0 = now_ms();
    struct backupdir *d = backupdir_scan(dir, &opt);
    backupdir_apply_policy(d, &p);
    backupdir_summarize(d, &p, &s);
    t1 = now_ms();
    printf("# scan, policy and summary of %zu files: %.1f ms\n", d->n,
           t1 - t0);
    assert_int_equal(d->n, 10001);
    assert_int_equal(d->kinds[BACKUPDIR_BACKUP], 10000);
    assert_int_equal(s.states[BACKUPVERIFY_EMPTY], 1000);
    assert_int_equal(s.usable, 9000);
    assert_int_equal(s.cover.days, 417); /* 10,000 hours span 417 days */
    assert_int_equal(s.met.keep_monthly, 6);
    assert_int_equal(s.unmet, 0);
#ifdef SLOW_BUILD
    assert_true(t1 - t0 < 1000);
#else
    assert_true(t1 - t0 < 100);
#endif
    backupdir_free(d);
    free(dir);
}

static int remove_entry(const char *path, const struct stat *sb, int flag,
                        struct FTW *ftw)
{
    (void)sb, (void)ftw;
    /* chmod follows symbolic links: never through one (a test plants a
     * link to a system file). */
    if (flag != FTW_SL && flag != FTW_SLN)
        chmod(path, 0700);
    return remove(path);
}

static int setup(void **state)
{
    const char *base = getenv("TMPDIR");

    (void)state;
    snprintf(tmpdir, sizeof tmpdir, "%s/backupverify-XXXXXX",
             base && *base ? base : "/tmp");
    if (!mkdtemp(tmpdir))
        return -1;
    build_mixed_folder();
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    free(mixed_dir);
    return nftw(tmpdir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_whole_dump),
        cmocka_unit_test(test_truncated),
        cmocka_unit_test(test_corrupt),
        cmocka_unit_test(test_not_a_dump),
        cmocka_unit_test(test_empty_and_unreadable),
        cmocka_unit_test(test_members_and_padding),
        cmocka_unit_test(test_steps),
        cmocka_unit_test(test_tail),
        cmocka_unit_test(test_dir_kinds),
        cmocka_unit_test(test_dir_links),
        cmocka_unit_test(test_dir_order_and_sizes),
        cmocka_unit_test(test_dir_policy),
        cmocka_unit_test(test_dir_cache),
        cmocka_unit_test(test_dir_cache_damaged),
        cmocka_unit_test(test_dir_missing_and_unreadable),
        cmocka_unit_test(test_dir_unreadable_file),
        cmocka_unit_test(test_dir_ten_thousand),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
