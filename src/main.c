/* Entry point: options, configuration and locale; resolves where to
 * connect, then runs the console or a batch command (report …). */
#include "autoconfig.h"

#include <getopt.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app.h"
#include "core/config.h"
#include "core/conninfo.h"
#include "core/db.h"
#include "core/demo.h"
#include "core/xalloc.h"
#include "i18n.h"
#include "migrate.h"
#include "validate_cli.h"
#include "panes/backups.h"
#include "reports.h"
#include "search_cli.h"
#include "ui/cmdline.h"

struct options {
    const char *conn, *config, *pane;
    const char *dir;  /* --dir: the backup folder (report backups, backup) */
    const char *table; /* --table: report schema's one table */
    const char *as_role, *as_user; /* --as-role, --as-user: report rls */
    double threshold_ms, now_s; /* --threshold, --now: report slow */
    long limit;        /* --limit: report slow */
    const char *comuna; /* --comuna: validate */
    bool csv;           /* --csv: validate */
    bool write, demo, json, help, version, print_conninfo;
    long demo_size;
    char **args;      /* positional arguments after the connection */
    int nargs;
};

static void usage(FILE *out)
{
    fprintf(out, _("Usage: %s [OPTION]... [CONNECTION]\n"
                   "       %s [OPTION]... report KIND [--json]\n"),
            "degux-console", "degux-console");
    fputs(_("A terminal console for the degux.cl PostgreSQL + PostGIS "
            "database\n(and any other PostgreSQL database).\n\n"), out);
    fputs(_("CONNECTION is a conninfo string (\"host=… dbname=…\"), a URI "
            "(postgresql://…,\nPrisma's ?schema= accepted), a database name, "
            "or the name of a\n[connection NAME] section of the "
            "configuration file.\n\n"), out);
    fputs(_("Options:\n"
            "  -d, --dbname=CONNECTION  where to connect (as the argument)\n"
            "  -w, --write              start in write mode (default: "
            "read-only)\n"
            "      --demo               use the embedded demo database "
            "(created on first use)\n"
            "      --demo-size=N        referenciales in a new demo "
            "(default 100000)\n"
            "      --config=FILE        configuration file\n"
            "      --pane=NAME          pane shown first (schema, search, "
            "moderation,\n"
            "                           rls, slow, backups, sql)\n"
            "      --json               JSON output for reports\n"
            "      --print-conninfo     print the connection string and exit\n"
            "                           (psql \"$(degux-console --demo "
            "--print-conninfo)\")\n"
            "  -h, --help               show this help and exit\n"
            "  -V, --version            show the version and exit\n\n"),
          out);
    fputs(_("Backups:\n"
            "      --dir=DIR            the backup folder, for report backups "
            "and\n"
            "                           the backup commands (default: the "
            "configuration's)\n"
            "  backup verify [--json]   verify every backup file (no "
            "database needed)\n"
            "  backup now               pg_dump into the folder (needs "
            "--write)\n"
            "  backup restore-test [FILE]\n"
            "                           restore FILE (default: the newest "
            "verified\n"
            "                           backup) into a scratch database, "
            "compare every\n"
            "                           table's row count, drop it (needs "
            "--write)\n\n"), out);
    fputs(_("Schema reports:\n"
            "      --table=NAME         report schema: one table's detail "
            "(NAME or\n"
            "                           SCHEMA.NAME)\n\n"), out);
    fputs(_("Slow-query reports:\n"
            "      --threshold=MS       report slow: the mean that counts "
            "as slow\n"
            "      --limit=N            report slow: at most N statements\n"
            "      --now=SECONDS        report slow: only what runs during "
            "the next\n"
            "                           SECONDS (two snapshots)\n\n"), out);
    fputs(_("RLS reports:\n"
            "      --as-role=ROLE       report rls: rows each table shows ROLE "
            "(rolled back)\n"
            "      --as-user=ID         report rls: with auth.uid() = ID\n\n"),
          out);
    fputs(_("Moderation:\n"
            "  migrate status|up|down   the console's own schema "
            "(degux_console);\n"
            "                           up and down need --write\n"
            "  validate [--json|--csv] [--comuna=C]\n"
            "                           check every referencial, print "
            "the findings\n"
            "  report moderation        counts per review status and "
            "per rule;\n"
            "                           exit 0 no failing row, 1 failing "
            "rows, 2 error\n\n"), out);
    fputs(_("Search:\n"
            "  search referenciales|property|listing [--comuna C] "
            "[--region R]\n"
            "         [--from DATE] [--to DATE] [--near LAT,LNG --radius KM]"
            "\n         [--text T] [--rol R|PREFIX*] [--limit N] [--all] "
            "[--json|--csv|--sql]\n"
            "         also --anio-min/--anio-max Y, --min-price/--max-price N,"
            "\n         --min-surface/--max-surface M2, --type T, --status S, "
            "--cbr C,\n         --sort COL [--desc], --after-value V "
            "--after-id ID (the\n         JSON \"next\" cursor)\n\n"), out);
    fprintf(out, _("Reports: %s\n"), reports_kinds());
    fputs(_("Exit status: 0 ok, 1 findings (reports), 2 cannot connect or "
            "bad usage.\n"), out);
}

