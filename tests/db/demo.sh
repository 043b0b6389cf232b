#!/usr/bin/env bash
# The demo database as tests/lib/cluster.sh loads it from data/*.sql: the
# schema exactly as Prisma creates it, the seed's indexes, RLS policies and
# auth.uid() shim, the generated rows and their planted defects, the
# workload in pg_stat_statements and the migration history.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/tap.sh"
datadir=${DEGUX_DATADIR:-$here/../../data}

bindir=$(pg_config --bindir 2>/dev/null)
[ -x "$bindir/initdb" ] || bindir=/usr/lib/postgresql/15/bin
[ -x "$bindir/initdb" ] || skip_all "PostgreSQL 15 server programs are not installed"
env=$("$here/../lib/cluster.sh" start) || bail_out "tests/lib/cluster.sh start failed"
eval "$env"

q() { psql -X -A -t -q -v ON_ERROR_STOP=1 "$@"; }
# One value per line, for comparing whole listings.
ql() { q -c "$1" | tr '\n' ' ' | sed 's/ $//'; }

size=$(q -c 'SELECT demo_size FROM degux_demo.loaded')

# ---- the schema as Prisma creates it ---------------------------------------
# Other tests may hold scratch tables in public meanwhile: only Prisma's
# names are compared.
prisma="'Account','AuditLog','ChatMessage','Connection','Property',
  'PropertyListing','Session','User','VerificationToken','_prisma_migrations',
  'conservadores','referenciales'"
is "$(ql "SELECT table_name FROM information_schema.tables
          WHERE table_schema = 'public' AND table_type = 'BASE TABLE'
            AND table_name IN ($prisma) ORDER BY 1")" \
   "Account AuditLog ChatMessage Connection Property PropertyListing Session User VerificationToken _prisma_migrations conservadores referenciales" \
   "public holds Prisma's tables under their quoted names"

columns() {
  ql "SELECT a.attname || ':' || format_type(a.atttypid, a.atttypmod)
             || CASE WHEN a.attnotnull THEN ':not null' ELSE '' END
             || coalesce(':default ' || pg_get_expr(d.adbin, d.adrelid), '')
      FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
      WHERE a.attrelid = '$1'::regclass AND a.attnum > 0 AND NOT a.attisdropped
      ORDER BY a.attnum"
}
is "$(columns referenciales)" \
   "id:text:not null lat:double precision:not null lng:double precision:not null fojas:text:not null numero:integer:not null anio:integer:not null cbr:text:not null comprador:text:not null vendedor:text:not null predio:text:not null comuna:text:not null rol:text:not null fechaescritura:timestamp(3) without time zone:not null superficie:double precision:not null monto:bigint observaciones:text userId:text conservadorId:text:not null geom:geometry createdAt:timestamp(3) without time zone:not null:default CURRENT_TIMESTAMP updatedAt:timestamp(3) without time zone:not null" \
   "referenciales: columns, types, nullability (monto, userId nullable; untyped geom)"
is "$(columns '"User"')" \
   'id:text:not null name:text email:text:not null password:text emailVerified:timestamp(3) without time zone image:text createdAt:timestamp(3) without time zone:not null:default CURRENT_TIMESTAMP updatedAt:timestamp(3) without time zone:not null role:"Role":not null:default '"'user'::\"Role\""' bio:text commune:text company:text isPublicProfile:boolean:not null:default false linkedin:text phone:text profession:"ProfessionType" region:text website:text' \
   '"User": camelCase columns, "Role" enum defaulting to user, profile fields'
is "$(columns '"Property"')" \
   'id:text:not null userId:text:not null title:text:not null description:text propertyType:"PropertyType":not null status:"PropertyStatus":not null:default '"'available'::\"PropertyStatus\""' address:text:not null commune:text:not null region:text:not null lat:double precision lng:double precision bedrooms:integer bathrooms:integer parkingSpots:integer totalSurface:double precision builtSurface:double precision price:bigint:not null currency:text:not null:default '"'CLP'::text"' images:text[]:default ARRAY[]::text[] mainImage:text featured:boolean:not null:default false views:integer:not null:default 0 createdAt:timestamp(3) without time zone:not null:default CURRENT_TIMESTAMP updatedAt:timestamp(3) without time zone:not null' \
   '"Property": columns, enums and defaults as Prisma writes them'
