/* Allocation wrappers that never return NULL: on exhaustion they restore the
 * terminal (through the hook set by the screen) and exit with a message. */
#ifndef DEGUX_XALLOC_H
#define DEGUX_XALLOC_H

#include <stdarg.h>
#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *p, size_t n);
/* Returns a copy the caller frees; NULL in, NULL out. */
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* printf into a new string the caller frees. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *xvasprintf(const char *fmt, va_list ap);

/* Called before exiting on a fatal error (the screen sets it to endwin). */
void xalloc_set_die_hook(void (*hook)(void));
_Noreturn void die(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
