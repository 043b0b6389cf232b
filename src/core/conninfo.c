/* Connection strings: Prisma URLs made acceptable to libpq (their ?schema=
 * kept aside for the search_path), bare database names quoted, everything
 * validated with PQconninfoParse, and a password-free form for display. */
#include "autoconfig.h"

#include "core/conninfo.h"

#include <libpq-fe.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"
#include "i18n.h"

/* URI parameters Prisma (its query engine, Accelerate, PgBouncer mode)
 * understands and libpq does not: libpq rejects an unknown parameter, so
 * they are dropped. Prisma's libpq-named ones (sslmode, sslcert,
 * connect_timeout, application_name, options…) are kept. */
static const char *const prisma_only[] = {
    "schema", "connection_limit", "pool_timeout", "socket_timeout",
    "pgbouncer", "sslaccept", "sslidentity", "statement_cache_size",
    "max_connection_lifetime", "max_idle_connection_lifetime", "api_key",
    NULL,
};

static size_t uri_prefix_len(const char *s)
{
    /* Case-sensitive, as libpq's own test, so both agree on what a URI is. */
    if (strncmp(s, "postgresql://", 13) == 0)
        return 13;
    if (strncmp(s, "postgres://", 11) == 0)
        return 11;
    return 0;
}

bool conninfo_is_literal(const char *arg)
{
    return arg && (uri_prefix_len(arg) > 0 || strchr(arg, '=') != NULL);
}

static int hex_digit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Decodes %XX escapes of s[0..n); NULL for a bad escape or an encoded NUL,
 * which no schema name can hold. */
static char *percent_decode(const char *s, size_t n)
{
    char *out = xmalloc(n + 1), *o = out;

    for (size_t i = 0; i < n; i++) {
        int hi, lo;

        if (s[i] != '%') {
            *o++ = s[i];
            continue;
        }
        if (i + 2 >= n) {
            free(out);
            return NULL;
        }
        hi = hex_digit(s[i + 1]);
        lo = hex_digit(s[i + 2]);
        if (hi < 0 || lo < 0 || (hi == 0 && lo == 0)) {
            free(out);
            return NULL;
        }
        *o++ = (char)(hi * 16 + lo);
        i += 2;
    }
    *o = '\0';
    return out;
}

static bool is_prisma_only(const char *name, size_t n)
{
    for (const char *const *p = prisma_only; *p; p++)
        if (strlen(*p) == n && memcmp(*p, name, n) == 0)
            return true;
    return false;
}

/* One "name=value" of the query: false on a bad schema value. *keep says
 * whether it goes on to libpq. */
static bool query_param(const char *p, size_t n, bool *keep, char **schema,
                        char **err)
{
    const char *eq = memchr(p, '=', n);
    size_t name_len = eq ? (size_t)(eq - p) : n;

    *keep = n > 0 && !is_prisma_only(p, name_len);
    if (name_len != 6 || memcmp(p, "schema", 6) != 0 || !eq)
        return true;
    free(*schema);
    *schema = percent_decode(eq + 1, n - name_len - 1);
    if (!*schema) {
        *err = xstrdup(_("invalid connection string: bad percent-encoding "
                         "in the schema parameter"));
        return false;
    }
    if (!**schema) {
        free(*schema);
        *schema = NULL;
    }
    return true;
}

/* The URI without Prisma's parameters; everything kept is copied byte for
 * byte, so its percent-encoding reaches libpq untouched. */
static char *uri_strip_prisma(const char *in, char **schema, char **err)
{
    const char *q = strchr(in, '?');
    char *out = xstrdup(in);
    size_t len;
    char sep = '?';

    if (!q)
        return out;
    len = (size_t)(q - in);
    for (const char *p = q + 1;; p++) {
        size_t n = strcspn(p, "&");
        bool keep;

        if (!query_param(p, n, &keep, schema, err)) {
            free(out);
            return NULL;
        }
        if (keep) {
            out[len++] = sep;
            memcpy(out + len, p, n);
            len += n;
            sep = '&';
        }
        p += n;
        if (!*p)
            break;
    }
    out[len] = '\0';
    return out;
}

/* keyword='value', quoted the way libpq unquotes conninfo values. */
static char *conninfo_pair(const char *kw, const char *value)
{
    char *out = xmalloc(strlen(kw) + strlen(value) * 2 + 4), *o = out;

    o += strlen(strcpy(o, kw));
    *o++ = '=';
    *o++ = '\'';
    for (const char *s = value; *s; s++) {
        if (*s == '\'' || *s == '\\')
            *o++ = '\\';
        *o++ = *s;
    }
    strcpy(o, "'");
    return out;
}

static bool uri_unreserved(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
           c == '~';
}

static char *uri_append(const char *uri, const char *kw, const char *value)
{
    char *enc = xmalloc(strlen(value) * 3 + 1), *o = enc, *out;

    for (const unsigned char *s = (const unsigned char *)value; *s; s++) {
        if (uri_unreserved(*s)) {
            *o++ = (char)*s;
        } else {
            *o++ = '%';
            *o++ = "0123456789ABCDEF"[*s >> 4];
            *o++ = "0123456789ABCDEF"[*s & 15];
        }
    }
    *o = '\0';
    out = xasprintf("%s%c%s=%s", uri, strchr(uri, '?') ? '&' : '?', kw, enc);
    free(enc);
    return out;
}

