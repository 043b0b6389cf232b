#!/usr/bin/env bash
# make bench: the console against the demo cluster on its Unix socket, side
# by side with psql in the same run. Prints numbers; never pass/fail.
#   1. start to first full screen (hyperfine, both under script(1) for a tty)
#   2. a 2,000,000-row result scrolled end to end: peak resident memory
#   3. a full grid redraw (the grid unit test's measurement)
set -uo pipefail
builddir=${1:-build}
bin=$(cd "$builddir" && pwd)/degux-console
export XDG_STATE_HOME=${XDG_STATE_HOME:-$HOME/.local/state}
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/tmux.sh"

ci=$("$bin" --demo --print-conninfo) || { echo "cannot start the demo"; exit 1; }
echo "demo: $ci"

echo "== 1. start to first full screen (80x24)"
# Each side runs under script(1) for a terminal; "script true" is the
# overhead both share.
tmpd=$(mktemp -d)
printf '#!/bin/sh\nexec env DEGUX_BENCH_EXIT_AFTER_DRAW=1 %s --demo --pane sql\n' "$bin" >"$tmpd/console"
printf '#!/bin/sh\nexec psql -X -P pager=off -d "%s" -c "select 1"\n' "$ci" >"$tmpd/psql"
chmod +x "$tmpd/console" "$tmpd/psql"
if command -v hyperfine >/dev/null; then
  COLUMNS=80 LINES=24 hyperfine -N --warmup 3 --runs 40 \
    -n "script overhead" "script -qec true /dev/null" \
    -n "degux-console, first full screen" "script -qec $tmpd/console /dev/null" \
    -n "psql -c 'select 1'" "script -qec $tmpd/psql /dev/null"
else
  echo "hyperfine is not installed (apt-get install hyperfine)"
fi
rm -rf "$tmpd"

echo "== 2. 2,000,000 rows scrolled end to end"
q="select g, md5(g::text) as h from generate_series(1,2000000) g"
e2e_start 120 40 "$bin" --demo --pane sql
e2e_wait "=>" 10 >/dev/null
e2e_type ":sql $q"; e2e_keys Enter
e2e_wait "row 1 " 30 >/dev/null
pid=$(tmx display -p -t "$E2E_SESSION" '#{pane_pid}')
e2e_keys Escape
# The total is counted in the background (MOVE FORWARD ALL).
e2e_wait "2000000 rows" 60 >/dev/null
start=$(date +%s.%N)
for i in $(seq 1 200); do e2e_keys NPage; done
e2e_keys G
e2e_wait "row 2000000 " 30 >/dev/null
e2e_keys g
e2e_wait "row 1 " 30 >/dev/null
end=$(date +%s.%N)
hwm=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status")
rss=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")
echo "degux-console: peak RSS $((hwm / 1024)) MB, now $((rss / 1024)) MB; 200 pages + end + start in $(echo "$end - $start" | bc) s"
e2e_keys : q Enter
e2e_stop
psql_kb=$( { /usr/bin/time -f %M psql -X -q "$ci" -c "$q" >/dev/null; } 2>&1 | tail -n 1)
echo "psql (holds every row): peak RSS $((psql_kb / 1024)) MB"

echo "== 3. full grid redraw"
if [ -x "$builddir/tests/unit/grid_test" ]; then
  "$builddir/tests/unit/grid_test" 2>&1 | grep -i 'redraw' || true
fi
