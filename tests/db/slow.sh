#!/usr/bin/env bash
# The slow pane's model through its reports, against the test cluster: a
# planted slow statement is over the threshold and a fast one is not; --now
# shows only what ran between two snapshots; a session blocked on a lock is
# listed under its blocker; a role without pg_read_all_stats and a database
# without the extension get the guidance instead of an error.
here=$(cd "$(dirname "$0")/.." && pwd)
. "$here/lib/tap.sh"
bin=${top_builddir:-.}/degux-console
eval "$("$here/lib/cluster.sh" start)" || bail_out "no test cluster"
work=$(mktemp -d)
export XDG_CONFIG_HOME=$work/config XDG_STATE_HOME=$work/state
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
    wait 2>/dev/null
    psql -XqAt -c "DROP ROLE IF EXISTS slow_nobody" \
        -c "DROP TABLE IF EXISTS slow_lock_t" >/dev/null 2>&1
    for t in $marks; do psql -XqAt -c "DROP TABLE IF EXISTS $t" >/dev/null 2>&1; done
    psql -XqAt -c "SELECT pg_stat_statements_reset(userid, dbid, queryid)
                   FROM pg_stat_statements WHERE query ~ '_marker_$$'" >/dev/null 2>&1
    psql -XqAt -d postgres -c "DROP DATABASE IF EXISTS slow_noext" \
        >/dev/null 2>&1
    rm -rf "$work"
}
trap cleanup EXIT

# ---- threshold ------------------------------------------------------------
# Aliases are not part of a statement's identity: each marker reads a table
# of its own, so each is a statement of its own.
marks="slow_marker_$$ fast_marker_$$ now_marker_$$"
for t in $marks; do
    psql -XqAt -c "CREATE TABLE $t (a int)" >/dev/null
done
for i in 1 2 3; do
    psql -XqAt -c "SELECT pg_sleep(0.2), count(*) FROM slow_marker_$$" >/dev/null
    psql -XqAt -c "SELECT count(*) FROM fast_marker_$$" >/dev/null
