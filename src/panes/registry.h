/* The panes that exist, in their fixed tab order (1 Schema, 2 Search,
 * 3 Moderation, 4 RLS, 5 Slow, 6 Backups, 7 SQL). */
#ifndef DEGUX_REGISTRY_H
#define DEGUX_REGISTRY_H

#define PANE_MAX 8

struct pane_ops;

/* NULL-terminated, ordered by tab number. */
const struct pane_ops *const *pane_registry(void);

#endif