is "$(q -c "SELECT count(*) FROM information_schema.columns
            WHERE table_schema = 'public' AND data_type LIKE 'timestamp%'
              AND table_name <> '_prisma_migrations' AND table_name IN (SELECT table_name
                  FROM information_schema.tables WHERE table_type = 'BASE TABLE')
              AND (data_type <> 'timestamp without time zone' OR datetime_precision <> 3)")" 0 \
   "every Prisma timestamp is timestamp(3) without time zone"
is "$(ql "SELECT table_name || ':' || coalesce(column_default, 'none') FROM information_schema.columns
          WHERE table_schema = 'public' AND column_name = 'updatedAt' ORDER BY 1")" \
   "Account:none Connection:none Property:none PropertyListing:none User:none conservadores:none referenciales:none" \
   '"updatedAt" has no database default (Prisma sets it)'

enum() { ql "SELECT enumlabel FROM pg_enum WHERE enumtypid = '\"$1\"'::regtype ORDER BY enumsortorder"; }
is "$(enum Role)" "user admin superadmin" '"Role" enum'
is "$(enum ProfessionType)" "CORREDOR TASADOR ARQUITECTO CONSTRUCTOR INGENIERO INVERSIONISTA ABOGADO OTRO" '"ProfessionType" enum'
is "$(enum PropertyType)" "CASA DEPARTAMENTO TERRENO LOCAL_COMERCIAL OFICINA BODEGA PARCELA OTRO" '"PropertyType" enum'
is "$(enum PropertyStatus) / $(enum ConnectionStatus) / $(enum MessageRole)" \
   "available reserved sold inactive / pending accepted rejected blocked / user bot" \
   '"PropertyStatus", "ConnectionStatus" and "MessageRole" enums'
is "$(enum ListingSource)" "PORTAL_INMOBILIARIO TOCTOC MERCADO_LIBRE YAPO OTRO" '"ListingSource" enum'

is "$(ql "SELECT conname || ':' || confdeltype::text || confupdtype::text FROM pg_constraint
          WHERE contype = 'f' AND connamespace = 'public'::regnamespace ORDER BY 1")" \
   "Account_userId_fkey:cc AuditLog_userId_fkey:rc ChatMessage_userId_fkey:cc Connection_receiverId_fkey:cc Connection_requesterId_fkey:cc Property_userId_fkey:cc Session_userId_fkey:cc referenciales_conservadorId_fkey:rc referenciales_userId_fkey:nc" \
   "foreign keys carry Prisma's names and ON DELETE/UPDATE actions"
is "$(ql "SELECT indexname FROM pg_indexes WHERE schemaname = 'public'
            AND indexname IN ('User_email_key', 'Account_provider_providerAccountId_key',
              'Session_sessionToken_key', 'VerificationToken_identifier_key',
              'Connection_requesterId_receiverId_key', 'PropertyListing_source_externalId_key')
            AND indexdef LIKE 'CREATE UNIQUE%' ORDER BY 1")" \
   "Account_provider_providerAccountId_key Connection_requesterId_receiverId_key PropertyListing_source_externalId_key Session_sessionToken_key User_email_key VerificationToken_identifier_key" \
   "Prisma's unique indexes, by Prisma's names"
is "$(q -c "SELECT count(*) FROM pg_indexes WHERE schemaname = 'public' AND indexname IN (
            'idx_user_email', 'idx_user_profession', 'idx_user_region_commune', 'idx_property_user',
            'idx_property_status', 'idx_property_commune_status', 'idx_property_type_status',
            'idx_property_price', 'idx_connection_requester', 'idx_connection_receiver',
            'idx_referenciales_comuna', 'idx_referenciales_fecha', 'idx_referenciales_user',
            'idx_referenciales_geom')")" 14 \
   "the seed's 14 recommended indexes exist"
