/* fuzz-sources: src/core/config.c src/core/conninfo.c src/core/xalloc.c */
/* libFuzzer harness for the configuration parser: any bytes as a config
 * file must load or give one "NAME:LINE: …" message, never a crash, and
 * every named connection must turn into a conninfo. */
#include "autoconfig.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1), *err;
    struct config cfg;

    memcpy(text, data, size);
    text[size] = '\0';   /* files with NUL bytes are refused before */
    if (config_load_string(&cfg, text, "fuzz", &err)) {
        if (err)
            abort();
        for (int i = 0; i < cfg.nconnections; i++)
            free(config_connection_conninfo(&cfg.connections[i]));
        config_free(&cfg);
    } else {
        if (!err || strncmp(err, "fuzz:", 5) != 0 || strchr(err, '\n'))
            abort();
        free(err);
    }
    free(text);
    return 0;
}
