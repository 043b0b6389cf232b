#!/usr/bin/env bash
# `degux-console search` against the test cluster: every filter alone and
# combined returns exactly the ids an independent query written here
# returns; the radius matches a brute-force geography distance and uses the
# GIST index on an untyped and a typed geom column; keyset pages neither
# skip nor repeat rows while rows are inserted; hostile text is literal.
here=$(cd "$(dirname "$0")/.." && pwd)
. "$here/lib/tap.sh"
bin=${top_builddir:-.}/degux-console
eval "$("$here/lib/cluster.sh" start)" || bail_out "no test cluster"
work=$(mktemp -d)
export XDG_CONFIG_HOME=$work/config XDG_STATE_HOME=$work/state
cleanup() {
  psql -XqAtc "delete from referenciales where id like 'srchtest-%'" >/dev/null 2>&1
  rm -rf "$work"
}
trap cleanup EXIT
cleanup_rows() { psql -XqAtc "delete from referenciales where id like 'srchtest-%'" >/dev/null; }
cleanup_rows

# The ids the console finds (all pages), sorted.
ids() { "$bin" search "$@" --all --csv | tail -n +2 | cut -d, -f1 | sort; }
# The ids an independent query finds, sorted.
sql_ids() { psql -XAtc "select id from $1 where $2" | sort; }
same() { # DESC CONSOLE-ARGS... -- TABLE WHERE
  local desc=$1; shift
  local args=() ; while [ "$1" != "--" ]; do args+=("$1"); shift; done; shift
  local got want
  got=$(ids "${args[@]}"); want=$(sql_ids "$1" "$2")
  if [ -n "$want" ] && [ "$got" = "$want" ]; then
    ok 0 "$desc ($(wc -l <<<"$want") rows)"
  else
    ok 1 "$desc"
    diag "console: $(wc -l <<<"$got") rows, psql: $(wc -l <<<"$want") rows"
  fi
}

unaccent="lower(translate(comuna, 'áéíóúÁÉÍÓÚñÑüÜ', 'aeiouAEIOUnNuU'))"
same "comuna, any spelling (nunoa finds Ñuñoa, ÑUÑOA, Nunoa, NUNOA)" \
  referenciales --comuna nunoa -- referenciales "$unaccent = 'nunoa'"
same "comuna with accents typed (Concepción)" \
  referenciales --comuna "Concepción" -- referenciales "$unaccent = 'concepcion'"
same "date range, both ends inclusive" \
  referenciales --from 2020-03-01 --to 2020-06-30 -- referenciales \
  "fechaescritura >= '2020-03-01' and fechaescritura < '2020-07-01'"
same "anio range" referenciales --anio-min 2015 --anio-max 2016 -- \
  referenciales "anio between 2015 and 2016"
same "monto range (NULL monto excluded)" referenciales --min-price 50000000 \
  --max-price 60000000 -- referenciales "monto between 50000000 and 60000000"
same "superficie range" referenciales --min-surface 100 --max-surface 101.5 \
  -- referenciales "superficie >= 100 and superficie <= 101.5"
rol=$(psql -XAtc "select rol from referenciales where rol ~ '^[0-9]{5}-' order by id limit 1")
same "ROL exact" referenciales --rol "$rol" -- referenciales "rol = '$rol'"
same "ROL prefix (123*)" referenciales --rol '123*' -- referenciales "left(rol, 3) = '123'"
cbr=$(psql -XAtc "select cbr from referenciales order by id limit 1")
same "CBR, any case" referenciales --cbr "${cbr^^}" -- referenciales "lower(cbr) = lower('$cbr')"
same "free text over comprador, vendedor, predio" referenciales --text riquelme \
  -- referenciales "strpos(lower(comprador || ' ' || vendedor || ' ' || predio), 'riquelme') > 0"
same "region (Ñuble: its comunas)" referenciales --region nuble -- referenciales \
  "$unaccent in ('chillan','chillan viejo','bulnes','san carlos','coihueco','pinto','el carmen','pemuco','yungay','san ignacio','quillon','ranquil','portezuelo','coelemu','treguaco','cobquecura','quirihue','ninhue','san nicolas','niquen','san fabian')"
same "combined: comuna + dates + monto" referenciales --comuna "PUENTE ALTO" \
  --from 2015-01-01 --to 2019-12-31 --min-price 40000000 -- referenciales \
  "$unaccent = 'puente alto' and fechaescritura >= '2015-01-01' and fechaescritura < '2020-01-01' and monto >= 40000000"
same "Property: commune + type + status" property --comuna "Las Condes" \
  --type DEPARTAMENTO --status available -- '"Property"' \
  "commune = 'Las Condes' and \"propertyType\" = 'DEPARTAMENTO' and status = 'available'"
same "Property: price range + text" property --min-price 100000000 --text casa \
  -- '"Property"' "price >= 100000000 and (title ilike '%casa%' or address ilike '%casa%')"

