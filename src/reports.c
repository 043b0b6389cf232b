/* The report kinds and the built-in status report. */
#include "autoconfig.h"

#include "reports.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/report.h"
#include "core/sql.h"
#include "core/xalloc.h"
#include "i18n.h"
#include "panes/pane.h"
#include "panes/registry.h"

/* Report kinds served by another pane's report operation. */
static const struct { const char *kind, *pane; } aliases[] = {
    { "advisor", "schema" },
    { "activity", "slow" },
};

static const char *current_kind, *current_table;
static struct reports_slow_options slow_options = { 100, 0, 0 };

void reports_set_slow(double threshold_ms, long limit, double now_s)
{
    slow_options = (struct reports_slow_options){ threshold_ms, limit, now_s };
}

const struct reports_slow_options *reports_slow(void)
{
    return &slow_options;
}

void reports_set_table(const char *name)
{
    current_table = name;
}

const char *reports_table(void)
{
    return current_table;
}

const char *reports_kind(void)
{
    return current_kind;
}

static const char *rls_role, *rls_user;
static const struct config *current_cfg;

void reports_set_rls(const char *role, const char *user)
{
    rls_role = role;
    rls_user = user;
}

const char *reports_rls_role(void)
{
    return rls_role;
}

const char *reports_rls_user(void)
{
    return rls_user;
}

const struct config *reports_config(void)
{
    return current_cfg;
}

static const struct pane_ops *pane_for(const char *kind)
{
    for (size_t i = 0; i < sizeof aliases / sizeof *aliases; i++)
        if (strcmp(aliases[i].kind, kind) == 0)
            kind = aliases[i].pane;
    for (const struct pane_ops *const *p = pane_registry(); *p; p++)
        if ((*p)->report && strcmp((*p)->id, kind) == 0)
            return *p;
    return NULL;
}

bool reports_known(const char *kind)
{
    return strcmp(kind, "status") == 0 || pane_for(kind) != NULL;
}

const char *reports_kinds(void)
{
    static char buf[256];

    snprintf(buf, sizeof buf, "status");
    for (const struct pane_ops *const *p = pane_registry(); *p; p++)
        if ((*p)->report)
            snprintf(buf + strlen(buf), sizeof buf - strlen(buf), ", %s",
                     (*p)->id);
    for (size_t i = 0; i < sizeof aliases / sizeof *aliases; i++)
        if (pane_for(aliases[i].kind))
            snprintf(buf + strlen(buf), sizeof buf - strlen(buf), ", %s",
                     aliases[i].kind);
    /* Printed by src/validate_cli.c from the same validators. */
    snprintf(buf + strlen(buf), sizeof buf - strlen(buf), ", moderation");
    return buf;
}

static void status_connection(struct report *r, struct db *db)
{
    const struct db_info *in = db_info(db);
    char *target = xasprintf("%s@%s:%s/%s", in->user ? in->user : "",
                             in->host ? in->host : "", in->port ? in->port : "",
                             in->dbname ? in->dbname : "");

    report_heading(r, _("Connection"));
    report_bool(r, "connected", _("connected"), true);
    report_str(r, "target", _("target"), target);
    report_str(r, "server_version", _("server version"),
               in->server_version_str);
    report_int(r, "server_version_num", _("server version number"),
               in->server_version);
    report_str(r, "postgis_version", _("PostGIS"), in->postgis_version);
    report_object_begin(r, "pg_stat_statements", "pg_stat_statements");
    report_bool(r, "installed", _("installed"), in->pgss_version != NULL);
    report_bool(r, "preloaded", _("preloaded"), in->pgss_preloaded);
    report_str(r, "version", _("version"), in->pgss_version);
    report_object_end(r);
    report_bool(r, "read_only", _("read-only session"), !db_write_mode(db));
    report_bool(r, "superuser", _("superuser"), in->superuser);
    report_str(r, "current_schema", _("current schema"), in->current_schema);
    free(target);
}

static int status_tables(struct report *r, struct db *db)
{
    char *err = NULL;
    PGresult *res = db_exec_sync(db, SQL_STATUS_TABLES, 0, NULL, &err);

    if (!res) {
        fprintf(stderr, "degux-console: %s\n", err);
        free(err);
        return 2;
    }
    report_heading(r, _("degux tables (row estimates; - = not present)"));
    report_object_begin(r, "tables", _("tables"));
    for (int i = 0; i < PQntuples(res); i++) {
        const char *name = PQgetvalue(res, i, 0);
        if (PQgetisnull(res, i, 1))
            report_str(r, name, name, NULL);
        else
            report_int(r, name, name, atoll(PQgetvalue(res, i, 1)));
    }
    report_object_end(r);
    PQclear(res);
    return 0;
}

static int run_status(struct db *db, bool json)
{
    struct report *r = report_new(json, stdout);
    int rc;

    status_connection(r, db);
    rc = status_tables(r, db);
    return report_finish(r) ? 2 : rc;
}

int reports_run(const char *kind, struct db *db, const struct config *cfg,
                bool json, char **args, int nargs)
{
    const struct pane_ops *ops;
    struct pane p;
    struct report *r;
    int rc;

    if (strcmp(kind, "status") == 0)
        return run_status(db, json);
    if (!(ops = pane_for(kind)))
        return 2;
    current_kind = kind;
    current_cfg = cfg;
    p = (struct pane){ ops, db, NULL, true };
    ops->open(&p);
    db_wait_idle(db);
    r = report_new(json, stdout);
    rc = ops->report(&p, r);
    if (rc == 2 && report_empty(r))
        report_discard(r);
    else if (report_finish(r))
        rc = 2;
    if (ops->close)
        ops->close(&p);
    return rc;
}

void reports_unreachable(const char *kind, const char *err, bool json)
{
    struct report *r;

    if (!json)
        return;
    r = report_new(true, stdout);
    report_bool(r, "connected", _("connected"), false);
    report_str(r, "error", _("error"), err);
    report_finish(r);
}