is "$(q -c "SELECT am.amname || ' ' || pg_get_indexdef(i.indexrelid, 1, true) FROM pg_index i
            JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am am ON am.oid = c.relam
            WHERE c.relname = 'idx_referenciales_geom'")" "gist geom" \
   "referenciales(geom) has a GIST index"
is "$(q -c "SELECT pg_get_expr(indpred, indrelid) FROM pg_index WHERE indexrelid = 'idx_property_price'::regclass")" \
   "(status = 'available'::\"PropertyStatus\")" "idx_property_price is partial on available properties"
is "$(ql "SELECT extname || '@' || extnamespace::regnamespace FROM pg_extension
          WHERE extname IN ('postgis', 'pg_stat_statements', 'pg_trgm') ORDER BY 1")" \
   "pg_stat_statements@public pg_trgm@public postgis@public" \
   "postgis, pg_stat_statements and pg_trgm are installed in public"
is "$(q -c "SELECT type || ' ' || srid FROM geometry_columns WHERE f_table_name = 'referenciales'")" \
   "GEOMETRY 0" "geom is plain geometry, with no type or SRID modifier"

# ---- migration history -------------------------------------------------------
is "$(q -c "SELECT count(*) FILTER (WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL) || ' applied, '
            || count(*) FILTER (WHERE finished_at IS NULL AND rolled_back_at IS NULL AND logs <> '') || ' failed, '
            || count(*) FILTER (WHERE rolled_back_at IS NOT NULL AND logs <> '') || ' rolled back'
            FROM _prisma_migrations")" "7 applied, 1 failed, 1 rolled back" \
   "_prisma_migrations has applied, failed and rolled-back migrations"
is "$(q -c "SELECT count(*) FROM _prisma_migrations WHERE checksum !~ '^[0-9a-f]{64}$'
              OR id !~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'")" 0 \
   "migration ids are uuids and checksums sha-256 hex, as Prisma writes them"
is "$(q -c "SELECT count(DISTINCT migration_name) FROM _prisma_migrations m
            WHERE rolled_back_at IS NOT NULL AND EXISTS (SELECT 1 FROM _prisma_migrations r
              WHERE r.migration_name = m.migration_name AND r.finished_at IS NOT NULL)")" 1 \
   "the rolled-back migration was applied again afterwards"

# ---- row counts and variety --------------------------------------------------
like "$size" '^[0-9]+$' "degux_demo.loaded records the size ($size)"
is "$(q -c 'SELECT count(*) FROM referenciales')" "$size" "referenciales holds exactly the requested size"
is "$(q -c 'SELECT (SELECT count(*) FROM "User") || '"' '"' || (SELECT count(*) FROM "Property")')" \
   "320 20000" '320 users and 20000 properties'
