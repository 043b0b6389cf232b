/* Pane 2, Search: a filter form over referenciales, Property and
 * PropertyListing; results paged by keyset into the grid, a count (exact up
 * to 10,000, else the planner's estimate) and, for referenciales, the
 * medians; a row's detail, :sql, :explain and :export. */
#include "autoconfig.h"

#include "panes/search.h"

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "app.h"
#include "core/sql.h"
#include "core/xalloc.h"
#include "domain/comunas.h"
#include "i18n.h"
#include "panes/pane.h"

#define ESC 27
#define PAGE_ROWS 200

static struct searchp *S(struct pane *p)
{
    return p->state;
}

/* ---- the form ----------------------------------------------------------- */

static const struct {
    const char *label;
    unsigned targets; /* bit per enum searchq_target */
} fields[SF_COUNT] = {
    [SF_COMUNA] = { N_("Comuna"), 7 },
    [SF_REGION] = { N_("Region"), 7 },
    [SF_FROM] = { N_("From (YYYY-MM-DD)"), 7 },
    [SF_TO] = { N_("To"), 7 },
    [SF_ANIO_MIN] = { N_("Year from"), 1 },
    [SF_ANIO_MAX] = { N_("Year to"), 1 },
    [SF_PRICE_MIN] = { N_("Price from"), 7 },
    [SF_PRICE_MAX] = { N_("Price to"), 7 },
    [SF_SURF_MIN] = { N_("m² from"), 7 },
    [SF_SURF_MAX] = { N_("m² to"), 7 },
    [SF_ROL] = { N_("ROL (prefix*)"), 1 },
    [SF_CBR] = { N_("CBR"), 1 },
    [SF_TYPE] = { N_("Type"), 6 },
    [SF_STATUS] = { N_("Status"), 6 },
    [SF_TEXT] = { N_("Text"), 7 },
    [SF_LAT] = { N_("Latitude"), 7 },
    [SF_LNG] = { N_("Longitude"), 7 },
    [SF_RADIUS] = { N_("Radius km"), 7 },
};

static const char *const target_names[] = {
    [SEARCHQ_REFERENCIALES] = N_("Referenciales"),
    [SEARCHQ_PROPERTY] = N_("Properties"),
    [SEARCHQ_LISTING] = N_("Property listings"),
};

const char *search_target_name(enum searchq_target t)
{
    return _(target_names[t]);
}

const char *search_field_label(int field)
{
    return _(fields[field].label);
}

bool search_field_applies(int field, enum searchq_target t)
{
    return fields[field].targets & (1u << t);
}

static const char **filter_field(struct searchq_filter *f, int i)
{
    const char **m[SF_COUNT] = {
        &f->comuna, &f->region, &f->date_from, &f->date_to, &f->anio_min,
        &f->anio_max, &f->price_min, &f->price_max, &f->surface_min,
        &f->surface_max, &f->rol, &f->cbr, &f->property_type, &f->status,
        &f->text, &f->near_lat, &f->near_lng, &f->radius_km,
    };

    return m[i];
}

static const char *const field_names[SF_COUNT] = {
    "comuna", "region", "date_from", "date_to", "anio_min", "anio_max",
    "price_min", "price_max", "surface_min", "surface_max", "rol", "cbr",
    "property_type", "status", "text", "near_lat", "near_lng", "radius_km",
};

const char *search_field_name(int field)
{
    return field_names[field];
}

/* The filter of the search shown (after: the keyset cursor, or none). */
static struct searchq_filter shown_filter(const struct searchp *s, bool after)
{
    struct searchq_filter f = { .target = s->run_target, .sort = s->sort,
                                .desc = s->desc, .limit = PAGE_ROWS };

    for (int i = 0; i < SF_COUNT; i++)
        if (search_field_applies(i, s->run_target))
            *filter_field(&f, i) = s->run[i];
    if (after) {
        f.after_value = s->after_value;
        f.after_id = s->after_id;
    }
    return f;
}

/* ---- results ------------------------------------------------------------ */

static void clear_lines(struct searchp *s)
{
    for (int i = 0; i < s->nlines; i++)
        free(s->lines[i]);
    free(s->lines);
    s->lines = NULL;
    s->nlines = s->scroll = 0;
}

