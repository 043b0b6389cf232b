/* Which panes are built: only real ones, never placeholders. */
#include "autoconfig.h"

#include "panes/registry.h"

#include <stddef.h>

#include "panes/pane.h"

extern const struct pane_ops schema_pane_ops;
extern const struct pane_ops search_pane_ops;
extern const struct pane_ops moderation_pane_ops;
extern const struct pane_ops rls_pane_ops;
extern const struct pane_ops slow_pane_ops;
extern const struct pane_ops backups_pane_ops;
extern const struct pane_ops sql_pane_ops;

static const struct pane_ops *const panes[] = {
    &schema_pane_ops,
    &search_pane_ops,
    &moderation_pane_ops,
    &rls_pane_ops,
    &slow_pane_ops,
    &backups_pane_ops,
    &sql_pane_ops,
    NULL,
};

const struct pane_ops *const *pane_registry(void)
{
    return panes;
}
