#!/usr/bin/env bash
# The schema pane driven in tmux: the tree with sizes, filtering as you
# type, a table's detail, :d NAME, sorting by size and the advisor view.
. "$(cd "$(dirname "$0")/.." && pwd)/lib/e2e.sh"

e2e_start 120 32 "$bin" --pane schema
e2e_wait "relations ·" 10; ok $? "the schema pane opens with its header"
screen=$(e2e_screen)
like "$screen" "1 Schema" "the tab bar names the schema pane as 1"
like "$screen" "▾ public" "the tree shows the public schema"
like "$screen" "referenciales +[0-9]+ +[0-9.]+ [kMG]?B" "a table shows its row estimate and size"
like "$screen" "Enum types|Functions" "functions or enum types are listed"

e2e_keys /
e2e_type "conserv"
e2e_wait "/: conserv" 5; ok $? "/ filters as you type"
screen=$(e2e_screen)
like "$screen" "conservadores" "the matching table stays"
unlike "$screen" "referenciales" "other tables are filtered out"
e2e_keys Enter Down Down Enter
e2e_wait "public.conservadores  (table" 5; ok $? "Enter opens the table's detail"
screen=$(e2e_screen)
like "$screen" "Columns" "the detail lists the columns"
like "$screen" "region +text +not null" "with type and nullability"
e2e_keys Escape Escape
e2e_wait "/: -" 5; ok $? "Esc goes back and clears the filter"

e2e_type ":d referenciales"; e2e_keys Enter
e2e_wait "public.referenciales  (table" 5; ok $? ":d NAME jumps to a table"
like "$(e2e_screen)" "geom +geometry +\[untyped\]" "an untyped geometry column is marked"
e2e_keys G
e2e_wait "CREATE INDEX idx_referenciales_user" 5; ok $? "the detail scrolls to the DDL"
e2e_keys Escape
e2e_type ':d "User"'; e2e_keys Enter
e2e_wait 'public.User  (table' 5; ok $? ':d "User" (a quoted name) opens the table'
e2e_keys Escape
e2e_type ':d public."Property"'; e2e_keys Enter
e2e_wait 'public.Property  (table' 5; ok $? ':d public."Property" (schema-qualified) opens the table'
e2e_keys Escape
e2e_type ':d auth.uid()'; e2e_keys Enter
e2e_wait 'auth.uid()' 5; ok $? ':d auth.uid() opens the function'
e2e_keys Escape
e2e_type ':d "user"'; e2e_keys Enter
e2e_wait 'No table, view, function or type named "user"' 5; ok $? 'a quoted name keeps its case: "user" is not "User"'

e2e_keys s
e2e_wait "s: by size" 5; ok $? "s sorts by size"
e2e_keys a
e2e_wait "Schema advisor:" 5; ok $? "a opens the advisor"
screen=$(e2e_screen)
like "$screen" "warning +public" "findings show their severity and object"
like "$screen" "CONCURRENTLY" "the selected finding's fix SQL is shown"
e2e_keys x
e2e_wait "needs write mode" 5; ok $? "running a fix needs write mode"
e2e_keys a
e2e_wait "relations ·" 5; ok $? "a again goes back to the tree"
e2e_keys m
e2e_wait "Migrations, Prisma's and the console's" 5; ok $? "m shows the migrations"
screen=$(e2e_screen)
like "$screen" "failed +20251021093017_add_property_geom" "a failed migration is marked failed"
like "$screen" "rolled back +20250930154201" "a rolled-back one is marked rolled back"
# Long names keep the columns in line: every row's start date in one column.
cols=$(grep -E '^(failed|applied|rolled back|aplicada|fallida|revertida)' <<<"$screen" |
  awk '{ print index($0, " 20") }' | sort -u | wc -l)
is "$cols" 1 "the dates start in the same column on every row"
e2e_wait "log (Enter shows it whole" 5; ok $? "the failed migration's log is shown under the list"
unlike "$(e2e_screen)" "↵" "on lines of its own, not one cut line"
e2e_keys Enter
e2e_wait " · started " 5; ok $? "Enter shows the whole log"
e2e_keys Escape
e2e_wait "Migrations, Prisma's and the console's" 5; ok $? "Esc goes back to the migrations"
e2e_keys Escape

e2e_keys q
e2e_wait_exit 5; ok $? "q quits"
e2e_stop

# In write mode x runs the selected fix after a confirmation (a scratch
# database: the shared demo stays as it is).
scratch=degux_schema_e2e_$$
psql -XqAt -d postgres -c "drop database if exists $scratch" -c "create database $scratch" >/dev/null || bail_out "cannot create $scratch"
trap 'e2e_stop; rm -f "$E2E_CONF"; rm -rf "$work"; psql -XqAt -d postgres -c "drop database if exists $scratch" >/dev/null 2>&1' EXIT
psql -XqAt -d "$scratch" -c "create table parent (id int primary key)" \
  -c "create table child (id int primary key, parent_id int references parent)" -c "analyze" >/dev/null
e2e_start 120 32 "$bin" --write -d "dbname=$scratch" --pane schema
e2e_wait "1 finding" 10; ok $? "a database without the degux tables opens, with its one finding"
e2e_keys a
e2e_wait "CREATE INDEX CONCURRENTLY ON public.child (parent_id);" 5; ok $? "the advisor shows the fix for the unindexed foreign key"
e2e_keys x
e2e_wait "Run CREATE INDEX" 5; ok $? "x asks before running the fix"
is "$(e2e_screen | grep -o '(y/n)' | wc -l)" 1 "the question says (y/n) once"
e2e_keys y
e2e_wait "No findings" 10; ok $? "after the fix the advisor reloads and has no finding"
is "$(psql -XAt -d "$scratch" -c "select count(*) from pg_indexes where tablename = 'child' and indexdef like '%(parent_id)'")" 1 \
  "the index exists in the database"
e2e_keys q
done_testing
