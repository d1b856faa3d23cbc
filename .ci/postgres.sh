# Sourced by .ci/run: a throwaway PostgreSQL cluster for the store tests, stopped on exit.
# Installs Debian's PostgreSQL server programs when they are missing (CI runs as root), runs
# initdb in a temporary folder as the postgres system user (PostgreSQL refuses to run as root),
# starts the server on a free 127.0.0.1 port and a socket in that folder, and exports its URL as
# FLG_TEST_POSTGRES_URL. The tests then fail, rather than skip, if it is not there (CI=true).

pg_bin() {
  local dir
  for dir in /usr/lib/postgresql/*/bin; do
    if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then echo "$dir"; fi
  done | sort -V | tail -n 1
}

pg_as_server_user() {
  if [ "$(id -u)" = "0" ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

start_test_postgres() {
  local bin port
  bin=$(pg_bin)
  if [ -z "$bin" ] && [ "$(id -u)" = "0" ] && command -v apt-get > /dev/null; then
    echo "== installing the PostgreSQL server programs"
    apt-get update -qq > /dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql > /dev/null
    bin=$(pg_bin)
  fi
  if [ -z "$bin" ]; then
    echo "no PostgreSQL server programs (initdb, pg_ctl) found; the PostgreSQL tests will fail" >&2
    return 0
  fi
  PG_TEST_DIR=$(mktemp -d /tmp/flg-ci-pg.XXXXXX)
  PG_TEST_BIN=$bin
  if [ "$(id -u)" = "0" ]; then chown postgres:postgres "$PG_TEST_DIR"; fi
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  pg_as_server_user "$bin/initdb" -D "$PG_TEST_DIR/data" -U flg -A trust --no-sync -E UTF8 \
    --locale=C > "$PG_TEST_DIR/initdb.log"
  pg_as_server_user "$bin/pg_ctl" -D "$PG_TEST_DIR/data" -l "$PG_TEST_DIR/server.log" -w \
    -o "-p $port -k $PG_TEST_DIR -c listen_addresses=127.0.0.1 -c fsync=off" start > /dev/null
  export FLG_TEST_POSTGRES_URL="postgresql://flg@127.0.0.1:$port/postgres"
  echo "== PostgreSQL $("$bin/postgres" --version | awk '{print $3}') for the tests at $FLG_TEST_POSTGRES_URL"
}

stop_test_postgres() {
  if [ -n "${PG_TEST_DIR:-}" ] && [ -d "$PG_TEST_DIR/data" ]; then
    pg_as_server_user "$PG_TEST_BIN/pg_ctl" -D "$PG_TEST_DIR/data" -m immediate stop > /dev/null 2>&1 || true
  fi
  if [ -n "${PG_TEST_DIR:-}" ]; then rm -rf "$PG_TEST_DIR"; fi
}
