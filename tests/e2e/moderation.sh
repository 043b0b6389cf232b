#!/usr/bin/env bash
# The moderation pane end to end, on a database of its own (the demo at 300
# rows, so rows it deletes or locks are nobody else's): approve, reject with
# a reason, edit a field (refused when invalid), swap lat/lng, undo, delete
# after a typed confirmation and undo it, the creator filter, the moderator's
# "AuditLog" rows; a row changed by another connection is refused; the
# server killing the deciding session leaves no partial write and the
# console says so; without an "AuditLog" table decisions are still saved;
# report moderation's exit status.
. "$(cd "$(dirname "$0")/.." && pwd)/lib/e2e.sh"

db=degux_e2e_moderation
src=${DEGUX_DATADIR:-$top_srcdir/data}
cleanup() {
  [ -n "${locker:-}" ] && kill "$locker" 2>/dev/null
  e2e_teardown
  dropdb --if-exists "$db" 2>/dev/null
}
trap cleanup EXIT

dropdb --if-exists "$db" 2>/dev/null
createdb "$db" || bail_out "cannot create $db"
for f in schema.sql comunas.sql; do
  psql -XqAt -v ON_ERROR_STOP=1 -d "$db" -f "$src/$f" >/dev/null || bail_out "cannot load $f"
done
PGOPTIONS="-c degux.demo_size=300" psql -XqAt -v ON_ERROR_STOP=1 -d "$db" \
  -f "$src/demo.sql" >/dev/null || bail_out "cannot load demo.sql"
export PGDATABASE=$db
q() { psql -XAtq -c "$1"; }
is "$(q "select count(*) from referenciales")" 300 "a database of its own with 300 demo referenciales"

# report moderation: 1 while rows fail a rule, 0 with none, 2 without a server.
"$bin" report moderation >/dev/null 2>&1; rc=$?
is "$rc" 1 "report moderation exits 1 when rows fail a rule"
q "create schema clean; create table clean.referenciales (like public.referenciales including all)"
PGOPTIONS="-c search_path=clean,public" "$bin" report moderation --json >"$work/clean.json" 2>&1; rc=$?
is "$rc" 0 "report moderation exits 0 when no row fails a rule"
is "$(jq -r .failing_rows "$work/clean.json")" 0 "...and reports no failing row"
q "drop schema clean cascade"
PGPORT=1 "$bin" report moderation >/dev/null 2>&1; rc=$?
is "$rc" 2 "report moderation exits 2 when it cannot reach the server"

"$bin" --write migrate up >/dev/null || bail_out "migrate up failed"
uid=$(q 'select id from "User" order by id limit 1')
mkdir -p "$XDG_CONFIG_HOME/degux-console"
printf '[moderation]\nmoderator_user_id = %s\n' "$uid" >"$XDG_CONFIG_HOME/degux-console/config"

# A row as text with geom exact, to compare before and after.
img() { q "select (to_jsonb(r) || jsonb_build_object('geom', r.geom::text))::text from referenciales r where id = '$1'"; }
card_id() { e2e_screen | sed -nE 's/^(▸| )id +([0-9a-f-]{36}).*/\2/p' | head -1; }
# wait_sql QUERY EXPECTED: the query gives EXPECTED within 10 s.
wait_sql() {
  local i
  for ((i = 0; i < 100; i++)); do
    [ "$(q "$1")" = "$2" ] && return 0
    sleep 0.1
  done
  echo "# $1 gave $(q "$1"), wanted $2" >&2
  return 1
}
# next_card: n, then wait for another id on the card.
next_card() {
  local was i
  was=$(card_id); e2e_keys n
  for ((i = 0; i < 100; i++)); do
    [ "$(card_id)" != "$was" ] && return 0
    sleep 0.05
  done
  return 1
}
auditlog() { q "select count(*) from \"AuditLog\" where \"userId\" = '$uid' and action = 'moderation.$1' and metadata->>'referencialId' = '$2'"; }

