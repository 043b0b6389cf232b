#!/usr/bin/env bash
# The backups pane in tmux: the list shows each file's state, verification
# progresses while the keys keep working, the log's tail is shown with its
# errors, and a second start finds every verdict in the cache.
. "$(cd "$(dirname "$0")/.." && pwd)/lib/e2e.sh"

# The console under sh, which writes its exit status to a file: tmux's
# pane_dead_status is sometimes empty for a pane that just ended.
console() {
  rm -f "$work/status"
  e2e_start 120 40 sh -c '"$0" "$@"; echo $? >"'"$work"'/status"' "$bin" "$@"
}
exit_status() {
  local i
  for ((i = 0; i < 40; i++)); do
    [ -s "$work/status" ] && break
    sleep 0.05
  done
  cat "$work/status" 2>/dev/null
}

dir=$work/backups
mkdir -p "$dir" "$XDG_CONFIG_HOME/degux-console"
pg_dump -d "$PGDATABASE" | gzip >"$work/dump.gz" || bail_out "pg_dump failed"
now=$(date +%s)
name_ago() { date -d "@$((now - $1 * 3600))" +degux_%Y%m%d_%H%M%S.sql.gz; }
# 120 nights of whole dumps (hard links: one copy on disk, 120 files to
# verify, several seconds of work), then a truncated and an empty one.
for i in $(seq 0 119); do ln "$work/dump.gz" "$dir/$(name_ago $((1 + 24 * i)))"; done
head -c 100000 "$work/dump.gz" >"$dir/$(name_ago $((1 + 24 * 120)))"
: >"$dir/$(name_ago $((1 + 24 * 121)))"
log=$work/nexus-backup.log
printf '2026-01-01 03:00:00 INFO  starting backup of degux\n2026-01-01 03:00:01 ERROR pg_dump exited with status 1; no backup written\n2026-01-02 03:00:04 INFO  wrote /backups/x (5.6 MB)\n' >"$log"
printf '[backups]\ndir = %s\nlog = %s\n' "$dir" "$log" >"$XDG_CONFIG_HOME/degux-console/config"

console --pane backups
e2e_wait "6 Backups" 10; ok $? "starts on the backups pane"
e2e_wait "verifying" 10; ok $? "verification progress is shown"
screen=$(e2e_screen)
like "$screen" "verifying [0-9]+ of 121 files \([0-9]+%\)" "progress counts the 121 files to verify and percent"
like "$screen" "$(name_ago 1)" "the newest backup is listed"
like "$screen" "Policy stated: 7 daily, 4 weekly, 6 monthly" "the stated policy is shown"
like "$screen" "ERROR pg_dump exited with status 1" "the log's tail is shown"
like "$screen" "Log $log" "under the log's path"
start=$(date +%s%N)
e2e_keys : p a n e Space s q l Enter
e2e_wait "=>" 5; ok $? "keys work while verification runs (switched to SQL)"
diag "switched panes in $((($(date +%s%N) - start) / 1000000)) ms during verification"
e2e_keys F7
e2e_wait "Policy stated" 5
like "$(e2e_screen)" "verifying [0-9]+ of 121" "and verification was still running then"
# The header counts honestly: the truncated and the empty file fail.
e2e_wait "122 files · 120 verified · 2 failing" 60; ok $? "verification finishes: 120 verified, 2 failing"
e2e_keys G
e2e_wait "partial: truncated" 5; ok $? "the truncated file is shown as partial: truncated"
screen=$(e2e_screen)
like "$screen" "empty" "the zero-byte file is shown as empty"
like "$screen" "verified" "whole dumps are shown as verified"
like "$screen" "would be pruned" "files the policy prunes say so"
like "$screen" "oldest restorable: [0-9-]+ [0-9:]+" "the oldest restorable point is shown"
like "$screen" "WAL archiving off" "the server's WAL archiving state is shown"
e2e_keys q
e2e_wait_exit 5; ok $? "q quits"
is "$(exit_status)" 0 "with exit status 0"
e2e_stop

start=$(date +%s%N)
console --pane backups
e2e_wait "120 verified · 2 failing" 5; ok $? "a second start takes every verdict from the cache"
diag "second start to all verdicts: $((($(date +%s%N) - start) / 1000000)) ms"
e2e_keys q
e2e_wait_exit 5
e2e_stop

# Write mode: back up now, cancel one, restore test, cancel one.
scratch() { psql -XAtc "select count(*) from pg_database where datname like 'degux_restore_test_%'"; }
fresh=$work/fresh
mkdir -p "$fresh"
printf '[backups]\ndir = %s\nlog = %s\n' "$fresh" "$log" >"$XDG_CONFIG_HOME/degux-console/config"
console --pane backups
e2e_wait "Policy stated" 10
e2e_keys B
e2e_wait "needs write mode" 5; ok $? "back up now is refused in read-only mode"
e2e_stop
console --write --pane backups
e2e_wait "Policy stated" 10
e2e_keys B
e2e_wait "Back up now with pg_dump into $fresh?" 5; ok $? "back up now asks first"
e2e_keys y
e2e_wait "Backed up" 20; ok $? "back up now writes a backup"
e2e_wait "1 file · 1 verified" 20; ok $? "and the new backup is verified"
e2e_keys B y
e2e_wait "Backing up" 5
e2e_keys x
e2e_wait "cancelled" 10; ok $? "x cancels a backup in progress"
is "$(ls "$fresh" | grep -c partial)" 0 "the cancelled backup left no .partial file"
is "$(ls "$fresh" | wc -l)" 1 "only the finished backup is in the folder"
e2e_keys T
e2e_wait "Restore degux_" 5; ok $? "restore test asks first"
e2e_keys y
e2e_wait "tables compared, 0 differ" 30; ok $? "the restore test compares every table: none differ"
is "$(scratch)" 0 "the scratch database was dropped"
e2e_keys T y
e2e_wait "Restore test:" 5
sleep 0.5
e2e_keys x
e2e_wait "cancelled" 15; ok $? "x cancels a restore test"
sleep 0.5
is "$(scratch)" 0 "the cancelled restore test left no scratch database"
# Quitting in the middle of a restore test drops the scratch database too.
e2e_keys T y
e2e_wait "Restore test:" 5
sleep 0.5
e2e_keys q
e2e_wait_exit 15; ok $? "q quits during a restore test"
is "$(exit_status)" 0 "with exit status 0"
is "$(scratch)" 0 "and leaves no scratch database"
done_testing
