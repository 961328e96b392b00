#!/usr/bin/env bash
# HTTP load benchmark (BENCHMARKS.md "HTTP load"): N concurrent users chat with the whole server over
# HTTP for a while, with the real provider clients pointed at loopback fakes of OpenRouter and Voyage.
# Postgres when ENGINE_TEST_DATABASE_URL is set (creates and drops eros_engine_http_bench), else in memory.
# Usage: scripts/bench-http-load.sh [users=64] [seconds=120]
set -euo pipefail
cd "$(dirname "$0")/.."
cp="$PWD/engine-server/target/bench-classpath.txt"
mvn -B -ntp -q -pl engine-server -am -DskipTests package dependency:build-classpath -Dmdep.outputFile="$cp" -Dmdep.includeScope=test >&2
exec java -Dlogback.configurationFile=engine-server/src/test/resources/bench-logback.xml -cp "engine-server/target/test-classes:engine-server/target/classes:$(cat "$cp")" \
  io.erosengine.server.bench.HttpLoadBenchmark "$@"
