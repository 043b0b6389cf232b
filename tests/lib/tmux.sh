# End-to-end driving of the real binary in a private tmux server: start it at
# a fixed size, send keys, read the screen with capture-pane and wait for
# text with a time-out. Source it from a TAP test script.

E2E_SOCK=${E2E_SOCK:-$(mktemp -u /tmp/degux-e2e.XXXXXX)}
E2E_SESSION=e2e

E2E_CONF=${E2E_CONF:-$(mktemp /tmp/degux-e2e-conf.XXXXXX)}
# remain-on-exit from the start, so a program that ends at once still leaves
# its exit status; no escape-time, so Esc is Esc.
printf 'set -g remain-on-exit on\nset -s escape-time 0\n' >"$E2E_CONF"

tmx() { tmux -S "$E2E_SOCK" -f "$E2E_CONF" "$@"; }

# e2e_start COLS ROWS COMMAND... : runs COMMAND in a new session.
e2e_start() {
  local cols=$1 rows=$2
  shift 2
  tmx new-session -d -s "$E2E_SESSION" -x "$cols" -y "$rows" \
    -e LANG="${E2E_LANG:-C.UTF-8}" -e LC_ALL= -e TERM=tmux-256color \
    -e XDG_STATE_HOME="${XDG_STATE_HOME:-}" \
    -e XDG_CONFIG_HOME="${XDG_CONFIG_HOME:-}" \
    -e NO_COLOR="${NO_COLOR:-}" \
    -e PGHOST="${PGHOST:-}" -e PGPORT="${PGPORT:-}" \
    -e PGDATABASE="${PGDATABASE:-}" -e PGUSER="${PGUSER:-}" \
    -e DEGUX_DATADIR="${DEGUX_DATADIR:-}" -e DEGUX_LOCALEDIR="${DEGUX_LOCALEDIR:-}" \
    "$@"
}

e2e_screen() { tmx capture-pane -p -t "$E2E_SESSION"; }

# e2e_keys KEY...: tmux key names (Enter, Escape, C-c, F2, Up …).
e2e_keys() { tmx send-keys -t "$E2E_SESSION" "$@"; }

# e2e_type TEXT: literal text; a ';' at the end of an argument would end the
# tmux command, so it is escaped.
e2e_type() {
  local text=$1
  text=${text//;/\\;}
  tmx send-keys -t "$E2E_SESSION" -l "$text"
}

# e2e_wait TEXT [SECONDS]: true once TEXT (a fixed string) is on screen.
e2e_wait() {
  local text=$1 limit=${2:-10} i
  for ((i = 0; i < limit * 20; i++)); do
    e2e_screen | grep -qF -- "$text" && return 0
    sleep 0.05
  done
  echo "# timed out waiting for: $text" >&2
  e2e_screen | sed 's/^/#   | /' >&2
  return 1
}

# e2e_wait_gone TEXT [SECONDS]
e2e_wait_gone() {
  local text=$1 limit=${2:-10} i
  for ((i = 0; i < limit * 20; i++)); do
    e2e_screen | grep -qF -- "$text" || return 0
    sleep 0.05
  done
  return 1
}

e2e_dead() { [ "$(tmx display -p -t "$E2E_SESSION" '#{pane_dead}')" = 1 ]; }
# The status can lag a moment behind pane_dead: ask again until it is set.
e2e_exit_status() {
  local st i
  for ((i = 0; i < 40; i++)); do
    st=$(tmx display -p -t "$E2E_SESSION" '#{pane_dead_status}')
    [ -n "$st" ] && break
    sleep 0.05
  done
  echo "$st"
}

# e2e_wait_exit [SECONDS]: true once the program has ended.
e2e_wait_exit() {
  local limit=${1:-10} i
  for ((i = 0; i < limit * 20; i++)); do
    e2e_dead && return 0
    sleep 0.05
  done
  return 1
}

e2e_resize() { tmx resize-window -t "$E2E_SESSION" -x "$1" -y "$2"; }

e2e_stop() { tmx kill-server 2>/dev/null; rm -f "$E2E_SOCK"; }
e2e_cleanup() { e2e_stop; rm -f "$E2E_CONF"; }
