/* Batch output of a pane's model, as aligned text or as JSON (jansson). A
 * report is built once through these calls and printed by report_finish, so
 * both forms come from the same model. Keys are stable API: they only grow. */
#ifndef DEGUX_REPORT_H
#define DEGUX_REPORT_H

#include <stdbool.h>
#include <stdio.h>

struct report;

/* REPORT_LIST: a table cell holding comma-separated words ("daily,weekly"),
 * a JSON array of strings (empty for "") and the text as it is. */
enum report_type { REPORT_STR, REPORT_INT, REPORT_NUM, REPORT_BOOL,
                   REPORT_LIST };

struct report *report_new(bool json, FILE *out);
bool report_json(const struct report *r);

/* A titled line of text output (ignored in JSON). */
void report_heading(struct report *r, const char *title);
void report_note(struct report *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* key → value in the current object; label is the translated text label.
 * value NULL is JSON null and "-" in text. */
void report_str(struct report *r, const char *key, const char *label,
                const char *value);
void report_int(struct report *r, const char *key, const char *label,
                long long value);
void report_num(struct report *r, const char *key, const char *label,
                double value);
void report_bool(struct report *r, const char *key, const char *label,
                 bool value);

/* Nested object under key (text: indented). */
void report_object_begin(struct report *r, const char *key, const char *label);
void report_object_end(struct report *r);

/* A table: an array of objects under key in JSON, aligned columns in text.
 * keys/labels/types have ncols entries; rows are added with report_row,
 * values as text (NULL for null) converted to the column's type in JSON. */
void report_table_begin(struct report *r, const char *key, const char *label,
                        int ncols, const char *const *keys,
                        const char *const *labels,
                        const enum report_type *types);
void report_row(struct report *r, const char *const *values);
void report_table_end(struct report *r);

/* Prints (text rows are aligned here) and frees. Returns 0, or 2 when the
 * output could not be written. */
int report_finish(struct report *r);

/* Nothing was added yet. */
bool report_empty(const struct report *r);

/* Frees without printing: a report that failed before writing anything
 * prints nothing on stdout (its message went to stderr). */
void report_discard(struct report *r);

#endif
