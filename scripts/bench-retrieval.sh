#!/usr/bin/env bash
# Memory retrieval benchmark (BENCHMARKS.md, "Memory retrieval").
# Usage: scripts/bench-retrieval.sh [totalRows,...] [queriesPerCell]   (default: 100000,1000000 2000)
# Needs ENGINE_BENCH_DATABASE_URL or ENGINE_TEST_DATABASE_URL: a Postgres 15+ server with pgvector
# where the user may CREATE DATABASE; the benchmark creates and drops database engine_bench there
# (ENGINE_BENCH_KEEP=1 keeps it afterwards, to look at plans with psql).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${ENGINE_BENCH_DATABASE_URL:-}" ] && [ -z "${ENGINE_TEST_DATABASE_URL:-}" ]; then
  echo "bench-retrieval: set ENGINE_BENCH_DATABASE_URL (or ENGINE_TEST_DATABASE_URL), e.g." >&2
  echo "  jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres" >&2
  exit 1
fi
mvn -B -ntp -q -pl engine-store -am test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
exec java -Xmx2g -cp "engine-store/target/test-classes:engine-store/target/classes:$(cat engine-store/target/bench.classpath)" \
  io.erosengine.store.postgres.RetrievalBenchmark "$@"
