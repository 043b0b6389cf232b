/* OSC 52: the text travels base64-encoded inside the sequence, so nothing in
 * it can end the sequence early or be taken for another escape. */
#include "autoconfig.h"

#include "ui/clipboard.h"

#include <curses.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/xalloc.h"

char *clipboard_base64(const void *data, size_t n)
{
    static const char abc[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const unsigned char *p = data;
    char *out = xmalloc((n + 2) / 3 * 4 + 1), *o = out;

    for (size_t i = 0; i < n; i += 3) {
        unsigned long v = (unsigned long)p[i] << 16;
        if (i + 1 < n)
            v |= (unsigned long)p[i + 1] << 8;
        if (i + 2 < n)
            v |= p[i + 2];
        *o++ = abc[(v >> 18) & 63];
        *o++ = abc[(v >> 12) & 63];
        *o++ = i + 1 < n ? abc[(v >> 6) & 63] : '=';
        *o++ = i + 2 < n ? abc[v & 63] : '=';
    }
    *o = 0;
    return out;
}

char *clipboard_sequence(const char *text, bool tmux)
{
    size_t len = text ? strlen(text) : 0;
    char *b64, *seq;

    if (len > CLIPBOARD_MAX_BYTES)
        return NULL;
    b64 = clipboard_base64(text ? text : "", len);
    /* tmux passes a DCS through to the outer terminal with each ESC
     * inside doubled. */
    if (tmux)
        seq = xasprintf("\033Ptmux;\033\033]52;c;%s\a\033\\", b64);
    else
        seq = xasprintf("\033]52;c;%s\a", b64);
    free(b64);
    return seq;
}

static bool write_all(int fd, const char *s, size_t len)
{
    while (len > 0) {
        ssize_t r = write(fd, s, len);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return false;
        s += r;
        len -= (size_t)r;
    }
    return true;
}

bool clipboard_copy(const char *text)
{
    const char *tmux = getenv("TMUX");
    char *seq = clipboard_sequence(text, tmux && *tmux);
    bool ok;

    if (!seq)
        return false;
    /* After the screen's own output, so the sequence is not cut into it. */
    if (!isendwin())
        doupdate();
    fflush(stdout);
    ok = write_all(STDOUT_FILENO, seq, strlen(seq));
    free(seq);
    return ok;
}
