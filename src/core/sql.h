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

/* Backups pane: WAL archiving, replication, database size. */
extern const char SQL_BACKUPS_ARCHIVER[];
extern const char SQL_BACKUPS_REPLICATION[];
extern const char SQL_BACKUPS_DBSIZE[];
/* Restore test: the exact row count of every table (same on both sides). */
extern const char SQL_BACKUPS_ROW_COUNTS[];
/* The restore test's scratch database: the text around one identifier
 * quoted with PQescapeIdentifier (before it, and after it for the drop).
 * Utility statements cannot be PREPAREd, so they are not in sql_all. */
extern const char SQL_BACKUPS_CREATE_DB[];
extern const char SQL_BACKUPS_DROP_DB[];
extern const char SQL_BACKUPS_DROP_DB_END[];

/* Slow pane: pg_stat_statements, pg_stat_activity, pghero's alarms,
 * stats reset, cancel/terminate a backend, EXPLAIN prefixes. */
extern const char SQL_SLOW_STATEMENTS[];
extern const char SQL_SLOW_ACTIVITY[];
extern const char SQL_SLOW_HEADER[];
extern const char SQL_SLOW_RESET[];
extern const char SQL_SLOW_CANCEL[];
extern const char SQL_SLOW_TERMINATE[];
extern const char SQL_SLOW_EXPLAIN[];
extern const char SQL_SLOW_EXPLAIN_ANALYZE[];
extern const char SQL_SLOW_BEGIN_RO[];
extern const char SQL_SLOW_ROLLBACK[];

/* Schema pane: the whole catalog in a fixed number of queries. */
extern const char SQL_SCHEMA_NAMESPACES[];
extern const char SQL_SCHEMA_RELATIONS[];
extern const char SQL_SCHEMA_COLUMNS[];
extern const char SQL_SCHEMA_INDEXES[];
extern const char SQL_SCHEMA_CONSTRAINTS[];
extern const char SQL_SCHEMA_TRIGGERS[];
extern const char SQL_SCHEMA_FUNCTIONS[];
extern const char SQL_SCHEMA_ENUMS[];
extern const char SQL_SCHEMA_EXTENSIONS[];
extern const char SQL_SCHEMA_SEQUENCES[];
extern const char SQL_SCHEMA_DATABASE[];
extern const char SQL_SCHEMA_SIZES[];
extern const char SQL_SCHEMA_GEOMETRY[];
extern const char SQL_SCHEMA_MIGRATIONS[];
extern const char SQL_SCHEMA_CONSOLE_MIGRATIONS[];
extern const char SQL_SCHEMA_ALL_MIGRATIONS[];

/* RLS pane: tables with their RLS state, policies, roles, the auth shim's
 * presence; the simulation runs between BEGIN READ ONLY and ROLLBACK. */
extern const char SQL_RLS_TABLES[];
extern const char SQL_RLS_POLICIES[];
extern const char SQL_RLS_ROLES[];
extern const char SQL_RLS_AUTH[];
extern const char SQL_RLS_BEGIN_RO[];
extern const char SQL_RLS_ROLLBACK[];
/* The auth shim runs in its own transaction (write mode only). */
extern const char SQL_RLS_BEGIN[];
extern const char SQL_RLS_COMMIT[];
/* Followed by one identifier quoted with PQescapeIdentifier (a utility
 * statement: not PREPAREd, not in sql_all). */
extern const char SQL_RLS_SET_ROLE[];
extern const char SQL_RLS_SET_SUB[];
extern const char SQL_RLS_PRIVILEGES[];
/* The visible-row count: one "SELECT i, count(*) FROM t" (SELECT, i, FROM, t) per table, joined
 * with UNION ALL (built around quoted identifiers, so not in sql_all). */
