#!/usr/bin/env bash
# First-page times of `degux-console search` on a large referenciales table
# (DEGUX_TEST_SIZE, default 1,000,000, in BUILDDIR's own test cluster), p50
# and p95 of N runs, next to the same SQL through psql (the console's SET,
# PREPARE + EXECUTE) in the same run, and the plan's index. Prints numbers;
# never pass/fail.
# Usage: tests/bench/search.sh BUILDDIR [N]
#   BUILDDIR: a build of its own (the cluster is reloaded at that size).
set -uo pipefail
builddir=${1:-.}
n=${2:-20}
bin=$(cd "$builddir" && pwd)/degux-console
here=$(cd "$(dirname "$0")/.." && pwd)
export DEGUX_TEST_SIZE=${DEGUX_TEST_SIZE:-1000000}
eval "$(top_builddir=$builddir "$here/lib/cluster.sh" start)" || exit 1
export XDG_STATE_HOME=$(mktemp -d) XDG_CONFIG_HOME=$(mktemp -d)
work=$(mktemp -d)
trap 'rm -rf "$work" "$XDG_STATE_HOME" "$XDG_CONFIG_HOME"' EXIT

echo "referenciales: $(psql -XAtc 'select count(*) from referenciales') rows"
# The indexes the seed and the schema advisor recommend for these searches.
psql -XqAt <<'SQL'
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX IF NOT EXISTS referenciales_rol_pattern_idx ON referenciales (rol text_pattern_ops);
CREATE INDEX IF NOT EXISTS referenciales_comprador_trgm_idx ON referenciales USING gin (comprador gin_trgm_ops);
CREATE INDEX IF NOT EXISTS referenciales_vendedor_trgm_idx ON referenciales USING gin (vendedor gin_trgm_ops);
CREATE INDEX IF NOT EXISTS referenciales_predio_trgm_idx ON referenciales USING gin (predio gin_trgm_ops);
ANALYZE referenciales;
SQL

ms_since() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }
pct() { sort -n | awk -v p="$1" '{ a[NR] = $1 } END { i = int(NR * p / 100 + 0.999); if (i < 1) i = 1; print a[i] }'; }

# The console's SQL as a psql script: its SET lines, PREPARE, then EXECUTE
# with the values.
psql_script() {
  local sql=$1 params
  params=$(sed -n 's/^-- \$[0-9]* = //p' <<<"$sql" | sed "s/'/''/g; s/.*/'&'/" | paste -sd,)
  grep '^SET ' <<<"$sql"
  printf 'PREPARE q AS %s;\nEXECUTE q%s;\n' "$(sed '/^-- \$/d; /^SET /d; s/;$//' <<<"$sql")" \
    "${params:+($params)}"
}

case_run() { # NAME ARGS...
  local name=$1; shift
  local sql script t c=() p=()
  sql=$("$bin" search referenciales "$@" --sql)
  script=$(psql_script "$sql")
  "$bin" search referenciales "$@" --json >/dev/null   # warm the cache
  for _ in $(seq "$n"); do
    t=$(date +%s%N); "$bin" search referenciales "$@" --json >/dev/null; c+=("$(ms_since "$t")")
    t=$(date +%s%N); psql -XqAt <<<"$script" >/dev/null; p+=("$(ms_since "$t")")
  done
  local index rows
  rows=$("$bin" search referenciales "$@" --json | jq .count)
  index=$(psql -XAt <<<"$(sed 's/^EXECUTE/EXPLAIN (ANALYZE, COSTS OFF) EXECUTE/' <<<"$script")" |
          grep -oE '(Index|Index Only|Bitmap Index) Scan (Backward )?(using|on) [a-z_]+' | sort -u | paste -sd' ')
  local server
  server=$(psql -XAt <<<"$(sed 's/^EXECUTE/EXPLAIN (ANALYZE, COSTS OFF) EXECUTE/' <<<"$script")" |
           sed -n 's/^Execution Time: \(.*\) ms/\1/p')
  printf '%-22s rows %3s  console p50 %4s p95 %4s ms | psql p50 %4s p95 %4s ms | server %s ms | %s\n' \
    "$name" "$rows" "$(printf '%s\n' "${c[@]}" | pct 50)" "$(printf '%s\n' "${c[@]}" | pct 95)" \
    "$(printf '%s\n' "${p[@]}" | pct 50)" "$(printf '%s\n' "${p[@]}" | pct 95)" "$server" "$index"
}

echo "== first page (50 rows), $n runs each; wall time of the whole process"
case_run "comuna + year" --comuna "Ñuñoa" --from 2020-01-01 --to 2020-12-31
case_run "5 km radius" --near -33.45,-70.65 --radius 5
# A less dense area: the planner's estimate of the box decides whether it
# walks the date index (dense) or sorts every row of the circle.
case_run "5 km radius, Concepción" --near -36.82,-73.05 --radius 5
case_run "ROL prefix" --rol '0010*'
case_run "trigram name search" --text riquelme
case_run "keyset page (cursor)" --comuna Santiago --after-value "2015-06-01 00:00:00" --after-id 0

echo "== the radius page's plan with geom typed geometry(Point,4326) (in a transaction, rolled back)"
sql=$("$bin" search referenciales --near -33.45,-70.65 --radius 5 --sort monto --sql)
psql -XAt <<EOF2 | grep -E "Index|Execution Time"
BEGIN;
ALTER TABLE referenciales ALTER geom TYPE geometry(Point, 4326);
$(psql_script "$sql" | sed 's/^EXECUTE/EXPLAIN (ANALYZE, COSTS OFF) EXECUTE/')
ROLLBACK;
EOF2
