/* `degux-console search referenciales|property|listing [FILTER]...`: the
 * search pane's query without a terminal, as text, CSV or JSON. */
#ifndef DEGUX_SEARCH_CLI_H
#define DEGUX_SEARCH_CLI_H

#include "core/db.h"

struct search_cli;

/* The index in argv of the "search" command word (the options before it
 * are the console's, those after it the search's), or argc when absent. */
int search_cli_split(int argc, char **argv);

/* Parses argv[0] = "search" and what follows. NULL after printing a
 * message naming the bad argument (exit status 2). */
struct search_cli *search_cli_parse(int argc, char **argv);

/* Runs it, prints the rows, frees c. Returns the exit status. */
int search_cli_run(struct search_cli *c, struct db *db);

#endif
