/* Backup verification: streams a .sql.gz through zlib in slices the event
 * loop can interleave with drawing, checking the gzip integrity (every
 * member's CRC and length) and that the text is a complete plain pg_dump. */
#ifndef DEGUX_BACKUPVERIFY_H
#define DEGUX_BACKUPVERIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

/* What is known about one backup file. */
enum backupverify_state {
    BACKUPVERIFY_UNVERIFIED,
    BACKUPVERIFY_VERIFIED,   /* whole gzip, complete pg_dump */
    BACKUPVERIFY_CORRUPT,    /* bad gzip data, CRC/length, not gzip */
    BACKUPVERIFY_TRUNCATED,  /* the gzip stream stops early */
    BACKUPVERIFY_NOT_DUMP,   /* good gzip, but no pg_dump header */
    BACKUPVERIFY_INCOMPLETE, /* pg_dump header but no completion trailer */
    BACKUPVERIFY_PARTIAL,    /* named .partial: in progress or abandoned */
    BACKUPVERIFY_EMPTY,      /* zero bytes */
    BACKUPVERIFY_UNREADABLE, /* cannot be opened or read */
};
#define BACKUPVERIFY_NSTATES 9

/* Why, in more detail. */
enum backupverify_reason {
    BACKUPVERIFY_OK,
    BACKUPVERIFY_NOT_GZIP,
    BACKUPVERIFY_BAD_DATA,
    BACKUPVERIFY_BAD_CRC,
    BACKUPVERIFY_BAD_LENGTH,
    BACKUPVERIFY_TRAILING_GARBAGE,
    BACKUPVERIFY_EOF_EARLY,
    BACKUPVERIFY_GREW,        /* EOF early and the file grew meanwhile */
    BACKUPVERIFY_NO_HEADER,
    BACKUPVERIFY_NO_TRAILER,
    BACKUPVERIFY_OPEN_FAILED, /* see err */
    BACKUPVERIFY_READ_FAILED, /* see err */
    BACKUPVERIFY_NOT_REGULAR,
    BACKUPVERIFY_ZERO_BYTES,
    BACKUPVERIFY_PARTIAL_NAME,
};

struct backupverify_result {
    enum backupverify_state state;
    enum backupverify_reason reason;
    int err;              /* errno for OPEN_FAILED / READ_FAILED */
    uint64_t offset;      /* compressed bytes read when the verdict fell */
    uint64_t text_bytes;  /* decompressed bytes seen */
    unsigned members;     /* complete gzip members */
    off_t size;           /* the file as opened (fstat) */
    struct timespec mtime;
    bool changed;         /* size or mtime changed while it was read */
};

struct backupverify;

/* Starts verifying path (a symbolic link is not followed: it fails as
 * unreadable). Never NULL: a file that cannot be opened gives a job that is
 * already done. Free with backupverify_close. */
struct backupverify *backupverify_open(const char *path);

/* Reads and checks about budget compressed bytes (at least one buffer).
 * Returns true once the verdict is in. */
bool backupverify_step(struct backupverify *v, size_t budget);
bool backupverify_done(const struct backupverify *v);
/* Compressed bytes read so far and the file's size. */
uint64_t backupverify_bytes_read(const struct backupverify *v);
uint64_t backupverify_bytes_total(const struct backupverify *v);
const struct backupverify_result *backupverify_result(
    const struct backupverify *v);
void backupverify_close(struct backupverify *v);

/* The whole file in one call (tests, reports, the benchmark). */
void backupverify_file(const char *path, struct backupverify_result *out);

/* Whether a decompressed dump's last bytes hold pg_dump's completion
 * trailer, allowing the blank lines, "--" and "\unrestrict KEY" lines that
 * pg_dump writes after it. */
bool backupverify_tail_complete(const char *tail, size_t len);

/* Short names ("verified", "corrupt", ...) and reasons, untranslated and
 * N_-marked: pass through _(). */
const char *backupverify_state_name(enum backupverify_state s);
const char *backupverify_reason_text(enum backupverify_reason r);
/* The six states the list shows: verified, unverified, corrupt, partial
 * (truncated, incomplete, .partial), empty, unreadable; not-a-dump counts
 * as corrupt. */
enum backupverify_state backupverify_state_class(enum backupverify_state s);
/* Only a verified backup is a restore point. */
bool backupverify_state_restorable(enum backupverify_state s);

#endif
