#!/usr/bin/env bash
# The search pane in tmux against the test cluster: a bad field gets its
# message and no search; comuna + date finds the rows psql counts; the
# next page arrives by keyset at the end; sort by a column; a row's detail;
# :query (the SQL), :explain and :export; Esc clears the form; the target switch.
. "$(cd "$(dirname "$0")/.." && pwd)/lib/e2e.sh"

want=$(psql -XAtc "select count(*) from referenciales
  where lower(translate(comuna, 'áéíóúÁÉÍÓÚñÑüÜ', 'aeiouAEIOUnNuU')) = 'nunoa'
    and fechaescritura >= '2015-01-01'")

e2e_start 130 35 "$bin" --pane search
e2e_wait "Comuna:" 10; ok $? "the form is shown"

# A letter in a number: its message, no search.
e2e_keys Tab Tab Tab Tab Tab Tab
e2e_type "12a"
e2e_keys Enter
e2e_wait "not a whole number" 5; ok $? "a letter in a price is flagged in place"
e2e_wait "no search was sent" 5; ok $? "and no search is sent"
e2e_keys Escape
e2e_wait_gone "not a whole number" 5; ok $? "Esc clears the form"

# No filter: more than 10,000 rows, so the count is the planner's estimate.
e2e_keys Enter
e2e_wait "rows (estimate)" 10; ok $? "over 10,000 rows the count is marked as an estimate"
e2e_keys Tab

# Comuna: typed without accents, completed with → from the official names
# (Tab keeps moving between fields).
e2e_type "nun"
e2e_wait "→ Ñuñoa" 5; ok $? "the comuna field shows its completions"
e2e_keys Right
e2e_wait "Comuna: Ñuñoa_" 5; ok $? "→ takes the first completion (Ñuñoa)"
e2e_keys Escape
e2e_wait_gone "Comuna: Ñuñoa" 5
# The database's own spellings complete too.
dbonly=$(psql -XAtc "select comuna from referenciales where comuna like 'Ñuñoa %' limit 1")
if [ -n "$dbonly" ]; then
  e2e_type "nunoa "
  e2e_wait "→ Ñuñoa · $dbonly" 5; ok $? "then a spelling only the data has ($dbonly)"
else
  ok 0 "# SKIP no comuna spelling beyond the official ones in the data"
fi
e2e_keys Escape
e2e_wait_gone "Comuna: nunoa" 5

# Comuna (unaccented) + from date.
e2e_type "nunoa"
e2e_keys Tab Tab
e2e_type "2015-01-01"
e2e_keys Enter
e2e_wait "$want rows ·" 10; ok $? "the count equals psql's ($want)"
e2e_wait "200 loaded" 5; ok $? "the first page holds 200 rows"
e2e_wait "median monto" 10; ok $? "the medians line is shown"
e2e_keys End
e2e_wait "$want loaded" 10; ok $? "End fetches the next page by keyset: $want loaded"

# Sort by monto (the column under the cursor), descending on the second s.
top=$(psql -XAtc "select monto from referenciales
  where lower(translate(comuna, 'áéíóúÁÉÍÓÚñÑüÜ', 'aeiouAEIOUnNuU')) = 'nunoa'
    and fechaescritura >= '2015-01-01' order by coalesce(monto, -1) desc, id desc limit 1")
e2e_keys Home
for _ in $(seq 12); do e2e_keys Right; done
e2e_keys s
e2e_wait "200 loaded" 10
e2e_keys s
sleep 0.5
e2e_wait "$top" 10; ok $? "s twice on monto sorts descending (top $top)"

# Detail of a row.
e2e_keys Enter
e2e_wait "conservadorId" 5; ok $? "Enter shows every field of the row"
e2e_wait "km from the seat of Ñuñoa" 5; ok $? "and the distance to the comuna's seat"
e2e_wait "Conservador: CBR" 5; ok $? "the conservador"
e2e_wait "Created by: " 5; ok $? "and the user who created it"
e2e_keys Enter
e2e_type ":query"
e2e_keys Enter
e2e_wait '-- $1 = {"Ñuñoa"' 5; ok $? ":query shows the SQL with its parameters"
e2e_keys Escape
e2e_type ":explain"
e2e_keys Enter
e2e_wait "Execution Time" 10; ok $? ":explain shows EXPLAIN ANALYZE"
e2e_keys Escape
e2e_type ":export $work/out.csv"
e2e_keys Enter
e2e_wait "Exported $want rows" 10; ok $? ":export writes every row"
is "$(($(wc -l <"$work/out.csv") - 1))" "$want" "the CSV holds the rows and a header"

# Target switch: the human name; the old results go at once.
e2e_keys t
e2e_wait 'Properties' 5; ok $? "t switches to Properties (its name, no SQL quotes)"
screen=$(e2e_screen)
unlike "$screen" '"Property"' "the title has no SQL quoting"
unlike "$screen" "$want loaded" "the referenciales results are cleared"
e2e_wait "Status:" 5; ok $? "the form shows Property's fields"
# Enter searches the new target with the form as it is.
e2e_keys Enter
e2e_wait "loaded" 10; ok $? "Enter searches Properties"
e2e_keys Tab
# Esc clears the form (it holds the last search), Esc again: the results.
e2e_keys Escape
e2e_wait_gone "nunoa" 5; ok $? "Esc clears the form"
e2e_keys C-p
e2e_wait "nunoa" 5; ok $? "Ctrl-P recalls the last search into the form"
e2e_keys Escape
e2e_wait_gone "nunoa" 5
e2e_keys Escape
sleep 0.3
e2e_keys q
e2e_wait_exit 5; ok $? "Esc on an empty form returns to the results, where q quits"

# Recent searches outlive the run: kept in the state folder (0600) and
# recalled by the next run.
recent=$XDG_STATE_HOME/degux-console/search-recent
is "$(stat -c %a "$recent" 2>/dev/null)" 600 "the recent searches are saved, mode 0600"
like "$(head -1 "$recent")" "^property	comuna=nunoa	date_from=2015-01-01" \
  "newest first: the Properties search"
# A hostile file: bad lines are skipped, the good one is kept.
{
  printf 'bogus\tcomuna=x\n'
  printf 'referenciales\tpassword=x\n'
  printf 'referenciales\tcomuna=\001\002\n'
  printf 'referenciales\tcomuna=%s\n' "$(head -c 20000 /dev/zero | tr '\0' a)"
  printf 'referenciales\tcomuna\n'
  printf '\xff\xfe\tcomuna=x\n'
  cat "$recent"
} >"$work/recent" && mv "$work/recent" "$recent"
e2e_stop
e2e_start 130 35 "$bin" --pane search
e2e_wait "Comuna:" 10; ok $? "a second run starts with a hostile recent file"
e2e_keys C-p
e2e_wait "Comuna: nunoa" 5; ok $? "Ctrl-P recalls the last run's search"
e2e_wait "Properties" 5; ok $? "with its target"
e2e_wait "Recent search 1 of 3" 5; ok $? "only the three good lines were read"
e2e_keys C-p
e2e_wait "Referenciales" 5; ok $? "and the one before it"

# A page runs without parallel workers; the session's setting is put back
# for the other panes.
e2e_keys Enter
e2e_wait "loaded" 10
par=$(psql -XAtc "show max_parallel_workers_per_gather")
e2e_type ":sql select 'parallel=' || current_setting('max_parallel_workers_per_gather') as p"
e2e_keys Enter
e2e_wait "parallel=$par" 10; ok $? "after a search the session's max_parallel_workers_per_gather is $par again"
done_testing