is "$(q -c "SELECT (SELECT count(DISTINCT role) FROM \"User\") || ' ' || (SELECT count(DISTINCT profession) FROM \"User\")
            || ' ' || (SELECT count(DISTINCT \"isPublicProfile\") FROM \"User\")")" "3 8 2" \
   "users of every role and profession, public and private profiles"
is "$(q -c "SELECT count(DISTINCT \"propertyType\") || ' ' || count(DISTINCT status) FROM \"Property\"")" "8 4" \
   "properties of every type and status"
is "$(q -c "SELECT count(DISTINCT source) || ' ' || count(DISTINCT status)
            FROM \"PropertyListing\", (SELECT DISTINCT status FROM \"Connection\") s")" "5 4" \
   "listings from every source, connections in every state"
is "$(q -c "SELECT (SELECT count(*) > 0 FROM \"AuditLog\") AND (SELECT count(*) > 0 FROM \"ChatMessage\")
            AND (SELECT count(*) > 0 FROM \"Account\") AND (SELECT count(*) > 0 FROM \"Session\")
            AND (SELECT count(DISTINCT role) = 2 FROM \"ChatMessage\")")" t \
   "audit log, chat messages (user and bot), accounts and sessions exist"
is "$(q -c "SELECT count(DISTINCT k.region) FROM conservadores k")" 16 "conservadores cover all 16 regions"
is "$(q -c "SELECT count(*) FROM conservadores k WHERE NOT EXISTS (
              SELECT 1 FROM degux_demo.comunas c WHERE c.comuna = k.comuna AND c.region = k.region)")" 0 \
   "every conservador sits in a real comuna of its region"
is "$(q -c "SELECT count(*) FROM referenciales WHERE \"userId\" IS NULL AND \"createdAt\" < '2025-06-18'")" 0 \
   "rows without a user appear only after the migration that allowed them"
share=$(q -c "SELECT round(100.0 * count(*) FILTER (WHERE \"userId\" IS NULL) / count(*)) FROM referenciales")
[ "$share" -ge 25 ] && [ "$share" -le 35 ]
ok $? "about 30% of referenciales have no user (scraped): $share%"
top=$(q -c "SELECT string_agg(comuna, ',') FROM (SELECT comuna FROM referenciales GROUP BY 1 ORDER BY count(*) DESC LIMIT 5) t")
like "$top" "Puente Alto|Maipú" "referenciales are weighted toward populous comunas ($top)"
is "$(q -c "SELECT count(DISTINCT comuna) > 300 FROM referenciales r WHERE comuna IN (SELECT comuna FROM degux_demo.comunas)")" t \
   "referenciales are spread over most of the 346 comunas"
is "$(q -c "SELECT count(*) FROM referenciales r LEFT JOIN degux_demo.defects d ON d.referencial_id = r.id
            WHERE d.kind IS NULL AND (r.fechaescritura < '2010-01-01' OR r.fechaescritura >= '2026-01-01'
              OR r.anio <> extract(year FROM r.fechaescritura) OR r.monto <= 0 OR r.superficie <= 0
              OR r.numero <= 0 OR r.cbr <> (SELECT nombre FROM conservadores k WHERE k.id = r.\"conservadorId\"))")" 0 \
   "valid rows: 2010-2025 deeds, anio matching, positive amounts, cbr naming their conservador"
is "$(q -c "SELECT count(*) FROM (SELECT comuna, percentile_cont(0.5) WITHIN GROUP (ORDER BY monto / superficie) m
            FROM referenciales r WHERE comuna IN ('Las Condes', 'Puente Alto', 'Ñuñoa') AND predio LIKE 'Departamento%'
            AND r.id NOT IN (SELECT referencial_id FROM degux_demo.defects) GROUP BY comuna) t
            WHERE m BETWEEN 500000 AND 5000000")" 3 \
   "departamento prices per m² are plausible CLP (0.5-5 million)"

# ---- defects -------------------------------------------------------------------
kinds="bad_fojas bad_rol comuna_spelling duplicate future_fecha geom_mismatch missing_monto monto_uf swapped_latlng unknown_cbr unknown_comuna"
is "$(ql 'SELECT DISTINCT kind FROM degux_demo.defects ORDER BY 1')" "$kinds" "every defect kind is present"
pct=$(q -c "SELECT round(100.0 * (SELECT count(*) FROM degux_demo.defects) / count(*), 2) FROM referenciales")
awk -v p="$pct" 'BEGIN { exit !(p >= 3 && p <= 5) }'
ok $? "defects are between 3% and 5% of referenciales ($pct%)"
is "$(q -c "SELECT count(*) FROM degux_demo.defects d LEFT JOIN referenciales r ON r.id = d.referencial_id WHERE r.id IS NULL")" 0 \
   "every listed defect is a real row"

# Each detector, written from the rules and not from the generator, must
# flag exactly the rows planted with its defect and nothing else (a
# duplicate also flags the original it copies).
detect() {
  local kind=$1 cond=$2
  is "$(q -c "SELECT count(*) FILTER (WHERE $cond AND d.kind = '$kind') = count(*) FILTER (WHERE d.kind = '$kind')
              AND count(*) FILTER (WHERE d.kind = '$kind') > 0
              AND count(*) FILTER (WHERE $cond AND d.kind IS DISTINCT FROM '$kind') = 0
              FROM referenciales r LEFT JOIN degux_demo.defects d ON d.referencial_id = r.id")" t \
     "$kind: found exactly by its rule"
}
fold="lower(translate(r.comuna, 'áéíóúÁÉÍÓÚñÑüÜ', 'aeiouAEIOUnNuU'))"
official="r.comuna IN (SELECT comuna FROM degux_demo.comunas)"
matches="EXISTS (SELECT 1 FROM degux_demo.comunas c WHERE lower(translate(c.comuna, 'áéíóúÁÉÍÓÚñÑüÜ', 'aeiouAEIOUnNuU')) = $fold)"
detect bad_rol "r.rol !~ '^[0-9]{5}-[0-9]{4}\$'"
detect bad_fojas "r.fojas !~ '^[0-9]+\$'"
detect unknown_cbr "r.cbr NOT IN (SELECT nombre FROM conservadores)"
detect comuna_spelling "NOT $official AND $matches"
detect unknown_comuna "NOT $official AND NOT $matches"
detect swapped_latlng "r.lat NOT BETWEEN -56 AND -17 AND r.lng BETWEEN -56 AND -17"
detect geom_mismatch "NOT ST_Equals(r.geom, ST_SetSRID(ST_MakePoint(r.lng, r.lat), 4326))"
detect future_fecha "r.fechaescritura > localtimestamp"
detect missing_monto "r.monto IS NULL"
detect monto_uf "r.monto / r.superficie < 1000"
is "$(q -c "SELECT count(*) = 2 * (SELECT count(*) FROM degux_demo.defects WHERE kind = 'duplicate')
              AND count(*) FILTER (WHERE d.kind = 'duplicate') * 2 = count(*)
            FROM referenciales r LEFT JOIN degux_demo.defects d ON d.referencial_id = r.id
            WHERE (r.cbr, r.fojas, r.numero, r.anio) IN (SELECT cbr, fojas, numero, anio FROM referenciales
                   GROUP BY 1, 2, 3, 4 HAVING count(*) > 1)")" t \
   "duplicate: every repeated (cbr, fojas, numero, anio) is one original plus one planted copy"
like "$(ql "SELECT DISTINCT r.comuna FROM referenciales r JOIN degux_demo.defects d ON d.referencial_id = r.id
            WHERE d.kind = 'comuna_spelling' AND r.comuna IN ('Nunoa', 'NUNOA', 'PENALOLEN', 'Penalolen', 'Vina del Mar', 'VINA DEL MAR', 'ÑUÑOA')")" \
   "Nunoa|NUNOA|PENALOLEN|Penalolen|Vina del Mar|VINA DEL MAR" "misspelt comunas look like real ones (Nunoa, PENALOLEN, Vina del Mar)"
is "$(q -c "SELECT count(*) FROM referenciales r JOIN degux_demo.comunas c ON c.comuna = r.comuna
            LEFT JOIN degux_demo.defects d ON d.referencial_id = r.id
            WHERE d.kind IS NULL AND ST_Distance(r.geom::geography,
                  ST_SetSRID(ST_MakePoint(c.lng, c.lat), 4326)::geography) >= 20000")" 0 \
   "every valid row lies within 20 km of its comuna's centroid"

# ---- UTF-8: ñ and accents survive ---------------------------------------------
is "$(q -c "SELECT encode(convert_to(comuna, 'UTF8'), 'hex') FROM referenciales WHERE comuna = 'Ñuñoa' LIMIT 1")" \
   "c39175c3b16f61" "Ñuñoa is stored as UTF-8 (Ñ = c3 91, ñ = c3 b1)"
is "$(q -c "SELECT count(*) > 0 FROM referenciales WHERE comprador LIKE '%Muñoz%' OR vendedor LIKE '%Ibáñez%'")" t \
   "buyers and sellers carry names such as Muñoz and Ibáñez"
is "$(q -c "SELECT count(*) FROM referenciales WHERE comprador ILIKE '%MUÑOZ%'") $(q -c "SELECT upper('peñalolén')")" \
   "$(q -c "SELECT count(*) FROM referenciales WHERE comprador LIKE '%Muñoz%' OR comprador LIKE '%MUÑOZ%'") PEÑALOLÉN" \
   "case folding knows ñ and accents (ILIKE, upper)"
is "$(q -c "SELECT count(*) > 0 FROM \"User\" WHERE name ~ '[ñáéíóúÁÉÍÓÚÑ]'")" t "user names have accents and ñ"

# ---- Row Level Security and auth.uid() --------------------------------------------
is "$(ql "SELECT relname FROM pg_class WHERE relrowsecurity AND relnamespace = 'public'::regnamespace ORDER BY 1")" \
   "Connection Property referenciales" "RLS is enabled on Property, Connection and referenciales"
is "$(ql "SELECT tablename || '.' || policyname || ':' || cmd FROM pg_policies WHERE schemaname = 'public' ORDER BY 1")" \
   "Connection.connection_insert:INSERT Connection.connection_select_own:SELECT Connection.connection_update_recipient:UPDATE Property.property_delete_own:DELETE Property.property_select_own:SELECT Property.property_select_public:SELECT Property.property_update_own:UPDATE referenciales.referencial_modify_admin:ALL referenciales.referencial_select_all:SELECT" \
   "the seed's nine policies, on the right commands"
is "$(q -c "SELECT qual FROM pg_policies WHERE policyname = 'property_select_own'") | $(q -c "SELECT with_check FROM pg_policies WHERE policyname = 'connection_insert'")" \
   '(auth.uid() = "userId") | (auth.uid() = "requesterId")' "policies call auth.uid() as the seed writes them"
is "$(q -c "SELECT provolatile::text || ' ' || prorettype::regtype FROM pg_proc WHERE oid = 'auth.uid()'::regprocedure")" \
   "s text" "auth.uid() is STABLE and returns text"
is "$(q -c "SELECT coalesce(auth.uid(), 'NULL')")|$(q -c "SET request.jwt.claim.sub = 'cm123'; SELECT auth.uid()")" \
   "NULL|cm123" "auth.uid() is NULL without a claim and the claim's value with one"

user=$(q -c "SELECT \"userId\" FROM \"Property\" p JOIN \"User\" u ON u.id = p.\"userId\"
             WHERE NOT u.\"isPublicProfile\" GROUP BY 1 ORDER BY count(*) DESC LIMIT 1")
# psql prints only the last result of a -c string: one -c per statement.
as_user() {
  q -c "BEGIN" -c "SET LOCAL ROLE degux_app" -c "SET LOCAL request.jwt.claim.sub = '$1'" \
    -c "$2" -c "ROLLBACK"
}
is "$(as_user "$user" 'SELECT count(*) FROM "Property"')" \
   "$(q -c "SELECT count(*) FROM \"Property\" p JOIN \"User\" u ON u.id = p.\"userId\"
            WHERE p.\"userId\" = '$user' OR u.\"isPublicProfile\"")" \
   "degux_app sees its own properties plus those of public profiles"
is "$(as_user "$user" 'SELECT count(*) FROM "Connection"')" \
   "$(q -c "SELECT count(*) FROM \"Connection\" WHERE '$user' IN (\"requesterId\", \"receiverId\")")" \
   "degux_app sees only the connections it is part of"
