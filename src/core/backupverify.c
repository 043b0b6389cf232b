/* Streaming verification of gzip'd plain pg_dump files: constant memory
 * (two buffers, the first bytes and a tail window of the text), resumable
 * in slices so the event loop keeps drawing between them. */
#include "autoconfig.h"

#include "core/backupverify.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "core/xalloc.h"
#include "i18n.h"

/* 256 KiB buffers: large enough that read() and inflate() overheads vanish
 * (the benchmark keeps up with gzip -t), small enough to stay in cache. */
#define IN_SIZE (256 * 1024)
#define OUT_SIZE (256 * 1024)
#define HEAD_SIZE 64
#define TAIL_SIZE 1024

static const char dump_header[] = "--\n-- PostgreSQL database dump\n--\n";
static const char dump_trailer[] = "-- PostgreSQL database dump complete";

enum phase {
    IN_MEMBER,  /* inside a gzip member */
    BETWEEN,    /* a member ended: another, zero padding or the end */
    ZERO_TAIL,  /* zero padding after the last member */
};

struct backupverify {
    int fd;
    bool done;
    bool zinit;
    enum phase phase;
    z_stream z;
    unsigned char *in, *out;
    uint64_t read_bytes;
    unsigned char magic[2]; /* the file's first bytes */
    size_t magic_len;
    char head[HEAD_SIZE];
    size_t head_len;
    char tail[TAIL_SIZE];
    size_t tail_len;
    struct backupverify_result res;
};

static void finish(struct backupverify *v, enum backupverify_state s,
                   enum backupverify_reason r, int err)
{
    v->res.state = s;
    v->res.reason = r;
    v->res.err = err;
    v->res.offset = v->read_bytes - v->z.avail_in;
    v->done = true;
}

/* Whether the file still is what was opened: a backup being written grows
 * under the reader, and a verdict on a moving file is not cached. */
static void check_changed(struct backupverify *v)
{
    struct stat st;

    if (fstat(v->fd, &st) != 0)
        return;
    v->res.changed = st.st_size != v->res.size ||
                     st.st_mtim.tv_sec != v->res.mtime.tv_sec ||
                     st.st_mtim.tv_nsec != v->res.mtime.tv_nsec;
}

static int open_file(struct backupverify *v, const char *path)
{
    struct stat st;

    /* O_NONBLOCK: a FIFO planted in the folder must not hang the console. */
    v->fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
    if (v->fd < 0)
        return errno;
    if (fstat(v->fd, &st) != 0)
        return errno;
    v->res.size = st.st_size;
    v->res.mtime = st.st_mtim;
    if (!S_ISREG(st.st_mode))
        return -1;
    return 0;
}

struct backupverify *backupverify_open(const char *path)
{
    struct backupverify *v = xcalloc(1, sizeof *v);
    int err = open_file(v, path);

    if (err == -1)
        finish(v, BACKUPVERIFY_UNREADABLE, BACKUPVERIFY_NOT_REGULAR, 0);
    else if (err)
        finish(v, BACKUPVERIFY_UNREADABLE, BACKUPVERIFY_OPEN_FAILED, err);
    else if (v->res.size == 0)
        finish(v, BACKUPVERIFY_EMPTY, BACKUPVERIFY_ZERO_BYTES, 0);
    if (v->done)
        return v;
    posix_fadvise(v->fd, 0, 0, POSIX_FADV_SEQUENTIAL);
    /* 16 + 15: gzip wrapper only, largest window. */
    if (inflateInit2(&v->z, 16 + MAX_WBITS) != Z_OK)
        die("%s", _("out of memory"));
    v->zinit = true;
    v->in = xmalloc(IN_SIZE + OUT_SIZE);
    v->out = v->in + IN_SIZE;
    return v;
}

/* Keeps the first HEAD_SIZE and the last TAIL_SIZE bytes of the text. */
static void take_output(struct backupverify *v, size_t n)
{
    const unsigned char *p = v->out;

    v->res.text_bytes += n;
    if (v->head_len < HEAD_SIZE) {
        size_t k = n < HEAD_SIZE - v->head_len ? n : HEAD_SIZE - v->head_len;
        memcpy(v->head + v->head_len, p, k);
        v->head_len += k;
    }
    if (n >= TAIL_SIZE) {
        memcpy(v->tail, p + n - TAIL_SIZE, TAIL_SIZE);
        v->tail_len = TAIL_SIZE;
        return;
    }
    size_t keep = v->tail_len + n > TAIL_SIZE ? TAIL_SIZE - n : v->tail_len;
    memmove(v->tail, v->tail + v->tail_len - keep, keep);
    memcpy(v->tail + keep, p, n);
    v->tail_len = keep + n;
}

