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
/* What a report prints when the database cannot be reached (JSON only). */
void reports_unreachable(const char *kind, const char *err, bool json);

#endif