is "$(as_user "$user" "UPDATE referenciales SET observaciones = 'x' WHERE comuna = 'Ñuñoa'" 2>&1; \
      as_user "$(q -c "SELECT id FROM \"User\" WHERE role = 'admin' LIMIT 1")" \
        "UPDATE referenciales SET observaciones = 'x' WHERE comuna = 'Ñuñoa' RETURNING 1" | wc -l)" \
   "$(q -c "SELECT count(*) FROM referenciales WHERE comuna = 'Ñuñoa'")" \
   "a user cannot change referenciales, an admin can (rolled back)"
is "$(q -c "SELECT rolcanlogin || ' ' || rolsuper || ' ' || rolbypassrls FROM pg_roles WHERE rolname = 'degux_app'")
$(q -c "SELECT count(*) FROM pg_class WHERE relowner = 'degux_app'::regrole")" "true false false
0" "degux_app logs in, is no superuser, cannot bypass RLS and owns nothing"
is "$(q -c "SELECT has_table_privilege('degux_app', 'referenciales', 'SELECT,INSERT,UPDATE,DELETE')
            || ' ' || has_table_privilege('degux_readonly', 'referenciales', 'SELECT')
            || ' ' || has_table_privilege('degux_readonly', 'referenciales', 'INSERT,UPDATE,DELETE')")" \
   "true true false" "degux_app reads and writes, degux_readonly only reads"

