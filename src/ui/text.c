/* Safe text: every byte of untrusted text becomes a glyph that is either a
 * printable character or a visible stand-in, so nothing from the data can
 * reach the terminal as a control sequence. */
#include "autoconfig.h"

#include "ui/text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wctype.h>

#include "core/xalloc.h"
#include "ui/theme.h"

#define GLYPH_MAX 12
#define RUN_MAX 256
#define ELLIPSIS L'\x2026'          /* … */
#define DOTTED_CIRCLE L'\x25cc'     /* ◌: base for a lone combining mark */
#define NEWLINE_MARK L'\x21b5'      /* ↵ */
#define TAB_MARK L'\x2192'          /* → */
/* Invalid bytes fold to lone surrogates: no decoded character is one. */
#define FOLD_INVALID 0xdc00u

/* One unit of drawn text: the wide characters that stand for one character
 * (or one invalid byte) of the source, and their width in columns. */
struct glyph {
    wchar_t wc[GLYPH_MAX];
    int n, width;
    bool control;
};

struct text_iter {
    const char *s;
    size_t len, pos;
    bool base;   /* the last glyph can carry a combining mark */
};

static void glyph_one(struct glyph *g, wchar_t wc, int width, bool control)
{
    g->wc[0] = wc;
    g->n = 1;
    g->width = width;
    g->control = control;
}

static void glyph_ascii(struct glyph *g, const char *txt)
{
    g->n = 0;
    while (*txt)
        g->wc[g->n++] = (unsigned char)*txt++;
    g->width = g->n;
    g->control = true;
}

static void glyph_hex(struct glyph *g, const char *prefix, unsigned long v,
                      int digits)
{
    static const char hex[] = "0123456789abcdef";

    glyph_ascii(g, prefix);
    for (int i = digits - 1; i >= 0; i--)
        g->wc[g->n++] = hex[(v >> (4 * i)) & 15];
    g->width = g->n;
}

static void glyph_c0(struct glyph *g, unsigned char c)
{
    char caret[3] = { '^', (char)(c == 0x7f ? '?' : c + 64), 0 };

    if (c == '\n')
        glyph_one(g, NEWLINE_MARK, 1, true);
    else if (c == '\t')
        glyph_one(g, TAB_MARK, 1, true);
    else
        glyph_ascii(g, caret);
}

/* Zero-width characters that can reorder or break lines in a terminal that
 * honours them (bidi embeddings, isolates, marks, separators, BOM). */
static bool is_format_control(wchar_t wc)
{
    return wc == 0x061c || wc == 0x200e || wc == 0x200f ||
           (wc >= 0x2028 && wc <= 0x202e) ||
           (wc >= 0x2066 && wc <= 0x2069) || wc == 0xfeff;
}

static void glyph_wide(struct text_iter *it, struct glyph *g, wchar_t wc)
{
    int w = wcwidth(wc);

    if ((wc >= 0x80 && wc < 0xa0) || w < 0 || is_format_control(wc)) {
        if ((unsigned long)wc > 0xffff)
            glyph_hex(g, "\\U", (unsigned long)wc, 8);
        else
            glyph_hex(g, "\\u", (unsigned long)wc, 4);
        it->base = false;
    } else if (w == 0 && !it->base) {
        g->wc[0] = DOTTED_CIRCLE;
        g->wc[1] = wc;
        g->n = 2;
        g->width = 1;
        g->control = false;
        it->base = true;
    } else {
        glyph_one(g, wc, w, false);
        it->base = true;
    }
}

static void glyph_multibyte(struct text_iter *it, struct glyph *g)
{
    mbstate_t st;
    wchar_t wc;
    size_t r;

    memset(&st, 0, sizeof st);
    r = mbrtowc(&wc, it->s + it->pos, it->len - it->pos, &st);
    if (r == (size_t)-1 || r == (size_t)-2 || r == 0) {
        glyph_hex(g, "\\x", (unsigned char)it->s[it->pos], 2);
        it->pos++;
        it->base = false;
        return;
    }
    it->pos += r;
    glyph_wide(it, g, wc);
}

/* The glyph at it->pos; false at the end. */
static bool iter_next(struct text_iter *it, struct glyph *g)
{
    unsigned char c;

    if (it->pos >= it->len)
        return false;
    c = (unsigned char)it->s[it->pos];
    if (c >= 0x20 && c < 0x7f) {
        glyph_one(g, c, 1, false);
        it->pos++;
        it->base = true;
    } else if (c < 0x80) {
        glyph_c0(g, c);
        it->pos++;
        it->base = false;
    } else {
        glyph_multibyte(it, g);
    }
    return true;
}

static void iter_init(struct text_iter *it, const char *s, size_t len)
{
    it->s = s;
    it->len = len;
    it->pos = 0;
    it->base = false;
}

