/* Retention: restic's forget policy over backup times, the policy a folder
 * actually meets, missing days, and the calendar arithmetic behind them. */
#include "autoconfig.h"

#include "domain/retention.h"

#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"
#include "i18n.h"

bool retention_is_leap_year(int year)
{
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int retention_days_in_month(int year, int month)
{
    static const int days[12] = { 31, 28, 31, 30, 31, 30,
                                  31, 31, 30, 31, 30, 31 };

    if (month < 1 || month > 12)
        return 0;
    if (month == 2 && retention_is_leap_year(year))
        return 29;
    return days[month - 1];
}

bool retention_date_valid(int year, int month, int day)
{
    return year >= 1 && year <= 9999 && day >= 1 &&
           day <= retention_days_in_month(year, month);
}

bool retention_time_valid(const struct civil_time *t)
{
    return retention_date_valid(t->year, t->month, t->day) && t->hour >= 0 &&
           t->hour <= 23 && t->minute >= 0 && t->minute <= 59 &&
           t->second >= 0 && t->second <= 60;
}

/* Counting years from March makes February the last month, so the leap day
 * falls at the end of a 365/366-day "year" and the rest is arithmetic on
 * 400-year eras (146097 days each). */
int64_t retention_days_from_civil(int year, int month, int day)
{
    int64_t y = (int64_t)year - (month <= 2);
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t mp = (month + 9) % 12;
    int64_t doy = (153 * mp + 2) / 5 + day - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

    return era * 146097 + doe - 719468;
}

void retention_civil_from_days(int64_t days, int *year, int *month, int *day)
{
    int64_t z = days + 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int64_t m = mp < 10 ? mp + 3 : mp - 9;

    *day = (int)(doy - (153 * mp + 2) / 5 + 1);
    *month = (int)m;
    *year = (int)(yoe + era * 400 + (m <= 2));
}

int retention_weekday(int64_t days)
{
    /* 1970-01-01 was a Thursday (4). */
    int64_t r = (days + 3) % 7;

    if (r < 0)
        r += 7;
    return (int)r + 1;
}

/* The ISO week belongs to the year its Thursday falls in, and week 1 is the
 * week holding that year's first Thursday. */
void retention_iso_week(int year, int month, int day, int *iso_year,
                        int *iso_week)
{
    int64_t d = retention_days_from_civil(year, month, day);
    int64_t thursday = d - retention_weekday(d) + 4;
    int ty, tm, td;

    retention_civil_from_days(thursday, &ty, &tm, &td);
    *iso_year = ty;
    *iso_week = (int)((thursday - retention_days_from_civil(ty, 1, 1)) / 7) + 1;
}

int64_t retention_civil_seconds(const struct civil_time *t)
{
    int64_t d = retention_days_from_civil(t->year, t->month, t->day);

    return d * 86400 + t->hour * 3600 + t->minute * 60 + t->second;
}

int64_t retention_age_seconds(const struct civil_time *then,
                              const struct civil_time *now)
{
    return retention_civil_seconds(now) - retention_civil_seconds(then);
}

bool retention_policy_empty(const struct retention_policy *p)
{
    return !p->keep_last && !p->keep_hourly && !p->keep_daily &&
           !p->keep_weekly && !p->keep_monthly && !p->keep_yearly;
}

static int64_t bucket_of(int rule, const struct civil_time *t, size_t nr)
{
    int64_t ymd = (int64_t)t->year * 10000 + t->month * 100 + t->day;
    int iy, iw;

    switch (rule) {
    case 0:
        return (int64_t)nr; /* keep-last: every backup is its own bucket */
    case 1:
        return ymd * 100 + t->hour;
    case 2:
        return ymd;
    case 3:
        retention_iso_week(t->year, t->month, t->day, &iy, &iw);
        return (int64_t)iy * 100 + iw;
    case 4:
        return (int64_t)t->year * 100 + t->month;
    default:
        return t->year;
    }
}

struct keyed {
    int64_t key;
    size_t idx;
};

/* Newest first; equal times keep input order, as restic's stable sort. */
static int cmp_newest_first(const void *a, const void *b)
{
    const struct keyed *x = a, *y = b;

    if (x->key != y->key)
        return x->key > y->key ? -1 : 1;
    return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/* Indices of times sorted newest first; the caller frees. */
static size_t *order_newest_first(const struct civil_time *times, size_t n)
{
    struct keyed *k = xmalloc(n * sizeof *k);
    size_t *idx = xmalloc(n * sizeof *idx);

    for (size_t i = 0; i < n; i++) {
        k[i].key = retention_civil_seconds(&times[i]);
        k[i].idx = i;
    }
    qsort(k, n, sizeof *k, cmp_newest_first);
    for (size_t i = 0; i < n; i++)
        idx[i] = k[i].idx;
    free(k);
    return idx;
}

struct rule_state {
    int count;     /* counts left; RETENTION_ALL never runs out */
    int64_t last;  /* bucket last kept by this rule */
    bool has_last;
};

static void rules_init(const struct retention_policy *p,
                       struct rule_state st[RETENTION_NRULES])
{
    const int counts[RETENTION_NRULES] = {
        p->keep_last, p->keep_hourly, p->keep_daily,
        p->keep_weekly, p->keep_monthly, p->keep_yearly,
    };

    for (int r = 0; r < RETENTION_NRULES; r++) {
        st[r].count = counts[r];
        st[r].has_last = false;
        st[r].last = 0;
    }
}

/* One backup (position nr of n, newest first) against every rule. */
static void rules_judge(struct rule_state st[RETENTION_NRULES],
                        const struct civil_time *t, size_t nr, size_t n,
                        struct retention_verdict *v)
{
    for (int r = 0; r < RETENTION_NRULES; r++) {
        if (st[r].count <= 0 && st[r].count != RETENTION_ALL)
            continue;
        int64_t b = bucket_of(r, t, nr);
        bool same = st[r].has_last && b == st[r].last;
        if (same && nr != n - 1)
            continue;
        v->rules |= 1u << r;
        if (same)
            v->oldest |= 1u << r;
        st[r].last = b;
        st[r].has_last = true;
        if (st[r].count > 0)
            st[r].count--;
    }
}

void retention_apply(const struct civil_time *times, size_t n,
                     const struct retention_policy *p,
                     struct retention_verdict *out)
{
    struct rule_state st[RETENTION_NRULES];
    bool empty = retention_policy_empty(p);

    memset(out, 0, n * sizeof *out);
    if (n == 0)
        return;
    if (empty) {
        for (size_t i = 0; i < n; i++)
            out[i].no_policy = true;
        return;
    }
    size_t *idx = order_newest_first(times, n);
    rules_init(p, st);
    for (size_t nr = 0; nr < n; nr++)
        rules_judge(st, &times[idx[nr]], nr, n, &out[idx[nr]]);
    free(idx);
}

const char *retention_rule_name(unsigned rule_bit)
{
    switch (rule_bit) {
    case RETENTION_LAST:
        return N_("last");
    case RETENTION_HOURLY:
        return N_("hourly");
    case RETENTION_DAILY:
        return N_("daily");
    case RETENTION_WEEKLY:
        return N_("weekly");
    case RETENTION_MONTHLY:
        return N_("monthly");
    case RETENTION_YEARLY:
        return N_("yearly");
    default:
        return "";
    }
}

/* Consecutive-period numbers: a period follows another when its number is
 * one more. Weeks are counted by their Monday, months as year*12+month. */
static int64_t day_number(const struct civil_time *t)
{
    return retention_days_from_civil(t->year, t->month, t->day);
}

static int64_t week_number(const struct civil_time *t)
{
    int64_t d = day_number(t);
    int64_t monday = d - retention_weekday(d) + 1;

    return (monday + 3) / 7; /* exact: Mondays are 4 days after epoch mod 7 */
}

static int64_t month_number(const struct civil_time *t)
{
    return (int64_t)t->year * 12 + t->month - 1;
}

struct period_count {
    size_t distinct, streak;
    int64_t last;
    bool streak_open;
};

static void period_step(struct period_count *pc, int64_t value, bool first)
{
    if (first) {
        pc->distinct = pc->streak = 1;
        pc->streak_open = true;
    } else if (value != pc->last) {
        pc->distinct++;
        if (pc->streak_open && value == pc->last - 1)
            pc->streak++;
        else
            pc->streak_open = false;
    }
    pc->last = value;
}

void retention_cover(const struct civil_time *times, size_t n,
                     struct retention_coverage *out)
{
    struct period_count hour = { 0 }, day = { 0 }, week = { 0 },
                        month = { 0 }, year = { 0 };

    memset(out, 0, sizeof *out);
    out->backups = n;
    if (n == 0)
        return;
    size_t *idx = order_newest_first(times, n);
    for (size_t nr = 0; nr < n; nr++) {
        const struct civil_time *t = &times[idx[nr]];
        period_step(&hour, day_number(t) * 24 + t->hour, nr == 0);
        period_step(&day, day_number(t), nr == 0);
        period_step(&week, week_number(t), nr == 0);
        period_step(&month, month_number(t), nr == 0);
        period_step(&year, t->year, nr == 0);
    }
    free(idx);
    out->hours = hour.distinct;
    out->days = day.distinct;
    out->weeks = week.distinct;
    out->months = month.distinct;
    out->years = year.distinct;
    out->days_streak = day.streak;
    out->weeks_streak = week.streak;
    out->months_streak = month.streak;
}

static int met_one(int stated, size_t covered, unsigned bit, unsigned *unmet)
{
    int cov = covered > (size_t)RETENTION_MAX_COUNT ? RETENTION_MAX_COUNT
                                                    : (int)covered;

    if (stated == RETENTION_ALL)
        return cov;
    if (stated <= 0)
        return 0;
    if (cov < stated) {
        *unmet |= bit;
        return cov;
    }
    return stated;
}

unsigned retention_met(const struct retention_policy *stated,
                       const struct retention_coverage *cov,
                       struct retention_policy *met)
{
    unsigned unmet = 0;

    met->keep_last = met_one(stated->keep_last, cov->backups,
                             RETENTION_LAST, &unmet);
    met->keep_hourly = met_one(stated->keep_hourly, cov->hours,
                               RETENTION_HOURLY, &unmet);
    met->keep_daily = met_one(stated->keep_daily, cov->days,
                              RETENTION_DAILY, &unmet);
    met->keep_weekly = met_one(stated->keep_weekly, cov->weeks,
                               RETENTION_WEEKLY, &unmet);
    met->keep_monthly = met_one(stated->keep_monthly, cov->months,
                                RETENTION_MONTHLY, &unmet);
    met->keep_yearly = met_one(stated->keep_yearly, cov->years,
                               RETENTION_YEARLY, &unmet);
    return unmet;
}

static int cmp_int64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

    return x < y ? -1 : x > y;
}

size_t retention_missing_days(const struct civil_time *times, size_t n,
                              int64_t from_day, int64_t to_day, int64_t *out,
                              size_t max)
{
    int64_t *days = xmalloc((n ? n : 1) * sizeof *days);
    size_t missing = 0, j = 0;

    for (size_t i = 0; i < n; i++)
        days[i] = day_number(&times[i]);
    qsort(days, n, sizeof *days, cmp_int64);
    for (int64_t d = from_day; d <= to_day; d++) {
        while (j < n && days[j] < d)
            j++;
        if (j < n && days[j] == d)
            continue;
        if (missing < max)
            out[missing] = d;
        missing++;
    }
    free(days);
    return missing;
}
