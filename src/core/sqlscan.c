/* SQL statement boundaries and statement kinds, found by a small lexer that
 * knows only what can hide a ';': quotes, dollar quotes and comments. */
#include "autoconfig.h"

#include "core/sqlscan.h"

#include <string.h>

enum tok_kind {
    TOK_END,
    TOK_SPACE,
    TOK_LINE_COMMENT,
    TOK_BLOCK_COMMENT,
    TOK_STRING,
    TOK_IDENT,
    TOK_DOLLAR,
    TOK_WORD,
    TOK_SEMI,
    TOK_OTHER,
};

struct tok {
    enum tok_kind kind;
    size_t start, end;  /* [start, end) in the buffer */
    bool closed;        /* false: the buffer ended inside it */
};

struct lexer {
    const char *s;
    size_t n;
    size_t i;
};

static bool is_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
           c == '\v';
}

/* Bytes of identifiers: PostgreSQL takes every byte >= 0x80 as a letter. */
static bool is_ident_start(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
           c >= 0x80;
}

static bool is_ident_cont(unsigned char c)
{
    return is_ident_start(c) || (c >= '0' && c <= '9') || c == '$';
}

static unsigned char at(const struct lexer *lx, size_t i)
{
    return i < lx->n ? (unsigned char)lx->s[i] : 0;
}

/* '...' from the quote at lx->i; backslash escapes only in E'...'. */
static bool lex_string(struct lexer *lx, char quote, bool backslash)
{
    for (lx->i++; lx->i < lx->n; lx->i++) {
        char c = lx->s[lx->i];
        if (backslash && c == '\\') {
            if (++lx->i >= lx->n)
                return false;
        } else if (c == quote) {
            if (at(lx, lx->i + 1) != (unsigned char)quote) {
                lx->i++;
                return true;
            }
            lx->i++;    /* a doubled quote stands for one */
        }
    }
    return false;
}

static bool lex_block_comment(struct lexer *lx)
{
    int depth = 0;

    while (lx->i < lx->n) {
        if (lx->s[lx->i] == '/' && at(lx, lx->i + 1) == '*') {
            depth++;
            lx->i += 2;
        } else if (lx->s[lx->i] == '*' && at(lx, lx->i + 1) == '/') {
            lx->i += 2;
            if (--depth == 0)
                return true;
        } else {
            lx->i++;
        }
    }
    return false;
}

static bool lex_line_comment(struct lexer *lx)
{
    const char *nl = memchr(lx->s + lx->i, '\n', lx->n - lx->i);

    lx->i = nl ? (size_t)(nl - lx->s) : lx->n;
    return nl != NULL;
}

/* Length of the $tag$ opening at i, or 0 when '$' starts no dollar quote. */
static size_t dollar_tag_len(const struct lexer *lx, size_t i)
{
    size_t j = i + 1;

    if (is_ident_start(at(lx, j)))
        while (j < lx->n && is_ident_cont(at(lx, j)) && lx->s[j] != '$')
            j++;
    return at(lx, j) == '$' ? j + 1 - i : 0;
}

static bool lex_dollar(struct lexer *lx, size_t taglen)
{
    const char *tag = lx->s + lx->i;

    for (lx->i += taglen; lx->i + taglen <= lx->n; lx->i++) {
        if (memcmp(lx->s + lx->i, tag, taglen) == 0) {
            lx->i += taglen;
            return true;
        }
    }
    lx->i = lx->n;
    return false;
}

static void lex_word(struct lexer *lx)
{
    while (lx->i < lx->n && is_ident_cont(at(lx, lx->i)))
        lx->i++;
}

/* The token at lx->i when it is a quote or a comment, TOK_END if not;
 * t->closed says whether it ended before the buffer did. */
static enum tok_kind lex_quoted(struct lexer *lx, struct tok *t)
{
    unsigned char c = at(lx, lx->i), d = at(lx, lx->i + 1);
    size_t taglen;

