#!/usr/bin/env bash
# Server load benchmark (BENCHMARKS.md "Server load"): the real server jar as its own process on a
# fresh Postgres database, loopback fakes of OpenRouter (instant answers, JSON and SSE) and Voyage,
# and N concurrent users over HTTP with signed HS256 tokens. Prints setup, throughput,
# p50/p95/p99 per route kind, status counts, and checks with SQL that every acknowledged user message
# and its reply are stored. Exit status non-zero on any 5xx, other non-2xx, broken stream or lost message.
#
# Usage: scripts/bench-server-load.sh [seconds=180] [users=64]
# Environment:
#   PGHOST/PGPORT/PGUSER  Postgres server with pgvector (default 127.0.0.1 / 5432 / postgres, trust auth)
#   LOAD_DB               database created and dropped here (default eros_engine_load)
#   STREAM_EVERY          about 1 in this many turns uses the SSE route (default 5)
#   EMBEDDINGS            fake-voyage (default: the real Voyage client against the loopback fake) or
#                         offline (the server's own embedder: MiniLM at EMBEDDING_DIM >= 384, else hashing)
#   EMBEDDING_DIM         512 (default)
#   POOL_SIZE, WORKERS    server DATABASE_POOL_SIZE (default 16) and WORKER_THREADS (default 2)
#   DRAIN_SECONDS         seconds to wait after the load for the job backlog to empty (default 15)
#   THINK_MS              each user pauses 0.5..1.5 x this between turns (default 0: back to back)
#   CHAT_MS, JSON_MS, EMBED_MS, JITTER
#                         fake provider latency per call: chat reply, strict-JSON extraction, embeddings
#                         (default 0 = instant) and its uniform jitter as a fraction (default 0)
#   IN_FLIGHT             server PROVIDER_MAX_IN_FLIGHT (default 64)
#   WORKER_PROCESSES      0 (default): one serve process does everything; n: serve with WORKER_THREADS=0
#                         plus n worker processes on the same database
# Realistic provider latency (BENCHMARKS.md "Post-process with realistic provider latency"):
#   THINK_MS=3000 CHAT_MS=700 JSON_MS=1500 EMBED_MS=120 JITTER=0.3 scripts/bench-server-load.sh 90 32
#   SKIP_BUILD=1          reuse engine-server/target (jar, test classes, classpath) from a previous run
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-180}"
users="${2:-64}"
export PGHOST="${PGHOST:-127.0.0.1}" PGPORT="${PGPORT:-5432}" PGUSER="${PGUSER:-postgres}"
db="${LOAD_DB:-eros_engine_load}"
jar="engine-server/target/eros-engine-server.jar"
cp_file="engine-server/target/load-classpath.txt"

if [[ "${SKIP_BUILD:-0}" != 1 || ! -f "$jar" || ! -f "$cp_file" ]]; then
  echo "building the server jar and the load program..." >&2
  mvn -B -ntp -q -pl engine-server -am -DskipTests package dependency:build-classpath \
    -Dmdep.outputFile="$PWD/$cp_file" -Dmdep.includeScope=test >&2
fi

drop_db() { psql -q -d postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >&2; }
drop_db
psql -q -d postgres -c "CREATE DATABASE $db" >&2
psql -q -d "$db" -c "CREATE EXTENSION IF NOT EXISTS vector" >&2
trap drop_db EXIT

# The program starts the fake model and the server process, runs the users, stops both, verifies.
java -Dlogback.configurationFile=engine-server/src/test/resources/bench-logback.xml \
  -cp "engine-server/target/test-classes:engine-server/target/classes:$(cat "$cp_file")" \
  io.erosengine.server.load.ServerLoadBenchmark \
  jar="$jar" jdbc="jdbc:postgresql://$PGHOST:$PGPORT/$db?user=$PGUSER" users="$users" seconds="$seconds" \
  streamEvery="${STREAM_EVERY:-5}" drainSeconds="${DRAIN_SECONDS:-15}" thinkMs="${THINK_MS:-0}" \
  chatMs="${CHAT_MS:-0}" jsonMs="${JSON_MS:-0}" embedMs="${EMBED_MS:-0}" jitter="${JITTER:-0}" \
  inFlight="${IN_FLIGHT:-64}" workerProcesses="${WORKER_PROCESSES:-0}" embeddings="${EMBEDDINGS:-fake-voyage}" embeddingDim="${EMBEDDING_DIM:-512}" poolSize="${POOL_SIZE:-16}" workers="${WORKERS:-2}" \
  log=engine-server/target/server-load/server.log
