#!/usr/bin/env bash
# The schema pane's model through its reports, against the test cluster:
# every demo table's columns (name, type, nullability, default) equal what
# psql's \d prints, its index definitions equal pg_indexes; the advisor
# finds planted problems in a scratch database and is silent on a clean
# table; bad input gets a clear message.
here=$(cd "$(dirname "$0")/.." && pwd)
. "$here/lib/tap.sh"
bin=${top_builddir:-.}/degux-console
eval "$("$here/lib/cluster.sh" start)" || bail_out "no test cluster"
work=$(mktemp -d)
export XDG_CONFIG_HOME=$work/config XDG_STATE_HOME=$work/state
scratch=degux_schema_test_$$
trap 'psql -XqAt -d postgres -c "drop database if exists $scratch" >/dev/null 2>&1; rm -rf "$work"' EXIT

json=$("$bin" report schema --json); ok $? "report schema --json exits 0"
tables=$(psql -XAt -c "select quote_ident(n.nspname) || '.' || quote_ident(c.relname) || ' ' || n.nspname || '.' || c.relname
  from pg_class c join pg_namespace n on n.oid = c.relnamespace
  where c.relkind = 'r' and n.nspname in ('public', 'degux_demo')
  and not exists (select 1 from pg_depend d where d.objid = c.oid and d.deptype = 'e')
  order by 1")
ntables=$(wc -l <<<"$tables")
is "$(jq '[.relations[] | select(.kind == "r" and (.schema == "public" or .schema == "degux_demo"))] | length' <<<"$json")" \
  "$ntables" "the tree lists every demo table ($ntables)"

bad_cols= bad_idx=
while read -r quoted plain; do
  detail=$("$bin" report schema --json --table "$plain") || { bad_cols+=" $plain(exit)"; continue; }
  got=$(jq -r '.columns[] | [.name, .type, (if .nullable then "" else "not null" end), (.default // "")] | join("|")' <<<"$detail")
  want=$(psql -XAtF'|' -c "\\d $quoted" | cut -d'|' -f1,2,4,5)
  [ "$got" = "$want" ] || { bad_cols+=" $plain"; diag "columns of $plain differ:" "$(diff <(echo "$want") <(echo "$got"))"; }
  got=$(jq -r '.indexes[] | .name + "|" + .definition' <<<"$detail" | sort)
  want=$(psql -XAt -v s="${plain%%.*}" -v t="${plain#*.}" \
    <<<"select indexname || '|' || indexdef from pg_indexes where schemaname = :'s' and tablename = :'t'" | sort)
  [ "$got" = "$want" ] || { bad_idx+=" $plain"; diag "indexes of $plain differ:" "$(diff <(echo "$want") <(echo "$got"))"; }
done <<<"$tables"
is "$bad_cols" "" "columns, types, nullability and defaults equal \\d for every table"
is "$bad_idx" "" "index names and definitions equal pg_indexes for every table"

detail=$("$bin" report schema --json --table referenciales)
is "$(jq -r '.columns[] | select(.name == "geom") | .type' <<<"$detail")" \
  "$(psql -XAt -c "select format_type(atttypid, atttypmod) from pg_attribute where attrelid = 'public.referenciales'::regclass and attname = 'geom'")" \
  "the geometry column's type is format_type's"
is "$(jq -r .rls_enabled <<<"$detail")" \
  "$(psql -XAt -c "select case when relrowsecurity then 'true' else 'false' end from pg_class where oid = 'public.referenciales'::regclass")" \
  "RLS enabled as pg_class says"
like "$(jq -r .ddl <<<"$detail")" '^CREATE TABLE public\.referenciales \(' "the DDL is reconstructed"

for st in applied failed "rolled back"; do
  want=$(psql -XAt -c "select count(*) from _prisma_migrations where case when rolled_back_at is not null then 'rolled back' when finished_at is null then 'failed' else 'applied' end = '$st'")
  is "$(jq --arg s "$st" '[.migrations[] | select(.status == $s and (.name | startswith("degux-console ") | not))] | length' <<<"$json")" "$want" "Prisma migrations: $want $st"
done

out=$("$bin" report schema --table no_such_table 2>&1); rc=$?
is "$rc" 2 "an unknown --table exits 2"
like "$out" "no table or view named no_such_table" "and says which name"

# ---- the advisor on planted problems, in a database of its own ----------
psql -XqAt -d postgres -c "create database $scratch template template0" >/dev/null || bail_out "cannot create $scratch"
psql -XqAt -d "$scratch" -v ON_ERROR_STOP=1 >/dev/null <<'SQL' || bail_out "cannot plant the schema"
create extension postgis;
create schema plant;
-- a seed table without one of its recommended indexes (comuna)
create table plant.referenciales (id int primary key, comuna text,
  fechaescritura timestamp, "userId" text, geom geometry(Point, 4326));
create index on plant.referenciales (fechaescritura);
create index on plant.referenciales ("userId");
create index on plant.referenciales using gist (geom);
-- a foreign key without an index
create table plant.parent (id int primary key);
create table plant.child (id int primary key, parent_id int references plant.parent);
-- a duplicate index
create table plant.dup (id int primary key, a int);
create index dup_a_one on plant.dup (a);
create index dup_a_two on plant.dup (a);
-- an untyped geometry column
create table plant.shapes (id int primary key, g geometry);
create index on plant.shapes using gist (g);
-- an integer key near its end, an unvalidated check, a view over RLS
create table plant.counter (id serial primary key);
select setval('plant.counter_id_seq', 2000000000);
create table plant.checked (id int primary key, n int);
alter table plant.checked add constraint n_positive check (n > 0) not valid;
alter table plant.counter enable row level security;
create view plant.counter_view as select * from plant.counter;
-- a foreign table (a wrapper without handler: nothing is ever fetched)
create foreign data wrapper plant_fdw;
create server plant_srv foreign data wrapper plant_fdw;
create foreign table plant.remote (id int not null, label text)
  server plant_srv options (table_name 'far''away');
-- a clean table: key, statistics, nothing else
create table plant.clean (id int primary key, label text not null);
insert into plant.clean select g, 'x' || g from generate_series(1, 100) g;
analyze;
SQL

other=$("$bin" -d "dbname=$scratch" report schema --json); ok $? "report schema works on a database without the degux tables"
is "$(jq -r '[.relations[] | select(.kind == "r") | .name] | sort | join(",")' <<<"$other")" \
  "checked,child,clean,counter,dup,parent,referenciales,shapes" \
  "it lists that database's tables (PostGIS's own left out)"
is "$(jq 'has("migrations")' <<<"$other")" false "no migrations without _prisma_migrations"
ddl=$("$bin" -d "dbname=$scratch" report schema --table plant.remote --json | jq -r .ddl)
is "$ddl" "CREATE FOREIGN TABLE plant.remote (
    id integer NOT NULL,
    label text
)
SERVER plant_srv OPTIONS (table_name 'far''away');" "a foreign table's DDL names its server and options"
psql -XqAt -d "$scratch" -c "drop foreign table plant.remote" >/dev/null &&
  psql -XqAt -d "$scratch" -c "$ddl" >/dev/null