# Radius: a brute-force spheroid distance over every row.
pt="ST_SetSRID(ST_MakePoint(-70.65, -33.45), 4326)::geography"
same "5 km radius equals brute-force ST_Distance(geography)" referenciales \
  --near -33.45,-70.65 --radius 5 -- referenciales "ST_Distance(geom::geography, $pt) <= 5000"
same "0.8 km radius equals brute force" referenciales --near -33.45,-70.65 \
  --radius 0.8 -- referenciales "ST_Distance(geom::geography, $pt) <= 800"
same "Property radius (lat/lng columns) equals brute force" property \
  --near -33.45,-70.65 --radius 10 -- '"Property"' \
  "ST_Distance(ST_SetSRID(ST_MakePoint(lng, lat), 4326)::geography, $pt) <= 10000"

# A radius page sorted by an indexed column walks that index first and
# searches the circle only when the walk finds less than a page: either way
# the page is the brute-force order's first rows, and its cursor the next.
dist="ST_Distance(geom::geography, $pt)"
page_ids() { "$bin" search referenciales "$@" --json | jq -r '.rows[].id'; }
page_same() { # DESC ORDER-BY WHERE CONSOLE-ARGS...
  local desc=$1 order=$2 where=$3; shift 3
  local got want
  got=$(page_ids "$@"); want=$(psql -XAtc "select id from referenciales where $where order by $order limit 50")
  if [ -n "$want" ] && [ "$got" = "$want" ]; then
    ok 0 "$desc ($(wc -l <<<"$want") rows)"
  else
    ok 1 "$desc"; diag "console: $(wc -l <<<"$got") rows, psql: $(wc -l <<<"$want") rows"
  fi
}
page_same "5 km, first page in date order" "fechaescritura, id" "$dist <= 5000" \
  --near -33.45,-70.65 --radius 5 --limit 50
next=$("$bin" search referenciales --near -33.45,-70.65 --radius 5 --limit 50 --json | jq -c .next)
av=$(jq -r .after_value <<<"$next"); ai=$(jq -r .after_id <<<"$next")
page_same "5 km, the next page by its cursor" "fechaescritura, id" \
  "$dist <= 5000 and (fechaescritura, id) > ('$av', '$ai')" \
  --near -33.45,-70.65 --radius 5 --limit 50 --after-value "$av" --after-id "$ai"
page_same "5 km, by comuna descending" "comuna desc, id desc" "$dist <= 5000" \
  --near -33.45,-70.65 --radius 5 --limit 50 --sort comuna --desc
page_same "0.5 km: under a page, the circle is searched" "fechaescritura, id" \
  "$dist <= 500" --near -33.45,-70.65 --radius 0.5 --limit 50
# Whether the circle's own search was skipped: the node under its one-time
# filter never executed.
circle_skipped() { # CONSOLE-ARGS...
  local sql params
  sql=$("$bin" search referenciales "$@" --sql)
  params=$(sed -n 's/^-- \$[0-9]* = //p' <<<"$sql" | sed "s/.*/'&'/" | paste -sd,)
  printf 'PREPARE q AS %s;\nEXPLAIN (ANALYZE, COSTS OFF) EXECUTE q(%s);\n' \
    "$(sed '/^-- \$/d; /^SET /d; s/;$//' <<<"$sql")" "$params" | psql -XAt |
    grep -A1 'One-Time Filter: (\$[0-9]* < 50)' | tail -1 | grep -q 'never executed'
}
circle_skipped --near -33.45,-70.65 --radius 5 --limit 50
is $? 0 "5 km around Santiago: the walk finds the page, the circle is not searched"
circle_skipped --near -33.45,-70.65 --radius 0.5 --limit 50
is $? 1 "0.5 km: the walk finds less than a page, the circle is searched"

# The radius query uses the GIST index, on an untyped and a typed column.
# (sorted by monto, which no index orders: the radius alone must find them)
near_sql=$("$bin" search referenciales --near -33.45,-70.65 --radius 5 --sort monto --sql)
params=$(sed -n 's/^-- \$[0-9]* = //p' <<<"$near_sql" | sed "s/.*/'&'/" | paste -sd,)
stmt=$(sed '/^-- \$/d; /^SET /d; s/;$//' <<<"$near_sql")
plan=$(psql -XAt <<EOF
PREPARE q AS $stmt;
EXPLAIN (COSTS OFF) EXECUTE q($params);
EOF
)
like "$plan" "idx_referenciales_geom" "untyped geometry: the radius page uses the GIST index"
plan=$(psql -XAt <<EOF
BEGIN;
ALTER TABLE referenciales ALTER geom TYPE geometry(Point, 4326);
PREPARE q AS $stmt;
EXPLAIN (COSTS OFF) EXECUTE q($params);
ROLLBACK;
EOF
)
like "$plan" "idx_referenciales_geom" "typed geometry(Point,4326): the GIST index too"

