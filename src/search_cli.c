/* The search command: its own options (parsed apart from the console's),
 * the query from src/domain/searchq.c, rows printed as text, CSV or JSON
 * objects keyed by column name, with the keyset cursor of the next page. */
#include "autoconfig.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <libpq-fe.h>

#include "core/sql.h"
#include "core/xalloc.h"
#include "domain/searchq.h"
#include "i18n.h"
#include "search_cli.h"

enum search_output { OUT_TEXT, OUT_CSV, OUT_JSON, OUT_SQL };

struct search_cli {
    struct searchq_filter f;
    enum search_output out;
    bool all;
    char *near_lat, *near_lng;
};

/* The console's options that take a value: the word after one of them is
 * that value, not a command. */
static bool takes_value(const char *opt)
{
    static const char *const with[] = {
        "-d", "--dbname", "--config", "--pane", "--demo-size", "--dir",
        "--table", "--threshold", "--limit", "--now", "--comuna",
        "--as-role", "--as-user", NULL,
    };

    for (int i = 0; with[i]; i++)
        if (strcmp(opt, with[i]) == 0)
            return true;
    return false;
}

int search_cli_split(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0)
            return argc;
        if (strcmp(argv[i], "search") == 0 && !takes_value(argv[i - 1]))
            return i;
    }
    return argc;
}

/* Which option set a filter field, for messages. */
static const char *field_option(const char *field)
{
    static const char *const map[][2] = {
        { "date_from", "--from" }, { "date_to", "--to" },
        { "anio_min", "--anio-min" }, { "anio_max", "--anio-max" },
        { "price_min", "--min-price" }, { "price_max", "--max-price" },
        { "surface_min", "--min-surface" }, { "surface_max", "--max-surface" },
        { "near_lat", "--near (latitude)" },
        { "near_lng", "--near (longitude)" },
        { "radius_km", "--radius" }, { "property_type", "--type" },
        { "status", "--status" }, { "rol", "--rol" }, { "cbr", "--cbr" },
        { "region", "--region" }, { "sort", "--sort" }, { "limit", "--limit" },
        { "after_id", "--after-id" }, { "target", "TARGET" },
    };

    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (strcmp(map[i][0], field) == 0)
            return map[i][1];
    return field;
}

static bool bad(const char *option, const char *why)
{
    fprintf(stderr, _("degux-console: search: %s: %s\n"), option, why);
    return false;
}

/* --near LAT,LNG */
static bool parse_near(struct search_cli *c, const char *arg)
{
    const char *comma = strchr(arg, ',');

    if (!comma || !comma[1] || comma == arg)
        return bad("--near", _("expected LAT,LNG"));
    c->near_lat = xstrndup(arg, (size_t)(comma - arg));
    c->near_lng = xstrdup(comma + 1);
    c->f.near_lat = c->near_lat;
    c->f.near_lng = c->near_lng;
    return true;
}

static bool parse_limit(struct search_cli *c, const char *arg)
{
    char *end;
    long n = strtol(arg, &end, 10);

    if (end == arg || *end || n < 1 || n > 100000)
        return bad("--limit", _("must be a number from 1 to 100000"));
    c->f.limit = n;
    return true;
}

enum {
    O_COMUNA = 256, O_REGION, O_FROM, O_TO, O_ANIO_MIN, O_ANIO_MAX,
    O_MIN_PRICE, O_MAX_PRICE, O_MIN_SURF, O_MAX_SURF, O_TYPE, O_STATUS,
    O_ROL, O_CBR, O_TEXT, O_NEAR, O_RADIUS, O_SORT, O_DESC, O_LIMIT,
    O_AFTER_VALUE, O_AFTER_ID, O_JSON, O_CSV, O_SQL, O_ALL,
};

static const struct option search_options[] = {
    { "comuna", required_argument, NULL, O_COMUNA },
    { "region", required_argument, NULL, O_REGION },
    { "from", required_argument, NULL, O_FROM },
    { "to", required_argument, NULL, O_TO },
    { "anio-min", required_argument, NULL, O_ANIO_MIN },
    { "anio-max", required_argument, NULL, O_ANIO_MAX },
    { "min-price", required_argument, NULL, O_MIN_PRICE },
    { "max-price", required_argument, NULL, O_MAX_PRICE },
    { "min-surface", required_argument, NULL, O_MIN_SURF },
    { "max-surface", required_argument, NULL, O_MAX_SURF },
    { "type", required_argument, NULL, O_TYPE },
    { "status", required_argument, NULL, O_STATUS },
    { "rol", required_argument, NULL, O_ROL },
    { "cbr", required_argument, NULL, O_CBR },
    { "text", required_argument, NULL, O_TEXT },
    { "near", required_argument, NULL, O_NEAR },
    { "radius", required_argument, NULL, O_RADIUS },
    { "sort", required_argument, NULL, O_SORT },
    { "desc", no_argument, NULL, O_DESC },
    { "limit", required_argument, NULL, O_LIMIT },
    { "after-value", required_argument, NULL, O_AFTER_VALUE },
    { "after-id", required_argument, NULL, O_AFTER_ID },
    { "json", no_argument, NULL, O_JSON },
    { "csv", no_argument, NULL, O_CSV },
    { "sql", no_argument, NULL, O_SQL },
    { "all", no_argument, NULL, O_ALL },
    { NULL, 0, NULL, 0 },
};

