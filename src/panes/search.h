/* The search pane's shared state: search.c runs the searches (form, keyset
 * pages, count, summary, commands), search_view.c draws them. */
#ifndef DEGUX_PANES_SEARCH_H
#define DEGUX_PANES_SEARCH_H

#include <stdbool.h>
#include <curses.h>

#include "core/export.h"
#include "domain/searchq.h"
#include "ui/grid.h"

enum search_field {
    SF_COMUNA, SF_REGION, SF_FROM, SF_TO, SF_ANIO_MIN, SF_ANIO_MAX,
    SF_PRICE_MIN, SF_PRICE_MAX, SF_SURF_MIN, SF_SURF_MAX, SF_ROL, SF_CBR,
    SF_TYPE, SF_STATUS, SF_TEXT, SF_LAT, SF_LNG, SF_RADIUS, SF_COUNT
};

#define SEARCH_RECENT 50

/* A search as it was run, for recall. */
struct search_recent {
    enum searchq_target target;
    char *val[SF_COUNT];
};

struct searchp {
    enum searchq_target target;
    char *val[SF_COUNT];          /* what the form holds */
    const char *err[SF_COUNT];    /* a msgid per wrong field */
    int field;                    /* the field being edited */
    bool form;                    /* focus on the form (editing) */
    /* The search shown: the form's values when Enter was pressed. */
    char *run[SF_COUNT];
    enum searchq_target run_target;
    char *sort;
    bool desc;
    int gen;                      /* results of older searches are dropped */
    /* Rows, page after page (keyset). */
    int ncols;
    char **colnames;
    bool *numeric;
    char ***rows;
    long nrows, cap;
    bool more, loading, searched;
    char *after_value, *after_id;
    char *error;                  /* the server's, for the last search */
    long count;                   /* -1 unknown; > cap: estimate */
    bool estimate;
    char *summary;
    double first_ms;
    struct grid *grid;
    struct grid_source src;
    /* An overlay of text lines: a row's detail, :sql, :explain. */
    char **lines;
    int nlines, scroll;
    struct export *export;
    char *export_path;
    enum { COMUNAS_UNKNOWN, COMUNAS_LOADING, COMUNAS_LOADED } comunas;
    char **known_comunas;         /* the data's spellings (completion) */
    size_t nknown_comunas;
    struct search_recent recent[SEARCH_RECENT]; /* newest first */
    int nrecent, recall;          /* recall: the one in the form, or -1 */
    bool recent_unsaved;          /* told once that saving failed */
};

/* The form's labels and whether a field applies to the target. */
const char *search_field_label(int field);
/* The target as the user reads it: "Properties", not "\"Property\"". */
const char *search_target_name(enum searchq_target t);
bool search_field_applies(int field, enum searchq_target t);
/* A field's name in the filter and the recent-searches file ("comuna"). */
const char *search_field_name(int field);
/* Recent searches from and to the state folder (search_recent.c): load
 * fills s->recent, skipping what does not parse; save is false when the
 * file could not be written. */
void search_recent_load(struct searchp *s);
bool search_recent_save(const struct searchp *s);

/* The comuna field's completions (at most max, into out). */
size_t search_comuna_completions(const struct searchp *s, const char **out,
                                 size_t max);
void search_view_draw(struct searchp *s, WINDOW *w);

#endif