    if (c == '\'') {
        t->closed = lex_string(lx, '\'', false);
        return TOK_STRING;
    }
    if ((c == 'e' || c == 'E') && d == '\'') {
        lx->i++;
        t->closed = lex_string(lx, '\'', true);
        return TOK_STRING;
    }
    if (c == '"') {
        t->closed = lex_string(lx, '"', false);
        return TOK_IDENT;
    }
    if (c == '-' && d == '-') {
        t->closed = lex_line_comment(lx);
        return TOK_LINE_COMMENT;
    }
    if (c == '/' && d == '*') {
        t->closed = lex_block_comment(lx);
        return TOK_BLOCK_COMMENT;
    }
    if (c == '$' && (taglen = dollar_tag_len(lx, lx->i)) > 0) {
        t->closed = lex_dollar(lx, taglen);
        return TOK_DOLLAR;
    }
    return TOK_END;
}

static void lex_next(struct lexer *lx, struct tok *t)
{
    unsigned char c = at(lx, lx->i);

    t->start = lx->i;
    t->closed = true;
    if (lx->i >= lx->n) {
        t->kind = TOK_END;
    } else if (is_space(c)) {
        while (lx->i < lx->n && is_space(at(lx, lx->i)))
            lx->i++;
        t->kind = TOK_SPACE;
    } else if ((t->kind = lex_quoted(lx, t)) != TOK_END) {
        /* a quote or comment: lexed */
    } else if (is_ident_cont(c) && c != '$') {
        lex_word(lx);
        t->kind = TOK_WORD;
    } else {
        lx->i++;
        t->kind = c == ';' ? TOK_SEMI : TOK_OTHER;
    }
    t->end = lx->i;
}

static void lexer_init(struct lexer *lx, const char *s)
{
    lx->s = s ? s : "";
    lx->n = strlen(lx->s);
    lx->i = 0;
}

static bool is_filler(enum tok_kind k)
{
    return k == TOK_SPACE || k == TOK_LINE_COMMENT || k == TOK_BLOCK_COMMENT;
}

/* ---- statements --------------------------------------------------------- */

struct splitter {
    struct lexer lx;
    struct tok t;
    bool begun;             /* a token of the current statement was seen */
    size_t first, last;     /* its first token's start, last token's end */
    size_t semi_end;        /* just after the last ';' outside quotes */
};

/* Advances to the next ';' ending a statement (true), or to the end. */
static bool split_next(struct splitter *sp)
{
    sp->begun = false;
    for (;;) {
        lex_next(&sp->lx, &sp->t);
        if (sp->t.kind == TOK_END || !sp->t.closed)
            return false;
        if (sp->t.kind == TOK_SEMI)
            sp->semi_end = sp->t.end;
        if (sp->t.kind == TOK_SEMI && sp->begun)
            return true;
        if (sp->t.kind == TOK_SEMI || is_filler(sp->t.kind))
            continue;
        if (!sp->begun)
            sp->first = sp->t.start;
        sp->begun = true;
        sp->last = sp->t.end;
    }
}

int sqlscan_split(const char *buf, struct sqlscan_stmt *out, int max,
                  size_t *consumed)
{
    struct splitter sp;
    int n = 0;

    lexer_init(&sp.lx, buf);
    sp.semi_end = 0;
    while (n < max && split_next(&sp)) {
        out[n].start = sp.first;
        out[n].len = sp.last - sp.first;
        n++;
    }
    /* Empty statements (";;") after the last one are consumed too. */
    *consumed = sp.semi_end;
    return n;
}

static enum sqlscan_state open_state(enum tok_kind k)
{
    switch (k) {
    case TOK_STRING: return SQLSCAN_STRING;
    case TOK_IDENT: return SQLSCAN_IDENT;
    case TOK_DOLLAR: return SQLSCAN_DOLLAR;
    case TOK_BLOCK_COMMENT: return SQLSCAN_BLOCK_COMMENT;
    case TOK_LINE_COMMENT: return SQLSCAN_LINE_COMMENT;
    default: return SQLSCAN_TEXT;
    }
}

enum sqlscan_state sqlscan_state(const char *buf)
{
    struct splitter sp;

    lexer_init(&sp.lx, buf);
    while (split_next(&sp))
        ;
    if (!sp.t.closed)
        return open_state(sp.t.kind);
    return sp.begun ? SQLSCAN_TEXT : SQLSCAN_EMPTY;
}

bool sqlscan_unfinished(const char *buf)
{
    enum sqlscan_state st = sqlscan_state(buf);

    return st != SQLSCAN_EMPTY && st != SQLSCAN_TEXT;
}