/* --threshold MS, --limit N, --now SECONDS (which: 0, 1, 2). */
static bool parse_slow_option(int which, const char *arg, struct options *o)
{
    static const char *const names[] = { "--threshold", "--limit", "--now" };
    static const double max[] = { 86400000, 1000000, 3600 };
    char *end;
    double v = strtod(arg, &end);

    if (end == arg || *end || !(v > 0) || v > max[which] ||
        (which == 1 && v != (long)v)) {
        fprintf(stderr, _("degux-console: %s must be a positive number up "
                          "to %.0f\n"), names[which], max[which]);
        return false;
    }
    if (which == 0)
        o->threshold_ms = v;
    else if (which == 1)
        o->limit = (long)v;
    else
        o->now_s = v;
    return true;
}

static bool parse_options(int argc, char **argv, struct options *o)
{
    enum { OPT_DEMO = 256, OPT_DEMO_SIZE, OPT_CONFIG, OPT_PANE, OPT_JSON,
           OPT_PRINT, OPT_DIR, OPT_TABLE, OPT_THRESHOLD, OPT_LIMIT,
           OPT_NOW, OPT_AS_ROLE, OPT_AS_USER };
    enum { OPT_CSV = 512, OPT_COMUNA };
    static const struct option longopts[] = {
        { "dbname", required_argument, NULL, 'd' },
        { "write", no_argument, NULL, 'w' },
        { "demo", no_argument, NULL, OPT_DEMO },
        { "demo-size", required_argument, NULL, OPT_DEMO_SIZE },
        { "config", required_argument, NULL, OPT_CONFIG },
        { "pane", required_argument, NULL, OPT_PANE },
        { "json", no_argument, NULL, OPT_JSON },
        { "print-conninfo", no_argument, NULL, OPT_PRINT },
        { "csv", no_argument, NULL, OPT_CSV },
        { "comuna", required_argument, NULL, OPT_COMUNA },
        { "dir", required_argument, NULL, OPT_DIR },
        { "table", required_argument, NULL, OPT_TABLE },
        { "threshold", required_argument, NULL, OPT_THRESHOLD },
        { "limit", required_argument, NULL, OPT_LIMIT },
        { "now", required_argument, NULL, OPT_NOW },
        { "as-role", required_argument, NULL, OPT_AS_ROLE },
        { "as-user", required_argument, NULL, OPT_AS_USER },
        { "help", no_argument, NULL, 'h' },
        { "version", no_argument, NULL, 'V' },
        { NULL, 0, NULL, 0 },
    };
    int c;
    char *end;

    while ((c = getopt_long(argc, argv, "d:whV", longopts, NULL)) != -1) {
        switch (c) {
        case 'd': o->conn = optarg; break;
        case 'w': o->write = true; break;
        case 'h': o->help = true; break;
        case 'V': o->version = true; break;
        case OPT_DEMO: o->demo = true; break;
        case OPT_CONFIG: o->config = optarg; break;
        case OPT_PANE: o->pane = optarg; break;
        case OPT_JSON: o->json = true; break;
        case OPT_PRINT: o->print_conninfo = true; break;
        case OPT_CSV: o->csv = true; break;
        case OPT_COMUNA: o->comuna = optarg; break;
        case OPT_DIR: o->dir = optarg; break;
        case OPT_TABLE: o->table = optarg; break;
        case OPT_AS_ROLE: o->as_role = optarg; break;
        case OPT_AS_USER: o->as_user = optarg; break;
        case OPT_THRESHOLD: case OPT_LIMIT: case OPT_NOW:
            if (!parse_slow_option(c - OPT_THRESHOLD, optarg, o))
                return false;
            break;
        case OPT_DEMO_SIZE:
            o->demo_size = strtol(optarg, &end, 10);
            if (*end || o->demo_size < 100 || o->demo_size > 10000000) {
                fprintf(stderr, _("degux-console: --demo-size must be a "
                                  "number from 100 to 10000000\n"));
                return false;
            }
            break;
        default:
            fprintf(stderr, _("Try 'degux-console --help'.\n"));
            return false;
        }
    }
    o->args = argv + optind;
    o->nargs = argc - optind;
    /* The connection is the first positional argument unless it names a
     * batch command. */
    if (o->nargs > 0 && !o->conn && strcmp(o->args[0], "report") != 0 &&
        strcmp(o->args[0], "backup") != 0 &&
        strcmp(o->args[0], "migrate") != 0 &&
        strcmp(o->args[0], "validate") != 0) {
        o->conn = o->args[0];
        o->args++;
        o->nargs--;
    }
    return true;
}

