#!/usr/bin/env bash
# The RLS pane's model through `report rls`, against the test cluster: the
# demo policies plus cases planted in a scratch schema (no policy, policies
# with RLS off, restrictive plus permissive, FORCE, an owning app role, a
# BYPASSRLS role, per-row calls, a database without auth.uid()): every
# planted case is found and nothing else on the planted tables, and the
# simulated visible counts equal what a separate psql session logged in as
# that role sees.
here=$(cd "$(dirname "$0")/.." && pwd)
. "$here/lib/tap.sh"
bin=${top_builddir:-.}/degux-console
eval "$("$here/lib/cluster.sh" start)" || bail_out "no test cluster"
work=$(mktemp -d)
export XDG_CONFIG_HOME=$work/config XDG_STATE_HOME=$work/state
unset POSTGRES_PRISMA_URL
cleanup() {
    psql -XqAt -c "DROP SCHEMA IF EXISTS rls_plant CASCADE" \
        -c "DROP ROLE IF EXISTS rls_plant_owner" \
        -c "DROP ROLE IF EXISTS rls_plant_bypass" >/dev/null 2>&1
    psql -XqAt -d postgres -c "DROP DATABASE IF EXISTS rls_noauth" \
        >/dev/null 2>&1
    rm -rf "$work"
}
trap cleanup EXIT
cleanup 2>/dev/null
mkdir -p "$work/config/degux-console" "$work/state"
config() { printf '[rls]\napp_role = %s\n' "$1" >"$work/config/degux-console/config"; }

psql -XqAt -v ON_ERROR_STOP=1 >/dev/null <<'SQL' || bail_out "cannot plant"
CREATE ROLE rls_plant_owner;
CREATE ROLE rls_plant_bypass BYPASSRLS;
CREATE SCHEMA rls_plant;
GRANT USAGE ON SCHEMA rls_plant TO degux_app, degux_readonly, rls_plant_owner;
CREATE TABLE rls_plant.nopol (id int PRIMARY KEY, owner text);
ALTER TABLE rls_plant.nopol ENABLE ROW LEVEL SECURITY;
CREATE TABLE rls_plant.off (id int PRIMARY KEY, owner text);
CREATE POLICY off_own ON rls_plant.off USING ((select auth.uid()) = owner);
CREATE TABLE rls_plant.mixed (id int PRIMARY KEY, owner text, visible bool);
ALTER TABLE rls_plant.mixed ENABLE ROW LEVEL SECURITY;
CREATE POLICY mixed_own ON rls_plant.mixed
    USING ((select auth.uid()) = owner OR visible);
CREATE POLICY mixed_only_visible ON rls_plant.mixed AS RESTRICTIVE
    USING (visible OR owner = 'u1');
INSERT INTO rls_plant.mixed VALUES (1, 'u1', false), (2, 'u1', true),
    (3, 'u2', false), (4, 'u2', true), (5, 'u3', true), (6, 'u2', false);