done
json=$("$bin" report slow --json --threshold 100); rc=$?
is "$rc" 1 "report slow exits 1 when a statement is over the threshold"
mean=$(jq -r ".statements[] | select(.query | contains(\"slow_marker_$$\")) | .mean_ms" <<<"$json")
like "$mean" "^[0-9.]+$" "the planted pg_sleep statement is listed"
ok "$(awk -v m="$mean" 'BEGIN { exit !(m >= 199) }'; echo $?)" "its mean is the 200 ms it slept ($mean ms)"
is "$(jq -r ".statements[] | select(.query | contains(\"slow_marker_$$\")) | .calls" <<<"$json")" 3 "its calls are counted"
unlike "$json" "fast_marker_$$" "the fast statement is not over the threshold"
is "$(jq -r '.statements[0] | keys | sort | join(",")' <<<"$json")" \
   "calls,database,max_ms,mean_ms,query,queryid,rows,total_ms,user" \
   "statements have queryid, query, calls, mean_ms, total_ms, rows"
text=$("$bin" report slow --threshold 100000); rc=$?
is "$rc" 0 "nothing over a 100 s threshold: exit 0"
unlike "$text" "slow_marker_$$" "the text report lists none"
n=$("$bin" report slow --json --threshold 0.000001 --limit 2 | jq '.statements | length')
is "$n" 2 "--limit caps the statements listed"
"$bin" report slow --threshold abc >/dev/null 2>&1
is "$?" 2 "a bad --threshold is refused with exit 2"

# ---- now ------------------------------------------------------------------
"$bin" report slow --json --threshold 0.000001 --now 3 >"$work/now.json" &
pids+=($!)
sleep 1.2
psql -XqAt -c "SELECT count(*) FROM now_marker_$$" >/dev/null
wait "${pids[-1]}"
now=$(cat "$work/now.json")
is "$(jq -r .mode <<<"$now")" now "--now reports the difference of two snapshots"
is "$(jq -r "[.statements[] | select(.query | contains(\"now_marker_$$\"))] | .[0].calls" <<<"$now")" 1 \
   "the statement run between the snapshots is there, once"
unlike "$now" "slow_marker_$$" "statements run before the first snapshot are not"

# ---- blocking tree ----------------------------------------------------------
psql -XqAt -c "DROP TABLE IF EXISTS slow_lock_t" 2>/dev/null -c "CREATE TABLE slow_lock_t (a int)" >/dev/null
PGAPPNAME=slow_blocker psql -XqAt -c "BEGIN" -c "LOCK TABLE slow_lock_t" \
    -c "SELECT pg_sleep(60)" >/dev/null 2>&1 &
pids+=($!)
sleep 0.5
PGAPPNAME=slow_blocked psql -XqAt -c "SELECT count(*) FROM slow_lock_t" \
    >"$work/blocked.out" 2>&1 &
pids+=($!)
for i in $(seq 50); do
    act=$("$bin" report activity --json)
    jq -e '.sessions[] | select(.application == "slow_blocked" and .blocked_by != "")' \
        <<<"$act" >/dev/null && break
    sleep 0.2
done
blocker=$(jq -r '.sessions[] | select(.application == "slow_blocker") | .pid' <<<"$act")
is "$(jq -r '.sessions[] | select(.application == "slow_blocked") | .blocked_by' <<<"$act")" \
   "$blocker" "the blocked session names its blocker ($blocker)"
is "$(jq -r '[.sessions[].application] | (index("slow_blocked") - index("slow_blocker"))' <<<"$act")" 1 \
   "the blocked session comes right under its blocker"
is "$(jq -r '.sessions[] | select(.application == "slow_blocked") | .depth' <<<"$act")" 1 \
   "one level deeper"
like "$(jq -r '.sessions[] | select(.application == "slow_blocked") | .wait_event' <<<"$act")" \
   "^Lock:" "its wait event is a lock"
# Its own backend would be the one running the activity query as it reads.
is "$(jq -r '[.sessions[] | select(.state == "active" and (.query | startswith("SELECT a.pid, array_to_string")))] | length' <<<"$act")" 0 \
   "the console's own backend is not listed"
is "$(jq -r '.alarms.max_connections' <<<"$act")" \
   "$(psql -XAtc 'show max_connections')" "the alarms show max_connections"
text=$("$bin" report activity)
like "$text" "slow_blocked" "the text report lists the sessions"
for p in "${pids[@]: -2}"; do kill "$p" 2>/dev/null; done
psql -XqAt -c "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name IN ('slow_blocker','slow_blocked')" >/dev/null 2>&1

# ---- guidance --------------------------------------------------------------
psql -XqAt -c "DROP ROLE IF EXISTS slow_nobody" -c "CREATE ROLE slow_nobody LOGIN" >/dev/null 2>&1
out=$(PGUSER=slow_nobody "$bin" report slow --threshold 100 2>&1)
like "$out" "GRANT pg_read_all_stats TO slow_nobody;" \
     "a role without pg_read_all_stats is told what to run"
unlike "$out" "ERROR" "and gets no error"
psql -XqAt -c "GRANT pg_read_all_stats TO slow_nobody" >/dev/null
out=$(PGUSER=slow_nobody "$bin" report slow --threshold 100 2>&1)
unlike "$out" "GRANT pg_read_all_stats" "with the role granted the guidance goes"
like "$out" "slow_marker_$$" "and other roles' statements show"

psql -XqAt -d postgres -c "DROP DATABASE IF EXISTS slow_noext" -c "CREATE DATABASE slow_noext" >/dev/null 2>&1
out=$("$bin" -d "dbname=slow_noext" report slow 2>&1); rc=$?
is "$rc" 2 "report slow exits 2 where the extension is missing"
like "$out" "CREATE EXTENSION pg_stat_statements;" "the guidance says to create it"
like "$out" "command: postgres -c shared_preload_libraries=pg_stat_statements" \
     "and gives the docker-compose line for postgis/postgis"
json=$("$bin" -d "dbname=slow_noext" report slow --json 2>&1)
like "$(jq -r .guidance <<<"$json")" "CREATE EXTENSION" "the JSON carries the guidance"

# A server without the preload: the extension exists but cannot be read.
np=$work/nopreload
owner=; [ "$(id -u)" = 0 ] && owner=postgres
as_owner() { if [ -n "$owner" ]; then runuser -u "$owner" -- "$@"; else "$@"; fi; }
bindir=$(pg_config --bindir 2>/dev/null)
[ -x "$bindir/initdb" ] || bindir=/usr/lib/postgresql/15/bin
mkdir -p "$np" && { [ -z "$owner" ] || chown "$owner" "$np"; }
chmod 755 "$work"
if as_owner "$bindir/initdb" -D "$np/data" -A trust -U nexus_user >/dev/null 2>&1 &&
   as_owner "$bindir/pg_ctl" -D "$np/data" -l "$np/log" -w start \
       -o "-c listen_addresses='' -c unix_socket_directories=$np -p 54398" >/dev/null; then
    PGHOST=$np PGPORT=54398 PGDATABASE=postgres psql -XqAt \
        -c "CREATE EXTENSION pg_stat_statements" >/dev/null
    out=$(PGHOST=$np PGPORT=54398 PGDATABASE=postgres "$bin" report slow 2>&1); rc=$?
    as_owner "$bindir/pg_ctl" -D "$np/data" -m immediate stop >/dev/null
    is "$rc" 2 "installed but not preloaded: exit 2"
    like "$out" "installed but not loaded" "the guidance says it is not loaded"
    like "$out" "command: postgres -c shared_preload_libraries=pg_stat_statements" \
         "and gives the docker-compose line"
    unlike "$out" "CREATE EXTENSION" "without asking to create what exists"
else
    for i in 1 2 3 4; do skip "no throwaway server without the preload could be started"; done
fi

done_testing