ok $? "and that DDL recreates it"

# Planted after the table list above: points in the untyped column, the
# search's free-text columns without pg_trgm, statistics whose counters
# were reset (as a restart does) and a table never analyzed.
psql -XqAt -d "$scratch" -v ON_ERROR_STOP=1 >/dev/null <<'SQL' || bail_out "cannot plant the second part"
insert into plant.shapes select g, ST_SetSRID(ST_MakePoint(-70 - g / 100.0, -33), 32719)
  from generate_series(1, 20) g;
create table plant."Property" (id int primary key, title text, address text);
create table plant.stats (id int primary key, n int);
insert into plant.stats select g, g from generate_series(1, 100) g;
analyze plant.stats;
create table plant.never (id int primary key);
SQL
psql -XqAt -d "$scratch" -c "select pg_stat_reset()" >/dev/null
psql -XqAt -d "$scratch" -c "insert into plant.stats select g, g from generate_series(101, 110) g" >/dev/null
psql -XqAt -d "$scratch" -c "insert into plant.never select generate_series(1, 10)" >/dev/null
sleep 1 # a backend's counters reach the statistics at its exit
adv=$("$bin" -d "dbname=$scratch" report advisor --json); rc=$?
is "$rc" 1 "report advisor exits 1 when a finding is a warning"
has() { jq -e --arg c "$1" --arg o "$2" '[.findings[] | select(.check == $c and .object == $o)] | length > 0' <<<"$adv" >/dev/null; }
fix() { jq -r --arg c "$1" --arg o "$2" '.findings[] | select(.check == $c and .object == $o) | .fix_sql' <<<"$adv"; }
is "$(fix missing_recommended_index plant.referenciales)" \
  "CREATE INDEX CONCURRENTLY ON plant.referenciales (comuna);" "the planted missing recommended index is found, with its fix"
