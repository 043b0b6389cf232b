/* Pane 3, moderation: the review queue of referenciales (never reviewed or
 * changed since), one card at a time with every field and its findings,
 * and one key per decision, each a single transaction that refuses a row
 * somebody else changed since it was shown. Private to the pane. */
#ifndef DEGUX_PANES_MODERATION_H
#define DEGUX_PANES_MODERATION_H

#include <stdbool.h>
#include <libpq-fe.h>

#include "domain/validate.h"
#include "panes/pane.h"
#include "ui/cmdline.h"

/* Columns of SQL_MODERATION_QUEUE after the validators' 20. */
enum { MOD_C_UPDATED = 20, MOD_C_XMIN, MOD_C_STATUS, MOD_C_REVIEWED,
       MOD_C_CONSERVADOR, MOD_C_EMAIL, MOD_C_CREATED };

/* Cards loaded at a time; the next batch is fetched in the background
 * when the card shown comes this close to the last one loaded: early, as
 * a page of the queue takes up to ~0.7 s at a million rows. */
enum { MOD_PAGE = 200, MOD_PREFETCH_MARGIN = 150 };

/* The preset reasons of a rejection, untranslated: 1, 2, 3 at the
 * prompt. */
extern const char *const moderation_reasons[];
extern const int moderation_nreasons;

enum mod_prompt { MOD_PROMPT_NONE, MOD_PROMPT_REASON, MOD_PROMPT_COMUNA,
                  MOD_PROMPT_CREATOR, MOD_PROMPT_EDIT, MOD_PROMPT_DELETE };

/* A line of the card: the field a finding names first (its field up to
 * the first comma), the label, the queue column shown (-1 lat/lng with the
 * distance, -2 geom: computed) and the column an edit writes (NULL: not
 * editable here; "lat,lng" edits both). */
struct mod_field {
    const char *field, *label;
    int col;
    const char *column;
};
extern const struct mod_field moderation_fields[];
extern const int moderation_nfields;

struct modp {
    bool checked, migrated, loaded;
    char *error;                /* the last failed load, shown on the card */
    struct validate_ctx ctx;
    bool ctx_ready;
    PGresult *queue;            /* rows of SQL_MODERATION_QUEUE */
    int *order, n;              /* queue rows shown (after failing-only) */
    int cur;
    char *keep_id;              /* the card to show again after a reload */
    bool keep_forced;           /* ...even if another card is shown now */
    int keep_pos;               /* ...or the position, when it is gone */
    bool failing_only, scraped_only;
    char *comuna;               /* filter as typed; NULL: every comuna */
    char *comuna_in;            /* ...its stored spellings, a text[] */
    char *comuna_want;          /* a filter waiting for its spellings */
    char *creator;              /* filter: "User" id, e-mail or name */
    int field;                  /* the card line under the cursor */
    bool fetching, at_end;      /* a next batch is on its way / none left */
    bool want_next;             /* n pressed on the last card loaded */
    int chained;                /* batches fetched without a key pressed */
    bool reloading, reload_again;
    bool counting, recount_again;
    bool stale;                 /* the card's row changed: being reloaded */
    bool auditlog;              /* "AuditLog" is written (moderator set) */
    bool auditlog_missing;      /* a moderator is set but no table */
    bool moderator_unknown;     /* ...or it is not a "User" */
    char *moderator;            /* [moderation] moderator_user_id */
    char *edit_id;              /* the row a prompt is about */
    int edit_field;
    long decided;               /* decisions made in this session */
    long long counts[4];        /* pending, approved, rejected, flagged */
    bool counted;
    char *last_audit;           /* audit id of the last decision or fix */
    int writing;                /* writes sent, not yet answered */
    struct cmdline *prompt;
    enum mod_prompt prompt_kind;
    char *os_user;
};

struct modp *moderation_state(struct pane *p);
void moderation_model_init(struct pane *p);
void moderation_model_free(struct modp *s);
/* Checks the schema, builds the validators' context, loads the queue. */
void moderation_refresh(struct pane *p);
/* Reloads the queue only (filters changed, a decision refused); the card
 * shown stays, or the one with id keep when it is not NULL. */
void moderation_reload_at(struct pane *p, const char *keep);
void moderation_reload(struct pane *p);
/* The header's counts again (one count at a time: at 1,000,000 rows it
 * scans the table for half a second). */
void moderation_recount(struct pane *p);
/* Reloads it from its first card (a filter changed). */
void moderation_reload_top(struct pane *p);
/* The comuna filter, any spelling ("" or NULL: every comuna): the stored
 * spellings that name it are looked up, then the queue starts over. */
void moderation_filter_comuna(struct pane *p, const char *wanted);
/* The queue row under the card, or -1. */
int moderation_row(const struct modp *s);
/* Decides the current card: status approved/rejected/flagged, action
 * approve/reject/flag, reason may be "". */
void moderation_decide(struct pane *p, const char *status,
                       const char *action, const char *reason);

/* Fixes the current row: kind "swap", "geom" or "comuna" (to comuna). */
void moderation_fix(struct pane *p, const char *kind, const char *comuna);

/* Undoes the last decision, fix, edit or deletion of this session. */
void moderation_undo(struct pane *p);

/* Edits: column (one of moderation_fields' columns) = value (NULL: SQL
 * NULL), and column2 = value2 when column2 is not NULL. */
void moderation_edit(struct pane *p, const char *column, const char *value,
                     const char *column2, const char *value2);
/* Deletes the current card's row (its images kept in the audit). */
void moderation_delete(struct pane *p);
/* Moves the card by delta, fetching the next batch when near the end. */
void moderation_move(struct pane *p, int delta);
/* Opens the pane's prompt for a question of this kind. */
void moderation_ask(struct pane *p, enum mod_prompt kind,
                    const char *question, const char *initial);
/* Opens the prompt for editing the field under the cursor / accepts it. */
void moderation_edit_start(struct pane *p);
void moderation_edit_accept(struct pane *p, const char *line);
/* The SQL of a write: its _AL form when the "AuditLog" is written. */
const char *moderation_sql(const struct modp *s, const char *plain,
                           const char *with_auditlog);

void moderation_view_draw(struct pane *p, WINDOW *w);

#endif
