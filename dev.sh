#!/usr/bin/env bash
# Sets a fresh Debian 12 machine up for degux-console and builds it, then
#   ./dev.sh demo   opens the console on the embedded demo database;
#   ./dev.sh test   runs the whole test suite (what CI runs).
set -euo pipefail
cd "$(dirname "$0")"
top=$PWD

packages=(build-essential autoconf automake autopoint gettext pkg-config
  libncurses-dev libpq-dev libreadline-dev zlib1g-dev libinih-dev
  libjansson-dev libcmocka-dev postgresql-15 postgresql-15-postgis-3
  postgresql-client-15 tmux locales)
test_packages=(clang libclang-rt-14-dev groff-base jq hyperfine cppcheck)

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

install_missing() {
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
      missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "Installing: ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
    --no-install-recommends "${missing[@]}" >/dev/null
}

# The Spanish catalogue is tested under es_CL.UTF-8.
ensure_locale() {
  locale -a 2>/dev/null | grep -qi '^es_CL\.utf-\?8$' && return 0
  as_root localedef -i es_CL -f UTF-8 es_CL.UTF-8 2>/dev/null ||
    echo "note: could not create the es_CL.UTF-8 locale" >&2
}

build() {
  local flags=("$@")
  if [ ! -x configure ] || [ configure.ac -nt configure ] ||
     [ Makefile.am -nt configure ]; then
    ./autogen.sh >/dev/null 2>&1 || { ./autogen.sh; exit 1; }
  fi
  mkdir -p build
  cd build
  local want="${flags[*]}"
  if [ ! -f Makefile ] || [ "$(cat .configured-with 2>/dev/null)" != "$want" ]; then
    ../configure -q "${flags[@]}"
    echo "$want" > .configured-with
  fi
  make -s -j"$(nproc)"
  cd "$top"
}

case "${1:-}" in
  demo)
    install_missing "${packages[@]}"
    build
    shift
    exec build/degux-console --demo "$@"
    ;;
  test)
    install_missing "${packages[@]}" "${test_packages[@]}"
    ensure_locale
    build --enable-werror --enable-sanitizers
    exec tests/run.sh build
    ;;
  *)
    echo "usage: $0 demo|test" >&2
    exit 2
    ;;
esac