is "$(fix fk_without_index plant.child)" \
  "CREATE INDEX CONCURRENTLY ON plant.child (parent_id);" "the unindexed foreign key is found, with its fix"
has duplicate_index plant.dup_a_two || has duplicate_index plant.dup_a_one; ok $? "the duplicate index is found"
has untyped_geometry plant.shapes; ok $? "the untyped geometry column is found"
is "$(jq -r '.findings[] | select(.check == "integer_key_exhaustion") | .object + " " + .severity' <<<"$adv")" \
  "plant.counter critical" "a serial key past 90% of int4 is critical"
is "$(fix constraint_not_valid plant.checked)" "ALTER TABLE plant.checked VALIDATE CONSTRAINT n_positive;" \
  "a NOT VALID constraint is found, with its fix"
has view_bypasses_rls plant.counter_view; ok $? "a view over an RLS table without security_invoker is found"
is "$(jq '[.findings[] | select(.object == "plant.clean")] | length' <<<"$adv")" 0 "the clean table has no finding"
is "$(jq '[.findings[] | select(.object == "plant.referenciales" and .check != "missing_recommended_index")] | length' <<<"$adv")" 0 \
  "the well-indexed seed table has no other finding"

# The fixes are real SQL: running them clears the findings.
for sql in "$(fix missing_recommended_index plant.referenciales)" "$(fix fk_without_index plant.child)"; do
  psql -XqAt -d "$scratch" -c "$sql" >/dev/null || diag "failed: $sql"
done
adv=$("$bin" -d "dbname=$scratch" report advisor --json)
has missing_recommended_index plant.referenciales || has fk_without_index plant.child
isnt "$?" 0 "after running the fixes those findings are gone"
out=$("$bin" -d "dbname=$scratch" report advisor)
like "$out" "untyped_geometry" "the text advisor report lists the findings"

# ---- the review's cases ----------------------------------------------------
# Untyped geometry: the fix types the column as its rows are, and works.
is "$(fix untyped_geometry plant.shapes)" \
  "ALTER TABLE plant.shapes ALTER COLUMN g TYPE geometry(Point, 32719) USING ST_SetSRID(g, 32719);" \
  "the untyped-geometry fix uses the sampled type and SRID"
psql -XqAt -d "$scratch" -c "$(fix untyped_geometry plant.shapes)" >/dev/null
ok $? "and that fix runs"
# Statistics: a reset of the counters is not "never analyzed"; no ANALYZE is.
stats=$("$bin" -d "dbname=$scratch" report schema --table plant.stats --json)
is "$(jq -r '.activity.last_analyze' <<<"$stats")" null "after a statistics reset the last-analyze time is gone"
has never_analyzed plant.stats; isnt $? 0 "yet the table is not reported as never analyzed (pg_stats has its columns)"
has never_analyzed plant.never; ok $? "a table that was never analyzed is"
# Free text without pg_trgm: said once, as info.
is "$(jq -r '[.findings[] | select(.check == "pg_trgm_missing") | .severity + " " + .fix_sql] | join("|")' <<<"$adv")" \
  "info CREATE EXTENSION IF NOT EXISTS pg_trgm;" "without pg_trgm the advisor says so, as info"
has trigram_index_missing 'plant."Property"'; isnt $? 0 "and suggests no trigram index"

