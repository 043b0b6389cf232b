/* Batch validation: builds the rules' context from the database (today,
 * the registry offices, price quartiles per comuna), streams referenciales
 * in single-row mode through validate_referencial and prints the findings
 * as text, JSON or CSV, or counts them per rule for report moderation. */
#include "autoconfig.h"

#include "validate_cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/report.h"
#include "core/sql.h"
#include "core/xalloc.h"
#include "domain/comunas.h"
#include "domain/validate.h"
#include "i18n.h"
#include "migrate.h"

/* Columns of SQL_VALIDATE_ROWS. */
enum { C_ID, C_LAT, C_LNG, C_FOJAS, C_NUMERO, C_ANIO, C_CBR, C_COMPRADOR,
       C_VENDEDOR, C_PREDIO, C_COMUNA, C_ROL, C_FECHA, C_SUPERFICIE, C_MONTO,
       C_USER, C_GEOM_X, C_GEOM_Y, C_GEOM_SRID, C_DUPLICATES };

struct scan {
    struct validate_ctx ctx;
    enum validate_cli_format format;
    bool count_only;             /* report moderation: no output */
    const struct comuna *only;   /* --comuna, when it names one */
    const char *only_text;       /* --comuna as given, folded */
    long rows, failing, findings;
    long *per_rule;              /* indexed like validate_rules() */
    bool write_failed;
    bool ctx_ready;              /* validate_ctx_init ran */
};

static bool ctx_today(struct scan *s, struct db *db, char **err)
{
    PGresult *res = db_exec_sync(db, SQL_VALIDATE_SESSION, 0, NULL, err);
    struct validate_date today = { 2000, 1, 1 };

    if (!res)
        return false;
    PQclear(res);
    if (!(res = db_exec_sync(db, SQL_VALIDATE_TODAY, 0, NULL, err)))
        return false;
    validate_date_parse(PQgetvalue(res, 0, 0), &today);
    PQclear(res);
    validate_ctx_init(&s->ctx, today);
    s->ctx_ready = true;
    return true;
}

void validate_cli_set_cbrs(struct validate_ctx *ctx, const PGresult *res)
{
    int n = PQntuples(res);
    const char **names = xcalloc((size_t)n + 1, sizeof *names);

    for (int i = 0; i < n; i++)
        names[i] = PQgetvalue(res, i, 0);
    validate_ctx_set_cbrs(ctx, names, (size_t)n);
    free(names);
}

static bool ctx_cbrs(struct scan *s, struct db *db, char **err)
{
    PGresult *res = db_exec_sync(db, SQL_VALIDATE_CBRS, 0, NULL, err);

    if (!res)
        return false;
    validate_cli_set_cbrs(&s->ctx, res);
    PQclear(res);
    return true;
}

void validate_cli_set_prices(struct validate_ctx *ctx, const PGresult *res)
{
    int n = PQntuples(res), k = 0;
    struct validate_price_stats *st = xcalloc((size_t)n + 1, sizeof *st);

    for (int i = 0; i < n; i++) {
        struct validate_price_stats *p = &st[k];
        bool country = strcmp(PQgetvalue(res, i, 4), "t") == 0;

        p->comuna = country ? NULL : PQgetvalue(res, i, 0);
        p->n = atol(PQgetvalue(res, i, 2));
        p->kind = PQgetvalue(res, i, 3);
        if (sscanf(PQgetvalue(res, i, 1), "{%lf,%lf,%lf}", &p->q1,
                   &p->median, &p->q3) == 3)
            k++;
    }
    validate_ctx_set_price_stats(ctx, st, (size_t)k);
    free(st);
}

static bool ctx_prices(struct scan *s, struct db *db, char **err)
{
    PGresult *res = db_exec_sync(db, SQL_VALIDATE_PRICES, 0, NULL, err);

    if (!res)
        return false;
    validate_cli_set_prices(&s->ctx, res);
    PQclear(res);
    return true;
}

static const char *text_at(const PGresult *r, int i, int col)
{
    return PQgetisnull(r, i, col) ? "" : PQgetvalue(r, i, col);
}