CREATE TABLE rls_plant.ronly (id int PRIMARY KEY);
ALTER TABLE rls_plant.ronly ENABLE ROW LEVEL SECURITY;
CREATE POLICY ronly_r ON rls_plant.ronly AS RESTRICTIVE USING (true);
INSERT INTO rls_plant.ronly SELECT generate_series(1, 5);
CREATE TABLE rls_plant.owned (id int PRIMARY KEY, owner text);
ALTER TABLE rls_plant.owned ENABLE ROW LEVEL SECURITY;
CREATE POLICY owned_own ON rls_plant.owned USING ((select auth.uid()) = owner);
ALTER TABLE rls_plant.owned OWNER TO rls_plant_owner;
CREATE TABLE rls_plant.forced (id int PRIMARY KEY, owner text);
ALTER TABLE rls_plant.forced ENABLE ROW LEVEL SECURITY;
ALTER TABLE rls_plant.forced FORCE ROW LEVEL SECURITY;
CREATE POLICY forced_own ON rls_plant.forced USING ((select auth.uid()) = owner);
ALTER TABLE rls_plant.forced OWNER TO rls_plant_owner;
INSERT INTO rls_plant.forced VALUES (1, 'u1'), (2, 'u2'), (3, 'u2');
CREATE TABLE rls_plant.wide (id int PRIMARY KEY, owner text);
ALTER TABLE rls_plant.wide ENABLE ROW LEVEL SECURITY;
CREATE POLICY wide_sel ON rls_plant.wide FOR SELECT USING ((select auth.uid()) = owner);
CREATE POLICY wide_ins ON rls_plant.wide FOR INSERT WITH CHECK (true);
CREATE POLICY wide_upd ON rls_plant.wide FOR UPDATE USING ((select auth.uid()) = owner);
CREATE POLICY wide_del ON rls_plant.wide FOR DELETE USING ((select auth.uid()) = owner);
CREATE TABLE rls_plant.perrow (id int PRIMARY KEY, owner text);
ALTER TABLE rls_plant.perrow ENABLE ROW LEVEL SECURITY;
CREATE POLICY perrow_own ON rls_plant.perrow USING (auth.uid() = owner);
INSERT INTO rls_plant.perrow VALUES (1, 'u1'), (2, 'u2');
CREATE TABLE rls_plant.twice (id int PRIMARY KEY, owner text);
ALTER TABLE rls_plant.twice ENABLE ROW LEVEL SECURITY;
CREATE POLICY twice_a ON rls_plant.twice USING ((select auth.uid()) = owner);
CREATE POLICY twice_b ON rls_plant.twice USING (owner = 'u3');
INSERT INTO rls_plant.twice VALUES (1, 'u1'), (2, 'u3'), (3, 'u3');
GRANT SELECT ON ALL TABLES IN SCHEMA rls_plant TO degux_app, degux_readonly;
REVOKE SELECT ON rls_plant.twice FROM degux_readonly;
SQL

# ---- lint -------------------------------------------------------------------
config degux_app
json=$("$bin" report rls --json); rc=$?
is "$rc" 1 "report rls exits 1: the demo has warnings"
is "$(jq -r .app_role <<<"$json")" degux_app "the configured app_role is used"
planted=$(jq -r '[.findings[] | select(.object | startswith("rls_plant.")) |
    .check + " " + .object + (if .detail then " " + .detail else "" end)] |
    sort | .[]' <<<"$json")
want='multiple_permissive rls_plant.twice public DELETE: twice_a, twice_b
multiple_permissive rls_plant.twice public INSERT: twice_a, twice_b
multiple_permissive rls_plant.twice public SELECT: twice_a, twice_b
multiple_permissive rls_plant.twice public UPDATE: twice_a, twice_b
per_row_call rls_plant.perrow perrow_own
permissive_true rls_plant.wide wide_ins (INSERT)
policies_rls_disabled rls_plant.off
restrictive_only rls_plant.ronly DELETE
restrictive_only rls_plant.ronly INSERT
restrictive_only rls_plant.ronly SELECT
restrictive_only rls_plant.ronly UPDATE
rls_no_policy rls_plant.nopol'
is "$planted" "$want" "every planted case is found, and nothing else on the planted tables"
is "$(jq -r '.findings[] | select(.check == "policies_rls_disabled") | .fix_sql' <<<"$json")" \
   "ALTER TABLE rls_plant.off ENABLE ROW LEVEL SECURITY;" "RLS-off fix SQL"
is "$(jq -r '.findings[] | select(.check == "per_row_call" and .object == "rls_plant.perrow") | .fix_sql' <<<"$json")" \
   "ALTER POLICY perrow_own ON rls_plant.perrow USING (((select auth.uid()) = owner));" \
   "per-row call fix wraps auth.uid() in a sub-select"
is "$(jq '[.findings[] | select(.check == "per_row_call" and (.object | startswith("public.")))] | length' <<<"$json")" 7 \
   "the seed's seven auth.uid() policies are evaluated per row"
is "$(jq '[.findings[] | select(.check == "auth_uid_missing" or (.check | startswith("app_role")))] | length' <<<"$json")" 0 \
   "degux_app: no owner/bypass finding, auth.uid() exists"