static char *demo_conninfo(const struct options *o, const struct config *cfg,
                           char **err)
{
    struct demo_opts d = {
        .dir = cfg->demo_dir, .bindir = cfg->demo_bindir, .datadir = NULL,
        .size = o->demo_size ? o->demo_size : cfg->demo_size, .quiet = false,
    };

    char *ci = demo_ensure(&d, err), *merr = NULL;

    /* The showroom opens with the console's schema; a failure is said on
     * stderr (stdout may be a report's JSON) and the demo still opens. */
    if (ci && !migrate_demo_once(ci, &merr))
        fprintf(stderr, _("degux-console: the demo's console schema: %s\n"),
                merr ? merr : "");
    free(merr);
    return ci;
}

/* conninfo for libpq (caller frees) and the Prisma schema, or NULL. */
static char *resolve_target(const struct options *o, const struct config *cfg,
                            char **schema, bool *write, char **err)
{
    const char *arg = o->conn;
    const struct config_connection *named;

    *schema = NULL;
    if (o->demo)
        return demo_conninfo(o, cfg, err);
    if (!arg)
        arg = config_connection(cfg, "default") ? "default" : "";
    if ((named = config_connection(cfg, arg))) {
        char *ci = config_connection_conninfo(named);
        char *out = conninfo_normalize(ci, schema, err);
        *write = *write || named->write;
        free(ci);
        return out;
    }
    return conninfo_normalize(arg, schema, err);
}

/* `search ...`, parsed before connecting (src/search_cli.c). */
static struct search_cli *search_cmd;

static struct db *connect_or_explain(const struct options *o,
                                     const struct config *cfg, char **err)
{
    char *schema = NULL, *ci;
    bool write = o->write;
    struct db *db;

    ci = resolve_target(o, cfg, &schema, &write, err);
    if (!ci)
        return NULL;
    db = db_connect(ci, schema, cfg->statement_timeout_ms, write, err);
    free(ci);
    free(schema);
    /* Without a screen, what the session has to say goes to stderr. */
    if (db && (o->nargs > 0 || search_cmd)) {
        char *alert = db_take_alert(db);

        if (alert)
            fprintf(stderr, "degux-console: %s\n", alert);
        free(alert);
    }
    return db;
}

/* The resolved conninfo, for psql and scripts (the demo's, typically). */
static int print_conninfo(const struct options *o, const struct config *cfg)
{
    char *schema = NULL, *err = NULL, *shown;
    bool write = false;
    char *ci = resolve_target(o, cfg, &schema, &write, &err);

    if (!ci) {
        fprintf(stderr, "degux-console: %s\n", err ? err : "");
        free(err);
        return 2;
    }
    shown = conninfo_effective(ci);
    puts(shown ? shown : ci);
    if (!*(shown ? shown : ci))
        fprintf(stderr, "%s\n", _("degux-console: nothing is set: libpq's "
                                   "defaults apply (local socket, port 5432, "
                                   "your user name as user and database)"));
    free(shown);
    free(ci);
    free(schema);
    return 0;
}

