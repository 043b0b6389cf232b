/* The console's schema migrations: lists data/migrations, compares them
 * with degux_console.migrations and applies or reverts them, one file per
 * transaction, under an advisory lock so two consoles never interleave. */
#include "autoconfig.h"

#include "migrate.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/report.h"
#include "core/sql.h"
#include "core/xalloc.h"
#include "i18n.h"

struct migration {
    int version;
    char *name;       /* "moderation" */
    char *applied_at; /* NULL when pending */
    bool has_file;
};

struct plan {
    struct migration *m;
    size_t n;
    char *dir;
};

static bool dir_exists(const char *dir)
{
    struct stat st;

    return stat(dir, &st) == 0 && S_ISDIR(st.st_mode);
}

char *migrate_dir(void)
{
    const char *env = getenv("DEGUX_DATADIR");

    if (env && *env)
        return xasprintf("%s/migrations", env);
    if (dir_exists(PKGDATADIR "/migrations"))
        return xstrdup(PKGDATADIR "/migrations");
    return xstrdup(SRCDATADIR "/migrations");
}

/* "0001_moderation.up.sql" -> 1, "moderation"; false for other names. */
static bool parse_name(const char *file, int *version, char **name)
{
    size_t len = strlen(file), digits = strspn(file, "0123456789");
    static const char suffix[] = ".up.sql";

    if (digits != 4 || file[4] != '_' || len <= 5 + sizeof suffix - 1 ||
        strcmp(file + len - (sizeof suffix - 1), suffix) != 0)
        return false;
    *version = atoi(file);
    *name = xstrndup(file + 5, len - 5 - (sizeof suffix - 1));
    return true;
}

static struct migration *plan_find(struct plan *p, int version)
{
    for (size_t i = 0; i < p->n; i++)
        if (p->m[i].version == version)
            return &p->m[i];
    return NULL;
}

static struct migration *plan_add(struct plan *p, int version,
                                  const char *name)
{
    struct migration *m = plan_find(p, version);

    if (m)
        return m;
    p->m = xrealloc(p->m, (p->n + 1) * sizeof *p->m);
    m = &p->m[p->n++];
    *m = (struct migration){ version, xstrdup(name), NULL, false };
    return m;
}

static bool plan_read_files(struct plan *p, char **err)
{
    DIR *d = opendir(p->dir);
    struct dirent *e;
    int version;
    char *name;

    if (!d) {
        *err = xasprintf(_("cannot read the migrations folder %s: set "
                           "DEGUX_DATADIR"), p->dir);
        return false;
    }
    while ((e = readdir(d)))
        if (parse_name(e->d_name, &version, &name)) {
            plan_add(p, version, name)->has_file = true;
            free(name);
        }
    closedir(d);
    return true;
}

static PGresult *exec_checked(PGconn *c, PGresult *res, char **err)
{
    ExecStatusType st = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;

    if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK)
        return res;
    *err = xstrdup(res ? PQresultErrorMessage(res) : PQerrorMessage(c));
    (*err)[strcspn(*err, "\n")] = '\0';
    PQclear(res);
    return NULL;
}

static PGresult *exec_params(PGconn *c, const char *sql, int n,
                             const char *const *params, char **err)
{
    return exec_checked(c, PQexecParams(c, sql, n, NULL, params, NULL, NULL,
                                        0), err);
}

static bool exec_clear(PGconn *c, const char *sql, int n,
                       const char *const *params, char **err)
{
    PGresult *res = exec_params(c, sql, n, params, err);

    PQclear(res);
    return res != NULL;
}

static int table_exists(PGconn *c, char **err)
{
    PGresult *res = exec_params(c, SQL_MIGRATE_TABLE_EXISTS, 0, NULL, err);
    int yes;

    if (!res)
        return -1;
    yes = strcmp(PQgetvalue(res, 0, 0), "t") == 0;
    PQclear(res);
    return yes;
}

static bool plan_read_applied(struct plan *p, PGconn *c, char **err)
{
    int exists = table_exists(c, err);
    PGresult *res;

    if (exists <= 0)
        return exists == 0;
    if (!(res = exec_params(c, SQL_MIGRATE_APPLIED, 0, NULL, err)))
        return false;
    for (int i = 0; i < PQntuples(res); i++) {
        struct migration *m = plan_add(p, atoi(PQgetvalue(res, i, 0)),
                                       PQgetvalue(res, i, 1));
        m->applied_at = xstrdup(PQgetvalue(res, i, 2));
    }
    PQclear(res);
    return true;
}

static int migration_cmp(const void *a, const void *b)
{
    const struct migration *x = a, *y = b;

    return (x->version > y->version) - (x->version < y->version);
}

