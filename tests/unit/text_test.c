/* Safe text and the theme on a virtual screen: widths in columns, control
 * characters and invalid bytes drawn visibly (never as raw bytes, in the
 * window or in the terminal output), truncation with '…', search folding. */
#include "autoconfig.h"

#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <cmocka.h>

#include "ui/text.h"
#include "ui/theme.h"
#include "vscreen.h"

#define ROWS 24
#define COLS_ 80

static FILE *term_out;
static WINDOW *win;

static int setup(void **state)
{
    term_out = vscreen_open(ROWS, COLS_);
    assert_non_null(term_out);
    win = newwin(ROWS, COLS_, 0, 0);
    return 0;
}

static int teardown(void **state)
{
    delwin(win);
    vscreen_close();
    return 0;
}

/* Line y of win as UTF-8, trailing blanks removed. */
static const char *line_at(int y)
{
    const char *line = vscreen_line(win, y);

    assert_non_null(line);
    return line;
}

/* Draws s at (0,0) of a cleared window with text_draw. */
static int draw(const char *s, int maxw, int pad)
{
    werase(win);
    wmove(win, 0, 0);
    wattrset(win, A_NORMAL);
    return text_draw(win, s, maxw, pad);
}

static attr_t attr_at(int y, int x)
{
    cchar_t cc;
    wchar_t wch[CCHARW_MAX + 1];
    attr_t attrs;
    short pair;

    assert_int_equal(mvwin_wch(win, y, x, &cc), OK);
    getcchar(&cc, wch, &attrs, &pair, NULL);
    return (attrs & ~A_COLOR) | COLOR_PAIR(pair);
}

/* No cell of the window holds a control character. */
static void assert_no_controls(void)
{
    for (int y = 0; y < ROWS; y++)
        for (int x = 0; x < COLS_; x++) {
            cchar_t cc;
            wchar_t wch[CCHARW_MAX + 1] = { 0 };
            attr_t a;
            short p;
            mvwin_wch(win, y, x, &cc);
            getcchar(&cc, wch, &a, &p, NULL);
            for (int i = 0; wch[i]; i++)
                assert_false(wch[i] < 0x20 || wch[i] == 0x7f ||
                             (wch[i] >= 0x80 && wch[i] < 0xa0));
        }
}

static void test_width(void **state)
{
    assert_int_equal(text_width("abc"), 3);
    assert_int_equal(text_width(""), 0);
    assert_int_equal(text_width(NULL), 0);
    assert_int_equal(text_width("ñ"), 1);
    assert_int_equal(text_width("Ñuñoa"), 5);
    assert_int_equal(text_width("Peñalolén"), 9);
    assert_int_equal(text_width("東京"), 4);
    assert_int_equal(text_width("😀"), 2);
    assert_int_equal(text_width("e\xcc\x81"), 1);        /* e + U+0301 */
    assert_int_equal(text_width("\xcc\x81"), 1);         /* lone: ◌́ */
    assert_int_equal(text_width("\x1b"), 2);             /* ^[ */
    assert_int_equal(text_width("a\nb"), 3);             /* a↵b */
    assert_int_equal(text_width("\t"), 1);               /* → */
    assert_int_equal(text_width("\x7f"), 2);             /* ^? */
    assert_int_equal(text_width("\xc2\x85"), 6);         /* \u0085 */
    assert_int_equal(text_width("\xe2\x80\xae"), 6);     /* \u202e (RLO) */
    assert_int_equal(text_width("\xff"), 4);             /* \xff */
    assert_int_equal(text_width("\xc3"), 4);             /* cut sequence */
    assert_int_equal(text_width_n("ñx", 1), 4);          /* half of ñ */
    assert_int_equal(text_width_n("ñx", 2), 1);
    assert_true(text_width_max("abcdefghijklmnop", 5) > 5);
    assert_int_equal(text_width_max("abc", 5), 3);
}

static void test_sanitize(void **state)
{
    char *s = text_sanitize("a\x1b[2J\nb\tc\xff\xc2\x9b\x7f");

    assert_string_equal(s, "a^[[2J↵b→c\\xff\\u009b^?");
    free(s);
    s = text_sanitize("Ñuñoa 東京");
    assert_string_equal(s, "Ñuñoa 東京");
    free(s);
    assert_null(text_sanitize(NULL));
}

static void test_escape_visible(void **state)
{
    /* select E'\x1b[2J' || 'x' */
    assert_int_equal(draw("\x1b[2Jx", 20, 0), 6);
    assert_string_equal(line_at(0), "^[[2Jx");
    draw("\x1b]52;c;AAAA\x07\x9b\x1b\\", 40, 0);
    assert_string_equal(line_at(0), "^[]52;c;AAAA^G\\x9b^[\\");
    draw("\xc2\x9b" "31m\xe2\x80\xae" "abc", 40, 0);
    assert_string_equal(line_at(0), "\\u009b31m\\u202eabc");
    assert_no_controls();
}

