#!/usr/bin/env bash
# Moderation against the test cluster: the console's migrations (up, down,
# up leave the catalog as they found it, nothing lands in public), validate
# finds every defect the demo planted (degux_demo.defects), its JSON and
# CSV forms, and report moderation's counts per status and per rule.
here=$(cd "$(dirname "$0")/.." && pwd)
. "$here/lib/tap.sh"
bin=${top_builddir:-.}/degux-console
eval "$("$here/lib/cluster.sh" start)" || bail_out "no test cluster"
work=$(mktemp -d)
export XDG_CONFIG_HOME=$work/config XDG_STATE_HOME=$work/state
trap 'rm -rf "$work"' EXIT

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
# A sale priced in UF instead of CLP is judged against its comuna's price
# quartiles: comunas with fewer than 10 sales are not judged, and one whose
# sales mix parcelas and departamentos has a range wide enough to hide a
# few, so that kind is held to 90%.
for line in $missing; do
  kind=${line%%:*}; counts=${line#*:}; miss=${counts%%/*}; all=${counts#*/}
  if [ "$kind" = monto_uf ]; then
    [ $((miss * 10)) -le "$all" ]; ok $? "planted monto_uf rows are reported as price outliers ($((all - miss)) of $all)"
  else
    is "$miss" 0 "every planted $kind ($all rows) is reported with its rule"
  fi
done
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
is "$rc" 0 "report moderation exits 0"
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

"$bin" --write migrate down >/dev/null 2>&1
json=$("$bin" report moderation --json)
is "$(jq -r .migrated <<<"$json")" false "without the schema report moderation says so"
is "$(jq -r .status.pending <<<"$json")" "$total" "...and counts every row pending"
is "$(snapshot degux_console)" "$console0" "the test leaves the cluster unmigrated"
done_testing