# Keyset paging while rows are inserted between pages: no id twice, every
# row that existed before the first page is seen.
before=$(sql_ids referenciales "comuna = 'Santiago'")
seen=$work/seen; : >"$seen"
cursor=(); pages=0
while :; do
  page=$("$bin" search referenciales --comuna Santiago --sort fechaescritura \
         --limit 60 --json "${cursor[@]}") || break
  jq -r '.rows[].id' <<<"$page" >>"$seen"
  pages=$((pages + 1))
  [ "$(jq -r '.next' <<<"$page")" = null ] && break
  cursor=(--after-value "$(jq -r .next.after_value <<<"$page")"
          --after-id "$(jq -r .next.after_id <<<"$page")")
  psql -XqAtc "insert into referenciales select (jsonb_populate_record(r, jsonb_build_object(
      'id', 'srchtest-p$pages-' || g, 'fechaescritura', timestamp '2005-01-01' + g * interval '700 days'))).*
      from referenciales r, generate_series(1, 4) g where r.id = (select min(id) from referenciales where comuna = 'Santiago')"
  [ $pages -gt 100 ] && break
done
is "$(sort "$seen" | uniq -d | wc -l)" 0 "keyset: no row repeated over $pages pages with inserts between them"
is "$(comm -23 <(echo "$before") <(sort "$seen") | wc -l)" 0 "keyset: no row that existed is skipped"
cleanup_rows

# Hostile text is searched literally.
hostile="'); drop table x; -- 100% _a\\b"
psql -Xq -v h="$hostile" <<'EOF'
insert into referenciales select (jsonb_populate_record(r, jsonb_build_object(
  'id', 'srchtest-hostile', 'comprador', :'h'))).* from referenciales r
  where r.id = (select min(id) from referenciales);
EOF
is "$(ids referenciales --text "$hostile")" srchtest-hostile "hostile text finds exactly the row holding it"
same "'%' matches a literal percent sign only" referenciales --text '%' -- \
  referenciales "strpos(comprador || vendedor || predio, '%') > 0"
is "$(ids referenciales --text '_a\' )" srchtest-hostile "'_' and '\\' are literal"
is "$(psql -XAtc "select count(*) from referenciales where id like 'srchtest-%'")" 1 "the table is intact"
cleanup_rows

# Bad arguments: a message naming the argument, exit 2, no query.
check_bad() { # DESC WANT-REGEX ARGS...
  local desc=$1 want=$2; shift 2
  local err rc
  err=$("$bin" search "$@" 2>&1 >/dev/null); rc=$?
  is "$rc" 2 "$desc exits 2"
  like "$err" "$want" "$desc names it"
}
check_bad "latitude 95" "--near \\(latitude\\)" referenciales --near 95,-70 --radius 1
check_bad "a negative radius" "--radius" referenciales --near -33,-70 --radius -1
check_bad "a letter in a number" "--min-price" referenciales --min-price 12a
check_bad "from after to" "--from" referenciales --from 2024-02-01 --to 2024-01-01
check_bad "an impossible date" "--to" referenciales --to 2023-02-29
check_bad "an unknown target" "users" users
check_bad "a bad --limit" "--limit" referenciales --limit x
check_bad "an unknown sort column" "--sort" referenciales --sort password
check_bad "a Property status for a listing" "--status" listing --status sold

# A listing's --status (as --help lists it) is its "isActive".
same "listing --status inactive" listing --status inactive -- \
  '"PropertyListing"' 'not "isActive"'
same "listing --status active" listing --status active -- \
  '"PropertyListing"' '"isActive"'

# Options that take a value: "--comuna VALUE" is "--comuna=VALUE", and a
# console option's value spelled "search" is a value, not the command.
is "$("$bin" search referenciales --comuna Ñuñoa --limit 5 --csv)" \
   "$("$bin" search referenciales --comuna=Ñuñoa --limit 5 --csv)" \
   "search --comuna VALUE equals --comuna=VALUE"
out=$("$bin" --comuna search validate --json 2>&1); rc=$?
is "$rc" 0 "--comuna search validate: \"search\" is the comuna, not the command"
is "$(jq -r .rows <<<"$out" 2>/dev/null)" 0 "and validate ran (0 rows in comuna \"search\")"
err=$("$bin" --as-role search report rls 2>&1 >/dev/null)
unlike "$err" "expected referenciales" "--as-role search: the role's name, not the command"

# The server refusing the query (a cursor value that is not a timestamp)
# exits 2, as every command does when the database fails it.
err=$("$bin" search referenciales --after-value nope --after-id x 2>&1 >/dev/null); rc=$?
is "$rc" 2 "a server error exits 2"
like "$err" "invalid input syntax" "with the server's message"

done_testing