# On the demo database (pg_trgm installed).
dadv=$("$bin" report advisor --json)
is "$(jq -r '[.findings[] | select(.check == "duplicate_index") | .object + " " + .detail] | join("|")' <<<"$dadv")" \
  "public.idx_connection_receiver Connection_receiverId_status_idx|public.idx_connection_requester Connection_requesterId_status_idx|public.idx_property_commune_status Property_commune_status_idx|public.idx_property_type_status Property_propertyType_status_idx|public.idx_property_user Property_userId_idx|public.idx_user_email User_email_key" \
  "duplicates: Prisma's index is kept, the hand-made twin dropped; the detail names the one kept"
# More scans on a hand-made twin do not change the choice.
psql -XqAt >/dev/null <<'SQL'
set enable_seqscan = off; set enable_bitmapscan = off;
select count(*) from "Connection" where "receiverId" = 'x';
select count(*) from "Connection" where "receiverId" = 'y';
SQL
sleep 1
is "$("$bin" report advisor --json | jq -r '[.findings[] | select(.check == "duplicate_index") | .object] | join(",")')" \
  "$(jq -r '[.findings[] | select(.check == "duplicate_index") | .object] | join(",")' <<<"$dadv")" \
  "the same choice after more scans"
is "$(jq -r '.findings[] | select(.check == "untyped_geometry" and .object == "public.referenciales") | .fix_sql' <<<"$dadv")" \
  "ALTER TABLE public.referenciales ALTER COLUMN geom TYPE geometry(Point, 4326) USING ST_SetSRID(geom, 4326);" \
  "referenciales.geom: the fix says Point, 4326"
trgm=$(jq -r '.findings[] | select(.check == "trigram_index_missing") | .object + " " + .detail' <<<"$dadv" | sort | paste -sd,)
is "$trgm" 'public."Property" address,public."Property" title,public.referenciales comprador,public.referenciales predio,public.referenciales vendedor' \
  "pg_trgm installed: a trigram index is suggested for each free-text column"
# The suggested indexes serve the search's own free-text query.
sql=$("$bin" search referenciales --text perez --sql)
params=$(sed -n 's/^-- \$[0-9]* = //p' <<<"$sql" | sed "s/.*/'&'/" | paste -sd,)
stmt=$(sed '/^-- \$/d; /^SET /d; s/;$//' <<<"$sql")
fixes=$(jq -r '.findings[] | select(.check == "trigram_index_missing") | .fix_sql' <<<"$dadv" | sed 's/ CONCURRENTLY//')
plan=$(printf 'BEGIN;\n%s\nPREPARE q AS %s;\nEXPLAIN (COSTS OFF) EXECUTE q(%s);\nROLLBACK;\n' "$fixes" "$stmt" "$params" | psql -XAt)
is "$(grep -o 'Bitmap Index Scan on referenciales_[a-z]*_idx' <<<"$plan" | sort | paste -sd,)" \
  "Bitmap Index Scan on referenciales_comprador_idx,Bitmap Index Scan on referenciales_predio_idx,Bitmap Index Scan on referenciales_vendedor_idx" \
  "the search's free-text query uses the suggested trigram indexes"
unlike "$plan" "Seq Scan" "and scans no table"

# Names as psql reads them.
for name in '"User"' 'public."User"' 'User' 'PUBLIC."User"'; do
  is "$("$bin" report schema --table "$name" --json | jq -r '.schema + "." + .name')" public.User "--table $name names public.User"
done
"$bin" report schema --table 'user' >/dev/null 2>&1
is "$?" 2 "--table user (psql folds it to user) names no table"
"$bin" report schema --table '"User' >/dev/null 2>&1
is "$?" 2 "an unclosed quote exits 2"

# Text reports print SQL as lines that paste.
txt=$("$bin" report schema --table Property)
unlike "$txt" '\^J' "no ^J in the text report"
ddl_json=$("$bin" report schema --table Property --json | jq -r .ddl)
ddl_text=$(sed -n '/^  DDL:$/,$p' <<<"$txt" | sed '1d; s/^      //')
is "$ddl_text" "$ddl_json" "the DDL prints as its own lines, indented"
unlike "$("$bin" -d "dbname=$scratch" report advisor)" '\^J' "nor in the advisor's"

done_testing
