/* Shared by the advisor's check files: adding a finding and looking rows
 * up. Not part of the advisor's contract. */
#ifndef DEGUX_ADVISOR_PRIV_H
#define DEGUX_ADVISOR_PRIV_H

#include "domain/advisor.h"

/* Takes ownership of detail and fix (either may be NULL). */
void adv_add(struct adv_findings *out, const char *check,
             enum adv_severity sev, const char *schema, const char *name,
             const char *message, char *detail, char *fix);
/* True when a finding already carries this fix statement. */
bool adv_has_fix(const struct adv_findings *out, const char *fix);
const struct adv_table *adv_table_find(const struct adv_catalog *c,
                                       const char *schema, const char *name);
/* "(a, "B")": the quoted column list. Caller frees. */
char *adv_column_list(const char *const *cols, int n);
/* CREATE INDEX CONCURRENTLY ... for the columns (pred: WHERE, or NULL). */
char *adv_create_index(const char *schema, const char *table,
                       const char *method, const char *const *cols, int n,
                       const char *pred);
/* True when the index's first n key columns are cols, in any order. */
bool adv_index_leads(const struct adv_index *ix, const char *const *cols,
                     int n);

void adv_check_indexes(const struct adv_catalog *c, struct adv_findings *out);
void adv_check_recommended(const struct adv_catalog *c,
                           struct adv_findings *out);
/* advisor_trgm.c */
void adv_check_trigram(const struct adv_catalog *c, struct adv_findings *out);
void adv_check_health(const struct adv_catalog *c, struct adv_findings *out);

#endif