is "$(jq -r '.tables[] | select(.table == "rls_plant.forced") | [.rls_enabled, .rls_forced, .owner, .policies] | map(tostring) | join(" ")' <<<"$json")" \
   "true true rls_plant_owner 1" "a table's RLS state, owner and policy count"

rm -f "$work/config/degux-console/config"
json=$(POSTGRES_PRISMA_URL="postgresql://rls_plant_owner@localhost:5432/degux?schema=public" "$bin" report rls --json)
is "$(jq -r .app_role <<<"$json")" rls_plant_owner "the app role defaults to POSTGRES_PRISMA_URL's user"
is "$(jq -r '[.findings[] | select(.check == "app_role_owner") | .object] | join(" ")' <<<"$json")" \
   "rls_plant.owned" "the app role owning a table without FORCE is found (not the FORCEd one)"
config rls_plant_bypass
json=$("$bin" report rls --json)
is "$(jq -r '.roles[] | select(.role == "rls_plant_bypass") | [.superuser, .bypassrls, .login, (.member_of | length)] | map(tostring) | join(" ")' <<<"$json")" \
   "false true false 0" "the roles: superuser, BYPASSRLS, login, memberships"
is "$(jq -r '[.findings[] | select(.check | startswith("app_role")) | .check + " " + .object + " " + .fix_sql] | join("|")' <<<"$json")" \
   "app_role_bypassrls rls_plant_bypass ALTER ROLE rls_plant_bypass NOBYPASSRLS;" "a BYPASSRLS app role is found"

psql -XqAt -d postgres -c "CREATE DATABASE rls_noauth" >/dev/null
json=$(PGDATABASE=rls_noauth "$bin" report rls --json)
is "$(jq -r '.findings[] | select(.check == "auth_uid_missing") | .fix_sql' <<<"$json")" \
   "CREATE SCHEMA IF NOT EXISTS auth; CREATE OR REPLACE FUNCTION auth.uid() RETURNS text LANGUAGE sql STABLE AS \$\$ SELECT current_setting('request.jwt.claim.sub', true) \$\$;" \
   "a database without auth.uid() is offered the shim"

# ---- simulation -------------------------------------------------------------
config degux_app
u1=$(psql -XAtc 'SELECT "userId" FROM "Property" GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1')
# What a separate session logged in as the role sees, table by table.
psql_counts() {
    local role=$1 user=$2 t
    for t in $(jq -r '.tables[] | select(.visible_rows != null) | .table' <<<"$3"); do
        printf '%s %s\n' "$t" "$(psql -XqAt -U "$role" \
            ${user:+-c "SET request.jwt.claim.sub = '$user'"} \
            -c "SELECT count(*) FROM $t")"
    done
}
for id in "degux_app u1" "degux_app u2" "degux_app $u1" "degux_app -" "degux_readonly u3" "degux_readonly $u1"; do
    set -- $id
    role=$1 user=$2
    [ "$user" = - ] && user=
    json=$("$bin" report rls --json --as-role "$role" ${user:+--as-user "$user"} 2>"$work/err")
    got=$(jq -r '.tables[] | select(.visible_rows != null) | .table + " " + (.visible_rows | tostring)' <<<"$json")
    want=$(psql_counts "$role" "$user" "$json")
    is "$got" "$want" "as $role, user ${user:-none}: visible counts equal psql's ($(wc -l <<<"$got") tables)"
done
is "$(jq -r '.tables[] | select(.table == "rls_plant.mixed") | .visible_rows' \
     <<<"$("$bin" report rls --json --as-role degux_app --as-user u1)")" 4 \
   "restrictive and permissive combine: u1 sees own rows and visible ones"
is "$(jq -r '.tables[] | select(.table == "rls_plant.twice") | .visible_rows' <<<"$json")" null \
   "a table the role may not SELECT has no count"
"$bin" "user=degux_app" report rls --as-role degux_readonly >/dev/null 2>"$work/err"; rc=$?
is "$rc" 2 "a refused SET ROLE fails the report"
like "$(cat "$work/err")" 'GRANT degux_readonly TO degux_app;' "the missing grant is named"
"$bin" report rls --as-user u1 >/dev/null 2>&1; rc=$?
is "$rc" 2 "--as-user without --as-role is refused"
done_testing
