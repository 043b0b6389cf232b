/* Retention: restic forget semantics over histories with answers worked
 * out by hand, the calendar arithmetic against libc, coverage, the policy
 * met and missing nights. */
#include "autoconfig.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "domain/retention.h"

#define MAXN 64

static struct civil_time ct(const char *s)
{
    struct civil_time t = { 0 };

    if (sscanf(s, "%d-%d-%d %d:%d", &t.year, &t.month, &t.day, &t.hour,
               &t.minute) < 3)
        fail_msg("bad time in the table: %s", s);
    return t;
}

/* Expected verdicts are written as letters: L H D W M Y for the rules, a
 * lower-case letter when the rule keeps it only as the oldest backup, "-"
 * when the policy prunes it. */
static void verdict_text(const struct retention_verdict *v, char *buf)
{
    static const char letters[] = "LHDWMY";
    char *p = buf;

    for (int r = 0; r < RETENTION_NRULES; r++) {
        if (!(v->rules & (1u << r)))
            continue;
        *p++ = (v->oldest & (1u << r)) ? (char)(letters[r] + 32) : letters[r];
    }
    if (p == buf)
        *p++ = '-';
    *p = '\0';
}

struct history {
    const char *what;
    struct retention_policy policy;
    const char *times[MAXN];     /* NULL-terminated, in any order */
    const char *expect[MAXN];    /* verdict per time, same order */
};

static const struct history histories[] = {
    { "the seed's cron: 7 nights, the script deletes older files",
      { 0, 0, 7, 4, 6, 0 },
      { "2025-03-14 03:00", "2025-03-13 03:00", "2025-03-12 03:00",
        "2025-03-11 03:00", "2025-03-10 03:00", "2025-03-09 03:00",
        "2025-03-08 03:00", NULL },
      { "DWM", "D", "D", "D", "D", "DW", "Dwm" } },
    { "the same history given oldest first and shuffled",
      { 0, 0, 7, 4, 6, 0 },
      { "2025-03-11 03:00", "2025-03-08 03:00", "2025-03-14 03:00",
        "2025-03-09 03:00", "2025-03-12 03:00", "2025-03-10 03:00",
        "2025-03-13 03:00", NULL },
      { "D", "Dwm", "DWM", "DW", "D", "D", "D" } },
    { "several backups a day: daily keeps the newest of each day",
      { 0, 0, 2, 0, 0, 0 },
      { "2025-03-14 15:00", "2025-03-14 03:00", "2025-03-13 22:00",
        "2025-03-13 03:00", "2025-03-12 03:00", NULL },
      { "D", "-", "D", "-", "-" } },
    { "several a day, counts left: the oldest backup is kept too",
      { 0, 0, 5, 0, 0, 0 },
      { "2025-03-14 15:00", "2025-03-14 03:00", "2025-03-13 22:00",
        "2025-03-13 03:00", "2025-03-12 03:00", "2025-03-12 01:00", NULL },
      { "D", "-", "D", "-", "D", "d" } },
    { "gaps: daily 7 reaches back over missing nights",
      { 0, 0, 7, 0, 0, 0 },
      { "2025-03-14 03:00", "2025-03-13 03:00", "2025-03-11 03:00",
        "2025-03-10 03:00", "2025-03-07 03:00", "2025-03-06 03:00",
        "2025-03-05 03:00", "2025-03-04 03:00", "2025-03-01 03:00", NULL },
      { "D", "D", "D", "D", "D", "D", "D", "-", "-" } },
    { "week boundary: Sunday and Monday are different ISO weeks",
      { 0, 0, 0, 3, 0, 0 },
      { "2025-03-17 03:00", "2025-03-16 03:00", "2025-03-10 03:00",
        "2025-03-09 03:00", "2025-03-03 03:00", "2025-03-02 03:00", NULL },
      { "W", "W", "-", "W", "-", "-" } },
    { "month boundary, monthly 2",
      { 0, 0, 0, 0, 2, 0 },
      { "2025-04-01 00:30", "2025-03-31 23:59", "2025-03-01 00:00",
        "2025-02-28 23:00", "2025-02-01 03:00", NULL },
      { "M", "M", "-", "-", "-" } },
    { "month boundary, monthly 3",
      { 0, 0, 0, 0, 3, 0 },
      { "2025-04-01 00:30", "2025-03-31 23:59", "2025-03-01 00:00",
        "2025-02-28 23:00", "2025-02-01 03:00", NULL },
      { "M", "M", "-", "M", "-" } },
    { "month boundary, monthly 4: a count left keeps the oldest",
      { 0, 0, 0, 0, 4, 0 },
      { "2025-04-01 00:30", "2025-03-31 23:59", "2025-03-01 00:00",
        "2025-02-28 23:00", "2025-02-01 03:00", NULL },
      { "M", "M", "-", "M", "m" } },
    { "year boundary: 2020-W53 holds Jan 1-3 2021",
      { 0, 0, 3, 2, 2, 2 },
      { "2021-01-02 03:00", "2021-01-01 03:00", "2020-12-31 03:00",
        "2020-12-30 03:00", "2020-12-27 03:00", NULL },
      { "DWMY", "D", "DMY", "-", "W" } },
    { "ISO week 53 of 2026 runs into January 2027",
      { 0, 0, 0, 3, 0, 0 },
      { "2027-01-04 03:00", "2027-01-03 03:00", "2026-12-31 03:00",
        "2026-12-28 03:00", "2026-12-27 03:00", NULL },
      { "W", "W", "-", "-", "W" } },
    { "keep-last and hourly",
      { 2, 2, 0, 0, 0, 0 },
      { "2025-03-14 10:50", "2025-03-14 10:10", "2025-03-14 09:30",
        "2025-03-14 08:00", NULL },
      { "LH", "L", "H", "-" } },
    { "unlimited daily keeps every day's newest",
      { 0, 0, RETENTION_ALL, 0, 0, 0 },
      { "2025-03-14 15:00", "2025-03-14 03:00", "2025-03-13 03:00",
        "2025-03-01 03:00", NULL },
      { "D", "-", "D", "D" } },
    { "unlimited daily and the oldest on the newest's day",
      { 0, 0, RETENTION_ALL, 0, 0, 0 },
      { "2025-03-14 15:00", "2025-03-14 03:00", NULL },
      { "D", "d" } },
    { "equal times: input order breaks the tie",
      { 0, 0, 2, 0, 0, 0 },
      { "2025-03-14 03:00", "2025-03-14 03:00", "2025-03-13 03:00", NULL },
      { "D", "-", "D" } },
    { "a year of monthly backups against keep-monthly 6",
      { 0, 0, 7, 4, 6, 0 },
      { "2025-01-01 03:00", "2024-12-01 03:00", "2024-11-01 03:00",
        "2024-10-01 03:00", "2024-09-01 03:00", "2024-08-01 03:00",
        "2024-07-01 03:00", "2024-06-01 03:00", NULL },
      { "DWM", "DWM", "DWM", "DWM", "DM", "DM", "D", "-" } },
};