static double num_at(const PGresult *r, int i, int col, double null_value)
{
    return PQgetisnull(r, i, col) ? null_value
                                  : strtod(PQgetvalue(r, i, col), NULL);
}

void validate_cli_row_read(const PGresult *r, int i,
                           struct referencial_row *row)
{
    *row = (struct referencial_row){
        .id = text_at(r, i, C_ID), .fojas = text_at(r, i, C_FOJAS),
        .lat = num_at(r, i, C_LAT, 0), .lng = num_at(r, i, C_LNG, 0),
        .numero = atoi(text_at(r, i, C_NUMERO)),
        .anio = atoi(text_at(r, i, C_ANIO)), .cbr = text_at(r, i, C_CBR),
        .comprador = text_at(r, i, C_COMPRADOR),
        .vendedor = text_at(r, i, C_VENDEDOR), .predio = text_at(r, i, C_PREDIO),
        .comuna = text_at(r, i, C_COMUNA), .rol = text_at(r, i, C_ROL),
        .fechaescritura = text_at(r, i, C_FECHA),
        .superficie = num_at(r, i, C_SUPERFICIE, 0),
        .monto = atoll(text_at(r, i, C_MONTO)),
        .monto_null = PQgetisnull(r, i, C_MONTO),
        .user_id = PQgetisnull(r, i, C_USER) ? NULL : text_at(r, i, C_USER),
        .geom_null = PQgetisnull(r, i, C_GEOM_X),
        .geom_lng = num_at(r, i, C_GEOM_X, 0), .geom_lat = num_at(r, i, C_GEOM_Y, 0),
        .geom_srid = atoi(text_at(r, i, C_GEOM_SRID)),
        .duplicates = atol(text_at(r, i, C_DUPLICATES)),
    };
}

/* --comuna: the same comuna however either side is spelt. */
static bool row_selected(const struct scan *s, const char *comuna)
{
    const struct comuna *c = NULL;
    char folded[COMUNAS_NAME_MAX + 1];

    if (!s->only_text)
        return true;
    if (s->only)
        return comunas_lookup(comuna, &c) != COMUNAS_NONE && c == s->only;
    comunas_fold(comuna, folded, sizeof folded);
    return strcmp(folded, s->only_text) == 0;
}

/* JSON string body: quotes, backslashes and control characters escaped;
 * UTF-8 passes through. */
static void json_string(const char *t)
{
    putchar('"');
    for (const unsigned char *p = (const unsigned char *)t; *p; p++) {
        if (*p == '"' || *p == '\\')
            printf("\\%c", *p);
        else if (*p < 0x20)
            printf("\\u%04x", *p);
        else
            putchar(*p);
    }
    putchar('"');
}

static void csv_field(const char *t, bool last)
{
    if (strpbrk(t, ",\"\r\n")) {
        putchar('"');
        for (const char *p = t; *p; p++) {
            if (*p == '"')
                putchar('"');
            putchar(*p);
        }
        putchar('"');
    } else {
        fputs(t, stdout);
    }
    putchar(last ? '\n' : ',');
}

static void print_json(const struct scan *s, const char *id,
                       const struct finding *f, const char *msg,
                       const char *fix)
{
    fputs(s->findings > 1 ? ",\n  {\"id\": " : "\n  {\"id\": ", stdout);
    json_string(id);
    fputs(", \"field\": ", stdout);
    json_string(f->field);
    fputs(", \"rule\": ", stdout);
    json_string(f->rule);
    fputs(", \"severity\": ", stdout);
    json_string(validate_severity_name(f->severity));
    fputs(", \"message\": ", stdout);
    json_string(msg);
    fputs(", \"suggestion\": ", stdout);
    if (*fix)
        json_string(fix);
    else
        fputs("null", stdout);
    putchar('}');
}