e2e_start 150 40 "$bin" --write --pane moderation
e2e_wait "card 1 of" 15; ok $? "the pane shows the first card"
e2e_keys F; e2e_wait "card 1 of 200" 10; ok $? "F: every row to review, 200 loaded"

# 1. Approve.
a1=$(card_id)
e2e_keys a
wait_sql "select status from degux_console.review where referencial_id = '$a1'" approved; ok $? "a approves the card"
is "$(auditlog approve "$a1")" 1 "...and writes the moderator's AuditLog row"
isnt "$(card_id)" "$a1" "...and the next card shows"

# 2. Reject with a typed reason.
r1=$(card_id)
e2e_keys r; e2e_wait "reason (1" 5
e2e_type "price in UF, not CLP"; e2e_keys Enter
wait_sql "select status || ': ' || reason from degux_console.review where referencial_id = '$r1'" \
  "rejected: price in UF, not CLP"; ok $? "r rejects with the reason typed"
is "$(q "select reason from degux_console.audit where referencial_id = '$r1' and action = 'reject'")" \
  "price in UF, not CLP" "...the audit keeps the reason"

# 3. Edit the ROL: an invalid value is refused, a valid one saved.
e1=$(card_id); before=$(img "$e1"); rol0=$(q "select rol from referenciales where id = '$e1'")
e2e_keys e; e2e_wait "ROL (Enter saves" 5; ok $? "e opens the prompt on the field under the cursor (ROL)"
like "$(e2e_screen | grep 'ROL (Enter saves')" "$rol0" "...pre-filled with the stored value"
e2e_keys C-u; e2e_type "not a rol"; e2e_keys Enter
e2e_wait "Not saved:" 5; ok $? "an invalid ROL is refused with the validators' message"
is "$(img "$e1")" "$before" "...and nothing is sent"
is "$(q "select count(*) from degux_console.audit where referencial_id = '$e1'")" 0 "...no audit entry"
e2e_keys e; e2e_wait "ROL (Enter saves" 5
e2e_keys C-u; e2e_type "54321-0007"; e2e_keys Enter
wait_sql "select rol from referenciales where id = '$e1'" "54321-0007"; ok $? "a valid ROL is saved"
is "$(q "select reason || ' ' || (before->'row'->>'rol') || ' -> ' || (after->'row'->>'rol') from degux_console.audit where referencial_id = '$e1' and action = 'edit'")" \
  "rol $rol0 -> 54321-0007" "...with both images in the audit"
is "$(q "select \"updatedAt\" > '$(jq -r .updatedAt <<<"$before")' from referenciales where id = '$e1'")" t "...and \"updatedAt\" moves on"
is "$(auditlog edit "$e1")" 1 "...and the moderator's AuditLog row"
e2e_wait "ROL              54321-0007" 5; ok $? "the card shows the new value"

# 4. Edit lat/lng together (the cursor moves down to the line).
e2e_keys j j j j j j j; e2e_keys e; e2e_wait "lat, lng (Enter saves" 5; ok $? "j moves the cursor; e edits lat and lng together"
e2e_keys C-u; e2e_type " 200, 300"; e2e_keys Enter
e2e_wait "Not saved:" 5; ok $? "coordinates outside Chile are refused"
lat0=$(q "select lat from referenciales where id = '$e1'")
e2e_keys e; e2e_wait "lat, lng (Enter saves" 5
# (a leading blank: tmux takes a leading - for an option)
e2e_keys C-u; e2e_type " $(q "select lat + 0.001 || ', ' || lng from referenciales where id = '$e1'")"; e2e_keys Enter
wait_sql "select lat = $lat0 + 0.001 and ST_Equals(geom, ST_SetSRID(ST_MakePoint(lng, lat), 4326)) from referenciales where id = '$e1'" t
ok $? "a new lat is saved and geom follows it"
e2e_wait_gone "being reloaded" 5
sleep 0.5
e2e_keys u
wait_sql "select lat from referenciales where id = '$e1'" "$lat0"; ok $? "u undoes the edit"

