#!/usr/bin/env bash
# Backup verification speed against gzip -t on the same file: a realistic
# gzip'd pg_dump of about SIZE_MB (default 1024) compressed megabytes is
# generated in TMPDIR, read once into the page cache, then timed with
# `gzip -t` and with the console's verifier (in 16 MiB slices, as the pane
# runs it). Prints both throughputs and their ratio (target: at least
# 0.80); never pass/fail. The file is deleted at the end.
#   tests/bench/verify.sh [BUILDDIR] [SIZE_MB]
set -uo pipefail
builddir=$(cd "${1:-build}" && pwd) || exit 2
size_mb=${2:-${SIZE_MB:-1024}}
srcdir=$(cd "$(dirname "$0")/../.." && pwd)
cc=${CC:-cc}
work=$(mktemp -d "${TMPDIR:-/tmp}/verify-bench.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT

for lib in libcore.a libdomain.a; do
  [ -f "$builddir/$lib" ] || { echo "no $lib in $builddir: build first"; exit 2; }
done

# Rows shaped like referenciales (ids, coordinates, Chilean names, ROL,
# amounts), so the data compresses about as well as a real dump does.
cat >"$work/gen.c" <<'EOF'
#include <stdio.h>
#include <stdlib.h>
static unsigned long long s = 88172645463325252ull;
static unsigned long long rnd(void) { s ^= s << 13; s ^= s >> 7; s ^= s << 17; return s; }
static const char *names[] = { "González", "Muñoz", "Rojas", "Díaz", "Pérez",
  "Soto", "Contreras", "Silva", "Martínez", "Sepúlveda", "Morales", "Rodríguez",
  "López", "Fuentes", "Hernández", "Torres", "Araya", "Flores", "Espinoza",
  "Valenzuela", "Castillo", "Tapia", "Reyes", "Gutiérrez", "Castro", "Pizarro" };
static const char *given[] = { "María", "José", "Juan", "Luis", "Ana", "Carlos",
  "Francisca", "Camila", "Pedro", "Javiera", "Diego", "Valentina", "Jorge" };
static const char *comunas[] = { "Santiago", "Ñuñoa", "Providencia", "Las Condes",
  "Peñalolén", "La Florida", "Maipú", "Puente Alto", "Valparaíso", "Viña del Mar",
  "Concepción", "Temuco", "Antofagasta", "La Serena", "Rancagua", "Talca" };
#define PICK(a) a[rnd() % (sizeof a / sizeof a[0])]
int main(int argc, char **argv) {
  (void)argc;
  unsigned long long target = strtoull(argv[1], NULL, 10), n = 0, id = 1;
  static char buf[1 << 16];
  setvbuf(stdout, buf, _IOFBF, sizeof buf);
  n += printf("--\n-- PostgreSQL database dump\n--\n\n-- Dumped from database version 15.18\n\n"
              "SET statement_timeout = 0;\nSET client_encoding = 'UTF8';\n\n");
  while (n < target) {
    n += printf("COPY public.referenciales (id, lat, lng, fojas, numero, anio, cbr, comprador, "
                "vendedor, predio, comuna, rol, fechaescritura, superficie, monto, observaciones, "
                "\"userId\", \"conservadorId\", \"createdAt\", \"updatedAt\") FROM stdin;\n");
    for (int i = 0; i < 100000 && n < target; i++, id++) {
      unsigned long long r = rnd();
      n += printf("cm%010llx%06llu\t-33.%06llu\t-70.%06llu\t%llu\t%llu\t%llu\tCBR %s\t%s %s %s\t"
                  "%s %s %s\tLote %llu manzana %llu\t%s\t%05llu-%04llu\t20%02llu-%02llu-%02llu 00:00:00\t"
                  "%llu.%02llu\t%llu\t%s\t%s\tcbr%03llu\t2024-%02llu-%02llu 12:%02llu:%02llu.%03llu\t"
                  "2024-%02llu-%02llu 12:%02llu:%02llu.%03llu\n",
                  id * 7919, r % 1000000, r % 999983, (r >> 20) % 999983, r % 9000 + 1,
                  (r >> 8) % 5000 + 1, 2000 + (r >> 12) % 25, PICK(comunas), PICK(given),
                  PICK(names), PICK(names), PICK(given), PICK(names), PICK(names),
                  (r >> 16) % 300, (r >> 24) % 90, PICK(comunas), (r >> 3) % 100000,
                  (r >> 5) % 10000, (r >> 7) % 25, (r >> 9) % 12 + 1, (r >> 11) % 28 + 1,
                  (r >> 13) % 2000 + 40, (r >> 15) % 100, ((r >> 17) % 9000 + 100) * 100000,
                  r % 7 ? "\\N" : "revisar fojas", r % 3 ? "\\N" : "user_admin_01",
                  (r >> 19) % 30, (r >> 21) % 12 + 1, (r >> 23) % 28 + 1, (r >> 25) % 60,
                  (r >> 27) % 60, (r >> 29) % 1000, (r >> 31) % 12 + 1, (r >> 33) % 28 + 1,
                  (r >> 35) % 60, (r >> 37) % 60, (r >> 39) % 1000);
    }
    n += printf("\\.\n\n\n");
  }
  printf("--\n-- PostgreSQL database dump complete\n--\n\n");
  return 0;
}
EOF

cat >"$work/verify.c" <<'EOF'
#include "autoconfig.h"
#include <stdio.h>
#include "core/backupverify.h"
int main(int argc, char **argv) {
  struct backupverify *v = backupverify_open(argv[1]);
  while (!backupverify_step(v, 16u << 20))
    ;
  const struct backupverify_result *r = backupverify_result(v);
  int ok = r->state == BACKUPVERIFY_VERIFIED;
  fprintf(stderr, "%s: %s, %llu text bytes\n", argv[1],
          backupverify_state_name(r->state), (unsigned long long)r->text_bytes);
  backupverify_close(v);
  return !ok;
}
EOF

"$cc" -O2 -o "$work/gen" "$work/gen.c" || exit 2
# shellcheck disable=SC2046
"$cc" -O2 -std=gnu11 -I"$srcdir/src" -I"$builddir" -o "$work/verify" "$work/verify.c" \
  "$builddir/libcore.a" "$builddir/libdomain.a" "$builddir/libcore.a" \
  $(pkg-config --libs zlib) || exit 2

# Calibrate the compression ratio on 64 MB, then write the real file.
"$work/gen" $((64 << 20)) | gzip -6 >"$work/calib.gz"
calib=$(stat -c %s "$work/calib.gz")
text=$(( (size_mb << 20) * (64 << 20) / calib ))
echo "generating ~${size_mb} MB of gzip (ratio $(awk "BEGIN{printf \"%.1f\", $((64 << 20))/$calib}"):1, $((text >> 20)) MB of text) ..."
rm -f "$work/calib.gz"
file=$work/degux_20250314_030000.sql.gz
"$work/gen" "$text" | gzip -6 >"$file" || exit 2
bytes=$(stat -c %s "$file")
echo "file: $file, $((bytes >> 20)) MB"
cat "$file" >/dev/null   # both read from the page cache

seconds() {  # command...: best of 3 wall-clock runs
  best=
  for _ in 1 2 3; do
    t0=$(date +%s.%N)
    "$@" >/dev/null 2>"$work/err" || { cat "$work/err"; echo "failed: $*"; exit 1; }
    t1=$(date +%s.%N)
    best=$(awk -v a="$t0" -v b="$t1" -v best="$best" \
      'BEGIN { t = b - a; if (best == "" || t < best) best = t; printf "%.3f", best }')
  done
  echo "$best"
}

g=$(seconds gzip -t "$file")
v=$(seconds "$work/verify" "$file")
awk -v g="$g" -v v="$v" -v b="$bytes" 'BEGIN {
  mb = b / 1048576
  printf "gzip -t:        %7.3f s  %7.1f MB/s\n", g, mb / g
  printf "backupverify:   %7.3f s  %7.1f MB/s\n", v, mb / v
  r = g / v
  printf "ratio (verify speed / gzip -t speed): %.2f, target >= 0.80: %s\n", r,
         (r >= 0.8 ? "met" : "NOT met")
}'
