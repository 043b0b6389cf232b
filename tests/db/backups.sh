#!/usr/bin/env bash
# The backups report and `backup verify` over folders built here from a real
# pg_dump of the test cluster: whole, truncated, corrupt, not-a-dump,
# zero-byte, symbolic link and future-dated files, a missing folder and
# 10,000 files; exit codes, JSON keys and the policy a 7-night history meets;
# back up now followed by the restore test.
here=$(cd "$(dirname "$0")/.." && pwd)
. "$here/lib/tap.sh"
bin=${top_builddir:-.}/degux-console
eval "$("$here/lib/cluster.sh" start)" || bail_out "no test cluster"
work=$(mktemp -d)
export XDG_CONFIG_HOME=$work/config XDG_STATE_HOME=$work/state
trap 'rm -rf "$work"' EXIT
mkdir -p "$XDG_CONFIG_HOME/degux-console"
cfg=$XDG_CONFIG_HOME/degux-console/config

dump=$work/dump.sql.gz
pg_dump -d "$PGDATABASE" | gzip >"$dump" || bail_out "pg_dump failed"
now=$(date +%s)
# The name of the backup taken HOURS hours ago.
name_ago() { date -d "@$((now - $1 * 3600))" +degux_%Y%m%d_%H%M%S.sql.gz; }

# Seven nights, the newest an hour old, each a whole dump.
hist=$work/hist
mkdir -p "$hist"
for i in 0 1 2 3 4 5 6; do cp "$dump" "$hist/$(name_ago $((1 + 24 * i)))"; done

json=$("$bin" report backups --json --dir "$hist"); rc=$?
is "$rc" 1 "a 7-night history does not meet 7 daily, 4 weekly, 6 monthly: exit 1"
is "$(jq -r .policy_met.daily <<<"$json")" 7 "policy_met.daily is 7"
ok "$(jq -e '.policy_met.weekly < 4' <<<"$json" >/dev/null; echo $?)" "policy_met.weekly is under 4"
ok "$(jq -e '.policy_met.monthly < 6' <<<"$json" >/dev/null; echo $?)" "policy_met.monthly is under 6"
is "$(jq -r '[.findings[].code] | join(" ")' <<<"$json")" policy_not_met "the only finding is the policy"
is "$(jq -r '.files | length' <<<"$json")" 7 "seven files listed"
is "$(jq -r '[.files[].state] | unique | join(" ")' <<<"$json")" verified "every whole dump is verified"
is "$(jq -r '.files[0] | keys_unsorted[0:5] | join(" ")' <<<"$json")" "file time size state kept_by" "file keys: file time size state kept_by"
is "$(jq -r '.files[0].kept_by | type' <<<"$json")" array "kept_by is an array"
is "$(jq -r '.files[0].size' <<<"$json")" "$(stat -c %s "$dump")" "size is the file's size in bytes"
is "$(jq -r '.files[0].file' <<<"$json")" "$(name_ago 1)" "the newest file comes first"

# A policy the history meets: exit 0, no findings.
printf '[backups]\nkeep_daily = 7\nkeep_weekly = 1\nkeep_monthly = 1\n' >"$cfg"
"$bin" report backups --dir "$hist" >"$work/out"; rc=$?
is "$rc" 0 "7 daily, 1 weekly, 1 monthly is met: exit 0"
like "$(cat "$work/out")" "policy met:" "the text report shows the policy met"
# Three older nights: pruned by that policy, kept_by empty.
for i in 7 8 9; do cp "$dump" "$hist/$(name_ago $((1 + 24 * i)))"; done
json=$("$bin" report backups --json --dir "$hist")
is "$(jq -r '[.files[-3:][].kept_by | length] | join(" ")' <<<"$json")" "0 0 0" "the three oldest would be pruned: kept_by is empty"
is "$(jq -r '.files[0].kept_by | join(",")' <<<"$json")" "daily,weekly,monthly" "the newest is kept by every rule"

