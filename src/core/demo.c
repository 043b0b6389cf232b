/* The embedded demo database: creates, starts and loads a private
 * PostgreSQL cluster (Unix socket only) from the SQL files in data/, and
 * writes a realistic folder of nightly backups beside it. */
#include "autoconfig.h"

#include "core/demo.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <grp.h>
#include <locale.h>
#include <pwd.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <libpq-fe.h>
#include <zlib.h>

#include "core/xalloc.h"
#include "i18n.h"

/* The socket is named after a port; nothing listens on TCP. 5433 is the
 * host port of the production container. */
#define DEMO_PORT 5433
#define DEMO_OWNER "nexus_user"
#define DEMO_DB "degux"
#define DEMO_DEFAULT_SIZE 100000L
#define SUN_PATH_MAX 107 /* sizeof(struct sockaddr_un.sun_path) - 1 */
#define NIGHTS 8
#define MISSED_NIGHT 4   /* nights ago: the container was down */
#define CORRUPT_NIGHT 2  /* nights ago: the disk filled up mid-gzip */

struct demo {
    char *home, *pgdata, *sockdir, *serverlog, *setuplog, *bindir, *datadir;
    long size;
    bool quiet;
    bool drop;    /* running as root: server tools run as uid/gid */
    uid_t uid;
    gid_t gid;
    char *user;
    int lockfd;
    char *err;
};

static const char *const data_files[] = {
    "schema.sql", "comunas.sql", "demo.sql", "workload.sql",
};

/* ---- small helpers ---------------------------------------------------- */

