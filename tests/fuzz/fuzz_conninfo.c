/* fuzz-sources: src/core/conninfo.c src/core/xalloc.c */
/* libFuzzer harness for connection strings: any bytes, as typed on the
 * command line or read from a config file, must give a conninfo or a
 * one-line message, never a crash; what normalize accepts libpq accepts. */
#include "autoconfig.h"

#include <libpq-fe.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/conninfo.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_normalize(const char *in)
{
    char *schema, *err, *out = conninfo_normalize(in, &schema, &err);
    PQconninfoOption *opts;

    if (!out) {
        if (!err || strchr(err, '\n') || schema)
            abort();
        free(err);
        return;
    }
    if (err || (schema && !*schema))
        abort();
    opts = PQconninfoParse(out, NULL);
    if (!opts)
        abort();   /* normalize promised libpq would take it */
    PQconninfoFree(opts);
    free(out);
    free(schema);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *in = malloc(size + 1), *s;
    size_t half = size / 2;

    memcpy(in, data, size);
    in[size] = '\0';
    check_normalize(in);
    conninfo_is_literal(in);
    conninfo_has_password(in);
    free(conninfo_display(in));
    /* The two halves as a base and a value exercise appending. */
    in[half] = '\0';
    s = conninfo_append(in, "password", in + half + (half < size));
    check_normalize(s);
    free(s);
    free(in);
    return 0;
}