static void add_line(struct searchp *s, char *line)
{
    s->lines = xrealloc(s->lines, sizeof *s->lines * (size_t)(s->nlines + 1));
    s->lines[s->nlines++] = line;
}

static void clear_rows(struct searchp *s)
{
    for (long i = 0; i < s->nrows; i++) {
        for (int j = 0; j < s->ncols; j++)
            free(s->rows[i][j]);
        free(s->rows[i]);
    }
    free(s->rows);
    free(s->after_value);
    free(s->after_id);
    free(s->error);
    free(s->summary);
    s->rows = NULL;
    s->after_value = s->after_id = s->error = s->summary = NULL;
    s->nrows = s->cap = 0;
    s->more = s->loading = false;
    s->count = -1;
    s->estimate = false;
}

/* The columns stay while the target does: the grid keeps its column. */
static void clear_columns(struct searchp *s)
{
    for (int j = 0; j < s->ncols; j++)
        free(s->colnames[j]);
    free(s->colnames);
    free(s->numeric);
    s->colnames = NULL;
    s->numeric = NULL;
    s->ncols = 0;
}

static void take_columns(struct searchp *s, const PGresult *res)
{
    s->ncols = PQnfields(res);
    s->colnames = xcalloc((size_t)s->ncols, sizeof *s->colnames);
    s->numeric = xcalloc((size_t)s->ncols, sizeof *s->numeric);
    for (int j = 0; j < s->ncols; j++) {
        Oid t = PQftype(res, j);

        s->colnames[j] = xstrdup(PQfname(res, j));
        s->numeric[j] = t == 20 || t == 21 || t == 23 || t == 700 ||
                        t == 701 || t == 1700;
    }
}

/* The cursor after the page's last row: its sort value and id. */
static void take_cursor(struct searchp *s, const PGresult *res)
{
    struct searchq_filter f = shown_filter(s, false);
    const char *sort = s->sort ? s->sort : searchq_sortable(s->run_target)[0];
    char *quoted = xasprintf("\"%s\"", sort);
    int n = PQntuples(res), col = PQfnumber(res, quoted);

    free(quoted);
    free(s->after_value);
    free(s->after_id);
    s->after_value = xstrdup(searchq_cursor_value(
        &f, PQgetisnull(res, n - 1, col) ? NULL
                                         : PQgetvalue(res, n - 1, col)));
    s->after_id = xstrdup(PQgetvalue(res, n - 1, PQfnumber(res, "id")));
}

static void take_rows(struct searchp *s, const PGresult *res)
{
    int n = PQntuples(res);

    if (!s->ncols)
        take_columns(s, res);
    if (s->nrows + n > s->cap) {
        s->cap = (s->nrows + n) * 2;
        s->rows = xrealloc(s->rows, sizeof *s->rows * (size_t)s->cap);
    }
    for (int i = 0; i < n; i++) {
        char **row = xcalloc((size_t)s->ncols, sizeof *row);

        for (int j = 0; j < s->ncols; j++)
            row[j] = PQgetisnull(res, i, j) ? NULL
                                            : xstrdup(PQgetvalue(res, i, j));
        s->rows[s->nrows++] = row;
    }
    s->more = n == PAGE_ROWS;
    if (n)
        take_cursor(s, res);
}

static void on_page(struct db_job *job, void *arg)
{
    struct pane *p = arg;
    struct searchp *s = S(p);

    if (job->tag != s->gen)
        return;
    s->loading = false;
    if (job->status != DB_JOB_OK) {
        free(s->error);
        s->error = xstrdup(job->error ? job->error : _("cancelled"));
        s->more = false;
    } else {
        if (!s->nrows)
            s->first_ms = job->elapsed_ms;
        take_rows(s, job->result);
    }
    app_redraw();
}

static struct db_job *job_for(struct pane *p, const char *label,
                              const struct searchq *q, db_job_fn done)
{
    struct db_job *job = db_job_new(label, q->sql, done, p);

    for (int i = 0; i < q->nparams; i++)
        db_job_param(job, q->params[i]);
    job->tag = S(p)->gen;
    return job;
}

/* A page runs without parallel workers (see SQL_SEARCH_SERIAL): the
 * session's setting is saved before and put back after, by a job nobody
 * owns, so that a dropped search still restores it. */
