/* The adapter: grid callbacks forwarded to the rowset. */
#include "autoconfig.h"

#include "panes/rowgrid.h"

static int rg_ncols(void *ctx)
{
    struct rowgrid *rg = ctx;

    return rowset_has_rows(rg->rs) ? rowset_ncols(rg->rs) : 0;
}

static const char *rg_col_name(void *ctx, int col)
{
    return rowset_col_name(((struct rowgrid *)ctx)->rs, col);
}

static bool rg_col_numeric(void *ctx, int col)
{
    return rowset_col_numeric(((struct rowgrid *)ctx)->rs, col);
}

static long rg_nrows(void *ctx)
{
    return rowset_nrows(((struct rowgrid *)ctx)->rs);
}

static long rg_nrows_known(void *ctx)
{
    return rowset_nrows_known(((struct rowgrid *)ctx)->rs);
}

static const char *rg_cell(void *ctx, long row, int col, enum grid_cell *st)
{
    enum cell_state cs;
    const char *v = rowset_cell(((struct rowgrid *)ctx)->rs, row, col, &cs);

    *st = cs == CELL_VALUE ? GRID_VALUE
        : cs == CELL_NULL ? GRID_NULL : GRID_PENDING;
    return v;
}

static void rg_want(void *ctx, long first, long count)
{
    rowset_want(((struct rowgrid *)ctx)->rs, first, count);
}

void rowgrid_init(struct rowgrid *rg, struct rowset *rs)
{
    rg->rs = rs;
    rg->src = (struct grid_source){
        .ctx = rg, .ncols = rg_ncols, .col_name = rg_col_name,
        .col_numeric = rg_col_numeric, .nrows = rg_nrows,
        .nrows_known = rg_nrows_known, .cell = rg_cell, .want = rg_want,
        .row_attr = NULL,
    };
}