/* The bytes that reach the terminal carry the data's ESC only as "^[". */
static void test_escape_never_reaches_terminal(void **state)
{
    char buf[65536];
    size_t n;

    werase(win);
    wmove(win, 3, 0);
    text_draw(win, "\x1b[2Jx\x1b]0;pwned\x07", 40, 0);
    wnoutrefresh(win);
    doupdate();
    fflush(term_out);
    rewind(term_out);
    n = fread(buf, 1, sizeof buf - 1, term_out);
    buf[n] = 0;
    assert_non_null(memmem(buf, n, "[2Jx", 4));
    assert_null(memmem(buf, n, "\x1b[2Jx", 5));
    assert_null(memmem(buf, n, "\x1b]0;pwned", 9));
    assert_null(memmem(buf, n, "\x07", 1));
}

static void test_control_attr(void **state)
{
    draw("a\x1b" "b", 10, 0);
    assert_int_equal(attr_at(0, 0), A_NORMAL);
    assert_int_equal(attr_at(0, 1), theme_attr(THEME_CONTROL));
    assert_int_equal(attr_at(0, 2), theme_attr(THEME_CONTROL));
    assert_int_equal(attr_at(0, 3), A_NORMAL);
}

static void test_truncate(void **state)
{
    assert_int_equal(draw("Peñalolén", 5, 0), 5);
    assert_string_equal(line_at(0), "Peña…");
    assert_int_equal(draw("abc", 3, 0), 3);
    assert_string_equal(line_at(0), "abc");
    assert_int_equal(draw("abcd", 3, 0), 3);
    assert_string_equal(line_at(0), "ab…");
    /* A wide character that does not fit is left out whole. */
    assert_int_equal(draw("東京東京", 5, 0), 5);
    assert_string_equal(line_at(0), "東京…");
    assert_int_equal(draw("東京東京", 4, 0), 3);
    assert_string_equal(line_at(0), "東…");
    assert_int_equal(draw("東京東京", 4, 1), 4);
    assert_int_equal(draw("ab", 1, 0), 1);
    assert_string_equal(line_at(0), "…");
    assert_int_equal(draw("ab", 0, 0), 0);
    /* A cut control stand-in is left out whole, too. */
    draw("ab\x1b", 3, 0);
    assert_string_equal(line_at(0), "ab…");
    /* A lone mark gets a dotted circle to sit on. */
    draw("\xcc\x81" "a", 5, 0);
    assert_string_equal(line_at(0), "◌\xcc\x81" "a");
    /* The mark stays on its letter. */
    draw("e\xcc\x81" "e\xcc\x81" "e", 2, 0);
    assert_string_equal(line_at(0), "e\xcc\x81…");
}

static void test_pad_and_align(void **state)
{
    werase(win);
    wmove(win, 0, 0);
    assert_int_equal(text_draw(win, "ñ", 4, 1), 4);
    assert_int_equal(getcurx(win), 4);
    text_draw(win, "|", 1, 0);
    assert_string_equal(line_at(0), "ñ   |");
    werase(win);
    wmove(win, 0, 0);
    assert_int_equal(text_draw_right(win, "42", 5), 5);
    text_draw(win, "|", 1, 0);
    assert_string_equal(line_at(0), "   42|");
    werase(win);
    wmove(win, 0, 0);
    text_draw_right(win, "東京", 5);
    text_draw(win, "|", 1, 0);
    assert_string_equal(line_at(0), " 東京|");
    /* Never past the window's edge. */
    werase(win);
    wmove(win, 0, COLS_ - 3);
    assert_int_equal(text_draw(win, "abcdef", 10, 0), 3);
    assert_string_equal(line_at(0) + COLS_ - 3, "ab…");
}

static void test_spans(void **state)
{
    struct text_span sp = { 2, 3 };   /* "ñu" (ñ is 2 bytes) */

    werase(win);
    wmove(win, 0, 0);
    text_draw_spans(win, "Ñuñoa", 10, TEXT_PAD, &sp, 1, A_REVERSE);
    assert_string_equal(line_at(0), "Ñuñoa");
    assert_int_equal(attr_at(0, 0), A_NORMAL);
    assert_int_equal(attr_at(0, 1), A_REVERSE);
    assert_int_equal(attr_at(0, 2), A_REVERSE);
    assert_int_equal(attr_at(0, 3), A_NORMAL);
}

static void test_find(void **state)
{
    size_t n;
    wchar_t *needle = text_fold("ÑUÑ", &n);
    struct text_span sp;
    const char *hay = "Comuna de Ñuñoa";

    assert_int_equal(n, 3);
    assert_true(text_find(hay, strlen(hay), 0, needle, n, &sp));
    assert_int_equal(sp.start, 10);
    assert_int_equal(sp.len, 5);
    assert_false(text_find(hay, strlen(hay), 11, needle, n, &sp));
    assert_false(text_find(hay, 13, 0, needle, n, &sp));
    free(needle);
    needle = text_fold("\xff" "a", &n);
    assert_true(text_find("x\xff" "A", 3, 0, needle, n, &sp));
    assert_int_equal(sp.start, 1);
    assert_false(text_find("x\xfe" "A", 3, 0, needle, n, &sp));
    free(needle);
    needle = text_fold("PEÑALOLÉN", &n);
    assert_true(text_find("peñalolén", strlen("peñalolén"), 0, needle, n, &sp));
    free(needle);
}

