#!/usr/bin/env bash
# Private PostgreSQL and Redis servers for the tests: each in a temporary folder, on a free loopback port, stopped by
# stop_test_services. Sourced by test.sh; run alone (`tests/services.sh start`) it prints the variables to export.
#   GRADEBENCH_TEST_POSTGRES  an administrator's connection string (the tests create and drop their own databases)
#   GRADEBENCH_TEST_REDIS     host:port

_services_dir=""

_free_port() {
  local port
  for _ in $(seq 1 50); do
    port=$((20000 + RANDOM % 20000))
    (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return 0; }
  done
  return 1
}

_apt_install() {
  [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 || return 1
  echo "Installing Debian's $* for the tests..." >&2
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null; }
}

_postgres_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }

# As root, PostgreSQL's initdb and server refuse to run: they run as the postgres account, which Debian's package creates.
_as_postgres() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

start_postgres() {
  local bin
  bin=$(_postgres_bin)
  if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
    _apt_install postgresql || { echo "error: PostgreSQL is missing (sudo apt-get install postgresql)." >&2; return 1; }
    bin=$(_postgres_bin)
  fi
  local dir="$_services_dir/postgres" port password
  mkdir -p "$dir" && chmod 700 "$dir"
  [ "$(id -u)" = 0 ] && chown postgres "$dir"
  password=$(head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')
  echo "$password" >"$dir/pw"
  [ "$(id -u)" = 0 ] && chown postgres "$dir/pw"
  # Locale C: text sorts by code point as in SQLite; the schema says COLLATE "C" anyway.
  if ! _as_postgres "$bin/initdb" -D "$dir/data" -U gradebench -E UTF8 --locale=C --auth=scram-sha-256 \
    --pwfile="$dir/pw" >"$dir/initdb.log" 2>&1; then
    cat "$dir/initdb.log" >&2
    return 1
  fi
  port=$(_free_port) || return 1
  # Durability settings off: a test server's data is thrown away; the app's own guarantees are tested on SQLite files.
  if ! _as_postgres "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 -o \
    "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" \
    start >/dev/null; then
    cat "$dir/server.log" >&2
    return 1
  fi
  echo "$bin" >"$dir/bin"
  export GRADEBENCH_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Username=gradebench;Password=$password;Database=postgres"
}

start_redis() {
  if ! command -v redis-server >/dev/null 2>&1; then
    _apt_install redis-server || { echo "error: Redis is missing (sudo apt-get install redis-server)." >&2; return 1; }
  fi
  local dir="$_services_dir/redis" port
  mkdir -p "$dir"
  port=$(_free_port) || return 1
  if ! redis-server --bind 127.0.0.1 --port "$port" --save '' --appendonly no --dir "$dir" --daemonize yes \
    --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" >/dev/null; then
    return 1
  fi
  for _ in $(seq 1 50); do [ -s "$dir/redis.pid" ] && break; sleep 0.1; done
  export GRADEBENCH_TEST_REDIS="127.0.0.1:$port"
}

start_test_services() {
  _services_dir=$(mktemp -d)
  chmod 755 "$_services_dir"
  start_postgres && start_redis
}

stop_test_services() {
  [ -n "$_services_dir" ] || return 0
  local dir="$_services_dir"
  if [ -f "$dir/postgres/bin" ]; then
    _as_postgres "$(cat "$dir/postgres/bin")/pg_ctl" -D "$dir/postgres/data" -m immediate -w stop >/dev/null 2>&1
  fi
  [ -s "$dir/redis/redis.pid" ] && kill "$(cat "$dir/redis/redis.pid")" 2>/dev/null
  rm -rf "$dir"
  _services_dir=""
}

if [ "${BASH_SOURCE[0]}" = "$0" ] && [ "${1:-}" = start ]; then
  set -u
  start_test_services || exit 1
  echo "export GRADEBENCH_TEST_POSTGRES='$GRADEBENCH_TEST_POSTGRES'"
  echo "export GRADEBENCH_TEST_REDIS='$GRADEBENCH_TEST_REDIS'"
  echo "# stop: $(_postgres_bin)/pg_ctl -D $_services_dir/postgres/data stop; kill \$(cat $_services_dir/redis/redis.pid)"
fi