static void print_finding(const struct scan *s, const char *id,
                          const struct finding *f)
{
    char *msg = validate_finding_message(f), *fix = validate_finding_fix(f);
    const char *sev = validate_severity_name(f->severity);

    if (s->format == VALIDATE_CLI_JSON) {
        print_json(s, id, f, msg, fix);
    } else if (s->format == VALIDATE_CLI_CSV) {
        const char *cells[] = { id, f->field, f->rule, sev, msg, fix };
        for (int i = 0; i < 6; i++)
            csv_field(cells[i], i == 5);
    } else {
        printf("%s\t%s\t%s\t%s\t%s", id, f->field, f->rule, _(sev), msg);
        if (*fix)
            printf(_("\t(suggestion: %s)"), fix);
        putchar('\n');
    }
    free(msg);
    free(fix);
}

static void count_rule(struct scan *s, const char *rule)
{
    size_t n;
    const struct validate_rule *rules = validate_rules(&n);

    for (size_t i = 0; i < n; i++)
        if (strcmp(rules[i].id, rule) == 0) {
            s->per_rule[i]++;
            return;
        }
}

static void scan_row(struct db_job *job, const PGresult *res, void *arg)
{
    struct scan *s = arg;
    struct referencial_row row;
    struct finding out[VALIDATE_MAX_FINDINGS];
    int n;

    (void)job;
    validate_cli_row_read(res, 0, &row);
    if (!row_selected(s, row.comuna))
        return;
    s->rows++;
    n = validate_referencial(&row, &s->ctx, out, VALIDATE_MAX_FINDINGS);
    if (n > VALIDATE_MAX_FINDINGS)
        n = VALIDATE_MAX_FINDINGS;
    s->failing += n > 0;
    for (int i = 0; i < n; i++) {
        s->findings++;
        count_rule(s, out[i].rule);
        if (!s->count_only)
            print_finding(s, row.id, &out[i]);
    }
}

static void scan_done(struct db_job *job, void *arg)
{
    struct scan *s = arg;

    if (job->status != DB_JOB_OK) {
        fprintf(stderr, "degux-console: %s\n",
                job->error ? job->error : _("the scan was interrupted"));
        s->write_failed = true;
    }
}

static bool scan_prepare(struct scan *s, struct db *db, const char *comuna)
{
    char *err = NULL;
    size_t n;

    validate_rules(&n);
    s->per_rule = xcalloc(n, sizeof *s->per_rule);
    if (comuna && comunas_lookup(comuna, &s->only) == COMUNAS_NONE)
        s->only = NULL;
    if (comuna) {
        char folded[COMUNAS_NAME_MAX + 1];
        comunas_fold(comuna, folded, sizeof folded);
        s->only_text = xstrdup(folded);
    }
    if (ctx_today(s, db, &err) && ctx_cbrs(s, db, &err) &&
        ctx_prices(s, db, &err))
        return true;
    fprintf(stderr, "degux-console: %s\n", err ? err : "");
    free(err);
    return false;
}

/* Streams every row: the job fails as a whole or not at all. */
static bool scan_run(struct scan *s, struct db *db)
{
    struct db_job *job = db_job_new(_("Validate: referenciales"),
                                    SQL_VALIDATE_ROWS, scan_done, s);

    job->single_row = true;
    job->on_row = scan_row;
    db_submit(db, job);
    db_wait_idle(db);
    return !s->write_failed;
}

static void scan_free(struct scan *s)
{
    if (s->ctx_ready)
        validate_ctx_free(&s->ctx);
    free(s->per_rule);
    free((char *)s->only_text);
}

static void print_summary(const struct scan *s)
{
    if (s->format == VALIDATE_CLI_JSON)
        printf("%s],\n \"rows\": %ld, \"failing_rows\": %ld}\n",
               s->findings ? "\n " : "", s->rows, s->failing);
    else if (s->format == VALIDATE_CLI_TEXT)
        fprintf(stderr, _("%ld referenciales checked, %ld with findings, "
                          "%ld findings\n"), s->rows, s->failing,
                s->findings);
}

