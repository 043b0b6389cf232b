#!/usr/bin/env bash
# Moderation against the test cluster: the console's migrations (up, down,
# up leave the catalog as they found it, nothing lands in public), validate
# finds every defect the demo planted (degux_demo.defects), its JSON and
# CSV forms, and report moderation's counts per status and per rule.
here=$(cd "$(dirname "$0")/.." && pwd)
. "$here/lib/tap.sh"
. "$here/lib/tmux.sh"
bin=${top_builddir:-.}/degux-console
eval "$("$here/lib/cluster.sh" start)" || bail_out "no test cluster"
work=$(mktemp -d)
export XDG_CONFIG_HOME=$work/config XDG_STATE_HOME=$work/state
# Rows the test changes are put back however it ends: restore.sql gathers
# the statements.
: >"$work/restore.sql"
trap 'e2e_cleanup; psql -XAq -f "$work/restore.sql"; rm -rf "$work"' EXIT

# Every object of a schema by name and shape (no OIDs, which change).
snapshot() {
  psql -XAtq -v ON_ERROR_STOP=1 -v nsp="$1" <<'SQL' || echo "snapshot failed"
SELECT 'ns ' || nspname || ' ' || pg_get_userbyid(nspowner) || ' ' || coalesce(obj_description(oid, 'pg_namespace'), '')
FROM pg_namespace WHERE nspname = :'nsp'
UNION ALL
SELECT 'rel ' || c.relname || ' ' || c.relkind::text || ' ' || coalesce(obj_description(c.oid, 'pg_class'), '')
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = :'nsp'
UNION ALL
SELECT 'col ' || c.relname || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod) || ' ' || a.attnotnull || ' ' || coalesce(pg_get_expr(d.adbin, d.adrelid), '') || ' ' || a.attidentity::text
FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
WHERE n.nspname = :'nsp' AND a.attnum > 0 AND NOT a.attisdropped
UNION ALL
SELECT 'con ' || conname || ' ' || pg_get_constraintdef(oid)
FROM pg_constraint WHERE connamespace = (SELECT oid FROM pg_namespace WHERE nspname = :'nsp')
UNION ALL
SELECT 'idx ' || indexname || ' ' || indexdef FROM pg_indexes WHERE schemaname = :'nsp'
UNION ALL
SELECT 'fn ' || p.oid::regprocedure::text FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = :'nsp'
UNION ALL
SELECT 'trg ' || t.tgname || ' ' || c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = :'nsp'
ORDER BY 1;
SQL
}

# Start from an unmigrated database, whatever an earlier run left.
for _ in 1 2 3; do "$bin" --write migrate down >/dev/null 2>&1; done
[ -z "$(snapshot degux_console)" ]; ok $? "the cluster starts without degux_console"

console0=$(snapshot degux_console); public0=$(snapshot public)
like "$public0" "rel referenciales r" "the catalog snapshot sees public's tables"
unlike "$public0" "snapshot failed" "the catalog snapshot query runs"

out=$("$bin" migrate status 2>&1); rc=$?
is "$rc" 1 "migrate status exits 1 while a migration is pending"
like "$out" "moderation +pending" "migrate status lists 0001 moderation as pending"
out=$("$bin" migrate up 2>&1); rc=$?
is "$rc" 2 "migrate up without --write is refused"
like "$out" "needs --write" "...saying it needs --write"
[ -z "$(snapshot degux_console)" ]; ok $? "...and changes nothing"
out=$("$bin" migrate sideways 2>&1); rc=$?
is "$rc" 2 "an unknown migrate action is bad usage"

