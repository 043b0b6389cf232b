/* Backup file names: the civil date-time a name like
 * degux_20250314_030000.sql.gz carries, read against a strftime-like
 * pattern (%Y %m %d %H %M %S %% and literal text). Pure. */
#ifndef DEGUX_BACKUPNAME_H
#define DEGUX_BACKUPNAME_H

#include <stdbool.h>
#include <stddef.h>

#include "domain/retention.h"

#define BACKUPNAME_DEFAULT_PATTERN "degux_%Y%m%d_%H%M%S.sql.gz"
/* A backup being written, or abandoned half-way. */
#define BACKUPNAME_PARTIAL_SUFFIX ".partial"

enum backupname_status {
    BACKUPNAME_OK,
    BACKUPNAME_NO_MATCH, /* the name does not have the pattern's shape */
    BACKUPNAME_BAD_DATE, /* the shape matches but the date cannot exist */
};

/* Which conversions a pattern carries. */
enum backupname_field {
    BACKUPNAME_YEAR = 1u << 0,
    BACKUPNAME_MONTH = 1u << 1,
    BACKUPNAME_DAY = 1u << 2,
    BACKUPNAME_HOUR = 1u << 3,
    BACKUPNAME_MINUTE = 1u << 4,
    BACKUPNAME_SECOND = 1u << 5,
};

struct backupname {
    struct civil_time time; /* fields the pattern lacks are 0 */
    bool partial;           /* the name ended in BACKUPNAME_PARTIAL_SUFFIX */
    unsigned fields;        /* enum backupname_field bits of the pattern */
};

/* NULL when the pattern is usable, else why not (untranslated, N_-marked:
 * pass through _()). A usable pattern has %Y, %m and %d, each conversion at
 * most once, only the conversions above, and no '/'. */
const char *backupname_pattern_check(const char *pattern);

/* Reads name against pattern. %Y is four digits, the others two, as
 * strftime writes them. A name the pattern does not match as it stands is
 * tried again without a BACKUPNAME_PARTIAL_SUFFIX. out is filled on
 * BACKUPNAME_OK and BACKUPNAME_BAD_DATE. An unusable pattern matches
 * nothing. */
enum backupname_status backupname_parse(const char *pattern, const char *name,
                                        struct backupname *out);

#endif
