/* A lexer-level SQL scanner for the SQL pane: where statements end (a ';'
 * outside quotes and comments), whether a buffer is still inside a quote or
 * a comment, and what kind of statement a text is. Pure: no I/O.
 *
 * Lexing follows PostgreSQL with standard_conforming_strings on: '...' with
 * '' for a quote, E'...' with backslash escapes too, "identifiers" with "",
 * $tag$ dollar quotes (a '$' inside a word, as in a$b, or before a digit, as
 * in $1, starts none), -- line comments and nested block comments. */
#ifndef DEGUX_SQLSCAN_H
#define DEGUX_SQLSCAN_H

#include <stdbool.h>
#include <stddef.h>

/* One complete statement of a buffer: offsets into it. The text runs from
 * its first token to its last one: blanks and comments before and after,
 * and the ';' that ended it, are left out. */
struct sqlscan_stmt {
    size_t start;
    size_t len;
};

/* Where the end of a buffer is, after its last complete statement. */
enum sqlscan_state {
    SQLSCAN_EMPTY,          /* nothing but blanks and closed comments */
    SQLSCAN_TEXT,           /* a statement has begun: it waits for ';' */
    SQLSCAN_STRING,         /* inside '...' or E'...' */
    SQLSCAN_IDENT,          /* inside "..." */
    SQLSCAN_DOLLAR,         /* inside $tag$ ... */
    SQLSCAN_BLOCK_COMMENT,  /* inside a block comment (at any depth) */
    SQLSCAN_LINE_COMMENT,   /* in a -- comment the newline has not ended */
};

/* Finds up to max complete statements in buf, in order, into out.
 * Statements with no token (";", "-- x\n;") are skipped. *consumed is the
 * offset just after the last ';' taken (the last statement's, or an empty
 * one's after it): what follows is the unfinished rest. Returns how many
 * were stored. buf NULL: none. */
int sqlscan_split(const char *buf, struct sqlscan_stmt *out, int max,
                  size_t *consumed);

/* The state at the end of buf (NULL: SQLSCAN_EMPTY). */
enum sqlscan_state sqlscan_state(const char *buf);

/* True when a ';' added at the end of buf would not end a statement: buf
 * ends inside a quote, an identifier, a dollar quote or a comment. */
bool sqlscan_unfinished(const char *buf);

/* True when s holds only blanks and closed comments (or is NULL). A --
 * comment at the very end counts as closed. */
bool sqlscan_blank(const char *s);

/* True for a console command line: its first non-blank byte is ':'. */
bool sqlscan_is_command(const char *line);

/* The first keyword of a statement, skipping blanks, comments and opening
 * parentheses: a pointer into sql and its length in *len, or NULL when the
 * statement does not start with a word. */
const char *sqlscan_first_keyword(const char *sql, size_t *len);

/* True when the first keyword of sql is kw (ASCII, case-insensitive). */
bool sqlscan_starts_with(const char *sql, const char *kw);

/* True for a query whose rows can be read through a cursor (DECLARE ...
 * CURSOR FOR it): it starts with SELECT, VALUES, TABLE or WITH, and has no
 * INSERT, UPDATE, DELETE, MERGE or INTO (data-modifying WITH, SELECT INTO)
 * and no FOR SHARE / FOR KEY SHARE. SHOW, EXPLAIN and FETCH return rows
 * too but cannot be a cursor's query: false, they run as plain statements.
 * A false answer is always safe: the statement then runs as a whole. */
bool sqlscan_is_query(const char *sql);

/* True for a statement that would open a read-write transaction in a
 * read-only session: BEGIN / START TRANSACTION / SET TRANSACTION / SET
 * SESSION CHARACTERISTICS with READ WRITE, or SET / RESET of
 * transaction_read_only. (default_transaction_read_only is watched through
 * the server's reports instead: see db.c.) */
bool sqlscan_unlocks_write(const char *sql);

#endif
