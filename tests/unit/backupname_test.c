/* Backup names: a table of names against the default and other patterns,
 * impossible dates, leap years, .partial, and pattern checks. */
#include "autoconfig.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "domain/backupname.h"

struct name_case {
    const char *pattern; /* NULL: the default */
    const char *name;
    enum backupname_status status;
    int y, mo, d, h, mi, s;
    bool partial;
};

/* A name that is not read: no time to compare. */
#define BAD(pattern, name, status) \
    { pattern, name, status, 0, 0, 0, 0, 0, 0, false }

static const struct name_case cases[] = {
    { NULL, "degux_20250314_030000.sql.gz", BACKUPNAME_OK,
      2025, 3, 14, 3, 0, 0, false },
    { NULL, "degux_20241231_235959.sql.gz", BACKUPNAME_OK,
      2024, 12, 31, 23, 59, 59, false },
    { NULL, "degux_20240229_030000.sql.gz", BACKUPNAME_OK,
      2024, 2, 29, 3, 0, 0, false },
    { NULL, "degux_20000229_030000.sql.gz", BACKUPNAME_OK,
      2000, 2, 29, 3, 0, 0, false },
    { NULL, "degux_20250314_030000.sql.gz.partial", BACKUPNAME_OK,
      2025, 3, 14, 3, 0, 0, true },
    /* impossible dates and times */
    BAD(NULL, "degux_20250229_030000.sql.gz", BACKUPNAME_BAD_DATE),
    BAD(NULL, "degux_19000229_030000.sql.gz", BACKUPNAME_BAD_DATE),
    BAD(NULL, "degux_20250230_030000.sql.gz", BACKUPNAME_BAD_DATE),
    BAD(NULL, "degux_20250431_030000.sql.gz", BACKUPNAME_BAD_DATE),
    BAD(NULL, "degux_20251301_030000.sql.gz", BACKUPNAME_BAD_DATE),
    BAD(NULL, "degux_20250001_030000.sql.gz", BACKUPNAME_BAD_DATE),
    BAD(NULL, "degux_20250300_030000.sql.gz", BACKUPNAME_BAD_DATE),
    BAD(NULL, "degux_20250314_240000.sql.gz", BACKUPNAME_BAD_DATE),
    BAD(NULL, "degux_20250314_036000.sql.gz", BACKUPNAME_BAD_DATE),
    BAD(NULL, "degux_00000101_030000.sql.gz", BACKUPNAME_BAD_DATE),
    BAD(NULL, "degux_20250230_030000.sql.gz.partial", BACKUPNAME_BAD_DATE),
    /* shapes that do not match */
    BAD(NULL, "", BACKUPNAME_NO_MATCH),
    BAD(NULL, "degux_2025031_030000.sql.gz", BACKUPNAME_NO_MATCH),
    BAD(NULL, "degux_202503140_30000.sql.gz", BACKUPNAME_NO_MATCH),
    BAD(NULL, "degux_20250314_030000.sql", BACKUPNAME_NO_MATCH),
    BAD(NULL, "degux_20250314_030000.sql.gz.tmp", BACKUPNAME_NO_MATCH),
    BAD(NULL, "degux_20250314_030000.sql.gzX", BACKUPNAME_NO_MATCH),
    BAD(NULL, "Degux_20250314_030000.sql.gz", BACKUPNAME_NO_MATCH),
    BAD(NULL, "degux_2025-03-14_030000.sql.gz", BACKUPNAME_NO_MATCH),
    BAD(NULL, "degux_+0250314_030000.sql.gz", BACKUPNAME_NO_MATCH),
    BAD(NULL, "degux_ 0250314_030000.sql.gz", BACKUPNAME_NO_MATCH),
    BAD(NULL, ".partial", BACKUPNAME_NO_MATCH),
    BAD(NULL, "notes.txt", BACKUPNAME_NO_MATCH),
    BAD(NULL, "degux_20250314_030000.sql.gz.partial.partial", BACKUPNAME_NO_MATCH),
    /* other patterns */
    { "backup-%Y-%m-%d.sql.gz", "backup-2025-03-14.sql.gz", BACKUPNAME_OK,
      2025, 3, 14, 0, 0, 0, false },
    { "%d.%m.%Y_%H%M.gz", "14.03.2025_0300.gz", BACKUPNAME_OK,
      2025, 3, 14, 3, 0, 0, false },
    { "100%%_%Y%m%d", "100%_20250314", BACKUPNAME_OK,
      2025, 3, 14, 0, 0, 0, false },
    BAD("100%%_%Y%m%d", "100x_20250314", BACKUPNAME_NO_MATCH),
    { "%Y%m%d%H%M%S", "20250314030000", BACKUPNAME_OK,
      2025, 3, 14, 3, 0, 0, false },
    BAD("%Y%m%d%H%M%S", "2025031403000", BACKUPNAME_NO_MATCH),
    /* unusable patterns match nothing */
    BAD("degux_%H.sql.gz", "degux_03.sql.gz", BACKUPNAME_NO_MATCH),
    BAD("x/%Y%m%d", "x/20250314", BACKUPNAME_NO_MATCH),
    BAD("%Y%m%d%Q", "20250314Q", BACKUPNAME_NO_MATCH),
};

static void test_names(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const struct name_case *c = &cases[i];
        const char *pat = c->pattern ? c->pattern : BACKUPNAME_DEFAULT_PATTERN;
        struct backupname bn;
        enum backupname_status s = backupname_parse(pat, c->name, &bn);
        if (s != c->status)
            fail_msg("\"%s\" against \"%s\": status %d, expected %d", c->name,
                     pat, s, c->status);
        if (s != BACKUPNAME_OK)
            continue;
        const struct civil_time *t = &bn.time;
        if (t->year != c->y || t->month != c->mo || t->day != c->d ||
            t->hour != c->h || t->minute != c->mi || t->second != c->s ||
            bn.partial != c->partial)
            fail_msg("\"%s\": got %04d-%02d-%02d %02d:%02d:%02d partial %d",
                     c->name, t->year, t->month, t->day, t->hour, t->minute,
                     t->second, bn.partial);
    }
}

static void test_fields(void **state)
{
    struct backupname bn;

    (void)state;
    assert_int_equal(backupname_parse(BACKUPNAME_DEFAULT_PATTERN,
                                      "degux_20250314_030000.sql.gz", &bn),
                     BACKUPNAME_OK);
    assert_int_equal(bn.fields, 0x3f);
    assert_int_equal(backupname_parse("b-%Y-%m-%d", "b-2025-03-14", &bn),
                     BACKUPNAME_OK);
    assert_int_equal(bn.fields, BACKUPNAME_YEAR | BACKUPNAME_MONTH |
                                    BACKUPNAME_DAY);
}

static void test_pattern_check(void **state)
{
    (void)state;
    assert_null(backupname_pattern_check(BACKUPNAME_DEFAULT_PATTERN));
    assert_null(backupname_pattern_check("%d%m%Y"));
    assert_non_null(backupname_pattern_check(""));
    assert_non_null(backupname_pattern_check(NULL));
    assert_non_null(backupname_pattern_check("%Y%m"));
    assert_non_null(backupname_pattern_check("%Y%m%d%Y"));
    assert_non_null(backupname_pattern_check("%Y%m%d%"));
    assert_non_null(backupname_pattern_check("%Y%m%d%j"));
    assert_non_null(backupname_pattern_check("dir/%Y%m%d"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_fields),
        cmocka_unit_test(test_pattern_check),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