/* The string fields, by option. */
static const char **text_field(struct searchq_filter *f, int opt)
{
    switch (opt) {
    case O_COMUNA: return &f->comuna;
    case O_REGION: return &f->region;
    case O_FROM: return &f->date_from;
    case O_TO: return &f->date_to;
    case O_ANIO_MIN: return &f->anio_min;
    case O_ANIO_MAX: return &f->anio_max;
    case O_MIN_PRICE: return &f->price_min;
    case O_MAX_PRICE: return &f->price_max;
    case O_MIN_SURF: return &f->surface_min;
    case O_MAX_SURF: return &f->surface_max;
    case O_TYPE: return &f->property_type;
    case O_STATUS: return &f->status;
    case O_ROL: return &f->rol;
    case O_CBR: return &f->cbr;
    case O_TEXT: return &f->text;
    case O_RADIUS: return &f->radius_km;
    case O_SORT: return &f->sort;
    case O_AFTER_VALUE: return &f->after_value;
    case O_AFTER_ID: return &f->after_id;
    default: return NULL;
    }
}

static bool parse_one(struct search_cli *c, int opt, const char *arg)
{
    const char **field = text_field(&c->f, opt);

    if (field) {
        *field = arg;
        return true;
    }
    switch (opt) {
    case O_NEAR: return parse_near(c, arg);
    case O_LIMIT: return parse_limit(c, arg);
    case O_DESC: c->f.desc = true; return true;
    case O_JSON: c->out = OUT_JSON; return true;
    case O_CSV: c->out = OUT_CSV; return true;
    case O_SQL: c->out = OUT_SQL; return true;
    case O_ALL: c->all = true; return true;
    default:
        fprintf(stderr, _("Try 'degux-console --help'.\n"));
        return false;
    }
}

static bool parse_target(struct search_cli *c, int argc, char **argv)
{
    int t;

    if (optind >= argc)
        return bad("TARGET", _("expected referenciales, property or "
                               "listing"));
    if ((t = searchq_target_parse(argv[optind])) < 0)
        return bad(argv[optind], _("expected referenciales, property or "
                                   "listing"));
    c->f.target = (enum searchq_target)t;
    if (optind + 1 < argc)
        return bad(argv[optind + 1], _("unexpected argument"));
    return true;
}

static bool check_filter(const struct searchq_filter *f)
{
    struct searchq_error e[SEARCHQ_MAX_ERRORS];
    size_t n = searchq_validate(f, e, SEARCHQ_MAX_ERRORS);

    for (size_t i = 0; i < n && i < SEARCHQ_MAX_ERRORS; i++)
        bad(field_option(e[i].field), _(e[i].msgid));
    return n == 0;
}

static void search_cli_free(struct search_cli *c)
{
    free(c->near_lat);
    free(c->near_lng);
    free(c);
}

struct search_cli *search_cli_parse(int argc, char **argv)
{
    struct search_cli *c = xcalloc(1, sizeof *c);
    int opt;

    optind = 0; /* GNU: start afresh, the console's getopt has run */
    opterr = 1;
    while ((opt = getopt_long(argc, argv, "", search_options, NULL)) != -1)
        if (!parse_one(c, opt, optarg)) {
            search_cli_free(c);
            return NULL;
        }
    if (!parse_target(c, argc, argv) || !check_filter(&c->f)) {
        search_cli_free(c);
        return NULL;
    }
    return c;
}

/* ---- output ---- */

static void csv_field(const char *s)
{
    if (!strpbrk(s, ",\"\r\n")) {
        fputs(s, stdout);
        return;
    }
    putchar('"');
    for (; *s; s++) {
        if (*s == '"')
            putchar('"');
        putchar(*s);
    }
    putchar('"');
}

