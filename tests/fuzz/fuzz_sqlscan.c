/* fuzz-sources: src/core/sqlscan.c src/core/xalloc.c */
/* libFuzzer harness for the SQL scanner: any bytes, as the editor's buffer,
 * must scan without reading past the end, and the answers must agree. */
#include "autoconfig.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/sqlscan.h"
#include "core/xalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_split(const char *buf, size_t len)
{
    struct sqlscan_stmt st[16];
    size_t consumed, prev_end = 0;
    int n = sqlscan_split(buf, st, 16, &consumed);

    if (consumed > len)
        abort();
    for (int i = 0; i < n; i++) {
        if (st[i].start < prev_end || st[i].len == 0 ||
            st[i].start + st[i].len > consumed)
            abort();
        prev_end = st[i].start + st[i].len;
        /* A statement taken alone and ended by ';' splits to itself. */
        char *one = xasprintf("%.*s;", (int)st[i].len, buf + st[i].start);
        struct sqlscan_stmt again;
        size_t c2;
        if (sqlscan_split(one, &again, 1, &c2) != 1 || again.start != 0 ||
            again.len != st[i].len)
            abort();
        free(one);
    }
    if (n < 16 && sqlscan_blank(buf + consumed) &&
        sqlscan_state(buf + consumed) != SQLSCAN_EMPTY &&
        sqlscan_state(buf + consumed) != SQLSCAN_LINE_COMMENT)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *buf = xstrndup((const char *)data, size);
    size_t len = strlen(buf), kwlen;

    check_split(buf, len);
    (void)sqlscan_unfinished(buf);
    (void)sqlscan_is_command(buf);
    (void)sqlscan_is_query(buf);
    if (sqlscan_first_keyword(buf, &kwlen) && (kwlen == 0 || kwlen > len))
        abort();
    free(buf);
    return 0;
}
