#!/usr/bin/env bash
# A throwaway PostgreSQL 15 server for the test suite, on 127.0.0.1:55432.
#
#   .ci/start-postgres.sh [start]   start it (idempotent); prints the SQLAlchemy URL on stdout
#   .ci/start-postgres.sh status    exit 0 when it is running
#   .ci/start-postgres.sh url       print the URL
#   .ci/start-postgres.sh stop      stop it and delete its cluster
#
# Installs Debian's `postgresql` package when the PostgreSQL 15 binaries are missing. The
# server refuses to run as root, so as root the cluster belongs to the `postgres` user (created
# when missing) and runs under `runuser -u postgres --`. It listens on 127.0.0.1 only, trusts
# loopback connections, keeps its socket inside its own folder, and trades durability for
# speed (fsync off): it holds nothing but test databases. Progress goes to stderr.
set -euo pipefail

PG_PORT="${SMOKEWATCH_PG_PORT:-55432}"
PG_HOME="${SMOKEWATCH_PG_DIR:-${TMPDIR:-/tmp}/smokewatch-postgres-${PG_PORT}}"
PG_DATA="${PG_HOME}/data"
PG_BIN="${SMOKEWATCH_PG_BIN:-/usr/lib/postgresql/15/bin}"
PG_URL="postgresql+psycopg://postgres@127.0.0.1:${PG_PORT}/postgres"

say() { printf '[start-postgres] %s\n' "$*" >&2; }
die() { say "ERROR: $*"; exit 1; }

is_root() { [ "$(id -u)" -eq 0 ]; }

as_admin() {  # run a command as root (sudo when we are not root and it exists)
    if is_root; then "$@"; elif command -v sudo >/dev/null 2>&1; then sudo "$@"; else "$@"; fi
}

as_pg() {  # run a server command as the cluster's owner
    if is_root; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi
}

install_postgres() {
    say "PostgreSQL 15 binaries not found in ${PG_BIN}; installing Debian's postgresql package"
    as_admin apt-get update -q >&2
    as_admin env DEBIAN_FRONTEND=noninteractive \
        apt-get install -y -q --no-install-recommends postgresql >&2
    [ -x "${PG_BIN}/initdb" ] && [ -x "${PG_BIN}/pg_ctl" ] \
        || die "the postgresql package did not provide ${PG_BIN}/initdb and pg_ctl (not PostgreSQL 15?)"
}

ensure_postgres_user() {
    is_root || return 0
    if ! id -u postgres >/dev/null 2>&1; then
        say "creating system user postgres"
        useradd --system --user-group --no-create-home --home-dir /var/lib/postgresql \
            --shell /bin/bash postgres
    fi
}

running() {
    [ -f "${PG_DATA}/PG_VERSION" ] && as_pg "${PG_BIN}/pg_ctl" -D "${PG_DATA}" status >/dev/null 2>&1
}

create_cluster() {
    say "creating a cluster in ${PG_DATA}"
    mkdir -p "${PG_HOME}"
    if is_root; then chown postgres:postgres "${PG_HOME}"; fi
    chmod 700 "${PG_HOME}"
    as_pg "${PG_BIN}/initdb" --pgdata="${PG_DATA}" --username=postgres --auth=trust \
        --encoding=UTF8 --no-locale --no-instructions >"${PG_HOME}/initdb.log" 2>&1 \
        || { cat "${PG_HOME}/initdb.log" >&2; die "initdb failed"; }
    # Only the socket in our own 0700 folder and TCP from 127.0.0.1; everything else is refused.
    as_pg tee "${PG_DATA}/pg_hba.conf" >/dev/null <<EOF
local all all trust
host  all all 127.0.0.1/32 trust
EOF
    as_pg tee -a "${PG_DATA}/postgresql.conf" >/dev/null <<EOF

# smokewatch test server (.ci/start-postgres.sh)
listen_addresses = '127.0.0.1'
port = ${PG_PORT}
unix_socket_directories = '${PG_HOME}'
max_connections = 200
fsync = off
synchronous_commit = off
full_page_writes = off
EOF
}

start() {
    if [ ! -x "${PG_BIN}/initdb" ] || [ ! -x "${PG_BIN}/pg_ctl" ]; then install_postgres; fi
    ensure_postgres_user
    if running; then
        say "already running (${PG_DATA})"
    else
        if [ ! -f "${PG_DATA}/PG_VERSION" ]; then
            rm -rf "${PG_HOME}"
            create_cluster
        fi
        say "starting PostgreSQL $("${PG_BIN}/postgres" --version | awk '{print $3}') on 127.0.0.1:${PG_PORT}"
        as_pg "${PG_BIN}/pg_ctl" -D "${PG_DATA}" -l "${PG_HOME}/server.log" -w -t 60 start >&2 \
            || { tail -n 30 "${PG_HOME}/server.log" >&2 || true; die "the server did not start"; }
    fi
    "${PG_BIN}/pg_isready" -q -h 127.0.0.1 -p "${PG_PORT}" \
        || die "the server does not accept connections on 127.0.0.1:${PG_PORT}"
    say "ready: ${PG_URL}"
    printf '%s\n' "${PG_URL}"
}

stop() {
    if running; then
        say "stopping the server in ${PG_DATA}"
        as_pg "${PG_BIN}/pg_ctl" -D "${PG_DATA}" -w -t 60 -m fast stop >&2
    fi
    if [ -d "${PG_HOME}" ]; then rm -rf "${PG_HOME}"; fi
}

case "${1:-start}" in
    start) start ;;
    stop) stop ;;
    status) running ;;
    url) printf '%s\n' "${PG_URL}" ;;
    *) die "usage: $0 [start|stop|status|url]" ;;
esac
