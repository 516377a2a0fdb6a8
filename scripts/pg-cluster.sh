# A throwaway PostgreSQL cluster on a loopback port, for tests. Source it, then call
# pg_cluster_start; it is stopped and removed on exit. Exports GONGJIAN_TEST_PG (superuser URL).
# fsync is off (tests) unless PG_FSYNC=on (benchmarks that write).
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}

pg_cluster_start() {
  PG_DIR=$(mktemp -d /tmp/gongjian-pg.XXXXXX)
  chown postgres "$PG_DIR"
  PG_PORT=${PG_PORT:-$(( 20000 + RANDOM % 20000 ))}
  say "starting a throwaway PostgreSQL on 127.0.0.1:$PG_PORT"
  runuser -u postgres -- "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres --auth=trust >/dev/null
  runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/log" -w \
    -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $PG_DIR -c fsync=${PG_FSYNC:-off} -c max_connections=300" start >/dev/null
  trap pg_cluster_stop EXIT
  psql -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 <<SQL
CREATE ROLE gongjian_owner LOGIN CREATEDB;
CREATE ROLE gongjian_app LOGIN NOSUPERUSER NOBYPASSRLS;
SQL
  export GONGJIAN_TEST_PG="postgres://postgres@127.0.0.1:$PG_PORT"
  export GONGJIAN_REQUIRE_PG=1
}

# A streaming replica of that cluster (pg_basebackup -R: a hot standby replaying the primary's
# log) on the next port. Exports GONGJIAN_TEST_PG_READ (its superuser URL) and requires the
# replica tests (domain/tests/read_replica.rs).
pg_replica_start() {
  PG_REPLICA_PORT=$((PG_PORT + 1))
  say "starting a streaming replica of it on 127.0.0.1:$PG_REPLICA_PORT"
  runuser -u postgres -- "$PG_BIN/pg_basebackup" -h 127.0.0.1 -p "$PG_PORT" -U postgres \
    -D "$PG_DIR/replica" -R -X stream -c fast
  runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PG_DIR/replica" -l "$PG_DIR/replica.log" -w \
    -o "-c listen_addresses=127.0.0.1 -p $PG_REPLICA_PORT -k $PG_DIR -c fsync=off -c max_connections=300" start >/dev/null
  export GONGJIAN_TEST_PG_READ="postgres://postgres@127.0.0.1:$PG_REPLICA_PORT"
  export GONGJIAN_REQUIRE_REPLICA=1
}

pg_cluster_stop() {
  if [ -n "${PG_DIR:-}" ] && [ -d "$PG_DIR/replica" ]; then
    runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PG_DIR/replica" -m fast -w stop >/dev/null 2>&1 || true
  fi
  if [ -n "${PG_DIR:-}" ] && [ -d "$PG_DIR/data" ]; then
    runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$PG_DIR"
  fi
}
