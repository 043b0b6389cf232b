/* `degux-console validate [--json|--csv] [--comuna C]`: every referencial
 * through the moderation rules, failures printed as they stream; and
 * `degux-console report moderation [--json]`: counts per review status and
 * per rule. */
#ifndef DEGUX_VALIDATE_CLI_H
#define DEGUX_VALIDATE_CLI_H

#include <stdbool.h>

#include "core/db.h"
#include "domain/validate.h"

enum validate_cli_format { VALIDATE_CLI_TEXT, VALIDATE_CLI_JSON,
                           VALIDATE_CLI_CSV };

/* comuna: NULL for every row, else rows of that comuna however it is
 * spelt. Returns 0 no findings, 1 findings, 2 failure. */
int validate_cli_run(struct db *db, enum validate_cli_format format,
                     const char *comuna);

/* report moderation: 0 when no row fails a rule, 1 when some do, 2 when
 * the report could not be made. */
int validate_cli_report(struct db *db, bool json);

/* For the moderation pane, which runs the same statements as jobs: a row
 * of SQL_VALIDATE_ROWS (or a query with the same first 20 columns) as
 * the validators take it (pointers into res), and the context from the
 * results of SQL_VALIDATE_CBRS and SQL_VALIDATE_PRICES. */
void validate_cli_row_read(const PGresult *res, int i,
                           struct referencial_row *row);
void validate_cli_set_cbrs(struct validate_ctx *ctx, const PGresult *res);
void validate_cli_set_prices(struct validate_ctx *ctx, const PGresult *res);

#endif
