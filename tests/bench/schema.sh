#!/usr/bin/env bash
# The schema pane on a database with many tables (default 2,000): time to
# the first paint (the report as a proxy, and the pane itself in tmux), and
# the number of statements it sends, counted by pg_stat_statements, for 10
# tables and for N: the same number, whatever N. Prints numbers; never
# pass/fail. Usage: tests/bench/schema.sh BUILDDIR [N]
set -uo pipefail
builddir=${1:-.}
n=${2:-2000}
bin=$(cd "$builddir" && pwd)/degux-console
here=$(cd "$(dirname "$0")/.." && pwd)
eval "$(top_builddir=$builddir "$here/lib/cluster.sh" start)" || exit 1
export XDG_STATE_HOME=$(mktemp -d) XDG_CONFIG_HOME=$(mktemp -d)
. "$here/lib/tmux.sh"
trap 'e2e_stop; rm -f "$E2E_CONF"; for d in small big; do psql -XqAt -d postgres -c "drop database if exists degux_bench_$d" >/dev/null 2>&1; done' EXIT

ms() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }

make_db() { # name tables
  psql -XqAt -d postgres -c "drop database if exists $1" -c "create database $1" >/dev/null
  psql -XqAt -d "$1" -v ON_ERROR_STOP=1 >/dev/null <<SQL
create extension if not exists pg_stat_statements;
create table parent (id int primary key);
do \$\$ begin
  for i in 1..$2 loop
    execute format('create table t%s (id bigserial primary key, parent_id int '
                   'references parent, label text not null default ''x'', '
                   'created timestamptz default now())', i);
    execute format('create index on t%s (label)', i);
  end loop;
end \$\$;
analyze;
SQL
}

# Statements the console sent to database $1 while running the report.
count_queries() {
  local db=$1 before after
  psql -XqAt -d "$db" -c "select pg_stat_statements_reset()" >/dev/null
  "$bin" -d "dbname=$db" report schema --json >/dev/null
  psql -XAt -d "$db" -c "select sum(calls) from pg_stat_statements s join pg_database d on d.oid = s.dbid where d.datname = '$db' and query not like '%pg_stat_statements%'"
}

echo "== creating $n tables (each: bigserial key, FK, index) in degux_bench_big"
t=$(date +%s%N); make_db degux_bench_big "$n"; echo "   $(ms "$t") ms"
make_db degux_bench_small 10

echo "== statements sent by 'report schema' (pg_stat_statements calls)"
echo "   10 tables:   $(count_queries degux_bench_small)"
echo "   $n tables: $(count_queries degux_bench_big)"

echo "== report schema --json on $n tables (connect + catalog + JSON), 5 runs"
for i in 1 2 3 4 5; do
  t=$(date +%s%N); "$bin" -d "dbname=degux_bench_big" report schema --json >/dev/null
  echo "   run $i: $(ms "$t") ms"
done
echo "== report advisor on $n tables"
t=$(date +%s%N); "$bin" -d "dbname=degux_bench_big" report advisor --json | jq '.findings | length' | sed 's/^/   findings: /'
echo "   $(ms "$t") ms"

echo "== tmux overhead: start to the first screen of a program that prints at once"
t=$(date +%s%N); e2e_start 120 40 sh -c 'echo ready; sleep 5'
for ((k = 0; k < 2000; k++)); do e2e_screen | grep -q ready && break; sleep 0.005; done
echo "   $(ms "$t") ms"; e2e_stop
echo "== the pane in tmux: start to the first painted tree, and a table's detail"
for i in 1 2 3; do
  t=$(date +%s%N)
  e2e_start 120 40 "$bin" -d "dbname=degux_bench_big" --pane schema
  for ((k = 0; k < 2000; k++)); do e2e_screen | grep -q "relations ·" && break; sleep 0.005; done
  first=$(ms "$t")
  for ((k = 0; k < 2000; k++)); do e2e_screen | grep -q "findings ·" && break; sleep 0.005; done
  full=$(ms "$t")
  e2e_keys /; e2e_type "t1999"; e2e_keys Enter Down Down
  sleep 0.3
  t=$(date +%s%N); e2e_keys Enter
  for ((k = 0; k < 2000; k++)); do e2e_screen | grep -q "public.t1999  (table" && break; sleep 0.002; done
  echo "   run $i: first paint $first ms, advisor done $full ms (incl. tmux start and polling); detail $(ms "$t") ms (incl. tmux round trip)"
  e2e_stop
done
