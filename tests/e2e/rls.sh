#!/usr/bin/env bash
# The RLS pane in tmux against the test cluster: the tables with their RLS
# state, a table's policies with the combined condition, the roles, the
# findings with the fix SQL, and a simulation entered on the prompt whose
# counts equal a psql session logged in as that role.
. "$(cd "$(dirname "$0")/.." && pwd)/lib/e2e.sh"
unset POSTGRES_PRISMA_URL
mkdir -p "$work/config/degux-console"
printf '[rls]\napp_role = degux_app\n' >"$work/config/degux-console/config"
cleanup() {
    e2e_cleanup
    psql -XqAt -d postgres -c "DROP DATABASE IF EXISTS rls_e2e_noauth" >/dev/null 2>&1
    rm -rf "$work"
}
trap cleanup EXIT
user=$(psql -XAtc 'SELECT "userId" FROM "Property" GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1')
want=$(psql -XqAt -U degux_app -c "SET request.jwt.claim.sub = '$user'" \
    -c 'SELECT count(*) FROM "Property"')

e2e_start 140 34 "$bin" --pane rls
e2e_wait 'public."Property"' 10; ok $? "the pane opens on the tables"
like "$(e2e_screen)" 'app role: degux_app \(config app_role\)' "the app role and its source"
like "$(e2e_screen)" 'public\.referenciales +on +no +nexus_user +2' \
    "a table's RLS state, owner and policy count"
# Mouse (X10 encoding, as in resilience.sh): click COL ROW (0-based).
click() {
    local c r
    c=$(printf "\\$(printf %o $((33 + $1)))")
    r=$(printf "\\$(printf %o $((33 + $2)))")
    tmx send-keys -t "$E2E_SESSION" -l "$(printf '\033[M %s%s\033[M#%s%s' "$c" "$r" "$c" "$r")"
}
# Screen row 10: the tabs, two header lines, the column header, six tables.
click 5 10; e2e_keys Enter
e2e_wait 'connection_insert  PERMISSIVE  INSERT' 5; ok $? "a click selects a table (Connection)"
e2e_keys t
# The tables are sorted: Connection, Property are the 7th and 8th.
e2e_keys g j j j j j j j j Enter
e2e_wait 'property_select_public  PERMISSIVE  SELECT' 5; ok $? "Enter shows the table's policies"
like "$(e2e_screen)" 'USING \(\(auth\.uid\(\) = "userId"\)\) OR \(\(EXISTS' \
    "the combined condition ORs the permissive policies"
e2e_keys r
e2e_wait '(application role)' 5; ok $? "the roles view marks the app role"
e2e_keys f
e2e_wait 'per_row_call' 5; ok $? "the findings view lists the lint's findings"
like "$(e2e_screen)" 'fix: ALTER POLICY' "a finding shows its fix SQL"
e2e_keys g y
e2e_wait 'Copied the fix SQL to the clipboard (OSC 52)' 5; ok $? "y copies the finding's fix SQL"
e2e_keys S
e2e_wait 'simulate as role: degux_app' 5; ok $? "S asks for the role (the app role offered)"
e2e_keys Enter
e2e_wait 'user id for auth.uid()' 5; ok $? "then for the user id"
e2e_type "$user"; e2e_keys Enter
e2e_wait "As role degux_app, user id $user" 10; ok $? "the simulation view shows the identity"
e2e_wait_gone 'running' 10
like "$(e2e_screen)" "public\.\"Property\" +$want( |\$)" \
    "the simulated count equals psql's as degux_app ($want)"
# The row check against what a real UPDATE as that identity does (in a
# transaction rolled back).
real_update() {
    psql -XqAt -c "BEGIN" -c "SET LOCAL ROLE degux_app" \
        -c "SET LOCAL request.jwt.claim.sub = '$user'" \
        -c "UPDATE \"Property\" SET title = title WHERE id = '$1' RETURNING 1" \
        -c "ROLLBACK" | grep -c '^1$'
}
own=$(psql -XAtc "SELECT id FROM \"Property\" WHERE \"userId\" = '$user' ORDER BY id LIMIT 1")
# Another user's with a public profile: visible, yet not theirs to update.
other=$(psql -XAtc "SELECT p.id FROM \"Property\" p JOIN \"User\" u ON u.id = p.\"userId\"
                    WHERE u.\"isPublicProfile\" AND p.\"userId\" <> '$user' ORDER BY p.id LIMIT 1")