bool sqlscan_blank(const char *s)
{
    struct lexer lx;
    struct tok t;

    lexer_init(&lx, s);
    do {
        lex_next(&lx, &t);
        if (t.kind == TOK_LINE_COMMENT)
            continue;   /* closed by the end of the text */
        if (!t.closed || !(t.kind == TOK_END || is_filler(t.kind)))
            return false;
    } while (t.kind != TOK_END);
    return true;
}

bool sqlscan_is_command(const char *line)
{
    if (!line)
        return false;
    while (is_space((unsigned char)*line))
        line++;
    return *line == ':';
}

/* ---- statement kinds ---------------------------------------------------- */

static bool word_is(const char *s, size_t len, const char *kw)
{
    size_t i;

    for (i = 0; i < len && kw[i]; i++) {
        char c = s[i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if (c != kw[i])
            return false;
    }
    return i == len && !kw[i];
}

const char *sqlscan_first_keyword(const char *sql, size_t *len)
{
    struct lexer lx;
    struct tok t;

    lexer_init(&lx, sql);
    do
        lex_next(&lx, &t);
    while (t.closed && (is_filler(t.kind) ||
                        (t.kind == TOK_OTHER && lx.s[t.start] == '(')));
    if (t.kind != TOK_WORD)
        return NULL;
    *len = t.end - t.start;
    return lx.s + t.start;
}

bool sqlscan_starts_with(const char *sql, const char *kw)
{
    size_t len;
    const char *w = sqlscan_first_keyword(sql, &len);
    char lower[32];
    size_t i;

    for (i = 0; kw[i] && i + 1 < sizeof lower; i++)
        lower[i] = (char)(kw[i] >= 'A' && kw[i] <= 'Z' ? kw[i] - 'A' + 'a'
                                                       : kw[i]);
    lower[i] = '\0';
    return w && word_is(w, len, lower);
}

/* A word that keeps a statement out of a read-only cursor; prev is the word
 * before it (FOR SHARE, FOR KEY SHARE lock rows). */
static bool word_writes(const char *w, size_t len, const char *prev,
                        size_t plen)
{
    static const char *const words[] = { "insert", "update", "delete",
                                         "merge", "into", NULL };

    for (int i = 0; words[i]; i++)
        if (word_is(w, len, words[i]))
            return true;
    return word_is(w, len, "share") && prev &&
           (word_is(prev, plen, "for") || word_is(prev, plen, "key"));
}

static bool has_writing_word(const char *sql)
{
    struct lexer lx;
    struct tok t;
    const char *prev = NULL;
    size_t plen = 0;

    lexer_init(&lx, sql);
    for (lex_next(&lx, &t); t.kind != TOK_END; lex_next(&lx, &t)) {
        if (t.kind != TOK_WORD)
            continue;
        if (word_writes(lx.s + t.start, t.end - t.start, prev, plen))
            return true;
        prev = lx.s + t.start;
        plen = t.end - t.start;
    }
    return false;
}

bool sqlscan_is_query(const char *sql)
{
    static const char *const starts[] = { "select", "values", "table",
                                          "with", NULL };
    size_t len;
    const char *w = sqlscan_first_keyword(sql, &len);

    if (!w)
        return false;
    for (int i = 0; starts[i]; i++)
        if (word_is(w, len, starts[i]))
            return !has_writing_word(sql);
    return false;
}

/* READ WRITE, or the transaction_read_only setting, in a statement that
 * starts or shapes a transaction (BEGIN, START, SET, RESET). */
bool sqlscan_unlocks_write(const char *sql)
{
    static const char *const starts[] = { "begin", "start", "set", "reset",
                                          NULL };
    struct lexer lx;
    struct tok t;
    const char *prev = NULL;
    size_t plen = 0, len;
    const char *w = sqlscan_first_keyword(sql, &len);
    bool shapes = false;

    for (int i = 0; w && starts[i]; i++)
        shapes = shapes || word_is(w, len, starts[i]);
    if (!shapes)
        return false;
    lexer_init(&lx, sql);
    for (lex_next(&lx, &t); t.kind != TOK_END; lex_next(&lx, &t)) {
        if (t.kind != TOK_WORD)
            continue;
        w = lx.s + t.start;
        len = t.end - t.start;
        if (word_is(w, len, "transaction_read_only") ||
            (word_is(w, len, "write") && prev && word_is(prev, plen, "read")))
            return true;
        prev = w;
        plen = len;
    }
    return false;
}
