#!/usr/bin/env bash
# Runs the whole suite in a configured build directory (default: build):
# unit, database, end-to-end, fuzzing and translation tests, then prints
# "tests: N passed, N failed" counted from every TAP result.
set -uo pipefail
builddir=${1:-build}
srcdir=$(cd "$(dirname "$0")/.." && pwd)
cd "$builddir" || exit 2
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$srcdir/tests/lsan.supp:print_suppressions=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

make -s -j"$(nproc)" check >make-check.out 2>&1
status=$?
tail -n 30 make-check.out

# Each failing test's log, so CI output says what broke.
grep -l -E '^(FAIL|ERROR)' tests/*/*.trs tests/*/*/*.trs 2>/dev/null |
  while read -r trs; do
    log=${trs%.trs}.log
    echo "---- ${log}"
    grep -E '^(not ok|Bail out|#)' "$log" | head -n 40
  done

top_builddir=$PWD "$srcdir/tests/lib/cluster.sh" stop >/dev/null 2>&1 || true

count() { sed -n "s/^# $1: *\([0-9]*\).*/\1/p" test-suite.log | head -n 1; }
if [ -f test-suite.log ]; then
  pass=$(count PASS); skip=$(count SKIP); xfail=$(count XFAIL)
  fail=$(count FAIL); xpass=$(count XPASS); err=$(count ERROR)
  failed=$(( ${fail:-0} + ${xpass:-0} + ${err:-0} ))
else
  pass=0; skip=0; failed=1
fi
# A build failure is a failure even when no test ran.
[ "$status" -ne 0 ] && [ "$failed" -eq 0 ] && failed=1
echo "tests: ${pass:-0} passed, ${failed} failed, ${skip:-0} skipped"
[ "$failed" -eq 0 ]
