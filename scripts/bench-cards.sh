#!/usr/bin/env bash
# Character Card benchmark (BENCHMARKS.md "Character Cards"): import, export, a zip bomb's refusal and
# one turn's lorebook match, single-threaded and in process. No database.
set -euo pipefail
cd "$(dirname "$0")/.."
cp="$PWD/engine-server/target/bench-classpath.txt"
mvn -B -ntp -q -pl engine-server -am -DskipTests package dependency:build-classpath -Dmdep.outputFile="$cp" -Dmdep.includeScope=test >&2
exec java -Dlogback.configurationFile=engine-server/src/test/resources/bench-logback.xml -cp "engine-server/target/test-classes:engine-server/target/classes:$(cat "$cp")" \
  io.erosengine.server.persona.CardBenchmark "$@"
