#!/bin/sh
# libFuzzer: builds every tests/fuzz/fuzz_*.c from the sources named on its
# first line ("/* fuzz-sources: src/a.c src/b.c */") with ASan and UBSan,
# then runs each for FUZZ_SECONDS (default 10; 0 runs the seed corpus only)
# on its seeds in tests/fuzz/corpus/NAME/. One TAP point per harness: ok
# when it found no crash, leak, time-out or undefined behaviour.
srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
builddir=${top_builddir:-$PWD}
seconds=${FUZZ_SECONDS:-10}
cc=${FUZZ_CC:-clang}
out=$builddir/tests/fuzz
pkgs="libpq inih jansson zlib"

skip_all() { echo "1..0 # SKIP $1"; exit 0; }

set -- "$srcdir"/tests/fuzz/fuzz_*.c
[ -f "$1" ] || skip_all "no harnesses in $srcdir/tests/fuzz"
command -v "$cc" >/dev/null 2>&1 || skip_all "$cc not found"
[ -f "$builddir/autoconfig.h" ] || skip_all "no autoconfig.h in $builddir"
mkdir -p "$out" || exit 1
probe=$out/.probe
printf 'int LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n)%s\n' \
  '{ (void)d; (void)n; return 0; }' >"$probe.c"
"$cc" -fsanitize=fuzzer "$probe.c" -o "$probe" >/dev/null 2>&1 ||
  skip_all "$cc cannot link libFuzzer (install libclang-rt-14-dev)"
rm -f "$probe" "$probe.c"

cflags="-g -O1 -std=gnu11 -fsanitize=fuzzer,address,undefined
  -fno-sanitize-recover=undefined -I$srcdir/src -I$builddir
  $(pkg-config --cflags $pkgs 2>/dev/null)"
libs="$(pkg-config --libs $pkgs 2>/dev/null) -lm"
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}

n=0

echo "1..$#"

report() {  # status, text, log to quote on failure
  n=$((n + 1))
  if [ "$1" = 0 ]; then
    echo "ok $n - $2"
  else
    echo "not ok $n - $2"

    [ -f "$3" ] && tail -n 25 "$3" | sed 's/^/# /'
  fi
}

# The seed directory of a harness: corpus/NAME or corpus/fuzz_NAME.
seeds_of() {
  for d in "$srcdir/tests/fuzz/corpus/${1#fuzz_}" "$srcdir/tests/fuzz/corpus/$1"; do
    [ -d "$d" ] && { echo "$d"; return; }
  done
}

build() {  # harness.c name
  sources=$(sed -n '1s|^/\* *fuzz-sources: *\(.*[^ ]\) *\*/ *$|\1|p' "$1")
  if [ -z "$sources" ]; then
    echo "$1: the first line must be /* fuzz-sources: FILE... */" >"$out/$2.build.log"
    return 1
  fi
  paths=
  for s in $sources; do paths="$paths $srcdir/$s"; done
  # shellcheck disable=SC2086
  "$cc" $cflags "$1" $paths $libs -o "$out/$2" >"$out/$2.build.log" 2>&1
}

run() {  # name
  work=$out/corpus/$1
  mkdir -p "$work"
  if [ "$seconds" -gt 0 ] 2>/dev/null; then
    limit="-max_total_time=$seconds"
  else
    limit="-runs=0"
  fi
  # New inputs go to the first directory, kept in the build tree.
  "$out/$1" "$limit" -max_len=4096 -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="$out/$1-" \
    "$work" $(seeds_of "$1") >"$out/$1.log" 2>&1
}

for c in "$@"; do
  name=$(basename "$c" .c)
  if ! build "$c" "$name"; then
    report 1 "$name: build failed" "$out/$name.build.log"
    continue
  fi
  run "$name"
  status=$?
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$out/$name.log" | tail -n 1)
  if [ "$status" = 0 ]; then
    report 0 "$name: ${runs:-0} inputs in ${seconds}s, no crash"
  else
    report 1 "$name: failed (reproducer: $out/$name-*, log: $out/$name.log)" "$out/$name.log"
  fi
done
exit 0