# Too old: the newest is 1 h old, the maximum age 1 h is fine; 3 h old is not.
mv "$hist/$(name_ago 1)" "$work/newest"
printf '[backups]\nkeep_daily = 1\nkeep_weekly = 0\nkeep_monthly = 0\nmax_age = 2h\n' >"$cfg"
json=$("$bin" report backups --json --dir "$hist"); rc=$?
is "$rc" 1 "newest backup 25 h old with max_age 2h: exit 1"
like "$(jq -r '[.findings[].code] | join(" ")' <<<"$json")" newest_too_old "finding newest_too_old"
mv "$work/newest" "$hist/$(name_ago 1)"
"$bin" report backups --dir "$hist" >/dev/null; rc=$?
is "$rc" 0 "with the 1 h old backup back: exit 0"

# Every kind of bad file, newest first: a truncated newest backup fails.
bad=$work/bad
mkdir -p "$bad"
cp "$dump" "$bad/$(name_ago 25)"
head -c $(($(stat -c %s "$dump") / 2)) "$dump" >"$bad/$(name_ago 2)"
python3 - "$dump" "$bad/$(name_ago 50)" <<'EOF'
import sys
d = bytearray(open(sys.argv[1], 'rb').read())
d[len(d) // 2] ^= 0xff
open(sys.argv[2], 'wb').write(d)
EOF
echo "not a dump" | gzip >"$bad/$(name_ago 74)"
: >"$bad/$(name_ago 98)"
ln -s "$(name_ago 25)" "$bad/latest.sql.gz"
cp "$dump" "$bad/degux_20991231_030000.sql.gz"
cp "$dump" "$bad/notes.txt.gz"
printf '[backups]\nkeep_daily = 1\nkeep_weekly = 0\nkeep_monthly = 0\n' >"$cfg"
json=$("$bin" report backups --json --dir "$bad"); rc=$?
is "$rc" 1 "a truncated newest backup: exit 1"
state() { jq -r --arg f "$1" '.files[] | select(.file == $f) | .state' <<<"$json"; }
detail() { jq -r --arg f "$1" '.files[] | select(.file == $f) | .detail' <<<"$json"; }
is "$(state "$(name_ago 2)")" partial "half a gzip file is partial"
is "$(detail "$(name_ago 2)")" truncated "in detail: truncated"
is "$(state "$(name_ago 25)")" verified "the whole one is verified"
is "$(state "$(name_ago 50)")" corrupt "a flipped byte is corrupt"
is "$(state "$(name_ago 74)")" corrupt "gzip of other text counts as corrupt"
is "$(detail "$(name_ago 74)")" not-dump "in detail: not a dump"
is "$(state "$(name_ago 98)")" empty "zero bytes is empty"
is "$(state latest.sql.gz)" verified "a link to a backup in the folder has its target's state"
is "$(jq -r '.files[] | select(.file == "latest.sql.gz") | .kind' <<<"$json")" symlink "and is shown as a link"
is "$(state degux_20991231_030000.sql.gz)" verified "the future-dated file is listed"
is "$(jq -r '.files[] | select(.file == "degux_20991231_030000.sql.gz") | .time_source' <<<"$json")" future "and marked as in the future"
is "$(jq -r '.files[] | select(.file == "notes.txt.gz") | .time_source' <<<"$json")" mtime "an unmatched name takes its time from the mtime"
codes=$(jq -r '[.findings[].code] | join(" ")' <<<"$json")
like "$codes" newest_corrupt "finding newest_corrupt"
like "$codes" future_dated "finding future_dated"
unlike "$codes" newest_too_old "the 25 h old whole backup is still recent enough"

# backup verify needs no database, and the cache makes a second run instant.
out=$(PGHOST=/nonexistent "$bin" backup verify --dir "$bad" --json); rc=$?
is "$rc" 1 "backup verify without a database: exit 1 for the same folder"
is "$(jq -r '.files | length' <<<"$out")" 8 "backup verify lists the 8 entries"
ls "$XDG_STATE_HOME"/degux-console/backup-verify.cache >/dev/null 2>&1
ok $? "verdicts are cached in the state folder"
"$bin" backup bogus >/dev/null 2>&1; rc=$?
is "$rc" 2 "an unknown backup command: exit 2"

# Back up now, then the restore test of that backup (write mode).
fresh=$work/fresh
mkdir -p "$fresh"
"$bin" backup now --dir "$fresh" >/dev/null 2>&1; rc=$?
is "$rc" 2 "backup now without --write: exit 2"
out=$("$bin" --write backup now --dir "$fresh" 2>&1); rc=$?
is "$rc" 0 "backup now: exit 0"
like "$out" "Backed up .* into $fresh/degux_[0-9]{8}_[0-9]{6}\.sql\.gz" "backup now names the new file"
is "$(ls "$fresh" | grep -c '\.sql\.gz$')" 1 "one backup written"
is "$(ls "$fresh" | grep -c partial)" 0 "no .partial file left"
is "$(stat -c %a "$fresh"/degux_*.sql.gz)" 600 "the backup is private (mode 0600)"
json=$("$bin" backup verify --dir "$fresh" --json)
is "$(jq -r '.files[0].state' <<<"$json")" verified "the new backup verifies as a whole pg_dump"
out=$("$bin" --write backup restore-test --dir "$fresh" 2>&1); rc=$?
is "$rc" 0 "restore test of the new backup: exit 0"
tables=$(psql -XAtc "select count(*) from pg_class c join pg_namespace n on n.oid = c.relnamespace where c.relkind = 'r' and n.nspname <> 'information_schema' and n.nspname !~ '^pg_'")
like "$out" "$tables tables compared, 0 differ; 0 SQL errors" "every table's row count matches the live database"
scratch() { psql -XAtc "select count(*) from pg_database where datname like 'degux_restore_test_%'"; }
is "$(scratch)" 0 "the scratch database was dropped"
out=$("$bin" --write backup restore-test --dir "$bad" "$bad/$(name_ago 2)" 2>&1); rc=$?
is "$rc" 1 "restore test of a truncated backup: exit 1"
like "$out" "differ" "and the differences are listed"
is "$(scratch)" 0 "no scratch database left after a failed restore test"
out=$("$bin" --write backup restore-test --dir "$bad" "$bad/$(name_ago 50)" 2>&1); rc=$?
is "$rc" 1 "restore test of a corrupt backup: exit 1"
is "$(scratch)" 0 "no scratch database left after a corrupt one"

# A missing folder and 10,000 files never stop the report.
out=$("$bin" report backups --dir "$work/nowhere" --json 2>&1); rc=$?
is "$rc" 1 "a missing folder: exit 1"
like "$(jq -r '.findings[0].message' <<<"$out")" "does not exist" "and says the folder does not exist"
many=$work/many
mkdir -p "$many"
(cd "$many" && n=0 &&
  for m in 01 02 03 04 05 06 07 08 09 10 11 12; do
    for d in $(seq -w 1 28); do
      for h in $(seq -w 0 23); do
        for mi in 00 30; do
          [ $n -lt 10000 ] || break 4
          : >"degux_2025${m}${d}_${h}${mi}00.sql.gz"
          n=$((n + 1))
        done
      done
    done
  done)
start=$(date +%s%N)
json=$("$bin" report backups --json --dir "$many"); rc=$?
ms=$((($(date +%s%N) - start) / 1000000))
is "$rc" 1 "10,000 empty files: exit 1 (nothing usable)"
is "$(jq -r '.files | length' <<<"$json")" 10000 "all 10,000 are listed"
is "$(jq -r '[.files[].state] | unique | join(" ")' <<<"$json")" empty "each as empty"
diag "report over 10,000 files: $ms ms"
done_testing