/* Records the first error only: it names the step that failed. */
static void demo_fail(struct demo *d, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void demo_fail(struct demo *d, const char *fmt, ...)
{
    va_list ap;

    if (d->err)
        return;
    va_start(ap, fmt);
    d->err = xvasprintf(fmt, ap);
    va_end(ap);
}

static void demo_say(const struct demo *d, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void demo_say(const struct demo *d, const char *fmt, ...)
{
    va_list ap;

    if (d->quiet)
        return;
    fputs("degux-console: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

static bool path_exists(const char *path)
{
    struct stat st;

    return stat(path, &st) == 0;
}

static bool file_in(const char *dir, const char *name)
{
    char *p = xasprintf("%s/%s", dir, name);
    bool ok = access(p, R_OK) == 0;

    free(p);
    return ok;
}

static double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* First line of a libpq message, without the "ERROR:  " prefix. */
static char *one_line(const char *msg)
{
    const char *p = msg ? msg : "";
    size_t n;

    if (strncmp(p, "ERROR:  ", 8) == 0 || strncmp(p, "FATAL:  ", 8) == 0)
        p += 8;
    n = strcspn(p, "\n");
    return xstrndup(p, n);
}

/* Creates PATH and its missing parents (parents 0755, PATH itself MODE). */
static bool mkdir_p(struct demo *d, const char *path, mode_t mode)
{
    char *p = xstrdup(path);
    bool ok = true;

    for (char *s = strchr(p + 1, '/'); s && ok; s = strchr(s + 1, '/')) {
        *s = '\0';
        ok = mkdir(p, 0755) == 0 || errno == EEXIST;
        *s = '/';
    }
    if (ok)
        ok = mkdir(p, mode) == 0 || errno == EEXIST;
    if (!ok)
        demo_fail(d, _("cannot create the folder %s: %s"), p, strerror(errno));
    free(p);
    return ok;
}

/* ---- where things are ------------------------------------------------- */

static char *home_dir(void)
{
    const char *h = getenv("HOME");
    struct passwd *pw;

    if (h && *h == '/')
        return xstrdup(h);
    pw = getpwuid(getuid());
    return xstrdup(pw && pw->pw_dir ? pw->pw_dir : "/tmp");
}

char *demo_default_dir(void)
{
    const char *xdg = getenv("XDG_STATE_HOME");
    char *home, *dir;

    /* Root's home is not reachable by the unprivileged server user. */
    if (geteuid() == 0)
        return xstrdup("/var/lib/degux-console/demo");
    if (xdg && *xdg == '/')
        return xasprintf("%s/degux-console/demo", xdg);
    home = home_dir();
    dir = xasprintf("%s/.local/state/degux-console/demo", home);
    free(home);
    return dir;
}

char *demo_backup_dir(const struct demo_opts *opts)
{
    char *home = opts && opts->dir ? xstrdup(opts->dir) : demo_default_dir();
    char *dir = xasprintf("%s/backups", home);

    free(home);
    return dir;
}

static char *pg_config_bindir(void)
{
    char line[4096];
    FILE *p = popen("pg_config --bindir 2>/dev/null", "r");
    char *dir = NULL;

    if (!p)
        return NULL;
    if (fgets(line, sizeof line, p)) {
        line[strcspn(line, "\n")] = '\0';
        dir = xstrdup(line);
    }
    pclose(p);
    return dir;
}

static bool has_server_tools(const char *dir)
{
    static const char *const tools[] = { "initdb", "pg_ctl", "postgres", "pg_dump" };

    for (size_t i = 0; i < sizeof tools / sizeof *tools; i++) {
        char *p = xasprintf("%s/%s", dir, tools[i]);
        bool ok = access(p, X_OK) == 0;

        free(p);
        if (!ok)
            return false;
    }
    return true;
}

static bool find_bindir(struct demo *d, const char *hint)
{
    char *dir = hint ? xstrdup(hint) : pg_config_bindir();

    if (!hint && (!dir || !has_server_tools(dir))) {
        free(dir);
        dir = xstrdup(PG_BINDIR_FALLBACK);
    }
    if (!has_server_tools(dir)) {
        demo_fail(d, _("PostgreSQL server programs (initdb, pg_ctl, postgres, "
                       "pg_dump) not found in %s: install postgresql-15 or "
                       "set bindir in the [demo] section of the config"), dir);
        free(dir);
        return false;
    }
    d->bindir = dir;
    return true;
}

static bool has_data_files(const char *dir)
{
    for (size_t i = 0; i < sizeof data_files / sizeof *data_files; i++)
        if (!file_in(dir, data_files[i]))
            return false;
    return true;
}

/* opts->datadir, $DEGUX_DATADIR, the installed copy, then the source tree. */
static bool find_datadir(struct demo *d, const char *hint)
{
    const char *env = getenv("DEGUX_DATADIR");
    const char *dir = hint ? hint : env && *env ? env
                    : file_in(PKGDATADIR, "schema.sql") ? PKGDATADIR
                    : SRCDATADIR;

    if (!has_data_files(dir)) {
        demo_fail(d, _("the demo data files (schema.sql, comunas.sql, "
                       "demo.sql, workload.sql) are not all in %s: set "
                       "DEGUX_DATADIR"), dir);
        return false;
    }
    d->datadir = xstrdup(dir);
    return true;
}

/* initdb refuses to run as root: then the server belongs to postgres (or
 * nobody) and this process drops to it for initdb and pg_ctl. */
static bool resolve_owner(struct demo *d)
{
    struct passwd *pw;

    d->uid = geteuid();
    d->gid = getegid();
    d->drop = d->uid == 0;
    if (!d->drop)
        return true;
    pw = getpwnam("postgres");
    if (!pw)
        pw = getpwnam("nobody");
    if (!pw) {
        demo_fail(d, _("running as root, but neither the user postgres nor "
                       "nobody exists to own the demo server"));
        return false;
    }
    d->uid = pw->pw_uid;
    d->gid = pw->pw_gid;
    d->user = xstrdup(pw->pw_name);
    return true;
}

static uint32_t fnv1a(const char *s)
{
    uint32_t h = 2166136261u;

    while (*s)
        h = (h ^ (unsigned char)*s++) * 16777619u;
    return h;
}

/* A socket path must fit sun_path; a deep home falls back to a short
 * private folder in /tmp, named after the home so two demos never meet. */
static char *sockdir_for(const char *home)
{
    char *dir = xasprintf("%s/run", home);

    if (strlen(dir) + strlen("/.s.PGSQL.5433") <= SUN_PATH_MAX)
        return dir;
    free(dir);
    return xasprintf("/tmp/degux-console-%u-%08x", (unsigned)getuid(),
                     fnv1a(home));
}

/* The folder must be ours: the server trusts whoever reaches the socket. */
static bool prepare_sockdir(struct demo *d)
{
    struct stat st;

    if (!mkdir_p(d, d->sockdir, 0700))
        return false;
    if (lstat(d->sockdir, &st) != 0 || !S_ISDIR(st.st_mode) ||
        (st.st_uid != d->uid && st.st_uid != geteuid())) {
        demo_fail(d, _("the socket folder %s belongs to another user"),
                  d->sockdir);
        return false;
    }
    if (d->drop && chown(d->sockdir, d->uid, d->gid) != 0) {
        demo_fail(d, _("cannot hand %s to the user %s: %s"), d->sockdir,
                  d->user, strerror(errno));
        return false;
    }
    return true;
}

static bool prepare_home(struct demo *d)
{
    if (!mkdir_p(d, d->home, 0700))
        return false;
    if (d->drop && chown(d->home, d->uid, d->gid) != 0) {
        demo_fail(d, _("cannot hand %s to the user %s: %s"), d->home,
                  d->user, strerror(errno));
        return false;
    }
    return prepare_sockdir(d);
}

/* ---- running the server programs --------------------------------------- */

static void child_close_fds(void)
{
    long max = sysconf(_SC_OPEN_MAX);

    if (max < 0 || max > 65536)
        max = 65536;
    for (int fd = 3; fd < max; fd++)
        close(fd);
}

static void child_reset_signals(void)
{
    sigset_t none;

    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    for (int s = 1; s < NSIG; s++)
        if (s != SIGKILL && s != SIGSTOP)
            signal(s, SIG_DFL);
}

static _Noreturn void child_exec(const struct demo *d, char *const argv[],
                                 int out, int errfd, bool drop)
{
    int null = open("/dev/null", O_RDONLY);

    if (null < 0 || dup2(null, 0) < 0 || dup2(out, 1) < 0 || dup2(errfd, 2) < 0)
        _exit(126);
    child_close_fds();
    child_reset_signals();
    umask(077);
    if (drop && (setgid(d->gid) != 0 || initgroups(d->user, d->gid) != 0 ||
                 setuid(d->uid) != 0))
        _exit(125);
    if (chdir(d->home) != 0)
        _exit(124);
    execv(argv[0], argv);
    dprintf(2, "cannot run %s: %s\n", argv[0], strerror(errno));
    _exit(127);
}

static int wait_child(pid_t pid)
{
    int st;

    while (waitpid(pid, &st, 0) < 0)
        if (errno != EINTR)
            return -1;
    if (WIFEXITED(st))
        return WEXITSTATUS(st);
    return 128 + (WIFSIGNALED(st) ? WTERMSIG(st) : 0);
}

static int open_setuplog(struct demo *d)
{
    int fd = open(d->setuplog, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);

    if (fd < 0)
        demo_fail(d, _("cannot write %s: %s"), d->setuplog, strerror(errno));
    else if (d->drop && fchown(fd, d->uid, d->gid) != 0)
        demo_fail(d, _("cannot hand %s to the user %s: %s"), d->setuplog,
                  d->user, strerror(errno));
    return fd;
}

/* Runs a server program with its output appended to setup.log; returns its
 * exit status, or -1 when it could not be started. */
static int run_tool(struct demo *d, char *const argv[], bool drop)
{
    int logfd = open_setuplog(d);
    pid_t pid;
    int st;

    if (logfd < 0)
        return -1;
    fflush(NULL);
    pid = fork();
    if (pid == 0)
        child_exec(d, argv, logfd, logfd, drop);
    close(logfd);
    if (pid < 0) {
        demo_fail(d, _("cannot start %s: %s"), argv[0], strerror(errno));
        return -1;
    }
    st = wait_child(pid);
    if (st == 125)
        demo_fail(d, _("cannot switch to the user %s to run %s"), d->user,
                  argv[0]);
    return st;
}

static char *tool(const struct demo *d, const char *name)
{
    return xasprintf("%s/%s", d->bindir, name);
}

/* ---- the cluster -------------------------------------------------------- */

static int remove_entry(const char *path, const struct stat *sb, int flag,
                        struct FTW *ftw)
{
    (void)sb, (void)flag, (void)ftw;
    return remove(path);
}

/* C.UTF-8 keeps sorting byte-wise but lets upper()/ILIKE handle ñ. */
static const char *initdb_locale(void)
{
    locale_t l = newlocale(LC_ALL_MASK, "C.UTF-8", (locale_t)0);

    if (!l)
        return "--no-locale";
    freelocale(l);
    return "--locale=C.UTF-8";
}

/* Speed over durability: the demo can always be made again. */
static const char conf_settings[] =
    "unix_socket_permissions = 0700\n"
    "shared_preload_libraries = 'pg_stat_statements'\n"
    "pg_stat_statements.track = 'all'\n"
    "fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n"
    "wal_level = minimal\nmax_wal_senders = 0\n"
    "max_wal_size = '2GB'\nmin_wal_size = '32MB'\nwal_recycle = off\n"
    "checkpoint_timeout = '30min'\nmaintenance_work_mem = '256MB'\n"
    "max_connections = 30\ntimezone = 'UTC'\nlog_timezone = 'UTC'\n";

static void conf_quoted(FILE *f, const char *s)
{
    fputc('\'', f);
    for (; *s; s++) {
        if (*s == '\'' || *s == '\\')
            fputc(*s, f);
        fputc(*s, f);
    }
    fputc('\'', f);
}

/* No TCP at all: the socket, inside the demo folder, is the only way in. */
static bool conf_append(struct demo *d)
{
    char *path = xasprintf("%s/postgresql.conf", d->pgdata);
    FILE *f = fopen(path, "a");
    bool ok = f != NULL;

    if (f) {
        fprintf(f, "\n# degux-console demo\nlisten_addresses = ''\n"
                   "port = %d\nunix_socket_directories = ", DEMO_PORT);
        conf_quoted(f, d->sockdir);
        fprintf(f, "\n%s", conf_settings);
        ok = fclose(f) == 0;
    }
    if (!ok)
        demo_fail(d, _("cannot write %s: %s"), path, strerror(errno));
    free(path);
    return ok;
}

static bool cluster_init(struct demo *d)
{
    char *initdb = tool(d, "initdb");
    char *dflag = xasprintf("--pgdata=%s", d->pgdata);
    char *argv[] = { initdb, dflag, "--username=" DEMO_OWNER, "--encoding=UTF8",
                     (char *)initdb_locale(), "--auth-local=trust",
                     "--auth-host=reject", "--no-sync", NULL };
    int st;

    /* An initdb killed half-way leaves a folder it would refuse to reuse. */
    if (path_exists(d->pgdata))
        nftw(d->pgdata, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
    demo_say(d, _("demo: creating a PostgreSQL cluster in %s"), d->pgdata);
    st = run_tool(d, argv, d->drop);
    if (st != 0)
        demo_fail(d, _("initdb failed (status %d); see %s"), st, d->setuplog);
    free(initdb);
    free(dflag);
    return st == 0 && conf_append(d);
}

static char *quote_value(const char *s)
{
    char *out = xmalloc(2 * strlen(s) + 3), *o = out;

    *o++ = '\'';
    for (; *s; s++) {
        if (*s == '\'' || *s == '\\')
            *o++ = '\\';
        *o++ = *s;
    }
    *o++ = '\'';
    *o = '\0';
    return out;
}

static char *conninfo_for(const struct demo *d, const char *db)
{
    char *host = quote_value(d->sockdir);
    char *ci = xasprintf("host=%s port=%d dbname=%s user=" DEMO_OWNER,
                         host, DEMO_PORT, db);

    free(host);
    return ci;
}

static bool server_running(const struct demo *d)
{
    char *ci = conninfo_for(d, "postgres");
    bool up = PQping(ci) == PQPING_OK;

    free(ci);
    return up;
}

static bool server_start(struct demo *d)
{
    char *pg_ctl = tool(d, "pg_ctl");
    char *argv[] = { pg_ctl, "start", "-w", "-t", "120", "-D", d->pgdata,
                     "-l", d->serverlog, NULL };
    int st;

    demo_say(d, _("demo: starting the server (log: %s)"), d->serverlog);
    st = run_tool(d, argv, d->drop);
    free(pg_ctl);
    if (st != 0 || !server_running(d)) {
        demo_fail(d, _("the demo server did not start; see %s and %s"),
                  d->serverlog, d->setuplog);
        return false;
    }
    return true;
}

/* ---- loading ------------------------------------------------------------ */

static void notice_ignore(void *arg, const char *msg)
{
    (void)arg, (void)msg;
}

/* A session that a PGOPTIONS meant for the console cannot make read-only
 * or time out half-way through the load. */
static PGconn *db_open(struct demo *d, const char *db)
{
    char *ci = conninfo_for(d, db);
    char *full = xasprintf("%s options='-c default_transaction_read_only=off "
                           "-c statement_timeout=0 -c lock_timeout=0'", ci);
    PGconn *c = PQconnectdb(full);

    free(ci);
    free(full);
    if (PQstatus(c) != CONNECTION_OK) {
        char *m = one_line(PQerrorMessage(c));

        demo_fail(d, _("cannot connect to the demo server: %s (log: %s)"), m,
                  d->serverlog);
        free(m);
        PQfinish(c);
        return NULL;
    }
    PQsetNoticeProcessor(c, notice_ignore, NULL);
    return c;
}

/* Runs SQL (several statements allowed); on error records WHAT failed. */
static bool db_exec(struct demo *d, PGconn *c, const char *sql,
                    const char *what)
{
    PGresult *r = PQexec(c, sql);
    ExecStatusType s = PQresultStatus(r);
    bool ok = s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK ||
              s == PGRES_EMPTY_QUERY;

    if (!ok) {
        char *m = one_line(PQresultErrorMessage(r));

        demo_fail(d, _("%s failed: %s (server log: %s)"), what, m,
                  d->serverlog);
        free(m);
    }
    PQclear(r);
    return ok;
}

/* Only a finished load leaves degux_demo.loaded behind. */
static bool db_loaded(const struct demo *d)
{
    char *ci = conninfo_for(d, DEMO_DB);
    PGconn *c = PQconnectdb(ci);
    PGresult *r = NULL;
    bool loaded = false;

    free(ci);
    if (PQstatus(c) == CONNECTION_OK) {
        r = PQexec(c, "SELECT to_regclass('degux_demo.loaded') IS NOT NULL");
        loaded = PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1 &&
                 strcmp(PQgetvalue(r, 0, 0), "t") == 0;
        PQclear(r);
    }
    PQfinish(c);
    return loaded;
}

static char *read_file(struct demo *d, const char *path)
{
    FILE *f = fopen(path, "rb");
    struct stat st;
    char *buf = NULL;

    if (!f || fstat(fileno(f), &st) != 0) {
        demo_fail(d, _("cannot read %s: %s"), path, strerror(errno));
    } else {
        buf = xmalloc((size_t)st.st_size + 1);
        buf[fread(buf, 1, (size_t)st.st_size, f)] = '\0';
    }
    if (f)
        fclose(f);
    return buf;
}

static bool load_file(struct demo *d, PGconn *c, const char *name)
{
    char *path = xasprintf("%s/%s", d->datadir, name);
    char *sql = read_file(d, path);
    char *what = xasprintf(_("loading %s"), path);
    bool ok;

    if (strcmp(name, "demo.sql") == 0)
        demo_say(d, _("demo: generating %ld referenciales (%s)"), d->size, name);
    else
        demo_say(d, _("demo: loading %s"), name);
    ok = sql && db_exec(d, c, sql, what);
    free(sql);
    free(what);
    free(path);
    return ok;
}

static bool db_recreate(struct demo *d)
{
    PGconn *c = db_open(d, "postgres");
    bool ok;

    if (!c)
        return false;
    demo_say(d, _("demo: creating the database %s"), DEMO_DB);
    ok = db_exec(d, c, "DROP DATABASE IF EXISTS " DEMO_DB " WITH (FORCE)",
                 _("dropping an unfinished demo database")) &&
         db_exec(d, c, "CREATE DATABASE " DEMO_DB, _("creating the database"));
    PQfinish(c);
    return ok;
}

static bool set_size(struct demo *d, PGconn *c)
{
    char size[32];
    const char *params[] = { size };
    PGresult *r;
    bool ok;

    snprintf(size, sizeof size, "%ld", d->size);
    r = PQexecParams(c, "SELECT set_config('degux.demo_size', $1, false)", 1,
                     NULL, params, NULL, NULL, 0);
    ok = PQresultStatus(r) == PGRES_TUPLES_OK;
    if (!ok)
        demo_fail(d, _("setting the demo size failed: %s"),
                  PQerrorMessage(c));
    PQclear(r);
    return ok;
}

static bool mark_loaded(struct demo *d, PGconn *c)
{
    char size[32];
    const char *params[] = { size };
    PGresult *r;
    bool ok;

    snprintf(size, sizeof size, "%ld", d->size);
    if (!db_exec(d, c, "CREATE TABLE degux_demo.loaded (finished_at "
                       "timestamptz NOT NULL DEFAULT now(), demo_size bigint "
                       "NOT NULL)", _("marking the load as finished")))
        return false;
    r = PQexecParams(c, "INSERT INTO degux_demo.loaded (demo_size) VALUES ($1)",
                     1, NULL, params, NULL, NULL, 0);
    ok = PQresultStatus(r) == PGRES_COMMAND_OK;
    if (!ok)
        demo_fail(d, _("marking the load as finished failed: %s"),
                  PQerrorMessage(c));
    PQclear(r);
    return ok;
}

static bool db_load(struct demo *d)
{
    PGconn *c;
    bool ok;

    if (!db_recreate(d) || !(c = db_open(d, DEMO_DB)))
        return false;
    ok = load_file(d, c, "schema.sql") && load_file(d, c, "comunas.sql") &&
         set_size(d, c) && load_file(d, c, "demo.sql");
    PQfinish(c);
    return ok;
}

/* Last: the workload runs on fresh statistics, so the slow-query view shows
 * the application's queries rather than the generator's or pg_dump's; the
 * checkpoint lets the server recycle the load's WAL. */
static bool db_finish(struct demo *d)
{
    PGconn *c = db_open(d, DEMO_DB);
    bool ok;

    if (!c)
        return false;
    ok = db_exec(d, c, "SELECT pg_stat_statements_reset()",
                 _("resetting pg_stat_statements")) &&
         load_file(d, c, "workload.sql") && mark_loaded(d, c) &&
         db_exec(d, c, "CHECKPOINT", _("checkpoint after loading"));
    PQfinish(c);
    return ok;
}

/* ---- the backup folder -------------------------------------------------- */

/* The nightly cron's 03:00 run, NIGHTS_AGO nights back, with the few
 * seconds of delay cron and docker add. */
static time_t night_time(int nights_ago)
{
    time_t now = time(NULL);
    struct tm tm;

    localtime_r(&now, &tm);
    if (tm.tm_hour < 3)
        nights_ago++;
    tm.tm_mday -= nights_ago;
    tm.tm_hour = 3;
    tm.tm_min = 0;
    tm.tm_sec = 1 + (nights_ago * 5) % 7;
    tm.tm_isdst = -1;
    return mktime(&tm);
}

static char *night_name(time_t t)
{
    struct tm tm;
    char name[64];

    localtime_r(&t, &tm);
    strftime(name, sizeof name, "degux_%Y%m%d_%H%M%S.sql.gz", &tm);
    return xstrdup(name);
}

static bool gz_from_fd(struct demo *d, int fd, const char *path)
{
    gzFile gz = gzopen(path, "wb6");
    char buf[65536];
    ssize_t n;
    bool ok = gz != NULL;

    while (ok && (n = read(fd, buf, sizeof buf)) != 0) {
        if (n < 0 && errno == EINTR)
            continue;
        ok = n > 0 && gzwrite(gz, buf, (unsigned)n) == (int)n;
    }
    if (gz && gzclose(gz) != Z_OK)
        ok = false;
    if (!ok)
        demo_fail(d, _("cannot write %s"), path);
    return ok;
}

/* pg_dump's plain output, compressed as the cron's `| gzip` would. */
static bool dump_to(struct demo *d, const char *path)
{
    char *pg_dump = tool(d, "pg_dump");
    char port[16];
    char *argv[] = { pg_dump, "-h", d->sockdir, "-p", port, "-U", DEMO_OWNER,
                     "-d", DEMO_DB, NULL };
    int fds[2], logfd = open_setuplog(d), st = -1;
    pid_t pid = -1;
    bool ok = false;

    snprintf(port, sizeof port, "%d", DEMO_PORT);
    if (logfd >= 0 && pipe2(fds, O_CLOEXEC) == 0) {
        fflush(NULL);
        if ((pid = fork()) == 0)
            child_exec(d, argv, fds[1], logfd, false);
        close(fds[1]);
        ok = pid > 0 && gz_from_fd(d, fds[0], path);
        close(fds[0]);
        st = pid > 0 ? wait_child(pid) : -1;
    }
    if (logfd >= 0)
        close(logfd);
    if (st != 0)
        demo_fail(d, _("pg_dump failed (status %d); see %s"), st, d->setuplog);
    free(pg_dump);
    return ok && st == 0;
}

/* Copies SRC to DST, only its first LIMIT bytes when LIMIT >= 0. */
static bool copy_file(struct demo *d, const char *src, const char *dst,
                      off_t limit)
{
    int in = open(src, O_RDONLY | O_CLOEXEC);
    int out = open(dst, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    char buf[65536];
    ssize_t n = 1;
    bool ok = in >= 0 && out >= 0;

    while (ok && n > 0 && limit != 0) {
        size_t want = limit < 0 || limit > (off_t)sizeof buf ? sizeof buf
                                                             : (size_t)limit;
        n = read(in, buf, want);
        ok = n >= 0 && write(out, buf, (size_t)n) == n;
        if (limit > 0 && n > 0)
            limit -= n;
    }
    if (out >= 0 && close(out) != 0)
        ok = false;
    if (in >= 0)
        close(in);
    if (!ok)
        demo_fail(d, _("cannot write %s: %s"), dst, strerror(errno));
    return ok;
}

static void set_mtime(const char *path, time_t t)
{
    struct timespec ts[2] = { { t, 0 }, { t, 0 } };

    utimensat(AT_FDCWD, path, ts, 0);
}

static void log_stamp(FILE *f, time_t t, const char *level)
{
    struct tm tm;
    char when[32];

    localtime_r(&t, &tm);
    strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S", &tm);
    fprintf(f, "%s %-5s ", when, level);
}

/* What /var/log/nexus-backup.log says about one night. */
static void log_night(FILE *f, int ago, time_t t, const char *name,
                      off_t size)
{
    log_stamp(f, t, "INFO");
    fprintf(f, "starting backup of degux (container nexus-db)\n");
    if (ago == MISSED_NIGHT) {
        fprintf(f, "Error response from daemon: Container 5f1c0a9e2b7d is not running\n");
        log_stamp(f, t + 1, "ERROR");
        fprintf(f, "pg_dump exited with status 1; no backup written\n");
        return;
    }
    if (ago == CORRUPT_NIGHT)
        fprintf(f, "gzip: stdout: No space left on device\n");
    log_stamp(f, t + 4, "INFO");
    fprintf(f, "wrote /backups/%s (%.1f MB)\n", name, size / 1048576.0);
    log_stamp(f, t + 4, "INFO");
    fprintf(f, "retention: removed %d backup(s) older than 7 days\n",
            ago == MISSED_NIGHT - 1 ? 0 : 1);
}

static bool write_night(struct demo *d, const char *dir, const char *dump,
                        int ago, FILE *logf)
{
    time_t t = night_time(ago);
    char *name = night_name(t);
    char *path = xasprintf("%s/%s", dir, name);
    struct stat st;
    bool ok = true;

    if (ago != MISSED_NIGHT && stat(dump, &st) == 0) {
        off_t limit = ago == CORRUPT_NIGHT ? st.st_size / 2 : -1;

        ok = copy_file(d, dump, path, limit);
        set_mtime(path, t);
        log_night(logf, ago, t, name, limit >= 0 ? limit : st.st_size);
    } else {
        log_night(logf, ago, t, name, 0);
    }
    free(name);
    free(path);
    return ok;
}

/* Built in backups.tmp and renamed, so a half-written folder never looks
 * finished; the dump is taken once and copied for the other nights. */
static bool backups_make(struct demo *d)
{
    char *dir = xasprintf("%s/backups", d->home);
    char *tmp = xasprintf("%s/backups.tmp", d->home);
    char *dump = xasprintf("%s/.dump.sql.gz", tmp);
    char *logpath = xasprintf("%s/nexus-backup.log", d->home);
    FILE *logf = NULL;
    bool ok;

    demo_say(d, _("demo: writing nightly backups to %s"), dir);
    nftw(tmp, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
    ok = mkdir_p(d, tmp, 0755) && dump_to(d, dump);
    if (ok && !(logf = fopen(logpath, "w")))
        demo_fail(d, _("cannot write %s: %s"), logpath, strerror(errno));
    ok = ok && logf;
    for (int ago = NIGHTS - 1; ok && ago >= 0; ago--)
        ok = write_night(d, tmp, dump, ago, logf);
    if (logf && fclose(logf) != 0)
        ok = false;
    unlink(dump);
    if (ok && rename(tmp, dir) != 0) {
        demo_fail(d, _("cannot rename %s to %s: %s"), tmp, dir, strerror(errno));
        ok = false;
    }
    free(dir);
    free(tmp);
    free(dump);
    free(logpath);
    return ok;
}

/* ---- the whole sequence ------------------------------------------------- */

/* Names every path; creates nothing (demo_stop must not). */
static bool demo_paths(struct demo *d, const struct demo_opts *opts)
{
    d->home = opts->dir ? xstrdup(opts->dir) : demo_default_dir();
    d->size = opts->size > 0 ? opts->size : DEMO_DEFAULT_SIZE;
    d->quiet = opts->quiet;
    if (d->home[0] != '/') {
        demo_fail(d, _("the demo folder must be an absolute path, not %s"),
                  d->home);
        return false;
    }
    d->pgdata = xasprintf("%s/data", d->home);
    d->serverlog = xasprintf("%s/server.log", d->home);
    d->setuplog = xasprintf("%s/setup.log", d->home);
    d->sockdir = sockdir_for(d->home);
    return true;
}

static bool cluster_exists(const struct demo *d)
{
    char *pgver = xasprintf("%s/PG_VERSION", d->pgdata);
    bool ok = path_exists(pgver);

    free(pgver);
    return ok;
}

static bool demo_lock(struct demo *d)
{
    char *path = xasprintf("%s/demo.lock", d->home);

    d->lockfd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (d->lockfd < 0)
        demo_fail(d, _("cannot open %s: %s"), path, strerror(errno));
    else if (flock(d->lockfd, LOCK_EX | LOCK_NB) != 0) {
        demo_say(d, _("demo: waiting for another degux-console that is "
                      "preparing the demo"));
        flock(d->lockfd, LOCK_EX);
    }
    free(path);
    return d->lockfd >= 0;
}

static bool backups_present(const struct demo *d)
{
    char *dir = xasprintf("%s/backups", d->home);
    bool ok = path_exists(dir);

    free(dir);
    return ok;
}

static bool demo_ready(const struct demo *d)
{
    return server_running(d) && db_loaded(d) && backups_present(d);
}

/* Backups of an earlier, unfinished database would not match this one. */
static void backups_forget(const struct demo *d)
{
    char *dir = xasprintf("%s/backups", d->home);

    nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
    free(dir);
}

/* Each step is skipped when already done; the database counts as loaded
 * only once data, backups and workload are all in, so an interrupted first
 * run is redone by the next one. */
static bool demo_build(struct demo *d, const struct demo_opts *opts)
{
    double t0 = now_s();
    bool ok = find_datadir(d, opts->datadir) &&
              (cluster_exists(d) || cluster_init(d)) &&
              (server_running(d) || server_start(d));

    if (ok && !db_loaded(d)) {
        backups_forget(d);
        ok = db_load(d) && backups_make(d) && db_finish(d);
    }
    if (ok && !backups_present(d))
        ok = backups_make(d);
    if (ok)
        demo_say(d, _("demo: ready in %.1f s"), now_s() - t0);
    return ok;
}

static void demo_free(struct demo *d)
{
    if (d->lockfd >= 0)
        close(d->lockfd);
    free(d->home);
    free(d->pgdata);
    free(d->sockdir);
    free(d->serverlog);
    free(d->setuplog);
    free(d->bindir);
    free(d->datadir);
    free(d->user);
}

/* Hands the error (or a generic one) to the caller, or drops it. */
static void demo_result(struct demo *d, bool ok, char **err,
                        const char *fallback)
{
    if (!ok && err)
        *err = d->err ? d->err : xstrdup(fallback);
    else
        free(d->err);
    d->err = NULL;
}

char *demo_ensure(const struct demo_opts *opts, char **err)
{
    static const struct demo_opts none;
    struct demo d = { .lockfd = -1 };
    char *ci = NULL;

    if (!opts)
        opts = &none;
    /* The common case (running and loaded) is a ping and a query. */
    if (demo_paths(&d, opts) && find_bindir(&d, opts->bindir) &&
        resolve_owner(&d) && prepare_home(&d) &&
        (demo_ready(&d) || (demo_lock(&d) && demo_build(&d, opts))))
        ci = conninfo_for(&d, DEMO_DB);
    demo_result(&d, ci != NULL, err, _("the demo database is not available"));
    demo_free(&d);
    return ci;
}

static bool server_stop(struct demo *d)
{
    char *pg_ctl = tool(d, "pg_ctl");
    char *argv[] = { pg_ctl, "stop", "-w", "-m", "fast", "-D", d->pgdata, NULL };
    bool ok = run_tool(d, argv, d->drop) == 0;

    if (!ok)
        demo_fail(d, _("pg_ctl stop failed; see %s"), d->setuplog);
    free(pg_ctl);
    return ok;
}

bool demo_stop(const struct demo_opts *opts, char **err)
{
    static const struct demo_opts none;
    struct demo d = { .lockfd = -1 };
    bool ok;

    if (!opts)
        opts = &none;
    ok = demo_paths(&d, opts) &&
         (!cluster_exists(&d) || !server_running(&d) ||
          (find_bindir(&d, opts->bindir) && resolve_owner(&d) &&
           server_stop(&d)));
    demo_result(&d, ok, err, _("could not stop the demo server"));
    demo_free(&d);
    return ok;
}
