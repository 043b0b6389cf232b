/* Which panes are built: only real ones, never placeholders. */
#include "autoconfig.h"

#include "panes/registry.h"

#include <stddef.h>

#include "panes/pane.h"

extern const struct pane_ops sql_pane_ops;

static const struct pane_ops *const panes[] = {
    &sql_pane_ops,
    NULL,
};

const struct pane_ops *const *pane_registry(void)
{
    return panes;
}
