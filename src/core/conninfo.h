/* What the user typed (a URI, a Prisma URL, a "k=v" conninfo or a bare
 * database name) turned into a conninfo string libpq accepts. Pure string
 * work plus PQconninfoParse for validation: nothing here connects. */
#ifndef DEGUX_CONNINFO_H
#define DEGUX_CONNINFO_H

#include <stdbool.h>

/* Returns a conninfo for PQconnectdb (caller frees), or NULL with *err
 * (caller frees, one line: "invalid connection string: …"). Prisma-only
 * URI parameters are dropped; Prisma's ?schema= is returned percent-decoded
 * in *schema (caller frees; NULL when absent or empty). A bare word becomes
 * dbname='word'; "" stays "" (libpq's defaults: PG* variables, service). */
char *conninfo_normalize(const char *in, char **schema, char **err);

/* True when arg is a URI (postgres:// or postgresql://) or holds '=' — the
 * same test libpq applies; otherwise it is a connection name or a dbname. */
bool conninfo_is_literal(const char *arg);

/* base plus keyword=value, which overrides what base says: a URI gets a
 * percent-encoded query parameter, a conninfo a quoted pair, a bare dbname
 * becomes dbname='…' first. Caller frees. */
char *conninfo_append(const char *base, const char *keyword,
                      const char *value);

/* True when the URI or conninfo carries a password (false if unparsable). */
bool conninfo_has_password(const char *in);

/* "user@host:port/dbname" for display, never with the password; missing
 * parts come from libpq's defaults (PG* variables), a socket directory
 * shows as [local:DIR]. Caller frees; NULL when in cannot be parsed. */
char *conninfo_display(const char *in);

/* in with libpq's defaults (PG* variables) written out for host, port,
 * dbname and user, never a password: what --print-conninfo shows when the
 * target comes from the environment. Caller frees; NULL when unparsable. */
char *conninfo_effective(const char *in);

#endif
