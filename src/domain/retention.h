/* Which backups a restic-style keep-last/hourly/daily/weekly/monthly/yearly
 * policy keeps, which policy a set of backups actually meets, and the
 * calendar arithmetic (civil dates, ISO weeks) both need. Pure: times are
 * local civil date-times computed by the caller; nothing reads the clock. */
#ifndef DEGUX_RETENTION_H
#define DEGUX_RETENTION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A local wall-clock date and time, as in a backup's name or its localtime
 * mtime (month 1-12, day 1-31, second 0-60). */
struct civil_time {
    int year, month, day, hour, minute, second;
};

/* Calendar helpers on the proleptic Gregorian calendar. */
bool retention_is_leap_year(int year);
int retention_days_in_month(int year, int month);
bool retention_date_valid(int year, int month, int day);
bool retention_time_valid(const struct civil_time *t);
/* Days since 1970-01-01 (negative before), and back. */
int64_t retention_days_from_civil(int year, int month, int day);
void retention_civil_from_days(int64_t days, int *year, int *month, int *day);
/* ISO 8601 weekday: 1 = Monday ... 7 = Sunday. */
int retention_weekday(int64_t days);
/* ISO 8601 week-numbering year and week (1-53) of a date: 2021-01-03 is
 * 2020-W53, 2024-12-30 is 2025-W01. */
void retention_iso_week(int year, int month, int day, int *iso_year,
                        int *iso_week);
/* Seconds since 1970-01-01 00:00:00 of the civil time, ignoring zones and
 * DST: for ordering and for ages (now - then) in wall-clock terms. */
int64_t retention_civil_seconds(const struct civil_time *t);
int64_t retention_age_seconds(const struct civil_time *then,
                              const struct civil_time *now);

/* The rules, as bits in a verdict. */
enum retention_rule {
    RETENTION_LAST = 1u << 0,
    RETENTION_HOURLY = 1u << 1,
    RETENTION_DAILY = 1u << 2,
    RETENTION_WEEKLY = 1u << 3,
    RETENTION_MONTHLY = 1u << 4,
    RETENTION_YEARLY = 1u << 5,
};
#define RETENTION_NRULES 6
/* The count that means "every bucket" (restic's "unlimited", -1). */
#define RETENTION_ALL (-1)
/* Covered counts are capped here when turned into a policy. */
#define RETENTION_MAX_COUNT 1000000

/* Counts per rule: 0 = rule not used, n > 0 = keep n buckets,
 * RETENTION_ALL = keep every bucket. */
struct retention_policy {
    int keep_last, keep_hourly, keep_daily, keep_weekly, keep_monthly,
        keep_yearly;
};

struct retention_verdict {
    unsigned rules;  /* rules that keep it; 0 = the policy prunes it */
    unsigned oldest; /* subset of rules that keep it only because it is the
                        oldest backup and the rule still had counts left */
    bool no_policy;  /* the policy is empty: restic keeps everything */
};

bool retention_policy_empty(const struct retention_policy *p);

/* restic forget semantics (0.17 and later): backups sorted newest first
 * (ties keep input order); for each rule with counts left a backup is kept
 * when its bucket (the backup itself / hour / day / ISO week / month / year
 * of its local time) differs from the last bucket that rule kept, or when it
 * is the oldest backup; each keep uses one count. out[i] is the verdict for
 * times[i]; out has n elements. */
void retention_apply(const struct civil_time *times, size_t n,
                     const struct retention_policy *p,
                     struct retention_verdict *out);

/* Human name of one rule bit ("daily"), untranslated: pass through _(). */
const char *retention_rule_name(unsigned rule_bit);

/* What a set of backups actually covers, counting back from the newest:
 * distinct buckets per rule (what restic could keep with an unlimited count)
 * and the run of consecutive calendar days/ISO weeks/months without a gap
 * ending at the newest backup. */
struct retention_coverage {
    size_t backups;
    size_t hours, days, weeks, months, years;
    size_t days_streak, weeks_streak, months_streak;
};

void retention_cover(const struct civil_time *times, size_t n,
                     struct retention_coverage *out);

/* The largest policy the coverage meets without exceeding the stated one
 * (RETENTION_ALL in stated stays unlimited: the covered count is reported),
 * and a bit per stated rule that is not met. */
unsigned retention_met(const struct retention_policy *stated,
                       const struct retention_coverage *cov,
                       struct retention_policy *met);

/* Days (as retention_days_from_civil numbers) in [from_day, to_day] on
 * which no backup in times falls, oldest first. Writes at most max into
 * out (which may be NULL when max is 0) and returns how many are missing
 * in total. */
size_t retention_missing_days(const struct civil_time *times, size_t n,
                              int64_t from_day, int64_t to_day, int64_t *out,
                              size_t max);

#endif