/* With --demo and no folder configured, the backups pane looks at the
 * demo's folder and log. */
static void demo_backups(const struct options *o, struct config *cfg)
{
    struct demo_opts d = { .dir = cfg->demo_dir };
    char *dir;

    if (!o->demo || cfg->backup_dir)
        return;
    dir = demo_backup_dir(&d);
    cfg->backup_dir = dir;
    free(cfg->backup_log);
    cfg->backup_log = xasprintf("%.*s/nexus-backup.log",
                                (int)(strrchr(dir, '/') - dir), dir);
}

static struct db *connect_or_explain(const struct options *o,
                                     const struct config *cfg, char **err);

/* `backup verify` (the folder alone, no database), `backup now` and
 * `backup restore-test [FILE]` (write mode). */
static int run_backup(const struct options *o, const struct config *cfg)
{
    const char *what = o->nargs >= 2 ? o->args[1] : "";
    char *err = NULL;
    struct db *db;
    int rc;

    if (o->nargs == 2 && strcmp(what, "verify") == 0)
        return backups_command_verify(o->json);
    if (!((o->nargs == 2 && strcmp(what, "now") == 0) ||
          ((o->nargs == 2 || o->nargs == 3) &&
           strcmp(what, "restore-test") == 0))) {
        fprintf(stderr, _("degux-console: usage: backup verify|now|"
                          "restore-test [FILE] [--dir DIR]\n"));
        return 2;
    }
    if (!o->write) {
        fprintf(stderr, _("degux-console: backup %s needs --write\n"), what);
        return 2;
    }
    if (!(db = connect_or_explain(o, cfg, &err))) {
        fprintf(stderr, "degux-console: %s\n", err ? err : "");
        free(err);
        return 2;
    }
    rc = backups_command_run(db, what, o->nargs == 3 ? o->args[2] : NULL);
    db_close(db);
    return rc;
}

/* migrate, validate and report moderation (src/migrate.c,
 * src/validate_cli.c); -1 when the arguments name none of them. */
static int run_tool(const struct options *o, const struct config *cfg)
{
    const char *cmd = o->nargs > 0 ? o->args[0] : "";
    bool moderation = o->nargs >= 2 && strcmp(cmd, "report") == 0 &&
                      strcmp(o->args[1], "moderation") == 0;
    char *err = NULL;
    struct db *db;
    int rc;

    if (!moderation && strcmp(cmd, "migrate") != 0 &&
        strcmp(cmd, "validate") != 0)
        return -1;
    if (moderation && o->nargs != 2) {
        fprintf(stderr, "%s\n", _("degux-console: usage: report moderation "
                                  "[--json]"));
        return 2;
    }
    if (strcmp(cmd, "validate") == 0 &&
        (o->nargs != 1 || (o->json && o->csv))) {
        fprintf(stderr, "%s\n", _("degux-console: usage: validate "
                                  "[--json|--csv] [--comuna C]"));
        return 2;
    }
    if (!(db = connect_or_explain(o, cfg, &err))) {
        fprintf(stderr, "degux-console: %s\n", err ? err : "");
        free(err);
        return 2;
    }
    if (strcmp(cmd, "migrate") == 0)
        rc = migrate_command(db, o->args, o->nargs, o->json);
    else if (moderation)
        rc = validate_cli_report(db, o->json);
    else
        rc = validate_cli_run(db, o->json ? VALIDATE_CLI_JSON
                                  : o->csv ? VALIDATE_CLI_CSV
                                           : VALIDATE_CLI_TEXT, o->comuna);
    db_close(db);
    return rc;
}

static int run_search(const struct options *o, const struct config *cfg)
{
    char *err = NULL;
    struct db *db = connect_or_explain(o, cfg, &err);
    int rc;

    if (!db) {
        fprintf(stderr, "degux-console: %s\n", err ? err : "");
        free(err);
        return 2;
    }
    rc = search_cli_run(search_cmd, db);
    db_close(db);
    return rc;
}

