# Starts a throw-away PostgreSQL cluster for the tests (sourced by ./test) and exports
# SWITCHBOARD_TEST_PG_URL, _USER and _PASSWORD. The server refuses to run as root, so under root it runs as the
# 'postgres' user; it listens on 127.0.0.1 only, on a free port, with its data in a temporary folder.

as_pg() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

start_test_postgres() {
  local bin
  bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  PG_TEST_DIR=$(mktemp -d /tmp/switchboard-ci-pg.XXXXXX)
  [ "$(id -u)" -ne 0 ] || chown postgres "$PG_TEST_DIR"
  PG_TEST_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null || echo 55432)
  local password=switchboard-ci
  echo "$password" > "$PG_TEST_DIR/pwfile"
  [ "$(id -u)" -ne 0 ] || chown postgres "$PG_TEST_DIR/pwfile"
  as_pg "$bin/initdb" -D "$PG_TEST_DIR/data" -U postgres --auth=scram-sha-256 \
    --pwfile="$PG_TEST_DIR/pwfile" >/dev/null
  as_pg "$bin/pg_ctl" -D "$PG_TEST_DIR/data" -l "$PG_TEST_DIR/server.log" -w \
    -o "-c listen_addresses=127.0.0.1 -c port=$PG_TEST_PORT -c unix_socket_directories=$PG_TEST_DIR -c max_connections=200" start >/dev/null
  PGPASSWORD=$password "$bin/psql" -q -h 127.0.0.1 -p "$PG_TEST_PORT" -U postgres -d postgres \
    -c "CREATE DATABASE switchboard_test"
  export SWITCHBOARD_TEST_PG_URL="jdbc:postgresql://127.0.0.1:$PG_TEST_PORT/switchboard_test"
  export SWITCHBOARD_TEST_PG_USER=postgres
  export SWITCHBOARD_TEST_PG_PASSWORD=$password
  export PG_TEST_BIN=$bin PG_TEST_DIR
  echo "PostgreSQL for the tests: $SWITCHBOARD_TEST_PG_URL"
}

stop_test_postgres() {
  if [ -n "${PG_TEST_DIR:-}" ] && [ -d "$PG_TEST_DIR/data" ]; then
    as_pg "$PG_TEST_BIN/pg_ctl" -D "$PG_TEST_DIR/data" -m fast stop >/dev/null 2>&1 || true
    rm -rf "$PG_TEST_DIR"
  fi
}
