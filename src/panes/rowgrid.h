/* A grid source over a rowset: lets any pane show a (possibly huge) query
 * result in the grid widget. */
#ifndef DEGUX_ROWGRID_H
#define DEGUX_ROWGRID_H

#include "core/rowset.h"
#include "ui/grid.h"

struct rowgrid {
    struct grid_source src;
    struct rowset *rs;
};

/* Points rg at rs (not owned) and fills rg->src. */
void rowgrid_init(struct rowgrid *rg, struct rowset *rs);

#endif