is "$(real_update "$own") $(real_update "$other")" "1 0" "a real UPDATE changes the own row only"
# The Property line: after the identity, the header, Connection and its
# three sample rows.
e2e_keys g j j j j j j U
e2e_wait 'could degux_app update the row of Property with id =' 5; ok $? "U asks for the row's key"
e2e_type "$own"; e2e_keys Enter
e2e_wait "Row $own of Property: could update: yes" 10; ok $? "the own row: could update"
# Two more lines now: the answer and its reasons.
e2e_keys g j j j j j j j j U
e2e_wait 'update the row of Property' 5
e2e_type "$other"; e2e_keys Enter
e2e_wait "Row $other of Property: could update: no" 10; ok $? "another user's row: could not"
like "$(e2e_screen)" 'visible: yes, UPDATE grant: yes, UPDATE policies allow it: no' \
    "why: visible (public profile or not) but the UPDATE policy refuses"
# U also works from the tables view, on the table under the cursor.
e2e_keys t g j j j j j j j j U
e2e_wait 'could degux_app update the row of Property with id =' 5
ok $? "U from the tables view asks about the selected table"
e2e_keys Escape
e2e_keys g U
e2e_wait 'Choose a table first (t: tables, s: simulation)' 5
ok $? "U on the header line says to choose a table"
e2e_keys q
e2e_wait_exit 5; ok $? "q quits"
e2e_stop

# In Spanish "sí" has 3 bytes and 2 columns: the columns after it line up
# with the rows that read "no" (the catalogue comes from the build tree).
if locale -a 2>/dev/null | grep -qi '^es_CL\.utf-\?8$'; then
    E2E_LANG=es_CL.UTF-8 DEGUX_LOCALEDIR= e2e_start 140 34 "$bin" --pane rls
    e2e_wait 'public."Property"' 10; ok $? "the pane opens in Spanish"
    screen=$(e2e_screen)
    like "$screen" 'public\."Property" +sí   no      [^ ]' "an RLS-on row: sí, no, then the owner"
    like "$screen" 'public\."Account" +no   no      [^ ]' "an RLS-off row: the owner in the same column"
    like "$screen" 'tabla +RLS  forzado dueño' "the header widens to its labels"
    e2e_keys q
    e2e_wait_exit 5
    e2e_stop
else
    for _ in 1 2 3 4; do skip "the es_CL.UTF-8 locale is missing"; done
fi

# A database without auth.uid(): the finding's shim runs in write mode
# after a confirmation.
psql -XqAt -d postgres -c "DROP DATABASE IF EXISTS rls_e2e_noauth" 2>/dev/null \
    -c "CREATE DATABASE rls_e2e_noauth" >/dev/null
e2e_start 140 34 "$bin" --pane rls "dbname=rls_e2e_noauth"
e2e_wait 't tables' 10
e2e_keys f
e2e_wait 'auth_uid_missing' 10; ok $? "the missing auth.uid() is a finding"
e2e_keys g x
e2e_wait 'This needs write mode' 5; ok $? "the shim is refused in read-only mode"
e2e_type ':write'; e2e_keys Enter
e2e_wait 'WRITE' 5
e2e_keys g x
e2e_wait 'Create schema auth and function auth.uid()?' 5; ok $? "x asks before running the shim"
e2e_keys y
e2e_wait 'No findings.' 10; ok $? "after the shim the finding is gone"
is "$(psql -XqAt -d rls_e2e_noauth -c "SET request.jwt.claim.sub = 'u7'" -c 'SELECT auth.uid()')" u7 \
    "auth.uid() now returns request.jwt.claim.sub"
e2e_keys q
e2e_wait_exit 5
done_testing