static void test_theme_color(void **state)
{
    short fg, bg;

    assert_true(theme_init(NULL));
    assert_true(theme_colors() >= 8);
    pair_content((short)PAIR_NUMBER(theme_attr(THEME_BADGE_WRITE)), &fg, &bg);
    assert_int_equal(bg, COLOR_RED);
    pair_content((short)PAIR_NUMBER(theme_attr(THEME_NORMAL)), &fg, &bg);
    assert_int_equal(PAIR_NUMBER(theme_attr(THEME_NORMAL)), 0);
    assert_false(theme_init("no-such-theme"));
    assert_true(theme_colors() >= 8);
}

/* Roles that must stay apart without colour. */
static void assert_mono_distinct(void)
{
    static const enum theme_role roles[] = {
        THEME_NORMAL, THEME_HEADER, THEME_CURSOR_ROW, THEME_CURSOR_CELL,
        THEME_NULL, THEME_MATCH, THEME_CONTROL, THEME_ERROR,
    };
    size_t n = sizeof roles / sizeof *roles;

    assert_int_equal(theme_colors(), 0);
    for (int r = 0; r < THEME_ROLE_COUNT; r++)
        assert_int_equal(PAIR_NUMBER(theme_attr((enum theme_role)r)), 0);
    for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j < n; j++)
            assert_true(theme_attr(roles[i]) != theme_attr(roles[j]));
    assert_true(theme_attr(THEME_TAB) != theme_attr(THEME_TAB_ACTIVE));
    assert_true(theme_attr(THEME_BADGE_WRITE) !=
                theme_attr(THEME_BADGE_READONLY));
}

static void test_theme_mono(void **state)
{
    assert_true(theme_init("mono"));
    assert_mono_distinct();
    setenv("NO_COLOR", "1", 1);
    assert_true(theme_init(NULL));
    assert_mono_distinct();
    setenv("NO_COLOR", "", 1);     /* empty: colours stay */
    theme_init(NULL);
    assert_true(theme_colors() >= 8);
    unsetenv("NO_COLOR");
}

/* Columns of text are padded by display width, not bytes: "sí" and "no"
 * take the same room, so the columns after them line up. */
static void test_append_col(void **state)
{
    char *a = NULL, *b = NULL, *c = NULL;

    (void)state;
    text_append_col(&a, "sí", 4, 0);
    text_append_col(&a, "no", 6, 0);
    text_append_col(&a, "7", 3, TEXT_RIGHT);
    text_append_col(&b, "no", 4, 0);
    text_append_col(&b, "sí", 6, 0);
    text_append_col(&b, "12", 3, TEXT_RIGHT);
    assert_string_equal(a, "sí   no       7");
    assert_string_equal(b, "no   sí      12");
    assert_int_equal(text_width(a), text_width(b));
    assert_int_equal(text_width(a), 4 + 1 + 6 + 1 + 3);
    /* Wider text is kept whole; the next column still follows it. */
    text_append_col(&c, "compañía", 3, 0);
    text_append_col(&c, "x", 1, 0);
    assert_string_equal(c, "compañía x");
    free(a);
    free(b);
    free(c);
}

/* text_fit cuts at a character boundary within the columns and always
 * advances, even when one wide character is wider than the room. */
static void test_fit(void **state)
{
    const char *s = "año 年 x";

    (void)state;
    assert_int_equal(text_fit(s, strlen(s), 3), strlen("año"));
    assert_int_equal(text_fit(s, strlen(s), 5), strlen("año "));
    assert_int_equal(text_fit(s, strlen(s), 6), strlen("año 年"));
    assert_int_equal(text_fit(s, strlen(s), 100), strlen(s));
    assert_int_equal(text_fit("年", 3, 1), 3);
    assert_int_equal(text_fit("", 0, 10), 0);
    assert_int_equal(text_fit("a\nb", 3, 2), 2);   /* ↵ is one column */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_width),
        cmocka_unit_test(test_sanitize),
        cmocka_unit_test(test_find),
        cmocka_unit_test(test_append_col),
        cmocka_unit_test(test_fit),
        cmocka_unit_test_setup_teardown(test_escape_visible, setup, teardown),
        cmocka_unit_test_setup_teardown(test_escape_never_reaches_terminal,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_control_attr, setup, teardown),
        cmocka_unit_test_setup_teardown(test_truncate, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pad_and_align, setup, teardown),
        cmocka_unit_test_setup_teardown(test_spans, setup, teardown),
        cmocka_unit_test_setup_teardown(test_theme_color, setup, teardown),
        cmocka_unit_test_setup_teardown(test_theme_mono, setup, teardown),
    };

    if (!setlocale(LC_ALL, "C.UTF-8"))
        return 77;
    return cmocka_run_group_tests_name("text", tests, NULL, NULL);
}
