#!/usr/bin/env bash
# The test suite's throwaway PostgreSQL 15 cluster (PostGIS,
# pg_stat_statements, the degux schema and generated demo data), under
# ${top_builddir:-.}/tests/cluster, on a Unix socket only.
#   cluster.sh start   start or reuse it; prints `export PG...` lines to eval
#   cluster.sh env     the same lines, only if it is running
#   cluster.sh stop    stop it
#   cluster.sh remove  stop it and delete its files (make distclean)
# Parallel tests share one cluster: start and stop take a lock.
# DEGUX_TEST_SIZE sets the number of referenciales (default 20000);
# DEGUX_DATADIR the folder with the SQL files (default: the source data/).
set -uo pipefail

PORT=54399
SIZE=${DEGUX_TEST_SIZE:-20000}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
datadir=${DEGUX_DATADIR:-$here/../../data}
mkdir -p "${top_builddir:-.}/tests/cluster" || exit 1
home=$(cd "${top_builddir:-.}/tests/cluster" && pwd)

say() { echo "cluster.sh: $*" >&2; }
fail() { say "$*"; exit 1; }

case "$SIZE" in
  '' | *[!0-9]*) fail "DEGUX_TEST_SIZE must be a number, not '$SIZE'" ;;
esac

# initdb refuses root: the server then runs as postgres (or nobody).
owner=
if [ "$(id -u)" = 0 ]; then
  owner=postgres
  id -u postgres >/dev/null 2>&1 || owner=nobody
fi
as_owner() {
  if [ -n "$owner" ]; then runuser -u "$owner" -- "$@"; else "$@"; fi
}

bindir=$(pg_config --bindir 2>/dev/null)
[ -x "$bindir/initdb" ] || bindir=/usr/lib/postgresql/15/bin
[ -x "$bindir/initdb" ] || fail "no PostgreSQL server binaries (initdb) in $bindir: install postgresql-15"
[ -x "$bindir/psql" ] && psql=$bindir/psql || psql=psql