static void check_history(const struct history *h)
{
    struct civil_time t[MAXN] = { { 0 } };
    struct retention_verdict v[MAXN];
    char got[16];
    size_t n = 0;

    while (h->times[n])
        t[n] = ct(h->times[n]), n++;
    retention_apply(t, n, &h->policy, v);
    for (size_t i = 0; i < n; i++) {
        verdict_text(&v[i], got);
        if (strcmp(got, h->expect[i]) != 0)
            fail_msg("%s: %s kept as \"%s\", expected \"%s\"", h->what,
                     h->times[i], got, h->expect[i]);
        assert_false(v[i].no_policy);
    }
}

static void test_histories(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof histories / sizeof histories[0]; i++)
        check_history(&histories[i]);
}

static void test_empty_policy_keeps_all(void **state)
{
    struct retention_policy none = { 0 };
    struct civil_time t[2] = { ct("2025-03-14 03:00"), ct("2025-03-14 02:00") };
    struct retention_verdict v[2];

    (void)state;
    assert_true(retention_policy_empty(&none));
    retention_apply(t, 2, &none, v);
    assert_true(v[0].no_policy && v[1].no_policy);
    assert_int_equal(v[0].rules, 0);
    retention_apply(t, 0, &none, v); /* no backups: nothing to do */
}

struct iso_case {
    const char *date;
    int year, week;
};