static void put_field(int j, const char *s, bool csv)
{
    if (j)
        putchar(csv ? ',' : '\t');
    if (csv)
        csv_field(s);
    else
        fputs(s, stdout);
}

static void print_delimited(const PGresult *res, bool csv)
{
    int nc = PQnfields(res);

    for (int j = 0; j < nc; j++)
        put_field(j, PQfname(res, j), csv);
    putchar('\n');
    for (int i = 0; i < PQntuples(res); i++) {
        for (int j = 0; j < nc; j++)
            put_field(j, PQgetisnull(res, i, j) ? "" : PQgetvalue(res, i, j),
                      csv);
        putchar('\n');
    }
}

/* A JSON value of the column's type (int, float, bool; else a string). */
static json_t *json_cell(const PGresult *res, int i, int j)
{
    const char *v = PQgetvalue(res, i, j);

    if (PQgetisnull(res, i, j))
        return json_null();
    switch (PQftype(res, j)) {
    case 20: case 21: case 23:
        return json_integer(strtoll(v, NULL, 10));
    case 700: case 701: case 1700:
        return json_real(strtod(v, NULL));
    case 16:
        return json_boolean(*v == 't');
    default:
        return json_string(v);
    }
}

/* The cursor that continues after the last row, or null on a short page. */
static json_t *next_cursor(const struct search_cli *c, const PGresult *res)
{
    int n = PQntuples(res), lim = c->f.limit > 0 ? (int)c->f.limit : 50;
    const char *const *sortable = searchq_sortable(c->f.target);
    const char *sort = c->f.sort && *c->f.sort ? c->f.sort : sortable[0];
    char quoted[80];
    int col;

    if (c->all || n < lim)
        return json_null();
    snprintf(quoted, sizeof quoted, "\"%s\"", sort);
    col = PQfnumber(res, quoted); /* quoted: case-sensitive */
    return json_pack("{s:s?,s:s}", "after_value",
                     searchq_cursor_value(&c->f, PQgetisnull(res, n - 1, col)
                                                     ? NULL
                                                     : PQgetvalue(res, n - 1,
                                                                  col)),
                     "after_id", PQgetvalue(res, n - 1, PQfnumber(res, "id")));
}

static void print_json(const struct search_cli *c, const PGresult *res)
{
    json_t *rows = json_array(), *doc;

    for (int i = 0; i < PQntuples(res); i++) {
        json_t *row = json_object();

        for (int j = 0; j < PQnfields(res); j++)
            json_object_set_new(row, PQfname(res, j), json_cell(res, i, j));
        json_array_append_new(rows, row);
    }
    doc = json_pack("{s:I,s:o,s:o}", "count", (json_int_t)PQntuples(res),
                    "rows", rows, "next", next_cursor(c, res));
    json_dumpf(doc, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER |
                          JSON_REAL_PRECISION(15));
    putchar('\n');
    json_decref(doc);
}

static void print_sql(const struct search_cli *c, const struct searchq *q)
{
    if (!c->all)
        printf("%s;\n", SQL_SEARCH_SERIAL);
    printf("%s;\n", q->sql);
    for (int i = 0; i < q->nparams; i++)
        printf("-- $%d = %s\n", i + 1, q->params[i]);
}

/* The rows of the search, or NULL after printing the server's message. */
static PGresult *fetch(const struct search_cli *c, struct db *db,
                       const struct searchq *q)
{
    PGresult *res = NULL;
    char *err = NULL;

    if (!c->all && !(res = db_exec_sync(db, SQL_SEARCH_SERIAL, 0, NULL, &err)))
        goto fail;
    PQclear(res);
    res = db_exec_sync(db, q->sql, q->nparams, (const char *const *)q->params,
                       &err);
    if (res)
        return res;
fail:
    fprintf(stderr, "degux-console: search: %s\n", err ? err : "");
    free(err);
    return NULL;
}

int search_cli_run(struct search_cli *c, struct db *db)
{
    struct searchq q;
    PGresult *res;
    int rc = 0;

    searchq_build(&c->f, c->all ? SEARCHQ_ALL : SEARCHQ_PAGE, &q);
    if (c->out == OUT_SQL) {
        print_sql(c, &q);
    } else if (!(res = fetch(c, db, &q))) {
        rc = 2; /* as every command: the server refused (see --help) */
    } else {
        if (c->out == OUT_JSON)
            print_json(c, res);
        else
            print_delimited(res, c->out == OUT_CSV);
        PQclear(res);
    }
    if (fflush(stdout) != 0 || ferror(stdout))
        rc = 2;
    searchq_free(&q);
    search_cli_free(c);
    return rc;
}