out=$("$bin" --write migrate up 2>&1); rc=$?
is "$rc" 0 "migrate up applies"
like "$out" "applied 0001_moderation" "...and says which migration"
console1=$(snapshot degux_console)
like "$console1" "rel review r" "degux_console.review exists"
like "$console1" "rel audit r" "degux_console.audit exists"
like "$console1" "col migrations.applied_at timestamp with time zone" "degux_console.migrations records applied_at"
is "$(snapshot public)" "$public0" "nothing of the console went into public"
json=$("$bin" migrate status --json); rc=$?
is "$rc" 0 "migrate status exits 0 when everything is applied"
is "$(jq -r '.migrations[] | select(.version == 1) | .state' <<<"$json")" applied "status --json: 0001 applied"
like "$(jq -r '.migrations[0].applied_at' <<<"$json")" "^20[0-9][0-9]-" "status --json: applied_at is a time"
out=$("$bin" --write migrate up 2>&1); rc=$?
is "$rc" 0 "a second migrate up is a no-op"
like "$out" "nothing to apply" "...that says so"

out=$("$bin" --write migrate down 2>&1); rc=$?
is "$rc" 0 "migrate down reverts"
is "$(snapshot degux_console)" "$console0" "after down the degux_console catalog is as before up"
is "$(snapshot public)" "$public0" "after down public is as before up"
"$bin" --write migrate up >/dev/null 2>&1
is "$(snapshot degux_console)" "$console1" "up again rebuilds exactly the same catalog"

# A failing migration rolls back as a whole: a copy of the data folder with
# a second migration that breaks half-way.
mkdir -p "$work/data/migrations"
cp "${DEGUX_DATADIR:-$top_srcdir/data}"/migrations/* "$work/data/migrations/"
printf 'CREATE TABLE degux_console.half (a int);\nSELECT 1/0;\n' > "$work/data/migrations/0002_broken.up.sql"
printf 'DROP TABLE degux_console.half;\n' > "$work/data/migrations/0002_broken.down.sql"
out=$(DEGUX_DATADIR=$work/data "$bin" --write migrate up 2>&1); rc=$?
is "$rc" 2 "a failing migration exits 2"
like "$out" "0002_broken.up.sql: .*division by zero" "...naming the file and the server's error"
is "$(psql -XAtc "select to_regclass('degux_console.half') is null")" t "...and leaves no partial write"
is "$(snapshot degux_console)" "$console1" "...nor any other change"

# validate: every planted defect is reported with its rule.
"$bin" validate --json > "$work/v.json"; rc=$?
is "$rc" 1 "validate exits 1 when there are findings"
jq -e . "$work/v.json" >/dev/null; ok $? "validate --json is valid JSON"
is "$(jq -r '[.findings[] | keys | sort | join(",")] | unique | join(" ")' "$work/v.json")" \
   "field,id,message,rule,severity,suggestion" "every finding has id, field, rule, severity, message, suggestion"
total=$(psql -XAtc "select count(*) from referenciales")
is "$(jq -r .rows "$work/v.json")" "$total" "every referencial was checked"
jq -r '.findings[] | [.id, .rule] | @tsv' "$work/v.json" > "$work/found.tsv"
missing=$(psql -XAtq -c "create temp table found (id text, rule text)" \
  -c "\\copy found from '$work/found.tsv'" -c "
  SELECT d.kind || ':' || count(*) FILTER (WHERE NOT EXISTS (
           SELECT 1 FROM found f WHERE f.id = d.referencial_id AND f.rule = m.rule)) || '/' || count(*)
  FROM degux_demo.defects d
  JOIN (VALUES ('bad_rol', 'rol_format'), ('swapped_latlng', 'coords_swapped'),
               ('comuna_spelling', 'comuna_spelling'), ('unknown_comuna', 'comuna_unknown'),
               ('future_fecha', 'fecha_future'), ('duplicate', 'duplicate_inscription'),
               ('missing_monto', 'monto_missing'), ('geom_mismatch', 'geom_mismatch'),
               ('bad_fojas', 'fojas_digits'), ('unknown_cbr', 'cbr_unknown'),
               ('monto_uf', 'price_m2_outlier')) m(kind, rule) ON m.kind = d.kind
  GROUP BY d.kind ORDER BY d.kind")
is "$(psql -XAtc "select count(distinct kind) from degux_demo.defects")" 11 "the demo planted 11 kinds of defect"
# A sale priced in UF instead of CLP is judged against the prices of its
# kind of property (the predio's first word) in its comuna, or in the whole
# country where the comuna has fewer than 10 of them: every planted one is
# found.
for line in $missing; do
  kind=${line%%:*}; counts=${line#*:}; miss=${counts%%/*}; all=${counts#*/}
  is "$miss" 0 "every planted $kind ($all rows) is reported with its rule"
