/* Batch reports: `degux-console report KIND [--json]`. "status" is built
 * in; every pane with a report operation adds its own kind, printed from
 * the same model the pane draws. */
#ifndef DEGUX_REPORTS_H
#define DEGUX_REPORTS_H

#include <stdbool.h>

#include "core/config.h"
#include "core/db.h"

bool reports_known(const char *kind);
const char *reports_kinds(void);   /* "status, …" for messages */
/* Prints the report; returns the exit status (0, 1 findings, 2 failure). */
int reports_run(const char *kind, struct db *db, const struct config *cfg,
                bool json, char **args, int nargs);
/* The report being run ("advisor" is the schema pane's second kind) and
 * its --table option (NULL when not given), for the pane's report op. */
const char *reports_kind(void);
void reports_set_table(const char *name);
const char *reports_table(void);
/* report slow's --threshold (or the configured one), --limit and --now
 * (0: not given). */
struct reports_slow_options {
    double threshold_ms;
    long limit;
    double now_s;
};
void reports_set_slow(double threshold_ms, long limit, double now_s);
const struct reports_slow_options *reports_slow(void);
/* report rls's --as-role and --as-user (NULL when not given). */
void reports_set_rls(const char *role, const char *user);
const char *reports_rls_role(void);
const char *reports_rls_user(void);
/* The configuration of the report being run (NULL outside reports_run). */
const struct config *reports_config(void);
/* What a report prints when the database cannot be reached (JSON only). */
void reports_unreachable(const char *kind, const char *err, bool json);

#endif
