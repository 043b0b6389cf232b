/* The pane contract: the loop and the app know panes only through these
 * operations. A pane's model (rows, findings) is separate from its view, so
 * `degux-console report PANE` prints the same model without a terminal. */
#ifndef DEGUX_PANE_H
#define DEGUX_PANE_H

#include <stdbool.h>
#include <curses.h>

#include "core/db.h"
#include "core/report.h"
#include "ui/help.h"
#include "ui/keymap.h"

struct pane;

struct pane_ops {
    const char *id;          /* "sql": config, reports, :pane NAME */
    const char *title;       /* N_("SQL"): translated when drawn */
    int number;              /* fixed tab number 1..7 */
    const struct keymap *keys; /* the pane's keys: dispatch, help, hints */
    /* Keys of its text entry, shown in help and as hints while editing
     * (the entry handles them itself: no actions). */
    const struct keymap *edit_keys;
    const struct help_command *commands; /* its ':' commands, for help */
    int ncommands;
    void (*open)(struct pane *);    /* first shown: start its queries */
    void (*draw)(struct pane *, WINDOW *);
    /* Keys the keymap does not name (text entry); false: not handled. */
    bool (*key)(struct pane *, int key);
    /* Batch output of the model (after open's jobs finished); returns the
     * exit status: 0, or 1 when a finding is a warning or worse. */
    int (*report)(struct pane *, struct report *);
    /* A ':' command the pane understands (":export f.csv"); false: not its. */
    bool (*command)(struct pane *, const char *name, const char *args);
    /* Mouse click inside the pane window; false: not handled. */
    bool (*click)(struct pane *, int y, int x);
    /* True while the pane edits text: digits and q are typed, not keys. */
    bool (*editing)(struct pane *);
    void (*close)(struct pane *);
};

struct pane {
    const struct pane_ops *ops;
    struct db *db;
    void *state;             /* the pane's own model and view state */
    bool opened;
};

#endif