# Numbers are read as their column's type; an empty monto is no monto.
e2e_keys k k k k k; e2e_keys e; e2e_wait "número (Enter saves" 5; ok $? "k moves the cursor up (número)"
e2e_keys C-u; e2e_type "twelve"; e2e_keys Enter
e2e_wait "is not a whole number" 5; ok $? "a número that is not a whole number is refused"
e2e_keys j j j j j j j j j e; e2e_wait "monto CLP (Enter saves" 5
e2e_keys C-u Enter
wait_sql "select monto is null from referenciales where id = '$e1'" t; ok $? "an empty monto saves no monto (NULL)"
e2e_wait_gone "being reloaded" 5
sleep 0.5
e2e_keys u
wait_sql "select monto is not null from referenciales where id = '$e1'" t; ok $? "...and u puts it back"
e2e_keys k k k k

# 5. Swap lat/lng, then undo it.
e2e_wait_gone "being reloaded" 5
sleep 0.5
ll=$(q "select lat || ' ' || lng from referenciales where id = '$e1'")
e2e_keys s
wait_sql "select lng || ' ' || lat from referenciales where id = '$e1'" "$ll"; ok $? "s swaps lat and lng"
sleep 0.5  # the console has the answer (u waits for the write's audit id)
e2e_keys u
wait_sql "select lat || ' ' || lng from referenciales where id = '$e1'" "$ll"; ok $? "u undoes the swap"
is "$(q "select action || ' ' || reason from degux_console.audit where referencial_id = '$e1' order by id desc limit 1")" \
  "undo edit" "...and the undo is audited"

# 6. Another connection changes the row on screen: the edit is refused.
sleep 0.5
q "update referenciales set observaciones = 'edited elsewhere', \"updatedAt\" = localtimestamp(3) where id = '$e1'"
e2e_keys k k k k k k k e; e2e_wait "ROL (Enter saves" 5
e2e_keys C-u; e2e_type "11111-0001"; e2e_keys Enter
e2e_wait "Changed by someone else" 5; ok $? "an edit of a row changed since it was shown is refused"
is "$(q "select rol || ' ' || observaciones from referenciales where id = '$e1'")" "54321-0007 edited elsewhere" \
  "...nothing of it is written and the other change is kept"

# 7. Delete after a typed confirmation, then undo.
next_card
d1=$(card_id); dimg=$(img "$d1")
dreview=$(q "select count(*) from degux_console.review where referencial_id = '$d1'")
e2e_keys d; e2e_wait "Type delete" 5; ok $? "d asks for a typed confirmation"
e2e_type "yes"; e2e_keys Enter
e2e_wait "Not confirmed" 5; ok $? "anything but delete or the id deletes nothing"
is "$(q "select count(*) from referenciales where id = '$d1'")" 1 "...the row is still there"
e2e_keys d; e2e_wait "Type delete" 5
e2e_type "delete"; e2e_keys Enter
wait_sql "select count(*) from referenciales where id = '$d1'" 0; ok $? "typing delete deletes the row"
sleep 0.5
is "$(q "select (before->'row')::text = '$dimg' from degux_console.audit where referencial_id = '$d1' and action = 'delete'")" t \
  "...the audit keeps the whole row"
is "$(auditlog delete "$d1")" 1 "...and the moderator's AuditLog row is written"
e2e_keys u
wait_sql "select count(*) from referenciales where id = '$d1'" 1; ok $? "u puts the deleted row back"
is "$(img "$d1")" "$dimg" "...exactly as it was"
is "$(q "select count(*) from degux_console.review where referencial_id = '$d1'")" "$dreview" "...with its review"