static void submit_serial(struct pane *p, struct db_job *job)
{
    app_submit(p, db_job_new(job->label, SQL_SEARCH_SERIAL_SAVE, NULL, p));
    app_submit(p, job);
    db_submit(p->db, db_job_new(job->label, SQL_SEARCH_SERIAL_RESTORE, NULL,
                                NULL));
}

static void fetch_page(struct pane *p)
{
    struct searchp *s = S(p);
    struct searchq_filter f = shown_filter(s, s->nrows > 0);
    struct searchq q;

    if (!searchq_build(&f, SEARCHQ_PAGE, &q))
        return;
    s->loading = true;
    submit_serial(p, job_for(p, _("Search: rows"), &q, on_page));
    searchq_free(&q);
}

static void on_estimate(struct db_job *job, void *arg)
{
    struct searchp *s = S((struct pane *)arg);
    json_t *doc, *rows;

    if (job->tag != s->gen || job->status != DB_JOB_OK ||
        PQntuples(job->result) < 1)
        return;
    doc = json_loads(PQgetvalue(job->result, 0, 0), 0, NULL);
    rows = json_object_get(json_object_get(json_array_get(doc, 0), "Plan"),
                           "Plan Rows");
    if (json_is_number(rows) && json_number_value(rows) > SEARCHQ_COUNT_CAP) {
        s->count = (long)json_number_value(rows);
        s->estimate = true;
    }
    json_decref(doc);
    app_redraw();
}

static void on_count(struct db_job *job, void *arg)
{
    struct pane *p = arg;
    struct searchp *s = S(p);
    struct searchq_filter f = shown_filter(s, false);
    struct searchq q;
    char *sql;

    if (job->tag != s->gen || job->status != DB_JOB_OK)
        return;
    s->count = atol(PQgetvalue(job->result, 0, 0));
    app_redraw();
    if (s->count <= SEARCHQ_COUNT_CAP || !searchq_build(&f, SEARCHQ_ALL, &q))
        return;
    /* More than the cap: the planner's estimate, marked as such. */
    s->estimate = true;
    sql = xasprintf("EXPLAIN (FORMAT JSON) %s", q.sql);
    free(q.sql);
    q.sql = sql;
    app_submit(p, job_for(p, _("Search: estimate"), &q, on_estimate));
    searchq_free(&q);
}

static void on_summary(struct db_job *job, void *arg)
{
    struct searchp *s = S((struct pane *)arg);
    const PGresult *r = job->result;

    if (job->tag != s->gen || job->status != DB_JOB_OK)
        return;
    free(s->summary);
    s->summary = xasprintf(_("median monto %s CLP · median %s CLP/m²"),
                           PQgetisnull(r, 0, 1) ? "-" : PQgetvalue(r, 0, 1),
                           PQgetisnull(r, 0, 2) ? "-" : PQgetvalue(r, 0, 2));
    app_redraw();
}

static void submit_aggregates(struct pane *p)
{
    struct searchp *s = S(p);
    struct searchq_filter f = shown_filter(s, false);
    struct searchq q;
    struct db_job *job;

    if (searchq_build(&f, SEARCHQ_COUNT, &q)) {
        job = job_for(p, _("Search: count"), &q, on_count);
        job->background = true;
        app_submit(p, job);
        searchq_free(&q);
    }
    if (s->run_target == SEARCHQ_REFERENCIALES &&
        searchq_build(&f, SEARCHQ_SUMMARY, &q)) {
        /* Rounded in SQL: the medians are shown, not computed on. */
        char *sql = xasprintf("SELECT count, round(median_price::numeric), "
                              "round(median_price_m2::numeric) FROM (%s) m",
                              q.sql);
        free(q.sql);
        q.sql = sql;
        job = job_for(p, _("Search: medians"), &q, on_summary);
        job->background = true;
        app_submit(p, job);
        searchq_free(&q);
    }
}

static void recent_free(struct search_recent *r)
{
    for (int i = 0; i < SF_COUNT; i++)
        free(r->val[i]);
}

static bool recent_same(const struct search_recent *r,
                        const struct searchp *s)
{
    if (r->target != s->target)
        return false;
    for (int i = 0; i < SF_COUNT; i++)
        if (strcmp(r->val[i] ? r->val[i] : "", s->val[i] ? s->val[i] : ""))
            return false;
    return true;
}

