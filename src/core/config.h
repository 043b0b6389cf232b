/* Configuration: $XDG_CONFIG_HOME/degux-console/config (INI, read with
 * libinih) and command-line overrides. Every key is documented in
 * degux-console(1). */
#ifndef DEGUX_CONFIG_H
#define DEGUX_CONFIG_H

#include <stdbool.h>

struct config_connection {
    char *name;
    char *conninfo;       /* conninfo string or URI (url = / conninfo =) */
    char *host, *port, *dbname, *user, *password, *sslmode;
    bool write;           /* open in write mode */
};

struct config {
    char *path;                   /* file read, NULL when none */
    /* [console] */
    int statement_timeout_ms;     /* statement_timeout (default 30 s) */
    char *pane;                   /* pane opened first */
    char *theme;                  /* "default" or "mono" */
    bool mouse;
    int history_size;
    /* [demo] */
    char *demo_dir, *demo_bindir;
    long demo_size;
    /* [backups] */
    char *backup_dir, *backup_pattern, *backup_log;
    int keep_daily, keep_weekly, keep_monthly;
    int backup_max_age_h;
    /* [moderation] */
    char *rol_pattern;
    char *moderator_user_id;
    /* [rls] */
    char *app_role;
    /* [slow] */
    double slow_threshold_ms;
    int activity_refresh_ms;

    struct config_connection *connections;
    int nconnections;
};

/* Defaults, then the file (path NULL: the XDG default, missing is fine).
 * Returns false with *err (caller frees) for an unreadable or malformed
 * file ("FILE:LINE: …"), or one holding a password that others can read;
 * cfg then holds nothing to free. */
bool config_load(struct config *cfg, const char *path, char **err);
/* The same for text in memory (tests, fuzzing); name is used in messages.
 * No permission check: there is no file. */
bool config_load_string(struct config *cfg, const char *text,
                        const char *name, char **err);
void config_free(struct config *cfg);

/* The [connection NAME] section, or NULL. */
const struct config_connection *config_connection(const struct config *cfg,
                                                  const char *name);
/* A conninfo string for a named connection (caller frees): url/conninfo
 * with the separate keys (host, port, …) added so that they win. */
char *config_connection_conninfo(const struct config_connection *c);

/* Parses "30s", "500ms", "2min", "1h", "1d" (PostgreSQL's units; a
 * decimal number is fine: "1.5s") or plain milliseconds; -1 if bad. */
long config_parse_duration_ms(const char *s);

/* $XDG_CONFIG_HOME/degux-console/config etc.; caller frees. */
char *config_default_path(void);
/* $XDG_STATE_HOME/degux-console, created (mode 0700) when missing. */
char *config_state_dir(void);

#endif