# 8. The creator filter: by e-mail, any case.
read -r cemail ccount < <(psql -XAtF ' ' -c "select u.email, count(*) from referenciales r join \"User\" u on u.id = r.\"userId\" left join degux_console.review v on v.referencial_id = r.id where v.referencial_id is null group by 1 order by 2 desc, 1 limit 1")
e2e_keys U; e2e_wait "creator (user id" 5
e2e_keys C-u; e2e_type "${cemail^^}"; e2e_keys Enter
e2e_wait ", creator ${cemail^^}" 10; ok $? "U filters the queue by creator"
e2e_wait "card 1 of $ccount" 10; ok $? "...to that user's $ccount unreviewed rows"
c1=$(card_id)
is "$(q "select u.email from referenciales r join \"User\" u on u.id = r.\"userId\" where r.id = '$c1'")" "$cemail" "...the card is one of theirs"
like "$(e2e_screen)" "<${cemail:0:20}" "...and shows the creator's e-mail"
e2e_keys U; e2e_wait "creator (user id" 5
e2e_keys C-u Enter
e2e_wait_gone ", creator" 10; ok $? "an empty creator shows every row again"
# (the queue reloaded: hundreds of cards again, not the creator's few)
for ((i = 0; i < 100; i++)); do
  e2e_screen | grep -qE '^ card 1 of [0-9]{3}:' && break
  sleep 0.1
done

# 9. The server kills the deciding session while it waits for a lock held
# by another: nothing of the decision is written, the console says so.
k1=$(card_id); kimg=$(img "$k1")
kaudit=$(q "select count(*) from degux_console.audit where referencial_id = '$k1'")
kreview=$(q "select count(*) from degux_console.review where referencial_id = '$k1'")
PGAPPNAME=e2e-locker psql -XAtq -c "begin" -c "select 1 from referenciales where id = '$k1' for update" \
  -c "select pg_sleep(60)" >/dev/null 2>&1 &
locker=$!
wait_sql "select count(*) from pg_stat_activity where application_name = 'e2e-locker' and query like '%pg_sleep%'" 1
e2e_keys a
wait_sql "select count(*) from pg_stat_activity where application_name = 'degux-console' and datname = '$db' and wait_event_type = 'Lock'" 1
ok $? "the decision waits for the row another session locked"
q "select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'degux-console' and datname = '$db'" >/dev/null
e2e_wait "connection to the server was lost" 10; ok $? "the console says the connection was lost before the server answered"
q "select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'e2e-locker'" >/dev/null
wait "$locker" 2>/dev/null; locker=
is "$(img "$k1")" "$kimg" "the row is unchanged"
is "$(q "select count(*) from degux_console.review where referencial_id = '$k1'")" "$kreview" "no review was written"
is "$(q "select count(*) from degux_console.audit where referencial_id = '$k1'")" "$kaudit" "no audit entry was written"
is "$(auditlog approve "$k1")" 0 "no AuditLog row was written"
e2e_wait_gone "CONNECTION LOST" 15; ok $? "the console reconnects"
e2e_wait "card " 10
sleep 1
[ "$(card_id)" = "$k1" ] || next_card
e2e_keys a
wait_sql "select status from degux_console.review where referencial_id = '$k1'" approved; ok $? "after reconnecting the decision is saved"
e2e_keys q; e2e_wait_exit 5
e2e_stop

