#!/usr/bin/env bash
# A throwaway PostgreSQL server on 127.0.0.1 for the database-source tests.
#   eval "$(bash scripts/testdb.sh start)"   -> exports ORIENT_TEST_PG_URL
#   bash scripts/testdb.sh stop
# Installs Debian's postgresql when it is missing and it can (root with apt-get);
# otherwise prints a note and nothing to export (the PostgreSQL test then skips, unless
# ORIENT_REQUIRE_PG=1 makes the skip a failure, as in CI).
set -euo pipefail
state="${TMPDIR:-/tmp}/orient-testdb"
bindir() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }
as_owner() {  # initdb and postgres refuse to run as root
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
case "${1:-}" in
start)
  bin="$(bindir)"
  if [ -z "$bin" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "Installing Debian's postgresql for the database tests" >&2
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >/dev/null
    bin="$(bindir)"
  fi
  if [ -z "$bin" ]; then
    echo "Note: no PostgreSQL server found; install Debian's postgresql for the database tests" >&2
    exit 0
  fi
  if [ -f "$state/url" ] && as_owner "$bin/pg_ctl" -D "$state/data" status >/dev/null 2>&1; then
    echo "export ORIENT_TEST_PG_URL='$(cat "$state/url")'"
    exit 0
  fi
  rm -rf "$state" && mkdir -p "$state"
  [ "$(id -u)" = 0 ] && chown postgres "$state"
  port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  as_owner "$bin/initdb" -D "$state/data" -U orient -A trust --no-sync >"$state/initdb.log" 2>&1
  as_owner "$bin/pg_ctl" -D "$state/data" -l "$state/server.log" -w \
    -o "-p $port -k $state -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null
  url="postgresql+psycopg://orient@127.0.0.1:$port/postgres"
  echo "$url" >"$state/url"
  echo "export ORIENT_TEST_PG_URL='$url'"
  ;;
stop)
  bin="$(bindir)"
  if [ -n "$bin" ] && [ -d "$state/data" ]; then
    as_owner "$bin/pg_ctl" -D "$state/data" -m fast -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$state"
  ;;
*)
  echo "usage: $0 start|stop" >&2
  exit 2
  ;;
esac