static void test_iso_week_table(void **state)
{
    static const struct iso_case cases[] = {
        { "2020-12-31", 2020, 53 }, { "2021-01-01", 2020, 53 },
        { "2021-01-03", 2020, 53 }, { "2021-01-04", 2021, 1 },
        { "2026-12-31", 2026, 53 }, { "2027-01-03", 2026, 53 },
        { "2027-01-04", 2027, 1 },  { "2024-12-29", 2024, 52 },
        { "2024-12-30", 2025, 1 },  { "2019-12-30", 2020, 1 },
        { "2008-12-29", 2009, 1 },  { "2010-01-03", 2009, 53 },
        { "2005-01-01", 2004, 53 }, { "2006-01-01", 2005, 52 },
        { "2023-01-01", 2022, 52 }, { "2025-03-14", 2025, 11 },
    };

    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct civil_time t = ct(cases[i].date);
        int y, w;
        retention_iso_week(t.year, t.month, t.day, &y, &w);
        if (y != cases[i].year || w != cases[i].week)
            fail_msg("%s: got %d-W%02d, expected %d-W%02d", cases[i].date, y,
                     w, cases[i].year, cases[i].week);
    }
}

/* Every day from 1900 to 2200 against timegm() and strftime %G/%V/%u. */
static void test_calendar_against_libc(void **state)
{
    (void)state;
    for (int64_t d = retention_days_from_civil(1900, 1, 1);
         d <= retention_days_from_civil(2200, 12, 31); d++) {
        time_t secs = (time_t)(d * 86400);
        struct tm tm;
        char want[32], got[32];
        int y, m, dd, iy, iw;
        assert_non_null(gmtime_r(&secs, &tm));
        retention_civil_from_days(d, &y, &m, &dd);
        assert_int_equal(retention_days_from_civil(y, m, dd), d);
        retention_iso_week(y, m, dd, &iy, &iw);
        strftime(want, sizeof want, "%Y-%m-%d %G-%V %u", &tm);
        snprintf(got, sizeof got, "%04d-%02d-%02d %04d-%02d %d", y, m, dd, iy,
                 iw, retention_weekday(d));
        if (strcmp(want, got) != 0)
            fail_msg("day %lld: libc %s, retention %s", (long long)d, want,
                     got);
    }
}

static void test_dates(void **state)
{
    struct civil_time ok = ct("2024-02-29 23:59"), bad = ct("2025-02-29");

    (void)state;
    assert_true(retention_time_valid(&ok));
    assert_false(retention_time_valid(&bad));
    assert_true(retention_date_valid(2000, 2, 29));
    assert_false(retention_date_valid(1900, 2, 29));
    assert_false(retention_date_valid(2025, 4, 31));
    assert_false(retention_date_valid(2025, 13, 1));
    assert_false(retention_date_valid(0, 1, 1));
    ok.hour = 24;
    assert_false(retention_time_valid(&ok));
    assert_int_equal(retention_days_from_civil(1970, 1, 1), 0);
    assert_int_equal(retention_days_from_civil(1969, 12, 31), -1);
    assert_int_equal(retention_weekday(0), 4); /* Thursday */
    assert_int_equal(retention_age_seconds(&(struct civil_time){ 2025, 3, 13,
                                                                 3, 0, 0 },
                                           &(struct civil_time){ 2025, 3, 14,
                                                                 4, 0, 1 }),
                     86400 + 3600 + 1);
    assert_string_equal(retention_rule_name(RETENTION_WEEKLY), "weekly");
}

static size_t fill_times(struct civil_time *t, const char *const *s)
{
    size_t n = 0;

    while (s[n])
        t[n] = ct(s[n]), n++;
    return n;
}

static void test_seed_meets_daily_only(void **state)
{
    static const char *const seed[] = {
        "2025-03-14 03:00", "2025-03-13 03:00", "2025-03-12 03:00",
        "2025-03-11 03:00", "2025-03-10 03:00", "2025-03-09 03:00",
        "2025-03-08 03:00", NULL,
    };
    struct retention_policy stated = { 0, 0, 7, 4, 6, 0 }, met;
    struct retention_coverage cov;
    struct civil_time t[MAXN] = { { 0 } };
    size_t n = fill_times(t, seed);

    (void)state;
    retention_cover(t, n, &cov);
    assert_int_equal(cov.backups, 7);
    assert_int_equal(cov.days, 7);
    assert_int_equal(cov.weeks, 2);
    assert_int_equal(cov.months, 1);
    assert_int_equal(cov.days_streak, 7);
    assert_int_equal(retention_met(&stated, &cov, &met),
                     RETENTION_WEEKLY | RETENTION_MONTHLY);
    assert_int_equal(met.keep_daily, 7);
    assert_int_equal(met.keep_weekly, 2);
    assert_int_equal(met.keep_monthly, 1);
    assert_int_equal(met.keep_last, 0);
    assert_int_equal(met.keep_yearly, 0);
}

