#!/usr/bin/env bash
# The slow pane with 5,000 distinct statements in pg_stat_statements: the
# time of one refresh (the report as a proxy, and the pane's own figure in
# tmux), and the console's own statements' means, which must stay under the
# threshold. Prints numbers; never pass/fail.
# Usage: tests/bench/slow.sh BUILDDIR [N]
set -uo pipefail
builddir=${1:-.}
n=${2:-5000}
bin=$(cd "$builddir" && pwd)/degux-console
here=$(cd "$(dirname "$0")/.." && pwd)
eval "$(top_builddir=$builddir "$here/lib/cluster.sh" start)" || exit 1
export XDG_STATE_HOME=$(mktemp -d) XDG_CONFIG_HOME=$(mktemp -d)
. "$here/lib/tmux.sh"
db=degux_bench_slow
trap 'e2e_stop; rm -f "$E2E_CONF"; psql -XqAt -d postgres -c "drop database if exists $db" >/dev/null 2>&1' EXIT

ms() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }

psql -XqAt -d postgres -c "drop database if exists $db" -c "create database $db" >/dev/null
psql -XqAt -d "$db" -c "create extension if not exists pg_stat_statements" >/dev/null
# Distinct shapes: i columns × an IN list of j constants (constants are
# normalized, their number is not).
side=$(awk -v n="$n" 'BEGIN { s = int(sqrt(n)); if (s * s < n) s++; print s }')
t0=$(date +%s%N)
psql -XqAt -d "$db" >/dev/null <<SQL
select format('select %s from (values (1)) v(a) where a in (%s)',
              (select string_agg('a + ' || c, ', ') from generate_series(1, i) c),
              (select string_agg(k::text, ',') from generate_series(1, j) k))
from generate_series(1, $side) i, generate_series(1, $side) j
limit $n
\gexec
SQL
echo "generated $n statements in $(ms "$t0") ms"
echo "pg_stat_statements entries: $(psql -XAtc 'select count(*) from pg_stat_statements') (max $(psql -XAtc 'show pg_stat_statements.max')), in $db: $(psql -XAt -d "$db" -c "select count(*) from pg_stat_statements s join pg_database d on d.oid = s.dbid where d.datname = current_database()")"

echo "== report slow (connect + header + activity + statements + output), 10 runs"
for i in $(seq 10); do
  t0=$(date +%s%N)
  "$bin" -d "dbname=$db" report slow --json --threshold 100 >/dev/null
  echo -n "$(ms "$t0") "
done
echo "ms"
echo "== the statements query alone (psql \\timing), 5 runs"
for i in $(seq 5); do
  psql -XAt -d "$db" -c '\timing on' -c "select count(*) from (SELECT s.userid::bigint, s.dbid::bigint, s.queryid, coalesce(r.rolname, s.userid::text), coalesce(d.datname, s.dbid::text), s.calls, s.total_exec_time, s.stddev_exec_time, s.max_exec_time, s.rows, s.shared_blks_hit, s.shared_blks_read, s.temp_blks_read + s.temp_blks_written, s.query FROM pg_stat_statements s LEFT JOIN pg_roles r ON r.oid = s.userid LEFT JOIN pg_database d ON d.oid = s.dbid WHERE false OR d.datname = current_database()) x" | grep -o 'Time: [0-9.]* ms' | tr '\n' ' '
done
echo

echo "== in the pane (120x40): the refresh time it shows, over 5 refreshes"
e2e_start 120 40 "$bin" -d "dbname=$db" --pane slow
e2e_wait "shown" 20 >/dev/null
for i in $(seq 5); do
  sleep 2.1
  e2e_screen | grep -o 'Statements ·.*' | grep -o '[0-9]* shown.*query [0-9.]* ms' | sed 's/ · over.*query/ · query/'
done
e2e_keys q

echo "== the console's own statements (mean ms; threshold 100)"
psql -XAt -F ' ' -d "$db" -c "
  select round(max(mean_exec_time)::numeric, 2), round(max(max_exec_time)::numeric, 2), sum(calls), left(query, 40)
  from pg_stat_statements
  where query like 'SELECT s.userid::bigint%' or query like 'SELECT a.pid, array_to_string%'
     or query like 'SELECT (SELECT count(*) FROM pg_stat_activity%'
  group by left(query, 40)"
over=$("$bin" -d "dbname=$db" report slow --json --threshold 100 | jq '[.statements[] | select(.query | test("pg_stat_statements s|pg_stat_activity"))] | length')
echo "console statements over the threshold in report slow: $over"
