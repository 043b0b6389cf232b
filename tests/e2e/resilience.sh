#!/usr/bin/env bash
# The console when things go wrong or differ: the server drops the session,
# NO_COLOR, copying through OSC 52, a bad connection string on a terminal.
. "$(cd "$(dirname "$0")/.." && pwd)/lib/e2e.sh"

# 1. The server terminates the console's session.
e2e_start 100 30 "$bin" --pane sql
e2e_wait "degux=>" 10
psql -XAtq -c "select pg_terminate_backend(pid) from pg_stat_activity
               where application_name = 'degux-console'" >/dev/null
e2e_type "select 'back' || 'again' as t;"; e2e_keys Enter
e2e_wait "backagain" 15; ok $? "after the server dropped the session, the console reconnects and runs the statement"
e2e_wait_gone "CONNECTION LOST" 5; ok $? "and the status bar no longer says the connection is lost"

# Mouse: a click (X10 encoding, as tmux-256color's kmous) selects that row.
e2e_type "select g from generate_series(1, 50) g;"; e2e_keys Enter
e2e_wait "50 rows" 10
click=$(printf '\033[M %s%s\033[M#%s%s' "$(printf "\\$(printf %o $((33 + 5)))")" \
  "$(printf "\\$(printf %o $((33 + 6)))")" "$(printf "\\$(printf %o $((33 + 5)))")" \
  "$(printf "\\$(printf %o $((33 + 6)))")")
tmx send-keys -t "$E2E_SESSION" -l "$click"
e2e_wait "50 rows · row 5 " 5; ok $? "a mouse click selects the row under the pointer"

# 2. y copies the cell with OSC 52; tmux keeps it as a paste buffer.
e2e_type ":q"; e2e_keys Enter
e2e_wait_exit 5
e2e_stop
# Outside tmux's own $TMUX the console sends plain OSC 52, which tmux keeps.
e2e_start 100 30 env -u TMUX "$bin" --pane sql
tmx set-option -s set-clipboard on
e2e_wait "degux=>" 10
e2e_type "select 'copy-me-Ñuñoa' as c;"; e2e_keys Enter
e2e_wait "1 row" 10
e2e_keys Escape y
e2e_wait "clipboard" 5
is "$(tmx show-buffer 2>/dev/null)" "copy-me-Ñuñoa" "y copies the cell through OSC 52"
e2e_keys i
e2e_type ":q"; e2e_keys Enter
e2e_wait_exit 5; ok $? "quits"
e2e_stop

# 3. NO_COLOR: attributes only, no colour.
NO_COLOR=1 e2e_start 100 30 "$bin" --pane sql
e2e_wait "degux=>" 10
colours=$(tmx capture-pane -p -e -t "$E2E_SESSION" | grep -cE $'\e\\[[0-9;]*(3[0-7]|4[0-7]|38;|48;)' )
is "$colours" 0 "NO_COLOR: no colour escapes on the screen"
like "$(e2e_screen)" "READ-ONLY" "and the badge is still shown"
e2e_keys C-c
e2e_type ":q"; e2e_keys Enter
e2e_wait_exit 5
e2e_stop

# 4. A bad connection string on a terminal: a message, the terminal intact.
# The exit status is written by a wrapper: tmux's pane_dead_status can lag.
e2e_start 100 30 sh -c '"$0" "$1"; echo $? >"$2"' "$bin" "host=$work/none port=1" "$work/status"
e2e_wait_exit 10; ok $? "a bad connection string ends the program"
is "$(cat "$work/status" 2>/dev/null)" 2 "with exit status 2"
like "$(tmx capture-pane -p -J -S -100 -t "$E2E_SESSION")" "degux-console: .*none" "the reason is printed"
is "$(tmx display -p -t "$E2E_SESSION" '#{alternate_on}')" 0 "the terminal is left in its normal screen"

done_testing