/* Width of the first len bytes of s, stopping once it passes limit. */
static int measure(const char *s, size_t len, int limit)
{
    struct text_iter it;
    struct glyph g;
    int w = 0;

    iter_init(&it, s, len);
    while (w <= limit) {
        /* Plain ASCII is most data: skip the glyph machinery for it. */
        while (it.pos < len && (unsigned char)s[it.pos] >= 0x20 &&
               (unsigned char)s[it.pos] < 0x7f && w <= limit) {
            it.pos++;
            w++;
            it.base = true;
        }
        if (w > limit || !iter_next(&it, &g))
            break;
        w += g.width;
    }
    return w;
}

int text_width(const char *s)
{
    return s ? measure(s, strlen(s), 0x7fffffff - GLYPH_MAX) : 0;
}

int text_width_n(const char *s, size_t n)
{
    return s ? measure(s, strnlen(s, n), 0x7fffffff - GLYPH_MAX) : 0;
}

int text_width_max(const char *s, int limit)
{
    return s ? measure(s, strlen(s), limit) : 0;
}

/* ---- drawing ------------------------------------------------------------ */

/* Characters waiting to be added with one attribute. */
struct run {
    WINDOW *win;
    attr_t attr;
    wchar_t wc[RUN_MAX];
    int n;
};

static void run_flush(struct run *r)
{
    if (!r->n)
        return;
    wattrset(r->win, r->attr);
    waddnwstr(r->win, r->wc, r->n);
    r->n = 0;
}

static void run_add(struct run *r, attr_t attr, const wchar_t *wc, int n)
{
    if (attr != r->attr || r->n + n > RUN_MAX)
        run_flush(r);
    r->attr = attr;
    memcpy(r->wc + r->n, wc, (size_t)n * sizeof *wc);
    r->n += n;
}

static void run_spaces(struct run *r, attr_t attr, int n)
{
    static const wchar_t sp[] = L" ";

    while (n-- > 0)
        run_add(r, attr, sp, 1);
}

/* Made-visible characters stand out; on a coloured background (the cursor
 * row, the status bar) a foreground colour would hide it, so underline. */
static attr_t control_attr(attr_t base)
{
    if (PAIR_NUMBER(base) != 0)
        return base | A_UNDERLINE;
    return (base & ~A_COLOR) | theme_attr(THEME_CONTROL);
}

struct draw {
    struct run run;
    attr_t base, hl;
    const struct text_span *spans;
    int nspans, span;
};

static attr_t glyph_attr(struct draw *d, size_t pos, const struct glyph *g)
{
    while (d->span < d->nspans &&
           d->spans[d->span].start + d->spans[d->span].len <= pos)
        d->span++;
    if (d->span < d->nspans && d->spans[d->span].start <= pos)
        return d->hl;
    return g->control ? control_attr(d->base) : d->base;
}

/* Glyphs of s while they fit in limit columns; returns the width drawn. */
static int draw_glyphs(struct draw *d, const char *s, size_t len, int limit)
{
    struct text_iter it;
    struct glyph g;
    int w = 0;

    iter_init(&it, s, len);
    for (;;) {
        size_t pos = it.pos;
        if (!iter_next(&it, &g) || w + g.width > limit)
            break;
        run_add(&d->run, glyph_attr(d, pos, &g), g.wc, g.n);
        w += g.width;
    }
    return w;
}

static int draw_clamp(WINDOW *win, int maxw)
{
    int room = getmaxx(win) - getcurx(win);

    return maxw > room ? room : maxw;
}

int text_draw_spans(WINDOW *win, const char *s, int maxw, unsigned flags,
                    const struct text_span *spans, int nspans, attr_t hl)
{
    struct draw d = { .run = { .win = win }, .spans = spans,
                      .nspans = spans ? nspans : 0, .hl = hl };
    size_t len = s ? strlen(s) : 0;
    int full, w;

    maxw = draw_clamp(win, maxw);
    if (maxw <= 0)
        return 0;
    d.base = d.run.attr = (attr_t)getattrs(win);
    full = measure(s ? s : "", len, maxw);
    if (full <= maxw) {
        int lead = (flags & TEXT_RIGHT) ? maxw - full : 0;
        run_spaces(&d.run, d.base, lead);
        w = lead + draw_glyphs(&d, s ? s : "", len, maxw);
    } else {
        static const wchar_t ell[] = { ELLIPSIS, 0 };
        w = draw_glyphs(&d, s, len, maxw - 1);
        run_add(&d.run, d.base, ell, 1);
        w++;
    }
    if (flags & (TEXT_PAD | TEXT_RIGHT) && w < maxw) {
        run_spaces(&d.run, d.base, maxw - w);
        w = maxw;
    }
    run_flush(&d.run);
    wattrset(win, d.base);
    return w;
}

