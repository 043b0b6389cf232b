/* Pane 4, rls: every table's Row Level Security state and policies, the
 * roles, the lint's findings, and a simulation of what one identity (a role
 * and a user id for auth.uid()) sees, always rolled back. The model
 * (rls_model.c, rls_sim.c) serves the view and the report alike. */
#ifndef DEGUX_PANES_RLS_H
#define DEGUX_PANES_RLS_H

#include <stdbool.h>
#include <curses.h>
#include <libpq-fe.h>

#include "domain/rlslint.h"
#include "panes/pane.h"
#include "ui/cmdline.h"

enum rls_view { RLS_VIEW_TABLES, RLS_VIEW_POLICIES, RLS_VIEW_ROLES,
                RLS_VIEW_FINDINGS, RLS_VIEW_SIMULATE, RLS_VIEW_COUNT };

/* Visible rows of a table under the simulated identity. */
#define RLS_NOT_COUNTED (-1)
#define RLS_NO_GRANT    (-2)
/* Tables a simulation reads a sample of (one statement each). */
#define RLS_MAX_SAMPLES 50
#define RLS_SAMPLE_ROWS 3

struct rls_extra {            /* per table, beside struct rls_table */
    const char *oid, *pk;     /* pk: one-column primary key or NULL */
    long long visible;        /* or RLS_NOT_COUNTED / RLS_NO_GRANT */
    PGresult *sample;         /* a few visible rows, or NULL */
};

struct rlsp {
    enum rls_view view;
    bool batch;
    int pending;              /* catalog queries under way */
    char *error;              /* a catalog query failed */
    bool loaded;

    /* The catalog: strings point into the results or into owned. */
    PGresult *res_tables, *res_policies, *res_roles, *res_auth;
    struct rls_table *tables;
    struct rls_extra *extra;
    int ntables;
    struct rls_policy *policies;
    int npolicies;
    struct rls_role *roles;
    int nroles;
    char ***owned;            /* split role lists, freed with the model */
    int nowned;
    struct rls_catalog cat;
    struct rls_findings findings;
    char *app_role;
    const char *app_role_source; /* N_(): where app_role came from */

    /* The simulation. */
    char *sim_role, *sim_user;   /* sim_user NULL: anonymous */
    bool sim_running, sim_done;
    char *sim_error, *sim_hint;  /* hint: the grant that is missing */
    bool sim_failed;             /* one step failed: later steps are moot */

    /* "Could this identity update row R of table T?" */
    int check_table;             /* -1: none asked */
    char *check_row;
    bool check_done, check_grant, check_visible, check_allowed;

    /* The view. */
    int cursor[RLS_VIEW_COUNT], top[RLS_VIEW_COUNT];
    int table;                   /* the table whose policies are shown */
    struct cmdline *prompt;
    int prompt_step;             /* 0 role, 1 user id, 2 row check */
    char *prompt_role;           /* the role typed at step 0 */
    int prompt_table;            /* step 2: the row check's table */
};

static inline struct rlsp *rls_state(struct pane *p)
{
    return p->state;
}

/* rls_model.c */
void rls_model_init(struct pane *p);
void rls_model_free(struct rlsp *s);
void rls_refresh(struct pane *p);
/* The app role: the configured one, else POSTGRES_PRISMA_URL's user, else
 * current_user. Caller frees; *source is an N_() text. */
char *rls_app_role(const char *configured, const char *current_user,
                   const char **source);

/* rls_sim.c: runs in order BEGIN READ ONLY, SET LOCAL ROLE, the user id,
 * the privileges, the counts, ROLLBACK. */
void rls_simulate(struct pane *p, const char *role, const char *user);
void rls_sim_clear(struct rlsp *s);
/* The identity's transaction around other work: begin (false when it
 * cannot start now: the message is shown), the caller's jobs, end. */
bool rls_sim_begin(struct pane *p, const char *role, const char *user);
void rls_sim_end(struct pane *p);

/* rls_check.c: could the simulated identity UPDATE the row of table i
 * whose primary key is row? Evaluated as a SELECT with the UPDATE
 * policies' USING inside the rolled-back transaction. */
void rls_check_update(struct pane *p, int table, const char *row);

/* rls_view.c */
void rls_view_draw(struct pane *p, WINDOW *w);
/* Number of lines the view shows (for moving the cursor). */
int rls_view_lines(const struct rlsp *s);
/* What the line under the cursor refers to (a table or finding index, by
 * view), or -1. */
int rls_view_ref(const struct rlsp *s);

/* rls_report.c */
int rls_report(struct pane *p, struct report *r);

#endif
