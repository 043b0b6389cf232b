# TAP helpers for shell tests; source this file.
#   plan N                  announce N checks (or call done_testing at the end)
#   ok STATUS DESC          passes when STATUS is 0:  [ -s f ]; ok $? "f has data"
#   is GOT WANT DESC        string equality, showing both on failure
#   isnt GOT UNWANTED DESC
#   like GOT ERE DESC       GOT matches the extended regular expression
#   unlike GOT ERE DESC
#   skip REASON             one check counted as skipped
#   diag TEXT...            a "# " comment line
#   skip_all REASON         the whole script is skipped (exits 0)
#   bail_out REASON         stop: the harness reports an error (exits 1)
#   done_testing            prints the plan if none was given; exits non-zero
#                           when a check failed or the count is off
# ("done" is a shell keyword, hence done_testing.)

_tap_n=0
_tap_failed=0
_tap_planned=

plan() {
  _tap_planned=$1
  echo "1..$1"
}

diag() {
  local line
  printf '%s\n' "$*" | while IFS= read -r line; do echo "# $line"; done
}

_tap_result() {
  _tap_n=$((_tap_n + 1))
  if [ "$1" = 0 ]; then
    echo "ok $_tap_n - $2"
  else
    echo "not ok $_tap_n - $2"
    _tap_failed=$((_tap_failed + 1))
  fi
}

ok() {
  local status=$1
  shift
  _tap_result "$status" "$*"
}

is() {
  if [ "$1" = "$2" ]; then
    _tap_result 0 "$3"
  else
    _tap_result 1 "$3"
    diag "     got: '$1'" "expected: '$2'"
  fi
}

isnt() {
  if [ "$1" != "$2" ]; then
    _tap_result 0 "$3"
  else
    _tap_result 1 "$3"
    diag "     got: '$1'" "expected anything else"
  fi
}

like() {
  if printf '%s' "$1" | grep -Eq -- "$2"; then
    _tap_result 0 "$3"
  else
    _tap_result 1 "$3"
    diag "     got: '$1'" "expected to match: /$2/"
  fi
}

unlike() {
  if printf '%s' "$1" | grep -Eq -- "$2"; then
    _tap_result 1 "$3"
    diag "     got: '$1'" "expected not to match: /$2/"
  else
    _tap_result 0 "$3"
  fi
}

skip() {
  _tap_n=$((_tap_n + 1))
  echo "ok $_tap_n # SKIP $*"
}

skip_all() {
  echo "1..0 # SKIP $*"
  exit 0
}

bail_out() {
  echo "Bail out! $*"
  exit 1
}

done_testing() {
  [ -n "$_tap_planned" ] || echo "1..$_tap_n"
  if [ -n "$_tap_planned" ] && [ "$_tap_planned" != "$_tap_n" ]; then
    diag "planned $_tap_planned checks but ran $_tap_n"
    exit 1
  fi
  [ "$_tap_failed" = 0 ] || diag "$_tap_failed of $_tap_n checks failed"
  [ "$_tap_failed" = 0 ]
  exit $?
}
