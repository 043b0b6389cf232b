/* A query's whole result written to a CSV file without holding it in
 * memory: COPY (query) TO STDOUT through the job queue, into FILE.partial,
 * then fsync and rename, so a file under the final name is always whole. */
#ifndef DEGUX_EXPORT_H
#define DEGUX_EXPORT_H

#include "core/db.h"

struct export;

/* Now and then while data arrives: bytes written, data rows so far. */
typedef void (*export_progress_fn)(struct export *e, long long bytes,
                                   long rows, void *arg);
/* Once, from the loop: error is NULL on success, else a one-line reason
 * ("cancelled" after export_cancel). The export is freed after it returns. */
typedef void (*export_done_fn)(struct export *e, const char *error, long rows,
                               void *arg);

/* Starts exporting sql (one query, no trailing ';' needed) to path, with a
 * header line. Without parameters it runs as COPY; with parameters (COPY
 * takes none) the rows are streamed one at a time and written by the same
 * CSV rules. progress may be NULL. Never returns NULL: a file that cannot
 * be created is reported through done(). */
struct export *export_start(struct db *db, const char *sql, int nparams,
                            const char *const *params, const char *path,
                            export_progress_fn progress, export_done_fn done,
                            void *arg);

/* Stops it and removes the partial file; done() follows with "cancelled"
 * (it may be called before this returns). */
void export_cancel(struct export *e);

/* Bytes and rows written so far. */
long long export_bytes(const struct export *e);
long export_rows(const struct export *e);

#endif