/* The form's search becomes the newest recent one. */
static void recent_push(struct searchp *s)
{
    struct search_recent r = { .target = s->target };

    s->recall = -1;
    if (s->nrecent && recent_same(&s->recent[0], s))
        return;
    if (s->nrecent == SEARCH_RECENT)
        recent_free(&s->recent[--s->nrecent]);
    for (int i = 0; i < SF_COUNT; i++)
        r.val[i] = xstrdup(s->val[i]);
    memmove(s->recent + 1, s->recent, sizeof r * (size_t)s->nrecent);
    s->recent[0] = r;
    s->nrecent++;
    if (!search_recent_save(s) && !s->recent_unsaved) {
        s->recent_unsaved = true;
        app_error("%s", _("Could not save the recent searches in the state "
                          "folder"));
    }
}

/* The form's target changed: the results shown are another target's and
 * would read as this one's, so they go (Enter searches anew). */
static void drop_results(struct pane *p)
{
    struct searchp *s = S(p);

    s->gen++;
    db_drop_owner(p->db, p);
    clear_rows(s);
    clear_lines(s);
    clear_columns(s);
    s->searched = false;
    s->first_ms = 0;
}

/* Ctrl-P / Ctrl-N: an older / newer recent search into the form. */
static void recent_recall(struct pane *p, int step)
{
    struct searchp *s = S(p);
    int at = s->recall + step;

    if (at < 0 || at >= s->nrecent) {
        app_message("%s", _("No more recent searches"));
        return;
    }
    s->recall = at;
    if (s->searched && s->run_target != s->recent[at].target)
        drop_results(p);
    s->target = s->recent[at].target;
    for (int i = 0; i < SF_COUNT; i++) {
        free(s->val[i]);
        s->val[i] = xstrdup(s->recent[at].val[i]);
        s->err[i] = NULL;
    }
    app_message(_("Recent search %d of %d"), at + 1, s->nrecent);
}

/* Enter on the form: validate, then the first page, count and medians. */
static void run_search(struct pane *p)
{
    struct searchp *s = S(p);
    struct searchq_filter f = { .target = s->target, .sort = s->sort,
                                .desc = s->desc };
    struct searchq_error e[SEARCHQ_MAX_ERRORS];
    size_t n;

    memset(s->err, 0, sizeof s->err);
    if (s->target != s->run_target) {
        free(s->sort);
        s->sort = NULL;
        f.sort = NULL;
    }
    for (int i = 0; i < SF_COUNT; i++)
        if (search_field_applies(i, s->target))
            *filter_field(&f, i) = s->val[i];
    n = searchq_validate(&f, e, SEARCHQ_MAX_ERRORS);
    for (size_t i = 0; i < n && i < SEARCHQ_MAX_ERRORS; i++)
        for (int j = 0; j < SF_COUNT; j++)
            if (strcmp(e[i].field, field_names[j]) == 0 && !s->err[j])
                s->err[j] = e[i].msgid;
    if (n) {
        app_error("%s", _("Fix the marked fields: no search was sent"));
        return;
    }
    recent_push(s);
    s->gen++;
    db_drop_owner(p->db, p);
    clear_rows(s);
    clear_lines(s);
    for (int i = 0; i < SF_COUNT; i++) {
        free(s->run[i]);
        s->run[i] = xstrdup(s->val[i]);
    }
    /* The same columns keep the grid's column cursor (sorting by it). */
    if (grid_source(s->grid) != &s->src || s->run_target != s->target) {
        clear_columns(s);
        grid_set_source(s->grid, &s->src);
    }
    s->run_target = s->target;
    s->searched = true;
    s->form = false;
    grid_scroll_to(s->grid, 0);
    fetch_page(p);
    submit_aggregates(p);
    app_redraw();
}

/* ---- the grid source over the pages ------------------------------------- */

static int src_ncols(void *ctx)
{
    return ((struct searchp *)ctx)->ncols;
}

static const char *src_col_name(void *ctx, int col)
{
    return ((struct searchp *)ctx)->colnames[col];
}

static bool src_col_numeric(void *ctx, int col)
{
    return ((struct searchp *)ctx)->numeric[col];
}

