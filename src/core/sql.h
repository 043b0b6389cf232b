/* Every SQL statement the program sends, each a named constant, so that the
 * test suite can PREPARE all of them against a real server (a catalog typo
 * fails CI). Parameters are always $n, never pasted text. */
#ifndef DEGUX_SQL_H
#define DEGUX_SQL_H

struct sql_stmt {
    const char *name;   /* for tests and logs */
    const char *text;
    int min_server;     /* PQserverVersion needed, 0 for any */
    const char *needs;  /* extension it needs ("pg_stat_statements"), or NULL */
};

/* All statements, ending with a NULL name. */
extern const struct sql_stmt sql_all[];

/* Session set-up and identification. */
extern const char SQL_SESSION_SETUP[];
extern const char SQL_SESSION_INFO[];
extern const char SQL_SET_WRITE[];
/* report status: degux core tables and their row estimates. */
extern const char SQL_STATUS_TABLES[];
/* Completion: relation and column names visible on the search_path. */
extern const char SQL_COMPLETE_RELATIONS[];
extern const char SQL_COMPLETE_COLUMNS[];

#endif
