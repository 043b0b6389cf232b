/* fuzz-sources: src/domain/backupname.c src/domain/retention.c src/core/xalloc.c */
/* libFuzzer harness for backup file names: input "pattern\nname" fuzzes
 * both, input without a newline is a name read against the default
 * pattern. A name that parses must carry a real date. */
#include "autoconfig.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "domain/backupname.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(const char *pattern, const char *name)
{
    struct backupname bn;
    enum backupname_status s = backupname_parse(pattern, name, &bn);

    (void)backupname_pattern_check(pattern);
    if (s == BACKUPNAME_OK && !retention_time_valid(&bn.time))
        abort();
    if (s != BACKUPNAME_NO_MATCH && backupname_pattern_check(pattern))
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *buf = malloc(size + 1);
    char *nl;

    if (!buf)
        return 0;
    memcpy(buf, data, size);
    buf[size] = '\0';
    nl = strchr(buf, '\n');
    if (nl) {
        *nl = '\0';
        check(buf, nl + 1);
    } else {
        check(BACKUPNAME_DEFAULT_PATTERN, buf);
    }
    free(buf);
    return 0;
}
