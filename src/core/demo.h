/* The embedded demo database: a private PostgreSQL cluster with PostGIS and
 * pg_stat_statements, created on first use under the state directory, on its
 * own Unix socket (no TCP port), loaded with the degux schema and generated
 * data from data/, and started when it is not running. As root the cluster
 * runs as an unprivileged user (initdb refuses root). */
#ifndef DEGUX_DEMO_H
#define DEGUX_DEMO_H

#include <stdbool.h>

struct demo_opts {
    const char *dir;       /* cluster home; NULL: demo_default_dir() */
    const char *bindir;    /* PostgreSQL server binaries; NULL: found */
    const char *datadir;   /* data/ with the SQL files; NULL: installed */
    long size;             /* referenciales to generate (default 100000) */
    bool quiet;            /* no progress on stderr */
};

/* $XDG_STATE_HOME/degux-console/demo (~/.local/state/...), or
 * /var/lib/degux-console/demo when running as root. Caller frees. */
char *demo_default_dir(void);

/* Makes sure the cluster exists, runs and holds the demo database; returns
 * a conninfo for it (caller frees), or NULL with *err (caller frees). */
char *demo_ensure(const struct demo_opts *opts, char **err);

/* Stops the cluster if it runs (tests, `degux-console --demo-stop`). */
bool demo_stop(const struct demo_opts *opts, char **err);

/* The folder of demo backups inside the cluster home (caller frees). */
char *demo_backup_dir(const struct demo_opts *opts);

#endif