static int run(const struct options *o, struct config *cfg)
{
    char *err = NULL;
    struct db *db;
    int rc;
    bool report = o->nargs > 0 && strcmp(o->args[0], "report") == 0;

    demo_backups(o, cfg);
    backups_configure(cfg, o->dir);
    if (o->nargs > 0 && strcmp(o->args[0], "backup") == 0)
        return run_backup(o, cfg);
    if ((rc = run_tool(o, cfg)) >= 0)
        return rc;
    if (search_cmd)
        return run_search(o, cfg);

    if (o->nargs > 0 && !report) {
        fprintf(stderr, _("degux-console: unexpected argument \"%s\"\n"),
                o->args[0]);
        return 2;
    }
    if (report && o->nargs < 2) {
        fprintf(stderr, _("degux-console: report needs a KIND (%s)\n"),
                reports_kinds());
        return 2;
    }
    if (report && !reports_known(o->args[1])) {
        fprintf(stderr, _("degux-console: unknown report \"%s\" (%s)\n"),
                o->args[1], reports_kinds());
        return 2;
    }
    if (o->as_user && !o->as_role) {
        fprintf(stderr, _("degux-console: --as-user needs --as-role\n"));
        return 2;
    }
    if (o->print_conninfo)
        return print_conninfo(o, cfg);
    db = connect_or_explain(o, cfg, &err);
    if (!db) {
        if (report)
            reports_unreachable(o->args[1], err, o->json);
        fprintf(stderr, "degux-console: %s\n", err ? err : "");
        free(err);
        return 2;
    }
    reports_set_table(o->table);
    reports_set_rls(o->as_role, o->as_user);
    reports_set_slow(o->threshold_ms > 0 ? o->threshold_ms
                                         : cfg->slow_threshold_ms,
                     o->limit, o->now_s);
    if (report)
        rc = reports_run(o->args[1], db, cfg, o->json, o->args + 2,
                         o->nargs - 2);
    else
        rc = app_run(cfg, db, o->pane ? o->pane : cfg->pane);
    db_close(db);
    return rc;
}

#ifdef ENABLE_NLS
/* Where the catalogues are: DEGUX_LOCALEDIR when set (tests), LOCALEDIR
 * once installed, else the locale folder `make` lays out next to the
 * binary, so a build tree speaks Spanish without installing. */
static char *locale_dir(void)
{
    const char *env = getenv("DEGUX_LOCALEDIR");
    char *probe, exe[4096], *slash, *dir;
    ssize_t n;
    bool installed;

    if (env && *env)
        return xstrdup(env);
    probe = xasprintf("%s/es/LC_MESSAGES/%s.mo", LOCALEDIR, PACKAGE);
    installed = access(probe, R_OK) == 0;
    free(probe);
    n = installed ? -1 : readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0)
        return xstrdup(LOCALEDIR);
    exe[n] = 0;
    slash = strrchr(exe, '/');
    if (slash)
        *slash = 0;
    dir = xasprintf("%s/locale", exe);
    if (access(dir, X_OK) == 0)
        return dir;
    free(dir);
    return xstrdup(LOCALEDIR);
}
#endif

int main(int argc, char **argv)
{
    struct options o = { 0 };
    struct config cfg;
    char *err = NULL;
    int rc, nmain;

    /* Before anything reads the locale: readline's UTF-8 trap. */
    cmdline_init();
    /* Numbers in reports and SQL parameters always use a decimal point. */
    setlocale(LC_NUMERIC, "C");
#ifdef ENABLE_NLS
    {
        char *dir = locale_dir();
        bindtextdomain(PACKAGE, dir);
        free(dir);
    }
    bind_textdomain_codeset(PACKAGE, "UTF-8");
    textdomain(PACKAGE);
#endif
    /* The words after "search" are the search's own options. */
    nmain = search_cli_split(argc, argv);
    if (!parse_options(nmain, argv, &o))
        return 2;
    if (nmain < argc && !o.help && !o.version &&
        !(search_cmd = search_cli_parse(argc - nmain, argv + nmain)))
        return 2;
    if (o.help) {
        usage(stdout);
        return 0;
    }
    if (o.version) {
        printf("degux-console %s\n", PACKAGE_VERSION);
        return 0;
    }
    if (!config_load(&cfg, o.config, &err)) {
        fprintf(stderr, "degux-console: %s\n", err);
        free(err);
        return 2;
    }
    rc = run(&o, &cfg);
    config_free(&cfg);
    return rc;
}
