#!/usr/bin/env bash
# The slow pane in tmux against the test cluster: the statements with a
# planted slow one highlighted, the now mode, the detail with EXPLAIN (the
# $1 value asked on the prompt) and EXPLAIN ANALYZE, the activity view with
# a blocked session under its blocker, cancelled from the pane in write mode.
. "$(cd "$(dirname "$0")/.." && pwd)/lib/e2e.sh"
# Short names: the grid cuts a cell at 40 columns.
slow=es$$ fresh=ef$$ lock=el$$
pids=()
cleanup() {
    e2e_cleanup
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
    psql -XqAt -c "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                   WHERE application_name IN ('e2e_blocker', 'e2e_blocked')" \
        -c "DROP TABLE IF EXISTS $slow, $fresh, $lock" -c "$forget" >/dev/null 2>&1
    psql -XqAt -d postgres -c "DROP DATABASE IF EXISTS e2e_noext_$$" >/dev/null 2>&1
    wait 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT

# Entries left by earlier runs (their tables are gone) are forgotten, so
# this run's slow statement is the slowest.
forget="SELECT pg_stat_statements_reset(userid, dbid, queryid)
        FROM pg_stat_statements WHERE query ~ 'FROM e[sfl][0-9]+'"
psql -XqAt -c "$forget" >/dev/null
psql -XqAt -c "CREATE TABLE $slow (a int)" -c "CREATE TABLE $fresh (a int)" \
    -c "CREATE TABLE $lock (a int)" -c "INSERT INTO $slow VALUES (1)" >/dev/null
for i in 1 2; do
    psql -XqAt -c "SELECT pg_sleep(0.9) FROM $slow" >/dev/null
done

e2e_start 160 34 "$bin" --write --pane slow
e2e_wait "Statements · since the statistics reset" 10; ok $? "the pane opens on the statements"
e2e_wait "FROM $slow" 10; ok $? "the planted slow statement is listed"
screen=$(e2e_screen)
like "$screen" "Connections [0-9]+/[0-9]+ · idle in transaction [0-9]+ · over 60 s [0-9]+ · cache hit" \
     "the header line shows pghero's alarms"
like "$screen" "mean ms.*calls.*total ms.*time %.*query.*stddev.*max ms.*rows.*hit %.*temp blks.*queryid" \
     "the grid has the statement columns"
like "$(grep -F "FROM $slow" <<<"$screen")" "^ *9[0-9][0-9]\.[0-9]+ │ +2 " "its mean and calls are shown"

e2e_keys m
e2e_wait "Statements · now" 5; ok $? "m switches to the now mode"
e2e_wait_gone "FROM $slow" 6; ok $? "the now mode leaves out what ran before"
psql -XqAt -c "SELECT count(*) FROM $fresh" -c "SELECT pg_sleep(0.9) FROM $slow" >/dev/null
e2e_wait "FROM $fresh" 8; ok $? "a statement run since shows at the next refresh"
# In the now mode the slow statement just run is the slowest (whatever
# else the cluster ran before): the detail opens on it.
e2e_wait "FROM $slow" 8
e2e_keys g Enter
e2e_wait "e: EXPLAIN" 5; ok $? "Enter opens the detail of the top statement"
like "$(e2e_screen)" "SELECT pg_sleep\(\\\$1\)" "the detail shows the query"
like "$(e2e_screen)" $'\nFROM '"$slow" "pretty-printed: FROM on its own line"
e2e_keys e
e2e_wait 'value of $1 (of 1):' 5; ok $? "EXPLAIN asks for the value of \$1"
e2e_type "0"; e2e_keys Enter
e2e_wait "Seq Scan on $slow" 10; ok $? "the plan is shown"
e2e_keys E
e2e_wait 'value of $1 (of 1):' 5
e2e_type "0"; e2e_keys Enter
e2e_wait "actual time=" 10; ok $? "EXPLAIN ANALYZE runs the SELECT"
like "$(e2e_screen)" "▶" "the costliest node is marked"
is "$(psql -XAtc "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'degux-console' AND state LIKE 'idle in transaction%'")" \
   0 "the read-only transaction was rolled back"
e2e_keys Enter
e2e_wait "Statements · now" 5; ok $? "Enter goes back to the statements"
e2e_keys m
e2e_wait "since the statistics reset" 5; ok $? "m goes back to since the reset"
e2e_keys /
e2e_type "$fresh"; e2e_keys Enter Enter
e2e_wait "e: EXPLAIN" 5; ok $? "/ finds a statement and Enter opens it"
like "$(e2e_screen)" $'\nFROM '"$fresh" "the found statement is the one shown"
e2e_keys BSpace
e2e_wait "Statements · since" 5; ok $? "Backspace goes back"

# A statement longer than the screen: its lines wrap (nothing is cut) and
# the detail scrolls to its end.
cols=$(for i in $(seq -w 1 150); do printf 'a AS "wrap_%s_a_rather_long_alias", ' "$i"; done)
psql -XqAt -c "SELECT ${cols}a AS wrap_end FROM $fresh" >/dev/null
# The list shows it at its next refresh: search until the detail is its.
opened=1
for _ in $(seq 10); do
    e2e_keys /
    e2e_type "wrap_001"; e2e_keys Enter Enter
    e2e_wait "e: EXPLAIN" 5 2>/dev/null &&
        e2e_screen | grep -qF '"wrap_001_a_rather' && { opened=0; break; }
    e2e_keys BSpace
    sleep 1
done
ok $opened "the long statement's detail opens"
screen=$(e2e_screen)
like "$screen" '"wrap_001_a_rather_long_alias"' "its first line is shown"
unlike "$(sed -n '3,32p' <<<"$screen")" '…' "no line of the statement is cut"
unlike "$screen" 'wrap_end' "its end is below the screen"
e2e_keys End
e2e_wait "wrap_end" 5; ok $? "End scrolls to the end of the statement"
like "$(e2e_screen)" '"wrap_150_a_rather_long_alias"' "the last alias is shown whole"
e2e_keys Home
e2e_wait '"wrap_001_a_rather_long_alias"' 5; ok $? "Home scrolls back to the start"
e2e_keys BSpace
e2e_wait "Statements · since" 5

PGAPPNAME=e2e_blocker psql -XqAt -c "BEGIN" -c "LOCK TABLE $lock" \
    -c "SELECT pg_sleep(60)" >/dev/null 2>&1 &
pids+=($!)
sleep 0.5
PGAPPNAME=e2e_blocked psql -XqAt -c "SELECT count(*) FROM $lock" \
    >"$work/blocked.out" 2>&1 &
pids+=($!)
e2e_keys v
e2e_wait "Activity ·" 5; ok $? "v shows the activity"
e2e_wait "e2e_blocked" 8; ok $? "the blocked session is listed"
blocker=$(psql -XAtc "SELECT pid FROM pg_stat_activity WHERE application_name = 'e2e_blocker'")
blocked=$(psql -XAtc "SELECT pid FROM pg_stat_activity WHERE application_name = 'e2e_blocked'")
screen=$(e2e_screen)
like "$(grep -F e2e_blocked <<<"$screen")" "└ $blocked" "it is drawn under its blocker"
like "$(grep -F e2e_blocker <<<"$screen")" "^ *$blocker +│ +1 " "the blocker blocks one session"
like "$(grep -F e2e_blocked <<<"$screen")" "Lock:relation" "the wait event is shown"
unlike "$screen" "active .*SELECT a\.pid, array_to_string" "the console's own backend is not listed"
# Found by name: other tests' sessions may be listed too.
e2e_keys /; e2e_type e2e_blocked; e2e_keys Enter c
e2e_wait "Cancel the query of backend $blocked" 5; ok $? "c asks before cancelling"
e2e_keys y
wait "${pids[-1]}"
like "$(cat "$work/blocked.out")" "canceling statement due to user request" \
     "the blocked query was cancelled"
e2e_wait "Signal sent to backend $blocked" 5; ok $? "the pane says so"
e2e_wait_gone "e2e_blocked" 5
e2e_keys /; e2e_type e2e_blocker; e2e_keys Enter K
e2e_wait "Terminate backend $blocker" 5; ok $? "K asks before terminating"
e2e_keys y
for i in $(seq 50); do kill -0 "${pids[-2]}" 2>/dev/null || break; sleep 0.1; done
kill -0 "${pids[-2]}" 2>/dev/null
is "$?" 1 "the blocker's session was terminated"

e2e_keys q
e2e_wait_exit 5; ok $? "q quits"
e2e_stop

psql -XqAt -d postgres -c "DROP DATABASE IF EXISTS e2e_noext_$$" \
    -c "CREATE DATABASE e2e_noext_$$" >/dev/null 2>&1
e2e_start 130 30 "$bin" -d "dbname=e2e_noext_$$" --pane slow
e2e_wait "pg_stat_statements is not installed in this database." 10
ok $? "without the extension the pane says so, not an error"
screen=$(e2e_screen)
like "$screen" "command: postgres -c shared_preload_libraries=pg_stat_statements" \
     "it gives the docker-compose line for postgis/postgis"
like "$screen" "CREATE EXTENSION pg_stat_statements;" "and the statement to run"
e2e_keys v
e2e_wait "Activity ·" 5; ok $? "the activity view still works"
e2e_keys q
e2e_wait_exit 5
psql -XqAt -d postgres -c "DROP DATABASE IF EXISTS e2e_noext_$$" >/dev/null 2>&1
done_testing
