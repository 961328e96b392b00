#!/usr/bin/env bash
# Makes the pgvector extension available on the local PostgreSQL 15 cluster (127.0.0.1:5432)
# and makes sure the cluster is running. Idempotent: does nothing when `vector` is already
# available. Loud on failure: any step that fails stops the script with a message and exit 1.
#
# Debian bookworm ships no pgvector package, so this builds Debian trixie's pgvector source
# package (0.8.x) against postgresql-server-dev-15.
set -euo pipefail

PGHOST="${PGHOST:-127.0.0.1}"
PGPORT="${PGPORT:-5432}"
PGUSER="${PGUSER:-postgres}"
export PGHOST PGPORT PGUSER

fail() { echo "setup-pgvector: ERROR: $*" >&2; exit 1; }
log() { echo "setup-pgvector: $*"; }

start_cluster() {
  if pg_isready -q; then return 0; fi
  log "PostgreSQL is not answering on ${PGHOST}:${PGPORT}; starting the cluster"
  local version
  version=$(ls /etc/postgresql 2>/dev/null | sort -V | tail -n 1)
  [ -n "$version" ] || fail "no PostgreSQL cluster under /etc/postgresql; install postgresql-15 first"
  pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  for _ in $(seq 1 30); do pg_isready -q && return 0; sleep 1; done
  fail "PostgreSQL did not become ready on ${PGHOST}:${PGPORT}"
}

vector_available() {
  [ "$(psql -d postgres -XAtc "select count(*) from pg_available_extensions where name = 'vector'")" = "1" ]
}

start_cluster
if vector_available; then
  log "pgvector already available: $(psql -d postgres -XAtc "select default_version from pg_available_extensions where name='vector'")"
else
  [ "$(id -u)" = "0" ] || fail "pgvector is missing and building it needs root (apt-get, make install)"
  pg_major=$(psql -d postgres -XAtc "show server_version_num" | cut -c1-2)
  log "building pgvector for PostgreSQL ${pg_major} from Debian trixie sources"
  src_list=/etc/apt/sources.list.d/trixie-src.list
  if [ ! -f "$src_list" ]; then
    echo "deb-src http://deb.debian.org/debian trixie main" > "$src_list"
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq || fail "apt-get update failed"
  apt-get install -y -qq --no-install-recommends build-essential dpkg-dev "postgresql-server-dev-${pg_major}" \
    >/dev/null || fail "could not install build-essential / postgresql-server-dev-${pg_major}"
  work=$(mktemp -d)
  ( cd "$work" && apt-get source -qq pgvector >/dev/null ) || fail "apt-get source pgvector failed"
  srcdir=$(find "$work" -maxdepth 1 -type d -name 'pgvector-*' | head -n 1)
  [ -n "$srcdir" ] || fail "pgvector source folder not found in $work"
  ( cd "$srcdir" && make -s PG_CONFIG="/usr/lib/postgresql/${pg_major}/bin/pg_config" OPTFLAGS="" >/dev/null \
      && make -s install PG_CONFIG="/usr/lib/postgresql/${pg_major}/bin/pg_config" >/dev/null ) \
    || fail "building pgvector failed (see output above)"
  rm -rf "$work"
  # Installing the server-dev package can upgrade postgresql-15 and stop the cluster.
  start_cluster
  vector_available || fail "pgvector was built but PostgreSQL does not list the extension"
  log "pgvector installed: $(psql -d postgres -XAtc "select default_version from pg_available_extensions where name='vector'")"
fi

for db in test postgres; do
  psql -d "$db" -XqAtc "create extension if not exists vector" >/dev/null \
    || fail "CREATE EXTENSION vector failed in database $db"
done
log "ready: CREATE EXTENSION vector works in databases test and postgres"