/* 60 nightly backups, 2025-01-15 .. 2025-03-15: weekly 4 met, monthly 3. */
static void test_long_history_meets_weekly(void **state)
{
    struct civil_time t[60];
    struct retention_policy stated = { 0, 0, 7, 4, 6, 0 }, met;
    struct retention_coverage cov;
    int64_t first = retention_days_from_civil(2025, 1, 15);

    (void)state;
    for (int i = 0; i < 60; i++) {
        retention_civil_from_days(first + i, &t[i].year, &t[i].month,
                                  &t[i].day);
        t[i].hour = 3, t[i].minute = t[i].second = 0;
    }
    assert_int_equal(t[59].month, 3);
    assert_int_equal(t[59].day, 15);
    retention_cover(t, 60, &cov);
    assert_int_equal(cov.days, 60);
    assert_int_equal(cov.months, 3);
    /* 2025-01-15 is in W03, 2025-03-15 in W11: 9 weeks, none skipped. */
    assert_int_equal(cov.weeks, 9);
    assert_int_equal(cov.weeks_streak, 9);
    assert_int_equal(retention_met(&stated, &cov, &met), RETENTION_MONTHLY);
    assert_int_equal(met.keep_weekly, 4);
    assert_int_equal(met.keep_monthly, 3);
}

static void test_streaks_stop_at_gaps(void **state)
{
    static const char *const gaps[] = {
        "2025-03-14 03:00", "2025-03-13 03:00", "2025-03-11 03:00",
        "2025-02-20 03:00", "2024-12-31 03:00", NULL,
    };
    struct civil_time t[MAXN] = { { 0 } };
    struct retention_coverage cov;
    size_t n = fill_times(t, gaps);

    (void)state;
    retention_cover(t, n, &cov);
    assert_int_equal(cov.days, 5);
    assert_int_equal(cov.days_streak, 2);
    assert_int_equal(cov.weeks, 3);       /* W11, W08, 2025-W01 */
    assert_int_equal(cov.weeks_streak, 1);
    assert_int_equal(cov.months, 3);
    assert_int_equal(cov.months_streak, 2); /* March, February */
    assert_int_equal(cov.years, 2);
    retention_cover(t, 0, &cov);
    assert_int_equal(cov.days, 0);
}

static void test_missing_days(void **state)
{
    static const char *const gaps[] = {
        "2025-03-14 03:00", "2025-03-13 03:00", "2025-03-11 03:00",
        "2025-03-10 03:00", "2025-03-07 03:00", "2025-03-06 03:00",
        "2025-03-05 03:00", "2025-03-04 03:00", "2025-03-01 03:00",
        "2025-03-01 04:00", NULL,
    };
    struct civil_time t[MAXN] = { { 0 } };
    int64_t out[8];
    size_t n = fill_times(t, gaps);
    int64_t from = retention_days_from_civil(2025, 3, 1);
    int64_t to = retention_days_from_civil(2025, 3, 14);
    int y, m, d;

    (void)state;
    assert_int_equal(retention_missing_days(t, n, from, to, out, 8), 5);
    const int want[5] = { 2, 3, 8, 9, 12 };
    for (int i = 0; i < 5; i++) {
        retention_civil_from_days(out[i], &y, &m, &d);
        assert_int_equal(m, 3);
        assert_int_equal(d, want[i]);
    }
    /* Two nights since the last backup, truncated listing, empty input. */
    assert_int_equal(retention_missing_days(t, n, from, to + 2, out, 2), 7);
    retention_civil_from_days(out[1], &y, &m, &d);
    assert_int_equal(d, 3);
    assert_int_equal(retention_missing_days(t, 0, from, from + 6, NULL, 0), 7);
    assert_int_equal(retention_missing_days(t, n, to, from, NULL, 0), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_histories),
        cmocka_unit_test(test_empty_policy_keeps_all),
        cmocka_unit_test(test_iso_week_table),
        cmocka_unit_test(test_calendar_against_libc),
        cmocka_unit_test(test_dates),
        cmocka_unit_test(test_seed_meets_daily_only),
        cmocka_unit_test(test_long_history_meets_weekly),
        cmocka_unit_test(test_streaks_stop_at_gaps),
        cmocka_unit_test(test_missing_days),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