static void plan_free(struct plan *p)
{
    for (size_t i = 0; i < p->n; i++) {
        free(p->m[i].name);
        free(p->m[i].applied_at);
    }
    free(p->m);
    free(p->dir);
}

static bool plan_load(struct plan *p, PGconn *c, char **err)
{
    *p = (struct plan){ NULL, 0, migrate_dir() };
    if (!plan_read_files(p, err) || !plan_read_applied(p, c, err)) {
        plan_free(p);
        return false;
    }
    qsort(p->m, p->n, sizeof *p->m, migration_cmp);
    return true;
}

static char *read_file(const char *path, char **err)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    size_t len = 0, got;
    char chunk[8192];

    if (!f) {
        *err = xasprintf(_("cannot read %s"), path);
        return NULL;
    }
    while ((got = fread(chunk, 1, sizeof chunk, f)) > 0) {
        buf = xrealloc(buf, len + got + 1);
        memcpy(buf + len, chunk, got);
        len += got;
    }
    fclose(f);
    if (!buf)
        buf = xstrdup("");
    buf[len] = '\0';
    return buf;
}

static char *migration_path(const struct plan *p, const struct migration *m,
                            const char *direction)
{
    return xasprintf("%s/%04d_%s.%s.sql", p->dir, m->version, m->name,
                     direction);
}

/* Whether version is recorded, inside the locked transaction: another
 * console may have got there first. -1 on error. */
static int recorded(PGconn *c, int version, char **err)
{
    char v[16];
    const char *params[] = { v };
    int exists = table_exists(c, err);
    PGresult *res;
    int yes;

    if (exists <= 0)
        return exists;
    snprintf(v, sizeof v, "%d", version);
    if (!(res = exec_params(c, SQL_MIGRATE_IS_APPLIED, 1, params, err)))
        return -1;
    yes = PQntuples(res) > 0;
    PQclear(res);
    return yes;
}

static bool run_simple(PGconn *c, const char *sql, char **err)
{
    PGresult *res = exec_checked(c, PQexec(c, sql), err);

    PQclear(res);
    return res != NULL;
}

/* The body of one step, inside BEGIN … COMMIT. */
static bool step_body(PGconn *c, const struct migration *m, bool up,
                      const char *text, char **err)
{
    char v[16];
    const char *params[] = { v, m->name };
    int done;

    snprintf(v, sizeof v, "%d", m->version);
    if (!run_simple(c, SQL_MIGRATE_LOCK, err) ||
        (done = recorded(c, m->version, err)) < 0)
        return false;
    if (done == up) {
        *err = xasprintf(up ? _("migration %04d is already applied")
                            : _("migration %04d is not applied"),
                         m->version);
        return false;
    }
    if (!up && !exec_clear(c, SQL_MIGRATE_FORGET, 1, params, err))
        return false;
    if (!run_simple(c, text, err))
        return false;
    return !up || exec_clear(c, SQL_MIGRATE_RECORD, 2, params, err);
}

static bool step_run(PGconn *c, const struct plan *p,
                     const struct migration *m, bool up, bool quiet,
                     char **err)
{
    char *path = migration_path(p, m, up ? "up" : "down");
    char *text = read_file(path, err);
    bool ok = text && run_simple(c, "BEGIN", err);

    ok = ok && step_body(c, m, up, text, err) &&
         run_simple(c, "COMMIT", err);
    if (ok && !quiet)
        printf(up ? _("applied %04d_%s\n") : _("reverted %04d_%s\n"),
               m->version, m->name);
    else if (*err && PQtransactionStatus(c) != PQTRANS_IDLE)
        PQclear(PQexec(c, "ROLLBACK"));
    if (!ok && *err) {
        char *full = xasprintf("%s: %s", path, *err);
        free(*err);
        *err = full;
    }
    free(path);
    free(text);
    return ok;
}

static int command_status(const struct plan *p, bool json)
{
    static const char *const keys[] = { "version", "name", "state",
                                        "applied_at" };
    static const enum report_type types[] = { REPORT_INT, REPORT_STR,
                                              REPORT_STR, REPORT_STR };
    const char *labels[] = { _("version"), _("name"), _("state"),
                             _("applied at") };
    struct report *r = report_new(json, stdout);
    int pending = 0;

    report_str(r, "folder", _("migrations folder"), p->dir);
    report_table_begin(r, "migrations", _("Migrations"), 4, keys, labels,
                       types);
    for (size_t i = 0; i < p->n; i++) {
        const struct migration *m = &p->m[i];
        char v[16];
        /* JSON keeps the stable English state; text shows it translated */
        const char *state = m->applied_at ? (m->has_file ? N_("applied")
                                                         : N_("applied, no "
                                                              "file"))
                                          : N_("pending");
        const char *row[] = { v, m->name, json ? state : _(state),
                              m->applied_at };

        snprintf(v, sizeof v, "%d", m->version);
        pending += !m->applied_at;
        report_row(r, row);
    }
    report_table_end(r);
    return report_finish(r) ? 2 : pending > 0;
}

