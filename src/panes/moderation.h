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
       MOD_C_CONSERVADOR };

enum mod_prompt { MOD_PROMPT_NONE, MOD_PROMPT_REASON, MOD_PROMPT_COMUNA };

struct modp {
    bool checked, migrated, loaded;
    char *error;                /* the last failed load, shown on the card */
    struct validate_ctx ctx;
    bool ctx_ready;
    PGresult *queue;            /* rows of SQL_MODERATION_QUEUE */
    int *order, n;              /* queue rows shown (after failing-only) */
    int cur;
    char *keep_id;              /* the card to show again after a reload */
    int keep_pos;               /* ...or the position, when it is gone */
    bool failing_only, scraped_only;
    char *comuna;               /* filter, as stored; NULL: every comuna */
    long decided;               /* decisions made in this session */
    long long counts[4];        /* pending, approved, rejected, flagged */
    bool counted;
    char *last_audit;           /* audit id of the last decision or fix */
    struct cmdline *prompt;
    enum mod_prompt prompt_kind;
    char *os_user;
};

struct modp *moderation_state(struct pane *p);
void moderation_model_init(struct pane *p);
void moderation_model_free(struct modp *s);
/* Checks the schema, builds the validators' context, loads the queue. */
void moderation_refresh(struct pane *p);
/* Reloads the queue only (filters changed, a decision refused). */
void moderation_reload(struct pane *p);
/* Reloads it from its first card (a filter changed). */
void moderation_reload_top(struct pane *p);
/* The queue row under the card, or -1. */
int moderation_row(const struct modp *s);
/* Decides the current card: status approved/rejected/flagged, action
 * approve/reject/flag, reason may be "". */
void moderation_decide(struct pane *p, const char *status,
                       const char *action, const char *reason);

/* Fixes the current row: kind "swap", "geom" or "comuna" (to comuna). */
void moderation_fix(struct pane *p, const char *kind, const char *comuna);

/* Undoes the last decision or fix of this session. */
void moderation_undo(struct pane *p);

void moderation_view_draw(struct pane *p, WINDOW *w);

#endif