int text_draw(WINDOW *win, const char *s, int maxw, int pad)
{
    return text_draw_spans(win, s, maxw, pad ? TEXT_PAD : 0, NULL, 0, 0);
}

int text_draw_right(WINDOW *win, const char *s, int maxw)
{
    return text_draw_spans(win, s, maxw, TEXT_RIGHT, NULL, 0, 0);
}

/* ---- plain strings ------------------------------------------------------ */

size_t text_fit(const char *s, size_t len, int maxw)
{
    struct text_iter it;
    struct glyph g;
    int w = 0;

    iter_init(&it, s, len);
    for (;;) {
        size_t pos = it.pos;
        if (!iter_next(&it, &g))
            break;
        if (w + g.width > maxw && pos > 0)
            return pos;
        w += g.width;
    }
    return it.pos;
}

void text_append_col(char **line, const char *s, int width, unsigned flags)
{
    const char *v = s ? s : "";
    int pad = width - text_width(v);
    size_t old = *line ? strlen(*line) : 0, add = strlen(v);
    bool first = !*line;
    char *out, *o;

    pad = pad > 0 ? pad : 0;
    out = xrealloc(*line, old + 1 + (size_t)pad + add + 1);
    o = out + old;
    if (!first)
        *o++ = ' ';
    if (flags & TEXT_RIGHT)
        o += sprintf(o, "%*s", pad, "");
    memcpy(o, v, add);
    o += add;
    if (!(flags & TEXT_RIGHT))
        o += sprintf(o, "%*s", pad, "");
    *o = 0;
    *line = out;
}

char *text_sanitize(const char *s)
{
    struct text_iter it;
    struct glyph g;
    size_t len, cap, n = 0;
    char *out;

    if (!s)
        return NULL;
    len = strlen(s);
    /* A byte becomes at most 4 output bytes ("\xNN"), a character at most
     * 10 ("\U0010ffff") or two characters of 3 ("◌" + mark). */
    cap = len * 4 + 16;
    out = xmalloc(cap);
    iter_init(&it, s, len);
    while (iter_next(&it, &g)) {
        mbstate_t st;
        memset(&st, 0, sizeof st);
        if (n + (size_t)g.n * MB_CUR_MAX + 1 > cap) {
            cap = cap * 2 + (size_t)g.n * MB_CUR_MAX + 1;
            out = xrealloc(out, cap);
        }
        for (int i = 0; i < g.n; i++) {
            size_t r = wcrtomb(out + n, g.wc[i], &st);
            if (r != (size_t)-1)
                n += r;
        }
    }
    out[n] = 0;
    return out;
}

/* ---- case-insensitive search ------------------------------------------- */

/* The folded character at *pos (advanced past it). */
static wint_t fold_next(const char *s, size_t len, size_t *pos)
{
    unsigned char c = (unsigned char)s[*pos];
    mbstate_t st;
    wchar_t wc;
    size_t r;

    if (c < 0x80) {
        (*pos)++;
        return (c >= 'A' && c <= 'Z') ? c + 32 : c;
    }
    memset(&st, 0, sizeof st);
    r = mbrtowc(&wc, s + *pos, len - *pos, &st);
    if (r == (size_t)-1 || r == (size_t)-2 || r == 0) {
        (*pos)++;
        return FOLD_INVALID | c;
    }
    *pos += r;
    return towlower((wint_t)wc);
}

wchar_t *text_fold(const char *s, size_t *n)
{
    size_t len = s ? strlen(s) : 0, pos = 0;
    wchar_t *out = xmalloc((len + 1) * sizeof *out);

    *n = 0;
    while (pos < len)
        out[(*n)++] = (wchar_t)fold_next(s, len, &pos);
    out[*n] = 0;
    return out;
}

/* Does needle match at byte pos? *end gets the byte after the match. */
static bool match_at(const char *s, size_t len, size_t pos,
                     const wchar_t *needle, size_t n, size_t *end)
{
    for (size_t i = 0; i < n; i++) {
        if (pos >= len || fold_next(s, len, &pos) != (wint_t)needle[i])
            return false;
    }
    *end = pos;
    return true;
}

bool text_find(const char *s, size_t len, size_t from, const wchar_t *needle,
               size_t n, struct text_span *out)
{
    size_t pos = from, end;

    if (!s || !n)
        return false;
    while (pos < len) {
        /* Only a first character that folds the same can start a match. */
        size_t next = pos;
        if (fold_next(s, len, &next) == (wint_t)needle[0] &&
            match_at(s, len, pos, needle, n, &end)) {
            out->start = pos;
            out->len = end - pos;
            return true;
        }
        pos = next;
    }
    return false;
}