static enum backupverify_reason data_error_reason(const struct backupverify *v)
{
    const char *msg = v->z.msg ? v->z.msg : "";

    if (!strcmp(msg, "incorrect header check"))
        return v->res.members ? BACKUPVERIFY_TRAILING_GARBAGE
                              : BACKUPVERIFY_NOT_GZIP;
    if (!strcmp(msg, "incorrect data check"))
        return BACKUPVERIFY_BAD_CRC;
    if (!strcmp(msg, "incorrect length check"))
        return BACKUPVERIFY_BAD_LENGTH;
    return BACKUPVERIFY_BAD_DATA;
}

/* Inflates the buffered input; stops at a member's end. */
static void consume_member(struct backupverify *v)
{
    do {
        v->z.next_out = v->out;
        v->z.avail_out = OUT_SIZE;
        int ret = inflate(&v->z, Z_NO_FLUSH);
        take_output(v, OUT_SIZE - v->z.avail_out);
        if (ret == Z_STREAM_END) {
            v->res.members++;
            v->phase = BETWEEN;
            return;
        }
        if (ret == Z_MEM_ERROR)
            die("%s", _("out of memory"));
        if (ret == Z_DATA_ERROR || ret == Z_NEED_DICT) {
            finish(v, BACKUPVERIFY_CORRUPT, data_error_reason(v), 0);
            return;
        }
    } while (v->z.avail_in > 0 || v->z.avail_out == 0);
}

/* After a member: gzip -t accepts further members and zero padding. */
static void consume_between(struct backupverify *v)
{
    if (v->phase == BETWEEN && *v->z.next_in != 0) {
        inflateReset(&v->z);
        v->phase = IN_MEMBER;
        return;
    }
    v->phase = ZERO_TAIL;
    while (v->z.avail_in > 0 && *v->z.next_in == 0) {
        v->z.next_in++;
        v->z.avail_in--;
    }
    if (v->z.avail_in > 0)
        finish(v, BACKUPVERIFY_CORRUPT, BACKUPVERIFY_TRAILING_GARBAGE, 0);
}

static void judge_text(struct backupverify *v)
{
    size_t hl = sizeof dump_header - 1;

    if (v->head_len < hl || memcmp(v->head, dump_header, hl) != 0)
        finish(v, BACKUPVERIFY_NOT_DUMP, BACKUPVERIFY_NO_HEADER, 0);
    else if (!backupverify_tail_complete(v->tail, v->tail_len))
        finish(v, BACKUPVERIFY_INCOMPLETE, BACKUPVERIFY_NO_TRAILER, 0);
    else
        finish(v, BACKUPVERIFY_VERIFIED, BACKUPVERIFY_OK, 0);
}

/* A file too short for zlib to see its header: gzip or not? */
static bool starts_like_gzip(const struct backupverify *v)
{
    return (v->magic_len < 1 || v->magic[0] == 0x1f) &&
           (v->magic_len < 2 || v->magic[1] == 0x8b);
}

static void at_eof(struct backupverify *v)
{
    check_changed(v);
    if (v->phase != IN_MEMBER)
        judge_text(v);
    else if (!starts_like_gzip(v))
        finish(v, BACKUPVERIFY_CORRUPT, BACKUPVERIFY_NOT_GZIP, 0);
    else
        finish(v, BACKUPVERIFY_TRUNCATED,
               v->res.changed ? BACKUPVERIFY_GREW : BACKUPVERIFY_EOF_EARLY, 0);
}

static void fill(struct backupverify *v)
{
    ssize_t n;

    do
        n = read(v->fd, v->in, IN_SIZE);
    while (n < 0 && errno == EINTR);
    if (n < 0) {
        finish(v, BACKUPVERIFY_UNREADABLE, BACKUPVERIFY_READ_FAILED, errno);
        return;
    }
    if (n == 0) {
        at_eof(v);
        return;
    }
    for (ssize_t i = 0; i < n && v->read_bytes + (uint64_t)i < 2; i++)
        v->magic[v->magic_len++] = v->in[i];
    v->z.next_in = v->in;
    v->z.avail_in = (uInt)n;
    v->read_bytes += (uint64_t)n;
}

bool backupverify_step(struct backupverify *v, size_t budget)
{
    uint64_t start = v->read_bytes;

    while (!v->done) {
        if (v->z.avail_in == 0) {
            if (v->read_bytes - start >= budget && v->read_bytes > start)
                return false;
            fill(v);
        } else if (v->phase == IN_MEMBER) {
            consume_member(v);
        } else {
            consume_between(v);
        }
    }
    return true;
}

