#!/usr/bin/env bash
# Backups pane benchmark: exec to the first full screen of the backups pane
# over a folder of 10,000 backup files and over one of 10 (the difference is
# the scan, the policy and the list's paint), and the report over 10,000.
# Needs a database to connect to (PG* variables, or the test cluster when
# top_builddir is set). Prints numbers; never pass/fail.
#   tests/bench/backups.sh BUILDDIR
set -uo pipefail
builddir=${1:-build}
bin=$(cd "$builddir" && pwd)/degux-console
here=$(cd "$(dirname "$0")" && pwd)
if [ -z "${PGHOST:-}" ]; then
  eval "$(top_builddir=$(cd "$builddir" && pwd) "$here/../lib/cluster.sh" start)" ||
    { echo "no database"; exit 1; }
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export XDG_STATE_HOME=$work/state XDG_CONFIG_HOME=$work/config

# N empty backups named for consecutive half hours of 2025.
make_folder() {
  local dir=$1 want=$2 n=0 m d h mi
  mkdir -p "$dir"
  for m in 01 02 03 04 05 06 07 08 09 10 11 12; do
    for d in $(seq -w 1 28); do
      for h in $(seq -w 0 23); do
        for mi in 00 30; do
          [ $n -lt "$want" ] || return 0
          : >"$dir/degux_2025${m}${d}_${h}${mi}00.sql.gz"
          n=$((n + 1))
        done
      done
    done
  done
}
make_folder "$work/many" 10000
make_folder "$work/few" 10

for k in few many; do
  printf '#!/bin/sh\nexec env DEGUX_BENCH_EXIT_AFTER_DRAW=1 %s --pane backups --dir %s\n' \
    "$bin" "$work/$k" >"$work/$k.sh"
  chmod +x "$work/$k.sh"
done
mkdir -p "$XDG_CONFIG_HOME/degux-console"

echo "== exec to the first full screen of the backups pane (120x40)"
COLUMNS=120 LINES=40 hyperfine -N --warmup 3 --runs 30 \
  -n "10 files" "script -qec $work/few.sh /dev/null" \
  -n "10,000 files" "script -qec $work/many.sh /dev/null"

echo "== report backups --json over 10,000 files"
hyperfine -N --warmup 2 --runs 10 -i \
  "$bin report backups --json --dir $work/many"
