/* Entry point: options, configuration and locale; resolves where to
 * connect, then runs the console or a batch command (report …). */
#include "autoconfig.h"

#include <getopt.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "core/config.h"
#include "core/conninfo.h"
#include "core/db.h"
#include "core/demo.h"
#include "core/xalloc.h"
#include "i18n.h"
#include "reports.h"
#include "ui/cmdline.h"

struct options {
    const char *conn, *config, *pane;
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
    fputs(_("Reports: status\n"
            "Exit status: 0 ok, 1 findings (reports), 2 cannot connect or "
            "bad usage.\n"), out);
}

static bool parse_options(int argc, char **argv, struct options *o)
{
    enum { OPT_DEMO = 256, OPT_DEMO_SIZE, OPT_CONFIG, OPT_PANE, OPT_JSON,
           OPT_PRINT };
    static const struct option longopts[] = {
        { "dbname", required_argument, NULL, 'd' },
        { "write", no_argument, NULL, 'w' },
        { "demo", no_argument, NULL, OPT_DEMO },
        { "demo-size", required_argument, NULL, OPT_DEMO_SIZE },
        { "config", required_argument, NULL, OPT_CONFIG },
        { "pane", required_argument, NULL, OPT_PANE },
        { "json", no_argument, NULL, OPT_JSON },
        { "print-conninfo", no_argument, NULL, OPT_PRINT },
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
    if (o->nargs > 0 && !o->conn && strcmp(o->args[0], "report") != 0) {
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

    return demo_ensure(&d, err);
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
    return db;
}

/* The resolved conninfo, for psql and scripts (the demo's, typically). */
static int print_conninfo(const struct options *o, const struct config *cfg)
{
    char *schema = NULL, *err = NULL;
    bool write = false;
    char *ci = resolve_target(o, cfg, &schema, &write, &err);

    if (!ci) {
        fprintf(stderr, "degux-console: %s\n", err ? err : "");
        free(err);
        return 2;
    }
    puts(ci);
    free(ci);
    free(schema);
    return 0;
}

static int run(const struct options *o, struct config *cfg)
{
    char *err = NULL;
    struct db *db;
    int rc;
    bool report = o->nargs > 0 && strcmp(o->args[0], "report") == 0;

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
    if (report)
        rc = reports_run(o->args[1], db, cfg, o->json, o->args + 2,
                         o->nargs - 2);
    else
        rc = app_run(cfg, db, o->pane ? o->pane : cfg->pane);
    db_close(db);
    return rc;
}

int main(int argc, char **argv)
{
    struct options o = { 0 };
    struct config cfg;
    char *err = NULL;
    int rc;

    /* Before anything reads the locale: readline's UTF-8 trap. */
    cmdline_init();
    /* Numbers in reports and SQL parameters always use a decimal point. */
    setlocale(LC_NUMERIC, "C");
#ifdef ENABLE_NLS
    /* DEGUX_LOCALEDIR: catalogues of an uninstalled build (tests). */
    bindtextdomain(PACKAGE, getenv("DEGUX_LOCALEDIR") ? getenv("DEGUX_LOCALEDIR")
                                                       : LOCALEDIR);
    bind_textdomain_codeset(PACKAGE, "UTF-8");
    textdomain(PACKAGE);
#endif
    if (!parse_options(argc, argv, &o))
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
