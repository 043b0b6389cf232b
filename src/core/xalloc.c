/* Allocation wrappers and the fatal-error exit. */
#include "autoconfig.h"

#include "core/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"

static void (*die_hook)(void);

void xalloc_set_die_hook(void (*hook)(void))
{
    die_hook = hook;
}

_Noreturn void die(const char *fmt, ...)
{
    va_list ap;

    if (die_hook)
        die_hook();
    fputs("degux-console: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    exit(2);
}

static void *check(void *p)
{
    if (!p)
        die("%s", _("out of memory"));
    return p;
}

void *xmalloc(size_t n)
{
    return check(malloc(n ? n : 1));
}

void *xcalloc(size_t nmemb, size_t size)
{
    return check(calloc(nmemb ? nmemb : 1, size ? size : 1));
}

void *xrealloc(void *p, size_t n)
{
    return check(realloc(p, n ? n : 1));
}

char *xstrdup(const char *s)
{
    return s ? check(strdup(s)) : NULL;
}

char *xstrndup(const char *s, size_t n)
{
    return s ? check(strndup(s, n)) : NULL;
}

char *xvasprintf(const char *fmt, va_list ap)
{
    char *out;

    if (vasprintf(&out, fmt, ap) < 0)
        die("%s", _("out of memory"));
    return out;
}

char *xasprintf(const char *fmt, ...)
{
    va_list ap;
    char *out;

    va_start(ap, fmt);
    out = xvasprintf(fmt, ap);
    va_end(ap);
    return out;
}