done
# ...and land, cheap per m², is not taken for an error: clean rows are
# almost never price outliers (the rule used to flag 2% of them).
priced=$(psql -XAtq -c "create temp table found (id text, rule text)" \
  -c "\\copy found from '$work/found.tsv'" -c "
  SELECT count(*) FROM found f
  WHERE f.rule = 'price_m2_outlier' AND f.id NOT IN (SELECT referencial_id FROM degux_demo.defects)")
[ "$priced" -le $((total / 2000)) ]; ok $? "clean rows are rarely price outliers ($priced of $total)"
clean=$(psql -XAtq -c "create temp table found (id text, rule text)" \
  -c "\\copy found from '$work/found.tsv'" -c "
  SELECT count(DISTINCT f.id) FROM found f
  WHERE f.rule <> 'price_m2_outlier' AND f.id NOT IN (SELECT referencial_id FROM degux_demo.defects)
    AND f.id NOT IN (SELECT r2.id FROM degux_demo.defects d JOIN referenciales r1 ON r1.id = d.referencial_id
                     JOIN referenciales r2 ON (r2.cbr, r2.fojas, r2.numero, r2.anio) = (r1.cbr, r1.fojas, r1.numero, r1.anio)
                     WHERE d.kind = 'duplicate')")
[ "$clean" -le $((total / 200)) ]; ok $? "valid rows are rarely flagged by the exact rules ($clean of $total)"
like "$(jq -r '[.findings[] | select(.rule == "comuna_spelling") | .suggestion] | first' "$work/v.json")" "^[A-ZÁÉÍÓÚÑ]" "comuna_spelling suggests the official spelling"

csv=$("$bin" validate --csv | head -2)
is "$(head -1 <<<"$csv")" "id,field,rule,severity,message,suggestion" "validate --csv has a header"
like "$(sed -n 2p <<<"$csv")" "^[^,]+,[a-z,\"]+" "...and rows"
out=$("$bin" validate 2>&1 >/dev/null)
like "$out" "$total referenciales checked" "text mode ends with a summary on stderr"
# --comuna takes any spelling and finds every spelling (an unaccented name
# keeps the expected count simple).
comuna=$(psql -XAtc "select comuna from referenciales where comuna ~ '^[A-Za-z ]+$' group by 1 order by count(*) desc limit 1")
"$bin" validate --json --comuna "${comuna^^}" > "$work/c.json"
is "$(jq -r .rows "$work/c.json")" "$(psql -XAtc "select count(*) from referenciales where lower(comuna) = lower('$comuna')")" "--comuna ${comuna^^} checks that comuna's rows, however spelt"
out=$("$bin" validate --json --csv 2>&1); rc=$?
is "$rc" 2 "--json and --csv together are bad usage"

# report moderation: statuses from degux_console, findings per rule.
json=$("$bin" report moderation --json); rc=$?
is "$rc" 1 "report moderation exits 1 when rows fail a rule"
is "$(jq -r .migrated <<<"$json")" true "report moderation sees the console schema"
is "$(jq -r .status.pending <<<"$json")" "$total" "with no review every row is pending"
is "$(jq -r .status.never_reviewed <<<"$json")" "$total" "...and never reviewed"
is "$(jq -r '.rules[] | select(.rule == "duplicate_inscription") | .findings' <<<"$json")" \
   "$(jq '[.findings[] | select(.rule == "duplicate_inscription")] | length' "$work/v.json")" \
   "per-rule counts agree with validate"
psql -XAq -c "INSERT INTO degux_console.review (referencial_id, status, row_updated_at)
  SELECT id, 'approved', \"updatedAt\" FROM referenciales ORDER BY id LIMIT 3" \
  -c "INSERT INTO degux_console.review (referencial_id, status, row_updated_at)
  SELECT id, 'rejected', \"updatedAt\" - interval '1 day' FROM referenciales ORDER BY id OFFSET 3 LIMIT 2"
json=$("$bin" report moderation --json)
is "$(jq -r .status.approved <<<"$json")" 3 "approved rows are counted"
is "$(jq -r .status.rejected <<<"$json")" 0 "a row changed since its rejection is not counted as rejected"
is "$(jq -r .status.changed_since_review <<<"$json")" 2 "...but as changed since review"
is "$(jq -r .status.pending <<<"$json")" $((total - 3)) "...and pending"

# The pane: decisions write the review state and the audit; a row changed
# by another connection after it was shown is refused and nothing is lost.
psql -XAq -c "DELETE FROM degux_console.review"
card_id() { e2e_screen | awk '$1 == "id" { print $2; exit }'; }
e2e_start 150 40 "$bin" --pane moderation
e2e_wait "card 1 of" 15; ok $? "read-only: the pane shows the first card"
like "$(e2e_screen)" "read-only: decisions need write mode" "...and says decisions need write mode"
e2e_keys a; sleep 0.5
is "$(psql -XAtc "select count(*) from degux_console.review")" 0 "a in read-only mode writes nothing"
e2e_stop

e2e_start 150 40 "$bin" --write --pane moderation
e2e_wait "card 1 of" 15; ok $? "write mode: the pane shows the first card"
first=$(card_id)
like "$first" "^[0-9a-f-]{36}$" "the card shows the row's id"
like "$(e2e_screen)" "●" "the card shows the row's findings (failing rows only)"
e2e_keys a
e2e_wait "Saved: approved" 5; ok $? "a approves"
e2e_wait " pending, 1 approved, 0 rejected, 0 flagged" 10; ok $? "the header counts the table's rows per status"
is "$(psql -XAtc "select status || ' ' || reviewer || ' ' || (row_updated_at = r.\"updatedAt\") from degux_console.review v join referenciales r on r.id = v.referencial_id where referencial_id = '$first'")" \
   "approved $PGUSER true" "the review records the status, the reviewer and the version reviewed"
is "$(psql -XAtc "select action || ' ' || (before->'row' = after->'row') || ' ' || (after->'review'->>'status') || ' ' || (os_user is not null) from degux_console.audit where referencial_id = '$first'")" \
   "approve true approved true" "the audit holds the before and after images and the OS user"
sleep 0.5
second=$(card_id)
isnt "$second" "$first" "the next card is shown"
# Another connection edits the row on screen (put back at the end: other
# tests share the cluster).
saved=$(psql -XAtc "select quote_nullable(observaciones) || ', \"updatedAt\" = ' || quote_literal(\"updatedAt\") from referenciales where id = '$second'")
echo "UPDATE referenciales SET observaciones = $saved WHERE id = '$second';" >>"$work/restore.sql"
psql -XAq -c "UPDATE referenciales SET observaciones = 'edited elsewhere', \"updatedAt\" = localtimestamp(3) WHERE id = '$second'"
e2e_keys r; e2e_wait "reason (1" 5; ok $? "r asks for a reason"
e2e_keys 1 Enter
e2e_wait "Changed by someone else" 5; ok $? "a decision on a row changed since it was shown is refused"
is "$(psql -XAtc "select count(*) from degux_console.review where referencial_id = '$second'")" 0 "...nothing of it is written"
is "$(psql -XAtc "select observaciones from referenciales where id = '$second'")" "edited elsewhere" "...and the other edit is kept"
e2e_keys r; e2e_wait "reason (1" 5
e2e_keys 1 Enter
e2e_wait "Saved: rejected" 5; ok $? "after the reload the rejection is saved"
is "$(psql -XAtc "select status || ': ' || reason from degux_console.review where referencial_id = '$second'")" \
   "rejected: duplicate inscription" "the rejection keeps its preset reason"
is "$(psql -XAtc "select before->'row'->>'observaciones' from degux_console.audit where referencial_id = '$second' and action = 'reject'")" \
   "edited elsewhere" "its audit image is the row as changed by the other connection"
e2e_keys u
e2e_wait "Undone" 5; ok $? "u undoes the rejection"
is "$(psql -XAtc "select count(*) from degux_console.review where referencial_id = '$second'")" 0 "...the row is unreviewed again"
psql -XAq -c "DELETE FROM degux_console.audit WHERE action = 'undo'"
is "$(psql -XAtc "select count(*) from degux_console.audit")" 2 "one audit entry per saved decision, none for the refused one"

# Fixes in place: c (official comuna spelling) and s (swap lat/lng) on
# planted rows, found through the comuna filter. Their values are put back
# at the end.
goto_card() {
  local i
  for ((i = 0; i < 80; i++)); do
    [ "$(card_id)" = "$1" ] && return 0
    e2e_keys n; sleep 0.05
  done
  return 1
}
filter_comuna() {
  e2e_keys C; e2e_wait "comuna (any spelling" 5
  e2e_keys C-u; e2e_type "$1"; e2e_keys Enter
  e2e_wait ", comuna $1" 10 && sleep 1
}
original() {
  psql -XAtc "select 'lat = ' || lat || ', lng = ' || lng || ', comuna = ' || quote_literal(comuna) || ', geom = ' || quote_literal(geom::text) || ', \"updatedAt\" = ' || quote_literal(\"updatedAt\") from referenciales where id = '$1'"
}
read -r cid cstored < <(psql -XAtF ' ' -c "select r.id, r.comuna from degux_demo.defects d join referenciales r on r.id = d.referencial_id where d.kind = 'comuna_spelling' and r.comuna !~ ' ' order by r.\"createdAt\" limit 1")
corig=$(original "$cid")
echo "UPDATE referenciales SET $corig WHERE id = '$cid';" >>"$work/restore.sql"
filter_comuna "$cstored"; ok $? "C filters the queue by a comuna as stored ($cstored)"
if goto_card "$cid"; then ok 0 "the planted comuna_spelling row is in that queue"; else ok 1 "the planted comuna_spelling row is in that queue"; bail_out "not on the card to fix"; fi
e2e_keys c
e2e_wait "Saved the fix" 5; ok $? "c applies the official spelling"
cnow=$(psql -XAtc "select comuna from referenciales where id = '$cid'")
isnt "$cnow" "$cstored" "the comuna changed ($cstored -> $cnow)"
is "$(psql -XAtc "select lower(translate('$cnow', 'ÁÉÍÓÚÑÜáéíóúñü', 'AEIOUNUaeiounu')) = lower('$cstored')")" t "...to the same name, officially spelt"
is "$(psql -XAtc "select before->'row'->>'comuna' || ' -> ' || (after->'row'->>'comuna') from degux_console.audit where referencial_id = '$cid' and action = 'edit'")" \
   "$cstored -> $cnow" "the edit's audit holds both images"

# (a comuna with fewer rows than the queue holds, so the row is in it)
read -r sid scomuna < <(psql -XAtF ' ' -c "select r.id, r.comuna from degux_demo.defects d join referenciales r on r.id = d.referencial_id where d.kind = 'swapped_latlng' and r.comuna !~ ' ' and (select count(*) from referenciales x where x.comuna = r.comuna) < 150 order by r.\"createdAt\" limit 1")
sorig=$(original "$sid")
echo "UPDATE referenciales SET $sorig WHERE id = '$sid';" >>"$work/restore.sql"
before=$(psql -XAtc "select lat || ' ' || lng from referenciales where id = '$sid'")
filter_comuna "$scomuna"
if goto_card "$sid"; then ok 0 "a planted swapped_latlng row is in its comuna's queue"; else ok 1 "a planted swapped_latlng row is in its comuna's queue"; bail_out "not on the card to fix"; fi
e2e_keys s
e2e_wait "Saved the fix" 5; ok $? "s swaps lat and lng"
is "$(psql -XAtc "select lng || ' ' || lat from referenciales where id = '$sid'")" "$before" "lat and lng are exchanged"
is "$(psql -XAtc "select ST_Equals(geom, ST_SetSRID(ST_MakePoint(lng, lat), 4326)) from referenciales where id = '$sid'")" t "...and geom follows them"
"$bin" validate --json --comuna "$scomuna" > "$work/s.json"
is "$(jq -r --arg id "$sid" '[.findings[] | select(.id == $id and (.rule | startswith("coords") or . == "geom_mismatch"))] | length' "$work/s.json")" 0 "validate no longer reports its coordinates"
e2e_keys u
e2e_wait "Undone" 5; ok $? "u undoes the swap"
is "$(psql -XAtc "select lat || ' ' || lng from referenciales where id = '$sid'")" "$before" "lat and lng are back as they were"
is "$(psql -XAtc "select action || ' ' || reason || ' ' || (after->'row'->>'lat' = before->'row'->>'lng') from degux_console.audit where referencial_id = '$sid' order by id desc limit 1")" \
   "undo edit true" "the undo is audited with both images"
e2e_keys u
e2e_wait "Nothing to undo" 5; ok $? "a second u has nothing left to undo"
e2e_keys q; e2e_wait_exit 5
e2e_stop
psql -XAq -f "$work/restore.sql"
is "$(original "$cid")|$(original "$sid")" "$corig|$sorig" "the fixed rows are put back"
is "$(psql -XAtc "select observaciones is distinct from 'edited elsewhere' from referenciales where id = '$second'")" t "the edited row is put back"

# --demo: a new demo database opens with the console's schema, applied once
# right after the load (nothing on stdout: a report's JSON stays whole); a
# `migrate down` there sticks on the next start.
demo_home=$(mktemp -d /tmp/degux-mod-demo-XXXXXX); chmod 755 "$demo_home"
demo_stop() {
  local pgctl
  pgctl=$(pg_config --bindir 2>/dev/null)/pg_ctl
  [ -x "$pgctl" ] || pgctl=/usr/lib/postgresql/15/bin/pg_ctl
  if [ "$(id -u)" = 0 ]; then runuser -u "$(stat -c %U "$demo_home/demo/data")" -- "$pgctl" -D "$demo_home/demo/data" -m fast stop >/dev/null 2>&1
  else "$pgctl" -D "$demo_home/demo/data" -m fast stop >/dev/null 2>&1; fi
  rm -rf "$demo_home"
}
mkdir -p "$XDG_CONFIG_HOME/degux-console"
printf '[demo]\ndir = %s/demo\nsize = 100\n' "$demo_home" >"$XDG_CONFIG_HOME/degux-console/config"
( unset PGHOST PGPORT PGDATABASE PGUSER
  "$bin" --demo report moderation --json >"$work/demo1.json" 2>"$work/demo1.err"
  "$bin" --demo --write migrate down >/dev/null 2>&1
  "$bin" --demo report moderation --json >"$work/demo2.json" 2>/dev/null
  "$bin" --demo migrate status >"$work/demo3.txt" 2>&1 )
jq -e . "$work/demo1.json" >/dev/null; ok $? "--demo report moderation --json: stdout is only the JSON, while the demo is created"
is "$(jq -r .migrated "$work/demo1.json")" true "...and the new demo has the console's schema"
is "$(jq -r .migrated "$work/demo2.json")" false "a migrate down in the demo sticks on the next start"
like "$(cat "$work/demo3.txt")" "moderation +pending" "...migrate status lists the migration as pending"
demo_stop

"$bin" --write migrate down >/dev/null 2>&1
json=$("$bin" report moderation --json)
is "$(jq -r .migrated <<<"$json")" false "without the schema report moderation says so"
is "$(jq -r .status.pending <<<"$json")" "$total" "...and counts every row pending"
is "$(snapshot degux_console)" "$console0" "the test leaves the cluster unmigrated"
done_testing
