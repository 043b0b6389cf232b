/* Backup file names read against a strftime-like pattern. */
#include "autoconfig.h"

#include "domain/backupname.h"

#include <string.h>

#include "i18n.h"

/* Conversion letter -> field bit and width; 0 when unsupported. */
static unsigned field_of(char c, int *width)
{
    static const char letters[] = "YmdHMS";
    const char *p = c ? strchr(letters, c) : NULL;

    if (!p)
        return 0;
    *width = c == 'Y' ? 4 : 2;
    return 1u << (p - letters);
}

const char *backupname_pattern_check(const char *pattern)
{
    unsigned seen = 0;
    int width = 0;

    if (!pattern || !*pattern)
        return N_("the backup name pattern is empty");
    if (strchr(pattern, '/'))
        return N_("the backup name pattern must not contain '/'");
    for (const char *p = pattern; *p; p++) {
        if (*p != '%')
            continue;
        p++;
        if (*p == '%')
            continue;
        unsigned f = field_of(*p, &width);
        if (!f)
            return N_("the backup name pattern may only use %Y %m %d %H %M %S "
                      "and %%");
        if (seen & f)
            return N_("the backup name pattern repeats a conversion");
        seen |= f;
    }
    if ((seen & 7u) != 7u)
        return N_("the backup name pattern needs %Y, %m and %d");
    return NULL;
}

/* Exactly width decimal digits at s (of which len remain), or -1. */
static int read_digits(const char *s, size_t len, int width)
{
    int v = 0;

    if (len < (size_t)width)
        return -1;
    for (int i = 0; i < width; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

static void field_store(struct civil_time *t, unsigned f, int v)
{
    switch (f) {
    case BACKUPNAME_YEAR: t->year = v; break;
    case BACKUPNAME_MONTH: t->month = v; break;
    case BACKUPNAME_DAY: t->day = v; break;
    case BACKUPNAME_HOUR: t->hour = v; break;
    case BACKUPNAME_MINUTE: t->minute = v; break;
    default: t->second = v; break;
    }
}

/* Matches the first len bytes of name against a checked pattern. */
static bool match(const char *pattern, const char *name, size_t len,
                  struct backupname *out)
{
    size_t i = 0;
    int width = 0;

    memset(out, 0, sizeof *out);
    for (const char *p = pattern; *p; p++) {
        if (*p != '%' || p[1] == '%') {
            p += *p == '%';
            if (i >= len || name[i] != *p)
                return false;
            i++;
            continue;
        }
        unsigned f = field_of(*++p, &width);
        int v = read_digits(name + i, len - i, width);
        if (v < 0)
            return false;
        field_store(&out->time, f, v);
        out->fields |= f;
        i += (size_t)width;
    }
    return i == len;
}

enum backupname_status backupname_parse(const char *pattern, const char *name,
                                        struct backupname *out)
{
    size_t len = strlen(name), slen = strlen(BACKUPNAME_PARTIAL_SUFFIX);
    bool ok;

    if (backupname_pattern_check(pattern))
        return BACKUPNAME_NO_MATCH;
    ok = match(pattern, name, len, out);
    if (!ok && len > slen &&
        !strcmp(name + len - slen, BACKUPNAME_PARTIAL_SUFFIX)) {
        ok = match(pattern, name, len - slen, out);
        out->partial = ok;
    }
    if (!ok)
        return BACKUPNAME_NO_MATCH;
    return retention_time_valid(&out->time) ? BACKUPNAME_OK
                                            : BACKUPNAME_BAD_DATE;
}