int validate_cli_run(struct db *db, enum validate_cli_format format,
                     const char *comuna)
{
    struct scan s = { .format = format };
    int rc = 2;

    if (comuna && !*comuna) {
        fprintf(stderr, "%s\n", _("degux-console: --comuna needs a name"));
        return 2;
    }
    if (scan_prepare(&s, db, comuna)) {
        if (format == VALIDATE_CLI_JSON)
            fputs("{\"findings\": [", stdout);
        else if (format == VALIDATE_CLI_CSV)
            puts("id,field,rule,severity,message,suggestion");
        if (scan_run(&s, db)) {
            print_summary(&s);
            rc = s.failing > 0;
        }
    }
    scan_free(&s);
    if (fflush(stdout) != 0 || ferror(stdout))
        rc = 2;
    return rc;
}

/* Counts per review status; without the console's schema every row is
 * pending and never reviewed. */
static bool report_statuses(struct report *r, struct db *db)
{
    static const char *const statuses[] = { N_("pending"), N_("approved"),
                                            N_("rejected"), N_("flagged") };
    bool migrated = migrate_schema_present(db);
    char *err = NULL;
    PGresult *res = db_exec_sync(db, migrated ? SQL_MODERATION_STATUS
                                              : SQL_MODERATION_TOTAL,
                                 0, NULL, &err);
    long long count[4] = { 0 }, never = 0, changed = 0;

    if (!res) {
        fprintf(stderr, "degux-console: %s\n", err ? err : "");
        free(err);
        return false;
    }
    for (int i = 0; i < PQntuples(res); i++) {
        const char *st = migrated ? PQgetvalue(res, i, 0) : "pending";
        int c = migrated ? 1 : 0;
        for (int k = 0; k < 4; k++)
            if (strcmp(st, statuses[k]) == 0)
                count[k] += atoll(PQgetvalue(res, i, c));
        never += atoll(PQgetvalue(res, i, migrated ? 2 : 0));
        changed += migrated ? atoll(PQgetvalue(res, i, 3)) : 0;
    }
    PQclear(res);
    report_heading(r, _("Review status"));
    report_bool(r, "migrated", _("console schema installed"), migrated);
    if (!migrated)
        report_note(r, "%s", _("the degux_console schema is missing: every "
                               "row is pending (degux-console --write "
                               "migrate up creates it)"));
    report_object_begin(r, "status", _("status"));
    for (int k = 0; k < 4; k++)
        report_int(r, statuses[k], _(statuses[k]), count[k]);
    report_int(r, "never_reviewed", _("never reviewed"), never);
    report_int(r, "changed_since_review", _("changed since review"),
               changed);
    report_object_end(r);
    return true;
}

/* Severities are shown translated; JSON keeps the stable English ids. */
static void report_rules(struct report *r, const struct scan *s, bool json)
{
    static const char *const keys[] = { "rule", "field", "severity",
                                        "title", "findings" };
    static const enum report_type types[] = { REPORT_STR, REPORT_STR,
                                              REPORT_STR, REPORT_STR,
                                              REPORT_INT };
    const char *labels[] = { _("rule"), _("field"), _("severity"),
                             _("title"), _("findings") };
    size_t n;
    const struct validate_rule *rules = validate_rules(&n);

    report_heading(r, _("Findings per rule"));
    report_int(r, "rows", _("referenciales checked"), s->rows);
    report_int(r, "failing_rows", _("with findings"), s->failing);
    report_table_begin(r, "rules", _("rules"), 5, keys, labels, types);
    for (size_t i = 0; i < n; i++) {
        char count[24];
        const char *sev = validate_severity_name(rules[i].severity);
        const char *row[] = { rules[i].id, rules[i].field,
                              json ? sev : _(sev), _(rules[i].title),
                              count };
        snprintf(count, sizeof count, "%ld", s->per_rule[i]);
        report_row(r, row);
    }
    report_table_end(r);
}

int validate_cli_report(struct db *db, bool json)
{
    struct scan s = { .count_only = true };
    struct report *r = report_new(json, stdout);
    bool ok = report_statuses(r, db) && scan_prepare(&s, db, NULL) &&
              scan_run(&s, db);

    int failing;

    if (ok)
        report_rules(r, &s, json);
    failing = s.failing > 0;
    scan_free(&s);
    /* like validate: 1 when a row fails a rule, so cron can tell */
    return report_finish(r) || !ok ? 2 : failing;
}