# ---- the workload in pg_stat_statements ---------------------------------------------
# Other tests share the cluster and may reset the statistics: run the
# workload again here, then look for its statements.
q -f "$datadir/workload.sql" >/dev/null
ok $? "workload.sql runs"
calls() {
  q -c "SELECT coalesce(sum(calls), 0) FROM pg_stat_statements
        WHERE dbid = (SELECT oid FROM pg_database WHERE datname = 'degux') AND query LIKE \$\$$1%\$\$"
}
is "$(q -c "SELECT bool_and(mean_exec_time >= 150) AND sum(calls) >= 3 FROM pg_stat_statements
            WHERE query LIKE 'SELECT pg_sleep(%' AND dbid = (SELECT oid FROM pg_database WHERE datname = 'degux')")" \
   t "pg_stat_statements saw the workload's slow call, at least three times, each over 150 ms"
n=$(calls 'SELECT id, lat, lng, monto, fechaescritura FROM referenciales'); [ "$n" -ge 4 ]
ok $? "the map query ran four times with different boxes, one normalized entry ($n calls)"
n=$(calls 'SELECT id, comprador, vendedor, comuna, monto FROM referenciales'); [ "$n" -ge 3 ]
ok $? "the slow ILIKE buyer search is there ($n calls)"
n=$(calls 'SELECT s.id, s.expires, u.id, u.email, u.role FROM "Session" s'); [ "$n" -ge 3 ]
ok $? "the NextAuth session look-up is there ($n calls)"