# 10. A moderator who is not a "User", then no "AuditLog" table: the pane
# says so and still decides.
printf '[moderation]\nmoderator_user_id = nobody-here\n' >"$XDG_CONFIG_HOME/degux-console/config"
e2e_start 150 40 "$bin" --write --pane moderation
e2e_wait "card 1 of" 15
e2e_wait 'is not a "User" of this database' 10; ok $? "a moderator who is not a User: the pane says so"
n0=$(card_id)
n0log=$(q "select count(*) from \"AuditLog\" where metadata->>'referencialId' = '$n0'")
e2e_keys a
wait_sql "select status from degux_console.review where referencial_id = '$n0'" approved; ok $? "...and still saves the decision"
is "$(q "select count(*) from \"AuditLog\" where metadata->>'referencialId' = '$n0'")" "$n0log" "...without an AuditLog row"
e2e_keys q; e2e_wait_exit 5
e2e_stop
printf '[moderation]\nmoderator_user_id = %s\n' "$uid" >"$XDG_CONFIG_HOME/degux-console/config"
q 'drop table "AuditLog"'
e2e_start 150 40 "$bin" --write --pane moderation
e2e_wait "card 1 of" 15
e2e_wait 'no "AuditLog" table' 10; ok $? "without an AuditLog table the pane says so"
n1=$(card_id)
e2e_keys a
wait_sql "select status from degux_console.review where referencial_id = '$n1'" approved; ok $? "...and still saves the decision"
e2e_keys q; e2e_wait_exit 5
e2e_stop

# 11. At 80x24 a finding is read in full under the card (the field under
# the cursor, ROL to begin with), with its suggestion; the reject presets
# are listed whole above the prompt.
lid=$(q "select id from referenciales r where not exists (select 1 from degux_console.review w where w.referencial_id = r.id) order by id limit 1")
q "update referenciales set rol = '123-45', \"createdAt\" = '2000-01-01' where id = '$lid'"
e2e_start 80 24 "$bin" --write --pane moderation
e2e_wait "card 1 of" 15
is "$(card_id)" "$lid" "80x24: the changed row is the first card"
e2e_wait "● ROL “123-45” does not match the pattern ^[0-9]{5}-[0-9]{4}\$" 5; ok $? "...its ROL finding is shown in full"
e2e_wait "suggestion: 00123-0045" 5; ok $? "...with its suggestion"
e2e_keys r; e2e_wait "reason (1" 5
e2e_wait "2  not a sale (wrong data)" 5; ok $? "the reject presets are listed whole above the prompt"
e2e_wait "3  cannot be verified" 5; ok $? "...every one of them"
e2e_keys Escape; e2e_wait_gone "3  cannot be verified" 5

# 12. The comuna filter takes any spelling: the official name, or folded
# to lower case without accents, finds the rows stored misspelt.
read -r cid cstored < <(q "select r.id || ' ' || r.comuna from degux_demo.defects d join referenciales r on r.id = d.referencial_id where d.kind = 'comuna_spelling' order by r.\"createdAt\" limit 1")
official=$(q "select c.comuna from degux_demo.comunas c where lower(translate(c.comuna, 'ÁÉÍÓÚÑÜáéíóúñü', 'AEIOUNUaeiounu')) = lower(translate('$cstored', 'ÁÉÍÓÚÑÜáéíóúñü', 'AEIOUNUaeiounu'))")
folded=$(q "select lower(translate('$official', 'ÁÉÍÓÚÑÜáéíóúñü', 'AEIOUNUaeiounu'))")
in_queue() {
  local i
  e2e_keys C; e2e_wait "comuna (any spelling" 5
  e2e_keys C-u; e2e_type "$1"; e2e_keys Enter
  e2e_wait ", comuna" 10 || return 1
  for ((i = 0; i < 60; i++)); do
    [ "$(card_id)" = "$cid" ] && return 0
    e2e_keys n; sleep 0.05
  done
  return 1
}
in_queue "$official"; ok $? "C $official: the row stored as $cstored is in the queue"
in_queue "$folded"; ok $? "C $folded: so it is with a folded spelling"
e2e_keys C; e2e_wait "comuna (any spelling" 5
e2e_keys C-u; e2e_type "Nowhere Town"; e2e_keys Enter
e2e_wait "Nothing to review with these filters" 10; ok $? "a name no row has gives an empty queue"
e2e_keys q; e2e_wait_exit 5
e2e_stop

done_testing
