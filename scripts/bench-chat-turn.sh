#!/usr/bin/env bash
# Chat turn overhead benchmark (BENCHMARKS.md "Chat turn overhead"): engine time per turn with an
# instant in-process chat model on Postgres + pgvector, at 1, 16 and 64 concurrent users, and the
# post-process lag. Database server: ENGINE_BENCH_DATABASE_URL, else ENGINE_TEST_DATABASE_URL,
# else jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres (creates and drops eros_engine_bench).
set -euo pipefail
cd "$(dirname "$0")/.."
cp="$PWD/engine-runtime/target/bench-classpath.txt"
mvn -B -ntp -q -pl engine-runtime -am -DskipTests package dependency:build-classpath -Dmdep.outputFile="$cp" -Dmdep.includeScope=test >&2
exec java -Dlogback.configurationFile=engine-runtime/src/test/resources/bench-logback.xml -cp "engine-runtime/target/test-classes:engine-runtime/target/classes:$(cat "$cp")" \
  io.erosengine.runtime.bench.ChatTurnBenchmark "$@"