char *conninfo_append(const char *base, const char *kw, const char *value)
{
    char *pair, *out;

    if (!base)
        base = "";
    if (uri_prefix_len(base))
        return uri_append(base, kw, value);
    pair = conninfo_pair(kw, value);
    if (!*base) {
        out = pair;
    } else if (strchr(base, '=')) {
        out = xasprintf("%s %s", base, pair);
        free(pair);
    } else {
        char *db = conninfo_pair("dbname", base);
        out = xasprintf("%s %s", db, pair);
        free(db);
        free(pair);
    }
    return out;
}

/* libpq's message on one line, with control characters made harmless: it
 * may quote the hostile input back. */
static char *message_one_line(const char *msg)
{
    char *out = xstrdup(msg), *end;

    for (char *s = out; *s; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7f)
            *s = (*s == '\n' || *s == '\t') ? ' ' : '?';
    end = out + strlen(out);
    while (end > out && end[-1] == ' ')
        *--end = '\0';
    return out;
}

static PQconninfoOption *conninfo_parse(const char *ci, char **err)
{
    char *msg = NULL;
    PQconninfoOption *opts = PQconninfoParse(ci, &msg);

    if (!opts && err) {
        char *line = message_one_line(msg ? msg : _("out of memory"));
        *err = xasprintf(_("invalid connection string: %s"), line);
        free(line);
    }
    PQfreemem(msg);
    return opts;
}

char *conninfo_normalize(const char *in, char **schema, char **err)
{
    PQconninfoOption *opts;
    char *out;

    *schema = NULL;
    *err = NULL;
    if (!in)
        in = "";
    if (uri_prefix_len(in))
        out = uri_strip_prisma(in, schema, err);
    else if (*in && !strchr(in, '='))
        out = conninfo_pair("dbname", in);
    else
        out = xstrdup(in);
    if (out && !(opts = conninfo_parse(out, err))) {
        free(out);
        out = NULL;
    } else if (out) {
        PQconninfoFree(opts);
    }
    if (!out) {
        free(*schema);
        *schema = NULL;
    }
    return out;
}

static const char *option_value(const PQconninfoOption *o, const char *kw)
{
    for (; o && o->keyword; o++)
        if (strcmp(o->keyword, kw) == 0)
            return o->val && *o->val ? o->val : NULL;
    return NULL;
}

/* Parses what the user typed, Prisma parameters and all. */
static PQconninfoOption *conninfo_parse_input(const char *in)
{
    char *schema, *err, *ci = conninfo_normalize(in, &schema, &err);
    PQconninfoOption *opts = ci ? conninfo_parse(ci, NULL) : NULL;

    free(ci);
    free(schema);
    free(err);
    return opts;
}

bool conninfo_has_password(const char *in)
{
    PQconninfoOption *opts = conninfo_parse_input(in);
    bool has = option_value(opts, "password") != NULL;

    PQconninfoFree(opts);
    return has;
}

static char *display_host(const char *host)
{
    if (!host)
        return xstrdup("[local]");
    if (host[0] == '/' || host[0] == '@')
        return xasprintf("[local:%s]", host);
    if (strchr(host, ':') && !strchr(host, ','))
        return xasprintf("[%s]", host);
    return xstrdup(host);
}

/* A value given in the string, else libpq's default (PG* variables). */
static const char *value_or_default(const PQconninfoOption *opts,
                                    const PQconninfoOption *defs,
                                    const char *kw)
{
    const char *v = option_value(opts, kw);

    return v ? v : option_value(defs, kw);
}

char *conninfo_display(const char *in)
{
    PQconninfoOption *opts = conninfo_parse_input(in), *defs;
    const char *user, *port, *db, *host;
    char *shown, *out;

    if (!opts)
        return NULL;
    defs = PQconndefaults();
    user = value_or_default(opts, defs, "user");
    port = value_or_default(opts, defs, "port");
    db = value_or_default(opts, defs, "dbname");
    host = value_or_default(opts, defs, "host");
    if (!host)
        host = value_or_default(opts, defs, "hostaddr");
    shown = display_host(host);
    out = xasprintf("%s%s%s:%s/%s", user ? user : "", user ? "@" : "", shown,
                    port ? port : "5432", db ? db : (user ? user : ""));
    free(shown);
    PQconninfoFree(opts);
    PQconninfoFree(defs);
    return out;
}

char *conninfo_effective(const char *in)
{
    static const char *const kws[] = { "host", "port", "dbname", "user" };
    PQconninfoOption *opts = conninfo_parse_input(in), *defs;
    char *out = xstrdup(in), *next;

    if (!opts) {
        free(out);
        return NULL;
    }
    defs = PQconndefaults();
    for (size_t i = 0; i < sizeof kws / sizeof *kws; i++) {
        const char *v = option_value(defs, kws[i]);

        if (option_value(opts, kws[i]) || !v || !*v)
            continue;
        next = conninfo_append(out, kws[i], v);
        free(out);
        out = next;
    }
    PQconninfoFree(opts);
    PQconninfoFree(defs);
    return out;
}
