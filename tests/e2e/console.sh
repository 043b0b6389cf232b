#!/usr/bin/env bash
# The real binary in tmux against the test cluster: start, run SQL, errors
# with a caret, hostile bytes, cancel, the grid and its detail, write mode,
# help, resize, completion, history and quit.
. "$(cd "$(dirname "$0")/.." && pwd)/lib/e2e.sh"

run_sql() { e2e_type "$1"; e2e_keys Enter; }

# The wrapper keeps the exit status (tmux's pane_dead_status can lag).
e2e_start 110 32 sh -c '"$0" --pane sql; echo $? >"$1"' "$bin" "$work/status"
e2e_wait "degux=>" 10; ok $? "starts on the SQL pane with a prompt"
screen=$(e2e_screen)
like "$screen" "7 SQL" "the tab bar names the SQL pane with its number"
like "$screen" "READ-ONLY" "the status bar says READ-ONLY"
like "$screen" "PG 15\.[0-9]+ · PostGIS 3" "the status bar shows server and PostGIS versions"
like "$screen" "nexus_user@" "the status bar shows the user"

run_sql "select comuna, count(*) as n from referenciales where comuna = 'Ñuñoa' group by comuna;"
e2e_wait "1 row" 10; ok $? "a query shows its row count"
like "$(e2e_screen)" "Ñuñoa" "accents and ñ come back intact"

e2e_type "select 40"; e2e_keys Enter
e2e_wait "degux->" 5; ok $? "an unfinished statement continues on a new line"
run_sql "+ 2 as answer;"
e2e_wait "answer" 10 && e2e_wait " 42" 5; ok $? "the multi-line statement ran"

run_sql "select nosuch from referenciales;"
e2e_wait "ERROR 42703" 10; ok $? "a server error shows its SQLSTATE"
like "$(e2e_screen)" $'select nosuch from referenciales;\n       \\^' "a caret marks the error position (under the n of nosuch)"

run_sql "select E'\\x1b[2J\\x1b]0;pwned\\x07' || 'x' as evil, 'Ñuñoa 東京' as wide;"
e2e_wait "evil" 10
screen=$(e2e_screen)
like "$screen" '\^\[\[2J' "an escape byte from the data is drawn visibly"
like "$screen" "7 SQL" "and the screen was not cleared by it"

run_sql "select pg_sleep(30);"
e2e_wait "Running" 10
start=$(date +%s%N)
e2e_keys Escape
e2e_wait "57014" 5; ok $? "Esc cancels a running statement"
diag "cancel shown after $(( ($(date +%s%N) - start) / 1000000 )) ms"

run_sql "select g as n, 'row ' || g as label from generate_series(1, 5000) g;"
e2e_wait "5000 rows" 15; ok $? "5000 rows are counted"
e2e_keys Escape
e2e_keys G
e2e_wait "row 5000 " 10; ok $? "G in the grid jumps to the last row"
e2e_keys Enter
e2e_wait "row 5000" 5
like "$(e2e_screen)" "label" "Enter shows the row's detail with column names"
e2e_keys Enter i

e2e_type ":write"; e2e_keys Enter
e2e_wait " WRITE " 5; ok $? ":write shows the WRITE badge"
e2e_type ":read"; e2e_keys Enter
e2e_wait "READ-ONLY" 5; ok $? ":read goes back to read-only"

run_sql "create table e2e_should_fail(x int);"
e2e_wait "25006" 10; ok $? "read-only mode refuses a write (SQLSTATE 25006)"
run_sql "begin read write;"
e2e_wait "Refused: the session is read-only" 10; ok $? "read-only mode refuses BEGIN READ WRITE"
run_sql "set default_transaction_read_only = off;"
e2e_wait "is read-only again" 10; ok $? "a SET that made the session read-write is undone, with a message"
run_sql "create table e2e_should_fail(x int);"
e2e_wait "in a read-only transaction" 10; ok $? "and writes are still refused"

e2e_keys F1
e2e_wait "Everywhere" 5; ok $? "F1 shows the help, generated from the key tables"
e2e_keys NPage
e2e_wait "export FILE.csv" 5; ok $? "the help scrolls to the pane's commands"
e2e_keys q
e2e_wait_gone "Everywhere" 5; ok $? "a key closes the help"

e2e_type "select * from referencia"; e2e_keys Tab
e2e_wait "from referenciales" 5; ok $? "Tab completes a table name from the catalog"
e2e_keys C-u
e2e_type 'select "crea'; e2e_keys Tab
e2e_wait '"createdAt"' 5; ok $? "Tab completes a quoted camelCase column"
e2e_keys C-u
e2e_type ":d refer"; e2e_keys Tab
e2e_wait ":d referenciales" 5; ok $? ":d completes object names from the catalog"
e2e_keys Enter
e2e_wait "public.referenciales  (table" 15; ok $? ":d opens the table in the schema pane from another pane"
e2e_keys F8
e2e_wait "degux=>" 5

run_sql "select id, comuna from referenciales order by id limit 20;"
e2e_wait "20 rows" 10
e2e_type ":export $work/out.csv"; e2e_keys Enter
e2e_wait "Exported 20 rows" 10; ok $? ":export writes the result to a CSV file"
is "$(wc -l < "$work/out.csv" 2>/dev/null)" 21 "the CSV has a header and 20 rows"
e2e_type ":write"; e2e_keys Enter
e2e_wait " WRITE " 5
run_sql "create temp table e2e_exp(x int);"
e2e_wait "CREATE TABLE" 10
run_sql "insert into e2e_exp values (1) returning x;"
e2e_wait "INSERT 0 1" 10
e2e_type ":export $work/w.csv"; e2e_keys Enter
e2e_wait "Only a query's result can be exported" 5
ok $? ":export refuses a statement that could change data (it would run again)"
run_sql "select 'inserted ' || count(*) || ' time(s)' as r from e2e_exp;"
e2e_wait "time(s)" 10
like "$(e2e_screen)" "inserted 1 time" "the insert ran once"
[ ! -e "$work/w.csv" ]; ok $? "and no file was written"
e2e_type ":read"; e2e_keys Enter
e2e_wait "READ-ONLY" 5

e2e_resize 70 20
e2e_wait "Terminal too small" 5; ok $? "a terminal under 80x24 gets a clear message"
e2e_resize 110 32
e2e_wait "7 SQL" 5; ok $? "enlarging it brings the console back"

run_sql "alter role nexus_user password 'secret123';"
e2e_wait "ERROR" 10
e2e_type ":q"; e2e_keys Enter
e2e_wait_exit 10; ok $? ":q quits"
is "$(cat "$work/status" 2>/dev/null)" 0 "the exit status is 0"
hist=$XDG_STATE_HOME/degux-console/history
is "$(stat -c %a "$hist" 2>/dev/null)" 600 "the history file is private (0600)"
grep -q "pg_sleep" "$hist"; ok $? "statements are kept in the history"
! grep -q "secret123" "$hist"; ok $? "a statement that sets a password is not saved"

done_testing