# ---- the files on their own: one PQexec each, reproducible, checked input ------------
"$datadir/comunas-to-sql.sh" "$datadir/comunas.tsv" | cmp -s - "$datadir/comunas.sql"
ok $? "data/comunas.sql is what comunas-to-sql.sh makes of comunas.tsv"
is "$(q -c "SELECT count(*) || ' ' || count(DISTINCT region_code) || ' ' || count(DISTINCT provincia)
            FROM degux_demo.comunas")" "346 16 56" "degux_demo.comunas: 346 comunas, 16 regions, 56 provinces"
scratch() {
  q -d postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1" &&
    q -d "$1" -c "$(cat "$datadir/schema.sql")" && q -d "$1" -c "$(cat "$datadir/comunas.sql")"
}
fingerprint() {
  q -d "$1" -c "SELECT md5(string_agg(id || rol || comuna || coalesce(monto::text, '-') || fojas || numero
                || cbr || comprador, ',' ORDER BY id)) FROM referenciales"
}
scratch degux_test_a >/dev/null && scratch degux_test_b >/dev/null
ok $? "schema.sql and comunas.sql load as one statement string each (as PQexec sends them)"
PGOPTIONS='-c degux.demo_size=600' q -d degux_test_a -c "$(cat "$datadir/demo.sql")" >/dev/null &&
  PGOPTIONS='-c degux.demo_size=600' q -d degux_test_b -c "$(cat "$datadir/demo.sql")" >/dev/null
ok $? "demo.sql loads as one statement string"
a=$(fingerprint degux_test_a)
like "$a" '^[0-9a-f]{32}$' "the small demo has rows"
is "$a" "$(fingerprint degux_test_b)" "demo.sql generates the same rows twice (seeded)"
err=$(q -d degux_test_a -c "SET degux.demo_size = '42'" -f "$datadir/demo.sql" 2>&1 >/dev/null)
like "$err" "degux.demo_size must be between 100 and 10000000" "a size out of range is refused with a clear message"
q -d postgres -c "DROP DATABASE degux_test_a" -c "DROP DATABASE degux_test_b"

done_testing