static long src_nrows(void *ctx)
{
    struct searchp *s = ctx;

    return s->more || s->loading ? -1 : s->nrows;
}

static long src_nrows_known(void *ctx)
{
    return ((struct searchp *)ctx)->nrows;
}

static const char *src_cell(void *ctx, long row, int col, enum grid_cell *st)
{
    struct searchp *s = ctx;

    if (row >= s->nrows) {
        *st = GRID_PENDING;
        return NULL;
    }
    *st = s->rows[row][col] ? GRID_VALUE : GRID_NULL;
    return s->rows[row][col];
}

static struct pane *search_pane_self;

/* Near the end of what is loaded: the next page, by keyset. */
static void src_want(void *ctx, long first, long count)
{
    struct searchp *s = ctx;

    if (s->more && !s->loading && first + count + PAGE_ROWS / 2 >= s->nrows &&
        search_pane_self)
        fetch_page(search_pane_self);
}

/* ---- detail and commands ------------------------------------------------ */

static const char *row_value(const struct searchp *s, long row,
                             const char *col)
{
    for (int j = 0; j < s->ncols; j++)
        if (strcmp(s->colnames[j], col) == 0)
            return s->rows[row][j];
    return NULL;
}

static void on_detail(struct db_job *job, void *arg)
{
    struct searchp *s = S((struct pane *)arg);
    const PGresult *r = job->result;

    if (job->tag != s->gen || !s->nlines || job->status != DB_JOB_OK)
        return;
    if (PQntuples(r) < 1 || PQgetisnull(r, 0, 2)) {
        add_line(s, xstrdup(_("Created by: nobody (a scraped row)")));
    } else
        add_line(s, xasprintf(_("Created by: %s (%s)"), PQgetvalue(r, 0, 2),
                              PQgetvalue(r, 0, 3)));
    if (PQntuples(r) > 0 && !PQgetisnull(r, 0, 0))
        add_line(s, xasprintf(_("Conservador: %s (%s)"), PQgetvalue(r, 0, 0),
                              PQgetvalue(r, 0, 1)));
    app_redraw();
}

/* The conservador and the user who created the row, from the server. */
static void fetch_detail(struct pane *p, long row)
{
    struct searchp *s = S(p);
    bool ref = s->run_target == SEARCHQ_REFERENCIALES;
    const char *key = row_value(s, row, ref ? "id" : "userId");
    struct db_job *job;

    if (s->run_target == SEARCHQ_LISTING || !key)
        return;
    job = db_job_new(_("Search: row detail"),
                     ref ? SQL_SEARCH_REF_DETAIL : SQL_SEARCH_USER, on_detail,
                     p);
    db_job_param(job, key);
    job->tag = s->gen;
    app_submit(p, job);
}

/* Every field of the row under the cursor, and how far it is from its
 * comuna's seat. */
static void act_detail(struct pane *p)
{
    struct searchp *s = S(p);
    long row = grid_cursor(s->grid);
    const char *comuna, *lat, *lng;
    const struct comuna *c = NULL;

    if (s->nlines) {
        clear_lines(s);
        app_redraw();
        return;
    }
    if (row < 0 || row >= s->nrows)
        return;
    for (int j = 0; j < s->ncols; j++)
        add_line(s, xasprintf("%-16s %s", s->colnames[j],
                              s->rows[row][j] ? s->rows[row][j] : "NULL"));
    comuna = row_value(s, row, "comuna");
    if (!comuna)
        comuna = row_value(s, row, "commune");
    lat = row_value(s, row, "lat");
    lng = row_value(s, row, "lng");
    if (comuna && lat && lng && comunas_lookup(comuna, &c) != COMUNAS_NONE &&
        c)
        add_line(s, xasprintf(_("%.1f km from the seat of %s"),
                              comunas_distance_km(atof(lat), atof(lng),
                                                  c->lat, c->lng), c->name));
    fetch_detail(p, row);
    app_redraw();
}

