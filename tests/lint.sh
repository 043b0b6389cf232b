#!/usr/bin/env bash
# Static analysis: cppcheck finds nothing to warn about in src/ (warnings,
# portability and performance; style is left to review).
src=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
build=$(cd "${top_builddir:-.}" && pwd)
echo "1..1"
if ! command -v cppcheck >/dev/null; then
  echo "ok 1 # SKIP cppcheck is not installed (apt-get install cppcheck)"
  exit 0
fi
out=$(cd "$src" && cppcheck --quiet --std=c11 --inline-suppr \
  --enable=warning,portability,performance --error-exitcode=1 \
  --suppress=missingIncludeSystem -I src -I "$build" src 2>&1)
rc=$?
files=$(find "$src/src" -name '*.c' | wc -l)
if [ "$rc" = 0 ]; then
  echo "ok 1 - cppcheck: nothing in $files source files"
else
  echo "not ok 1 - cppcheck reports problems"
  printf '%s\n' "$out" | head -n 40 | sed 's/^/# /'
fi