# Where the data and socket live: in $home unless the server's user cannot
# reach it or the socket path would exceed sun_path; then in /tmp, with the
# choice remembered in $home/location.
choose_root() {
  local root=$home sock
  if [ -f "$home/location" ]; then
    cat "$home/location"
    return
  fi
  sock="$root/sock/.s.PGSQL.$PORT"
  if [ ${#sock} -gt 100 ] || { [ -n "$owner" ] && ! as_owner test -x "$home"; }; then
    root=/tmp/degux-test-$(printf '%s' "$home" | md5sum | cut -c1-10)
    echo "$root" >"$home/location"
  fi
  echo "$root"
}

root=$(choose_root)
pgdata=$root/data
sockdir=$root/sock
logfile=$root/server.log

exports() {
  echo "export PGHOST='$sockdir' PGPORT=$PORT PGDATABASE=degux PGUSER=nexus_user"
}

# Up: the postmaster of $pgdata lives and its socket exists. (pg_isready
# alone can time out on a loaded machine: that is no reason to restart.)
running() {
  [ -S "$sockdir/.s.PGSQL.$PORT" ] &&
    as_owner "$bindir/pg_ctl" -D "$pgdata" status >/dev/null 2>&1
}

# Accepting connections, waiting up to a minute for a busy server.
ready() {
  local i
  for ((i = 0; i < 60; i++)); do
    "$bindir/pg_isready" -q -t 5 -h "$sockdir" -p "$PORT" -d postgres -U nexus_user && return 0
    sleep 1
  done
  return 1
}

q() { "$psql" -X -q -v ON_ERROR_STOP=1 -h "$sockdir" -p "$PORT" -U nexus_user "$@"; }

init_cluster() {
  mkdir -p "$root" "$sockdir" || return 1
  [ -n "$owner" ] && chown "$owner:" "$root" "$sockdir"
  say "initdb in $pgdata"
  as_owner "$bindir/initdb" -D "$pgdata" -U nexus_user -E UTF8 \
    --locale=C.UTF-8 --auth-local=trust --auth-host=reject \
    >"$root/initdb.log" 2>&1 ||
    { cat "$root/initdb.log" >&2; return 1; }
  as_owner tee -a "$pgdata/postgresql.conf" >/dev/null <<EOF

# degux test cluster: Unix socket only, tuned for throwaway speed.
listen_addresses = ''
port = $PORT
unix_socket_directories = '$sockdir'
unix_socket_permissions = 0700
shared_preload_libraries = 'pg_stat_statements'
pg_stat_statements.track = 'all'
fsync = off
synchronous_commit = off
full_page_writes = off
max_wal_size = '2GB'
wal_recycle = off
maintenance_work_mem = '128MB'
timezone = 'UTC'
log_timezone = 'UTC'
EOF
}

start_server() {
  [ -f "$pgdata/PG_VERSION" ] || init_cluster || fail "initdb failed"
  if running; then
    ready || fail "the server does not accept connections; see $logfile"
    return 0
  fi
  # A live server whose socket file went missing gets it back by a restart.
  if as_owner "$bindir/pg_ctl" -D "$pgdata" status >/dev/null 2>&1; then
    say "the server runs without its socket: restarting it"
    as_owner "$bindir/pg_ctl" -D "$pgdata" -l "$logfile" -m fast -w -t 60 \
      restart >/dev/null 9>&- || fail "the server did not restart; see $logfile"
    return 0
  fi
  say "starting the server (log: $logfile)"
  [ -n "$owner" ] && { touch "$logfile"; chown "$owner:" "$logfile"; }
  # 9>&-: the server must not inherit the lock, or it would hold it forever.
  as_owner "$bindir/pg_ctl" -D "$pgdata" -l "$logfile" -w -t 60 start >/dev/null 9>&- ||
    fail "the server did not start; see $logfile"
}

# What a load depends on: the size and the SQL files' contents. A finished
# load leaves this stamp beside the marker table degux_demo.loaded.
want_stamp() {
  echo "$SIZE $(cat "$datadir"/{schema,comunas,demo,workload}.sql 2>/dev/null | md5sum | cut -c1-32)"
}

# 0 loaded, 1 not loaded, 2 could not ask.
marked() {
  local r
  r=$(q -d degux -At -c "SELECT to_regclass('degux_demo.loaded') IS NOT NULL" 2>/dev/null) || {
    q -d postgres -At -c "SELECT 1 FROM pg_database WHERE datname = 'degux'" 2>/dev/null |
      grep -q 1 && return 2
    return 1
  }
  [ "$r" = t ]
}

# Reloading drops the database under every running test: only when sure.
loaded() {
  local i rc
  [ "$(cat "$root/loaded" 2>/dev/null)" = "$(want_stamp)" ] || return 1
  for ((i = 0; i < 30; i++)); do
    marked; rc=$?
    [ $rc -ne 2 ] && return $rc
    sleep 1
  done
  fail "cannot ask the test database whether it is loaded; see $logfile"
}

load_file() {
  say "loading $1"
  q -d degux "${@:2}" -f "$datadir/$1" >/dev/null 2>"$root/load.err" ||
    { cat "$root/load.err" >&2; fail "loading $datadir/$1 failed"; }
}

load_demo() {
  local f
  for f in schema.sql comunas.sql demo.sql workload.sql; do
    [ -r "$datadir/$f" ] || fail "missing $datadir/$f (set DEGUX_DATADIR)"
  done
  q -d postgres -c 'DROP DATABASE IF EXISTS degux' -c 'CREATE DATABASE degux' ||
    fail "could not create the degux database; see $logfile"
  rm -f "$root/loaded"
  load_file schema.sql
  load_file comunas.sql
  PGOPTIONS="-c degux.demo_size=$SIZE" load_file demo.sql
  # Fresh statistics, so pg_stat_statements shows the workload alone.
  q -d degux -c 'SELECT pg_stat_statements_reset()' >/dev/null
  load_file workload.sql
  q -d degux -c "CREATE TABLE degux_demo.loaded (finished_at timestamptz NOT NULL DEFAULT now(), demo_size bigint NOT NULL)" \
    -c "INSERT INTO degux_demo.loaded (demo_size) VALUES ($SIZE)" -c CHECKPOINT ||
    fail "could not mark the load as finished"
  want_stamp >"$root/loaded"
}

do_start() {
  start_server
  if ! loaded; then
    say "creating the degux database with $SIZE referenciales"
    load_demo
  fi
  exports
}

do_stop() {
  [ -f "$pgdata/PG_VERSION" ] || return 0
  running || return 0
  as_owner "$bindir/pg_ctl" -D "$pgdata" -m fast -w stop >/dev/null ||
    fail "could not stop the server; see $logfile"
}

do_remove() {
  do_stop
  [ "$root" != "$home" ] && rm -rf "$root"
  rm -rf "$home"
}

lock() {
  exec 9>"$home/cluster.lock" || fail "cannot open $home/cluster.lock"
  flock -w 900 9 || fail "timed out waiting for another test's cluster.sh"
}

case "${1:-}" in
  start) lock; do_start ;;
  stop) lock; do_stop ;;
  remove) lock; do_remove ;;
  env) running && marked && exports ;;
  *) echo "usage: cluster.sh start|stop|env|remove" >&2; exit 2 ;;
esac