static void cmd_sql(struct pane *p)
{
    struct searchp *s = S(p);
    struct searchq_filter f = shown_filter(s, false);
    struct searchq q;
    char *line, *save = NULL;

    if (!s->searched || !searchq_build(&f, SEARCHQ_PAGE, &q)) {
        app_error("%s", _("No search yet: fill in the form and press Enter"));
        return;
    }
    clear_lines(s);
    add_line(s, xasprintf("%s;", SQL_SEARCH_SERIAL));
    for (line = strtok_r(q.sql, "\n", &save); line;
         line = strtok_r(NULL, "\n", &save))
        add_line(s, xstrdup(line));
    for (int i = 0; i < q.nparams; i++)
        add_line(s, xasprintf("-- $%d = %s", i + 1, q.params[i]));
    searchq_free(&q);
    app_redraw();
}

static void on_explain(struct db_job *job, void *arg)
{
    struct searchp *s = S((struct pane *)arg);

    if (job->status != DB_JOB_OK) {
        app_error(_("EXPLAIN failed: %s"), job->error ? job->error : "");
        return;
    }
    clear_lines(s);
    for (int i = 0; i < PQntuples(job->result); i++)
        add_line(s, xstrdup(PQgetvalue(job->result, i, 0)));
    app_redraw();
}

static void cmd_explain(struct pane *p)
{
    struct searchp *s = S(p);
    struct searchq_filter f = shown_filter(s, false);
    struct searchq q;
    char *sql;

    if (!s->searched || !searchq_build(&f, SEARCHQ_PAGE, &q)) {
        app_error("%s", _("No search yet: fill in the form and press Enter"));
        return;
    }
    sql = xasprintf("EXPLAIN (ANALYZE, BUFFERS) %s", q.sql);
    free(q.sql);
    q.sql = sql;
    submit_serial(p, job_for(p, _("Search: EXPLAIN ANALYZE"), &q, on_explain));
    searchq_free(&q);
}

static void on_export_done(struct export *e, const char *error, long rows,
                           void *arg)
{
    struct searchp *s = S((struct pane *)arg);

    (void)e;
    if (error)
        app_error(_("Export failed: %s"), error);
    else
        app_message(P_("Exported %ld row to %s", "Exported %ld rows to %s",
                       rows), rows, s->export_path);
    s->export = NULL;
}

static void cmd_export(struct pane *p, const char *path)
{
    struct searchp *s = S(p);
    struct searchq_filter f = shown_filter(s, false);
    struct searchq q;

    if (!*path) {
        app_error("%s", _("Usage: :export FILE.csv"));
        return;
    }
    if (!s->searched || !searchq_build(&f, SEARCHQ_ALL, &q)) {
        app_error("%s", _("No search yet: fill in the form and press Enter"));
        return;
    }
    free(s->export_path);
    s->export_path = xstrdup(path);
    s->export = export_start(p->db, q.sql, q.nparams,
                             (const char *const *)q.params, path, NULL,
                             on_export_done, p);
    searchq_free(&q);
}

static bool search_command(struct pane *p, const char *name, const char *args)
{
    /* :sql alone shows the search's SQL; :sql STATEMENT is the console's. */
    if (strcmp(name, "query") == 0 || (strcmp(name, "sql") == 0 && !*args))
        return cmd_sql(p), true;
    if (strcmp(name, "explain") == 0)
        return cmd_explain(p), true;
    if (strcmp(name, "export") == 0)
        return cmd_export(p, args), true;
    return false;
}

/* ---- comuna completion ------------------------------------------------- */

static void on_comunas(struct db_job *job, void *arg)
{
    struct searchp *s = S((struct pane *)arg);
    int n;

    /* Dropped with a search: asked again. Refused: the official names
     * still complete. */
    s->comunas = job->status == DB_JOB_CANCELLED ? COMUNAS_UNKNOWN
                                                 : COMUNAS_LOADED;
    if (job->status != DB_JOB_OK)
        return;
    n = PQntuples(job->result);
    s->known_comunas = xcalloc((size_t)n + 1, sizeof *s->known_comunas);
    for (int i = 0; i < n; i++)
        s->known_comunas[i] = xstrdup(PQgetvalue(job->result, i, 0));
    s->nknown_comunas = (size_t)n;
    app_redraw();
}

static void load_comunas(struct pane *p)
{
    struct db_job *job;

    if (S(p)->comunas != COMUNAS_UNKNOWN)
        return;
    job = db_job_new(_("Search: comunas"), SQL_SEARCH_COMUNAS, on_comunas, p);
    job->background = true;
    S(p)->comunas = COMUNAS_LOADING;
    app_submit(p, job);
}