bool backupverify_done(const struct backupverify *v)
{
    return v->done;
}

uint64_t backupverify_bytes_read(const struct backupverify *v)
{
    return v->read_bytes;
}

uint64_t backupverify_bytes_total(const struct backupverify *v)
{
    return v->res.size > 0 ? (uint64_t)v->res.size : 0;
}

const struct backupverify_result *backupverify_result(
    const struct backupverify *v)
{
    return &v->res;
}

void backupverify_close(struct backupverify *v)
{
    if (!v)
        return;
    if (v->zinit)
        inflateEnd(&v->z);
    if (v->fd >= 0)
        close(v->fd);
    free(v->in);
    free(v);
}

void backupverify_file(const char *path, struct backupverify_result *out)
{
    struct backupverify *v = backupverify_open(path);

    backupverify_step(v, SIZE_MAX);
    *out = v->res;
    backupverify_close(v);
}

static bool line_blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
            return false;
    return true;
}

/* Lines pg_dump may write after the trailer: blank, "--", and since the
 * 2025 minor releases "\unrestrict KEY". */
static bool line_after_trailer(const char *s, size_t n)
{
    static const char unrestrict[] = "\\unrestrict ";

    return line_blank(s, n) || (n == 2 && s[0] == '-' && s[1] == '-') ||
           (n >= sizeof unrestrict - 1 &&
            !memcmp(s, unrestrict, sizeof unrestrict - 1));
}

bool backupverify_tail_complete(const char *tail, size_t len)
{
    size_t tl = sizeof dump_trailer - 1;
    size_t end = len;

    while (end > 0) {
        size_t e = tail[end - 1] == '\n' ? end - 1 : end;
        size_t s = e;
        while (s > 0 && tail[s - 1] != '\n')
            s--;
        if (!line_after_trailer(tail + s, e - s))
            return e - s >= tl && !memcmp(tail + s, dump_trailer, tl) &&
                   line_blank(tail + s + tl, e - s - tl);
        end = s;
    }
    return false;
}

const char *backupverify_state_name(enum backupverify_state s)
{
    static const char *const names[BACKUPVERIFY_NSTATES] = {
        N_("unverified"), N_("verified"), N_("corrupt"),
        N_("truncated"), N_("not a dump"), N_("incomplete"),
        N_("partial"), N_("empty"), N_("unreadable"),
    };

    return (unsigned)s < BACKUPVERIFY_NSTATES ? names[s] : "";
}

const char *backupverify_reason_text(enum backupverify_reason r)
{
    static const char *const texts[] = {
        [BACKUPVERIFY_OK] = N_("complete pg_dump, gzip intact"),
        [BACKUPVERIFY_NOT_GZIP] = N_("not a gzip file"),
        [BACKUPVERIFY_BAD_DATA] = N_("invalid compressed data"),
        [BACKUPVERIFY_BAD_CRC] = N_("CRC mismatch"),
        [BACKUPVERIFY_BAD_LENGTH] = N_("length mismatch"),
        [BACKUPVERIFY_TRAILING_GARBAGE] = N_("data after the end of the gzip "
                                             "stream"),
        [BACKUPVERIFY_EOF_EARLY] = N_("the gzip stream ends early"),
        [BACKUPVERIFY_GREW] = N_("the file grew while it was read: still "
                                 "being written?"),
        [BACKUPVERIFY_NO_HEADER] = N_("no pg_dump header: not a plain "
                                      "pg_dump"),
        [BACKUPVERIFY_NO_TRAILER] = N_("no \"dump complete\" trailer: the "
                                       "dump stopped early"),
        [BACKUPVERIFY_OPEN_FAILED] = N_("cannot open the file"),
        [BACKUPVERIFY_READ_FAILED] = N_("read error"),
        [BACKUPVERIFY_NOT_REGULAR] = N_("not a regular file"),
        [BACKUPVERIFY_ZERO_BYTES] = N_("zero bytes"),
        [BACKUPVERIFY_PARTIAL_NAME] = N_("named .partial: in progress or "
                                         "abandoned"),
    };

    return (unsigned)r < sizeof texts / sizeof texts[0] ? texts[r] : "";
}

enum backupverify_state backupverify_state_class(enum backupverify_state s)
{
    switch (s) {
    case BACKUPVERIFY_NOT_DUMP:
        return BACKUPVERIFY_CORRUPT;
    case BACKUPVERIFY_TRUNCATED:
    case BACKUPVERIFY_INCOMPLETE:
        return BACKUPVERIFY_PARTIAL;
    default:
        return s;
    }
}

bool backupverify_state_restorable(enum backupverify_state s)
{
    return s == BACKUPVERIFY_VERIFIED;
}
