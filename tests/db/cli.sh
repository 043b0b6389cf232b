#!/usr/bin/env bash
# The command line against the test cluster: reports, connection strings
# (Prisma URLs, named connections) and bad input, which must end with a
# clear one-line message and exit status 2, never a crash.
here=$(cd "$(dirname "$0")/.." && pwd)
. "$here/lib/tap.sh"
bin=${top_builddir:-.}/degux-console
eval "$("$here/lib/cluster.sh" start)" || bail_out "no test cluster"
work=$(mktemp -d)
export XDG_CONFIG_HOME=$work/config XDG_STATE_HOME=$work/state
trap 'rm -rf "$work"' EXIT

out=$("$bin" --version); ok $? "--version exits 0"
like "$out" "^degux-console [0-9]" "--version names the program"
"$bin" --help | grep -q -- "--demo"; ok $? "--help documents the options"

out=$("$bin" report status 2>&1); rc=$?
is "$rc" 0 "report status exits 0 when connected"
like "$out" "referenciales: +[0-9]+" "the text report lists referenciales with a row estimate"

json=$("$bin" report status --json)
is "$(jq -r .server_version_num <<<"$json" | cut -c1-2)" 15 "JSON server_version_num is PostgreSQL 15"
like "$(jq -r .postgis_version <<<"$json")" "^3\." "JSON postgis_version is PostGIS 3"
is "$(jq -r .pg_stat_statements.installed <<<"$json")" true "pg_stat_statements installed"
is "$(jq -r .pg_stat_statements.preloaded <<<"$json")" true "pg_stat_statements preloaded"
is "$(jq -r .read_only <<<"$json")" true "the session is read-only by default"
want=$(psql -XAtc "select reltuples::bigint from pg_class where relname = 'referenciales'")
is "$(jq -r .tables.referenciales <<<"$json")" "$want" "the estimate equals pg_class.reltuples"
is "$(jq -r '.tables | has("PropertyListing")' <<<"$json")" true "every degux core table is a key"
is "$("$bin" --write report status --json | jq -r .read_only)" false "--write makes the session writable"

# A Prisma URL: its schema becomes the search_path, its own parameters go.
url="postgresql://$PGUSER@localhost/$PGDATABASE?host=$PGHOST&port=$PGPORT&schema=degux_demo&connection_limit=5&pool_timeout=10&pgbouncer=true"
json=$("$bin" "$url" report status --json 2>&1); rc=$?
is "$rc" 0 "a Prisma URL with Prisma-only parameters connects"
is "$(jq -r .tables.referenciales <<<"$json")" null "?schema=degux_demo became the search_path (public is not searched)"
ci=$("$bin" "$url" --print-conninfo)
unlike "$ci" "connection_limit|pool_timeout|pgbouncer|schema=" "--print-conninfo shows what libpq gets, without Prisma's parameters"
is "$(jq -r .current_schema <<<"$json")" degux_demo "report status names the current schema"
err=$("$bin" "${url/degux_demo/no_such_schema}" report status --json 2>&1 >"$work/nosch.json"); rc=$?
is "$rc" 0 "a Prisma URL naming a schema that does not exist still connects"
like "$err" 'schema "no_such_schema" of the connection .* does not exist' "and says on stderr that the schema does not exist"
is "$(jq -r .current_schema "$work/nosch.json")" null "current_schema is null in the JSON"

# Named connections from the configuration file.
mkdir -p "$XDG_CONFIG_HOME/degux-console"
cfg=$XDG_CONFIG_HOME/degux-console/config
printf '[connection testdb]\nhost = %s\nport = %s\ndbname = degux\nuser = nexus_user\n' \
  "$PGHOST" "$PGPORT" >"$cfg"
PGHOST=/nonexistent "$bin" testdb report status >/dev/null 2>&1
ok $? "a [connection NAME] is chosen by name on the command line"
printf 'password = x\n' >>"$cfg"
chmod 644 "$cfg"
err=$("$bin" testdb report status 2>&1); rc=$?
is "$rc" 2 "a config holding a password that others can read is refused"
like "$err" "permissions" "and the message says why"
chmod 600 "$cfg"
"$bin" testdb report status >/dev/null 2>&1; ok $? "the same file at 0600 is accepted"
printf '[console]\nstatement_timout = 5s\n' >"$cfg"
err=$("$bin" report status 2>&1); rc=$?
is "$rc" 2 "a misspelt configuration key is refused"
like "$err" "statement_timout" "naming the key"
rm -f "$cfg"

# Bad input: one line on stderr, exit 2.
err=$("$bin" "host=$work/nosuchdir port=5999" report status 2>&1); rc=$?
is "$rc" 2 "an unreachable server exits 2"
is "$(printf '%s\n' "$err" | wc -l)" 1 "with a one-line message"
like "$err" "nosuchdir" "that names where it tried"
err=$("$bin" "host=localhost port=notaport" report status 2>&1); rc=$?
is "$rc" 2 "an invalid conninfo exits 2"
err=$("$bin" "postgresql://u@h:5433/db?bogus_option=1" report status 2>&1); rc=$?
is "$rc" 2 "an unknown URI parameter exits 2"
like "$err" "bogus_option" "naming the parameter"
json=$("$bin" "host=$work/nosuchdir" report status --json 2>/dev/null); rc=$?
is "$(jq -r .connected <<<"$json")" false "the JSON report says connected: false when it cannot connect"
"$bin" report nosuch >/dev/null 2>&1; is "$?" 2 "an unknown report kind exits 2"
"$bin" --no-such-option >/dev/null 2>&1; is "$?" 2 "an unknown option exits 2"
"$bin" --pane nosuch </dev/null >/dev/null 2>&1; is "$?" 2 "an unknown --pane exits 2"
"$bin" --demo-size abc >/dev/null 2>&1; is "$?" 2 "a bad --demo-size exits 2"

done_testing