size_t search_comuna_completions(const struct searchp *s, const char **out,
                                 size_t max)
{
    if (!s->form || s->field != SF_COMUNA)
        return 0;
    return searchq_complete_comuna(s->val[SF_COMUNA],
                                   (const char *const *)s->known_comunas,
                                   s->nknown_comunas, out, max);
}

/* Right arrow on the comuna field: its first completion (Tab keeps moving
 * between fields). */
static void form_complete(struct searchp *s)
{
    const char *c[1];

    if (s->field != SF_COMUNA || !search_comuna_completions(s, c, 1))
        return;
    free(s->val[SF_COMUNA]);
    s->val[SF_COMUNA] = xstrdup(c[0]);
    s->err[SF_COMUNA] = NULL;
}

/* ---- keys --------------------------------------------------------------- */

static void act_form(struct pane *p)
{
    struct searchp *s = S(p);

    if (s->nlines) {
        clear_lines(s);
    } else
        s->form = true;
    app_redraw();
}

/* t / F9: the next target; Enter searches it. */
static void act_target(struct pane *p)
{
    struct searchp *s = S(p);

    s->target = (s->target + 1) % 3;
    s->form = true; /* the new target's fields */
    if (!search_field_applies(s->field, s->target))
        s->field = SF_COMUNA;
    drop_results(p);
    app_message(_("Searching %s: press Enter"), search_target_name(s->target));
    app_redraw();
}

/* s: sort by the grid's column (again: the other direction). */
static void act_sort(struct pane *p)
{
    struct searchp *s = S(p);
    int col = grid_col_cursor(s->grid);
    const char *const *ok = searchq_sortable(s->run_target);
    const char *name;

    if (!s->ncols || col < 0 || col >= s->ncols)
        return;
    name = s->colnames[col];
    while (*ok && strcmp(*ok, name) != 0)
        ok++;
    if (!*ok) {
        app_error(_("Cannot sort by %s"), name);
        return;
    }
    s->desc = s->sort && strcmp(s->sort, name) == 0 && !s->desc;
    free(s->sort);
    s->sort = xstrdup(name);
    s->target = s->run_target;
    for (int i = 0; i < SF_COUNT; i++) {
        free(s->val[i]);
        s->val[i] = xstrdup(s->run[i]);
    }
    run_search(p);
}

static const struct keybinding grid_bindings[] = {
    { '\n', "Enter", N_("show or hide the row's detail"), act_detail, false,
      true },
    { 's', NULL, N_("sort by this column (again: descending)"), act_sort,
      false, true },
    { 't', NULL, N_("switch target: referenciales, Property, listings"),
      act_target, false, true },
    { '\t', "Tab f Esc", N_("back to the form"), act_form, false, true },
    { 'f', NULL, NULL, act_form, false, false },
    { ESC, NULL, NULL, act_form, false, false },
    { 0, NULL, NULL, NULL, false, false },
};

static const struct keymap grid_keys = { N_("Search results"),
                                         grid_bindings };

static const struct keybinding form_bindings[] = {
    { '\t', "Tab S-Tab", N_("next / previous field"), NULL, false, true },
    { '\n', "Enter", N_("search"), NULL, false, true },
    { ESC, "Esc", N_("clear the form (again: to the results)"), NULL, false,
      true },
    { KEY_RIGHT, "→", N_("complete the comuna"), NULL, false, true },
    { KEY_F(9), "F9", N_("switch target"), NULL, false, true },
    { 'P' & 0x1f, "^P ^N", N_("recall an older / newer recent search"), NULL,
      false, true },
    { 0, NULL, NULL, NULL, false, false },
};

static const struct keymap form_keys = { N_("Search form"), form_bindings };

static void move_field(struct searchp *s, int step)
{
    do
        s->field = (s->field + step + SF_COUNT) % SF_COUNT;
    while (!search_field_applies(s->field, s->target));
}

