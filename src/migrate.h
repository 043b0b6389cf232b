/* `degux-console migrate status|up|down`: the console's own schema,
 * degux_console, built by the reversible migrations in
 * data/migrations/NNNN_name.{up,down}.sql, each run in one transaction. */
#ifndef DEGUX_MIGRATE_H
#define DEGUX_MIGRATE_H

#include <stdbool.h>

#include "core/db.h"

/* args[0] is "migrate". Returns the exit status: 0 done, 1 pending
 * migrations (status), 2 failure or bad usage. up and down need write
 * mode; down reverts the newest applied migration. */
int migrate_command(struct db *db, char **args, int nargs, bool json);

/* The folder holding the migration files: $DEGUX_DATADIR/migrations, the
 * installed copy, then the source tree's. Caller frees. */
char *migrate_dir(void);

/* Whether the moderation tables exist (0001 applied); false on error. */
bool migrate_schema_present(struct db *db);

/* --demo: applies every pending migration, printing nothing, the first
 * time it connects to a freshly loaded demo database (degux_demo.loaded
 * present), and leaves a marker (degux_demo.console_migrated) so it never
 * happens again for that load: a later `migrate down` sticks. Connects on
 * its own with conninfo. False with *err (caller frees) on failure. */
bool migrate_demo_once(const char *conninfo, char **err);

#endif