extern const char SQL_RLS_COUNT_SELECT[];
extern const char SQL_RLS_COUNT_FROM[];
extern const char SQL_RLS_COUNT_JOIN[];
/* A sample: SELECT * FROM t LIMIT n, around a quoted identifier. */
extern const char SQL_RLS_SAMPLE_SELECT[];
extern const char SQL_RLS_SAMPLE_LIMIT[];
/* The update check, around the quoted table (T), primary key (K) and the
 * policies' combined USING (E), catalog text: CHECK_PRIV T WHERE K
 * CHECK_ROW T WHERE K CHECK_AND E CHECK_END. $1 the key as text, $2 the
 * table's oid. */
extern const char SQL_RLS_CHECK_PRIV[];
extern const char SQL_RLS_CHECK_WHERE[];
extern const char SQL_RLS_CHECK_ROW[];
extern const char SQL_RLS_CHECK_AND[];
extern const char SQL_RLS_CHECK_END[];

/* Migrations (src/migrate.c). APPLIED, IS_APPLIED, RECORD and FORGET need
 * the console's schema, so they are not in sql_all (tests run them after
 * migrating). */
extern const char SQL_MIGRATE_TABLE_EXISTS[];
extern const char SQL_MIGRATE_REVIEW_EXISTS[];
extern const char SQL_MIGRATE_LOCK[];
extern const char SQL_MIGRATE_APPLIED[];
extern const char SQL_MIGRATE_IS_APPLIED[];
extern const char SQL_MIGRATE_RECORD[];
extern const char SQL_MIGRATE_FORGET[];
/* --demo: the console's schema once, after the demo's first load. */
extern const char SQL_MIGRATE_DEMO_LOCK[];
extern const char SQL_MIGRATE_DEMO_DUE[];
extern const char SQL_MIGRATE_DEMO_MARK[];
/* validate and report moderation (src/validate_cli.c): the context (today,
 * the registry offices, price per m² quartiles by comuna), every
 * referencial with what the server knows about it, and the review state
 * (MODERATION_STATUS needs the console's schema: not in sql_all). */
extern const char SQL_VALIDATE_SESSION[];
extern const char SQL_VALIDATE_TODAY[];
extern const char SQL_VALIDATE_CBRS[];
extern const char SQL_VALIDATE_PRICES[];
extern const char SQL_VALIDATE_ROWS[];
extern const char SQL_MODERATION_TOTAL[];
extern const char SQL_MODERATION_STATUS[];
/* The moderation pane (need the console's schema: not in sql_all). Each
 * write has an _AL form that also writes a Prisma "AuditLog" row for the
 * moderator "User".id passed as one more, last, parameter. */
extern const char SQL_MODERATION_QUEUE[];
extern const char SQL_MODERATION_DECIDE[];
extern const char SQL_MODERATION_DECIDE_AL[];
extern const char SQL_MODERATION_FIX[];
extern const char SQL_MODERATION_FIX_AL[];
extern const char SQL_MODERATION_EDIT[];
extern const char SQL_MODERATION_EDIT_AL[];
extern const char SQL_MODERATION_DELETE[];
extern const char SQL_MODERATION_DELETE_AL[];
extern const char SQL_MODERATION_UNDO[];
extern const char SQL_MODERATION_UNDO_AL[];
/* Whether "AuditLog" exists, and whether $1 is a "User" (the moderator's
 * audit). */
extern const char SQL_MODERATION_AUDITLOG[];
extern const char SQL_MODERATION_MODERATOR[];
/* The comuna filter: every spelling of comuna in referenciales. */
extern const char SQL_MODERATION_COMUNAS[];

/* Search pane: a row's conservador and creating user. */
extern const char SQL_SEARCH_REF_DETAIL[];
extern const char SQL_SEARCH_USER[];
/* The distinct comunas of referenciales and Property (completion). */
extern const char SQL_SEARCH_COMUNAS[];
/* A page without parallel workers: the command's SET (a utility statement,
 * not in sql_all); the pane's save and restore of the session's value. */
extern const char SQL_SEARCH_SERIAL[];
extern const char SQL_SEARCH_SERIAL_SAVE[];
extern const char SQL_SEARCH_SERIAL_RESTORE[];

#endif