static void form_type(struct searchp *s, int key)
{
    char **v = &s->val[s->field];
    size_t n = *v ? strlen(*v) : 0;

    if (key == KEY_BACKSPACE || key == 127 || key == 8) {
        /* A whole UTF-8 character. */
        while (n > 0 && ((unsigned char)(*v)[n - 1] & 0xC0) == 0x80)
            n--;
        if (n > 0)
            (*v)[n - 1] = 0;
        return;
    }
    if (key < 32 || key > 255 || n >= 200)
        return;
    *v = xrealloc(*v, n + 2);
    (*v)[n] = (char)key;
    (*v)[n + 1] = 0;
    s->err[s->field] = NULL;
}

/* Esc: a form with text is cleared; an empty one goes to the results. */
static void form_escape(struct searchp *s)
{
    bool any = false;

    for (int i = 0; i < SF_COUNT; i++) {
        any = any || (s->val[i] && *s->val[i]);
        free(s->val[i]);
        s->val[i] = NULL;
        s->err[i] = NULL;
    }
    s->field = SF_COMUNA;
    if (!any && s->searched)
        s->form = false;
}

static bool search_key(struct pane *p, int key)
{
    struct searchp *s = S(p);

    if (!s->form) {
        if (s->nlines && (key == KEY_DOWN || key == KEY_UP)) {
            s->scroll += key == KEY_DOWN ? 1 : (s->scroll > 0 ? -1 : 0);
            return true;
        }
        return grid_key(s->grid, key);
    }
    if (key == '\t' || key == KEY_DOWN || key == KEY_BTAB || key == KEY_UP)
        move_field(s, key == '\t' || key == KEY_DOWN ? 1 : -1);
    else if (key == '\n' || key == '\r' || key == KEY_ENTER)
        run_search(p);
    else if (key == ESC)
        form_escape(s);
    else if (key == KEY_F(9))
        act_target(p);
    else if (key == KEY_RIGHT)
        form_complete(s);
    else if (key == ('P' & 0x1f) || key == ('N' & 0x1f))
        recent_recall(p, key == ('P' & 0x1f) ? 1 : -1);
    else {
        if (s->field == SF_COMUNA)
            load_comunas(p); /* again, when a search dropped it */
        form_type(s, key);
    }
    app_redraw();
    return true;
}

static bool search_editing(struct pane *p)
{
    return S(p)->form;
}

/* ---- pane operations ---------------------------------------------------- */

static void search_open(struct pane *p)
{
    struct searchp *s = xcalloc(1, sizeof *s);

    p->state = s;
    search_pane_self = p;
    s->grid = grid_new();
    s->form = true;
    s->count = -1;
    s->recall = -1;
    s->src = (struct grid_source){
        .ctx = s, .ncols = src_ncols, .col_name = src_col_name,
        .col_numeric = src_col_numeric, .nrows = src_nrows,
        .nrows_known = src_nrows_known, .cell = src_cell, .want = src_want,
    };
    search_recent_load(s);
    load_comunas(p);
}

static void search_draw(struct pane *p, WINDOW *w)
{
    search_view_draw(S(p), w);
}

static void search_close(struct pane *p)
{
    struct searchp *s = S(p);

    if (s->export)
        export_cancel(s->export);
    clear_rows(s);
    clear_columns(s);
    clear_lines(s);
    for (int i = 0; i < SF_COUNT; i++) {
        free(s->val[i]);
        free(s->run[i]);
    }
    for (int i = 0; i < s->nrecent; i++)
        recent_free(&s->recent[i]);
    for (size_t i = 0; i < s->nknown_comunas; i++)
        free(s->known_comunas[i]);
    free(s->known_comunas);
    free(s->sort);
    free(s->export_path);
    grid_free(s->grid);
    free(s);
    p->state = NULL;
    search_pane_self = NULL;
}

static const struct help_command search_commands[] = {
    { "sql", N_("show the search's SQL and its parameters (for psql)") },
    { "explain", N_("EXPLAIN ANALYZE of the current search") },
    { "export FILE.csv", N_("write every matching row to a CSV file") },
};

const struct pane_ops search_pane_ops = {
    .id = "search",
    .title = N_("Search"),
    .number = 2,
    .keys = &grid_keys,
    .edit_keys = &form_keys,
    .commands = search_commands,
    .ncommands = 3,
    .open = search_open,
    .draw = search_draw,
    .key = search_key,
    .report = NULL,
    .command = search_command,
    .click = NULL,
    .editing = search_editing,
    .close = search_close,
};