static int command_up(PGconn *c, const struct plan *p, char **err)
{
    int applied = 0;

    for (size_t i = 0; i < p->n; i++) {
        if (p->m[i].applied_at)
            continue;
        if (!step_run(c, p, &p->m[i], true, false, err))
            return 2;
        applied++;
    }
    if (!applied)
        printf("%s\n", _("nothing to apply: every migration is applied"));
    return 0;
}

static int command_down(PGconn *c, const struct plan *p, char **err)
{
    for (size_t i = p->n; i-- > 0;)
        if (p->m[i].applied_at) {
            if (!p->m[i].has_file) {
                *err = xasprintf(_("migration %04d has no file in %s"),
                                 p->m[i].version, p->dir);
                return 2;
            }
            return step_run(c, p, &p->m[i], false, false, err) ? 0 : 2;
        }
    printf("%s\n", _("nothing to revert: no migration is applied"));
    return 0;
}

static int command_dispatch(struct db *db, const char *what, bool json,
                            char **err)
{
    PGconn *c = db_conn(db);
    struct plan p;
    int rc;

    if (!plan_load(&p, c, err))
        return 2;
    if (strcmp(what, "status") == 0)
        rc = command_status(&p, json);
    else if (strcmp(what, "up") == 0)
        rc = command_up(c, &p, err);
    else
        rc = command_down(c, &p, err);
    plan_free(&p);
    return rc;
}

int migrate_command(struct db *db, char **args, int nargs, bool json)
{
    const char *what = nargs == 2 ? args[1] : "";
    char *err = NULL;
    int rc;

    if (strcmp(what, "status") != 0 && strcmp(what, "up") != 0 &&
        strcmp(what, "down") != 0) {
        fprintf(stderr, "%s\n", _("degux-console: usage: migrate "
                                  "status|up|down"));
        return 2;
    }
    if (strcmp(what, "status") != 0 && !db_write_mode(db)) {
        fprintf(stderr, _("degux-console: migrate %s needs --write\n"),
                what);
        return 2;
    }
    db_wait_idle(db);
    rc = command_dispatch(db, what, json, &err);
    if (err)
        fprintf(stderr, "degux-console: %s\n", err);
    free(err);
    return rc;
}

bool migrate_schema_present(struct db *db)
{
    char *err = NULL;
    PGresult *res = db_exec_sync(db, SQL_MIGRATE_REVIEW_EXISTS, 0, NULL,
                                 &err);
    bool yes = res && strcmp(PQgetvalue(res, 0, 0), "t") == 0;

    PQclear(res);
    free(err);
    return yes;
}

/* Every pending migration, printing nothing. */
static bool apply_quietly(PGconn *c, char **err)
{
    struct plan p;
    bool ok = true;

    if (!plan_load(&p, c, err))
        return false;
    for (size_t i = 0; ok && i < p.n; i++)
        if (!p.m[i].applied_at && p.m[i].has_file)
            ok = step_run(c, &p, &p.m[i], true, true, err);
    plan_free(&p);
    return ok;
}

static int demo_due(PGconn *c, char **err)
{
    PGresult *res = exec_params(c, SQL_MIGRATE_DEMO_DUE, 0, NULL, err);
    int due;

    if (!res)
        return -1;
    due = strcmp(PQgetvalue(res, 0, 0), "t") == 0;
    PQclear(res);
    return due;
}

bool migrate_demo_once(const char *conninfo, char **err)
{
    PGconn *c = PQconnectdb(conninfo);
    int due = 0;
    bool ok;

    *err = NULL;
    if (PQstatus(c) != CONNECTION_OK) {
        *err = xstrdup(PQerrorMessage(c));
        (*err)[strcspn(*err, "\n")] = '\0';
        PQfinish(c);
        return false;
    }
    ok = run_simple(c, SQL_MIGRATE_DEMO_LOCK, err) &&
         (due = demo_due(c, err)) >= 0;
    if (ok && due)
        ok = apply_quietly(c, err) && run_simple(c, SQL_MIGRATE_DEMO_MARK,
                                                 err);
    PQfinish(c); /* ends the session lock too */
    return ok;
}
